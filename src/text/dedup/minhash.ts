/**
 * MinHash signatures and LSH banding.
 *
 * Hand-written (~150 lines) because the npm `minhash` package is abandoned and does not expose the
 * band/row choice; the parameter choice follows datasketch (minimise the weighted false-positive
 * plus false-negative area under the banding S-curve for the requested Jaccard threshold).
 * Shingles are hashed with an inlined 32-bit hash over char codes (see embed.ts for why not a wasm
 * call per shingle). The shingle hash is already fully mixed (murmur finaliser), so each of the
 * `numPerm` permutations is a cheap bijection of it: XOR a seed, multiply by an odd constant,
 * xorshift (3 ops instead of a full finaliser: the signature loop is the dedup bottleneck).
 */
import { fmix32, hashRange } from '../embed.js';
import { normalizeText } from '../normalize.js';

export type ShingleKind = 'char' | 'word';

export interface MinHashOptions {
  numPerm?: number; // default 64
  shingle?: ShingleKind; // default 'char'
  /** Shingle size: characters for 'char' (default 5), words for 'word' (default 2). */
  k?: number;
  seed?: number;
}

export interface MinHasher {
  readonly numPerm: number;
  readonly shingle: ShingleKind;
  readonly k: number;
  /** Signature of a text (normalised first unless `normalized`). Writes into `out` when given. */
  signature(text: string, out?: Uint32Array, normalized?: boolean): Uint32Array;
}

export function createMinHasher(opts: MinHashOptions = {}): MinHasher {
  const numPerm = opts.numPerm ?? 64;
  const shingle = opts.shingle ?? 'char';
  const k = opts.k ?? (shingle === 'char' ? 5 : 2);
  const seeds = new Int32Array(numPerm);
  const mults = new Int32Array(numPerm);
  let x = (opts.seed ?? 1) >>> 0;
  for (let i = 0; i < numPerm; i++) {
    x = fmix32(x + 0x9e3779b9);
    seeds[i] = x;
    x = fmix32(x + 0x9e3779b9);
    mults[i] = x | 1;
  }
  const mins = new Uint32Array(numPerm);
  const feed = (h: number) => {
    for (let p = 0; p < numPerm; p++) {
      let v = Math.imul(h ^ seeds[p], mults[p]);
      v = (v ^ (v >>> 15)) >>> 0;
      if (v < mins[p]) mins[p] = v;
    }
  };
  return {
    numPerm,
    shingle,
    k,
    signature(text: string, out?: Uint32Array, normalized = false): Uint32Array {
      const s = normalized ? text : normalizeText(text);
      mins.fill(0xffffffff);
      if (shingle === 'char') {
        if (s.length <= k) feed(hashRange(s, 0, s.length));
        else for (let i = 0; i + k <= s.length; i++) feed(hashRange(s, i, i + k));
      } else {
        const w = s.length ? s.split(' ') : [];
        const wh = w.map((t) => hashRange(t, 0, t.length));
        if (wh.length <= k) {
          let h = 0x9747b28c;
          for (const v of wh) h = fmix32(h ^ v) + 1;
          feed(h >>> 0);
        } else
          for (let i = 0; i + k <= wh.length; i++) {
            let h = 0x9747b28c;
            for (let j = i; j < i + k; j++) h = (fmix32(h ^ wh[j]) + j - i) >>> 0;
            feed(h);
          }
      }
      const res = out ?? new Uint32Array(numPerm);
      res.set(mins);
      return res;
    },
  };
}

/** Estimated Jaccard: share of equal signature slots. */
export function estimateJaccard(
  a: Uint32Array,
  aOff: number,
  b: Uint32Array,
  bOff: number,
  n: number,
): number {
  let eq = 0;
  for (let i = 0; i < n; i++) if (a[aOff + i] === b[bOff + i]) eq++;
  return eq / n;
}

/** Probability that two texts with Jaccard s share at least one band of r rows out of b bands. */
export function candidateProbability(s: number, b: number, r: number): number {
  return 1 - (1 - s ** r) ** b;
}

function integrate(f: (x: number) => number, a: number, b: number): number {
  const steps = 200;
  const h = (b - a) / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += f(a + (i + 0.5) * h) * h;
  return sum;
}

/**
 * Bands and rows for a Jaccard threshold, as datasketch's `_optimal_param`: over all b·r ≤ numPerm,
 * minimise fpWeight·∫₀ᵗ P(s) ds + fnWeight·∫ₜ¹ (1 − P(s)) ds.
 */
export function optimalBands(
  threshold: number,
  numPerm: number,
  fpWeight = 0.5,
  fnWeight = 0.5,
): { bands: number; rows: number; fp: number; fn: number } {
  let best = { bands: 1, rows: numPerm, fp: 0, fn: 0 };
  let bestErr = Infinity;
  for (let b = 1; b <= numPerm; b++) {
    const maxR = Math.floor(numPerm / b);
    for (let r = 1; r <= maxR; r++) {
      const fp = integrate((s) => candidateProbability(s, b, r), 0, threshold);
      const fn = integrate((s) => 1 - candidateProbability(s, b, r), threshold, 1);
      const err = fpWeight * fp + fnWeight * fn;
      if (err < bestErr) {
        bestErr = err;
        best = { bands: b, rows: r, fp, fn };
      }
    }
  }
  return best;
}

