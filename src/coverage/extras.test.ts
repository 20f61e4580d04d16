import { describe, expect, it } from 'vitest';
import type { RawTable } from '../io/index.js';
import { streamFor } from '../random/stream.js';
import { chainSpec } from './fixtures.js';
import { coverageFromData } from './from-data.js';
import { applyScenario } from './scenario.js';
import { gpdQuantileOfSurvival, pwmFit } from './tail.js';

describe('scenarios', () => {
  it('shifts a dist parameter in every conditional state and returns the interventions', () => {
    const spec = chainSpec({
      scenarios: [{ name: 'stress', do: { A: 'b' }, shift: { C: { param: 'mean', scale: 2, add: 1 } } }],
    });
    const s = applyScenario(spec, 't', 'stress');
    const rows = s.spec.tables.t.columns.C.conditional!.rows;
    expect(rows.map((r) => (r.dist as { normal: { mean: number } }).normal.mean)).toEqual([1, 7]);
    expect(s.do).toEqual({ A: 'b' });
    // the original spec is untouched
    expect(
      (spec.tables.t.columns.C.conditional!.rows[1].dist as { normal: { mean: number } }).normal.mean,
    ).toBe(3);
    expect(() => applyScenario(spec, 't', 'nope')).toThrow(/no scenario "nope"/);
  });
});

describe('coverageFromData', () => {
  it('raises the cells that real data under-represents', () => {
    const n = 1000;
    const a = Array.from({ length: n }, (_, i) => (i < 950 ? 'common' : 'rare'));
    const b = Array.from({ length: n }, (_, i) => (i % 2 ? 'x' : 'y'));
    const raw: RawTable = { name: 'r', columns: ['a', 'b'], rowCount: n, data: [a, b], source: 'mem' };
    const plan = coverageFromData(raw, ['a', 'b'], { minPerCell: 40 });
    expect(plan.axes).toEqual(['a', 'b']);
    expect(plan.min_per_cell).toBe(40);
    expect(plan.cells?.map((c) => c.when.a)).toEqual(['rare', 'rare']);
    expect(plan.cells?.every((c) => c.min === 80)).toBe(true);
  });
});

describe('generalised Pareto tail estimate', () => {
  it('PWM recovers sigma and xi from GPD quantiles', () => {
    const s = streamFor(1, 'gpd');
    const ys = Array.from({ length: 20000 }, () => gpdQuantileOfSurvival(2, 0.2, s.nextOpen()));
    const { sigma, xi } = pwmFit(ys);
    expect(sigma).toBeGreaterThan(1.85);
    expect(sigma).toBeLessThan(2.15);
    expect(xi).toBeGreaterThan(0.13);
    expect(xi).toBeLessThan(0.27);
  });
});

describe('evaluate coverage section uses the plan compiler', () => {
  it('checks pairwise cells, bins, forbidden cells, floor(p) quotas and the ESS from _weight', async () => {
    const { checkCoverage } = await import('../evaluate/coverage-check.js');
    const { specValues } = await import('../evaluate/spec-checks.js');
    const columns = {
      a: { type: 'category' as const, values: ['p', 'q'] },
      b: { type: 'category' as const, values: ['r', 's'] },
      x: { type: 'number' as const, dist: { uniform: { min: 0, max: 10 } } },
    };
    const rows = [
      ['p', 'r', '1', '1'],
      ['p', 's', '6', '1'],
      ['q', 'r', '7', '2'],
      ['q', 's', '2', '2'],
      ['q', 's', '20', '2'],
    ];
    const raw: RawTable = {
      name: 't',
      columns: ['a', 'b', 'x', '_weight'],
      rowCount: rows.length,
      data: [0, 1, 2, 3].map((c) => rows.map((r) => r[c])),
      source: 'mem',
    };
    const plan = {
      axes: ['a', 'b', { name: 'xb', column: 'x', bins: [0, 5, 10] }],
      strategy: 'pairwise' as const,
      target: 'floor(0.2)',
      forbid: ["a == 'q' and b == 'r'"],
    };
    const out = checkCoverage('t', plan, raw, specValues(raw, columns), columns);
    if (out.status !== 'ok') throw new Error(out.reason);
    const sec = out.value;
    expect(sec.rows_outside_cells).toBe(1); // x = 20 is outside the bins
    const forb = sec.cells.filter((c) => c.forbidden);
    expect(forb.length).toBe(0); // covering arrays never build a forbidden cell
    expect(sec.cells.every((c) => c.required === 1)).toBe(true); // ceil(0.2 · 5)
    for (const [x, y] of [
      ['p', 'r'],
      ['p', 's'],
      ['q', 's'],
    ]) {
      expect(sec.cells.some((c) => c.labels.a === x && c.labels.b === y)).toBe(true);
    }
    expect(sec.cells.some((c) => c.labels.a === 'q' && c.labels.b === 'r')).toBe(false);
    expect(sec.effective_sample_size).toBeCloseTo(64 / 14, 10);
  });
});

describe('quantile() of a conditional column in a rule', () => {
  it('resolves against the exact mixture over parent states', async () => {
    const { compileModel, conditionalQuantile } = await import('./quantile.js');
    const spec = chainSpec();
    // C is a 0.9/0.1-ish mixture of N(0,1) and N(3,1): check F(q) = p by the closed form.
    const q = conditionalQuantile(spec, 't', 'C', 0.9)!;
    const { law } = await import('../random/testing/laws.js');
    const pY = 0.9 * 0.05 + 0.1 * 0.8;
    const F =
      (1 - pY) * law('normal', { mean: 0, sd: 1 }).cdf(q) + pY * law('normal', { mean: 3, sd: 1 }).cdf(q);
    expect(F).toBeCloseTo(0.9, 6);
    spec.tables.t.rules = [{ name: 'cap', check: 'C <= quantile(C, 0.99)' }];
    expect(() => compileModel(spec, 't')).not.toThrow();
  });
});

describe('scenario shares in a run', () => {
  it('draws share·N rows under the scenario, recorded in _scenario with weight 0', async () => {
    const { generateRows } = await import('../sample/generate.js');
    const spec = chainSpec(
      {
        coverage: { t: { axes: ['A'], min_per_cell: 100 } },
        scenarios: [{ name: 'stress', share: 0.2, shift: { C: { param: 'mean', add: 10 } } }],
      },
      2000,
    );
    const r = await generateRows({ spec });
    const sc = r.data[r.columns.indexOf('_scenario')];
    const w = r.data[r.columns.indexOf('_weight')] as number[];
    const c = r.data[r.columns.indexOf('C')] as number[];
    const inScen = sc.map((v) => v === 'stress');
    expect(inScen.filter(Boolean)).toHaveLength(400);
    expect(w.filter((_, i) => inScen[i]).every((v) => v === 0)).toBe(true);
    const meanIn = c.filter((_, i) => inScen[i]).reduce((a, b) => a + b, 0) / 400;
    const meanOut = c.filter((_, i) => !inScen[i]).reduce((a, b) => a + b, 0) / 1600;
    expect(meanIn - meanOut).toBeGreaterThan(8);
    const model = w.filter((_, i) => !inScen[i]);
    expect(Math.abs(model.reduce((a, b) => a + b, 0) / model.length - 1)).toBeLessThan(0.05);
  });
});
