/**
 * Pareto (type I: scale x_m, the minimum, and shape α): heavy upper tails — incomes above a
 * threshold, claim sizes, file sizes, city sizes — where the lognormal's tail falls off too fast.
 * Every function has a closed form, written with expm1/log1p so each tail keeps full relative
 * precision: F(x) = −expm1(−α log(x/x_m)), S(x) = (x/x_m)^−α, F⁻¹(p) = x_m exp(−log1p(−p)/α),
 * S⁻¹(q) = x_m q^(−1/α) (no special function, so none is imported). Untruncated draws are
 * S⁻¹(u); truncated ones inverse-CDF on the truncated range (truncate.ts), so bounds hold by
 * construction.
 */
import type { Stream } from '../stream.js';
import { type ContinuousLaw, drawLocationScale, lawMass, PlanMemo, validShapeScale } from '../truncate.js';
import { parametric } from './law.js';

/** Pareto(α, 1), on [1, ∞). */
function standardPareto(alpha: number): ContinuousLaw {
  return {
    lower: 1,
    upper: Number.POSITIVE_INFINITY,
    cdf: (x) => (x <= 1 ? 0 : -Math.expm1(-alpha * Math.log(x))),
    sf: (x) => (x <= 1 ? 1 : Math.exp(-alpha * Math.log(x))),
    quantile: (p) => (p >= 0 && p <= 1 ? Math.exp(-Math.log1p(-p) / alpha) : Number.NaN),
    quantileUpper: (q) => (q >= 0 && q <= 1 ? Math.exp(-Math.log(q) / alpha) : Number.NaN),
  };
}

/** Pareto(shape, scale) truncated to [lo, hi]; NaN for invalid parameters or a range with no mass. */
export function samplePareto(
  s: Stream,
  shape: number,
  scale: number,
  lo: number,
  hi: number,
  memo: PlanMemo,
): number {
  if (!validShapeScale(shape, scale)) return Number.NaN;
  if (lo <= scale && hi === Number.POSITIVE_INFINITY) return scale * s.nextOpen() ** (-1 / shape);
  return drawLocationScale(memo, s, shape, () => standardPareto(shape), 0, scale, lo, hi);
}

export const pareto = parametric({
  name: 'pareto',
  doc: 'Pareto with a scale (the minimum) and a shape: heavy upper tails such as incomes above a threshold or claim sizes.',
  aliases: ['powerlaw', 'power_law'],
  params: {
    scale: {
      doc: 'Scale x_m, > 0: the smallest value.',
      range: 'positive',
      synonyms: ['xm', 'x_m', 'minimum', 'min'],
    },
    shape: {
      doc: 'Shape α, > 0: the tail index (smaller is heavier; the mean is finite only above 1, the variance above 2).',
      range: 'positive',
      synonyms: ['alpha', 'a', 'b', 'k'],
    },
  },
  example: { scale: 20000, shape: 2.5 },
  cdf: (p, x) => standardPareto(p.shape).cdf(x / p.scale),
  quantile: (p, q) => p.scale * standardPareto(p.shape).quantile(q),
  mass: (p, lo, hi) => lawMass(standardPareto(p.shape), lo / p.scale, hi / p.scale),
  sampler({ shape, scale }) {
    const memo = new PlanMemo();
    return (r, g, lo, hi) => samplePareto(g, shape(r), scale(r), lo, hi, memo);
  },
});
