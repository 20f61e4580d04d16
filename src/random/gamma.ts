/**
 * Gamma and beta draws.
 *
 * Untruncated gamma: Marsaglia & Tsang (2000) squeeze method; shape < 1 by the boost
 * Gamma(a) = Gamma(a + 1)·U^{1/a}. Beta: X/(X + Y) from two gammas, in log space when a shape is < 1 so
 * that tiny gamma variates cannot underflow to 0/0. Truncated: inverse CDF through the regularized
 * incomplete gamma/beta functions (special.ts, truncate.ts).
 */
import { standardNormal } from './normal.js';
import {
  betaCdf,
  betaQuantile,
  betaQuantileUpper,
  betaSf,
  gammaCdf,
  gammaQuantile,
  gammaQuantileUpper,
  gammaSf,
} from './special.js';
import type { Stream } from './stream.js';
import { type ContinuousLaw, drawLocationScale, drawPlanned, lawMass, PlanMemo } from './truncate.js';

const gammaMemo = new PlanMemo();
const betaMemo = new PlanMemo();

function positive(x: number): boolean {
  return x > 0 && x < Number.POSITIVE_INFINITY;
}

/** Marsaglia–Tsang for shape ≥ 1, scale 1. */
function gammaMT(s: Stream, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(s);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = s.nextOpen();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** log of a Gamma(shape, 1) draw; exact for tiny shapes where the draw itself would underflow. */
function logGammaDraw(s: Stream, shape: number): number {
  if (shape >= 1) return Math.log(gammaMT(s, shape));
  const g = gammaMT(s, shape + 1);
  return Math.log(g) + Math.log(s.nextOpen()) / shape;
}

function gammaLaw(shape: number): ContinuousLaw {
  return {
    lower: 0,
    upper: Number.POSITIVE_INFINITY,
    cdf: (x) => gammaCdf(x, shape),
    sf: (x) => gammaSf(x, shape),
    quantile: (p) => gammaQuantile(p, shape),
    quantileUpper: (q) => gammaQuantileUpper(q, shape),
  };
}

/** Gamma(shape, scale) truncated to [lo, hi]. NaN for invalid params or a zero-mass range. */
export function sampleGamma(
  s: Stream,
  shape: number,
  scale: number,
  lo = -Infinity,
  hi = Infinity,
  memo = gammaMemo,
): number {
  if (!positive(shape) || !positive(scale)) return Number.NaN;
  if (lo <= 0 && hi === Number.POSITIVE_INFINITY) {
    if (shape >= 1) return scale * gammaMT(s, shape);
    return scale * Math.exp(logGammaDraw(s, shape));
  }
  return drawLocationScale(memo, s, shape, () => gammaLaw(shape), 0, scale, lo, hi);
}

export function gammaMass(shape: number, scale: number, lo: number, hi: number): number {
  if (!positive(shape) || !positive(scale)) return Number.NaN;
  return lawMass(gammaLaw(shape), lo / scale, hi / scale);
}

function betaLaw(alpha: number, beta: number): ContinuousLaw {
  return {
    lower: 0,
    upper: 1,
    cdf: (x) => betaCdf(x, alpha, beta),
    sf: (x) => betaSf(x, alpha, beta),
    quantile: (p) => betaQuantile(p, alpha, beta),
    quantileUpper: (q) => betaQuantileUpper(q, alpha, beta),
  };
}

/** Beta(alpha, beta) truncated to [lo, hi]. NaN for invalid params or a zero-mass range. */
export function sampleBeta(
  s: Stream,
  alpha: number,
  beta: number,
  lo = -Infinity,
  hi = Infinity,
  memo = betaMemo,
): number {
  if (!positive(alpha) || !positive(beta)) return Number.NaN;
  if (lo <= 0 && hi >= 1) {
    if (alpha >= 1 && beta >= 1) {
      const x = gammaMT(s, alpha);
      return x / (x + gammaMT(s, beta));
    }
    const lx = logGammaDraw(s, alpha);
    const ly = logGammaDraw(s, beta);
    // X/(X+Y) = 1/(1 + e^{ly−lx}); an infinite difference gives the right limit 0 or 1.
    return 1 / (1 + Math.exp(ly - lx));
  }
  const [law, plan] = memo.get([alpha, beta, lo, hi], () => betaLaw(alpha, beta), lo, hi);
  if (!plan) return Number.NaN;
  const x = drawPlanned(law, plan, s.nextOpen());
  return x < lo ? lo : Math.min(x, hi);
}

export function betaMass(alpha: number, beta: number, lo: number, hi: number): number {
  if (!positive(alpha) || !positive(beta)) return Number.NaN;
  return lawMass(betaLaw(alpha, beta), lo, hi);
}
