import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { chiSquareTest } from '../random/testing/goodness.js';
import { generateRows, generateToFile } from '../sample/index.js';
import { createSampler } from '../sample/sampler.js';
import { parseSpecText } from '../spec/index.js';
import type { Column } from '../spec/schema.js';
import { fitTable } from './fit.js';
import { emptyKnowledge } from './knowledge.js';

/**
 * A known network with a context-specific table: `plan` depends on `tier` only where
 * `region` = north; `colour` is noise. All four are D's declared parents (knowledge), so the
 * test is about the table, not the structure search.
 */
const TRUE = {
  gold: [0.7, 0.2, 0.1],
  basic: [0.1, 0.3, 0.6],
  other: [0.3, 0.5, 0.2],
};
const PLANS = ['p0', 'p1', 'p2'];

function network(n: number, seed: number): RawColumns {
  const s = streamFor(seed, 'context-tree-test');
  const regions = ['north', 'south', 'east'];
  const tiers = ['gold', 'basic'];
  const colours = ['red', 'green', 'blue', 'grey'];
  const cols: string[][] = [[], [], [], []];
  for (let i = 0; i < n; i++) {
    const r = s.nextInt(3);
    const t = s.nextInt(2);
    const c = s.nextInt(4);
    const p = r === 0 ? (t === 0 ? TRUE.gold : TRUE.basic) : TRUE.other;
    let u = s.nextFloat();
    let k = 0;
    while (k < 2 && u >= p[k]) u -= p[k++];
    cols[0].push(regions[r]);
    cols[1].push(tiers[t]);
    cols[2].push(colours[c]);
    cols[3].push(PLANS[k]);
  }
  return { name: 'net', columns: ['region', 'tier', 'colour', 'plan'], rowCount: n, data: cols };
}

const knowledge = {
  ...emptyKnowledge(),
  required: [
    ['region', 'plan'],
    ['tier', 'plan'],
    ['colour', 'plan'],
  ] as [string, string][],
};

/** Chi-square critical value at α = 0.001 for 2 degrees of freedom. */
const CHI2_2_0001 = 13.816;

