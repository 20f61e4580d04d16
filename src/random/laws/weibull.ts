/**
 * Weibull (shape k, scale λ): lifetimes and wait times. Every function has a closed form, written
 * with expm1/log1p so each tail keeps full relative precision: F(x) = −expm1(−(x/λ)^k),
 * S(x) = exp(−(x/λ)^k), F⁻¹(p) = λ(−log1p(−p))^{1/k}, S⁻¹(q) = λ(−log q)^{1/k}. (@stdlib's
 * weibull-cdf computes 1 − exp(…), which rounds to 0 below x/λ ≈ 1e−8^{1/k}; no special function
 * is needed, so none is imported.) Untruncated draws are S⁻¹(u); truncated ones inverse-CDF on
 * the truncated range (truncate.ts), so bounds hold by construction.
 */
import type { Stream } from '../stream.js';
import { type ContinuousLaw, drawLocationScale, lawMass, PlanMemo, validShapeScale } from '../truncate.js';
import { parametric } from './law.js';

/** Weibull(k, 1). */
function standardWeibull(k: number): ContinuousLaw {
  return {
    lower: 0,
    upper: Number.POSITIVE_INFINITY,
    cdf: (x) => (x <= 0 ? 0 : -Math.expm1(-(x ** k))),
    sf: (x) => (x <= 0 ? 1 : Math.exp(-(x ** k))),
    quantile: (p) => (p >= 0 && p <= 1 ? (-Math.log1p(-p)) ** (1 / k) : Number.NaN),
    quantileUpper: (q) => (q >= 0 && q <= 1 ? (-Math.log(q)) ** (1 / k) : Number.NaN),
  };
}

/** Weibull(shape, scale) truncated to [lo, hi]; NaN for invalid parameters or a range with no mass. */
export function sampleWeibull(
  s: Stream,
  shape: number,
  scale: number,
  lo: number,
  hi: number,
  memo: PlanMemo,
): number {
  if (!validShapeScale(shape, scale)) return Number.NaN;
  if (lo <= 0 && hi === Number.POSITIVE_INFINITY) return scale * (-Math.log(s.nextOpen())) ** (1 / shape);
  return drawLocationScale(memo, s, shape, () => standardWeibull(shape), 0, scale, lo, hi);
}

export const weibull = parametric({
  name: 'weibull',
  doc: 'Weibull with a shape and a scale: lifetimes, wait times (shape 1 is the exponential).',
  params: {
    shape: {
      doc: 'Shape k, > 0 (below 1: failure rate falls with time; above 1: it rises).',
      range: 'positive',
      synonyms: ['k', 'c', 'a'],
    },
    scale: {
      doc: 'Scale λ, > 0 (the 63rd percentile).',
      range: 'positive',
      synonyms: ['lambda', 'theta', 'b'],
    },
  },
  example: { shape: 1.5, scale: 30 },
  cdf: (p, x) => standardWeibull(p.shape).cdf(x / p.scale),
  quantile: (p, q) => p.scale * standardWeibull(p.shape).quantile(q),
  mass: (p, lo, hi) => lawMass(standardWeibull(p.shape), lo / p.scale, hi / p.scale),
  sampler({ shape, scale }) {
    const memo = new PlanMemo();
    return (r, g, lo, hi) => sampleWeibull(g, shape(r), scale(r), lo, hi, memo);
  },
});
