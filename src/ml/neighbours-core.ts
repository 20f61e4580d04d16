/**
 * Exact k-nearest-neighbour search under Gower distance, on plain typed arrays so the same code runs
 * on the main thread and inside worker threads.
 *
 * Exactness: every reference row is either evaluated or provably farther than the current k-th best.
 * Speed comes from tricks that keep that guarantee:
 * - references are sorted by one "key" column (the numeric column whose values spread most); each
 *   query scans outward from its own key value, so near candidates come first and the scan stops
 *   once the key column's contribution alone exceeds the k-th best distance;
 * - partial distances are summed with the most discriminating columns first and a candidate is
 *   abandoned as soon as its partial sum exceeds the k-th best (with a 1e-9 margin for rounding);
 * - a candidate that survives gets its distance recomputed in canonical column order with the same
 *   arithmetic as the brute-force oracle, so distances and tie order (distance, then index) match it bit for bit;
 * - exact duplicates (distance 0) are found by hashing whole rows.
 */

/** Column-wise Gower contribution kinds: 0 = numeric (|a−b|/range, capped), 1 = exact match. */
export const NUMERIC = 0;
export const EXACT = 1;

export interface PreparedSide {
  n: number;
  /** Row-major, search column order, numeric columns divided by their range. NaN = missing. */
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
  /** Reference rows with a non-missing key, sorted by key (search column 0), and their keys. */
  sortedRows: Int32Array;
  sortedKeys: Float64Array;
  /** Reference rows whose key is missing. */
  missingKeyRows: Int32Array;
  /** Whether search column 0 is a numeric key we can scan outward on. */
  keyed: boolean;
  /** Exact-duplicate groups: row hash → reference rows (ascending). */
  duplicates: Map<string, Int32Array>;
}

const EPS = 1e-9;

export function rowKey(raw: Float64Array, p: number, i: number): string {
  let s = '';
  for (let j = 0; j < p; j++) s += `${raw[i * p + j]},`;
  return s;
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
  const { order, kind, sortedRows, sortedKeys, missingKeyRows, keyed } = plan;
  const kindS = new Uint8Array(p);
  for (let c = 0; c < p; c++) kindS[c] = kind[order[c]];
  const rs = ref.scaled;
  const qs = query.scaled;
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  const m = sortedRows.length;

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

    /** Sum the columns from search position `from` onto `start`, abandoning past the limit. */
    const tryCandidate = (r: number, start: number, from: number): void => {
      if (excludeSelf && r === qi) return;
      let sum = start;
      const rb = r * p;
      for (let c = from; c < p; c++) {
        const a = qs[qb + c];
        const b = rs[rb + c];
        const am = Number.isNaN(a);
        const bm = Number.isNaN(b);
        if (am || bm) {
          if (!(am && bm)) sum += 1;
        } else if (kindS[c] === NUMERIC) {
          const d = a > b ? a - b : b - a;
          sum += Math.min(d, 1);
        } else if (a !== b) {
          sum += 1;
        }
        if (sum > limit) return;
      }
      offer(r);
    };

    // Exact duplicates are at distance 0: the lowest-index ones are the answer if there are k.
    const dup = plan.duplicates.get(rowKey(query.raw, p, qi));
    if (dup) {
      for (let t = 0; t < dup.length && count < k; t++) {
        if (!(excludeSelf && dup[t] === qi)) offer(dup[t]);
      }
    }
    const done = count === k && bestD[k - 1] === 0;

    if (!done && keyed) {
      const qk = qs[qb];
      if (Number.isNaN(qk)) {
        for (let t = 0; t < missingKeyRows.length; t++) tryCandidate(missingKeyRows[t], 0, 1);
        if (1 <= limit) for (let t = 0; t < m; t++) tryCandidate(sortedRows[t], 1, 1);
      } else {
        let lo = 0;
        let hi = m;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (sortedKeys[mid] < qk) lo = mid + 1;
          else hi = mid;
        }
        let down = lo - 1;
        let up = lo;
        while (down >= 0 || up < m) {
          const dDown = down >= 0 ? qk - sortedKeys[down] : Number.POSITIVE_INFINITY;
          const dUp = up < m ? sortedKeys[up] - qk : Number.POSITIVE_INFINITY;
          const goUp = dUp < dDown;
          const delta = goUp ? dUp : dDown;
          const c0 = Math.min(delta, 1);
          if (c0 > limit) break;
          tryCandidate(goUp ? sortedRows[up++] : sortedRows[down--], c0, 1);
        }
        if (1 <= limit) for (let t = 0; t < missingKeyRows.length; t++) tryCandidate(missingKeyRows[t], 1, 1);
      }
    } else if (!done) {
      for (let r = 0; r < ref.n; r++) tryCandidate(r, 0, 0);
    }

    for (let t = 0; t < k; t++) {
      outIndex[qi * k + t] = t < count ? bestI[t] : -1;
      outDist[qi * k + t] = t < count ? bestD[t] : Number.NaN;
    }
  }
}
