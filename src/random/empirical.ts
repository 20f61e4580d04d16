/**
 * An empirical distribution: a quantile table for the continuous part plus optional point masses.
 *
 * The continuous part has quantile function Qc(p) = linear interpolation of knots[i] at p = i/(k − 1)
 * (so its CDF is piecewise linear; tied knots make a jump). Atoms {value, prob} carry point masses and
 * the continuous part carries 1 − Σprob. Draws use the inverse of the whole mixed CDF, so truncation is
 * by construction exactly like the parametric laws: u' = P(X < lo) + u·P(lo ≤ X ≤ hi), x = Q(u').
 * A range with no mass gives NaN.
 */
import { StrataError } from '../errors.js';
import type { Stream } from './stream.js';

export interface Atom {
  value: number;
  prob: number;
}

function invalid(message: string, hint: string): StrataError {
  return new StrataError('random.invalid_empirical', message, {}, hint);
}

/** Last index j with xs[j] ≤ x (strict: xs[j] < x), or −1. Binary search on a sorted array. */
function lastAtMost(xs: ArrayLike<number>, x: number, strict: boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? xs[mid] < x : xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export class Empirical {
  private readonly knots: Float64Array;
  private readonly atomValues: Float64Array;
  /** atomBefore[i] = Σ prob of atoms 0..i−1 (sorted by value); length = atoms + 1. */
  private readonly atomBefore: Float64Array;
  private readonly continuousWeight: number;

  /** Throws StrataError `random.invalid_empirical` on unsorted/non-finite knots or bad atom masses. */
  constructor(knots: readonly number[], atoms: readonly Atom[] = []) {
    for (let i = 0; i < knots.length; i++) {
      if (!Number.isFinite(knots[i]))
        throw invalid(`knot ${i} must be finite (got ${knots[i]})`, 'drop non-finite values before fitting');
      if (i > 0 && knots[i] < knots[i - 1]) {
        throw invalid(
          `knots must be non-decreasing (knot ${i} = ${knots[i]} < knot ${i - 1} = ${knots[i - 1]})`,
          'sort the quantile table',
        );
      }
    }
    const merged = new Map<number, number>();
    for (const [i, a] of atoms.entries()) {
      if (!Number.isFinite(a.value))
        throw invalid(`atom ${i} value must be finite (got ${a.value})`, 'drop non-finite atoms');
      if (!(a.prob >= 0 && a.prob <= 1))
        throw invalid(`atom ${i} prob must be in [0, 1] (got ${a.prob})`, 'use probabilities, not counts');
      if (a.prob > 0) merged.set(a.value, (merged.get(a.value) ?? 0) + a.prob);
    }
    const sorted = [...merged.entries()].sort((x, y) => x[0] - y[0]);
    const atomTotal = sorted.reduce((t, [, p]) => t + p, 0);
    if (atomTotal > 1 + 1e-9)
      throw invalid(
        `atom probabilities sum to ${atomTotal} > 1`,
        'normalize the atoms so they sum to at most 1',
      );
    this.continuousWeight = atomTotal >= 1 ? 0 : 1 - atomTotal;
    if (this.continuousWeight > 0 && knots.length === 0) {
      throw invalid(
        `the continuous part carries ${this.continuousWeight} but there are no knots`,
        'give at least one knot, or atoms that sum to 1',
      );
    }
    this.knots = Float64Array.from(knots);
    this.atomValues = Float64Array.from(sorted, ([v]) => v);
    this.atomBefore = new Float64Array(sorted.length + 1);
    // Atom masses are rescaled by 1/max(1, Σ) so rounding above 1 cannot push the CDF past 1.
    const scale = atomTotal > 1 ? 1 / atomTotal : 1;
    for (let i = 0; i < sorted.length; i++)
      this.atomBefore[i + 1] = this.atomBefore[i] + sorted[i][1] * scale;
  }

  /** CDF of the continuous part, P_c(X ≤ x) (strict: P_c(X < x)). */
  private continuousCdf(x: number, strict: boolean): number {
    const k = this.knots.length;
    if (k === 0) return 0;
    const j = lastAtMost(this.knots, x, strict);
    if (j < 0) return 0;
    if (j >= k - 1) return 1;
    // knots[j] ≤ x < knots[j+1] (or < for strict, where x ≤ knots[j+1]); the gap is > 0 either way.
    const frac = (x - this.knots[j]) / (this.knots[j + 1] - this.knots[j]);
    return (j + Math.min(1, frac)) / (k - 1);
  }

  private continuousQuantile(r: number): number {
    const k = this.knots.length;
    if (k === 1) return this.knots[0];
    const pos = Math.min(1, Math.max(0, r)) * (k - 1);
    const j = Math.min(k - 2, Math.floor(pos));
    return this.knots[j] + (pos - j) * (this.knots[j + 1] - this.knots[j]);
  }

  private atomsUpTo(x: number, strict: boolean): number {
    return this.atomBefore[lastAtMost(this.atomValues, x, strict) + 1];
  }

  /** P(X ≤ x). */
  cdf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    return Math.min(1, this.continuousWeight * this.continuousCdf(x, false) + this.atomsUpTo(x, false));
  }

  private cdfBelow(x: number): number {
    return Math.min(1, this.continuousWeight * this.continuousCdf(x, true) + this.atomsUpTo(x, true));
  }

  /** P(lo ≤ X ≤ hi). */
  mass(lo: number, hi: number): number {
    if (!(lo <= hi)) return 0;
    return Math.max(0, this.cdf(hi) - this.cdfBelow(lo));
  }

  /** Smallest x with P(X ≤ x) ≥ p (p = 0 gives the lowest point of the support). */
  quantile(p: number): number {
    if (!(p >= 0 && p <= 1)) return Number.NaN;
    const values = this.atomValues;
    // First atom i whose CDF value F(v_i) reaches p (F is monotone over atoms, so binary search).
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf(values[mid]) < p) lo = mid + 1;
      else hi = mid;
    }
    const before = this.atomBefore[lo];
    if (lo < values.length && this.cdfBelow(values[lo]) < p) return values[lo];
    if (this.continuousWeight === 0) return lo < values.length ? values[lo] : values[values.length - 1];
    // Otherwise p is reached by the continuous part before atom lo.
    const x = this.continuousQuantile((p - before) / this.continuousWeight);
    return lo < values.length && x > values[lo] ? values[lo] : x;
  }

  /** A draw truncated to [lo, hi]; NaN when that range has no mass. */
  sample(s: Stream, lo = -Infinity, hi = Infinity): number {
    if (lo === Number.NEGATIVE_INFINITY && hi === Number.POSITIVE_INFINITY)
      return this.quantile(s.nextOpen());
    const mass = this.mass(lo, hi);
    if (!(mass > 0)) return Number.NaN;
    const x = this.quantile(this.cdfBelow(lo) + s.nextOpen() * mass);
    return x < lo ? lo : Math.min(x, hi);
  }
}
