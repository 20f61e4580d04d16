/**
 * Normal and lognormal draws.
 *
 * Untruncated: a 128-layer ziggurat (Marsaglia & Tsang 2000 with Doornik's 2005 fix — the layer index
 * uses bits independent of the uniform). It is exact, needs no cached spare (so draws stay a pure function
 * of the stream), and costs two 32-bit words per draw ~99 % of the time. Truncated: inverse CDF (see
 * truncate.ts) on the standardized scale, except in the far tails where Φ underflows (farTailZ).
 */
import { phi, phiSf, probit, probitUpper } from './special.js';
import type { Stream } from './stream.js';
import {
  type ContinuousLaw,
  drawPlanned,
  lawMass,
  type PlanSlot,
  planTruncationInto,
  type TruncationPlan,
} from './truncate.js';

const LAYERS = 128;
const R = 3.442619855899; // start of the tail
const V = 9.91256303526217e-3; // area of each layer

// Layer tables, computed once with Math.exp/log/sqrt (deterministic for a given V8).
const ZIG_X = new Float64Array(LAYERS + 1);
const ZIG_RATIO = new Float64Array(LAYERS);
{
  let f = Math.exp(-0.5 * R * R);
  ZIG_X[0] = V / f;
  ZIG_X[1] = R;
  ZIG_X[LAYERS] = 0;
  for (let i = 2; i < LAYERS; i++) {
    ZIG_X[i] = Math.sqrt(-2 * Math.log(V / ZIG_X[i - 1] + f));
    f = Math.exp(-0.5 * ZIG_X[i] * ZIG_X[i]);
  }
  for (let i = 0; i < LAYERS; i++) ZIG_RATIO[i] = ZIG_X[i + 1] / ZIG_X[i];
}

/** One standard normal draw (ziggurat). */
export function standardNormal(s: Stream): number {
  for (;;) {
    // Build a 53-bit uniform from two words the same way Stream.nextFloat does, and take the layer
    // index from the 7 low bits that the float throws away.
    const w1 = s.nextUint32();
    const w2 = s.nextUint32();
    const u01 = ((w1 >>> 5) * 67108864 + (w2 >>> 6)) / 9007199254740992;
    const i = (w1 & 31) | ((w2 & 3) << 5);
    const u = 2 * u01 - 1;
    if (Math.abs(u) < ZIG_RATIO[i]) return u * ZIG_X[i];
    if (i === 0) return normalTail(s, u < 0);
    const x = u * ZIG_X[i];
    const f0 = Math.exp(-0.5 * (ZIG_X[i] * ZIG_X[i] - x * x));
    const f1 = Math.exp(-0.5 * (ZIG_X[i + 1] * ZIG_X[i + 1] - x * x));
    if (f1 + s.nextFloat() * (f0 - f1) < 1) return x;
  }
}

/** Marsaglia's exact tail beyond R. */
function normalTail(s: Stream, negative: boolean): number {
  let x: number;
  let y: number;
  do {
    x = Math.log(s.nextOpen()) / R;
    y = Math.log(s.nextOpen());
  } while (-2 * y < x * x);
  return negative ? x - R : R - x;
}

/** N(0, 1) as a ContinuousLaw for truncated draws. */
export const STANDARD_NORMAL: ContinuousLaw = {
  lower: Number.NEGATIVE_INFINITY,
  upper: Number.POSITIVE_INFINITY,
  cdf: phi,
  sf: phiSf,
  quantile: probit,
  quantileUpper: probitUpper,
};

/**
 * The truncation plan of N(0, 1) for the last standardized range seen. Give each column its own
 * (the engine does): with one shared memo, two truncated normal columns evict each other every row
 * and every draw pays for two Φ evaluations. Purely a cache: draws are the same with or without it.
 */
export class NormalPlanMemo {
  private filled = false;
  private lo = 0;
  private hi = 0;
  private has = false;
  /** Filled in place: the range changes every row when a bound is a parent's value. */
  private readonly plan: PlanSlot = { a: 0, b: 0, upperSide: false, base: 0, mass: 0 };

  /** The plan for [zlo, zhi], valid until the next call. */
  get(zlo: number, zhi: number): TruncationPlan | null {
    // Object.is, as in LastMemo: NaN matches NaN, and −0 is not +0.
    if (!this.filled || !Object.is(zlo, this.lo) || !Object.is(zhi, this.hi)) {
      this.has = planTruncationInto(STANDARD_NORMAL, zlo, zhi, this.plan);
      this.lo = zlo;
      this.hi = zhi;
      this.filled = true;
    }
    return this.has ? this.plan : null;
  }
}

