/**
 * Peaks-over-threshold tail model: a generalised Pareto distribution (GPD) fitted to the upper part
 * of a column's model distribution, used to extrapolate beyond the largest value the model can
 * produce.
 *
 * Estimator (documented in docs/coverage.md): threshold u0 = the model's 0.95 quantile (raised to
 * the last value below the top when the top 5 % is a single atom); the excesses are the model's
 * own conditional quantiles y_i = Q(F(u0) + (1 − F(u0))·(i − 0.5)/m) − u0, i = 1..m (m = 64),
 * and (σ, ξ) are the probability-weighted-moment estimates of Hosking & Wallis (1987):
 *   a0 = mean(y), a1 = mean((1 − p_i) y_(i)) with p_i = (i − 0.35)/m,
 *   ξ = 2 − a0 / (a0 − 2 a1), σ = 2 a0 a1 / (a0 − 2 a1).
 * ξ is clamped to [−0.5, 0.9] (finite mean; PWM is unreliable outside it). Hand-written: a dozen
 * lines of closed forms, no package needed.
 */
import type { TableModel } from '../model/compile.js';
import type { Stream } from '../random/stream.js';
import type { Table } from '../spec/schema.js';
import { solveQuantile } from './solve-quantile.js';

export interface GpdTail {
  threshold: number;
  /** P(X ≥ threshold) under the model. */
  exceed: number;
  sigma: number;
  xi: number;
  /** P(Y > y) for the excess Y = X − threshold. */
  survival(y: number): number;
  /** A draw of X from the GPD conditional on X in [lo, hi) (lo ≥ threshold). */
  sampleAbove(rng: Stream, lo: number, hi: number): number;
}

const M = 64;

export function gpdSurvival(sigma: number, xi: number, y: number): number {
  if (y <= 0) return 1;
  if (Math.abs(xi) < 1e-9) return Math.exp(-y / sigma);
  const t = 1 + (xi * y) / sigma;
  return t <= 0 ? 0 : t ** (-1 / xi);
}

export function gpdQuantileOfSurvival(sigma: number, xi: number, s: number): number {
  if (Math.abs(xi) < 1e-9) return -sigma * Math.log(s);
  return (sigma / xi) * (s ** -xi - 1);
}

/** Probability-weighted-moment GPD estimates from sorted excesses. */
export function pwmFit(excesses: readonly number[]): { sigma: number; xi: number } {
  const y = [...excesses].sort((a, b) => a - b);
  const m = y.length;
  let a0 = 0;
  let a1 = 0;
  for (let i = 0; i < m; i++) {
    a0 += y[i];
    a1 += (1 - (i + 1 - 0.35) / m) * y[i];
  }
  a0 /= m;
  a1 /= m;
  const d = a0 - 2 * a1;
  let xi = d > 0 ? 2 - a0 / d : 0;
  let sigma = d > 0 ? (2 * a0 * a1) / d : a0;
  xi = Math.min(0.9, Math.max(-0.5, xi));
  if (!(sigma > 0)) sigma = Math.max(a0, 1e-9);
  return { sigma, xi };
}

export function makeGpd(
  threshold: number,
  exceed: number,
  sigma: number,
  xi: number,
  integer: boolean,
): GpdTail {
  return {
    threshold,
    exceed,
    sigma,
    xi,
    survival: (y) => gpdSurvival(sigma, xi, y),
    sampleAbove(rng, lo, hi) {
      const sLo = gpdSurvival(sigma, xi, lo - threshold);
      const sHi = Number.isFinite(hi) ? gpdSurvival(sigma, xi, hi - threshold) : 0;
      const s = sHi + rng.nextOpen() * (sLo - sHi);
      let x = threshold + gpdQuantileOfSurvival(sigma, xi, s);
      if (integer) {
        x = Math.max(Math.ceil(lo), Math.round(x));
        if (Number.isFinite(hi)) x = Math.min(x, Math.ceil(hi) - 1);
      }
      return x;
    },
  };
}

/**
 * Fit the POT tail of column `column`; `cdfBelow(x)` = P(X < x) under the model (exact, from the
 * discrete machinery). Quantiles are found by bisection on it.
 */
export function fitTailGpd(
  model: TableModel,
  _table: Table,
  column: number,
  cdfBelow: (x: number) => number | undefined,
): GpdTail | undefined {
  const integer = model.columns[column].type === 'integer';
  const F = (x: number) => cdfBelow(integer ? Math.floor(x) + 1 : x) ?? Number.NaN; // ≈ P(X ≤ x)
  const Q = (p: number) => solveQuantile(F, p, integer);
  if (Number.isNaN(F(0))) return undefined;
  let pu = 0.95;
  let u0 = Q(pu);
  const top = Q(1 - 1e-12);
  // When the top 5% is one atom (everything equals the max), step the threshold down.
  while (u0 >= top && pu > 0.5) {
    pu -= 0.05;
    u0 = Q(pu);
  }
  const Fu = F(u0);
  const exceed = 1 - Fu;
  // The 64 quantiles rise with i: each search starts from the previous one, to 1e-6 (an estimate's
  // input needs no more; this was ~2,000 CDF evaluations, each a sum over every fitted law).
  const ys: number[] = [];
  let from = u0;
  for (let i = 0; i < M; i++) {
    const q = solveQuantile(F, Fu + (1 - Fu) * ((i + 0.5) / M), integer, { lo: from, hi: top, rel: 1e-6 });
    ys.push(Math.max(0, q - u0));
    if (F(q) < Fu + (1 - Fu) * ((i + 1.5) / M)) from = q;
  }
  const { sigma, xi } = pwmFit(ys);
  return makeGpd(u0, exceed, sigma, xi, integer);
}
