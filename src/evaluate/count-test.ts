/**
 * Do two counts of the same kind of row (a cell, a tail) come from the same rate? `a` of `na` rows
 * on one side, `b` of `nb` on the other. Given the total k = a + b, under equal rates `a` is
 * Binomial(k, na / (na + nb)) — the conditional test for two Poisson rates, exact at every count,
 * so a rare cell of 20 rows that the other side lacks gets its true, tiny p-value (a normal
 * interval would not: at 20 rows its width is about the share itself). For common cells (shares
 * well above a few percent) counts are binomial, with a smaller variance than Poisson, so the test
 * is conservative there: it says "differ" less often than it could.
 */
import { betainc } from '../random/special.js';

/** P(X ≤ x) for X ~ Binomial(n, q). */
function binomialCdf(x: number, n: number, q: number): number {
  if (x < 0) return 0;
  if (x >= n) return 1;
  if (q <= 0) return 1;
  if (q >= 1) return 0;
  return betainc(1 - q, n - x, x + 1, true, false);
}

/** Two-sided p-value that a / na and b / nb are the same rate (1 when neither side has a row). */
export function countTest(a: number, na: number, b: number, nb: number): number {
  const k = a + b;
  if (k === 0 || na <= 0 || nb <= 0) return 1;
  const q = na / (na + nb);
  const lower = binomialCdf(a, k, q);
  const upper = 1 - binomialCdf(a - 1, k, q);
  return Math.min(1, 2 * Math.min(lower, upper));
}
