/**
 * When is a share of copied rows (or texts) "far above" what a fresh real sample would show? One rule
 * for tables and free text, so the near-copy warnings agree:
 *  - the synthetic share is at least twice the baseline and at least 5 points above it, and
 *  - when both carry bootstrap intervals, the intervals do not overlap (noise on small tables).
 * With a holdout the baseline is the holdout's own share; without one, a real-vs-real baseline
 * (duplicates within the training rows, or one half of the real texts against the other).
 */
import type { Metric } from './types.js';

export function farAbove(share: Metric, baseline: Metric): boolean {
  const s = share.value;
  const b = baseline.value;
  if (s === null || b === null) return false;
  if (s < 2 * b || s - b < 0.05) return false;
  if (share.ci && baseline.ci) return share.ci[0] > baseline.ci[1];
  return true;
}

/**
 * The DCR share (synthetic rows closer to train than to the holdout; 0.5 for data that did not see
 * the training rows, about 1 for a copy) is far above 0.5: at least 0.7, with an interval wholly
 * above 0.6. (A synthpop-style CART with 5 rows per leaf scores 0.65 on Adult — close to its
 * training rows, not a copy; docs/benchmarks.md.)
 */
export function dcrFarAbove(dcrShare: Metric): boolean {
  const v = dcrShare.value;
  if (v === null || v < 0.7) return false;
  return dcrShare.ci ? dcrShare.ci[0] > 0.6 : true;
}

export function percent(v: number | null): string {
  return v === null ? 'n/a' : `${(100 * v).toFixed(v < 0.01 && v > 0 ? 2 : 1)}%`;
}
