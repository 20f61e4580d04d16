/**
 * The cell verifier of `text augment`: a nearest-centroid classifier on the TF-IDF vectors of the
 * real training texts (all labels). A candidate is kept only when its own label's centroid is the
 * closest one. Centroids suit the few-example cells augmentation is for: they need no training
 * run, weigh a 5-example class like a 500-example one, and say "this drifted towards another
 * intent" — what a substitution with the wrong sense, or a recombination of unrelated halves, does.
 */

import { fitTfidf } from '../tfidf.js';
import type { SyncLabeller } from '../verify.js';

export interface CentroidVerifier extends SyncLabeller {
  readonly labels: readonly string[];
  /** Scores (cosine to each centroid) of many texts; row-major texts × labels. */
  scoreMany(texts: readonly string[]): Float64Array;
}

export function centroidVerifier(real: readonly { text: string; label: string }[]): CentroidVerifier {
  const labels = [...new Set(real.map((r) => r.label))].sort();
  const code = new Map(labels.map((l, i) => [l, i]));
  const K = labels.length;
  const tf = fitTfidf(real.map((r) => r.text));
  const X = tf.transform(real.map((r) => r.text));
  const dim = X.dim;
  // sum of rows per class, then L2-normalised: stored inverted (term → classes) for sparse scoring
  const sums = new Map<number, Float64Array>();
  for (let i = 0; i < X.rows; i++) {
    const c = code.get(real[i].label)!;
    for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++) {
      let v = sums.get(X.indices[t]);
      if (!v) {
        v = new Float64Array(K);
        sums.set(X.indices[t], v);
      }
      v[c] += X.values[t];
    }
  }
  const norm = new Float64Array(K);
  for (const v of sums.values()) for (let c = 0; c < K; c++) norm[c] += v[c] * v[c];
  for (let c = 0; c < K; c++) norm[c] = Math.sqrt(norm[c]) || 1;
  const inv = new Array<Float64Array | undefined>(dim);
  for (const [j, v] of sums) {
    for (let c = 0; c < K; c++) v[c] /= norm[c];
    inv[j] = v;
  }
  const scoreMany = (texts: readonly string[]) => {
    const Q = tf.transform(texts);
    const out = new Float64Array(texts.length * K);
    for (let i = 0; i < Q.rows; i++)
      for (let t = Q.indptr[i]; t < Q.indptr[i + 1]; t++) {
        const v = inv[Q.indices[t]];
        if (!v) continue;
        const x = Q.values[t];
        for (let c = 0; c < K; c++) out[i * K + c] += x * v[c];
      }
    return out;
  };
  return {
    name: 'centroid',
    labels,
    scoreMany,
    label(text) {
      const s = scoreMany([text]);
      let best = -1;
      for (let c = 0; c < K; c++) if (best < 0 || s[c] > s[best]) best = c;
      return best < 0 || s[best] <= 0 ? { label: null, score: 0 } : { label: labels[best], score: s[best] };
    },
  };
}
