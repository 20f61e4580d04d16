import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { parseSpecText } from '../spec/index.js';
import { explainRefine, refineFitTable } from './refine-loop.js';
import { drawRows } from './simulate.js';

/**
 * A known network: region → plan (strong), plan → spend (numeric), noise independent.
 * Built here, so the test needs no shared data.
 */
function network(n: number, seed: number): RawColumns {
  const s = streamFor(seed, 'refine-loop-test');
  const regions = ['north', 'south', 'east', 'west'];
  const plans = ['basic', 'plus', 'pro', 'max'];
  const region: string[] = [];
  const plan: string[] = [];
  const spend: string[] = [];
  const noise: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = s.nextInt(4);
    const p = s.nextFloat() < 0.8 ? r : s.nextInt(4);
    region.push(regions[r]);
    plan.push(plans[p]);
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

const joined = (
  spec: { tables: Record<string, { columns: Record<string, { given?: string[] }> }> },
  a: string,
  b: string,
) => {
  const cols = spec.tables.net.columns;
  return (cols[a].given ?? []).includes(b) || (cols[b].given ?? []).includes(a);
};

describe('refine loop', () => {
  const raw = network(3000, 5);
  // --max-parents 0: plain fit learns no edge at all; the loop may add one parent (max + 1).
  const opts = { seed: 3, maxParents: 0, refine: { rounds: 2 } };

  it('restores a removed edge the detection/pair figures point at, and records why', async () => {
    const r = await refineFitTable(raw, opts);
    // One parent per column (max 0 + 1): the chain region – plan – spend is rebuilt (the removed
    // edges, in some direction), noise stays alone.
    expect(joined(r.spec, 'region', 'plan') || joined(r.spec, 'region', 'spend')).toBe(true);
    expect(joined(r.spec, 'plan', 'spend')).toBe(true);
    expect(['region', 'plan', 'spend'].some((c) => joined(r.spec, c, 'noise'))).toBe(false);
    const kept = r.refine.steps.filter((s) => s.kept);
    expect(kept.length).toBeGreaterThan(0);
    for (const s of kept) {
      expect(s.after.loglik!).toBeGreaterThan(s.before.loglik!);
      expect(s.after.dcr_share ?? 0).toBeLessThanOrEqual(0.53);
      expect(s.why).toMatch(/bivariate accuracy of/);
    }
    // The trace is in the file, the file loads, and --explain prints it.
    const loaded = parseSpecText(r.yaml, 'model.yaml');
    expect(loaded.spec.fit?.refine?.steps.length).toBe(r.refine.steps.length);
    expect(r.yaml).toMatch(/# Refined \(--refine/);
    expect(r.spec.fit?.edges).toEqual(expect.arrayContaining([expect.stringMatching(/\(refine round 1\)/)]));
    expect(explainRefine(r.refine)).toMatch(/round 1: add edge .* kept/);
    // The refined model beats the plain one on detection (0 edges: region and plan independent).
    expect(r.refine.start.detection_auc).not.toBeNull();
    const last = kept[kept.length - 1].after.detection_auc!;
    expect(last).toBeLessThan(r.refine.start.detection_auc!);
  }, 60_000);

  it('is deterministic: same seed, same model bytes', async () => {
    const a = await refineFitTable(raw, opts);
    const b = await refineFitTable(raw, opts);
    expect(a.yaml).toBe(b.yaml);
  }, 60_000);

  it('stays editable: a hand-added edge and rule after refinement still generate', async () => {
    const r = await refineFitTable(raw, opts);
    const edited = r.yaml
      .replace(/^( {6})noise:\n/m, '$1noise:\n$1  given: [region]\n')
      .replace(
        /^( {4})columns:\n/m,
        '$1rules:\n$1  - { name: hand_rule, check: "spend >= 25" }\n$1columns:\n',
      );
    const { spec } = parseSpecText(edited, 'edited.yaml');
    expect(spec.tables.net.columns.noise.given).toEqual(['region']);
    expect(spec.tables.net.rules?.length).toBe(1);
    const rows = drawRows(spec, 'net', 500, 1);
    expect(rows.rowCount).toBe(500);
    const spend = rows.data[rows.columns.indexOf('spend')];
    expect(spend.every((v) => typeof v === 'number' && v >= 25)).toBe(true);
  }, 60_000);

  it('refuses --epsilon and a bad number of rounds', async () => {
    await expect(refineFitTable(raw, { epsilon: 1, refine: {} })).rejects.toMatchObject({
      code: 'fit.refine',
    });
    await expect(refineFitTable(raw, { refine: { rounds: 0 } })).rejects.toMatchObject({
      code: 'fit.refine',
    });
  });
});

describe('refine loop against plain fit', () => {
  it('is never worse than plain fit on fresh real rows (detection, bivariate accuracy)', async () => {
    const { fitTable } = await import('./fit.js');
    const { evaluate } = await import('../evaluate/index.js');
    const raw = network(2000, 11);
    const fresh = network(2000, 12);
    const plain = fitTable(raw, { seed: 3 });
    const refined = await refineFitTable(raw, { seed: 3, refine: { rounds: 2 } });
    const judge = async (spec: typeof plain.spec) => {
      const syn = drawRows(spec, 'net', 2000, 21);
      const r = await evaluate({
        real: fresh,
        synthetic: syn,
        seed: 5,
        bootstrapReps: 10,
        sections: {
          fidelity: true,
          detection: true,
          text: false,
          mmd: false,
          privacy: false,
          utility: false,
          bias: false,
          rules: false,
          coverage: false,
          knn_coverage: false,
          relational: false,
        },
      });
      return r.summary;
    };
    const a = await judge(plain.spec);
    const b = await judge(refined.spec);
    expect(b.detection_auc!).toBeLessThanOrEqual(a.detection_auc! + 0.02);
    expect(b.accuracy_bivariate!).toBeGreaterThanOrEqual(a.accuracy_bivariate! - 0.01);
  }, 60_000);
});
