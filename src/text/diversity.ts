/**
 * Diversity, coverage and leakage figures for text sets, on the offline hashed n-gram embedding:
 * distinct-n, compression ratio, self-similarity, Vendi score, kNN coverage/density (Naeem et al.
 * 2020) of real by synthetic, and nearest-real similarity (leakage).
 */
import { gzipSync } from 'node:zlib';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { DenseQuery, type SparseVec } from './embed.js';
import { words } from './normalize.js';

/** Unique word n-grams / all word n-grams (Li et al. 2016). */
export function distinctN(texts: readonly string[], n: number): number {
  const seen = new Set<string>();
  let total = 0;
  for (const t of texts) {
    const w = words(t);
    for (let i = 0; i + n <= w.length; i++) {
      seen.add(w.slice(i, i + n).join(' '));
      total++;
    }
  }
  return total === 0 ? 0 : seen.size / total;
}

/** Raw bytes / gzip bytes of the texts joined by newlines: higher means more repetitive. */
export function compressionRatio(texts: readonly string[]): number {
  const raw = Buffer.from(texts.join('\n'), 'utf8');
  if (raw.length === 0) return 0;
  return raw.length / gzipSync(raw, { level: 9 }).length;
}

/** Mean pairwise cosine (i < j). */
export function selfSimilarity(vecs: readonly SparseVec[]): number {
  let s = 0;
  let n = 0;
  const q = new DenseQuery();
  for (let i = 0; i < vecs.length; i++) {
    q.set(vecs[i]);
    for (let j = i + 1; j < vecs.length; j++) {
      s += q.dot(vecs[j]);
      n++;
    }
  }
  return n === 0 ? 0 : s / n;
}

/**
 * Vendi score (Friedman & Dieng 2023): exp of the Shannon entropy of the eigenvalues of K/n, with
 * K the cosine-similarity matrix. 1 = all identical, n = all orthogonal.
 */
export function vendiScore(vecs: readonly SparseVec[]): number {
  const n = vecs.length;
  if (n === 0) return 0;
  const K = new Matrix(n, n);
  const q = new DenseQuery();
  for (let i = 0; i < n; i++) {
    K.set(i, i, 1 / n);
    q.set(vecs[i]);
    for (let j = i + 1; j < n; j++) {
      const c = q.dot(vecs[j]) / n;
      K.set(i, j, c);
      K.set(j, i, c);
    }
  }
  const ev = new EigenvalueDecomposition(K, { assumeSymmetric: true }).realEigenvalues;
  let h = 0;
  for (const l of ev) if (l > 1e-12) h -= l * Math.log(l);
  return Math.exp(h);
}

/** Cosine distance from pool[i] to its k-th nearest other point of the pool. */
export function kthNearestDistance(i: number, pool: readonly SparseVec[], k: number, q: DenseQuery): number {
  // keep the k smallest distances in a small sorted buffer (no full sort per point)
  const best = new Float64Array(k).fill(Infinity);
  q.set(pool[i]);
  for (let j = 0; j < pool.length; j++) {
    if (j === i) continue;
    const d = 1 - q.dot(pool[j]);
    if (d >= best[k - 1]) continue;
    let p = k - 1;
    while (p > 0 && best[p - 1] > d) {
      best[p] = best[p - 1];
      p--;
    }
    best[p] = d;
  }
  return best[Math.min(k, pool.length - 1) - 1] ?? Infinity;
}

/**
 * kNN coverage and density of real by synthetic (Naeem et al. 2020), distance = 1 − cosine.
 * Coverage: share of real points whose k-NN ball (among real) contains a synthetic point.
 * Density: mean over synthetic of (number of real balls containing it) / k.
 */
export function knnCoverageDensity(
  real: readonly SparseVec[],
  synth: readonly SparseVec[],
  k = 5,
): { coverage: number; density: number } {
  if (real.length <= k || synth.length === 0) return { coverage: Number.NaN, density: Number.NaN };
  const q = new DenseQuery();
  const radius = real.map((_, i) => kthNearestDistance(i, real, k, q));
  let covered = 0;
  const inBalls = new Float64Array(synth.length);
  for (let i = 0; i < real.length; i++) {
    let hit = false;
    q.set(real[i]);
    for (let j = 0; j < synth.length; j++) {
      if (1 - q.dot(synth[j]) <= radius[i]) {
        hit = true;
        inBalls[j]++;
      }
    }
    if (hit) covered++;
  }
  let dens = 0;
  for (const v of inBalls) dens += v;
  return { coverage: covered / real.length, density: dens / (k * synth.length) };
}

/** For each query, the largest cosine to any reference vector. */
export function nearestSimilarities(query: readonly SparseVec[], ref: readonly SparseVec[]): Float64Array {
  const out = new Float64Array(query.length);
  const q = new DenseQuery();
  for (let i = 0; i < query.length; i++) {
    let m = 0;
    q.set(query[i]);
    for (const r of ref) {
      const c = q.dot(r);
      if (c > m) m = c;
    }
    out[i] = m;
  }
  return out;
}

export function quantile(xs: ArrayLike<number>, q: number): number {
  const a = Array.from(xs).sort((x, y) => x - y);
  if (a.length === 0) return Number.NaN;
  const h = (a.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, a.length - 1);
  return a[lo] + (h - lo) * (a[hi] - a[lo]);
}
