/**
 * Sufficient statistics for structure learning: the contingency counts of a family
 * (child, parents), computed once from integer-coded columns into typed arrays and cached with
 * their BIC score, so hill climbing re-scores only the families a move changes.
 */

export interface FamilyCounts {
  /** counts[config * r + childState] */
  counts: Float64Array;
  /** Number of parent configurations (product of parent cardinalities). */
  q: number;
  /** Child cardinality. */
  r: number;
}

/** Families larger than this many cells are never considered (too many parameters anyway). */
export const MAX_FAMILY_CELLS = 1 << 22;

export class SufficientStats {
  readonly n: number;
  private readonly scoreCache = new Map<string, number>();
  /** How many families were actually counted (for tests / reports). */
  counted = 0;

  constructor(
    readonly codes: readonly Int32Array[],
    readonly cards: readonly number[],
    /** Multiplier of BIC's complexity penalty (1 = BIC; smaller keeps more edges). */
    readonly penalty = 1,
  ) {
    this.n = codes.length > 0 ? codes[0].length : 0;
  }

  /** Number of cells of the family's table, or Infinity when it is too large. */
  cells(child: number, parents: readonly number[]): number {
    let q = 1;
    for (const p of parents) q *= this.cards[p];
    const c = q * this.cards[child];
    return c > MAX_FAMILY_CELLS ? Number.POSITIVE_INFINITY : c;
  }

  counts(child: number, parents: readonly number[]): FamilyCounts {
    const r = this.cards[child];
    let q = 1;
    for (const p of parents) q *= this.cards[p];
    const counts = new Float64Array(q * r);
    const cc = this.codes[child];
    const pc = parents.map((p) => this.codes[p]);
    const pr = parents.map((p) => this.cards[p]);
    const n = this.n;
    for (let i = 0; i < n; i++) {
      let cfg = 0;
      for (let k = 0; k < pc.length; k++) cfg = cfg * pr[k] + pc[k][i];
      counts[cfg * r + cc[i]]++;
    }
    this.counted++;
    return { counts, q, r };
  }

  /** BIC of the family, cached by (child, sorted parents). */
  bic(child: number, parents: readonly number[]): number {
    const sorted = [...parents].sort((a, b) => a - b);
    const key = `${child}|${sorted.join(',')}`;
    const hit = this.scoreCache.get(key);
    if (hit !== undefined) return hit;
    const s =
      this.cells(child, sorted) === Number.POSITIVE_INFINITY
        ? Number.NEGATIVE_INFINITY
        : bicScore(this.counts(child, sorted), this.n, this.penalty);
    this.scoreCache.set(key, s);
    return s;
  }
}

/** Log-likelihood of the family's counts under their maximum-likelihood CPT. */
export function logLikelihood({ counts, q, r }: FamilyCounts): number {
  let ll = 0;
  for (let j = 0; j < q; j++) {
    let nj = 0;
    const base = j * r;
    for (let k = 0; k < r; k++) nj += counts[base + k];
    if (nj === 0) continue;
    for (let k = 0; k < r; k++) {
      const c = counts[base + k];
      if (c > 0) ll += c * Math.log(c / nj);
    }
  }
  return ll;
}

/** BIC = log-likelihood − ½ log(n) × free parameters ((r − 1) q). */
export function bicScore(f: FamilyCounts, n: number, penalty = 1): number {
  return logLikelihood(f) - penalty * 0.5 * Math.log(n) * (f.r - 1) * f.q;
}

/** Mutual information I(child; parents) in nats from family counts. */
export function mutualInformation({ counts, q, r }: FamilyCounts): number {
  let n = 0;
  const childTotals = new Float64Array(r);
  for (let j = 0; j < q; j++)
    for (let k = 0; k < r; k++) {
      const c = counts[j * r + k];
      childTotals[k] += c;
      n += c;
    }
  if (n === 0) return 0;
  let mi = 0;
  for (let j = 0; j < q; j++) {
    let nj = 0;
    for (let k = 0; k < r; k++) nj += counts[j * r + k];
    if (nj === 0) continue;
    for (let k = 0; k < r; k++) {
      const c = counts[j * r + k];
      if (c > 0) mi += (c / n) * Math.log((c * n) / (nj * childTotals[k]));
    }
  }
  return mi;
}
