/**
 * Defect (issue 12, #2): distribution parameters were read by position in four places, so a Spec
 * object whose keys come in another order than the schema's (`normal: { sd: 1, mean: 100 }`)
 * drew correctly but `quantile(x, 0.5)` returned 1. YAML specs escaped only because the schema
 * parser rebuilds every object in schema order; these tests hand the engine objects as written.
 */
import { describe, expect, it } from 'vitest';
import { modelCdfBelow } from '../coverage/quantile.js';
import type { Spec } from '../spec/schema.js';
import { sampleBlock } from './block.js';
import { compileTable } from './compile.js';

/** One number column `x` with the given dist (keys in the order written), plus `extra` columns. */
function specWith(dist: Spec['tables'][string]['columns'][string]['dist'], extra = {}): Spec {
  return {
    strata: 1,
    tables: { t: { columns: { x: { type: 'number', dist, decimals: 6 }, ...extra } } },
  };
}

describe('distribution parameters are read by name, whatever the key order', () => {
  it('quantile() of normal { sd: 1, mean: 100 } is 100', () => {
    const spec = specWith(
      { normal: { sd: 1, mean: 100 } },
      { m: { type: 'number', expr: 'quantile(x, 0.5)' } },
    );
    const model = compileTable(spec, 't');
    const block = sampleBlock(model, 1, 0, 0, 5);
    const m = block.values[model.columns.findIndex((c) => c.name === 'm')];
    expect(m).toEqual([100, 100, 100, 100, 100]);
  });

  it('quantile() of a truncated law reads its bounds and parameters by name', () => {
    const spec = specWith(
      { uniform: { max: 10, min: 0 } },
      { m: { type: 'number', expr: 'quantile(x, 0.25)', decimals: 6 } },
    );
    spec.tables.t.columns.x.min = 2;
    const model = compileTable(spec, 't');
    const m = sampleBlock(model, 1, 0, 0, 1).values[1][0];
    expect(m).toBe(4); // uniform on [2, 10]: a quarter of the way is 4
  });

  it('the compile-time mass check reads uniform { max, min } by name (no false "no probability" error)', () => {
    const spec = specWith({ uniform: { max: 10, min: 0 } });
    spec.tables.t.columns.x.min = 1;
    spec.tables.t.columns.x.max = 9;
    const model = compileTable(spec, 't');
    const xs = sampleBlock(model, 1, 0, 0, 200).values[0] as number[];
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...xs)).toBeLessThanOrEqual(9);
  });

  it('coverage discretises gamma { scale, shape } by name: its exact CDF matches the law', () => {
    const byName = specWith({ gamma: { scale: 2, shape: 5 } });
    const inOrder = specWith({ gamma: { shape: 5, scale: 2 } });
    const cdf = (s: Spec) => modelCdfBelow(compileTable(s, 't'), s.tables.t, 0, 10);
    // Gamma(5, scale 2) at 10: P(X < 10) = P(Poisson(5) ≥ 5) = 0.5595067…
    expect(cdf(inOrder)).toBeCloseTo(0.5595067149, 8);
    expect(cdf(byName)).toBeCloseTo(0.5595067149, 8);
  });
});
