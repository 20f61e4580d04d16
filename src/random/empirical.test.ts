import { describe, expect, it } from 'vitest';
import { Empirical, streamFor } from './index.js';
import { chiSquarePValue } from './testing/goodness.js';

describe('Empirical', () => {
  // Continuous part: 0→0, 1/3→1, 2/3→4, 1→10 (weight 0.6); atoms at 0 (0.3) and 2.5 (0.1).
  const e = new Empirical(
    [0, 1, 4, 10],
    [
      { value: 0, prob: 0.3 },
      { value: 2.5, prob: 0.1 },
    ],
  );

  it('cdf mixes the piecewise-linear continuous part and the atoms', () => {
    expect(e.cdf(-1)).toBe(0);
    expect(e.cdf(0)).toBeCloseTo(0.3, 15);
    expect(e.cdf(0.5)).toBeCloseTo(0.3 + 0.6 * (0.5 / 3), 15);
    expect(e.cdf(2.5)).toBeCloseTo(0.3 + 0.6 * (1 / 3 + 0.5 / 3) + 0.1, 15);
    expect(e.cdf(10)).toBeCloseTo(1, 15);
    expect(e.cdf(11)).toBe(1);
  });

  it('mass counts atoms inside closed ranges', () => {
    expect(e.mass(0, 0)).toBeCloseTo(0.3, 15);
    expect(e.mass(2.5, 2.5)).toBeCloseTo(0.1, 15);
    expect(e.mass(1, 4)).toBeCloseTo(0.2 + 0.1, 15);
    expect(e.mass(0.1, 0.2)).toBeCloseTo(0.6 * (0.1 / 3), 15);
    expect(e.mass(3, 2)).toBe(0);
  });

  it('quantile is the generalized inverse of cdf', () => {
    expect(e.quantile(0)).toBe(0);
    expect(e.quantile(0.15)).toBe(0); // inside the atom at 0
    expect(e.quantile(0.3 + 0.6 / 6)).toBeCloseTo(0.5, 12);
    expect(e.quantile(e.cdf(2.5) - 0.05)).toBe(2.5);
    expect(e.quantile(1)).toBe(10);
    for (let i = 1; i < 200; i++) {
      const p = i / 200;
      const x = e.quantile(p);
      expect(e.cdf(x)).toBeGreaterThanOrEqual(p - 1e-12);
      expect(e.cdf(x - 1e-9)).toBeLessThan(p + 1e-12);
    }
  });

  it('samples match the mixed law (chi-square over atoms and continuous bins, n = 50k)', () => {
    const edges = [0, 0.5, 1, 2, 3, 4, 6, 8, 10];
    const atoms = [0, 2.5];
    const expected = [0.3, 0.1, ...edges.slice(1).map((b, i) => e.cdf(b) - e.cdf(edges[i]))];
    expected[2 + 3] -= 0.1; // the bin (2, 3] holds the atom at 2.5
    const counts = new Array(expected.length).fill(0);
    const s = streamFor(51, 'emp');
    for (let i = 0; i < 50_000; i++) {
      const x = e.sample(s);
      const a = atoms.indexOf(x);
      if (a >= 0) counts[a]++;
      else counts[2 + edges.findIndex((b, j) => j > 0 && x <= b) - 1]++;
    }
    expect(chiSquarePValue(counts, expected)).toBeGreaterThan(0.001);
  });

  it('truncated draws stay in range and keep the atom share', () => {
    const s = streamFor(52, 'emp');
    let atom = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const x = e.sample(s, 2, 3);
      expect(x >= 2 && x <= 3).toBe(true);
      if (x === 2.5) atom++;
    }
    const share = 0.1 / e.mass(2, 3);
    expect(Math.abs(atom / n - share)).toBeLessThan(4 * Math.sqrt((share * (1 - share)) / n));
  });

  it('returns NaN for a range with no mass, handles ties and atom-only laws', () => {
    const s = streamFor(53, 'emp');
    expect(e.sample(s, 20, 30)).toBeNaN();
    expect(new Empirical([], [{ value: 7, prob: 1 }]).sample(s)).toBe(7);
    const tied = new Empirical([1, 1, 2]);
    expect(tied.cdf(1)).toBeCloseTo(0.5, 15);
    expect(tied.mass(1, 1)).toBeCloseTo(0.5, 15);
    expect(tied.quantile(0.25)).toBe(1);
  });

  it('rejects invalid tables', () => {
    expect(() => new Empirical([2, 1])).toThrow(/non-decreasing/);
    expect(
      () =>
        new Empirical(
          [0, 1],
          [
            { value: 1, prob: 0.7 },
            { value: 2, prob: 0.7 },
          ],
        ),
    ).toThrow(/sum/);
    expect(() => new Empirical([])).toThrow(/no knots/);
  });
});
