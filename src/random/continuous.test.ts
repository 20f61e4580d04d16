import { describe, expect, it } from 'vitest';
import { NormalPlanMemo, sampleNormal, streamFor } from './index.js';
import { ksCritical, ksStatistic } from './testing/goodness.js';
import { law, type Params, truncatedCdf } from './testing/laws.js';

const N = 20_000;
const CRIT = ksCritical(N, 0.001);

function draw(name: string, p: Params, lo: number, hi: number, seed: number): Float64Array {
  const s = streamFor(seed, 'ks', name);
  const f = law(name, p);
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) out[i] = f.sample(s, lo, hi);
  return out;
}

type Case = [string, Params, number, number];
const inf = Number.POSITIVE_INFINITY;

const untruncated: Case[] = [
  ['normal', { mean: 3, sd: 2 }, -inf, inf],
  ['lognormal', { meanlog: 0.5, sdlog: 0.8 }, -inf, inf],
  ['uniform', { min: -2, max: 5 }, -inf, inf],
  ['exponential', { rate: 0.5 }, -inf, inf],
  ['gamma', { shape: 0.3, scale: 2 }, -inf, inf],
  ['gamma', { shape: 2.5, scale: 1.5 }, -inf, inf],
  ['gamma', { shape: 40, scale: 0.1 }, -inf, inf],
  ['beta', { alpha: 0.5, beta: 0.5 }, -inf, inf],
  ['beta', { alpha: 2, beta: 5 }, -inf, inf],
  ['beta', { alpha: 0.2, beta: 3 }, -inf, inf],
];

const truncated: Case[] = [
  ['normal', { mean: 3, sd: 2 }, 2.5, 4],
  ['normal', { mean: 1, sd: 0.5 }, -inf, 0],
  ['lognormal', { meanlog: 0, sdlog: 1 }, 1, 3],
  ['uniform', { min: -2, max: 5 }, 0, 1],
  ['exponential', { rate: 0.5 }, 1, 3],
  ['gamma', { shape: 2, scale: 1 }, 0.5, 3],
  ['gamma', { shape: 0.5, scale: 3 }, -inf, 0.01],
  ['beta', { alpha: 2, beta: 5 }, 0.3, 0.6],
];

const farTail: Case[] = [
  ['normal', { mean: 0, sd: 1 }, 8, inf],
  ['normal', { mean: 0, sd: 1 }, -inf, -20],
  ['lognormal', { meanlog: 0, sdlog: 1 }, 500, inf],
  ['exponential', { rate: 2 }, 300, inf],
  ['gamma', { shape: 2, scale: 1 }, 40, inf],
  ['gamma', { shape: 0.5, scale: 1 }, 200, 210],
  ['beta', { alpha: 2, beta: 3 }, 0.9999, 1],
  ['beta', { alpha: 3, beta: 2 }, 0, 1e-5],
];

function ksCase([name, p, lo, hi]: Case, seed: number): void {
  const xs = draw(name, p, lo, hi, seed);
  expect(xs.filter((x) => !(x >= lo && x <= hi)).length).toBe(0); // also catches NaN
  const f = law(name, p);
  const ref = lo === -inf && hi === inf ? (x: number) => f.cdf(x) : truncatedCdf(f, lo, hi);
  expect(ksStatistic(xs, ref)).toBeLessThan(CRIT);
}

describe('KS against the exact CDF (n = 20k, α = 0.001)', () => {
  it.each(untruncated)('%s(%j) untruncated', (...c) => ksCase(c, 11));
  it.each(truncated)('%s(%j) truncated to [%d, %d]', (...c) => ksCase(c, 12));
  it.each(farTail)('%s(%j) far-tail [%d, %d]', (...c) => ksCase(c, 13));

  it('rejects a wrong law (the test has power)', () => {
    const xs = draw('normal', { mean: 0, sd: 1.05 }, -inf, inf, 14);
    expect(ksStatistic(xs, (x) => law('normal', { mean: 0, sd: 1 }).cdf(x))).toBeGreaterThan(CRIT);
    const ys = draw('gamma', { shape: 2, scale: 1 }, 40, inf, 15);
    expect(ksStatistic(ys, truncatedCdf(law('gamma', { shape: 2, scale: 1 }), 39.9, inf))).toBeGreaterThan(
      CRIT,
    );
  });
});

