import { describe, expect, it } from 'vitest';
import {
  type ContinuousName,
  cdf,
  NormalPlanMemo,
  sampleByName,
  sampleNormal,
  streamFor,
  truncatedMass,
} from './index.js';
import { ksCritical, ksStatistic } from './testing/goodness.js';

const N = 20_000;
const CRIT = ksCritical(N, 0.001);

/** CDF of the law truncated to [lo, hi], from masses (each taken on its precise side). */
function truncatedCdf(name: ContinuousName, p: number[], lo: number, hi: number): (x: number) => number {
  const total = truncatedMass(name, p, lo, hi);
  return (x) => (x <= lo ? 0 : x >= hi ? 1 : truncatedMass(name, p, lo, x) / total);
}

function draw(name: ContinuousName, p: number[], lo: number, hi: number, seed: number): Float64Array {
  const s = streamFor(seed, 'ks', name);
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) out[i] = sampleByName(name, s, p, lo, hi);
  return out;
}

type Case = [ContinuousName, number[], number, number];
const inf = Number.POSITIVE_INFINITY;

const untruncated: Case[] = [
  ['normal', [3, 2], -inf, inf],
  ['lognormal', [0.5, 0.8], -inf, inf],
  ['uniform', [-2, 5], -inf, inf],
  ['exponential', [0.5], -inf, inf],
  ['gamma', [0.3, 2], -inf, inf],
  ['gamma', [2.5, 1.5], -inf, inf],
  ['gamma', [40, 0.1], -inf, inf],
  ['beta', [0.5, 0.5], -inf, inf],
  ['beta', [2, 5], -inf, inf],
  ['beta', [0.2, 3], -inf, inf],
];

const truncated: Case[] = [
  ['normal', [3, 2], 2.5, 4],
  ['normal', [1, 0.5], -inf, 0],
  ['lognormal', [0, 1], 1, 3],
  ['uniform', [-2, 5], 0, 1],
  ['exponential', [0.5], 1, 3],
  ['gamma', [2, 1], 0.5, 3],
  ['gamma', [0.5, 3], -inf, 0.01],
  ['beta', [2, 5], 0.3, 0.6],
];

const farTail: Case[] = [
  ['normal', [0, 1], 8, inf],
  ['normal', [0, 1], -inf, -20],
  ['lognormal', [0, 1], 500, inf],
  ['exponential', [2], 300, inf],
  ['gamma', [2, 1], 40, inf],
  ['gamma', [0.5, 1], 200, 210],
  ['beta', [2, 3], 0.9999, 1],
  ['beta', [3, 2], 0, 1e-5],
];

function ksCase([name, p, lo, hi]: Case, seed: number): void {
  const xs = draw(name, p, lo, hi, seed);
  expect(xs.filter((x) => !(x >= lo && x <= hi)).length).toBe(0); // also catches NaN
  const ref = lo === -inf && hi === inf ? (x: number) => cdf(name, p, x) : truncatedCdf(name, p, lo, hi);
  expect(ksStatistic(xs, ref)).toBeLessThan(CRIT);
}

describe('KS against the exact CDF (n = 20k, α = 0.001)', () => {
  it.each(untruncated)('%s(%j) untruncated', (...c) => ksCase(c, 11));
  it.each(truncated)('%s(%j) truncated to [%d, %d]', (...c) => ksCase(c, 12));
  it.each(farTail)('%s(%j) far-tail [%d, %d]', (...c) => ksCase(c, 13));

  it('rejects a wrong law (the test has power)', () => {
    const xs = draw('normal', [0, 1.05], -inf, inf, 14);
    expect(ksStatistic(xs, (x) => cdf('normal', [0, 1], x))).toBeGreaterThan(CRIT);
    const ys = draw('gamma', [2, 1], 40, inf, 15);
    expect(ksStatistic(ys, truncatedCdf('gamma', [2, 1], 39.9, inf))).toBeGreaterThan(CRIT);
  });
});

describe('far tails stay accurate', () => {
  it('normal [8, ∞) has the exact conditional mean φ(8)/Q(8) and no pile-up at the bound', () => {
    const xs = draw('normal', [0, 1], 8, inf, 21);
    const mean = xs.reduce((a, b) => a + b, 0) / N;
    // E[X | X > 8] = φ(8)/Q(8) = 8.1205…; sd of the conditional law ≈ 0.12, so the mean's sd ≈ 0.001.
    expect(Math.abs(mean - 8.120470803)).toBeLessThan(0.005);
    expect(xs.filter((x) => x === 8).length).toBe(0);
  });
  it('truncatedMass matches tabulated normal tail probabilities', () => {
    expect(truncatedMass('normal', [0, 1], 8, inf) / 6.220960574271785e-16).toBeCloseTo(1, 10);
    expect(truncatedMass('normal', [0, 1], -inf, -20) / 2.7536241186062337e-89).toBeCloseTo(1, 10);
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
    expect(sampleNormal(a, 0, 1, 50, 60, mine)).toBeNaN();
  });
});
