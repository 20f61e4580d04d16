/**
 * Evidence on a skeleton: a plan cell (or a tail region) as indicator factors over the skeleton's
 * variables, for exact inference (`eliminate`) and posterior sampling.
 */
import type { Value } from '../expr/index.js';
import { nextDown, type TableModel } from '../model/compile.js';
import type { Skeleton } from './discrete.js';
import type { Factor } from './infer.js';
import type { CompiledPlan, PlanCell } from './plan.js';

export interface Evidence {
  /** Allowed states per variable (single-column constraints). */
  masks: Map<number, Uint8Array>;
  factors: Factor[];
}

/** A test on one column's state: a label (discrete) or a bin [lo, hi) (numeric). */
export interface Constraint {
  column: number;
  test: (label: string | null, lo: number, hi: number) => boolean;
}

/** A test on a row that reads several columns (expr axes, "not in a forbidden cell"). */
export interface RowTest {
  refs: number[];
  test: (row: Value[]) => boolean;
}

export function evidenceFor(
  model: TableModel,
  s: Skeleton,
  constraints: readonly Constraint[],
  exprs: readonly RowTest[],
): Evidence {
  const masks = new Map<number, Uint8Array>();
  const factors: Factor[] = [];
  for (const c of constraints) {
    const v = s.varOf.get(c.column)!;
    const st = s.vars[v].states;
    const m = masks.get(v) ?? new Uint8Array(st.length).fill(1);
    st.forEach((x, j) => {
      const ok = s.vars[v].numeric
        ? !x.na && c.test(null, x.lo, x.hi)
        : c.test(x.na ? null : x.label, typeof x.value === 'number' ? x.value : Number.NaN, Number.NaN);
      if (!ok) m[j] = 0;
    });
    masks.set(v, m);
  }
  for (const e of exprs) {
    const vs = [...new Set(e.refs.map((c) => s.varOf.get(c)!))].sort((a, b) => a - b);
    let size = 1;
    for (const v of vs) size *= s.card[v];
    const table = new Float64Array(size);
    const row: Value[] = new Array(model.columns.length).fill(null);
    for (let t = 0; t < size; t++) {
      let rem = t;
      for (let k = vs.length - 1; k >= 0; k--) {
        const v = vs[k];
        const j = rem % s.card[v];
        rem = Math.floor(rem / s.card[v]);
        row[s.vars[v].column] = representative(s, v, j);
      }
      table[t] = e.test(row) ? 1 : 0;
    }
    factors.push({ vars: vs, table });
  }
  for (const [v, m] of masks) factors.push({ vars: [v], table: Float64Array.from(m) });
  return { masks, factors };
}

/** A value standing for state j of variable v (bins are cut where the tests change, so any point will do). */
function representative(s: Skeleton, v: number, j: number): Value {
  const st = s.vars[v].states[j];
  const integer = s.vars[v].integer;
  if (st.na) return null;
  if (!s.vars[v].numeric) return st.value;
  if (Number.isFinite(st.lo)) return integer ? Math.ceil(st.lo) : st.lo;
  if (Number.isFinite(st.hi)) return integer ? Math.ceil(st.hi) - 1 : nextDown(st.hi);
  return 0;
}

/** A plan cell's tests: one constraint per column / bins axis, one row test per expr axis. */
export function cellTests(
  plan: CompiledPlan,
  cell: PlanCell,
  columnIndex: ReadonlyMap<string, number>,
): { constraints: Constraint[]; exprs: RowTest[] } {
  const constraints: Constraint[] = [];
  const exprs: RowTest[] = [];
  plan.axes.forEach((a, k) => {
    const level = a.levels[cell.level[k]];
    if (a.kind === 'column') {
      constraints.push({ column: columnIndex.get(a.column!)!, test: (l) => l === level });
    } else if (a.kind === 'bins') {
      const bi = a.levels.indexOf(level);
      const blo = a.bins![bi];
      const bhi = a.bins![bi + 1];
      constraints.push({
        column: columnIndex.get(a.column!)!,
        test: (l, lo, hi) =>
          l === null && !Number.isNaN(lo) && Number.isNaN(hi)
            ? false
            : Number.isNaN(hi)
              ? lo >= blo && lo < bhi
              : lo >= blo && hi <= bhi,
      });
    } else {
      exprs.push({ refs: a.refs.map((r) => columnIndex.get(r)!), test: (row) => a.label(row) === level });
    }
  });
  return { constraints, exprs };
}
