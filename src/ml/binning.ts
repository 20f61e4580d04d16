/**
 * Feature binning for the histogram GBDT: each feature's values map to small integer bins once,
 * before training. Bin 0 is always "missing"; numeric bins come from quantiles (or midpoints between
 * distinct values when there are few), categorical bins are the most frequent codes with the rest
 * pooled in one "other" bin.
 */
import type { FeatureMatrix } from './features.js';
import { sampleIndices } from './resample.js';

export interface BinMapper {
  categorical: boolean;
  /** Numeric: sorted upper edges; value v goes to bin 1 + #(edges < v). */
  edges: Float64Array;
  /** Categorical: code → bin (0 = missing / unseen). */
  codeToBin: Int32Array;
  /** Total bins including the missing bin 0 (≤ 256). */
  nBins: number;
}

/** Rows used to place bin edges: all of them up to this many, else a seeded sample. */
const EDGE_SAMPLE = 200_000;

function numericMapper(values: Float64Array, maxBins: number): BinMapper {
  const present = values.filter((v) => !Number.isNaN(v)).sort();
  const distinct: number[] = [];
  for (let i = 0; i < present.length; i++)
    if (i === 0 || present[i] !== present[i - 1]) distinct.push(present[i]);
  let edges: number[];
  if (distinct.length <= maxBins) {
    edges = [];
    for (let k = 0; k + 1 < distinct.length; k++) edges.push((distinct[k] + distinct[k + 1]) / 2);
  } else {
    edges = [];
    for (let b = 1; b < maxBins; b++) {
      const e = present[Math.floor((b * present.length) / maxBins) - 1];
      if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
    }
    if (edges.length > 0 && edges[edges.length - 1] >= present[present.length - 1]) edges.pop();
  }
  return {
    categorical: false,
    edges: Float64Array.from(edges),
    codeToBin: new Int32Array(0),
    nBins: edges.length + 2,
  };
}

function categoricalMapper(values: Float64Array, maxBins: number): BinMapper {
  const counts = new Map<number, number>();
  for (const v of values) {
    if (Number.isInteger(v) && v >= 0) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const byFreq = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const maxCode = byFreq.reduce((m, [c]) => Math.max(m, c), -1);
  const codeToBin = new Int32Array(maxCode + 1);
  const own = byFreq.length <= maxBins ? byFreq.length : maxBins - 1;
  byFreq.forEach(([code], k) => {
    codeToBin[code] = k < own ? k + 1 : own + 1;
  });
  const nBins = 1 + own + (byFreq.length > own ? 1 : 0);
  return { categorical: true, edges: new Float64Array(0), codeToBin, nBins };
}

/** Column j of a row-major matrix (optionally only some rows). */
function column(X: FeatureMatrix, j: number, rows?: Int32Array): Float64Array {
  const n = rows ? rows.length : X.rows;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = X.data[(rows ? rows[t] : t) * X.cols + j];
  return out;
}

export function fitBinMappers(X: FeatureMatrix, maxBins: number, seed: number): BinMapper[] {
  const rows = X.rows > EDGE_SAMPLE ? sampleIndices(X.rows, EDGE_SAMPLE, seed) : undefined;
  const mappers: BinMapper[] = [];
  for (let j = 0; j < X.cols; j++) {
    const values = column(X, j, rows);
    mappers.push(X.categorical[j] ? categoricalMapper(values, maxBins) : numericMapper(values, maxBins));
  }
  return mappers;
}

function binOf(m: BinMapper, v: number): number {
  if (Number.isNaN(v)) return 0;
  if (m.categorical) return Number.isInteger(v) && v >= 0 && v < m.codeToBin.length ? m.codeToBin[v] : 0;
  const e = m.edges;
  let lo = 0;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (e[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/** Row-major bins (rows × features): a row's bins sit together, which is what histogram building reads. */
export function applyBins(X: FeatureMatrix, mappers: readonly BinMapper[]): Uint8Array {
  const { rows, cols, data } = X;
  const out = new Uint8Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const m = mappers[j];
    for (let i = 0; i < rows; i++) out[i * cols + j] = binOf(m, data[i * cols + j]);
  }
  return out;
}
