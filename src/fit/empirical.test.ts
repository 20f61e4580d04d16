import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import {
  empiricalFromValues,
  type Granularity,
  knotCdf,
  knotCount,
  knotsOf,
  thinKnots,
} from './empirical.js';

const none: Granularity = {
  width: 0,
  anchor: 'centre',
  lo: Number.NEGATIVE_INFINITY,
  hi: Number.POSITIVE_INFINITY,
};
/** Mean of the piecewise-linear quantile function through the knots (equal probability steps). */
const knotMean = (k: number[]) => k.slice(1).reduce((t, x, i) => t + (x + k[i]) / 2, 0) / (k.length - 1);

describe('quantile knots', () => {
  it('end knots keep the mean of a heavy tail instead of stretching to the extreme', () => {
    const s = streamFor(3, 'heavy');
    // Pareto(α = 1.5) values: most near 1, a few in the thousands.
    const values = Array.from({ length: 4000 }, () => s.nextOpen() ** (-1 / 1.5)).sort((a, b) => a - b);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const k = knotsOf(Float64Array.from(values), knotCount(values.length), none);
    expect(Math.abs(knotMean(k) / mean - 1)).toBeLessThan(0.02);
    // Plain quantiles at the extremes overstate it: the top interval alone adds (max − q) / 2 / (k − 1).
    const plainTop = values[values.length - 1];
    expect(k[k.length - 1]).toBeLessThan(plainTop);
    expect(k[k.length - 1]).toBeGreaterThanOrEqual(k[k.length - 2]);
    // Interior knots are the plain quantiles, and the knots stay sorted.
    for (let i = 1; i < k.length; i++) expect(k[i]).toBeGreaterThanOrEqual(k[i - 1]);
  });

  it('leaves light-tailed data (and tiny samples) at their quantiles', () => {
    const u = Array.from({ length: 1000 }, (_, i) => i / 999);
    const k = knotsOf(Float64Array.from(u), 11, none);
    expect(k[0]).toBeCloseTo(0, 2);
    expect(k[10]).toBeCloseTo(1, 2);
    expect(knotsOf(Float64Array.from([1, 2, 3]), 3, none)).toEqual([1, 2, 3]);
  });
});

describe('compact tables (issue 13.10)', () => {
  it('thins a nearly linear quantile table to few knots within the tolerance', () => {
    const knots = Array.from({ length: 121 }, (_, i) => 20 + 40 * (i / 120) + 0.01 * Math.sin(i));
    const thin = thinKnots(knots, 0.005);
    expect(thin.length).toBeLessThanOrEqual(9);
    for (let i = 0; i < knots.length; i++)
      expect(Math.abs(knotCdf(thin, knots[i]) - i / 120)).toBeLessThan(0.006);
  });

  it('keeps a skewed shape within the tolerance', () => {
    const knots = Array.from({ length: 121 }, (_, i) => Math.exp(10 * (i / 120)));
    const thin = thinKnots(knots, 0.005);
    expect(thin.length).toBeGreaterThan(9);
    for (let i = 0; i < knots.length; i++)
      expect(Math.abs(knotCdf(thin, knots[i]) - i / 120)).toBeLessThan(0.006);
  });
});

describe('empiricalFromValues on values closer together than their rounding width', () => {
  it('writes non-decreasing knots (dequantised tie groups overlap, so they are sorted again)', () => {
    // Offsets of an anchored integer child with a fractional slope: distinct values 0.1 apart,
    // each spread over a rounding interval of width 1. Unsorted, the knots went -0.7, -0.8 and
    // the model file failed to compile ("knots must not decrease").
    const values: number[] = [];
    for (let i = 0; i < 40; i++) values.push(Math.round((-2 + (i % 20) * 0.1) * 10) / 10);
    for (let i = 0; i < 15; i++) values.push(Math.round((-1 + (i % 5) * 0.1) * 10) / 10);
    const g = { width: 1, anchor: 'centre' as const, lo: -10, hi: 10 };
    const m = empiricalFromValues(values, new Set(), g);
    const k = m.knots!;
    for (let i = 1; i < k.length; i++) expect(k[i]).toBeGreaterThanOrEqual(k[i - 1]);
  });
});
