import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateRows } from '../../sample/generate.js';
import { checkSpecText, parseSpecText } from '../../spec/index.js';
import { streamFor } from '../stream.js';
import { ksCritical, ksStatistic } from '../testing/goodness.js';
import { law, type Params, truncatedCdf } from '../testing/laws.js';
import { LAW_ALIASES, lawNamed } from './index.js';

const N = 20_000;
const CRIT = ksCritical(N, 0.001);
const inf = Number.POSITIVE_INFINITY;

function draws(p: Params, lo: number, hi: number, seed: number): Float64Array {
  const f = law('pareto', p);
  const s = streamFor(seed, 'pareto');
  return Float64Array.from({ length: N }, () => f.sample(s, lo, hi));
}

describe('pareto: KS against the exact CDF (n = 20k, α = 0.001)', () => {
  it.each([
    [{ scale: 1, shape: 0.5 }, -inf, inf], // no mean
    [{ scale: 20000, shape: 2.5 }, -inf, inf],
    [{ scale: 3, shape: 8 }, -inf, inf],
    [{ scale: 20000, shape: 2.5 }, 25000, 60000],
    [{ scale: 1, shape: 1.2 }, -inf, 1.001], // the lowest 0.1% of the mass
    [{ scale: 1, shape: 3 }, 1e6, inf], // far upper tail: S(1e6) = 1e-18
    [{ scale: 0.01, shape: 0.3 }, 1e10, 1e12],
  ] as [Params, number, number][])('%j on [%d, %d]', (p, lo, hi) => {
    const xs = draws(p, lo, hi, 41);
    expect(xs.filter((x) => !(x >= lo && x <= hi && x >= p.scale)).length).toBe(0);
    const f = law('pareto', p);
    const ref = lo === -inf && hi === inf ? (x: number) => f.cdf(x) : truncatedCdf(f, lo, hi);
    expect(ksStatistic(xs, ref)).toBeLessThan(CRIT);
  });

  it('has power: a 10% wrong shape is rejected', () => {
    const xs = draws({ scale: 1, shape: 2.2 }, -inf, inf, 42);
    expect(ksStatistic(xs, (x) => law('pareto', { scale: 1, shape: 2 }).cdf(x))).toBeGreaterThan(CRIT);
  });
});

describe('pareto: closed forms', () => {
  it('known values: F(2 x_m) = 1 − 2^−α, the median is x_m 2^(1/α), nothing below x_m', () => {
    const f = law('pareto', { scale: 5, shape: 3 });
    expect(f.cdf(10)).toBeCloseTo(1 - 2 ** -3, 15);
    expect(f.quantile(0.5)).toBeCloseTo(5 * 2 ** (1 / 3), 13);
    expect(f.cdf(5)).toBe(0);
    expect(f.cdf(-1)).toBe(0);
    expect(f.quantile(0)).toBe(5);
    expect(f.mass(0, 5)).toBe(0);
    // log(X / x_m) is exponential with rate α
    const e = law('exponential', { rate: 3 });
    for (const x of [5.01, 6, 12, 100]) expect(f.cdf(x)).toBeCloseTo(e.cdf(Math.log(x / 5)), 14);
  });
  it('cdf(quantile(q)) = q in both tails, to relative precision', () => {
    for (const p of [
      { scale: 3, shape: 0.4 },
      { scale: 0.2, shape: 6 },
    ]) {
      const f = law('pareto', p);
      for (const q of [1e-300, 1e-12, 1e-6, 0.3, 0.9, 1 - 1e-9]) {
        expect(Math.abs(f.cdf(f.quantile(q)) - q)).toBeLessThan(1e-12 * Math.max(q, 1e-3));
      }
      // The upper tail keeps relative precision where 1 − F would round to 0: S(x) = (x/x_m)^−α.
      const x = p.scale * Math.exp(40 / p.shape);
      expect(f.mass(x, inf) / Math.exp(-40)).toBeCloseTo(1, 12);
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
          const f = law('pareto', { scale, shape });
          const lo = f.quantile(Math.min(a, b));
          const hi = f.quantile(Math.max(a, b));
          const s = streamFor(seed, 'pprop');
          const mass = f.mass(lo, hi);
          for (let i = 0; i < 20; i++) {
            const x = f.sample(s, lo, hi);
            if (Number.isNaN(x) ? mass > 0 : !(x >= lo && x <= hi)) return false;
          }
          return true;
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
  it('invalid parameters give no law and NaN draws', () => {
    expect(lawNamed('pareto')!.fixed({ scale: 0, shape: 2 }, { scale: 0, shape: 2 })).toMatch(
      /pareto scale must be > 0, got 0/,
    );
    expect(lawNamed('pareto')!.fixed({ scale: 1, shape: -1 }, { scale: 1, shape: -1 })).toMatch(
      /pareto shape must be > 0/,
    );
    expect(LAW_ALIASES.get('powerlaw')).toBe('pareto');
  });
});

describe('pareto in a spec', () => {
  it('generates within min/max, quantile() reads it by name, and the checks name the parameter', async () => {
    const { spec } = parseSpecText(
      'strata: 1\ntables:\n  t:\n    columns:\n      claim: { type: number, decimals: 6, dist: { pareto: { shape: 2.5, scale: 1000 } }, max: 50000 }\n      q: { type: number, decimals: 6, expr: "quantile(claim, 0.5)" }\n',
      'p.yaml',
    );
    const r = await generateRows({ spec, rows: 5000, seed: 3 });
    const xs = r.data[0] as number[];
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...xs)).toBeLessThanOrEqual(50000);
    const f = law('pareto', { scale: 1000, shape: 2.5 });
    expect(ksStatistic(xs, truncatedCdf(f, -inf, 50000))).toBeLessThan(ksCritical(5000, 0.001));
    // quantile() under the truncation, parameters read by name (written shape first)
    expect(r.data[1][0]).toBeCloseTo(f.quantile(0.5 * f.cdf(50000)), 5);
    const bad = checkSpecText(
      'strata: 1\ntables:\n  t:\n    columns:\n      c: { type: number, dist: { pareto: { xm: 10, shape: 2 } } }\n',
      'p.yaml',
    ).issues.map((i) => i.format());
    expect(bad).toEqual([
      'p.yaml:5:44 tables.t.columns.c.dist.pareto.xm: pareto needs "scale" and "shape"; "xm" is not a parameter — did you mean "scale"?',
    ]);
  });
});
