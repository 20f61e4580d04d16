import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { fitTable } from './fit.js';
import { foldDcrShare, guardedFit, guardLadder } from './privacy-guard.js';

/**
 * 210 rows in 70 groups of about 3: an id-like code (one value per group, 70 values) and five
 * integer codes that are functions of the group plus a small jitter (many values seen once or
 * twice: rare atoms). Plain fit's finest mechanisms reproduce the groups it saw.
 */
function groupedCodes(n: number, seed: number, groups = Math.ceil(n / 3)): RawColumns {
  const s = streamFor(seed, 'privacy-guard-fixture');
  const columns = ['a', 'b', 'c', 'd', 'e', 'f'];
  const data = columns.map(() => [] as (string | null)[]);
  for (let i = 0; i < n; i++) {
    const g = s.nextInt(groups);
    data.forEach((col, j) => {
      col.push(String(j === 0 ? 1000 + g * 7 : ((g * 37 * (j + 1)) % 101) + s.nextInt(3)));
    });
  }
  return { name: 'codes', columns, rowCount: n, data };
}

describe('privacy guard', () => {
  it('coarsens step by step, each step keeping the previous one', () => {
    expect(guardLadder({}).map((s) => s.options)).toEqual([
      {},
      { treeSearch: false },
      { treeSearch: false, fidelityPenalty: null },
      { treeSearch: false, fidelityPenalty: null, maxParents: 1 },
    ]);
    // What the user already turned off is not a step.
    expect(guardLadder({ treeSearch: false, maxParents: 1 }).map((s) => s.label)).toEqual([
      'as fitted',
      'and no weak edges',
    ]);
  });

  it('a model whose rows sit closer to its training rows than the bound is coarsened until within it', async () => {
    const raw = groupedCodes(210, 5, 100);
    // Before the guard: plain fit's model, measured the guard's way, is above the bound (0.548).
    const plain = await foldDcrShare(raw, { seed: 1 });
    expect(plain!).toBeGreaterThan(0.535);
    const fit = await guardedFit(raw, { seed: 1 }, { bound: 0.535 });
    const measures = fit.guard ?? [];
    expect(measures[0]).toEqual({ label: 'as fitted', dcr: plain });
    // Each coarser step sits no closer to the training rows (0.548, 0.543, 0.541, 0.532).
    for (let i = 1; i < measures.length; i++)
      expect(measures[i].dcr!).toBeLessThanOrEqual(measures[i - 1].dcr!);
    const last = measures[measures.length - 1];
    expect(last.label).toBe('and at most 1 parent per column');
    expect(last.dcr!).toBeLessThanOrEqual(0.535);
    expect(fit.yaml).toContain('# Privacy guard (DCR share');
    expect(fit.yaml).toContain(`coarsened: ${last.label}`);
    // The written model is that step fitted on every row.
    for (const col of Object.values(fit.spec.tables[fit.table].columns))
      expect((col.given ?? []).length).toBeLessThanOrEqual(1);
  }, 60_000);

  it('keeps plain fit when the first step is within the bound, and skips small or private fits', async () => {
    const raw = groupedCodes(210, 5);
    const fit = await guardedFit(raw, { seed: 1 }, { bound: 0.99 });
    expect(fit.guard).toHaveLength(1);
    expect(fit.spec).toEqual(fitTable(raw, { seed: 1 }).spec);
    expect(fit.yaml).toContain('kept as fitted');
    const small = await guardedFit(groupedCodes(60, 5), { seed: 1 }, { bound: 0.5 });
    expect(small.guard).toBeUndefined();
    const dp = await guardedFit(raw, { seed: 1, epsilon: 1 }, { bound: 0.5 });
    expect(dp.guard).toBeUndefined();
  }, 60_000);
});
