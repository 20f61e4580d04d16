/**
 * Poisson and binomial draws.
 *
 * Untruncated: sequential-search inversion when the mean is small (< 10, a handful of steps); otherwise
 * Hörmann's transformed rejection with squeeze — PTRS for the Poisson (1993) and BTRS for the binomial
 * (1993, the exact normal-free method TensorFlow/JAX use; simpler than BTPE at the same speed class).
 *
 * Truncated to [lo, hi] (integer bounds honoured: lo = 3 means X ≥ 3): inverse CDF by summing the pmf.
 * Summing literally from the lower bound costs O(λ) when the bound is far below the mean, so the walk
 * starts at the mean clamped into [a, b] with the exact partial mass P(a ≤ X ≤ k₀) (from the regularized
 * incomplete gamma/beta, taken on the side that keeps precision) and steps up or down by the pmf
 * recurrence; the walk is O(sd) in the bulk and O(1) in a far tail. Zero mass → NaN.
 */
import { LastMemo } from './memo.js';
import { betainc, gammainc, gammaln } from './special.js';
import type { Stream } from './stream.js';

/** What the truncated walk needs from a discrete law on {0, 1, …, upper}. */
interface DiscreteLaw {
  readonly mean: number;
  readonly upper: number;
  /** P(X ≤ k). */
  cdf(k: number): number;
  /** P(X ≥ k). */
  sfFrom(k: number): number;
  pmf(k: number): number;
  /** pmf(k + 1) given pmf(k). */
  next(k: number, pk: number): number;
  /** pmf(k − 1) given pmf(k). */
  prev(k: number, pk: number): number;
}

function poissonLaw(lambda: number): DiscreteLaw {
  const logLambda = Math.log(lambda);
  return {
    mean: lambda,
    upper: Number.POSITIVE_INFINITY,
    cdf: (k) => (k < 0 ? 0 : k === Number.POSITIVE_INFINITY ? 1 : gammainc(lambda, k + 1, true, true)),
    sfFrom: (k) => (k <= 0 ? 1 : k === Number.POSITIVE_INFINITY ? 0 : gammainc(lambda, k)),
    pmf: (k) => Math.exp(k * logLambda - lambda - gammaln(k + 1)),
    next: (k, pk) => (pk * lambda) / (k + 1),
    prev: (k, pk) => (pk * k) / lambda,
  };
}

function binomialLaw(n: number, p: number): DiscreteLaw {
  const q = 1 - p;
  const logP = Math.log(p);
  const log1mP = Math.log1p(-p);
  const lgn = gammaln(n + 1);
  return {
    mean: n * p,
    upper: n,
    cdf: (k) => (k < 0 ? 0 : k >= n ? 1 : betainc(p, k + 1, n - k, true, true)),
    sfFrom: (k) => (k <= 0 ? 1 : k > n ? 0 : betainc(p, k, n - k + 1)),
    pmf: (k) => Math.exp(lgn - gammaln(k + 1) - gammaln(n - k + 1) + k * logP + (n - k) * log1mP),
    next: (k, pk) => (((pk * (n - k)) / (k + 1)) * p) / q,
    prev: (k, pk) => (((pk * k) / (n - k + 1)) * q) / p,
  };
}

/** Integer range [a, b] of the law inside [lo, hi]; null when empty. */
function integerRange(law: DiscreteLaw, lo: number, hi: number): [number, number] | null {
  const a = Math.max(0, Math.ceil(lo));
  const b = Math.min(law.upper, Math.floor(hi));
  return a <= b ? [a, b] : null;
}

/** P(a ≤ X ≤ k), from whichever tail keeps relative precision. */
function partialMass(law: DiscreteLaw, a: number, k: number): number {
  if (a > law.mean) return law.sfFrom(a) - law.sfFrom(k + 1);
  return law.cdf(k) - law.cdf(a - 1);
}

function discreteMass(law: DiscreteLaw, lo: number, hi: number): number {
  const r = integerRange(law, lo, hi);
  return r ? Math.max(0, partialMass(law, r[0], r[1])) : 0;
}