describe('far tails stay accurate', () => {
  it('normal [8, ∞) has the exact conditional mean φ(8)/Q(8) and no pile-up at the bound', () => {
    const xs = draw('normal', { mean: 0, sd: 1 }, 8, inf, 21);
    const mean = xs.reduce((a, b) => a + b, 0) / N;
    // E[X | X > 8] = φ(8)/Q(8) = 8.1205…; sd of the conditional law ≈ 0.12, so the mean's sd ≈ 0.001.
    expect(Math.abs(mean - 8.120470803)).toBeLessThan(0.005);
    expect(xs.filter((x) => x === 8).length).toBe(0);
  });
  it('the mass matches tabulated normal tail probabilities', () => {
    const z = law('normal', { mean: 0, sd: 1 });
    expect(z.mass(8, inf) / 6.220960574271785e-16).toBeCloseTo(1, 10);
    expect(z.mass(-inf, -20) / 2.7536241186062337e-89).toBeCloseTo(1, 10);
  });
});

/** Mills ratio Q(x)/φ(x) by its continued fraction, accurate for x ≥ 5 where Φ itself underflows. */
function mills(x: number): number {
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / f;
  return 1 / f;
}

describe('beyond where Φ underflows (|z| ≥ 37)', () => {
  // P(X ≤ a + t | a ≤ X ≤ b) with Q(x) = φ(x)·R(x), all as ratios to Q(a) so nothing underflows.
  const tailCdf = (a: number, b: number) => {
    const q = (x: number) => (x === inf ? 0 : Math.exp(-0.5 * (x - a) * (x + a)) * (mills(x) / mills(a)));
    const qb = q(b);
    return (x: number) => (x <= a ? 0 : x >= b ? 1 : (1 - q(x)) / (1 - qb));
  };
  it.each([
    [40, inf],
    [45, 45.01],
    [38.99, 39],
  ])('normal [%d, %d] matches the exact conditional law (KS, n = 20k)', (a, b) => {
    const s = streamFor(31, 'far', String(a));
    const xs = Float64Array.from({ length: N }, () => sampleNormal(s, 0, 1, a, b));
    expect(xs.filter((x) => !(x >= a && x <= b)).length).toBe(0);
    expect(ksStatistic(xs, tailCdf(a, b))).toBeLessThan(CRIT);
  });
  it('the lower tail mirrors the upper, on any scale (the window that broke a relational spec)', () => {
    // A child time with mean 39 sd past its window [prev.u, parent.end], 396 s wide (in ms).
    const DAY = 86_400_000;
    const mean = 1596437339650;
    const [lo, hi] = [1593068434954, 1593068831313];
    const s = streamFor(32, 'far-lower');
    const xs = Float64Array.from({ length: N }, () => sampleNormal(s, mean, DAY, lo, hi));
    expect(xs.filter((x) => !(x >= lo && x <= hi)).length).toBe(0);
    const z = (x: number) => (mean - x) / DAY;
    const upper = tailCdf(z(hi), z(lo));
    expect(ksStatistic(xs, (x) => 1 - upper(z(x)))).toBeLessThan(CRIT);
    // and the test has power: the same draws are not uniform on the window
    expect(ksStatistic(xs, (x) => (x - lo) / (hi - lo))).toBeGreaterThan(CRIT);
  });
  it('E[X | X ≥ 40] = 40 + 1/40 − 2/40³ + …', () => {
    const s = streamFor(33, 'far-mean');
    let sum = 0;
    for (let i = 0; i < N; i++) sum += sampleNormal(s, 0, 1, 40, inf);
    expect(Math.abs(sum / N - 1 / mills(40))).toBeLessThan(0.001);
  });
});

describe('plan memos', () => {
  it('are only a cache: per-column memos, the shared one and fresh ones give the same draws', () => {
    const mine = new NormalPlanMemo();
    const other = new NormalPlanMemo();
    const a = streamFor(5, 'memo');
    const b = streamFor(5, 'memo');
    const c = streamFor(5, 'memo');
    for (let i = 0; i < 2000; i++) {
      // a column with fixed bounds interleaved with one whose bound moves every row
      const hi = 100 + (i % 17);
      const x1 = sampleNormal(a, 41, 13, 17.5, 95.5, mine);
      const y1 = sampleNormal(a, hi * 0.2, 5, -Infinity, hi, other);
      const x2 = sampleNormal(b, 41, 13, 17.5, 95.5);
      const y2 = sampleNormal(b, hi * 0.2, 5, -Infinity, hi);
      const x3 = sampleNormal(c, 41, 13, 17.5, 95.5, new NormalPlanMemo());
      const y3 = sampleNormal(c, hi * 0.2, 5, -Infinity, hi, new NormalPlanMemo());
      expect([x1, y1]).toEqual([x2, y2]);
      expect([x1, y1]).toEqual([x3, y3]);
      expect(x1 >= 17.5 && x1 <= 95.5 && y1 <= hi).toBe(true);
    }
    expect(sampleNormal(a, 0, 1, 60, 50, mine)).toBeNaN();
  });
});
