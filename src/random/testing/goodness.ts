/**
 * Goodness-of-fit helpers for tests: one-sample Kolmogorov–Smirnov statistic and critical value,
 * Pearson chi-square p-value. Small and dependency-free apart from the regularized incomplete gamma
 * (chi-square survival), so other modules' tests can reuse them.
 */
import gammainc from '@stdlib/math-base-special-gammainc';

/** Kolmogorov–Smirnov D = sup |F_n(x) − F(x)| of `sample` against the continuous CDF `cdf`. */
export function ksStatistic(sample: ArrayLike<number>, cdf: (x: number) => number): number {
  const xs = Float64Array.from(sample).sort();
  const n = xs.length;
  if (n === 0) return Number.NaN;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]);
    if (Number.isNaN(f)) return Number.NaN;
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * Critical value of D at level alpha: c(α)/(√n + 0.12 + 0.11/√n) with c(α) = √(−½·ln(α/2))
 * (Stephens 1970; accurate to a few % for n ≥ 5, conservative direction is irrelevant at n ≈ 20k).
 */
export function ksCritical(n: number, alpha: number): number {
  const sqrtN = Math.sqrt(n);
  return Math.sqrt(-0.5 * Math.log(alpha / 2)) / (sqrtN + 0.12 + 0.11 / sqrtN);
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
}

/**
 * Pearson chi-square test of observed counts against expected counts. `expected` may be any
 * non-negative weights: it is rescaled to the observed total. Adjacent bins are merged (left to right)
 * until each has expected count ≥ 5. `ddof` subtracts fitted-parameter degrees of freedom.
 */
export function chiSquareTest(
  observed: ArrayLike<number>,
  expected: ArrayLike<number>,
  ddof = 0,
): ChiSquareResult {
  if (observed.length !== expected.length) throw new Error('observed and expected must have the same length');
  let totalObs = 0;
  let totalExp = 0;
  for (let i = 0; i < observed.length; i++) {
    totalObs += observed[i];
    totalExp += expected[i];
  }
  const scale = totalObs / totalExp;
  const obs: number[] = [];
  const exp: number[] = [];
  let o = 0;
  let e = 0;
  for (let i = 0; i < observed.length; i++) {
    o += observed[i];
    e += expected[i] * scale;
    if (e >= 5) {
      obs.push(o);
      exp.push(e);
      o = 0;
      e = 0;
    }
  }
  if (e > 0 || o > 0) {
    if (exp.length === 0) {
      obs.push(o);
      exp.push(e);
    } else {
      obs[obs.length - 1] += o;
      exp[exp.length - 1] += e;
    }
  }
  let statistic = 0;
  for (let i = 0; i < obs.length; i++) {
    if (exp[i] === 0) {
      if (obs[i] > 0) statistic = Number.POSITIVE_INFINITY;
      continue;
    }
    statistic += (obs[i] - exp[i]) ** 2 / exp[i];
  }
  const df = obs.length - 1 - ddof;
  const pValue =
    df <= 0
      ? Number.NaN
      : statistic === Number.POSITIVE_INFINITY
        ? 0
        : gammainc(statistic / 2, df / 2, true, true);
  return { statistic, df, pValue };
}

/** p-value of the Pearson chi-square test (see chiSquareTest). */
export function chiSquarePValue(observed: ArrayLike<number>, expected: ArrayLike<number>, ddof = 0): number {
  return chiSquareTest(observed, expected, ddof).pValue;
}
