/**
 * Exact k-nearest-neighbour search under Gower distance, on plain typed arrays so the same code runs
 * on the main thread and inside worker threads.
 *
 * Exactness: every reference row is either evaluated or provably farther than the current k-th best.
 * Speed comes from tricks that keep that guarantee:
 * - references sit in a k-d tree whose nodes carry per-column bounding boxes (neighbours-tree.ts);
 *   a node whose box is farther than the k-th best is skipped whole, the nearer child is visited first;
 * - partial distances are summed with the most discriminating columns first and a candidate is
 *   abandoned as soon as its partial sum exceeds the k-th best (with a 1e-9 margin for rounding);
 * - a candidate that survives gets its distance recomputed in canonical column order with the same
 *   arithmetic as the brute-force oracle, so distances and tie order (distance, then index) match it bit for bit;
 * - exact duplicates (distance 0) are found by hashing whole rows.
 */

import { NUMERIC } from './neighbours-gower.js';
import { type BoxTree, boxLowerBound } from './neighbours-tree.js';

export interface PreparedSide {
  n: number;
  /** Row-major, search column order, numeric columns divided by their range. NaN = missing. (Queries only: the reference's live in SearchPlan.leafScaled.) */
  scaled: Float64Array;
  /** Row-major, original column order, raw values / category codes. NaN = missing. */
  raw: Float64Array;
}

export interface SearchPlan {
  p: number;
  /** Search position → original column. */
  order: Int32Array;
  /** Per original column: NUMERIC or EXACT. */
  kind: Uint8Array;
  /** Per original column: Gower range (numeric); unused for EXACT. */
  range: Float64Array;
  /** k-d tree with bounding boxes over the reference's scaled rows. */
  tree: BoxTree;
  /** The reference's scaled rows in tree leaf order (row s is reference row tree.perm[s]). */
  leafScaled: Float64Array;
  /** Exact-duplicate groups: row hash → reference rows (ascending). */
  /** Row hash → reference rows with that hash (ascending); equal hashes are checked value by value. */
  duplicates: Map<number, Int32Array>;
}

const EPS = 1e-9;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/**
 * 32-bit hash of a raw row (NaN and ±0 each hash alike, matching Gower distance 0). A number rather
 * than a string key so hashing 50k rows makes no garbage; collisions are resolved by sameRow().
 */
export function rowHash(raw: Float64Array, p: number, i: number): number {
  let h = 0x811c9dc5;
  for (let j = 0; j < p; j++) {
    const v = raw[i * p + j];
    f64[0] = Number.isNaN(v) ? Number.NaN : v === 0 ? 0 : v;
    h = Math.imul(h ^ u32[0], 0x01000193);
    h = Math.imul(h ^ u32[1], 0x01000193);
  }
  return h >>> 0;
}

