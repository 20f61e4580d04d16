/**
 * Each table of a set typed for the binned metrics, once per evaluation: its value columns (IDs
 * and free text set apart exactly as in a single-table evaluation, key and foreign-key columns
 * dropped), with synthetic and holdout levels aligned to the real table's. The tables' own fidelity
 * and the parent–child column pairs both read these.
 */
import type { RawTable } from '../../io/index.js';
import { prepare } from '../prepare.js';
import type { RelationalInputs, TypedSet } from './inputs.js';

/** Bootstrap replicates per table: the intervals are a side figure here, not worth 100 replicates per table. */
export const TABLE_REPS = 20;

/** The table without some columns — here its key and foreign-key columns (identifiers, not values; a holdout's are all new). */
export function withoutLinks(t: RawTable, drop: ReadonlySet<string>): RawTable {
  const keep = t.columns.map((c, j) => [c, j] as const).filter(([c]) => !drop.has(c));
  return {
    ...t,
    columns: keep.map(([c]) => c),
    data: keep.map(([, j]) => t.data[j]),
    ...(t.types ? { types: keep.map(([, j]) => t.types?.[j]) } : {}),
  };
}

/** Typed value columns per table present in the real and the synthetic set (rows in file order). */
export function typedTables(i: RelationalInputs, seed: number): Map<string, TypedSet> {
  const out = new Map<string, TypedSet>();
  for (const [name, realAll] of i.real) {
    const drop = new Set([
      ...i.links.keys.filter((k) => k.table === name).map((k) => k.column),
      ...i.links.refs.filter((r) => r.child === name).map((r) => r.column),
    ]);
    const synthetic = i.synthetic.get(name);
    if (!synthetic) continue;
    const holdout = i.holdout?.get(name);
    const { ctx } = prepare(
      { seed, bootstrapReps: TABLE_REPS },
      {
        real: withoutLinks(realAll, drop),
        synthetic: withoutLinks(synthetic, drop),
        holdout: holdout && withoutLinks(holdout, drop),
      },
    );
    out.set(name, { real: ctx.real, synthetic: ctx.synthetic, holdout: ctx.holdout });
  }
  return out;
}
