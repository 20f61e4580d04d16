/**
 * Quantiles of any discretisable numeric column under the model (a mixture over its parents'
 * states), exact up to bisection: P(X < x) is computed by adding x as a bin edge of the column's
 * skeleton and eliminating every other variable.
 */
import {
  type CompileOptions,
  compileTable,
  nextUp,
  type QuantileSolver,
  type TableModel,
} from '../model/compile.js';
import { checkedSpec } from '../spec/parse.js';
import type { Spec, Table } from '../spec/schema.js';
import { buildSkeleton, type Skeleton } from './discrete.js';
import { multiply, sumOut } from './infer.js';

/** P(X < x) under the model, exactly, by adding x as a bin edge of X's skeleton. */
export function modelCdfBelow(
  model: TableModel,
  table: Table,
  column: number,
  x: number,
): number | undefined {
  const name = model.columns[column].name;
  const sk = buildSkeleton(model, table, [column], { edges: new Map([[name, [x]]]) });
  if (!sk.ok) return undefined;
  const s = sk.skeleton;
  const v = s.varOf.get(column)!;
  const m = marginalOf(s, v);
  let p = 0;
  s.vars[v].states.forEach((st, j) => {
    if (!st.na && st.hi <= x) p += m[j];
  });
  // Probabilities are of non-missing values: condition on presence so quantiles match the values drawn.
  let present = 0;
  s.vars[v].states.forEach((st, j) => {
    if (!st.na) present += m[j];
  });
  return present > 0 ? p / present : 0;
}

function marginalOf(s: Skeleton, v: number): Float64Array {
  let pool = [...s.cpts];
  for (let x = 0; x < s.vars.length; x++) {
    if (x === v) continue;
    const mine = pool.filter((f) => f.vars.includes(x));
    if (!mine.length) continue;
    pool = pool.filter((f) => !f.vars.includes(x));
    pool.push(sumOut(multiply(mine, s.card), x, s.card));
  }
  const f = multiply(pool, s.card);
  return f.table;
}

/**
 * quantile(col, p) under the model for any discretisable numeric column (a mixture over parent
 * states): the smallest x with P(X ≤ x) ≥ p, by bisection on the exact CDF. Undefined when the
 * column's ancestors cannot be discretised.
 */
export function modelQuantileExact(
  model: TableModel,
  table: Table,
  column: number,
  p: number,
): number | undefined {
  const integer = model.columns[column].type === 'integer';
  const F = (x: number) => modelCdfBelow(model, table, column, integer ? x + 1 : nextUp(x)); // P(X ≤ x)
  const f0 = F(0);
  if (f0 === undefined) return undefined;
  let lo = -1;
  let hi = 1;
  while (F(hi)! < p && hi < 1e300) hi = hi * 4 + 1;
  while (F(lo)! >= p && lo > -1e300) lo = lo * 4 - 1;
  // Invariant: F(lo) < p ≤ F(hi).
  for (let it = 0; it < 200; it++) {
    if (integer ? hi - lo <= 1 : !(hi - lo > Math.max(1e-12, Math.abs(hi) * 1e-12))) break;
    const mid = integer ? Math.floor((lo + hi) / 2) : (lo + hi) / 2;
    if (F(mid)! >= p) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * quantile(col, p) for `compileTable`'s modelQuantile when the column has a conditional table:
 * the table is compiled without its rules (they may themselves call quantile()) and without a
 * quantile solver (so a quantile() inside the table's own parameters cannot recurse), then solved
 * exactly. Undefined when the column cannot be discretised; any other error propagates.
 */
export const conditionalQuantile: QuantileSolver = (spec, table, column, p) => {
  const t = spec.tables[table];
  const model = compileTable({ ...spec, tables: { ...spec.tables, [table]: { ...t, rules: [] } } }, table);
  const c = model.columns.findIndex((x) => x.name === column);
  return c < 0 ? undefined : modelQuantileExact(model, t, c, p);
};

/**
 * `compileTable` with quantile() of fitted (conditional) columns solved exactly, for a spec that
 * has been checked (internal callers: generation, its workers, scenarios).
 */
export function compileChecked(spec: Spec, table: string, opts: CompileOptions = {}): TableModel {
  return compileTable(spec, table, { quantile: conditionalQuantile, ...opts });
}

/**
 * The library's compile: a `Spec` object is checked exactly like a spec file first (SpecError
 * with every problem, placed by spec path), then compiled with quantile() solved exactly.
 */
export function compileModel(spec: Spec, table: string, opts: CompileOptions = {}): TableModel {
  return compileChecked(checkedSpec(spec), table, opts);
}
