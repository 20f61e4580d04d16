/**
 * Multinomial logistic regression with L2, trained by seeded per-row SGD.
 *
 * Dense input is standardised internally (NaN → 0 after standardising) and categorical columns are
 * one-hot encoded (their most frequent levels); sparse CSR input (TF-IDF and hashed n-grams) is used
 * as is. The L2 shrink is applied through a global weight scale (Bottou's trick), so an update costs
 * O(non-zeros of the row), not O(dimension): that is what makes wide sparse text features cheap,
 * and it is why this is ours rather than a dense-only library.
 */
import { StrataError } from '../errors.js';
import { shuffleInPlace } from '../random/shuffle.js';
import { streamFor } from '../random/stream.js';
import type { FeatureMatrix } from './features.js';

export interface SparseRows {
  rows: number;
  dim: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** CSR rows of a `rows × dim` matrix given cell by cell, keeping only the non-zeros. */
export function sparseRows(
  rows: number,
  dim: number,
  valueAt: (row: number, col: number) => number,
): SparseRows {
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dim; j++) {
      const v = valueAt(r, j);
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    }
    indptr[r + 1] = indices.length;
  }
  return { rows, dim, indptr, indices: Int32Array.from(indices), values: Float64Array.from(values) };
}

export interface LogisticOptions {
  l2?: number;
  epochs?: number;
  learningRate?: number;
  seed?: number;
  classWeight?: 'balanced' | null;
}

export interface LogisticModel {
  nClasses: number;
  predictProba(X: SparseRows | FeatureMatrix): Float64Array;
  /**
   * The fitted linear scores: class c's score is bias[c] + Σ_j weights[j·K + c]·x_j, in the input's
   * own feature space for sparse rows (dense input is standardised and one-hot encoded first).
   */
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/** Most one-hot columns a categorical feature gets; rarer levels share the all-zero encoding. */
const MAX_ONE_HOT = 64;

function isSparse(X: SparseRows | FeatureMatrix): X is SparseRows {
  return 'indptr' in X;
}

/** Row access in one shape for both inputs: (indices, values, length) of row i. */
interface RowSource {
  rows: number;
  dim: number;
  row(i: number): { idx: Int32Array; val: Float64Array; len: number; off: number };
}

function sparseSource(X: SparseRows): RowSource {
  for (let k = 0; k < X.indices.length; k++) {
    if (X.indices[k] < 0 || X.indices[k] >= X.dim) {
      throw new StrataError(
        'ml.sparse_index',
        `sparse column index ${X.indices[k]} is outside 0..${X.dim - 1}`,
        { path: `indices[${k}]` },
        'set dim to the vocabulary size',
      );
    }
  }
  const out = { idx: X.indices, val: X.values, len: 0, off: 0 };
  return {
    rows: X.rows,
    dim: X.dim,
    row(i) {
      out.off = X.indptr[i];
      out.len = X.indptr[i + 1] - X.indptr[i];
      return out;
    },
  };
}

/** How a dense matrix is turned into model inputs; fitted on the training matrix. */
interface DenseEncoding {
  cols: number;
  dim: number;
  /** Per input column: first output slot. */
  offset: Int32Array;
  mean: Float64Array;
  sd: Float64Array;
  /** Per categorical column: code → slot within its block (-1: none). */
  codeSlot: (Int32Array | null)[];
}

function fitDenseEncoding(X: FeatureMatrix): DenseEncoding {
  const { rows, cols, data } = X;
  const offset = new Int32Array(cols);
  const mean = new Float64Array(cols);
  const sd = new Float64Array(cols).fill(1);
  const codeSlot: (Int32Array | null)[] = [];
  let dim = 0;
  for (let j = 0; j < cols; j++) {
    offset[j] = dim;
    if (X.categorical[j]) {
      const counts = new Map<number, number>();
      for (let i = 0; i < rows; i++) {
        const v = data[i * cols + j];
        if (Number.isInteger(v) && v >= 0) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, MAX_ONE_HOT);
      const maxCode = top.reduce((m, [c]) => Math.max(m, c), -1);
      const slots = new Int32Array(maxCode + 1).fill(-1);
      top.forEach(([code], k) => {
        slots[code] = k;
      });
      codeSlot.push(slots);
      dim += top.length;
      continue;
    }
    codeSlot.push(null);
    let s = 0;
    let s2 = 0;
    let c = 0;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + j];
      if (Number.isNaN(v)) continue;
      s += v;
      s2 += v * v;
      c++;
    }
    if (c > 0) {
      mean[j] = s / c;
      const variance = Math.max(s2 / c - mean[j] * mean[j], 0);
      sd[j] = variance > 1e-24 ? Math.sqrt(variance) : 1;
    }
    dim += 1;
  }
  return { cols, dim, offset, mean, sd, codeSlot };
}

function denseSource(X: FeatureMatrix, enc: DenseEncoding): RowSource {
  if (X.cols !== enc.cols) {
    throw new StrataError(
      'ml.feature_count',
      `model was trained on ${enc.cols} features but got ${X.cols}`,
      {},
      'predict with a matrix built the same way as the training matrix',
    );
  }
  const idx = new Int32Array(enc.dim);
  for (let k = 0; k < enc.dim; k++) idx[k] = k;
  const val = new Float64Array(enc.dim);
  const out = { idx, val, len: enc.dim, off: 0 };
  const { cols, data } = X;
  return {
    rows: X.rows,
    dim: enc.dim,
    row(i) {
      val.fill(0);
      for (let j = 0; j < cols; j++) {
        const v = data[i * cols + j];
        const slots = enc.codeSlot[j];
        if (slots) {
          if (Number.isInteger(v) && v >= 0 && v < slots.length && slots[v] >= 0)
            val[enc.offset[j] + slots[v]] = 1;
        } else {
          const z = (v - enc.mean[j]) / enc.sd[j];
          val[enc.offset[j]] = Number.isNaN(z) ? 0 : z;
        }
      }
      return out;
    },
  };
}

