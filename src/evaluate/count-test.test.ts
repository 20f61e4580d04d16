import { describe, expect, it } from 'vitest';
import { countTest } from './count-test.js';

describe('countTest (conditional binomial test of two rates)', () => {
  it('a 20-row cell the other side lacks is far below 1e-5 (equal sizes: 2 × 0.5^20)', () => {
    expect(countTest(0, 1000, 20, 1000)).toBeCloseTo(2 * 0.5 ** 20, 12);
  });
  it('equal counts at equal sizes are not told apart; no rows anywhere gives 1', () => {
    expect(countTest(20, 1000, 20, 1000)).toBe(1);
    expect(countTest(0, 1000, 0, 500)).toBe(1);
  });
  it('matches the exact binomial tail by hand: 3 of k = 10 at q = 1/3', () => {
    // P(X ≤ 3) for Binomial(10, 1/3), doubled (the lower tail is the smaller)
    let p = 0;
    const choose = (n: number, k: number) => {
      let c = 1;
      for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
      return c;
    };
    for (let x = 0; x <= 3; x++) p += choose(10, x) * (1 / 3) ** x * (2 / 3) ** (10 - x);
    // a = 3 of 100 rows, b = 7 of 200 rows: q = 100/300
    expect(countTest(3, 100, 7, 200)).toBeCloseTo(
      Math.min(1, 2 * Math.min(p, 1 - p + choose(10, 3) * (1 / 3) ** 3 * (2 / 3) ** 7)),
      10,
    );
  });
  it('is symmetric in the two sides', () => {
    expect(countTest(5, 300, 30, 900)).toBeCloseTo(countTest(30, 900, 5, 300), 12);
  });
});
