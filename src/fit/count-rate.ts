/**
 * Children per parent row as a rate per unit of the parent's size: count = size × rate, the rate
 * an empirical law (`dist: { empirical: { knots, atoms, scale: parent.los } }`).
 *
 * counts.ts learns the count given binned parent columns: within a bin the count does not grow
 * with the parent. For a sequence inside a parent interval (events of an ICU stay) that draws, for
 * a short stay of the longest bin, as many events as for a long one, and the rows have no room:
 * the MIMIC-III demo's OUTPUTEVENTS count given `parent.los` in 3 bins (4.4% zeros, up to 1,357
 * events) left too many events for short stays, squeezed onto the stay's end as ties.
 *
 * Candidate sizes: positive numeric parent columns and the length in days of each ordered pair
 * of parent times. The rate form is written when it beats, on 5-fold held-out log-likelihood of
 * the exact counts, the same law family fitted on the counts directly, unconditioned or per
 * quantile bin of the size (2–4 bins). Pure functions.
 */

import { nameMap } from '../names.js';
import { atomsFromRecord, Empirical } from '../random/empirical.js';
import type { Dist } from '../spec/schema.js';
import { empiricalFromValues, frequentValues } from './empirical.js';
import { binOf, quantileCuts } from './quantile-bins.js';

export interface SizeCandidate {
  /** The expression the law is scaled by (`parent.los`, `(parent.outtime - parent.intime) / 86400000`). */
  expr: string;
  /** The parent columns it reads (the count's `given`). */
  given: string[];
  /** Its value per parent row (NaN: unknown). */
  values: Float64Array;
}

export interface CountRate {
  size: SizeCandidate;
  dist: Dist;
  /** Held-out log-likelihood per parent row: the rate form, and the best direct form. */
  rateLogLik: number;
  directLogLik: number;
  /** Bins of the size of the best direct form (1 = unconditioned). */
  directBins: number;
}

const FOLDS = 5;
const round = (x: number, d: number) => Number(x.toPrecision(d));

/** An empirical law of xs (point masses for values on ≥ 1% and ≥ minCount rows), as a Dist. */
function lawOf(xs: readonly number[], minCount: number): Dist {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const atomSet = frequentValues(xs, 0.01, minCount, 50);
  const m = empiricalFromValues(xs, atomSet, { width: 0, anchor: 'centre', lo, hi });
  let knots = (m.knots ?? [...atomSet].slice(0, 1)).map((k) => round(k, 6));
  if (knots.length === 0) knots = [0];
  if (knots.length < 2) knots = [knots[0], knots[0]];
  const atoms: Record<string, number> = nameMap();
  for (const [a, p] of [...m.atoms].sort((x, y) => x[0] - y[0])) {
    const q = Math.floor(p * 1e6) / 1e6;
    if (q > 0) atoms[String(round(a, 6))] = q;
  }
  return { empirical: { knots, ...(Object.keys(atoms).length > 0 ? { atoms } : {}) } } as Dist;
}

function asEmpirical(d: Dist): Empirical {
  const e = (d as { empirical: { knots: number[]; atoms?: Record<string, number> } }).empirical;
  return new Empirical(e.knots, atomsFromRecord(e.atoms));
}

/** P(count = c) under a law of counts (c's integer cell), or of rates scaled by `size`. */
function countMass(law: Empirical, c: number, size = 1): number {
  const lo = c === 0 ? Number.NEGATIVE_INFINITY : (c - 0.5) / size;
  return law.mass(lo, (c + 0.5) / size - 1e-12);
}

/** Held-out log-likelihood per row of the counts, fitted directly per quantile bin of the size. */
function directScore(counts: Int32Array, size: Float64Array, bins: number, minCount: number): number {
  let ll = 0;
  for (let f = 0; f < FOLDS; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < counts.length; i++) (i % FOLDS === f ? test : train).push(i);
    const breaks =
      bins === 1
        ? []
        : quantileCuts(
            train.map((i) => size[i]),
            bins,
          );
    const byBin: number[][] = Array.from({ length: breaks.length + 1 }, () => []);
    for (const i of train) byBin[binOf(breaks, size[i])].push(counts[i]);
    if (byBin.some((b) => b.length < 2)) return Number.NEGATIVE_INFINITY;
    const laws = byBin.map((b) => asEmpirical(lawOf(b, minCount)));
    for (const i of test) ll += Math.log(Math.max(1e-12, countMass(laws[binOf(breaks, size[i])], counts[i])));
  }
  return ll / counts.length;
}

/** Held-out log-likelihood per row of the counts as size × rate. */
function rateScore(counts: Int32Array, size: Float64Array, minCount: number): number {
  let ll = 0;
  for (let f = 0; f < FOLDS; f++) {
    const rates: number[] = [];
    counts.forEach((c, i) => {
      if (i % FOLDS !== f) rates.push(c / size[i]);
    });
    const law = asEmpirical(lawOf(rates, minCount));
    counts.forEach((c, i) => {
      if (i % FOLDS === f) ll += Math.log(Math.max(1e-12, countMass(law, c, size[i])));
    });
  }
  return ll / counts.length;
}

/**
 * The best rate form over the candidate sizes, when it beats the direct forms held out; else
 * undefined. Needs ≥ 50 parent rows and a size known and positive on every one.
 */
export function fitCountRate(
  counts: Int32Array,
  sizes: readonly SizeCandidate[],
  minCount: number,
): CountRate | undefined {
  if (counts.length < 50) return undefined;
  let best: CountRate | undefined;
  for (const size of sizes) {
    if (size.values.some((v) => !(v > 0) || !Number.isFinite(v))) continue;
    const rateLogLik = rateScore(counts, size.values, minCount);
    let directLogLik = Number.NEGATIVE_INFINITY;
    let directBins = 1;
    for (const bins of [1, 2, 3, 4]) {
      const s = directScore(counts, size.values, bins, minCount);
      if (s > directLogLik) {
        directLogLik = s;
        directBins = bins;
      }
    }
    if (rateLogLik <= directLogLik) continue;
    if (best && rateLogLik - best.rateLogLik <= 0) continue;
    const rates = Array.from(counts, (c, i) => c / size.values[i]);
    const law = lawOf(rates, minCount) as { empirical: Record<string, unknown> };
    best = {
      size,
      dist: { empirical: { ...law.empirical, scale: size.expr } } as Dist,
      rateLogLik,
      directLogLik,
      directBins,
    };
  }
  return best;
}
