import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { describe, expect, it } from 'vitest';
import {
  betaQuantileUpper,
  betaSf,
  gammaQuantileUpper,
  gammaSf,
  phi,
  phiSf,
  probit,
  probitUpper,
} from './special.js';

describe('normal quantile', () => {
  it('matches reference values to ~1e-14, deep into the tails', () => {
    // Reference values from R's qnorm.
    expect(probit(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(probit(0.3)).toBeCloseTo(-0.5244005127080407, 13);
    expect(probit(6.220960574271785e-16) / -8).toBeCloseTo(1, 13);
    expect(Math.abs(phi(probit(1e-300)) / 1e-300 - 1)).toBeLessThan(1e-12);
    expect(probitUpper(1e-100)).toBeCloseTo(21.2734535609673, 10);
  });
  it('inverts the CDF with relative accuracy in both tails', () => {
    for (const z of [-37, -20, -8, -3, -0.5, 0, 0.7, 4, 9, 30]) {
      const p = phi(z);
      const q = phiSf(z);
      if (z <= 0) expect(Math.abs(probit(p) - z)).toBeLessThan(1e-12 * Math.max(1, Math.abs(z)));
      if (z >= 0) expect(Math.abs(probitUpper(q) - z)).toBeLessThan(1e-12 * Math.max(1, Math.abs(z)));
    }
  });
});

describe('normal quantile by AS 241 (p ≥ 1.4e-11)', () => {
  it('inverts Φ to ~1e-14 relative across its central and tail branches, and joins the deep tail', () => {
    let worst = 0;
    for (let k = 0; k <= 4000; k++) {
      // log-spaced from 1e-12 (deep-tail branch) to 0.5, plus the mirror image above 0.5
      const p = 10 ** (-12 + (12 * k) / 4000) * 0.5;
      for (const x of [p, 1 - p]) {
        const z = probit(x);
        // Φ(z) = x, compared where it keeps precision: the smaller of x and 1 − x.
        const err = x <= 0.5 ? phi(z) / x - 1 : phiSf(z) / (1 - x) - 1;
        const slope = Math.abs(z) + 1; // relative error in p is ≈ |z|·(relative error in z)
        worst = Math.max(worst, Math.abs(err) / slope);
      }
    }
    // Φ itself is good to ~1e-15, so this bounds both errors together (a wrong coefficient gives > 1e-8).
    expect(worst).toBeLessThan(1e-14);
    for (const edge of [0.075, 1.4e-11]) {
      const below = probit(edge * (1 - 1e-15));
      const above = probit(edge * (1 + 1e-15));
      expect(below).toBeLessThanOrEqual(above);
      expect(Math.abs(above - below)).toBeLessThan(1e-13);
    }
    expect(probit(0.5)).toBe(0);
  });
  it('Φ short-cuts to exactly what @stdlib returns far out in both tails', () => {
    for (let z = 8; z < 60; z += 0.137) {
      expect(phi(z)).toBe(normalCdf(z, 0, 1));
      expect(phi(-z)).toBe(normalCdf(-z, 0, 1));
      expect(phiSf(z)).toBe(normalCdf(-z, 0, 1));
      expect(phiSf(-z)).toBe(normalCdf(z, 0, 1));
    }
    expect(phi(Number.POSITIVE_INFINITY)).toBe(1);
    expect(phi(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(phi(Number.NaN)).toBeNaN();
  });
});

describe('gamma and beta upper-tail inverses', () => {
  it('hit the survival target with relative accuracy where @stdlib alone did not', () => {
    for (const a of [0.05, 0.5, 2, 30]) {
      for (const q of [1e-3, 1e-30, 1e-100, 1e-300]) {
        const x = gammaQuantileUpper(q, a);
        expect(Math.abs(gammaSf(x, a) / q - 1)).toBeLessThan(1e-9);
      }
    }
  });
  it('inverts the beta survival function near 1 up to the double spacing there', () => {
    for (const [a, b, q] of [
      [30, 0.7, 1e-6],
      [2, 3, 1e-30],
      [0.5, 0.5, 1e-5],
    ]) {
      const x = betaQuantileUpper(q, a, b);
      expect(x).toBeLessThan(1);
      // 1 − x is only known to ~1.1e-16 absolute, which bounds the relative accuracy of S(x).
      expect(Math.abs(betaSf(x, a, b) / q - 1)).toBeLessThan(1e-4);
    }
  });
});
