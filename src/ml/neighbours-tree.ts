/**
 * A k-d tree over Gower-scaled rows with per-node bounding boxes, for exact kNN pruning.
 *
 * Each node keeps, per column, the min/max of present values, whether it holds missing and/or
 * present values, and (for category codes) a bitmask of the codes present. From the box we get a
 * lower bound on the Gower sum from a query to any row in the node; a node whose bound exceeds the
 * current k-th best cannot contain a neighbour and is skipped whole. All arrays are typed so the
 * tree can be copied into worker threads.
 */
import { NUMERIC } from './neighbours-gower.js';

export interface BoxTree {
  /** Reference rows in leaf order; node t covers perm[lo[t], hi[t]). */
  perm: Int32Array;
  lo: Int32Array;
  hi: Int32Array;
  /** Children (-1 for a leaf). */
  left: Int32Array;
  right: Int32Array;
  /** node × p, search column order. */
  boxMin: Float64Array;
  boxMax: Float64Array;
  /** bit 0: node has missing values in the column; bit 1: has present values. */
  boxFlags: Uint8Array;
  /** Codes 0..30 present → bits 0..30; any other exact value → bit 31. */
  boxMask: Uint32Array;
  nodes: number;
}

const LEAF_SIZE = 24;
const HAS_MISSING = 1;
const HAS_PRESENT = 2;

function maskBit(v: number): number {
  return Number.isInteger(v) && v >= 0 && v < 31 ? 1 << v : 1 << 31;
}

/** Build over `scaled` (n × p row-major, search order), with per-search-column kinds. */
export function buildBoxTree(scaled: Float64Array, n: number, p: number, kindS: Uint8Array): BoxTree {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const cap = Math.max(1, Math.ceil((2 * n) / LEAF_SIZE) * 2 + 1);
  let lo = new Int32Array(cap);
  let hi = new Int32Array(cap);
  let left = new Int32Array(cap);
  let right = new Int32Array(cap);
  let boxMin = new Float64Array(cap * p);
  let boxMax = new Float64Array(cap * p);
  let boxFlags = new Uint8Array(cap * p);
  let boxMask = new Uint32Array(cap * p);
  let nodes = 0;

  const grow = () => {
    const c2 = lo.length * 2;
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(c2);
      b.set(a);
      return b;
    };
    lo = g32(lo);
    hi = g32(hi);
    left = g32(left);
    right = g32(right);
    const f = new Float64Array(c2 * p);
    f.set(boxMin);
    boxMin = f;
    const g = new Float64Array(c2 * p);
    g.set(boxMax);
    boxMax = g;
    const u = new Uint8Array(c2 * p);
    u.set(boxFlags);
    boxFlags = u;
    const m = new Uint32Array(c2 * p);
    m.set(boxMask);
    boxMask = m;
  };

  const make = (a: number, b: number): number => {
    if (nodes >= lo.length) grow();
    const t = nodes++;
    lo[t] = a;
    hi[t] = b;
    left[t] = -1;
    right[t] = -1;
    const base = t * p;
    for (let c = 0; c < p; c++) {
      boxMin[base + c] = Number.POSITIVE_INFINITY;
      boxMax[base + c] = Number.NEGATIVE_INFINITY;
    }
    for (let s = a; s < b; s++) {
      const rb = perm[s] * p;
      for (let c = 0; c < p; c++) {
        const v = scaled[rb + c];
        if (Number.isNaN(v)) {
          boxFlags[base + c] |= HAS_MISSING;
          continue;
        }
        boxFlags[base + c] |= HAS_PRESENT;
        if (v < boxMin[base + c]) boxMin[base + c] = v;
        if (v > boxMax[base + c]) boxMax[base + c] = v;
        if (kindS[c] !== NUMERIC) boxMask[base + c] |= maskBit(v);
      }
    }
    return t;
  };

  let maxCode = 0;
  for (let i = 0; i < n * p; i++) {
    const v = scaled[i];
    if (kindS[i % p] !== NUMERIC && Number.isInteger(v) && v > maxCode && v < 1 << 20) maxCode = v;
  }
  const counts = new Float64Array(maxCode + 2);

  // Iterative build (explicit stack: deep recursion on 1M rows is not safe in JS).
  const root = make(0, n);
  const stack: number[] = [root];
  while (stack.length > 0) {
    const t = stack.pop()!;
    const a = lo[t];
    const b = hi[t];
    if (b - a <= LEAF_SIZE) continue;
    const col = splitColumn(scaled, perm, a, b, p, kindS, maxCode, counts);
    if (col < 0) continue; // every row in the node is identical: keep it as one leaf
    const key = (r: number) => {
      const v = scaled[r * p + col];
      return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
    };
    const rows = perm.subarray(a, b);
    rows.sort((x, y) => key(x) - key(y) || x - y);
    // Cut at the change of value nearest the middle, so one value (a category) never straddles
    // both children: that keeps the children's boxes and code masks disjoint.
    const half = (a + b) >>> 1;
    let mid = -1;
    for (let d = 0; d <= b - a; d++) {
      const up = half + d;
      if (up > a && up < b && key(perm[up - 1]) !== key(perm[up])) {
        mid = up;
        break;
      }
      const down = half - d;
      if (down > a && down < b && key(perm[down - 1]) !== key(perm[down])) {
        mid = down;
        break;
      }
    }
    if (mid < 0) continue;
    const l = make(a, mid);
    const r = make(mid, b);
    left[t] = l;
    right[t] = r;
    stack.push(l, r);
  }
  return {
    perm,
    lo: lo.slice(0, nodes),
    hi: hi.slice(0, nodes),
    left: left.slice(0, nodes),
    right: right.slice(0, nodes),
    boxMin: boxMin.slice(0, nodes * p),
    boxMax: boxMax.slice(0, nodes * p),
    boxFlags: boxFlags.slice(0, nodes * p),
    boxMask: boxMask.slice(0, nodes * p),
    nodes,
  };
}

