import { describe, expect, it } from 'vitest';
import { AliasTable, streamFor } from './index.js';
import { chiSquarePValue } from './testing/goodness.js';

describe('AliasTable', () => {
  const weights = [5, 0, 1, 3, 0.5, 10, 0, 2];

  it('draws each index with probability weight/total (chi-square, n = 50k)', () => {
    const t = new AliasTable(weights);
    const s = streamFor(41, 'alias');
    const counts = new Array(weights.length).fill(0);
    for (let i = 0; i < 50_000; i++) counts[t.sample(s)]++;
    expect(counts[1]).toBe(0);
    expect(counts[6]).toBe(0);
    const nz = weights.map((w, i) => [w, counts[i]]).filter(([w]) => w > 0);
    expect(
      chiSquarePValue(
        nz.map(([, c]) => c),
        nz.map(([w]) => w),
      ),
    ).toBeGreaterThan(0.001);
  });

  it('has power against a different weighting', () => {
    const t = new AliasTable([1, 1.1]);
    const s = streamFor(42, 'alias');
    const counts = [0, 0];
    for (let i = 0; i < 50_000; i++) counts[t.sample(s)]++;
    expect(chiSquarePValue(counts, [1, 1])).toBeLessThan(0.001);
  });

  it('reports exact probabilities and size', () => {
    const t = new AliasTable(Float64Array.from(weights));
    expect(t.size).toBe(8);
    expect(t.probability(5)).toBeCloseTo(10 / 21.5, 15);
    expect(t.probability(1)).toBe(0);
    expect(t.probability(8)).toBe(0);
    expect(new AliasTable([7]).sample(streamFor(1))).toBe(0);
  });

  it('never draws zero-weight entries even with many near-equal weights', () => {
    const w = Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? 0 : 1 + 1e-13 * i));
    const t = new AliasTable(w);
    const s = streamFor(43, 'alias');
    for (let i = 0; i < 20_000; i++) expect(w[t.sample(s)]).toBeGreaterThan(0);
  });

  it('rejects bad weights with a StrataError naming the entry', () => {
    expect(() => new AliasTable([])).toThrow(/at least one/);
    expect(() => new AliasTable([1, -1])).toThrow(/weight 1/);
    expect(() => new AliasTable([1, Number.NaN])).toThrow(/weight 1/);
    expect(() => new AliasTable([0, 0])).toThrow(/sum/);
  });
});
