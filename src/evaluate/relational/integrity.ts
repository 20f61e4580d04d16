/**
 * Keys and foreign keys of one table set compared with the real one: key uniqueness, foreign-key
 * integrity (orphans), and the distribution of children per parent row (1 − TVD, parents with no
 * child included) — pure functions over raw tables.
 */
import type { RawTable } from '../../io/index.js';
import { accuracyBinner } from '../binning.js';
import type { Metric } from '../types.js';
import type { RefLink } from './links.js';
import { columnOf, keyValues } from './tables.js';
import type { CountHistogram } from './types.js';

export function share(part: number, whole: number, reason: string): Metric {
  return whole > 0 ? { value: part / whole } : { value: null, reason };
}

export interface KeyFigures {
  unique: Metric;
  duplicates: number;
  missing: number;
}

export function keyFigures(t: RawTable, column: string): KeyFigures {
  const vals = keyValues(columnOf(t, column) ?? []);
  const seen = new Map<string, number>();
  let missing = 0;
  for (const v of vals) {
    if (v === null) missing++;
    else seen.set(v, (seen.get(v) ?? 0) + 1);
  }
  let once = 0;
  let duplicates = 0;
  for (const c of seen.values()) {
    if (c === 1) once++;
    else duplicates += c;
  }
  return { unique: share(once, t.rowCount, 'the table has no rows'), duplicates, missing };
}

export interface ForeignKeyFigures {
  integrity: Metric;
  orphans: number;
  missing: number;
  /** Children per parent row, one entry per parent row. */
  counts: Int32Array;
}

export function foreignKeyFigures(child: RawTable, parent: RawTable, link: RefLink): ForeignKeyFigures {
  const keys = keyValues(columnOf(parent, link.parentColumn) ?? []);
  const index = new Map<string, number>();
  keys.forEach((k, i) => {
    if (k !== null && !index.has(k)) index.set(k, i);
  });
  const counts = new Int32Array(parent.rowCount);
  let orphans = 0;
  let missing = 0;
  let present = 0;
  for (const v of keyValues(columnOf(child, link.column) ?? [])) {
    if (v === null) {
      missing++;
      continue;
    }
    present++;
    const p = index.get(v);
    if (p === undefined) orphans++;
    else counts[p]++;
  }
  return {
    integrity: share(present - orphans, present, 'no child row has a foreign key'),
    orphans,
    missing,
    counts,
  };
}

/** Count bins 0, 1, …, up to this many; beyond, counts are binned by real quantiles. */
const MAX_COUNT_BINS = 25;

interface CountBins {
  nBins: number;
  labels: string[];
  bin(c: number): number;
}

/**
 * Bins for counts from the real counts: one per value when the real maximum is small (plus an open
 * last bin), else the accuracy bins of fidelity (real deciles) — hundreds of events per parent in
 * one-value bins would make 1 − TVD measure sampling noise.
 */
export function countBins(real: ArrayLike<number>): CountBins {
  let max = 0;
  for (let i = 0; i < real.length; i++) max = Math.max(max, real[i]);
  if (max < MAX_COUNT_BINS) {
    const nBins = max + 2;
    const labels = Array.from({ length: nBins }, (_, k) => (k === nBins - 1 ? `>${nBins - 2}` : String(k)));
    return { nBins, labels, bin: (c) => Math.min(c, nBins - 1) };
  }
  const numeric = (values: Float64Array) => ({
    name: 'count',
    kind: 'numeric' as const,
    values,
    integer: true,
  });
  const binner = accuracyBinner(numeric(Float64Array.from(real)));
  const one = new Float64Array(1);
  return {
    nBins: binner.nBins,
    labels: binner.labels,
    bin: (c) => {
      one[0] = c;
      return binner.apply(numeric(one))[0];
    },
  };
}

function histogram(counts: ArrayLike<number>, nBins: number, bin: (c: number) => number): number[] {
  const h = new Array<number>(nBins).fill(0);
  for (let i = 0; i < counts.length; i++) h[bin(counts[i])]++;
  return h;
}

/** 1 − TVD between two count histograms (null when a side is empty). */
export function tvdComplement(a: readonly number[], b: readonly number[], reason: string): Metric {
  const ta = a.reduce((s, x) => s + x, 0);
  const tb = b.reduce((s, x) => s + x, 0);
  if (ta === 0 || tb === 0) return { value: null, reason };
  let d = 0;
  for (let k = 0; k < a.length; k++) d += Math.abs(a[k] / ta - b[k] / tb);
  return { value: 1 - d / 2 };
}

/** 1 − TVD of two samples of counts on the real sample's bins, with the histogram. */
export function countAccuracy(
  real: ArrayLike<number>,
  other: ArrayLike<number>,
  reason: string,
): { accuracy: Metric; histogram: CountHistogram } {
  const b = countBins(real);
  const hr = histogram(real, b.nBins, b.bin);
  const ho = histogram(other, b.nBins, b.bin);
  return {
    accuracy: tvdComplement(hr, ho, reason),
    histogram: { labels: b.labels, real: hr, synthetic: ho },
  };
}