const normalMemo = new NormalPlanMemo();
const lognormalMemo = new NormalPlanMemo();

/**
 * Where Φ stops carrying the mass of a range: Φ(−37.5) ≈ 5e−308 is the last normal double, so past
 * this the plan's mass is subnormal or 0 and the inverse CDF has nothing to invert.
 */
const FAR_TAIL = 37;

/**
 * N(0, 1) truncated to [a, b] with a ≥ FAR_TAIL (the upper tail; the lower one by symmetry).
 * Robert (1995) with rate a: the density there is ∝ e^{−a(x−a)} · e^{−(x−a)²/2}, so draw x − a from an
 * exponential(a) truncated to [0, b − a] (exact by inversion) and keep it with probability
 * e^{−(x−a)²/2}. Exact, and x − a is about 1/a, so at a ≥ 37 a draw is kept ≥ 99.9 % of the time.
 * Needed because the engine's windows can sit that far out: a child time whose mean is 39 sd past the
 * end of its parent's interval (found by the relational property test) left a NaN and 1000 redraws.
 */
function farTailZ(s: Stream, a: number, b: number): number {
  const w = b - a;
  for (;;) {
    const e = -Math.log1p(s.nextOpen() * Math.expm1(-a * w)) / a;
    if (s.nextOpen() <= Math.exp(-0.5 * e * e)) return a + Math.min(e, w);
  }
}

/** Truncated standard normal draw on [zlo, zhi] (memoized plan; the far tails beyond Φ's range apart). */
function truncatedZ(memo: NormalPlanMemo, s: Stream, zlo: number, zhi: number): number {
  if (zlo < zhi) {
    if (zlo >= FAR_TAIL) return farTailZ(s, zlo, zhi);
    if (zhi <= -FAR_TAIL) return -farTailZ(s, -zhi, -zlo);
  }
  const plan = memo.get(zlo, zhi);
  return plan ? drawPlanned(STANDARD_NORMAL, plan, s.nextOpen()) : Number.NaN;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : Math.min(x, hi);
}

function validNormal(mean: number, sd: number): boolean {
  return Number.isFinite(mean) && sd > 0 && sd < Number.POSITIVE_INFINITY;
}

/** Normal(mean, sd) truncated to [lo, hi]. NaN for invalid params or a zero-mass range. */
export function sampleNormal(
  s: Stream,
  mean: number,
  sd: number,
  lo = -Infinity,
  hi = Infinity,
  memo = normalMemo,
): number {
  if (!validNormal(mean, sd)) return Number.NaN;
  if (lo === Number.NEGATIVE_INFINITY && hi === Number.POSITIVE_INFINITY)
    return mean + sd * standardNormal(s);
  const z = truncatedZ(memo, s, (lo - mean) / sd, (hi - mean) / sd);
  return clamp(mean + sd * z, lo, hi);
}

export function normalMass(mean: number, sd: number, lo: number, hi: number): number {
  if (!validNormal(mean, sd)) return Number.NaN;
  return lawMass(STANDARD_NORMAL, (lo - mean) / sd, (hi - mean) / sd);
}

/** log(bound) on the normal scale; non-positive lower bounds mean "no bound". */
function logBound(x: number): number {
  return x <= 0 ? Number.NEGATIVE_INFINITY : Math.log(x);
}

/** Lognormal(meanlog, sdlog) truncated to [lo, hi]. NaN for invalid params or a zero-mass range. */
export function sampleLognormal(
  s: Stream,
  meanlog: number,
  sdlog: number,
  lo = -Infinity,
  hi = Infinity,
  memo = lognormalMemo,
): number {
  if (!validNormal(meanlog, sdlog)) return Number.NaN;
  if (lo <= 0 && hi === Number.POSITIVE_INFINITY) return Math.exp(meanlog + sdlog * standardNormal(s));
  if (!(hi > 0)) return Number.NaN;
  const z = truncatedZ(memo, s, (logBound(lo) - meanlog) / sdlog, (logBound(hi) - meanlog) / sdlog);
  return clamp(Math.exp(meanlog + sdlog * z), lo, hi);
}

export function lognormalMass(meanlog: number, sdlog: number, lo: number, hi: number): number {
  if (!validNormal(meanlog, sdlog)) return Number.NaN;
  if (!(hi > 0) || !(lo <= hi)) return 0;
  return lawMass(STANDARD_NORMAL, (logBound(lo) - meanlog) / sdlog, (logBound(hi) - meanlog) / sdlog);
}
