import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { inferTable } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { generateRows } from '../sample/index.js';
import { empiricalFromValues, knotCount, knotQuantile, mixToward } from './empirical.js';
import { encodeColumn } from './encode.js';
import { fitTable } from './fit.js';
import { emptyKnowledge } from './knowledge.js';
import { fitNode } from './params.js';
import { rankCorrelation } from './refine.js';

/** A ground-truth near-linear pair (b = 0.95 a + small noise, a skewed) plus a categorical. */
function linearPair(n: number, seed: number): RawColumns {
  const s = streamFor(seed, 'linear-pair');
  const a: string[] = [];
  const b: string[] = [];
  const g: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = Math.round(-20_000 * Math.log(s.nextOpen()));
    const noise = Math.sqrt(-2 * Math.log(s.nextOpen())) * Math.cos(2 * Math.PI * s.nextFloat());
    a.push(String(x));
    b.push(String(Math.round(0.95 * x + 800 * noise)));
    g.push(s.nextFloat() < 0.5 ? 'u' : 'v');
  }
  return { name: 'pair', columns: ['a', 'b', 'g'], rowCount: n, data: [a, b, g] };
}

describe('strongly dependent numeric pairs', () => {
  const raw = linearPair(6000, 1);
  const real = { a: raw.data[0].map(Number), b: raw.data[1].map(Number) };

  it('rank correlation: exact on monotone data, 0 on constant, ties averaged', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5]);
    expect(rankCorrelation(x, Float64Array.from([10, 20, 30, 40, 1000]))).toBeCloseTo(1, 12);
    expect(rankCorrelation(x, Float64Array.from([5, 4, 3, 2, 1]))).toBeCloseTo(-1, 12);
    expect(rankCorrelation(x, Float64Array.from([7, 7, 7, 7, 7]))).toBe(0);
    expect(rankCorrelation(x, Float64Array.from([1, 1, 2, 2, Number.NaN]))).toBeCloseTo(0.894, 3);
  });

  it('the child table uses finer quantile bins of the strong parent and reproduces the correlation', async () => {
    const fit = fitTable(raw, { seed: 2, knowledge: { ...emptyKnowledge(), required: [['a', 'b']] } });
    const col = fit.spec.tables.pair.columns.b;
    expect(col.given).toContain('a');
    const parent = col.conditional?.parents.find((p) => p.column === 'a');
    expect(parent?.breaks?.length ?? 0).toBeGreaterThanOrEqual(16);
    const gen = await generateRows({ spec: fit.spec, rows: 6000, seed: 9 });
    const ga = Float64Array.from(gen.data[gen.columns.indexOf('a')].map(Number));
    const gb = Float64Array.from(gen.data[gen.columns.indexOf('b')].map(Number));
    const realRho = rankCorrelation(Float64Array.from(real.a), Float64Array.from(real.b));
    expect(realRho).toBeGreaterThan(0.99);
    // 8 structure bins of an exponential parent give about 0.93; 32 refined bins about 0.98.
    expect(rankCorrelation(ga, gb)).toBeGreaterThan(0.975);
  });

  it('only strongly dependent numeric parents are refined, and refinement can be turned off', () => {
    const info = inferTable(raw).columns;
    const nodes = info.map((c, i) => encodeColumn(c, raw.data[i], { minCount: 5 }));
    const on = fitNode(nodes, 1, [0, 2], { minCount: 5 });
    const off = fitNode(nodes, 1, [0, 2], { minCount: 5, refine: false });
    const breaks = (f: typeof on) => f.column.conditional?.parents[0].breaks?.length ?? 0;
    expect(breaks(on)).toBeGreaterThan(breaks(off));
    expect(breaks(off)).toBe(nodes[0].breaks.length);
    expect(on.summary).toMatch(/finer bins of a/);
    // g is independent of a: a as g's parent keeps its structure bins (g is not numeric anyway),
    // and an independent numeric pair is not refined.
    const noise = { ...nodes[1], values: Float64Array.from(nodes[1].values, (_, i) => (i * 7919) % 1000) };
    const indep = fitNode([nodes[0], noise, nodes[2]], 1, [0, 2], { minCount: 5 });
    expect(breaks(indep)).toBe(nodes[0].breaks.length);
  });
});

describe('mixture shrinkage', () => {
  const g = { width: 0, anchor: 'centre' as const, lo: -1e9, hi: 1e9 };
  it('mixing keeps each side where it was instead of averaging quantiles', () => {
    const small = empiricalFromValues(
      Array.from({ length: 200 }, (_, i) => i / 200),
      new Set(),
      g,
    );
    const big = empiricalFromValues(
      Array.from({ length: 200 }, (_, i) => 100 + i / 200),
      new Set(),
      g,
    );
    const m = mixToward(small, big, 0.8);
    // 80% of the mass stays in [0, 1), 20% in [100, 101); nothing in between.
    expect(knotQuantile(m.knots!, 0.75)).toBeLessThan(1);
    expect(knotQuantile(m.knots!, 0.85)).toBeGreaterThan(99);
    expect(m.contMass).toBeCloseTo(1, 12);
  });

  it('atoms mix linearly', () => {
    const a = empiricalFromValues([0, 0, 0, 5, 6, 7, 8, 9], new Set([0]), g);
    const b = empiricalFromValues([1, 2, 3, 4, 5, 6, 7, 8], new Set([0]), g);
    const m = mixToward(a, b, 0.5);
    expect(m.atoms.get(0)).toBeCloseTo(0.5 * (3 / 8), 12);
    expect(m.contMass).toBeCloseTo(1 - 0.5 * (3 / 8), 12);
  });

  it('knot count grows with the data but never beyond a quarter of the rows', () => {
    expect(knotCount(20)).toBe(5);
    expect(knotCount(100)).toBe(25);
    expect(knotCount(400)).toBe(80);
    expect(knotCount(100_000)).toBe(121);
  });
});