/**
 * LSH index over signatures stored in one growing Uint32Array. Each band is an open-addressing
 * table (band key → most recent item) plus a `next` chain per item, so memory is a few typed
 * arrays instead of millions of Map entries (1M items × 9 bands would not fit as JS Maps).
 */
export class LshIndex {
  readonly bands: number;
  readonly rows: number;
  readonly numPerm: number;
  private sigs: Uint32Array;
  private count = 0;
  private tableKeys: Uint32Array[];
  private tableHeads: Int32Array[];
  private next: Int32Array[];
  private mask: number;
  private filled: Int32Array;

  constructor(numPerm: number, bands: number, rows: number, capacity = 1024) {
    this.numPerm = numPerm;
    this.bands = bands;
    this.rows = rows;
    const cap = Math.max(16, capacity);
    this.sigs = new Uint32Array(cap * numPerm);
    let size = 16;
    while (size < cap * 2) size <<= 1;
    this.mask = size - 1;
    this.tableKeys = [];
    this.tableHeads = [];
    this.next = [];
    this.filled = new Int32Array(bands);
    for (let b = 0; b < bands; b++) {
      this.tableKeys.push(new Uint32Array(size));
      this.tableHeads.push(new Int32Array(size).fill(-1));
      this.next.push(new Int32Array(cap).fill(-1));
    }
  }

  get size(): number {
    return this.count;
  }

  private bandKey(sig: Uint32Array, off: number, b: number, scopeHash: number): number {
    let h = (0x9e3779b9 ^ scopeHash ^ Math.imul(b + 1, 0x85ebca6b)) >>> 0;
    const start = off + b * this.rows;
    for (let i = 0; i < this.rows; i++) h = fmix32((h ^ sig[start + i]) + i);
    return h;
  }

  private slot(b: number, key: number): number {
    const keys = this.tableKeys[b];
    const heads = this.tableHeads[b];
    let i = fmix32(key ^ 0x5bd1e995) & this.mask;
    while (heads[i] !== -1 && keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  /**
   * The best already-indexed item whose signature shares a band with `sig` (same scope) and whose
   * estimated Jaccard is ≥ minSimilarity; -1 when none.
   */
  query(sig: Uint32Array, scopeHash: number, minSimilarity: number): { item: number; similarity: number } {
    let best = -1;
    let bestSim = -1;
    const seen: number[] = [];
    for (let b = 0; b < this.bands; b++) {
      const key = this.bandKey(sig, 0, b, scopeHash);
      const s = this.slot(b, key);
      let it = this.tableHeads[b][s];
      const next = this.next[b];
      let guard = 0;
      while (it !== -1 && guard++ < 64) {
        if (!seen.includes(it)) {
          seen.push(it);
          const sim = estimateJaccard(sig, 0, this.sigs, it * this.numPerm, this.numPerm);
          if (sim >= minSimilarity && sim > bestSim) {
            bestSim = sim;
            best = it;
          }
        }
        it = next[it];
      }
    }
    return { item: best, similarity: bestSim };
  }

  /** Add a signature; returns its item number (0, 1, 2 … in insertion order). */
  add(sig: Uint32Array, scopeHash: number): number {
    const id = this.count;
    if ((id + 1) * this.numPerm > this.sigs.length) this.grow();
    this.sigs.set(sig, id * this.numPerm);
    this.count++;
    let most = 0;
    for (let b = 0; b < this.bands; b++) most = Math.max(most, this.filled[b]);
    if ((most + 1) * 2 > this.mask + 1) this.rehash();
    for (let b = 0; b < this.bands; b++) {
      const key = this.bandKey(sig, 0, b, scopeHash);
      const s = this.slot(b, key);
      if (this.tableHeads[b][s] === -1) {
        this.tableKeys[b][s] = key;
        this.filled[b]++;
      }
      this.next[b][id] = this.tableHeads[b][s];
      this.tableHeads[b][s] = id;
    }
    return id;
  }

  private grow(): void {
    const cap = (this.sigs.length / this.numPerm) * 2;
    const s = new Uint32Array(cap * this.numPerm);
    s.set(this.sigs);
    this.sigs = s;
    for (let b = 0; b < this.bands; b++) {
      const n = new Int32Array(cap).fill(-1);
      n.set(this.next[b]);
      this.next[b] = n;
    }
  }

  private rehash(): void {
    // Grow every band table and re-insert the heads (chains stay valid: they live in `next`).
    const size = (this.mask + 1) * 2;
    const oldMask = this.mask;
    this.mask = size - 1;
    for (let b = 0; b < this.bands; b++) {
      const oldKeys = this.tableKeys[b];
      const oldHeads = this.tableHeads[b];
      this.tableKeys[b] = new Uint32Array(size);
      this.tableHeads[b] = new Int32Array(size).fill(-1);
      for (let i = 0; i <= oldMask; i++) {
        if (oldHeads[i] === -1) continue;
        const s = this.slot(b, oldKeys[i]);
        this.tableKeys[b][s] = oldKeys[i];
        this.tableHeads[b][s] = oldHeads[i];
      }
    }
  }
}
