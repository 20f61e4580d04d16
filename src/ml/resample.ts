/** Seeded resampling: stratified folds, bootstrap intervals, index samples. */
import { StrataError } from '../errors.js';
import { shuffleInPlace } from '../random/shuffle.js';
import { streamFor } from '../random/stream.js';

/** Fold id (0..k-1) per row; each class is spread evenly over the folds in a seeded order. */
export function stratifiedFolds(y: Int32Array, k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 2) {
    throw new StrataError('ml.folds', `need at least 2 folds, got ${k}`, { path: 'folds' }, 'use k ≥ 2');
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    let list = byClass.get(y[i]);
    if (!list) {
      list = [];
      byClass.set(y[i], list);
    }
    list.push(i);
  }
  const folds = new Int32Array(y.length);
  const s = streamFor(seed, 'ml', 'stratified-folds');
  // Continue the fold counter across classes so small classes do not all land in fold 0.
  let offset = 0;
  for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = Int32Array.from(byClass.get(cls)!);
    shuffleInPlace(idx, s);
    for (let t = 0; t < idx.length; t++) folds[idx[t]] = (offset + t) % k;
    offset = (offset + idx.length) % k;
  }
  return folds;
}

/** Percentile bootstrap: statistic on rows resampled with replacement. */
export function bootstrapCI(
  n: number,
  statistic: (idx: Int32Array) => number,
  opts: { reps?: number; level?: number; seed?: number } = {},
): { estimate: number; low: number; high: number } {
  const reps = opts.reps ?? 200;
  const level = opts.level ?? 0.95;
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const estimate = statistic(all);
  const s = streamFor(opts.seed ?? 0, 'ml', 'bootstrap');
  const stats: number[] = [];
  const idx = new Int32Array(n);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < n; i++) idx[i] = s.nextInt(n);
    const v = statistic(idx);
    if (!Number.isNaN(v)) stats.push(v);
  }
  if (stats.length === 0) return { estimate, low: Number.NaN, high: Number.NaN };
  stats.sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  return { estimate, low: quantileSorted(stats, alpha), high: quantileSorted(stats, 1 - alpha) };
}

/** Linear-interpolated quantile (type 7) of a sorted array. */
function quantileSorted(a: readonly number[], q: number): number {
  const h = (a.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, a.length - 1);
  return a[lo] + (h - lo) * (a[hi] - a[lo]);
}

/** m distinct indices of 0..n-1, seeded, sorted ascending (m ≥ n gives all of them). */
export function sampleIndices(n: number, m: number, seed: number): Int32Array {
  const s = streamFor(seed, 'ml', 'sample-indices');
  if (m >= n) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  // Partial Fisher–Yates over a virtual identity array (a Map holds only swapped slots) so the
  // cost is O(m), not O(n), when taking a few rows from a huge table.
  const swapped = new Map<number, number>();
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const j = i + s.nextInt(n - i);
    const vj = swapped.get(j) ?? j;
    const vi = swapped.get(i) ?? i;
    swapped.set(j, vi);
    out[i] = vj;
  }
  return out.sort();
}
