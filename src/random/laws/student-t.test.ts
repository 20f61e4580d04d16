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
  const f = law('student_t', p);
  const s = streamFor(seed, 'student_t');
  return Float64Array.from({ length: N }, () => f.sample(s, lo, hi));
}

describe('student_t: KS against the exact CDF (n = 20k, α = 0.001)', () => {
  it.each([
    [{ df: 1 }, -inf, inf], // Cauchy
    [{ df: 2.5, location: 10, scale: 3 }, -inf, inf],
    [{ df: 30, location: -4, scale: 0.5 }, -inf, inf],
    [{ df: 0.6 }, -inf, inf],
    [{ df: 4, location: 0, scale: 1 }, -1, 2],
    [{ df: 3 }, 20, inf], // far upper tail
    [{ df: 5, location: 100, scale: 10 }, -inf, 40], // far lower tail
  ] as [Params, number, number][])('%j on [%d, %d]', (p, lo, hi) => {
    const xs = draws(p, lo, hi, 51);
    expect(xs.filter((x) => !(x >= lo && x <= hi)).length).toBe(0);
    const f = law('student_t', p);
    const ref = lo === -inf && hi === inf ? (x: number) => f.cdf(x) : truncatedCdf(f, lo, hi);
    expect(ksStatistic(xs, ref)).toBeLessThan(CRIT);
  });

  it('has power: t(3) draws are not standard normal, nor t(8), nor t(3) shifted by 0.05', () => {
    const xs = draws({ df: 3 }, -inf, inf, 52);
    expect(ksStatistic(xs, (x) => law('normal', { mean: 0, sd: 1 }).cdf(x))).toBeGreaterThan(CRIT);
    expect(ksStatistic(xs, (x) => law('student_t', { df: 8 }).cdf(x))).toBeGreaterThan(CRIT);
    expect(ksStatistic(xs, (x) => law('student_t', { df: 3, location: 0.05 }).cdf(x))).toBeGreaterThan(CRIT);
  });
});

describe('student_t: closed forms', () => {
  it('known values: df 1 is the Cauchy, df 2 has a closed form; defaults location 0, scale 1', () => {
    const c = law('student_t', { df: 1 });
    expect(c.cdf(1)).toBeCloseTo(0.75, 14);
    expect(c.quantile(0.75)).toBeCloseTo(1, 12);
    const t2 = law('student_t', { df: 2, location: 3, scale: 2 });
    for (const x of [-5, 0, 3, 4.2, 40]) {
      const z = (x - 3) / 2;
      expect(t2.cdf(x)).toBeCloseTo(0.5 + z / (2 * Math.sqrt(2 + z * z)), 13);
    }
    expect(law('student_t', { df: 1e6 }).cdf(1.96)).toBeCloseTo(
      law('normal', { mean: 0, sd: 1 }).cdf(1.96),
      6,
    );
  });
  it('cdf(quantile(q)) = q in both tails', () => {
    for (const df of [1.5, 4, 60]) {
      const t = law('student_t', { df, location: 2, scale: 3 });
      for (const q of [1e-100, 1e-12, 1e-6, 0.3, 0.5, 0.9, 1 - 1e-9]) {
        expect(Math.abs(t.cdf(t.quantile(q)) - q)).toBeLessThan(1e-9 * Math.max(q, 1e-3));
      }
    }
  });
  it('every draw stays in its bounds; NaN only when the range has no mass (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.3, max: 200, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }),
        fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }),
        fc.integer(),
        (df, location, scale, a, b, seed) => {
          const t = law('student_t', { df, location, scale });
          const lo = t.quantile(Math.min(a, b));
          const hi = t.quantile(Math.max(a, b));
          const s = streamFor(seed, 'tprop');
          const mass = t.mass(lo, hi);
          for (let i = 0; i < 20; i++) {
            const x = t.sample(s, lo, hi);
            if (Number.isNaN(x) ? mass > 0 : !(x >= lo && x <= hi)) return false;
          }
          return true;
        },
      ),
      { numRuns: 200, seed: 4 },
    );
  });
});

describe('student_t in a spec', () => {
  it('reads location and scale by name (defaults when left out), and the checks point at synonyms', async () => {
    const { spec } = parseSpecText(
      'strata: 1\ntables:\n  t:\n    columns:\n      r: { type: number, decimals: 6, dist: { student_t: { scale: 2, df: 3, location: 50 } } }\n      z: { type: number, decimals: 6, dist: { student_t: { df: 3 } }, min: -2, max: 2 }\n',
      't.yaml',
    );
    const r = await generateRows({ spec, rows: 5000, seed: 9 });
    const crit = ksCritical(5000, 0.001);
    const rs = r.data[0] as number[];
    expect(ksStatistic(rs, (x) => law('student_t', { df: 3, location: 50, scale: 2 }).cdf(x))).toBeLessThan(
      crit,
    );
    const zs = r.data[1] as number[];
    expect(Math.max(...zs.map(Math.abs))).toBeLessThanOrEqual(2);
    expect(ksStatistic(zs, truncatedCdf(law('student_t', { df: 3 }), -2, 2))).toBeLessThan(crit);
    const issues = checkSpecText(
      'strata: 1\ntables:\n  t:\n    columns:\n      r: { type: number, dist: { t: { nu: 3 } } }\n      s: { type: number, dist: { student_t: { nu: 3, sd: -1 } } }\n',
      't.yaml',
    ).issues.map((i) => i.format());
    expect(issues).toEqual([
      't.yaml:5:34 tables.t.columns.r.dist: unknown distribution "t" — did you mean "student_t"?',
      't.yaml:6:47 tables.t.columns.s.dist.student_t.nu: student_t needs "df" (optional: "location" and "scale"); "nu" is not a parameter — did you mean "df"?',
      't.yaml:6:54 tables.t.columns.s.dist.student_t.sd: student_t needs "df" (optional: "location" and "scale"); "sd" is not a parameter — did you mean "scale"?',
    ]);
  });
});
