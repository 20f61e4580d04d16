import { describe, expect, it } from 'vitest';
import { type ContinuousName, cdf, quantile, sampleByName, streamFor, truncatedMass } from './index.js';
import { chiSquarePValue } from './testing/goodness.js';

const N = 20_000;
const inf = Number.POSITIVE_INFINITY;

/** Chi-square p-value of N truncated draws against the exact truncated pmf. */
function chiSquareOf(name: ContinuousName, p: number[], lo: number, hi: number, seed: number): number {
  const s = streamFor(seed, 'chi', name);
  const counts = new Map<number, number>();
  let kmax = -inf;
  let outside = 0;
  for (let i = 0; i < N; i++) {
    const k = sampleByName(name, s, p, lo, hi);
    if (!(Number.isInteger(k) && k >= lo && k <= hi)) outside++;
    counts.set(k, (counts.get(k) ?? 0) + 1);
    kmax = Math.max(kmax, k);
  }
  expect(outside).toBe(0);
  const first = Math.max(0, Math.ceil(lo));
  const observed: number[] = [];
  const expected: number[] = [];
  for (let k = first; k <= kmax; k++) {
    observed.push(counts.get(k) ?? 0);
    // The last bin carries the whole upper remainder of the truncated range.
    expected.push(k < kmax ? truncatedMass(name, p, k, k) : truncatedMass(name, p, k, hi));
  }
  return chiSquarePValue(observed, expected);
}

type Case = [ContinuousName, number[], number, number];
const cases: Case[] = [
  ['poisson', [3], -inf, inf], // inversion
  ['poisson', [25], -inf, inf], // PTRS
  ['poisson', [1000], -inf, inf],
  ['poisson', [5], 3, 8],
  ['poisson', [5], 25, inf], // far upper tail
  ['poisson', [1000], 0, 930], // lower tail, walk starts at the bound
  ['poisson', [4.5], 2.5, 6.7], // non-integer bounds → [3, 6]
  ['binomial', [20, 0.3], -inf, inf], // inversion
  ['binomial', [1000, 0.3], -inf, inf], // BTRS
  ['binomial', [100, 0.9], -inf, inf], // symmetry + BTRS
  ['binomial', [5000, 0.001], -inf, inf], // inversion with large n
  ['binomial', [50, 0.2], 15, 30],
  ['binomial', [1000, 0.3], -inf, 250],
  ['binomial', [200, 0.5], 150, inf],
];

describe('chi-square goodness of fit (n = 20k, reject below p = 0.001)', () => {
  it.each(cases)('%s(%j) on [%d, %d]', (name, p, lo, hi) => {
    expect(chiSquareOf(name, p, lo, hi, 31)).toBeGreaterThan(0.001);
  });

  it('has power: a wrong parameter is rejected', () => {
    const s = streamFor(32, 'wrong');
    const counts = new Array(40).fill(0);
    for (let i = 0; i < N; i++) counts[Math.min(39, sampleByName('poisson', s, [10.3]))]++;
    const expected = counts.map((_, k) =>
      k < 39 ? truncatedMass('poisson', [10], k, k) : truncatedMass('poisson', [10], 39, inf),
    );
    expect(chiSquarePValue(counts, expected)).toBeLessThan(0.001);
  });
});

describe('discrete cdf / quantile', () => {
  it('quantile is the smallest k with cdf(k) ≥ q', () => {
    for (const [name, p] of [
      ['poisson', [0.7]],
      ['poisson', [250]],
      ['binomial', [30, 0.4]],
      ['binomial', [10000, 0.02]],
    ] as [ContinuousName, number[]][]) {
      for (const q of [1e-9, 0.01, 0.25, 0.5, 0.77, 0.999, 1 - 1e-9]) {
        const k = quantile(name, p, q);
        expect(cdf(name, p, k)).toBeGreaterThanOrEqual(q);
        if (k > 0) expect(cdf(name, p, k - 1)).toBeLessThan(q);
      }
    }
  });
  it('matches known values', () => {
    expect(cdf('binomial', [10, 0.5], 5)).toBeCloseTo(638 / 1024, 14);
    expect(cdf('poisson', [2], 1)).toBeCloseTo(3 * Math.exp(-2), 14);
    expect(cdf('poisson', [2], 1.9)).toBeCloseTo(3 * Math.exp(-2), 14);
    expect(truncatedMass('poisson', [2], 0.5, 2)).toBeCloseTo(4 * Math.exp(-2), 14);
    expect(quantile('poisson', [2], 1)).toBe(inf);
    expect(quantile('binomial', [7, 0.2], 1)).toBe(7);
  });
  it('degenerate laws', () => {
    const s = streamFor(1, 'deg');
    expect(sampleByName('poisson', s, [0])).toBe(0);
    expect(sampleByName('binomial', s, [9, 1])).toBe(9);
    expect(sampleByName('binomial', s, [9, 0], 0, 3)).toBe(0);
    expect(sampleByName('binomial', s, [9, 1], 0, 3)).toBeNaN();
  });
});
