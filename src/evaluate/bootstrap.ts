/**
 * Bootstrap helpers shared by the evaluator. A bootstrap replicate is represented as multinomial
 * row counts (how often each row was drawn), so weighted statistics can be recomputed in O(n)
 * without copying tables or re-sorting.
 */
import { type Stream, streamFor } from '../random/stream.js';
import type { Metric } from './types.js';

/** Counts of n draws with replacement from n rows (a bootstrap replicate as weights). */
export function multinomialCounts(n: number, stream: Stream, out?: Int32Array): Int32Array {
  const w = out ?? new Int32Array(n);
  w.fill(0);
  for (let i = 0; i < n; i++) w[stream.nextInt(n)]++;
  return w;
}

/** Percentile interval of finite replicate values; undefined when fewer than 2 are finite. */
export function percentileInterval(reps: ArrayLike<number>, level = 0.95): [number, number] | undefined {
  const v: number[] = [];
  for (let i = 0; i < reps.length; i++) if (Number.isFinite(reps[i])) v.push(reps[i]);
  if (v.length < 2) return undefined;
  v.sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  return [quantileSorted(v, alpha), quantileSorted(v, 1 - alpha)];
}

/** Linear-interpolation quantile (numpy's default, "type 7") of an ascending array. */
export function quantileSorted(v: ArrayLike<number>, p: number): number {
  const n = v.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

/**
 * Percentile interval of the replicates re-centred on the estimate: [θ̂ − (m − q_lo), θ̂ + (q_hi − m)]
 * with m the replicates' median. Plug-in statistics such as 1 − TVD are shifted under resampling
 * (a resample always looks less like the other table), so the plain percentile interval can sit
 * beside the estimate; Efron's bias-corrected interval collapses when every replicate is on one
 * side. Re-centring keeps the bootstrap's width and skew and always contains the estimate. When the
 * estimate and all replicates lie in [0, 1] the interval is clipped to [0, 1].
 */
export function biasCorrectedInterval(
  value: number,
  reps: ArrayLike<number>,
  level = 0.95,
): [number, number] | undefined {
  const v: number[] = [];
  for (let i = 0; i < reps.length; i++) if (Number.isFinite(reps[i])) v.push(reps[i]);
  if (v.length < 2) return undefined;
  v.sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  const med = quantileSorted(v, 0.5);
  let lo = value - (med - quantileSorted(v, alpha));
  let hi = value + (quantileSorted(v, 1 - alpha) - med);
  if (value >= 0 && value <= 1 && v[0] >= 0 && v[v.length - 1] <= 1) {
    lo = Math.max(0, lo);
    hi = Math.min(1, hi);
  }
  return [lo, hi];
}

/** A metric from an estimate and its replicates; NaN estimate → null with the reason. */
export function metricFrom(
  value: number,
  reps: ArrayLike<number> | undefined,
  reason: string,
  level = 0.95,
): Metric {
  if (!Number.isFinite(value)) return { value: null, reason };
  const ci = reps ? biasCorrectedInterval(value, reps, level) : undefined;
  return ci ? { value, ci } : { value };
}

/** Mean of the finite entries (NaN when none). */
export function finiteMean(v: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < v.length; i++) {
    if (Number.isFinite(v[i])) {
      s += v[i];
      c++;
    }
  }
  return c ? s / c : Number.NaN;
}

/** Bootstrap a mean of per-row contributions. */
export function meanMetric(
  contrib: Float64Array,
  seed: number,
  name: string,
  reps: number,
  level: number,
  reason: string,
): Metric {
  const n = contrib.length;
  if (n === 0) return { value: null, reason };
  let s = 0;
  for (const v of contrib) s += v;
  const stream = streamFor(seed, 'evaluate', 'mean', name);
  const w = new Int32Array(n);
  const out = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    multinomialCounts(n, stream, w);
    let t = 0;
    for (let i = 0; i < n; i++) t += w[i] * contrib[i];
    out[r] = t / n;
  }
  return metricFrom(s / n, out, reason, level);
}