/** Rows equal in every column (missing equals missing): exactly the pairs at Gower distance 0. */
function sameRow(a: Float64Array, ai: number, b: Float64Array, bi: number, p: number): boolean {
  for (let j = 0; j < p; j++) {
    const x = a[ai * p + j];
    const y = b[bi * p + j];
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}

/** Gower distance in canonical column order; the same arithmetic as bruteForceNeighbours. */
export function canonicalDistance(
  plan: SearchPlan,
  q: Float64Array,
  qi: number,
  r: Float64Array,
  ri: number,
): number {
  const p = plan.p;
  let sum = 0;
  for (let j = 0; j < p; j++) {
    const a = q[qi * p + j];
    const b = r[ri * p + j];
    const am = Number.isNaN(a);
    const bm = Number.isNaN(b);
    if (am || bm) {
      sum += am && bm ? 0 : 1;
    } else if (plan.kind[j] === NUMERIC) {
      const d = Math.abs(a - b) / plan.range[j];
      sum += Math.min(d, 1);
    } else {
      sum += a === b ? 0 : 1;
    }
  }
  return sum / p;
}

/**
 * Find the k nearest references of queries [qStart, qEnd); results go to outIndex/outDist at
 * (query × k). Missing neighbours (fewer than k references) are index -1, distance NaN.
 */
export function searchRange(
  plan: SearchPlan,
  ref: PreparedSide,
  query: PreparedSide,
  k: number,
  excludeSelf: boolean,
  qStart: number,
  qEnd: number,
  outIndex: Int32Array,
  outDist: Float64Array,
): void {
  const p = plan.p;
  const { order, kind, tree, leafScaled } = plan;
  const { perm, lo, hi, left, right } = tree;
  const kindS = new Uint8Array(p);
  for (let c = 0; c < p; c++) kindS[c] = kind[order[c]];
  const qs = query.scaled;
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  // Depth-first stack of (node, lower bound); the nearer child is popped first.
  const stackNode = new Int32Array(tree.nodes + 1);
  const stackLb = new Float64Array(tree.nodes + 1);

  for (let qi = qStart; qi < qEnd; qi++) {
    let count = 0;
    let limit = Number.POSITIVE_INFINITY; // k-th best as a column sum, plus margin
    const qb = qi * p;

    const offer = (r: number): void => {
      for (let t = 0; t < count; t++) if (bestI[t] === r) return; // already in (seeded as a duplicate)
      const d = canonicalDistance(plan, query.raw, qi, ref.raw, r);
      if (count === k && (d > bestD[k - 1] || (d === bestD[k - 1] && r > bestI[k - 1]))) return;
      let pos = count < k ? count++ : k - 1;
      while (pos > 0 && (bestD[pos - 1] > d || (bestD[pos - 1] === d && bestI[pos - 1] > r))) {
        bestD[pos] = bestD[pos - 1];
        bestI[pos] = bestI[pos - 1];
        pos--;
      }
      bestD[pos] = d;
      bestI[pos] = r;
      if (count === k) limit = bestD[k - 1] * p + EPS;
    };

    // Exact duplicates are at distance 0: the lowest-index ones are the answer if there are k.
    const dup = plan.duplicates.get(rowHash(query.raw, p, qi));
    if (dup) {
      for (let t = 0; t < dup.length && count < k; t++) {
        const r = dup[t];
        if (!(excludeSelf && r === qi) && sameRow(query.raw, qi, ref.raw, r, p)) offer(r);
      }
    }
    if (count === k && bestD[k - 1] === 0) {
      writeResult(qi, k, count, bestI, bestD, outIndex, outDist);
      continue;
    }

    let top = 0;
    stackNode[0] = 0;
    stackLb[0] = boxLowerBound(tree, 0, qs, qb, p, kindS, limit);
    while (top >= 0) {
      const t = stackNode[top];
      const lb = stackLb[top];
      top--;
      if (lb > limit) continue;
      const l = left[t];
      if (l >= 0) {
        const r = right[t];
        const lbL = boxLowerBound(tree, l, qs, qb, p, kindS, limit);
        const lbR = boxLowerBound(tree, r, qs, qb, p, kindS, limit);
        const nearFirst = lbL <= lbR;
        if ((nearFirst ? lbR : lbL) <= limit) {
          top++;
          stackNode[top] = nearFirst ? r : l;
          stackLb[top] = nearFirst ? lbR : lbL;
        }
        if ((nearFirst ? lbL : lbR) <= limit) {
          top++;
          stackNode[top] = nearFirst ? l : r;
          stackLb[top] = nearFirst ? lbL : lbR;
        }
        continue;
      }
      // Leaf: partial sums with the most discriminating columns first, abandoned past the limit.
      for (let s = lo[t]; s < hi[t]; s++) {
        const row = perm[s];
        if (excludeSelf && row === qi) continue;
        let sum = 0;
        const rb = s * p;
        let c = 0;
        for (; c < p; c++) {
          const a = qs[qb + c];
          const b = leafScaled[rb + c];
          const am = Number.isNaN(a);
          const bm = Number.isNaN(b);
          if (am || bm) {
            if (!(am && bm)) sum += 1;
          } else if (kindS[c] === NUMERIC) {
            sum += Math.min(a > b ? a - b : b - a, 1);
          } else if (a !== b) {
            sum += 1;
          }
          if (sum > limit) break;
        }
        if (c === p) offer(row);
      }
    }
    writeResult(qi, k, count, bestI, bestD, outIndex, outDist);
  }
}

function writeResult(
  qi: number,
  k: number,
  count: number,
  bestI: Int32Array,
  bestD: Float64Array,
  outIndex: Int32Array,
  outDist: Float64Array,
): void {
  for (let t = 0; t < k; t++) {
    outIndex[qi * k + t] = t < count ? bestI[t] : -1;
    outDist[qi * k + t] = t < count ? bestD[t] : Number.NaN;
  }
}
