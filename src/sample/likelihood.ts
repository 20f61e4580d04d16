/**
 * The likelihood of an observed numeric value under each state of its parents, for exact
 * conditioning on a known numeric column.
 *
 * A skeleton cuts a numeric column into bins (its children's breaks), and its CPT gives P(bin |
 * parents). Knowing the value x says more than its bin: the parents' posterior needs P(X = x |
 * parents) for each parent state, i.e. the column's law at x. Every value the sampler writes is
 * rounded (integers to whole numbers, `number` columns to their decimals, datetimes to the
 * millisecond, dates to the day), so "X = x" is the event "the draw fell in x's rounding cell", and
 * its probability is the law's truncated mass on that cell: a probability, not a density, and exact
 * for the values the sampler produces. A caller's value off the grid (41.237 for a 2-decimal column)
 * is read as the cell it rounds into.
 *
 * A column's parent states map to few distinct laws (a fitted table's rows), so the mapping is
 * built once per variable (`LawIndex`) and a new value costs one mass per law, not per state.
 */
import { binMass, lawOf, type Skeleton, staticBounds } from '../coverage/discrete.js';
import type { TableModel } from '../model/compile.js';
import { conditionalResolver } from '../model/conditional-rows.js';
import type { Column, Dist, Table } from '../spec/schema.js';

const DAY_MS = 86_400_000;

/** The rounding cell [lo, hi) of the output value x of a numeric column. */
export function roundingCell(col: Column, x: number): [number, number] {
  switch (col.type) {
    case 'integer':
      return [Math.round(x), Math.round(x) + 1];
    case 'date': {
      const d = Math.floor(x / DAY_MS) * DAY_MS;
      return [d, d + DAY_MS];
    }
    case 'datetime': {
      const t = Math.round(x);
      return [t - 0.5, t + 0.5];
    }
    default: {
      const dec = col.decimals ?? 2;
      const h = 0.5 * 10 ** -dec;
      const f = 10 ** dec;
      const y = Math.round(x * f) / f;
      return [y - h, y + h];
    }
  }
}

type Mechanism = { dist?: Dist; missing?: number } | undefined;

/** Laws by dist object: building an empirical law (checks, atom CDFs) costs more than its masses. */
const laws = new WeakMap<Dist, ReturnType<typeof lawOf>>();
function cachedLaw(d: Dist): ReturnType<typeof lawOf> {
  let l = laws.get(d);
  if (l === undefined) {
    l = lawOf(d);
    laws.set(d, l);
  }
  return l;
}

/** A numeric skeleton variable's laws: parent configuration t (mixed radix over `parents`) uses `laws[index[t]]`. */
export interface LawIndex {
  /** Parent variable ids, ascending (the CPT's variables without the column). */
  parents: number[];
  index: Int32Array;
  laws: Mechanism[];
}

/** Build the law index of numeric variable `vi` (undefined when a law is not one the skeleton reads). */
export function lawIndex(model: TableModel, table: Table, s: Skeleton, vi: number): LawIndex | undefined {
  const v = s.vars[vi];
  const col = table.columns[v.name];
  const parents = s.cpts[vi].vars.filter((u) => u !== vi);
  if (!col.conditional) {
    if (parents.length) return undefined;
    return { parents, index: Int32Array.of(0), laws: [{ dist: col.dist }] };
  }
  const cond = col.conditional;
  const rowOf = conditionalResolver(cond.rows);
  const parentVar = cond.parents.map(
    (p) => s.varOf.get(model.columns.findIndex((c) => c.name === p.column))!,
  );
  const at = parentVar.map((pv) => parents.indexOf(pv));
  let size = 1;
  for (const u of parents) size *= s.card[u];
  const index = new Int32Array(size);
  const laws: Mechanism[] = [];
  const ids = new Map<Mechanism, number>();
  const assign = new Int32Array(parents.length);
  const labels: string[] = new Array(cond.parents.length);
  for (let t = 0; t < size; t++) {
    for (let q = 0; q < cond.parents.length; q++) {
      const p = cond.parents[q];
      const pv = parentVar[q];
      const st = s.vars[pv].states[assign[at[q]]];
      if (st.na) labels[q] = 'NA';
      else if (!p.breaks) labels[q] = st.label;
      else {
        const x = s.vars[pv].numeric ? st.lo : typeof st.value === 'number' ? st.value : Number(st.value);
        let k = 0;
        while (k < p.breaks.length && p.breaks[k] <= x) k++;
        labels[q] = String(k);
      }
    }
    const row: Mechanism = rowOf(labels) ?? cond.default;
    let id = ids.get(row);
    if (id === undefined) {
      if (row?.dist && typeof cachedLaw(row.dist) === 'string') return undefined;
      id = laws.length;
      laws.push(row);
      ids.set(row, id);
    }
    index[t] = id;
    for (let k = parents.length - 1; k >= 0; k--) {
      if (++assign[k] < s.card[parents[k]]) break;
      assign[k] = 0;
    }
  }
  return { parents, index, laws };
}

/** P(output in the value's rounding cell | law) for each law of the index. */
export function lawMasses(
  model: TableModel,
  table: Table,
  s: Skeleton,
  vi: number,
  li: LawIndex,
  x: number,
): Float64Array {
  const v = s.vars[vi];
  const col = table.columns[v.name];
  const cell = roundingCell(col, x);
  const sb = staticBounds(model, v.column);
  const colMiss = typeof col.missing === 'number' ? col.missing : 0;
  const out = new Float64Array(li.laws.length);
  li.laws.forEach((m, k) => {
    if (!m?.dist) return;
    const law = cachedLaw(m.dist);
    if (typeof law === 'string') return;
    const present = 1 - (colMiss + (1 - colMiss) * (m.missing ?? 0));
    const norm = binMass(law, v.integer, sb.lo, Number.POSITIVE_INFINITY, sb.lo, sb.hi);
    if (norm > 0) out[k] = (present * binMass(law, v.integer, cell[0], cell[1], sb.lo, sb.hi)) / norm;
  });
  return out;
}

/** Whether x lies in state s of a numeric variable ([lo, hi)). */
export function inBin(s: { lo: number; hi: number }, x: number): boolean {
  return x >= s.lo && x < s.hi;
}