/** Softmax scores of one row into `p` (weights are scale × w, dim × K row-major). */
function rowProba(
  r: { idx: Int32Array; val: Float64Array; len: number; off: number },
  w: Float64Array,
  scale: number,
  bias: Float64Array,
  K: number,
  p: Float64Array,
): void {
  p.fill(0);
  const { idx, val, len, off } = r;
  for (let t = off; t < off + len; t++) {
    const x = val[t];
    if (x === 0) continue;
    const base = idx[t] * K;
    for (let c = 0; c < K; c++) p[c] += x * w[base + c];
  }
  let mx = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < K; c++) {
    p[c] = p[c] * scale + bias[c];
    if (p[c] > mx) mx = p[c];
  }
  let sum = 0;
  for (let c = 0; c < K; c++) {
    p[c] = Math.exp(p[c] - mx);
    sum += p[c];
  }
  for (let c = 0; c < K; c++) p[c] /= sum;
}

export function trainLogistic(
  X: SparseRows | FeatureMatrix,
  y: Int32Array,
  nClasses: number,
  opts: LogisticOptions = {},
): LogisticModel {
  if (!Number.isInteger(nClasses) || nClasses < 2) {
    throw new StrataError('ml.classes', `need at least 2 classes, got ${nClasses}`, { path: 'nClasses' });
  }
  if (y.length !== X.rows) {
    throw new StrataError('ml.label_count', `got ${y.length} labels for ${X.rows} rows`, { path: 'y' });
  }
  const l2 = opts.l2 ?? 1e-4;
  const epochs = opts.epochs ?? 20;
  const lr0 = opts.learningRate ?? 0.1;
  const K = nClasses;
  const enc = isSparse(X) ? null : fitDenseEncoding(X);
  const src = isSparse(X) ? sparseSource(X) : denseSource(X, enc!);
  const n = src.rows;

  const classW = new Float64Array(K).fill(1);
  const counts = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    if (y[i] < 0 || y[i] >= K) {
      throw new StrataError('ml.label_range', `label ${y[i]} is outside 0..${K - 1}`, { path: `y[${i}]` });
    }
    counts[y[i]]++;
  }
  if (opts.classWeight === 'balanced') {
    for (let c = 0; c < K; c++) classW[c] = counts[c] > 0 ? n / (K * counts[c]) : 0;
  }

  const w = new Float64Array(src.dim * K);
  const bias = new Float64Array(K);
  for (let c = 0; c < K; c++) bias[c] = Math.log((counts[c] + 1) / (n + K));
  let scale = 1;
  const p = new Float64Array(K);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const s = streamFor(opts.seed ?? 0, 'ml', 'logistic');

  for (let e = 0; e < epochs; e++) {
    shuffleInPlace(order, s);
    // Step size decays as 1/sqrt(epoch) so late epochs refine instead of bouncing.
    const lr = lr0 / Math.sqrt(1 + e);
    for (let q = 0; q < n; q++) {
      const i = order[q];
      const r = src.row(i);
      rowProba(r, w, scale, bias, K, p);
      const cw = classW[y[i]];
      scale *= 1 - lr * l2;
      if (scale < 1e-9) {
        for (let k = 0; k < w.length; k++) w[k] *= scale;
        scale = 1;
      }
      const step = (lr * cw) / scale;
      for (let c = 0; c < K; c++) {
        const err = p[c] - (y[i] === c ? 1 : 0);
        p[c] = err;
        bias[c] -= lr * cw * err;
      }
      const { idx, val, len, off } = r;
      for (let t = off; t < off + len; t++) {
        const x = val[t];
        if (x === 0) continue;
        const base = idx[t] * K;
        for (let c = 0; c < K; c++) w[base + c] -= step * p[c] * x;
      }
    }
  }
  const finalW = w.map((v) => v * scale);

  return {
    nClasses: K,
    weights: finalW,
    bias,
    predictProba(Xp: SparseRows | FeatureMatrix): Float64Array {
      let source: RowSource;
      if (isSparse(Xp)) {
        if (enc) {
          throw new StrataError(
            'ml.input_kind',
            'model was trained on a dense matrix but got sparse rows',
            {},
          );
        }
        if (Xp.dim !== src.dim) {
          throw new StrataError(
            'ml.feature_count',
            `model has dimension ${src.dim} but rows have ${Xp.dim}`,
            {},
          );
        }
        source = sparseSource(Xp);
      } else {
        if (!enc) {
          throw new StrataError(
            'ml.input_kind',
            'model was trained on sparse rows but got a dense matrix',
            {},
          );
        }
        source = denseSource(Xp, enc);
      }
      const out = new Float64Array(source.rows * K);
      for (let i = 0; i < source.rows; i++) {
        rowProba(source.row(i), finalW, 1, bias, K, p);
        out.set(p, i * K);
      }
      return out;
    },
  };
}
