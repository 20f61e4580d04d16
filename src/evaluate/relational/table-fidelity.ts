/**
 * Each table's own single-table fidelity (univariate and bivariate accuracy, SDMetrics-style
 * shapes), by the fidelity section's computation on the table's value columns — IDs and keys set
 * apart exactly as in a single-table evaluation.
 */
import type { RawTable } from '../../io/index.js';
import { computeFidelity } from '../fidelity.js';
import { prepare } from '../prepare.js';
import type { Metric } from '../types.js';
import type { RelationalInputs } from './judge.js';

export interface TableFidelity {
  accuracy_univariate: Metric;
  accuracy_bivariate: Metric;
  accuracy_univariate_holdout?: Metric;
  accuracy_bivariate_holdout?: Metric;
}

/** Bootstrap replicates per table: the intervals are a side figure here, not worth 100 replicates per table. */
const REPS = 20;

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

export function tableFidelity(i: RelationalInputs, seed: number): Map<string, TableFidelity> {
  const out = new Map<string, TableFidelity>();
  for (const [name, realAll] of i.real) {
    const drop = new Set([
      ...i.links.keys.filter((k) => k.table === name).map((k) => k.column),
      ...i.links.refs.filter((r) => r.child === name).map((r) => r.column),
    ]);
    const synthetic = i.synthetic.get(name);
    if (!synthetic) continue;
    const real = withoutLinks(realAll, drop);
    const holdout = i.holdout?.get(name);
    const { ctx } = prepare(
      { seed, bootstrapReps: REPS },
      {
        real,
        synthetic: withoutLinks(synthetic, drop),
        holdout: holdout && withoutLinks(holdout, drop),
      },
    );
    if (ctx.real.columns.length === 0) continue;
    const f = computeFidelity(ctx.real, ctx.synthetic, ctx.holdout, {
      seed,
      reps: REPS,
      level: 0.95,
      trivariate: false,
    }).section;
    out.set(name, {
      accuracy_univariate: f.accuracy_univariate,
      accuracy_bivariate: f.accuracy_bivariate,
      ...(ctx.holdout
        ? {
            accuracy_univariate_holdout: f.accuracy_univariate_holdout,
            accuracy_bivariate_holdout: f.accuracy_bivariate_holdout,
          }
        : {}),
    });
  }
  return out;
}
