/**
 * Offline text embedding: hashed character n-gram vectors (n = 3..5 over the normalised text with
 * boundary spaces), tf weighted with sqrt, L2-normalised, stored sparse. No model download, fully
 * deterministic; cosine on these vectors behaves like a soft character-level Jaccard, which is what
 * near-duplicate and novelty checks need. Hashing is an inlined 32-bit FNV-1a + murmur finaliser:
 * calling a wasm hash once per n-gram costs more than the hash itself for such short keys.
 */
import { normalizeText } from './normalize.js';

export interface SparseVec {
  idx: Int32Array; // sorted ascending
  val: Float64Array; // L2 norm 1 (or empty)
}

export interface EmbedOptions {
  /** Dimension (power of two). Default 2^18. */
  dim?: number;
  minN?: number;
  maxN?: number;
}

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of s[start, end) by char codes. */
export function hashRange(s: string, start: number, end: number, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

export function embedText(text: string, opts: EmbedOptions = {}): SparseVec {
  const dim = opts.dim ?? 1 << 18;
  const minN = opts.minN ?? 3;
  const maxN = opts.maxN ?? 5;
  const s = ` ${normalizeText(text)} `;
  const counts = new Map<number, number>();
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= s.length; i++) {
      const h = hashRange(s, i, i + n, 0x811c9dc5 ^ n) & (dim - 1);
      counts.set(h, (counts.get(h) ?? 0) + 1);
    }
  }
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const idx = Int32Array.from(keys);
  const val = new Float64Array(keys.length);
  let norm = 0;
  for (let i = 0; i < keys.length; i++) {
    const v = Math.sqrt(counts.get(keys[i])!);
    val[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < val.length; i++) val[i] /= norm;
  return { idx, val };
}

/** Cosine of two L2-normalised sparse vectors (a merge over sorted indices). */
export function cosine(a: SparseVec, b: SparseVec): number {
  let i = 0;
  let j = 0;
  let s = 0;
  const ai = a.idx;
  const bi = b.idx;
  while (i < ai.length && j < bi.length) {
    const x = ai[i];
    const y = bi[j];
    if (x === y) {
      s += a.val[i] * b.val[j];
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return s;
}

/**
 * Cosines of one query against many vectors: the query is scattered once into a dense scratch
 * array, then each pool vector costs one gather per non-zero (no merge branches) — several times
 * faster than `cosine` in the pairwise loops of the audit and the dedup embedding stage.
 */
export class DenseQuery {
  private readonly dense: Float64Array;
  private q: SparseVec | null = null;
  constructor(dim = 1 << 18) {
    this.dense = new Float64Array(dim);
  }
  set(q: SparseVec): this {
    if (this.q) for (let i = 0; i < this.q.idx.length; i++) this.dense[this.q.idx[i]] = 0;
    this.q = q;
    for (let i = 0; i < q.idx.length; i++) this.dense[q.idx[i]] = q.val[i];
    return this;
  }
  dot(v: SparseVec): number {
    const d = this.dense;
    const idx = v.idx;
    const val = v.val;
    let s = 0;
    for (let i = 0; i < idx.length; i++) s += d[idx[i]] * val[i];
    return s;
  }
}

/** Largest cosine of `q` against `pool`, with the index of that neighbour (-1 when the pool is empty). */
export function nearest(q: SparseVec, pool: readonly SparseVec[]): { index: number; similarity: number } {
  let best = -1;
  let sim = -Infinity;
  for (let k = 0; k < pool.length; k++) {
    const c = cosine(q, pool[k]);
    if (c > sim) {
      sim = c;
      best = k;
    }
  }
  return { index: best, similarity: best < 0 ? 0 : sim };
}
