/**
 * Each table's own single-table fidelity (univariate and bivariate accuracy, SDMetrics-style
 * shapes), by the fidelity section's computation on the table's value columns (typed-tables.ts).
 */
import { computeFidelity } from '../fidelity.js';
import type { Metric } from '../types.js';
import type { TypedSet } from './inputs.js';
import { TABLE_REPS } from './typed-tables.js';

export interface TableFidelity {
  accuracy_univariate: Metric;
  accuracy_bivariate: Metric;
  accuracy_univariate_holdout?: Metric;
  accuracy_bivariate_holdout?: Metric;
}

export function tableFidelity(
  typed: ReadonlyMap<string, TypedSet>,
  seed: number,
): Map<string, TableFidelity> {
  const out = new Map<string, TableFidelity>();
  for (const [name, t] of typed) {
    if (t.real.columns.length === 0) continue;
    const f = computeFidelity(t.real, t.synthetic, t.holdout, {
      seed,
      reps: TABLE_REPS,
      level: 0.95,
      trivariate: false,
    }).section;
    out.set(name, {
      accuracy_univariate: f.accuracy_univariate,
      accuracy_bivariate: f.accuracy_bivariate,
      ...(t.holdout
        ? {
            accuracy_univariate_holdout: f.accuracy_univariate_holdout,
            accuracy_bivariate_holdout: f.accuracy_bivariate_holdout,
          }
        : {}),
    });
  }
  return out;
}
