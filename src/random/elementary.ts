/**
 * Uniform and exponential draws. Both have closed-form inverses, so truncated draws are exact in one
 * step: the uniform by intersecting ranges, the exponential by memorylessness (a draw truncated to
 * [a, b] is a + an exponential truncated to [0, b − a]), which stays exact arbitrarily far in the tail.
 */
import type { Stream } from './stream.js';

function validUniform(min: number, max: number): boolean {
  return Number.isFinite(min) && Number.isFinite(max) && min < max;
}

/** Uniform on [min, max) truncated to [lo, hi]. NaN for invalid params or an empty/degenerate range. */
export function sampleUniform(s: Stream, min: number, max: number, lo = -Infinity, hi = Infinity): number {
  if (!validUniform(min, max)) return Number.NaN;
  const a = Math.max(lo, min);
  const b = Math.min(hi, max);
  if (!(a < b)) return Number.NaN;
  const x = a + (b - a) * s.nextFloat();
  return Math.min(x, b);
}

export function uniformCdf(min: number, max: number, x: number): number {
  if (!validUniform(min, max) || Number.isNaN(x)) return Number.NaN;
  return x <= min ? 0 : x >= max ? 1 : (x - min) / (max - min);
}

export function uniformQuantile(min: number, max: number, p: number): number {
  if (!validUniform(min, max) || !(p >= 0 && p <= 1)) return Number.NaN;
  return min + p * (max - min);
}

export function uniformMass(min: number, max: number, lo: number, hi: number): number {
  if (!validUniform(min, max)) return Number.NaN;
  const a = Math.max(lo, min);
  const b = Math.min(hi, max);
  return a < b ? (b - a) / (max - min) : 0;
}

function validRate(rate: number): boolean {
  return rate > 0 && rate < Number.POSITIVE_INFINITY;
}

/**
 * Exponential(rate) truncated to [lo, hi]. NaN for invalid params or an empty range. Unlike the other
 * laws it never returns NaN for a far-tail range: memorylessness makes the draw exact there.
 */
export function sampleExponential(s: Stream, rate: number, lo = -Infinity, hi = Infinity): number {
  if (!validRate(rate)) return Number.NaN;
  if (lo <= 0 && hi === Number.POSITIVE_INFINITY) return -Math.log(s.nextOpen()) / rate;
  const a = Math.max(lo, 0);
  if (!(a < hi) || a === Number.POSITIVE_INFINITY) return Number.NaN;
  // x − a = F⁻¹ of Exp(rate) truncated to [0, hi − a]: −log1p(u·expm1(−rate·w))/rate.
  const x = a - Math.log1p(s.nextOpen() * Math.expm1(-rate * (hi - a))) / rate;
  return x < a ? a : Math.min(x, hi);
}

export function exponentialCdf(rate: number, x: number): number {
  if (!validRate(rate) || Number.isNaN(x)) return Number.NaN;
  return x <= 0 ? 0 : -Math.expm1(-rate * x);
}

export function exponentialQuantile(rate: number, p: number): number {
  if (!validRate(rate) || !(p >= 0 && p <= 1)) return Number.NaN;
  return -Math.log1p(-p) / rate;
}

export function exponentialMass(rate: number, lo: number, hi: number): number {
  if (!validRate(rate)) return Number.NaN;
  const a = Math.max(lo, 0);
  if (!(a < hi)) return 0;
  // S(a) − S(b) = e^{−ra}·(1 − e^{−r(b−a)}).
  return Math.exp(-rate * a) * -Math.expm1(-rate * (hi - a));
}