describe('fit: context-specific tables', () => {
  const raw = network(12_000, 21);
  const fit = fitTable(raw, { seed: 1, knowledge, tables: 'all' });
  const plan = fit.spec.tables.net.columns.plan as Column;

  it('recovers the tree: tier only under region = north, colour nowhere', () => {
    const rows = plan.conditional?.rows ?? [];
    const parents = plan.conditional!.parents.map((p) => p.column);
    const at = (name: string) => parents.indexOf(name);
    const whens = rows.map((r) => r.when);
    expect(whens).toHaveLength(3);
    // every row leaves colour open; the first two pin region = north, the last is the rest
    for (const w of whens) expect(w[at('colour')]).toBe('*');
    expect(whens[0][at('region')]).toBe('north');
    expect(whens[1][at('region')]).toBe('north');
    expect([whens[0][at('tier')], whens[1][at('tier')]].sort()).toEqual(['*', whens[0][at('tier')]].sort());
    expect(whens[2].every((x) => x === '*')).toBe(true);
    expect(fit.yaml).toMatch(/a tree of 3 parent conditions/);
  });

  it('generates the context-specific law: chi-square per leaf at α = 0.001', async () => {
    const gen = await generateRows({ spec: fit.spec, rows: 20_000, seed: 5 });
    const col = (name: string) => gen.data[gen.columns.indexOf(name)] as string[];
    const [region, tier, p] = [col('region'), col('tier'), col('plan')];
    const cells: [string, (i: number) => boolean, number[]][] = [
      ['north/gold', (i) => region[i] === 'north' && tier[i] === 'gold', TRUE.gold],
      ['north/basic', (i) => region[i] === 'north' && tier[i] === 'basic', TRUE.basic],
      ['south/gold', (i) => region[i] === 'south' && tier[i] === 'gold', TRUE.other],
      ['east/basic', (i) => region[i] === 'east' && tier[i] === 'basic', TRUE.other],
    ];
    for (const [, inCell, truth] of cells) {
      const obs = [0, 0, 0];
      for (let i = 0; i < gen.rows; i++) if (inCell(i)) obs[PLANS.indexOf(p[i])]++;
      expect(chiSquareTest(obs, truth).statistic).toBeLessThan(CHI2_2_0001);
    }
  });

  it('round-trips through the model file, byte-identical across worker counts', async () => {
    const { spec } = parseSpecText(fit.yaml, 'model.yaml');
    expect(spec.tables.net.columns.plan).toEqual(plan);
    const dir = mkdtempSync(join(tmpdir(), 'strata-ctree-'));
    try {
      const out = (w: number) => join(dir, `w${w}.csv`);
      await generateToFile({ spec, rows: 20_000, seed: 9, workers: 1, out: out(1) });
      await generateToFile({ spec, rows: 20_000, seed: 9, workers: 2, out: out(2) });
      expect(readFileSync(out(2)).equals(readFileSync(out(1)))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a hand-edited leaf changes generation', async () => {
    // The rest-of-the-world leaf (last row) edited to always p2.
    const lines = fit.yaml.split('\n');
    // a category row is one flow line: `- {when: [...], values: {...}, n: N}`
    const last = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s+- \{when: .*values: \{/.test(l));
    const [line, i] = last[last.length - 1];
    lines[i] = line.replace(/values: \{[^}]*\}/, 'values: {p2: 1}');
    const { spec } = parseSpecText(lines.join('\n'), 'edited.yaml');
    const gen = await generateRows({ spec, rows: 5000, seed: 5 });
    const col = (name: string) => gen.data[gen.columns.indexOf(name)] as string[];
    const [region, p] = [col('region'), col('plan')];
    let other = 0;
    let north = 0;
    for (let k = 0; k < gen.rows; k++) {
      if (region[k] !== 'north') {
        other++;
        expect(p[k]).toBe('p2');
      } else if (p[k] !== 'p2') north++;
    }
    expect(other).toBeGreaterThan(2000);
    expect(north).toBeGreaterThan(500);
  });

  it('complete() (exact elimination) and do: read the tree as the generator does', () => {
    const sampler = createSampler(fit.spec, { seed: 3 });
    // P(region = north | plan = p2) from the fitted model itself: regions and tiers are
    // (near) uniform, and the leaves give P(plan | region, tier).
    const rows = plan.conditional!.rows;
    const p2 = (i: number) => (rows[i].values as Record<string, number>).p2;
    const tierAt = plan.conditional!.parents.findIndex((p) => p.column === 'tier');
    const ownTier = rows[0].when[tierAt] as string;
    const marg = (name: string) =>
      (fit.spec.tables.net.columns[name] as Column).values as Record<string, number>;
    const region = marg('region');
    const tier = marg('tier');
    const north = region.north * (tier[ownTier] * p2(0) + (1 - tier[ownTier]) * p2(1));
    const rest = (1 - region.north) * p2(2);
    const want = north / (north + rest);
    const n = 6000;
    const done = sampler.completeAll(Array.from({ length: n }, () => ({ plan: 'p2' })));
    const share = done.filter((r) => r.region === 'north').length / n;
    expect(Math.abs(share - want)).toBeLessThan(4 * Math.sqrt((want * (1 - want)) / n));
    // do: region = east → every plan drawn from the rest-of-the-world leaf
    const forced = sampler.many(4000, { do: { region: 'east' } });
    const obs = PLANS.map((v) => forced.filter((r) => r.plan === v).length);
    const leaf = rows[2].values as Record<string, number>;
    expect(
      chiSquareTest(
        obs,
        PLANS.map((v) => leaf[v]),
      ).statistic,
    ).toBeLessThan(CHI2_2_0001);
  });

  it("writes the full cross-product table with tables: 'never', and for a category by default", () => {
    for (const tables of ['never', undefined] as const) {
      // mergeAlpha 0: one row per state (merged states are lists too; merge-states.test.ts)
      const full = fitTable(raw, { seed: 1, knowledge, tables, mergeAlpha: 0 });
      const rows = (full.spec.tables.net.columns.plan as Column).conditional?.rows ?? [];
      expect(rows.length).toBeGreaterThan(3);
      expect(rows.some((r) => r.when.some(Array.isArray))).toBe(false);
    }
  });
});
