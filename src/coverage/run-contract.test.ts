/**
 * What a coverage run promises (issues 12.3 and 13.9): blocks that any thread can draw in any order
 * with the same bytes; forbidden cells with no row; specs whose parameters are formulas of their
 * parents conditioned exactly; --allow-empty-cells that continues past a cell too rare to fill.
 */

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRows, generateToFile } from '../sample/index.js';
import { CARD_CUSTOMERS_YAML, parseSpecText } from '../spec/index.js';
import type { Spec } from '../spec/schema.js';
import { compileModel } from './quantile.js';
import { prepareCoverage } from './run.js';

const card = () => parseSpecText(CARD_CUSTOMERS_YAML, 'card.yaml').spec;

/** g → x (normal, mean a formula of g) → k (category, weights formulas of x). */
function formulaSpec(extra: Partial<Spec> = {}, xParams = { mean: "g == 'a' ? 10 : 20", sd: 2 }): Spec {
  return {
    strata: 1,
    seed: 1,
    tables: {
      t: {
        rows: 4000,
        columns: {
          g: { type: 'category', values: { a: 0.5, b: 0.5 } },
          x: { type: 'number', given: ['g'], dist: { normal: xParams } },
          k: { type: 'category', given: ['x'], values: { lo: 'x < 13.5 ? 1 : 0', hi: 'x < 13.5 ? 0 : 1' } },
        },
      },
    },
    coverage: { t: { axes: ['g', 'k'], min_per_cell: 100 } },
    ...extra,
  };
}

describe('a coverage run', () => {
  it('draws the same blocks in any order, in this thread or rebuilt elsewhere from its numbers', () => {
    const spec = card();
    const model = compileModel(spec, 'customer');
    const run = prepareCoverage(spec, 'customer', model, 30_000, 42);
    const again = prepareCoverage(spec, 'customer', compileModel(spec, 'customer'), 30_000, 42, {
      resolved: structuredClone(run.resolution),
    });
    expect(run.tasks.map((t) => t.part.kind)).toContain('component');
    const inOrder = run.tasks.map((t) => run.draw(t));
    const reversed = [...again.tasks]
      .reverse()
      .map((t) => again.draw(t))
      .reverse();
    for (let i = 0; i < inOrder.length; i++) {
      expect(reversed[i].block.values).toEqual(inOrder[i].block.values);
      expect(reversed[i].block.extra).toEqual(inOrder[i].block.extra);
      expect(reversed[i].stats).toEqual(inOrder[i].stats);
    }
  });

  it('is byte-identical for 1, 2 and 3 workers (plan and tail), and says how many threads drew', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-cov-workers-'));
    const spec = card();
    const out = await Promise.all(
      [1, 2, 3].map(async (workers) => {
        const path = join(dir, `w${workers}.csv`);
        const r = await generateToFile({ spec, rows: 30_000, workers, out: path });
        return { r, bytes: readFileSync(path, 'utf8') };
      }),
    );
    expect(out[1].bytes).toBe(out[0].bytes);
    expect(out[2].bytes).toBe(out[0].bytes);
    expect(out.map((o) => o.r.workers)).toEqual([1, 2, 3]);
    expect(out[1].r.coverage).toEqual(out[0].r.coverage);
  });

  it('puts no row in a forbidden cell, and its weights still average 1', async () => {
    // The demo once wrote 29 rows into segment=business|age_band=young, which its plan forbids.
    const r = await generateRows({ spec: card(), rows: 20_000, seed: 42 });
    const seg = r.data[r.columns.indexOf('segment')];
    const age = r.data[r.columns.indexOf('age')] as number[];
    expect(seg.filter((s, i) => s === 'business' && age[i] < 25).length).toBe(0);
    const c = r.coverage!;
    expect(c.forbidden.map((f) => f.key)).toEqual(['segment=business|age_band=young']);
    expect(c.forbiddenProbability).toBeGreaterThan(0.001);
    expect(Math.abs(c.weightMean - 1)).toBeLessThan(0.02);
    // Weighted, the business share among adults and seniors is the model's, given "not forbidden".
    const w = r.data[r.columns.indexOf('_weight')] as number[];
    let sw = 0;
    let sb = 0;
    seg.forEach((s, i) => {
      sw += w[i];
      if (s === 'business') sb += w[i];
    });
    const pYoung = c.forbiddenProbability / 0.05; // P(age < 25) = P(F) / P(business)
    expect(sb / sw).toBeCloseTo((0.05 * (1 - pYoung)) / (1 - c.forbiddenProbability), 2);
  });

  it('conditions exactly when parameters are formulas of categories and integers', async () => {
    // P(g = b, k = lo) = 0.5 · P(N(20, 2) < 13.5) ≈ 2.9e-4: forward rejection gave up on it.
    const r = await generateRows({ spec: formulaSpec(), rows: 4000 });
    const cell = r.coverage!.components.find((c) => c.key === 'g=b|k=lo')!;
    expect(cell.method).toBe('exact');
    expect(cell.probability).toBeCloseTo(0.5 * 0.000577025, 6);
    expect(cell.delivered).toBeGreaterThanOrEqual(100);
    const spec = card();
    const tail = (await generateRows({ spec, rows: 5000 })).coverage!.components.find(
      (c) => c.kind === 'tail',
    )!;
    expect(tail.method).toBe('exact'); // income's meanlog reads segment and age
    expect(tail.probability).toBeCloseTo(0.001, 6);
  });

  it('with allowEmptyCells, reports a cell too rare to fill by rejection as empty and goes on', async () => {
    // x's sd reads a number column (y) through a formula: nothing to condition on exactly.
    const spec = formulaSpec();
    spec.tables.t.columns = {
      y: { type: 'number', dist: { uniform: { min: 1.9, max: 2.1 } } },
      g: { type: 'category', values: { a: 0.5, b: 0.5 } },
      x: { type: 'number', given: ['g', 'y'], dist: { normal: { mean: "g == 'a' ? 10 : 20", sd: 'y' } } },
      k: { type: 'category', given: ['x'], values: { lo: 'x < 13.5 ? 1 : 0', hi: 'x < 13.5 ? 0 : 1' } },
    };
    await expect(generateRows({ spec, rows: 4000 })).rejects.toMatchObject({ code: 'coverage.infeasible' });
    const r = await generateRows({ spec, rows: 4000, allowEmptyCells: true });
    const empty = r.coverage!.components.find((c) => c.key === 'g=b|k=lo')!;
    expect(empty.quota).toBe(0);
    expect(empty.empty).toMatch(/too rare to fill by rejection/);
    expect(r.coverage!.empty.map((e) => e.key)).toEqual(['g=b|k=lo']);
  });
});
