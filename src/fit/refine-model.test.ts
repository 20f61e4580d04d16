/**
 * `refineModel`: the refine loop started from a hand-edited model. A removed edge comes back; a
 * hand-added edge and a hand-added rule survive, and rows generated from the result keep the rule.
 */
import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { StrataError } from '../errors.js';
import { streamFor } from '../random/stream.js';
import { parseSpecText } from '../spec/index.js';
import type { Spec } from '../spec/schema.js';
import { fitTable } from './fit.js';
import { refineModel, startingPoint } from './refine-model.js';
import { drawRows } from './simulate.js';

/** region → plan (strong), plan → spend, noise independent (as in refine-loop.test.ts). */
function network(n: number, seed: number): RawColumns {
  const s = streamFor(seed, 'refine-model-test');
  const region: string[] = [];
  const plan: string[] = [];
  const spend: string[] = [];
  const noise: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = s.nextInt(4);
    const p = s.nextFloat() < 0.8 ? r : s.nextInt(4);
    region.push(`r${r}`);
    plan.push(`p${p}`);
    spend.push((20 + 30 * p + 10 * s.nextFloat()).toFixed(2));
    noise.push(s.nextFloat() < 0.5 ? 'x' : 'y');
  }
  return {
    name: 'net',
    columns: ['region', 'plan', 'spend', 'noise'],
    rowCount: n,
    data: [region, plan, spend, noise],
  };
}

const joined = (spec: Spec, a: string, b: string) => {
  const cols = spec.tables.net.columns;
  return (cols[a].given ?? []).includes(b) || (cols[b].given ?? []).includes(a);
};

describe('refineModel (strata refine)', () => {
  const raw = network(3000, 5);
  const fitted = fitTable(raw, { seed: 3 });
  // The hand edit: the region–plan edge deleted, a rule and an edge noise → ... added.
  const edited = parseSpecText(fitted.yaml, 'model.yaml').spec;
  const cols = edited.tables.net.columns;
  const other = (c: string) => (c === 'plan' ? 'region' : 'plan');

  it('the fitted model joins region and plan (the edge the edit removes)', () => {
    expect(joined(fitted.spec, 'region', 'plan')).toBe(true);
  });

  it('restores the removed edge and keeps the hand-added edge and rule', async () => {
    for (const c of ['region', 'plan']) cols[c].given = (cols[c].given ?? []).filter((p) => p !== other(c));
    expect(joined(edited, 'region', 'plan')).toBe(false);
    // noise gets a parent by hand (nothing in the data asks for it): the loop must not take it away
    const handParent = (cols.noise.given ?? []).includes('spend') ? 'region' : 'spend';
    if (!(cols[handParent].given ?? []).includes('noise'))
      cols.noise.given = [...(cols.noise.given ?? []), handParent];
    edited.tables.net.rules = [{ name: 'spend_positive', check: 'spend > 0' }];
    const r = await refineModel(edited, raw, { seed: 3, refine: { rounds: 2 } });
    expect(joined(r.spec, 'region', 'plan')).toBe(true);
    expect(r.spec.tables.net.columns.noise.given).toContain(handParent);
    expect(r.spec.tables.net.rules).toEqual([{ name: 'spend_positive', check: 'spend > 0' }]);
    expect(r.refine.steps.some((s) => s.kept && /region|plan/.test(s.repair))).toBe(true);
    expect(r.start.refitted.sort()).toEqual(['noise', 'plan', 'region', 'spend']);
    // the written file loads and generates, rule intact
    const again = parseSpecText(r.yaml, 'refined.yaml').spec;
    expect(again.tables.net.rules?.[0].check).toBe('spend > 0');
    const rows = drawRows(again, 'net', 200, 1);
    expect(rows.rowCount).toBe(200);
  }, 120_000);

  it('keeps expression columns as written and names what it refits', () => {
    const spec = parseSpecText(fitted.yaml, 'model.yaml').spec;
    spec.tables.net.columns.double_spend = { type: 'number', expr: 'spend * 2' };
    const s = startingPoint(spec, raw);
    expect(s.keptAsWritten).toEqual(['double_spend']);
    expect(s.from.tables.net.columns.plan).toEqual({
      type: spec.tables.net.columns.plan.type,
      given: spec.tables.net.columns.plan.given ?? [],
    });
  });

  it('a fitted column the data lacks is bad input naming its place in the model file', () => {
    const text = fitted.yaml;
    const loaded = parseSpecText(text, 'model.yaml');
    const fewer = {
      ...raw,
      columns: ['region', 'plan', 'noise'],
      data: [raw.data[0], raw.data[1], raw.data[3]],
    };
    let err: unknown;
    try {
      startingPoint(loaded.spec, fewer, { source: loaded.source, dataFile: 'data.csv' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).code).toBe('fit.refine_model');
    expect(String((err as Error).message)).toMatch(
      /"spend" of the model has a fitted law, but data\.csv has no such column/,
    );
    expect((err as StrataError).place.line).toBeGreaterThan(1);
  });
});
