import { describe, expect, it } from 'vitest';
import { chiSquarePValue, chiSquareTest, ksCritical, ksStatistic } from './goodness.js';

describe('ksStatistic', () => {
  it('is the largest gap between the empirical and the reference CDF', () => {
    // Sample {0.1, 0.2, 0.9} vs U(0,1): gaps after each point are 1/3−0.1, 2/3−0.2, 1−0.9; before: 0.1, 0.2−1/3, 0.9−2/3.
    expect(ksStatistic([0.9, 0.1, 0.2], (x) => x)).toBeCloseTo(2 / 3 - 0.2, 12);
  });
  it('detects a shifted sample and accepts a matching one', () => {
    const n = 2000;
    const even = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    expect(ksStatistic(even, (x) => x)).toBeLessThan(ksCritical(n, 0.001));
    const shifted = even.map((x) => x * 0.9);
    expect(ksStatistic(shifted, (x) => x)).toBeGreaterThan(ksCritical(n, 0.001));
  });
});

describe('ksCritical', () => {
  it('matches the tabulated asymptotic values', () => {
    // c(0.05) = 1.3581, c(0.001) = 1.9495.
    expect(ksCritical(1e6, 0.05) * 1000).toBeCloseTo(1.3581, 3);
    expect(ksCritical(1e6, 0.001) * 1000).toBeCloseTo(1.9495, 3);
  });
});

describe('chiSquarePValue', () => {
  it('matches the closed form for one degree of freedom', () => {
    // χ² = (10−15)²/15·2 = 10/3, df = 1, p = erfc(√(χ²/2)) = 0.067889…
    const r = chiSquareTest([10, 20], [15, 15]);
    expect(r.statistic).toBeCloseTo(10 / 3, 12);
    expect(r.df).toBe(1);
    expect(r.pValue).toBeCloseTo(0.0678892, 6);
  });
  it('rescales weights and merges small bins', () => {
    const r = chiSquareTest([50, 50, 1, 1], [0.5, 0.5, 0.01, 0.01]);
    expect(r.df).toBe(1); // the two tiny bins are merged into the second one
    expect(chiSquarePValue([100, 0], [1, 1])).toBeLessThan(1e-10);
  });
});
