/**
 * TF-IDF vectoriser for the downstream test: word 1–2-grams of the normalised text, sublinear tf,
 * smoothed idf (as scikit-learn's TfidfVectorizer(sublinear_tf=True, ngram_range=(1,2))), rows
 * L2-normalised, CSR output for `trainLogistic`. Hand-written: no maintained TS package emits CSR.
 */
import type { SparseRows } from '../ml/index.js';
import { words } from './normalize.js';

export interface TfidfModel {
  vocabulary: Map<string, number>;
  idf: Float64Array;
  transform(texts: readonly string[]): SparseRows;
}

function terms(text: string, ngram: number): string[] {
  const w = words(text);
  const out = [...w];
  for (let n = 2; n <= ngram; n++)
    for (let i = 0; i + n <= w.length; i++) out.push(w.slice(i, i + n).join(' '));
  return out;
}

export function fitTfidf(
  texts: readonly string[],
  opts: { ngram?: number; minDf?: number } = {},
): TfidfModel {
  const ngram = opts.ngram ?? 2;
  const minDf = opts.minDf ?? 1;
  const df = new Map<string, number>();
  for (const t of texts) for (const term of new Set(terms(t, ngram))) df.set(term, (df.get(term) ?? 0) + 1);
  const vocabulary = new Map<string, number>();
  const kept = [...df.entries()].filter(([, c]) => c >= minDf).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const idf = new Float64Array(kept.length);
  const n = texts.length;
  kept.forEach(([term, c], i) => {
    vocabulary.set(term, i);
    idf[i] = Math.log((1 + n) / (1 + c)) + 1;
  });
  return {
    vocabulary,
    idf,
    transform(batch) {
      const indptr = new Int32Array(batch.length + 1);
      const idx: number[] = [];
      const val: number[] = [];
      batch.forEach((t, r) => {
        const tf = new Map<number, number>();
        for (const term of terms(t, ngram)) {
          const j = vocabulary.get(term);
          if (j !== undefined) tf.set(j, (tf.get(j) ?? 0) + 1);
        }
        const cols = [...tf.keys()].sort((a, b) => a - b);
        let norm = 0;
        const vs = cols.map((j) => {
          const v = (1 + Math.log(tf.get(j)!)) * idf[j];
          norm += v * v;
          return v;
        });
        norm = Math.sqrt(norm) || 1;
        cols.forEach((j, k) => {
          idx.push(j);
          val.push(vs[k] / norm);
        });
        indptr[r + 1] = idx.length;
      });
      return {
        rows: batch.length,
        dim: Math.max(1, idf.length),
        indptr,
        indices: Int32Array.from(idx),
        values: Float64Array.from(val),
      };
    },
  };
}
