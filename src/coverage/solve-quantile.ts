/** Inverting a monotone CDF (pure numerics, shared by model quantiles and the tail fit). */

/**
 * The smallest x with F(x) ≥ p for a non-decreasing F: bracket, then steps that alternate between
 * the secant through the bracket's ends and halving it (the secant alone can crawl at a corner of a
 * piecewise CDF; halving alone took ~50 CDF evaluations where this takes ~15-25).
 */
export function solveQuantile(
  F: (x: number) => number,
  p: number,
  integer: boolean,
  /** A known bracket F(lo) < p ≤ F(hi) (skips the search for one), and the relative tolerance. */
  opts: { lo?: number; hi?: number; rel?: number } = {},
): number {
  let lo = opts.lo ?? -1;
  let hi = opts.hi ?? 1;
  const rel = opts.rel ?? 1e-10;
  let fhi = F(hi);
  while (fhi < p && hi < 1e300) {
    lo = hi;
    hi = hi * 4 + 1;
    fhi = F(hi);
  }
  let flo = F(lo);
  while (flo >= p && lo > -1e300) {
    hi = lo;
    fhi = flo;
    lo = lo * 4 - 1;
    flo = F(lo);
  }
  const T = (f: number) => (p > 0.5 ? -Math.log1p(-f) : Math.log(f));
  const tp = T(p);
  // Invariant: F(lo) < p ≤ F(hi).
  for (let it = 0; it < 400; it++) {
    if (integer ? hi - lo <= 1 : !(hi - lo > Math.max(1e-12, Math.abs(hi) * rel))) break;
    let mid = (lo + hi) / 2;
    // The secant runs on log-probabilities (log survival above the median, log CDF below): tails
    // are close to straight there, where the CDF itself is flat and the secant crawls.
    const a = T(flo);
    const b = T(fhi);
    if (it % 2 === 0 && b > a && Number.isFinite(a) && Number.isFinite(b)) {
      const w = hi - lo;
      const guess = lo + ((tp - a) / (b - a)) * w;
      mid = Math.min(hi - w * 1e-3, Math.max(lo + w * 1e-3, guess));
    }
    if (integer) mid = Math.min(hi - 1, Math.max(lo + 1, Math.floor(mid)));
    const f = F(mid);
    if (f >= p) {
      hi = mid;
      fhi = f;
    } else {
      lo = mid;
      flo = f;
    }
  }
  return integer ? hi : shortest(lo, hi);
}

/**
 * The number with the fewest significant digits in (lo, hi]: every point of the final bracket is
 * the quantile to within the tolerance, and this one lands exactly on a point mass (a fitted atom
 * such as 99999) instead of a hair above it.
 */
function shortest(lo: number, hi: number): number {
  if (!Number.isFinite(hi) || hi === 0) return hi;
  const exp = Math.floor(Math.log10(Math.abs(hi)));
  for (let digits = 1; digits <= 17; digits++) {
    let r = Number(hi.toPrecision(digits));
    if (r > hi) r = Number((r - 10 ** (exp - digits + 1)).toPrecision(digits));
    if (r > lo && r <= hi) return r;
  }
  return hi;
}
