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

/** Point masses written as a table `{"0": 0.92}` (value text → probability), as specs hold them. */
export function atomsFromRecord(rec: Readonly<Record<string, number>> | undefined): Atom[] {
  return Object.entries(rec ?? {}).map(([k, prob]) => ({ value: Number(k), prob }));
}

function invalid(message: string, hint: string): StrataError {
  return new StrataError('random.invalid_empirical', message, {}, hint);
}

/** Throws on the first point mass with a non-finite value or a probability outside [0, 1]. */
function checkPointMasses(list: readonly Atom[], what: 'atom' | 'offset'): void {
  for (const [i, a] of list.entries()) {
    if (!Number.isFinite(a.value))
      throw invalid(`${what} ${i} value must be finite (got ${a.value})`, `drop non-finite ${what}s`);
    if (!(a.prob >= 0 && a.prob <= 1))
      throw invalid(`${what} ${i} prob must be in [0, 1] (got ${a.prob})`, 'use probabilities, not counts');
  }
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
  /** P(X ≤ v_i) and P(X < v_i) at each atom, for quantile's search (was two searches per step). */
  private readonly atomCdf: Float64Array;
  private readonly atomCdfBelow: Float64Array;
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
    checkPointMasses(atoms, 'atom');
    const merged = new Map<number, number>();
    for (const a of atoms) if (a.prob > 0) merged.set(a.value, (merged.get(a.value) ?? 0) + a.prob);
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
    this.atomCdf = this.atomValues.map((v) => this.cdf(v));
    this.atomCdfBelow = this.atomValues.map((v) => this.cdfBelow(v));
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
      if (this.atomCdf[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    const before = this.atomBefore[lo];
    if (lo < values.length && this.atomCdfBelow[lo] < p) return values[lo];
    if (this.continuousWeight === 0) return lo < values.length ? values[lo] : values[values.length - 1];
    // Otherwise p is reached by the continuous part before atom lo.
    const x = this.continuousQuantile((p - before) / this.continuousWeight);
    return lo < values.length && x > values[lo] ? values[lo] : x;
  }

  /** A draw truncated to [lo, hi]; NaN when that range has no mass. */
  sample(s: Stream, lo = -Infinity, hi = Infinity): number {
    if (lo === Number.NEGATIVE_INFINITY && hi === Number.POSITIVE_INFINITY)
      return this.quantile(s.nextOpen());
    return this.sampleInMass(s, lo, hi, this.mass(lo, hi));
  }

  /** `sample` when the caller already holds `mass(lo, hi)` (AnchoredEmpirical weighs it first). */
  sampleInMass(s: Stream, lo: number, hi: number, mass: number): number {
    if (lo === Number.NEGATIVE_INFINITY && hi === Number.POSITIVE_INFINITY)
      return this.quantile(s.nextOpen());
    if (!(mass > 0)) return Number.NaN;
    const x = this.quantile(this.cdfBelow(lo) + s.nextOpen() * mass);
    return x < lo ? lo : Math.min(x, hi);
  }
}

/**
 * An empirical law tied to a per-row anchor value ("shift", usually a parent column), for children
 * that track a parent (Taiwan's BILL_AMT1 ≈ BILL_AMT2, a payment equal to last month's bill):
 *  - `atoms`: point masses at values, as in `Empirical` (a bill of exactly 0);
 *  - `offsets`: point masses at shift + key (offset 0 = "the same as the parent");
 *  - the continuous part (knots) describes either the value (`continuousOffset` false) or the
 *    offset from slope × shift (true: value = slope × shift + a draw; a slope below 1 keeps a
 *    chain of such columns from spreading out, as regression toward the mean does in real data).
 *  - `copied`: a point mass at a second value `copy` (a payment that repeats last month's payment
 *    while the shift is last month's bill); 0 when the law has none.
 * Atoms, offsets, the copy and the continuous part share the probability (the continuous part
 * carries 1 − Σ atoms − Σ offsets − copied). Truncation to [lo, hi] is by construction, as in `Empirical`: the
 * masses of the three parts inside the range are weighed and one is drawn. When none has mass
 * there (a shift far outside what was learned, a window a parent row set beyond the support), the
 * draw comes from the continuous part's exponential tail beyond its nearest outer knot (scale:
 * the width of the outermost knot interval on that side), truncated to the range: the limit, as
 * the tails' weight goes to 0, of the law with such tails conditioned on the range. So the values
 * spread into the window as the law's edge does, never onto one point. Before, the draw was
 * clamped onto the bound: on the MIMIC-III demo 36,153 of 102,713 generated store times sat
 * exactly at `parent.outtime` − 1 s (real: none), and 1 % of ICU stays started 1 s after the
 * emergency-room registration (real: none).
 */
export class AnchoredEmpirical {
  private readonly continuous: Empirical | null;
  private readonly continuousWeight: number;
  private readonly atomValues: Float64Array;
  private readonly atomProbs: Float64Array;
  private readonly offsetValues: Float64Array;
  private readonly offsetProbs: Float64Array;
  /** The continuous part's outer knots and the width of the outermost interval on each side. */
  private readonly tails: { lo: number; loScale: number; hi: number; hiScale: number } | null;

  /** Throws StrataError `random.invalid_empirical` like `Empirical`. */
  constructor(
    knots: readonly number[],
    atoms: readonly Atom[],
    offsets: readonly Atom[],
    private readonly continuousOffset: boolean,
    private readonly slope = 1,
    private readonly copied = 0,
  ) {
    const check = (list: readonly Atom[], what: 'atom' | 'offset') => {
      checkPointMasses(list, what);
      return [...list].filter((a) => a.prob > 0).sort((a, b) => a.value - b.value);
    };
    const a = check(atoms, 'atom');
    const o = check(offsets, 'offset');
    if (!(copied >= 0 && copied <= 1)) throw invalid(`copied ${copied} is not a probability`, 'use 0 … 1');
    const total = [...a, ...o].reduce((t, x) => t + x.prob, copied);
    if (total > 1 + 1e-9)
      throw invalid(
        `atom, offset and copy probabilities sum to ${total} > 1`,
        'normalize them so they sum to at most 1',
      );
    this.continuousWeight = total >= 1 ? 0 : 1 - total;
    this.continuous =
      this.continuousWeight > 0 || knots.length > 0 ? new Empirical(knots.length > 0 ? knots : [0]) : null;
    this.atomValues = Float64Array.from(a, (x) => x.value);
    this.atomProbs = Float64Array.from(a, (x) => x.prob);
    this.offsetValues = Float64Array.from(o, (x) => x.value);
    this.offsetProbs = Float64Array.from(o, (x) => x.prob);
    this.tails = this.continuousWeight > 0 && knots.length > 1 ? tailsOf(knots) : null;
  }

  /** The continuous part's own mass in [lo, hi] (before its weight), its knots offset by `base`. */
  private ownMass(base: number, lo: number, hi: number): number {
    if (!this.continuous || this.continuousWeight === 0) return 0;
    return this.continuous.mass(lo - base, hi - base);
  }

  /** Whether the copy's point mass counts: it has mass, and the copied value is finite and in [lo, hi]. */
  private copyIn(copy: number, lo: number, hi: number): boolean {
    return this.copied > 0 && Number.isFinite(copy) && copy >= lo && copy <= hi;
  }

  /** `start` plus the atoms', offsets' and copy's probability inside [lo, hi], added in that order. */
  private pointMass(shift: number, lo: number, hi: number, start: number, copy: number): number {
    let m = start;
    for (let i = 0; i < this.atomValues.length; i++)
      if (this.atomValues[i] >= lo && this.atomValues[i] <= hi) m += this.atomProbs[i];
    for (let i = 0; i < this.offsetValues.length; i++) {
      const v = shift + this.offsetValues[i];
      if (v >= lo && v <= hi) m += this.offsetProbs[i];
    }
    if (this.copyIn(copy, lo, hi)) m += this.copied;
    return m;
  }

  /** P(lo ≤ X ≤ hi) given the shift (and the copied value, when the law has a copy). */
  mass(shift: number, lo: number, hi: number, copy = Number.NaN): number {
    if (!(lo <= hi)) return 0;
    const base = this.continuousOffset ? this.slope * shift : 0;
    return this.pointMass(shift, lo, hi, this.continuousWeight * this.ownMass(base, lo, hi), copy);
  }

  /**
   * P(a ≤ X ≤ b | lo ≤ X ≤ hi) given the shift, as `sample` draws it: by the law's mass when the
   * range has some, else by the tail it draws from (0 when it cannot draw at all).
   */
  conditionalMass(shift: number, lo: number, hi: number, a: number, b: number, copy = Number.NaN): number {
    const inside = this.mass(shift, lo, hi, copy);
    if (inside > 0) return this.mass(shift, Math.max(a, lo), Math.min(b, hi), copy) / inside;
    if (!this.tails || !(lo <= hi) || !Number.isFinite(shift)) return 0;
    const base = this.continuousOffset ? this.slope * shift : 0;
    return tailMass(this.tails, base, lo, hi, Math.max(a, lo), Math.min(b, hi));
  }

  /** A draw truncated to [lo, hi]; NaN only when lo > hi, the shift is not finite, or no part can reach the range. */
  sample(s: Stream, shift: number, lo = -Infinity, hi = Infinity, copy = Number.NaN): number {
    if (!(lo <= hi) || !Number.isFinite(shift)) return Number.NaN;
    const base = this.continuousOffset ? this.slope * shift : 0;
    // the continuous part's own mass is kept for its draw below
    const ownMass = this.ownMass(base, lo, hi);
    const cont = this.continuousWeight * ownMass;
    const pointIn = this.pointMass(shift, lo, hi, 0, copy);
    const total = cont + pointIn;
    if (!(total > 0)) return this.tails ? tailDraw(s, this.tails, base, lo, hi) : Number.NaN;
    let u = s.nextOpen() * total;
    if (u < pointIn) {
      let last = Number.NaN;
      for (let i = 0; i < this.atomValues.length; i++) {
        const v = this.atomValues[i];
        if (v < lo || v > hi) continue;
        last = v;
        u -= this.atomProbs[i];
        if (u < 0) return v;
      }
      for (let i = 0; i < this.offsetValues.length; i++) {
        const v = shift + this.offsetValues[i];
        if (v < lo || v > hi) continue;
        last = v;
        u -= this.offsetProbs[i];
        if (u < 0) return v;
      }
      if (this.copyIn(copy, lo, hi)) {
        last = copy;
        u -= this.copied;
        if (u < 0) return copy;
      }
      // Rounding left u at the very top: the last point inside the range.
      if (!(cont > 0)) return last;
    }
    const x = base + this.continuous!.sampleInMass(s, lo - base, hi - base, ownMass);
    return x < lo ? lo : Math.min(x, hi);
  }
}

interface Tails {
  lo: number;
  loScale: number;
  hi: number;
  hiScale: number;
}

/** Outer knots and the width of the outermost non-empty interval at each end (1 when all are equal). */
function tailsOf(knots: readonly number[]): Tails {
  const n = knots.length;
  let i = 1;
  while (i < n - 1 && knots[i] === knots[0]) i++;
  let j = n - 2;
  while (j > 0 && knots[j] === knots[n - 1]) j--;
  return {
    lo: knots[0],
    loScale: knots[i] - knots[0] || 1,
    hi: knots[n - 1],
    hiScale: knots[n - 1] - knots[j] || 1,
  };
}

/**
 * The tail a range beyond the support is drawn from: above the last knot, an exponential from
 * the range's lower end upward (the density falls away from the support as the tail does);
 * below the first knot, the mirror image from the range's upper end downward. `u` ∈ (0, 1).
 */
function tailSide(
  t: Tails,
  base: number,
  lo: number,
  hi: number,
): { from: number; dir: 1 | -1; scale: number } {
  if (lo > base + t.hi) return { from: lo, dir: 1, scale: t.hiScale };
  return { from: hi, dir: -1, scale: t.loScale };
}

function tailDraw(s: Stream, t: Tails, base: number, lo: number, hi: number): number {
  const { from, dir, scale } = tailSide(t, base, lo, hi);
  const width = hi - lo;
  const u = s.nextOpen();
  // Inverse CDF of an exponential(scale) truncated to [0, width].
  const d = Number.isFinite(width)
    ? -scale * Math.log1p(u * Math.expm1(-width / scale))
    : -scale * Math.log(u);
  const x = from + dir * Math.min(d, width);
  return x < lo ? lo : Math.min(x, hi);
}

/** P(a ≤ X ≤ b) under tailDraw's law on [lo, hi]. */
function tailMass(t: Tails, base: number, lo: number, hi: number, a: number, b: number): number {
  if (!(a <= b)) return 0;
  const { from, dir, scale } = tailSide(t, base, lo, hi);
  const width = hi - lo;
  const cdf = (d: number) => {
    const x = Math.max(0, Math.min(d, width));
    return Number.isFinite(width)
      ? Math.expm1(-x / scale) / Math.expm1(-width / scale)
      : -Math.expm1(-x / scale);
  };
  const d1 = dir === 1 ? a - from : from - b;
  const d2 = dir === 1 ? b - from : from - a;
  return cdf(d2) - cdf(d1);
}