/**
 * The column contributing most to the mean Gower distance between two random rows of the node:
 * numeric ≈ mean |a − b| (1.13 σ for a normal), categorical = Gini impurity, plus the chance that
 * exactly one of the two is missing. Splitting on it shrinks the children's boxes the most.
 */
function splitColumn(
  scaled: Float64Array,
  perm: Int32Array,
  a: number,
  b: number,
  p: number,
  kindS: Uint8Array,
  maxCode: number,
  counts: Float64Array,
): number {
  let best = -1;
  let bestScore = 1e-12;
  const n = b - a;
  for (let c = 0; c < p; c++) {
    let missing = 0;
    let score = 0;
    if (kindS[c] === NUMERIC) {
      let s = 0;
      let s2 = 0;
      for (let t = a; t < b; t++) {
        const v = scaled[perm[t] * p + c];
        if (Number.isNaN(v)) missing++;
        else {
          s += v;
          s2 += v * v;
        }
      }
      const m = n - missing;
      if (m > 1) score = 1.13 * Math.sqrt(Math.max(s2 / m - (s / m) ** 2, 0)) * (m / n) ** 2;
    } else {
      counts.fill(0);
      for (let t = a; t < b; t++) {
        const v = scaled[perm[t] * p + c];
        if (Number.isNaN(v)) missing++;
        else counts[Number.isInteger(v) && v >= 0 && v <= maxCode ? v : maxCode + 1]++;
      }
      const m = n - missing;
      if (m > 0) {
        let same = 0;
        for (let k = 0; k < counts.length; k++) same += counts[k] * counts[k];
        score = (1 - same / (m * m)) * (m / n) ** 2;
      }
    }
    score += (2 * missing * (n - missing)) / (n * n);
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}

/**
 * Lower bound on the Gower column sum from query row `q` (at offset qb) to any row of node t;
 * stops early once it exceeds `limit`.
 */
export function boxLowerBound(
  tree: BoxTree,
  t: number,
  q: Float64Array,
  qb: number,
  p: number,
  kindS: Uint8Array,
  limit: number,
): number {
  const base = t * p;
  const { boxMin, boxMax, boxFlags, boxMask } = tree;
  let lb = 0;
  for (let c = 0; c < p; c++) {
    const a = q[qb + c];
    const f = boxFlags[base + c];
    if (Number.isNaN(a)) {
      if (!(f & HAS_MISSING)) lb += 1;
    } else if (!(f & HAS_PRESENT)) {
      lb += 1;
    } else if (kindS[c] === NUMERIC) {
      const mn = boxMin[base + c];
      const mx = boxMax[base + c];
      const d = a < mn ? mn - a : a > mx ? a - mx : 0;
      lb += Math.min(d, 1);
    } else if (!(boxMask[base + c] & maskBit(a)) || a < boxMin[base + c] || a > boxMax[base + c]) {
      lb += 1;
    }
    if (lb > limit) return lb;
  }
  return lb;
}
