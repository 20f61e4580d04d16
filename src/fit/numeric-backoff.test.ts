import { describe, expect, it } from 'vitest';
import { inferTable } from '../data/infer.js';
import { ANY_STATE, conditionalResolver } from '../model/conditional-rows.js';
import { streamFor } from '../random/stream.js';
import { empiricalFromValues, knotQuantile } from './empirical.js';
import { encodeColumn } from './encode.js';
import { buildNumericBackoff, decodeCodes } from './numeric-backoff.js';
import { fitNode } from './params.js';

const g = { width: 0, anchor: 'centre' as const, lo: -1e9, hi: 1e9 };
const modelOf = (vals: number[]) => empiricalFromValues(vals, new Set(), g);
const median = (m: { knots: number[] | null }) => knotQuantile(m.knots!, 0.5);

/** Parents (b: 5 states, noise; a: 3 states, y ≈ 100·a) in table order (b, a). */
function groupsFixture(n: number) {
  const s = streamFor(5, 'numeric-backoff');
  const cards = [5, 3];
  const groups: number[][] = Array.from({ length: 15 }, () => []);
  const stateN = new Float64Array(15);
  const stateMissing = new Float64Array(15);
  const all: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = s.nextInt(3);
    // b = 4 is rare: (4, a) states hold a handful of rows
    const b = s.nextFloat() < 0.01 ? 4 : s.nextInt(4);
    const j = b * 3 + a;
    stateN[j]++;
    if (s.nextFloat() < 0.1 * a) {
      stateMissing[j]++;
      continue;
    }
    const y = 100 * a + 10 * s.nextFloat();
    groups[j].push(y);
    all.push(y);
  }
  return { cards, groups, stateN, stateMissing, marginal: modelOf(all) };
}

describe('buildNumericBackoff', () => {
  it('decodes mixed-radix configurations in table order', () => {
    expect(decodeCodes(2 * 3 + 1, [5, 3])).toEqual([2, 1]);
    expect(decodeCodes(0, [5, 3])).toEqual([0, 0]);
    expect(decodeCodes(14, [5, 3])).toEqual([4, 2]);
  });

  it('backs a configuration off to its informative parent, not to the marginal', () => {
    const f = groupsFixture(3000);
    const bo = buildNumericBackoff({
      ...f,
      order: [1, 0],
      marginalMissing: 0.1,
      fit: modelOf,
      minState: 20,
      minCount: 5,
      shrinkK: 10,
    });
    expect(median(f.marginal)).toBeGreaterThan(50);
    expect(median(f.marginal)).toBeLessThan(150);
    for (let a = 0; a < 3; a++) {
      // the rare b = 4 state and a common one both back off to y | a
      for (const b of [0, 4]) {
        const prior = bo.priorOf(b * 3 + a);
        expect(prior.informative).toBe(true);
        expect(Math.abs(median(prior.model) - (100 * a + 5))).toBeLessThan(6);
        // missing rate given a (10·a %), not the marginal's
        expect(Math.abs(prior.missing - 0.1 * a)).toBeLessThan(0.04);
      }
    }
    // prefixes: one per state of a, with its codes and row counts adding up to n
    expect(bo.prefixes.map((p) => p.codes[0]).sort()).toEqual([0, 1, 2]);
    expect(bo.prefixes.reduce((s, p) => s + p.state.n, 0)).toBe(3000);
  });

  it('with one parent the prior is the marginal (nothing coarser)', () => {
    const f = groupsFixture(500);
    const one = buildNumericBackoff({
      groups: [f.groups[0], f.groups[1]],
      stateN: f.stateN.subarray(0, 2),
      stateMissing: f.stateMissing.subarray(0, 2),
      cards: [2],
      order: [0],
      marginal: f.marginal,
      marginalMissing: 0.2,
      fit: modelOf,
      minState: 20,
      minCount: 5,
      shrinkK: 10,
    });
    expect(one.priorOf(0).informative).toBe(false);
    expect(one.priorOf(0).model).toBe(f.marginal);
    expect(one.prefixes).toEqual([]);
  });
});

describe('backed-off rows of a numeric child (params.ts)', () => {
  it('covers every small state of the weakest parent with one wildcard row of the informative parent’s distribution', () => {
    const s = streamFor(11, 'numeric-backed-off-rows');
    const n = 1500;
    const A = ['a0', 'a1', 'a2'];
    const a: string[] = [];
    const b: string[] = [];
    const y: string[] = [];
    for (let i = 0; i < n; i++) {
      const ai = s.nextInt(3);
      a.push(A[ai]);
      // b9 is rare (~9 rows): its (b9, a) states hold fewer than k rows each
      b.push(s.nextFloat() < 0.006 ? 'b9' : `b${s.nextInt(4)}`);
      y.push((100 * ai + s.nextFloat() * 10).toFixed(2));
    }
    const raw = { name: 't', columns: ['a', 'b', 'y'], rowCount: n, data: [a, b, y] };
    const nodes = inferTable(raw).columns.map((c, i) => encodeColumn(c, raw.data[i], { minCount: 5 }));
    expect(nodes[2].role).toBe('numeric');
    // the full table's back-off rows (a tree of parent conditions wins here: b is noise)
    const res = fitNode(nodes, 2, [1, 0], { minCount: 5, tables: 'never' });
    const rows = res.column.conditional!.rows;
    const backed = rows.filter((r) => r.n === undefined);
    expect(rows.filter((r) => r.n !== undefined).every((r) => (r.n ?? 0) >= 5)).toBe(true);
    expect(backed.length).toBeGreaterThan(0);
    // every (b, a) combination resolves to a row: its own, or the wildcard row of its a
    const resolve = conditionalResolver(rows);
    for (const bv of nodes[1].labels) for (const av of A) expect(resolve([bv, av])).toBeDefined();
    // one wildcard row per value of the informative parent at most, "*" at the weakest parent
    expect(backed.every((r) => r.when[0] === ANY_STATE && r.when[1] !== ANY_STATE)).toBe(true);
    expect(new Set(backed.map((r) => r.when[1])).size).toBe(backed.length);
    // a state with its own row keeps it
    for (const r of rows.filter((x) => x.n !== undefined)) expect(resolve(r.when.map(String))).toBe(r);
    for (const r of backed) {
      const ai = Number(String(r.when[1]).slice(1));
      const dist = r.dist as { empirical: { knots: number[] } };
      const k = dist.empirical.knots;
      // y | a lies in [100a, 100a + 10] (the mixture's 2% of marginal only reaches the tails),
      // far from the marginal's spread over [0, 210]
      expect(knotQuantile(k, 0.05)).toBeGreaterThanOrEqual(100 * ai - 1);
      expect(knotQuantile(k, 0.95)).toBeLessThanOrEqual(100 * ai + 11);
    }
  });
});
