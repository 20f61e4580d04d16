import { describe, expect, it } from 'vitest';
import { streamFor } from './index.js';
import { chiSquarePValue } from './testing/goodness.js';
import { law, type Params } from './testing/laws.js';

const N = 20_000;
const inf = Number.POSITIVE_INFINITY;

/** Chi-square p-value of N truncated draws against the exact truncated pmf. */
function chiSquareOf(name: string, p: Params, lo: number, hi: number, seed: number): number {
  const s = streamFor(seed, 'chi', name);
  const counts = new Map<number, number>();
  let kmax = -inf;
  let outside = 0;
  for (let i = 0; i < N; i++) {
    const k = law(name, p).sample(s, lo, hi);
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
    expected.push(k < kmax ? law(name, p).mass(k, k) : law(name, p).mass(k, hi));
  }
  return chiSquarePValue(observed, expected);
}

type Case = [string, Params, number, number];
const cases: Case[] = [
  ['poisson', { lambda: 3 }, -inf, inf], // inversion
  ['poisson', { lambda: 25 }, -inf, inf], // PTRS
  ['poisson', { lambda: 1000 }, -inf, inf],
  ['poisson', { lambda: 5 }, 3, 8],
  ['poisson', { lambda: 5 }, 25, inf], // far upper tail
  ['poisson', { lambda: 1000 }, 0, 930], // lower tail, walk starts at the bound
  ['poisson', { lambda: 4.5 }, 2.5, 6.7], // non-integer bounds → [3, 6]
  ['binomial', { n: 20, p: 0.3 }, -inf, inf], // inversion
  ['binomial', { n: 1000, p: 0.3 }, -inf, inf], // BTRS
  ['binomial', { n: 100, p: 0.9 }, -inf, inf], // symmetry + BTRS
  ['binomial', { n: 5000, p: 0.001 }, -inf, inf], // inversion with large n
  ['binomial', { n: 50, p: 0.2 }, 15, 30],
  ['binomial', { n: 1000, p: 0.3 }, -inf, 250],
  ['binomial', { n: 200, p: 0.5 }, 150, inf],
];

describe('chi-square goodness of fit (n = 20k, reject below p = 0.001)', () => {
  it.each(cases)('%s(%j) on [%d, %d]', (name, p, lo, hi) => {
    expect(chiSquareOf(name, p, lo, hi, 31)).toBeGreaterThan(0.001);
  });

  it('has power: a wrong parameter is rejected', () => {
    const s = streamFor(32, 'wrong');
    const counts = new Array(40).fill(0);
    for (let i = 0; i < N; i++) counts[Math.min(39, law('poisson', { lambda: 10.3 }).sample(s))]++;
    const expected = counts.map((_, k) =>
      k < 39 ? law('poisson', { lambda: 10 }).mass(k, k) : law('poisson', { lambda: 10 }).mass(39, inf),
    );
    expect(chiSquarePValue(counts, expected)).toBeLessThan(0.001);
  });
});

describe('discrete cdf / quantile', () => {
  it('quantile is the smallest k with cdf(k) ≥ q', () => {
    for (const [name, p] of [
      ['poisson', { lambda: 0.7 }],
      ['poisson', { lambda: 250 }],
      ['binomial', { n: 30, p: 0.4 }],
      ['binomial', { n: 10000, p: 0.02 }],
    ] as [string, Params][]) {
      for (const q of [1e-9, 0.01, 0.25, 0.5, 0.77, 0.999, 1 - 1e-9]) {
        const k = law(name, p).quantile(q);
        expect(law(name, p).cdf(k)).toBeGreaterThanOrEqual(q);
        if (k > 0) expect(law(name, p).cdf(k - 1)).toBeLessThan(q);
      }
    }
  });
  it('matches known values', () => {
    expect(law('binomial', { n: 10, p: 0.5 }).cdf(5)).toBeCloseTo(638 / 1024, 14);
    expect(law('poisson', { lambda: 2 }).cdf(1)).toBeCloseTo(3 * Math.exp(-2), 14);
    expect(law('poisson', { lambda: 2 }).cdf(1.9)).toBeCloseTo(3 * Math.exp(-2), 14);
    expect(law('poisson', { lambda: 2 }).mass(0.5, 2)).toBeCloseTo(4 * Math.exp(-2), 14);
    expect(law('poisson', { lambda: 2 }).quantile(1)).toBe(inf);
    expect(law('binomial', { n: 7, p: 0.2 }).quantile(1)).toBe(7);
  });
  it('degenerate laws', () => {
    const s = streamFor(1, 'deg');
    expect(law('poisson', { lambda: 0 }).sample(s)).toBe(0);
    expect(law('binomial', { n: 9, p: 1 }).sample(s)).toBe(9);
    expect(law('binomial', { n: 9, p: 0 }).sample(s, 0, 3)).toBe(0);
    expect(law('binomial', { n: 9, p: 1 }).sample(s, 0, 3)).toBeNaN();
  });
});
