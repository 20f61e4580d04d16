/**
 * Name-based access to the parametric laws, for the spec engine: parameter names and order,
 * validation messages, CDF, quantile, truncated mass and truncated draws by name.
 */
import {
  binomialCdf,
  binomialMass,
  binomialQuantile,
  poissonCdf,
  poissonMass,
  poissonQuantile,
  sampleBinomial,
  samplePoisson,
} from './discrete.js';
import {
  exponentialCdf,
  exponentialMass,
  exponentialQuantile,
  sampleExponential,
  sampleUniform,
  uniformCdf,
  uniformMass,
  uniformQuantile,
} from './elementary.js';
import { betaMass, gammaMass, sampleBeta, sampleGamma } from './gamma.js';
import { lognormalMass, normalMass, sampleLognormal, sampleNormal } from './normal.js';
import { betaCdf, betaQuantile, gammaCdf, gammaQuantile, phi, probit } from './special.js';
import type { Stream } from './stream.js';

export type ContinuousName =
  | 'normal'
  | 'lognormal'
  | 'uniform'
  | 'exponential'
  | 'gamma'
  | 'beta'
  | 'poisson'
  | 'binomial';

/** Parameter names in positional order. */
export const distributionParams: Record<ContinuousName, readonly string[]> = {
  normal: ['mean', 'sd'],
  lognormal: ['meanlog', 'sdlog'],
  uniform: ['min', 'max'],
  exponential: ['rate'],
  gamma: ['shape', 'scale'],
  beta: ['alpha', 'beta'],
  poisson: ['lambda'],
  binomial: ['n', 'p'],
};

/** True for the integer-valued laws (poisson, binomial). */
export function isDiscrete(name: ContinuousName): boolean {
  return name === 'poisson' || name === 'binomial';
}

function finite(name: string, x: number): string | null {
  return Number.isFinite(x) ? null : `${name} must be a finite number (got ${x})`;
}

function positive(name: string, x: number): string | null {
  return x > 0 && x < Number.POSITIVE_INFINITY ? null : `${name} must be > 0 (got ${x})`;
}

/** null when the parameters are valid, else a message naming the parameter and the value. */
export function validateParams(name: ContinuousName, p: readonly number[]): string | null {
  const names = distributionParams[name];
  if (!names) return `unknown distribution "${name}"`;
  if (p.length !== names.length) {
    return `${name} takes ${names.length} parameter${names.length === 1 ? '' : 's'} (${names.join(', ')}), got ${p.length}`;
  }
  switch (name) {
    case 'normal':
    case 'lognormal':
      return finite(names[0], p[0]) ?? positive(names[1], p[1]);
    case 'uniform':
      return (
        finite('min', p[0]) ??
        finite('max', p[1]) ??
        (p[0] < p[1] ? null : `max must be > min (got min=${p[0]}, max=${p[1]})`)
      );
    case 'exponential':
      return positive('rate', p[0]);
    case 'gamma':
    case 'beta':
      return positive(names[0], p[0]) ?? positive(names[1], p[1]);
    case 'poisson':
      return p[0] >= 0 && p[0] < Number.POSITIVE_INFINITY
        ? null
        : `lambda must be ≥ 0 and finite (got ${p[0]})`;
    case 'binomial':
      if (!(Number.isSafeInteger(p[0]) && p[0] >= 0)) return `n must be a whole number ≥ 0 (got ${p[0]})`;
      return p[1] >= 0 && p[1] <= 1 ? null : `p must be in [0, 1] (got ${p[1]})`;
  }
}

/** P(X ≤ x). NaN for invalid parameters. */
export function cdf(name: ContinuousName, p: readonly number[], x: number): number {
  if (validateParams(name, p) !== null || Number.isNaN(x)) return Number.NaN;
  switch (name) {
    case 'normal':
      return phi((x - p[0]) / p[1]);
    case 'lognormal':
      return x <= 0 ? 0 : phi((Math.log(x) - p[0]) / p[1]);
    case 'uniform':
      return uniformCdf(p[0], p[1], x);
    case 'exponential':
      return exponentialCdf(p[0], x);
    case 'gamma':
      return gammaCdf(x / p[1], p[0]);
    case 'beta':
      return betaCdf(x, p[0], p[1]);
    case 'poisson':
      return poissonCdf(p[0], x);
    case 'binomial':
      return binomialCdf(p[0], p[1], x);
  }
}

/** Smallest x with P(X ≤ x) ≥ q. NaN for invalid parameters or q outside [0, 1]. */
export function quantile(name: ContinuousName, p: readonly number[], q: number): number {
  if (validateParams(name, p) !== null || !(q >= 0 && q <= 1)) return Number.NaN;
  switch (name) {
    case 'normal':
      return p[0] + p[1] * probit(q);
    case 'lognormal':
      return Math.exp(p[0] + p[1] * probit(q));
    case 'uniform':
      return uniformQuantile(p[0], p[1], q);
    case 'exponential':
      return exponentialQuantile(p[0], q);
    case 'gamma':
      return p[1] * gammaQuantile(q, p[0]);
    case 'beta':
      return betaQuantile(q, p[0], p[1]);
    case 'poisson':
      return poissonQuantile(p[0], q);
    case 'binomial':
      return binomialQuantile(p[0], p[1], q);
  }
}

/**
 * One draw from the named law truncated to [lo, hi] (integer bounds for poisson/binomial).
 * NaN for invalid parameters or a range with (numerically) zero mass.
 */
export function sampleByName(
  name: ContinuousName,
  s: Stream,
  p: readonly number[],
  lo = -Infinity,
  hi = Infinity,
): number {
  switch (name) {
    case 'normal':
      return sampleNormal(s, p[0], p[1], lo, hi);
    case 'lognormal':
      return sampleLognormal(s, p[0], p[1], lo, hi);
    case 'uniform':
      return sampleUniform(s, p[0], p[1], lo, hi);
    case 'exponential':
      return sampleExponential(s, p[0], lo, hi);
    case 'gamma':
      return sampleGamma(s, p[0], p[1], lo, hi);
    case 'beta':
      return sampleBeta(s, p[0], p[1], lo, hi);
    case 'poisson':
      return samplePoisson(s, p[0], lo, hi);
    case 'binomial':
      return sampleBinomial(s, p[0], p[1], lo, hi);
    default:
      return Number.NaN;
  }
}

/** P(lo ≤ X ≤ hi). NaN for invalid parameters; 0 for an empty or reversed range. */
export function truncatedMass(name: ContinuousName, p: readonly number[], lo: number, hi: number): number {
  if (validateParams(name, p) !== null) return Number.NaN;
  if (!(lo <= hi)) return 0;
  switch (name) {
    case 'normal':
      return normalMass(p[0], p[1], lo, hi);
    case 'lognormal':
      return lognormalMass(p[0], p[1], lo, hi);
    case 'uniform':
      return uniformMass(p[0], p[1], lo, hi);
    case 'exponential':
      return exponentialMass(p[0], lo, hi);
    case 'gamma':
      return gammaMass(p[0], p[1], lo, hi);
    case 'beta':
      return betaMass(p[0], p[1], lo, hi);
    case 'poisson':
      return poissonMass(p[0], lo, hi);
    case 'binomial':
      return binomialMass(p[0], p[1], lo, hi);
  }
}
