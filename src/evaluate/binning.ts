/**
 * Discretising typed columns for the binned metrics. Two schemes, each from a public anchor:
 *  - accuracy bins (Mostly-AI QA): numeric → 10 quantile bins of the real (train) data;
 *    categorical → the 10 most frequent real categories + "(other)". Missing values get their own bin.
 *  - contingency bins (SDMetrics ContingencySimilarity): numeric → 10 equal-width bins over the
 *    real min..max (values outside fall in the first/last bin); categorical → its categories.
 *    Missing values get their own bin.
 * Bins are always learned from the reference (real/train) column and applied to every table.
 */
import type { TypedColumn } from '../ml/index.js';
import { quantileSorted } from './bootstrap.js';

export interface Binned {
  codes: Int32Array;
  nBins: number;
  labels: string[];
}

export interface Binner {
  nBins: number;
  labels: string[];
  apply(col: TypedColumn): Int32Array;
}

const MISSING = '(missing)';
const OTHER = '(other)';

type Fmt = (x: number) => string;

/** Bin edges as short plain numbers: 4 significant digits past 1,000 (11924.6 → 11920), no exponent. */
function fmtNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1000 || a < 0.01 ? String(Number(x.toPrecision(4))) : String(Number(x.toFixed(3)));
}

/** Epoch ms as a date (2024-03-01) or a date-time to the minute (2024-03-01 14:05), UTC. */
function fmtTime(kind: 'date' | 'datetime'): Fmt {
  return (x) => {
    const iso = new Date(x).toISOString();
    return kind === 'date' && iso.slice(11, 23) === '00:00:00.000'
      ? iso.slice(0, 10)
      : iso.slice(0, 16).replace('T', ' ');
  };
}

function finiteSorted(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out[j++] = values[i];
  return out.sort();
}

/** Numeric column → bin = number of cut points strictly below the value (right-closed bins); missing → last bin. */
function cutBinner(cuts: number[], labels: string[]): Binner {
  const nBins = labels.length;
  const missingBin = nBins - 1;
  return {
    nBins,
    labels,
    apply(col) {
      if (col.kind !== 'numeric') throw new Error(`column "${col.name}" is not numeric`);
      const v = col.values;
      const out = new Int32Array(v.length);
      const m = cuts.length;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (Number.isNaN(x)) {
          out[i] = missingBin;
          continue;
        }
        // binary search: count of cuts < x
        let lo = 0;
        let hi = m;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cuts[mid] < x) lo = mid + 1;
          else hi = mid;
        }
        out[i] = lo;
      }
      return out;
    },
  };
}

function rangeLabels(cuts: number[], fmt: Fmt): string[] {
  if (cuts.length === 0) return ['all'];
  const labels = [`≤ ${fmt(cuts[0])}`];
  for (let i = 1; i < cuts.length; i++) labels.push(`(${fmt(cuts[i - 1])}, ${fmt(cuts[i])}]`);
  labels.push(`> ${fmt(cuts[cuts.length - 1])}`);
  return labels;
}

/** Mostly-AI accuracy binner learned from the reference column. */
export function accuracyBinner(ref: TypedColumn, nBins = 10): Binner {
  if (ref.kind === 'numeric') {
    const sorted = finiteSorted(ref.values);
    const cuts: number[] = [];
    if (sorted.length > 0) {
      for (let q = 1; q < nBins; q++) {
        const c = quantileSorted(sorted, q / nBins);
        if (cuts.length === 0 || c > cuts[cuts.length - 1]) cuts.push(c);
      }
      // A cut at the maximum would leave an always-empty top bin; drop it.
      while (cuts.length > 0 && cuts[cuts.length - 1] >= sorted[sorted.length - 1]) cuts.pop();
    }
    const fmt = ref.temporal ? fmtTime(ref.temporal) : fmtNumber;
    return cutBinner(cuts, [...rangeLabels(cuts, fmt), MISSING]);
  }
  const counts = new Float64Array(ref.levels.length);
  for (let i = 0; i < ref.codes.length; i++) if (ref.codes[i] >= 0) counts[ref.codes[i]]++;
  const order = Array.from(counts.keys())
    .filter((k) => counts[k] > 0)
    // Ties broken by the category's text, so the bins do not depend on row order.
    .sort(
      (a, b) =>
        counts[b] - counts[a] || (ref.levels[a] < ref.levels[b] ? -1 : ref.levels[a] > ref.levels[b] ? 1 : 0),
    )
    .slice(0, nBins);
  const map = new Int32Array(ref.levels.length).fill(order.length); // default: (other)
  order.forEach((lvl, i) => {
    map[lvl] = i;
  });
  const labels = [...order.map((l) => ref.levels[l]), OTHER, MISSING];
  const missingBin = labels.length - 1;
  return {
    nBins: labels.length,
    labels,
    apply(col) {
      if (col.kind !== 'categorical') throw new Error(`column "${col.name}" is not categorical`);
      const out = new Int32Array(col.codes.length);
      for (let i = 0; i < out.length; i++) {
        const c = col.codes[i];
        out[i] = c < 0 ? missingBin : c < map.length ? map[c] : order.length;
      }
      return out;
    },
  };
}

/** SDMetrics-style contingency binner (equal width over the reference range for numeric columns). */
export function contingencyBinner(ref: TypedColumn, nBins = 10): Binner {
  if (ref.kind === 'numeric') {
    const sorted = finiteSorted(ref.values);
    if (sorted.length === 0) return cutBinner([], ['all', MISSING]);
    const lo = sorted[0];
    const hi = sorted[sorted.length - 1];
    // np.digitize(x, inner_edges) puts x == edge in the upper bin (left-closed); we emulate that with
    // "count of inner edges ≤ x", implemented as cuts shifted to the next representable value below.
    const inner: number[] = [];
    for (let i = 1; i < nBins; i++) inner.push(lo + ((hi - lo) * i) / nBins);
    const fmt = ref.temporal ? fmtTime(ref.temporal) : fmtNumber;
    const labels: string[] = [];
    for (let i = 0; i < nBins; i++)
      labels.push(`[${fmt(lo + ((hi - lo) * i) / nBins)}, ${fmt(lo + ((hi - lo) * (i + 1)) / nBins)})`);
    labels.push(MISSING);
    return {
      nBins: labels.length,
      labels,
      apply(col) {
        if (col.kind !== 'numeric') throw new Error(`column "${col.name}" is not numeric`);
        const out = new Int32Array(col.values.length);
        for (let i = 0; i < out.length; i++) {
          const x = col.values[i];
          if (Number.isNaN(x)) {
            out[i] = nBins;
            continue;
          }
          let b = 0;
          while (b < inner.length && inner[b] <= x) b++;
          out[i] = b;
        }
        return out;
      },
    };
  }
  const n = ref.levels.length;
  return {
    nBins: n + 1,
    labels: [...ref.levels, MISSING],
    apply(col) {
      if (col.kind !== 'categorical') throw new Error(`column "${col.name}" is not categorical`);
      const out = new Int32Array(col.codes.length);
      for (let i = 0; i < out.length; i++) {
        const c = col.codes[i];
        out[i] = c < 0 || c >= n ? n : c;
      }
      return out;
    },
  };
}
