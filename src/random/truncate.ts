/**
 * Truncation by construction for continuous laws: inverse CDF on the truncated range, never rejection.
 *
 * When the range starts in the lower half of the law we work with the CDF, u' = F(a) + u·(F(b) − F(a)),
 * x = F⁻¹(u'); when it starts in the upper half we work with the survival function,
 * q' = S(a) − u·(S(a) − S(b)), x = S⁻¹(q'). Each side keeps full relative precision in its own tail, so a
 * normal truncated to [8, ∞) is drawn as accurately as one truncated to [0, ∞).
 *
 * If the range carries (numerically) zero mass — empty, reversed, NaN bounds, or so far in a tail that
 * the probability underflows — the draw is NaN. Callers (the engine) turn NaN into an error naming the
 * column.
 */

import { LastMemo } from './memo.js';
import type { Stream } from './stream.js';

/** A continuous law on its natural scale: CDF, survival function and both inverses. */
export interface ContinuousLaw {
  /** Lowest point of the support (may be −∞). */
  readonly lower: number;
  /** Highest point of the support (may be +∞). */
  readonly upper: number;
  cdf(x: number): number;
  sf(x: number): number;
  /** F⁻¹(p). */
  quantile(p: number): number;
  /** S⁻¹(q), accurate for small q. */
  quantileUpper(q: number): number;
}

/** P(lo ≤ X ≤ hi), computed on the side that keeps precision. */
export function lawMass(law: ContinuousLaw, lo: number, hi: number): number {
  const a = Math.max(lo, law.lower);
  const b = Math.min(hi, law.upper);
  if (!(a < b)) return 0; // also catches NaN bounds; a point has no mass under a continuous law
  const fa = law.cdf(a);
  if (fa < 0.5) return Math.max(0, law.cdf(b) - fa);
  return Math.max(0, law.sf(a) - law.sf(b));
}

/** What a truncated draw needs that does not depend on the uniform: computed once per (law, range). */
export interface TruncationPlan {
  readonly a: number;
  readonly b: number;
  /** Work with the survival function (range starts in the upper half of the law). */
  readonly upperSide: boolean;
  /** F(a) on the lower side, S(a) on the upper side. */
  readonly base: number;
  readonly mass: number;
}

/** A plan a caller fills again and again (planTruncationInto) instead of allocating one per range. */
export interface PlanSlot {
  a: number;
  b: number;
  upperSide: boolean;
  base: number;
  mass: number;
}

/**
 * The plan for drawing `law` restricted to [lo, hi], written into `out`; false (and `out` left
 * as it was) when the range has (numerically) no mass.
 */
export function planTruncationInto(law: ContinuousLaw, lo: number, hi: number, out: PlanSlot): boolean {
  const a = Math.max(lo, law.lower);
  const b = Math.min(hi, law.upper);
  if (!(a < b)) return false;
  const fa = law.cdf(a);
  const upperSide = !(fa < 0.5);
  const base = upperSide ? law.sf(a) : fa;
  const mass = upperSide ? base - law.sf(b) : law.cdf(b) - fa;
  if (!(mass > 0)) return false;
  out.a = a;
  out.b = b;
  out.upperSide = upperSide;
  out.base = base;
  out.mass = mass;
  return true;
}

/** The plan for drawing `law` restricted to [lo, hi]; null when the range has (numerically) no mass. */
export function planTruncation(law: ContinuousLaw, lo: number, hi: number): TruncationPlan | null {
  const out: PlanSlot = { a: 0, b: 0, upperSide: false, base: 0, mass: 0 };
  return planTruncationInto(law, lo, hi, out) ? out : null;
}

/** Inverse-CDF draw for a plan, using the uniform u ∈ (0, 1). */
export function drawPlanned(law: ContinuousLaw, plan: TruncationPlan, u: number): number {
  const x = plan.upperSide
    ? law.quantileUpper(plan.base - u * plan.mass)
    : law.quantile(plan.base + u * plan.mass);
  // The quantile functions are accurate to a few ulps; this only absorbs that rounding at the edges.
  return x < plan.a ? plan.a : Math.min(x, plan.b);
}

/** Inverse-CDF draw from `law` restricted to [lo, hi] using the uniform u ∈ (0, 1). NaN when the range has no mass. */
export function truncatedDraw(law: ContinuousLaw, u: number, lo: number, hi: number): number {
  const plan = planTruncation(law, lo, hi);
  return plan ? drawPlanned(law, plan, u) : Number.NaN;
}

/** Memo of (law, plan) for the last parameters and bounds seen at one call site. */
export class PlanMemo {
  private readonly memo = new LastMemo<[ContinuousLaw, TruncationPlan | null]>();

  get(
    key: readonly number[],
    makeLaw: () => ContinuousLaw,
    lo: number,
    hi: number,
  ): [ContinuousLaw, TruncationPlan | null] {
    return this.memo.get(key, () => {
      const law = makeLaw();
      return [law, planTruncation(law, lo, hi)];
    });
  }
}

/** A shape and a scale that are both positive and finite (the Weibull and Pareto laws' own check). */
export const validShapeScale = (shape: number, scale: number): boolean =>
  shape > 0 && shape < Number.POSITIVE_INFINITY && scale > 0 && scale < Number.POSITIVE_INFINITY;

/**
 * A truncated draw from a location–scale member of a family: `makeLaw` gives the standard member
 * for `shape` (its plan memoized per shape and standardized range), and the draw is
 * location + scale·z, kept inside [lo, hi]. NaN when the range has no mass. Shared by the gamma,
 * Weibull, Pareto and Student-t samplers (location 0 for the first three).
 */
export function drawLocationScale(
  memo: PlanMemo,
  s: Stream,
  shape: number,
  makeLaw: () => ContinuousLaw,
  location: number,
  scale: number,
  lo: number,
  hi: number,
): number {
  const a = (lo - location) / scale;
  const b = (hi - location) / scale;
  const [law, plan] = memo.get([shape, a, b], makeLaw, a, b);
  if (!plan) return Number.NaN;
  const x = location + scale * drawPlanned(law, plan, s.nextOpen());
  return x < lo ? lo : Math.min(x, hi);
}
