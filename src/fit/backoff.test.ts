import { describe, expect, it } from 'vitest';
import { ANY_STATE, conditionalResolver } from '../model/conditional-rows.js';
import { streamFor } from '../random/stream.js';
import { buildBackoff, codeMutualInformation } from './backoff.js';
import { looScore, PredictiveStats } from './predictive.js';

/** a (informative, 4 states) and b (noise, 6 states) → y = a with 10% noise. */
function fixture(n: number) {
  const s = streamFor(3, 'backoff-fixture');
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = s.nextInt(4);
    b[i] = s.nextInt(6);
    y[i] = s.nextFloat() < 0.9 ? a[i] : s.nextInt(4);
  }
  return { a, b, y };
}

describe('buildBackoff', () => {
  it('orders parents by mutual information and backs a state off to the informative parent', () => {
    const { a, b, y } = fixture(4000);
    expect(codeMutualInformation(a, 4, y, 4)).toBeGreaterThan(codeMutualInformation(b, 6, y, 4));
    // table parent order (b, a): config = b * 4 + a
    const bo = buildBackoff({
      child: y,
      r: 4,
      parents: [
        { codes: b, card: 6 },
        { codes: a, card: 4 },
      ],
      alpha: 4,
    });
    expect(bo.order).toEqual([1, 0]);
    for (let av = 0; av < 4; av++) {
      const prior = bo.priorOf(2 * 4 + av)!;
      expect(prior).toBeDefined();
      // the prior is y given a alone: ~92.5% on y = a, far from the uniform marginal
      expect(prior[av]).toBeGreaterThan(0.85);
      expect(prior.reduce((x, z) => x + z, 0)).toBeCloseTo(1, 9);
    }
  });

  it('has no prior for a configuration never observed', () => {
    const n = 100;
    const a = new Int32Array(n); // always 0
    const b = Int32Array.from({ length: n }, (_, i) => i % 2);
    const y = Int32Array.from({ length: n }, (_, i) => i % 3);
    const bo = buildBackoff({
      child: y,
      r: 3,
      parents: [
        { codes: a, card: 2 },
        { codes: b, card: 2 },
      ],
      alpha: 1,
    });
    expect(bo.priorOf(0 * 2 + 1)).toBeDefined();
    expect(bo.priorOf(1 * 2 + 0)).toBeUndefined();
  });
});

describe('looScore / PredictiveStats', () => {
  const { a, b, y } = fixture(3000);
  const codes = [a, b, y];
  const cards = [4, 6, 4];
  const opts = { minCount: 5, alpha: 4, smoothing: 2 };

  it('rewards the informative parent and not the noise parent', () => {
    const stats = new PredictiveStats(codes, cards, opts);
    const none = stats.bic(2, []);
    expect(stats.bic(2, [0])).toBeGreaterThan(none + 1000);
    // a noise parent cannot raise held-out likelihood meaningfully
    expect(stats.bic(2, [1])).toBeLessThan(none + 5);
    expect(stats.bic(2, [0, 1])).toBeLessThan(stats.bic(2, [0]) + 5);
  });

  it('scores states below k as the marginal, so shattering parents gain nothing', () => {
    // a unique-per-row parent: every state has 1 row → all rows scored by the marginal
    const id = Int32Array.from({ length: 3000 }, (_, i) => i);
    const mi = () => 0;
    const withId = looScore([id, y], [3000, 4], 1, [0], mi, opts);
    const alone = looScore([id, y], [3000, 4], 1, [], mi, opts);
    expect(withId).toBeCloseTo(alone, 6);
  });

  it('charges the state penalty per state with at least k rows', () => {
    const mi = (_c: number, p: number) => (p === 0 ? 1 : 0);
    const base = looScore(codes, cards, 2, [0], mi, opts);
    const pen = looScore(codes, cards, 2, [0], mi, { ...opts, statePenalty: 3 });
    expect(base - pen).toBeCloseTo(12, 6);
  });
});

describe('backed-off rows of a categorical child (params.ts)', () => {
  it('covers every value of the weakest parent under each ≥k state with one wildcard row from the backed-off prior, without n', async () => {
    const { inferTable } = await import('../data/infer.js');
    const { encodeColumn } = await import('./encode.js');
    const { fitNode } = await import('./params.js');
    const s = streamFor(9, 'backed-off-rows');
    const n = 400;
    const A = ['a0', 'a1', 'a2', 'a3'];
    const B = ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'];
    const a: string[] = [];
    const b: string[] = [];
    const y: string[] = [];
    for (let i = 0; i < n; i++) {
      const ai = s.nextInt(4);
      a.push(A[ai]);
      // b skewed: b7 rare, so some (a, b7) states hold fewer than k rows
      b.push(B[Math.min(7, Math.floor(-Math.log(s.nextOpen()) * 2))]);
      y.push(s.nextFloat() < 0.95 ? `y${ai}` : `y${s.nextInt(4)}`);
    }
    const raw = { name: 't', columns: ['a', 'b', 'y'], rowCount: n, data: [a, b, y] };
    const info = inferTable(raw);
    const nodes = info.columns.map((c, i) => encodeColumn(c, raw.data[i], { minCount: 5 }));
    // the full table's back-off rows (a tree of parent conditions wins here: b is noise)
    // (unmerged: this checks the back-off rows; merging is tested in merge-states.test.ts)
    const fit = fitNode(nodes, 2, [1, 0], { minCount: 5, tables: 'never', mergeAlpha: 0 });
    const rows = fit.column.conditional!.rows;
    const counted = rows.filter((r) => r.n !== undefined);
    const backed = rows.filter((r) => r.n === undefined);
    expect(counted.every((r) => (r.n ?? 0) >= 5)).toBe(true);
    expect(backed.length).toBeGreaterThan(0);
    // every (b, a) combination is covered: counted rows plus backed-off rows
    // every (b, a) combination resolves to a row: its own, or the wildcard row of its a
    const resolve = conditionalResolver(rows);
    for (const bv of nodes[1].labels) for (const av of A) expect(resolve([bv, av])).toBeDefined();
    // one wildcard row per value of the informative parent at most, "*" at the weakest parent
    expect(backed.every((r) => r.when[0] === ANY_STATE && r.when[1] !== ANY_STATE)).toBe(true);
    expect(new Set(backed.map((r) => r.when[1])).size).toBe(backed.length);
    // a state with its own row keeps it
    for (const r of rows.filter((x) => x.n !== undefined)) expect(resolve(r.when.map(String))).toBe(r);
    // a backed-off row keeps y ≈ a (the informative parent), not the uniform-ish marginal
    for (const r of backed) {
      const av = String(r.when[1]);
      const vals = r.values as Record<string, number>;
      expect(vals[`y${av.slice(1)}`]).toBeGreaterThan(0.8);
    }
  });
});