/** Per-(law, range) state of the truncated walk: the range, its mass and the start point. */
interface WalkPlan {
  readonly law: DiscreteLaw;
  readonly a: number;
  readonly b: number;
  readonly mass: number;
  /** Start k₀ (the mean clamped into [a, b]), P(a ≤ X ≤ k₀) and pmf(k₀). */
  readonly k0: number;
  readonly c0: number;
  readonly p0: number;
}

function planWalk(law: DiscreteLaw, lo: number, hi: number): WalkPlan | null {
  const r = integerRange(law, lo, hi);
  if (!r) return null;
  const [a, b] = r;
  const mass = partialMass(law, a, b);
  if (!(mass > 0)) return null;
  const k0 = Math.min(b, Math.max(a, Math.round(law.mean)));
  return { law, a, b, mass, k0, c0: partialMass(law, a, k0), p0: law.pmf(k0) };
}

/** Smallest k in [a, b] with P(a ≤ X ≤ k) ≥ u·P(a ≤ X ≤ b). */
function walk(plan: WalkPlan, u: number): number {
  const { law, a, b } = plan;
  const t = u * plan.mass;
  let k = plan.k0;
  let c = plan.c0;
  let pk = plan.p0;
  if (c >= t) {
    while (k > a) {
      const below = c - pk;
      if (below < t) break;
      c = below;
      pk = law.prev(k, pk);
      k--;
    }
    return k;
  }
  while (c < t && k < b) {
    pk = law.next(k, pk);
    k++;
    c += pk;
    if (pk === 0 && k > law.mean) break; // the remaining mass is below double precision
  }
  return k;
}

function discreteInverse(law: DiscreteLaw, u: number, lo: number, hi: number): number {
  const plan = planWalk(law, lo, hi);
  return plan ? walk(plan, u) : Number.NaN;
}

const poissonMemo = new LastMemo<WalkPlan | null>();
const binomialMemo = new LastMemo<WalkPlan | null>();

// ---- Poisson ----

function validLambda(lambda: number): boolean {
  return lambda >= 0 && lambda < Number.POSITIVE_INFINITY;
}

/** Inversion by sequential search; for λ < 10 this averages λ + 1 steps. */
function poissonInversion(s: Stream, lambda: number): number {
  const u = s.nextFloat();
  let k = 0;
  let pk = Math.exp(-lambda);
  let f = pk;
  while (u > f) {
    k++;
    pk = (pk * lambda) / k;
    const next = f + pk;
    if (next === f) break; // rounding: the cumulative sum cannot reach u
    f = next;
  }
  return k;
}

/** PTRS (Hörmann 1993), for λ ≥ 10. */
function poissonPtrs(s: Stream, lambda: number): number {
  const slam = Math.sqrt(lambda);
  const logLam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = s.nextFloat() - 0.5;
    const v = s.nextFloat();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -lambda + k * logLam - gammaln(k + 1))
      return k;
  }
}

/** Poisson(lambda) truncated to [lo, hi]. NaN for invalid params or a zero-mass range. */
export function samplePoisson(s: Stream, lambda: number, lo = -Infinity, hi = Infinity): number {
  if (!validLambda(lambda)) return Number.NaN;
  if (lo <= 0 && hi === Number.POSITIVE_INFINITY) {
    if (lambda === 0) return 0;
    return lambda < 10 ? poissonInversion(s, lambda) : poissonPtrs(s, lambda);
  }
  if (lambda === 0) return lo <= 0 && hi >= 0 ? 0 : Number.NaN;
  const plan = poissonMemo.get([lambda, lo, hi], () => planWalk(poissonLaw(lambda), lo, hi));
  return plan ? walk(plan, s.nextOpen()) : Number.NaN;
}

export function poissonCdf(lambda: number, x: number): number {
  if (!validLambda(lambda) || Number.isNaN(x)) return Number.NaN;
  if (lambda === 0) return x >= 0 ? 1 : 0;
  return poissonLaw(lambda).cdf(Math.floor(x));
}

