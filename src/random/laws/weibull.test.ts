import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateRows } from '../../sample/generate.js';
import { checkSpecText, parseSpecText } from '../../spec/index.js';
import { streamFor } from '../stream.js';
import { ksCritical, ksStatistic } from '../testing/goodness.js';
import { law, type Params, truncatedCdf } from '../testing/laws.js';

const N = 20_000;
const CRIT = ksCritical(N, 0.001);
const inf = Number.POSITIVE_INFINITY;

function draws(p: Params, lo: number, hi: number, seed: number): Float64Array {
  const f = law('weibull', p);
  const s = streamFor(seed, 'weibull');
  return Float64Array.from({ length: N }, () => f.sample(s, lo, hi));
}

describe('weibull: KS against the exact CDF (n = 20k, α = 0.001)', () => {
  it.each([
    [{ shape: 0.5, scale: 2 }, -inf, inf],
    [{ shape: 1, scale: 3 }, -inf, inf],
    [{ shape: 3.5, scale: 40 }, -inf, inf],
    [{ shape: 1.5, scale: 30 }, 10, 50],
    [{ shape: 0.7, scale: 1 }, -inf, 0.01],
    [{ shape: 2, scale: 1 }, 5, inf], // far upper tail: S(5) = e^-25
    [{ shape: 0.3, scale: 1 }, 1e6, 1e7],
  ] as [Params, number, number][])('%j on [%d, %d]', (p, lo, hi) => {
    const xs = draws(p, lo, hi, 41);
    expect(xs.filter((x) => !(x >= lo && x <= hi)).length).toBe(0);
    const f = law('weibull', p);
    const ref = lo === -inf && hi === inf ? (x: number) => f.cdf(x) : truncatedCdf(f, lo, hi);
    expect(ksStatistic(xs, ref)).toBeLessThan(CRIT);
  });

  it('has power: a 10% wrong shape is rejected', () => {
    const xs = draws({ shape: 2.2, scale: 1 }, -inf, inf, 42);
    expect(ksStatistic(xs, (x) => law('weibull', { shape: 2, scale: 1 }).cdf(x))).toBeGreaterThan(CRIT);
  });
});

describe('weibull: closed forms', () => {
  it('known values, and shape 1 is the exponential', () => {
    const w = law('weibull', { shape: 2.5, scale: 7 });
    expect(w.cdf(7)).toBeCloseTo(1 - Math.exp(-1), 15); // F(scale) = 1 − 1/e for any shape
    expect(w.quantile(1 - Math.exp(-1))).toBeCloseTo(7, 12);
    const e = law('exponential', { rate: 0.25 });
    const w1 = law('weibull', { shape: 1, scale: 4 });
    for (const x of [0.1, 1, 4, 20]) expect(w1.cdf(x)).toBeCloseTo(e.cdf(x), 14);
  });
  it('cdf(quantile(q)) = q in both tails, to relative precision', () => {
    for (const p of [
      { shape: 0.4, scale: 3 },
      { shape: 6, scale: 0.2 },
    ]) {
      const w = law('weibull', p);
      for (const q of [1e-300, 1e-12, 1e-6, 0.3, 0.9, 1 - 1e-9]) {
        expect(Math.abs(w.cdf(w.quantile(q)) - q)).toBeLessThan(1e-12 * Math.max(q, 1e-3));
      }
      // The upper tail keeps relative precision where 1 − F would round to 0: S(x) = e^{−(x/λ)^k}.
      const x = p.scale * 30 ** (1 / p.shape);
      expect(w.mass(x, inf) / Math.exp(-30)).toBeCloseTo(1, 12);
    }
  });
  it('every draw stays in its bounds; NaN only when the range has no mass (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 50, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (shape, scale, a, b, seed) => {
          const w = law('weibull', { shape, scale });
          const lo = w.quantile(Math.min(a, b));
          const hi = w.quantile(Math.max(a, b));
          const s = streamFor(seed, 'wprop');
          const mass = w.mass(lo, hi);
          for (let i = 0; i < 20; i++) {
            const x = w.sample(s, lo, hi);
            if (Number.isNaN(x) ? mass > 0 : !(x >= lo && x <= hi)) return false;
          }
          return true;
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});

describe('weibull in a spec', () => {
  it('generates within min/max, and the checks name the parameter', async () => {
    const { spec } = parseSpecText(
      'strata: 1\ntables:\n  t:\n    columns:\n      wait: { type: number, decimals: 6, dist: { weibull: { scale: 30, shape: 1.5 } }, min: 5, max: 60 }\n      q: { type: number, decimals: 6, expr: "quantile(wait, 0.5)" }\n',
      'w.yaml',
    );
    const r = await generateRows({ spec, rows: 5000, seed: 3 });
    const xs = r.data[0] as number[];
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...xs)).toBeLessThanOrEqual(60);
    const f = law('weibull', { shape: 1.5, scale: 30 });
    expect(ksStatistic(xs, truncatedCdf(f, 5, 60))).toBeLessThan(ksCritical(5000, 0.001));
    // quantile() under the truncation, parameters read by name
    const mid = f.quantile(f.cdf(5) + 0.5 * (f.cdf(60) - f.cdf(5)));
    expect(r.data[1][0]).toBeCloseTo(mid, 5);
    const bad = checkSpecText(
      'strata: 1\ntables:\n  t:\n    columns:\n      w: { type: number, dist: { weibull: { k: 0, scale: 2 } } }\n',
      'w.yaml',
    ).issues.map((i) => i.format());
    expect(bad).toEqual([
      'w.yaml:5:45 tables.t.columns.w.dist.weibull.k: weibull needs "shape" and "scale"; "k" is not a parameter — did you mean "shape"?',
    ]);
  });
});
