/**
 * Probabilities written with the digits their counts resolve. A row of n = 215 rows estimates a
 * probability p to within its standard error √(p(1−p)/n) (0.03 at p = 0.3); writing 0.3023 instead
 * of 0.30 says nothing the data know. Each probability is rounded to the largest power of ten at
 * most half its standard error — the rounding then adds at most 1/48 of the sampling variance
 * (uniform error of a step δ ≤ se/2: δ²/12 ≤ se²/48) — and the row is renormalised on the finest
 * step used (the largest probability takes the remainder), so the written numbers sum to 1. A
 * probability worth less than MIN_ROWS of the row's n rows is not written: no count says it is
 * not 0 (such entries are the smoothing mass of values the state never had — Adult
 * native_country given education and race had 8 entries of 0.00001 in a 451-row row). Pure
 * functions.
 */

/** Expected rows below which a probability is not written (a value seen once has ≈ 1). */
export const MIN_ROWS = 0.05;

/** Finest step written (6 decimals, as the file had). */
const FINEST = 1e-6;
/** Coarsest step written (one decimal, however few rows). */
const COARSEST = 0.1;

/** The rounding step of a probability p estimated from n rows (see the module comment). */
export function probabilityStep(p: number, n: number): number {
  if (!(n > 0)) return FINEST;
  const se = Math.sqrt((p * (1 - p)) / n);
  if (!(se > 0)) return COARSEST;
  const step = 10 ** Math.floor(Math.log10(se / 2));
  return Math.min(COARSEST, Math.max(FINEST, step));
}

/** Decimals of a power-of-ten step (1e-3 → 3). */
const decimalsOf = (step: number): number => Math.max(0, Math.round(-Math.log10(step)));

/**
 * A law (probabilities summing to 1) rounded for `n` rows: each to its step, the largest taking
 * what the others leave, so the result sums to 1 exactly on the finest step used. Zeros are
 * probabilities not to write.
 */
export function roundLaw(probs: ArrayLike<number>, n: number): number[] {
  const k = probs.length;
  // non-positive and NaN entries count as 0
  const ps = Array.from(probs, (p) => (Number.isNaN(p) ? 0 : Math.max(p, 0)));
  const total = ps.reduce((s, p) => s + p, 0);
  if (!(total > 0)) return ps.map(() => 0);
  for (let i = 0; i < k; i++) ps[i] /= total;
  const largestBefore = ps.indexOf(Math.max(...ps));
  for (let i = 0; i < k; i++) if (i !== largestBefore && n > 0 && ps[i] * n < MIN_ROWS) ps[i] = 0;
  const steps = ps.map((p) => (p > 0 ? probabilityStep(p, n) : COARSEST));
  const finest = Math.min(...steps.filter((_, i) => ps[i] > 0));
  const dec = decimalsOf(finest);
  const unit = 10 ** dec;
  // integer multiples of the finest step
  const units = ps.map((p, i) => {
    if (!(p > 0)) return 0;
    const per = Math.round(steps[i] * unit);
    return Math.round((p * unit) / per) * per;
  });
  let largest = 0;
  for (let i = 1; i < k; i++) if (ps[i] > ps[largest]) largest = i;
  const rest = units.reduce((s, u, i) => (i === largest ? s : s + u), 0);
  units[largest] = unit - rest;
  if (units[largest] <= 0) {
    // the others, rounded up, left nothing: keep the law at the finest step instead
    for (let i = 0; i < k; i++) units[i] = Math.round(ps[i] * unit);
    const r2 = units.reduce((s, u, i) => (i === largest ? s : s + u), 0);
    units[largest] = Math.max(0, unit - r2);
  }
  return units.map((u) => Number((u / unit).toFixed(dec)));
}

/** One probability (a row's missing share) rounded to its step for `n` rows. */
export function roundShare(p: number, n: number): number {
  if (!(p > 0) || p * n < MIN_ROWS) return 0;
  const step = probabilityStep(p, n);
  const dec = decimalsOf(step);
  return Number((Math.round(p / step) * step).toFixed(dec));
}