export function poissonQuantile(lambda: number, q: number): number {
  if (!validLambda(lambda) || !(q >= 0 && q <= 1)) return Number.NaN;
  if (lambda === 0 || q === 0) return 0;
  if (q === 1) return Number.POSITIVE_INFINITY;
  return discreteInverse(poissonLaw(lambda), q, 0, Number.POSITIVE_INFINITY);
}

export function poissonMass(lambda: number, lo: number, hi: number): number {
  if (!validLambda(lambda)) return Number.NaN;
  if (lambda === 0) return lo <= 0 && hi >= 0 ? 1 : 0;
  return discreteMass(poissonLaw(lambda), lo, hi);
}

// ---- binomial ----

function validBinomial(n: number, p: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && p >= 0 && p <= 1;
}

/** Inversion for n·p < 10, p ≤ 0.5. */
function binomialInversion(s: Stream, n: number, p: number): number {
  const u = s.nextFloat();
  const ratio = p / (1 - p);
  let k = 0;
  let pk = Math.exp(n * Math.log1p(-p));
  let f = pk;
  while (u > f && k < n) {
    pk = (pk * (n - k) * ratio) / (k + 1);
    k++;
    const next = f + pk;
    if (next === f) break;
    f = next;
  }
  return k;
}

/** BTRS (Hörmann 1993), for n·p ≥ 10, p ≤ 0.5. */
function binomialBtrs(s: Stream, n: number, p: number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = Math.log(p / q);
  const m = Math.floor((n + 1) * p);
  const h = gammaln(m + 1) + gammaln(n - m + 1);
  for (;;) {
    const u = s.nextFloat() - 0.5;
    const v = s.nextFloat();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || k > n) continue;
    const lv = Math.log((v * alpha) / (a / (us * us) + b));
    if (lv <= h - gammaln(k + 1) - gammaln(n - k + 1) + (k - m) * lpq) return k;
  }
}

function binomialUntruncated(s: Stream, n: number, p: number): number {
  if (p > 0.5) return n - binomialUntruncated(s, n, 1 - p);
  if (n === 0 || p === 0) return 0;
  return n * p < 10 ? binomialInversion(s, n, p) : binomialBtrs(s, n, p);
}

/** Binomial(n, p) truncated to [lo, hi]. NaN for invalid params or a zero-mass range. */
export function sampleBinomial(s: Stream, n: number, p: number, lo = -Infinity, hi = Infinity): number {
  if (!validBinomial(n, p)) return Number.NaN;
  if (lo <= 0 && hi >= n) return binomialUntruncated(s, n, p);
  if (p === 0 || p === 1 || n === 0) {
    const only = p === 1 ? n : 0;
    return lo <= only && only <= hi ? only : Number.NaN;
  }
  const plan = binomialMemo.get([n, p, lo, hi], () => planWalk(binomialLaw(n, p), lo, hi));
  return plan ? walk(plan, s.nextOpen()) : Number.NaN;
}

export function binomialCdf(n: number, p: number, x: number): number {
  if (!validBinomial(n, p) || Number.isNaN(x)) return Number.NaN;
  if (p === 0 || p === 1 || n === 0) return x >= (p === 1 ? n : 0) ? 1 : 0;
  return binomialLaw(n, p).cdf(Math.floor(x));
}

export function binomialQuantile(n: number, p: number, q: number): number {
  if (!validBinomial(n, p) || !(q >= 0 && q <= 1)) return Number.NaN;
  if (p === 0 || n === 0) return 0;
  if (p === 1) return n;
  if (q === 0) return 0;
  if (q === 1) return n;
  return discreteInverse(binomialLaw(n, p), q, 0, n);
}

export function binomialMass(n: number, p: number, lo: number, hi: number): number {
  if (!validBinomial(n, p)) return Number.NaN;
  if (p === 0 || p === 1 || n === 0) {
    const only = p === 1 ? n : 0;
    return lo <= only && only <= hi ? 1 : 0;
  }
  return discreteMass(binomialLaw(n, p), lo, hi);
}
