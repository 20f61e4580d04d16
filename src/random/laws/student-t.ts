/**
 * Student's t (df ν, location μ, scale σ): heavy-tailed residuals and returns; ν = 1 is the
 * Cauchy, large ν approaches the normal. CDF and quantile of the standard t come from @stdlib
 * (betainc-based; the lower tail is computed directly, so P(T ≤ −x) keeps its relative precision
 * and the upper tail follows by symmetry). Untruncated draws are Z / √(V/ν) with V ~ χ²(ν) =
 * Gamma(ν/2, 2); truncated ones inverse-CDF on the truncated range (truncate.ts). Known limit:
 * for ν ≤ 1 @stdlib's quantile overflows to −∞ below p ≈ 1e−300 (the truncated draw is then
 * clamped to its bound).
 */
import { createRequire } from 'node:module';
import type TCdf from '@stdlib/stats-base-dists-t-cdf';
import type TQuantile from '@stdlib/stats-base-dists-t-quantile';
import { sampleGamma } from '../gamma.js';
import { standardNormal } from '../normal.js';
import type { Stream } from '../stream.js';
import { type ContinuousLaw, drawLocationScale, lawMass, PlanMemo } from '../truncate.js';
import { parametric } from './law.js';

// Loaded on first use, as in special.ts: most specs never need them (start-up of every worker).
const requireCjs = createRequire(import.meta.url);
let tCdfFn: typeof TCdf | undefined;
let tQuantileFn: typeof TQuantile | undefined;
const tCdf = (x: number, df: number) => {
  tCdfFn ??= requireCjs('@stdlib/stats-base-dists-t-cdf') as typeof TCdf;
  return tCdfFn(x, df);
};
const tQuantile = (p: number, df: number) => {
  tQuantileFn ??= requireCjs('@stdlib/stats-base-dists-t-quantile') as typeof TQuantile;
  return tQuantileFn(p, df);
};

/** The standard t with ν degrees of freedom. */
function standardT(df: number): ContinuousLaw {
  return {
    lower: Number.NEGATIVE_INFINITY,
    upper: Number.POSITIVE_INFINITY,
    cdf: (x) => tCdf(x, df),
    sf: (x) => tCdf(-x, df),
    quantile: (p) => tQuantile(p, df),
    quantileUpper: (q) => -tQuantile(q, df),
  };
}

const finitePositive = (x: number) => x > 0 && x < Number.POSITIVE_INFINITY;
const gammaMemo = new PlanMemo(); // untruncated gamma draws never consult it

/** Student-t(df, location, scale) truncated to [lo, hi]; NaN for invalid parameters or no mass. */
export function sampleStudentT(
  s: Stream,
  df: number,
  location: number,
  scale: number,
  lo: number,
  hi: number,
  memo: PlanMemo,
): number {
  if (!finitePositive(df) || !Number.isFinite(location) || !finitePositive(scale)) return Number.NaN;
  if (lo === Number.NEGATIVE_INFINITY && hi === Number.POSITIVE_INFINITY) {
    const z = standardNormal(s);
    const v = sampleGamma(s, df / 2, 2, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, gammaMemo);
    return location + scale * (z / Math.sqrt(v / df));
  }
  return drawLocationScale(memo, s, df, () => standardT(df), location, scale, lo, hi);
}

export const studentT = parametric({
  name: 'student_t',
  doc: "Student's t with df degrees of freedom, shifted by location and stretched by scale: heavy tails.",
  aliases: ['t', 'studentt', 'student', 'students_t'],
  params: {
    df: {
      doc: 'Degrees of freedom ν, > 0 (1 is the Cauchy; large ν approaches the normal).',
      range: 'positive',
      synonyms: ['nu', 'dof', 'v', 'degrees_of_freedom'],
    },
  },
  optional: {
    location: {
      doc: 'Centre (the median).',
      range: 'real',
      default: 0,
      synonyms: ['mu', 'loc', 'mean', 'center'],
    },
    scale: { doc: 'Scale σ, > 0.', range: 'positive', default: 1, synonyms: ['sigma', 'sd', 's'] },
  },
  example: { df: 4, location: 0, scale: 1 },
  cdf: (p, x) => tCdf((x - p.location) / p.scale, p.df),
  quantile: (p, q) => p.location + p.scale * tQuantile(q, p.df),
  mass: (p, lo, hi) => lawMass(standardT(p.df), (lo - p.location) / p.scale, (hi - p.location) / p.scale),
  sampler({ df, location, scale }) {
    const memo = new PlanMemo();
    return (r, g, lo, hi) => sampleStudentT(g, df(r), location(r), scale(r), lo, hi, memo);
  },
});
