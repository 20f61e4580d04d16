import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { evaluate } from '../evaluate/index.js';
import { streamFor } from '../random/stream.js';
import { generateRows } from '../sample/index.js';
import { type FitOptions, fitTable } from './fit.js';
import { compileKnowledge, emptyKnowledge } from './knowledge.js';
import { categoriesFirst, upstreamOrder } from './upstream-trees.js';

const gauss = (s: ReturnType<typeof streamFor>) =>
  Math.sqrt(-2 * Math.log(1 - s.nextFloat())) * Math.cos(2 * Math.PI * s.nextFloat());

/**
 * `spend` depends on an interaction of three categories: on `b` where `a = x` and on `c` where
 * `a = y` (six levels each, 4 sd apart), so no single parent, nor any pair, explains it; `d` is
 * noise.
 */
function interaction(n: number, seed: number): RawColumns {
  const s = streamFor(seed, 'upstream-interaction');
  const cols: string[][] = [[], [], [], [], []];
  for (let i = 0; i < n; i++) {
    const a = s.nextInt(2);
    const b = s.nextInt(6);
    const c = s.nextInt(6);
    const d = s.nextInt(4);
    const level = a === 0 ? b : c;
    cols[0].push(a === 0 ? 'x' : 'y');
    cols[1].push(`b${b}`);
    cols[2].push(`c${c}`);
    cols[3].push(`d${d}`);
    cols[4].push((100 + 40 * level + 10 * gauss(s)).toFixed(1));
  }
  return { name: 'interaction', columns: ['a', 'b', 'c', 'd', 'spend'], rowCount: n, data: cols };
}

/** Two-sample Kolmogorov–Smirnov statistic. */
function ks(x: number[], y: number[]): number {
  const a = [...x].sort((p, q) => p - q);
  const b = [...y].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const v = Math.min(a[i], b[j]);
    while (i < a.length && a[i] <= v) i++;
    while (j < b.length && b[j] <= v) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/** The critical two-sample KS distance at level alpha (asymptotic). */
const ksCritical = (n: number, m: number, alpha: number) =>
  Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));

/** Values of `value` per joint state of `by` (label → values). */
function byContext(
  columns: readonly string[],
  data: readonly (readonly unknown[])[],
  by: string[],
  value: string,
) {
  const out = new Map<string, number[]>();
  const vi = columns.indexOf(value);
  const bi = by.map((b) => columns.indexOf(b));
  for (let r = 0; r < data[vi].length; r++) {
    const k = bi.map((i) => String(data[i][r])).join('|');
    const list = out.get(k) ?? [];
    list.push(Number(data[vi][r]));
    out.set(k, list);
  }
  return out;
}

// a..d are causes (knowledge), so the test is about what spend reads, not directions; the bound of
// two parents and no tree pass leave the parent-set search unable to give spend all three.
const knowledge = { ...emptyKnowledge(), tiers: [['a', 'b', 'c', 'd'], ['spend']] };
const base: FitOptions = {
  seed: 1,
  knowledge,
  residualEdges: 0,
  restarts: 2,
  treeSearch: false,
  maxParents: 2,
};

describe('upstream trees (upstream-trees.ts)', () => {
  const raw = interaction(6000, 1);

  it('without them, the parent-set search cannot give spend its three parents (a real test)', () => {
    const fit = fitTable(raw, { ...base, upstreamTrees: false });
    expect(fit.columns.find((c) => c.name === 'spend')?.parents.length).toBeLessThan(3);
  });

  const fit = fitTable(raw, { ...base, upstreamTrees: true });
  it('gives a numeric child the three categories of its interaction, written as one tree', () => {
    const spend = fit.columns.find((c) => c.name === 'spend');
    expect(spend?.parents).toEqual(['a', 'b', 'c']);
    expect(spend?.summary).toMatch(/a tree of \d+ parent conditions chosen from the columns upstream/);
  });

  it('recovers the law in every context (two-sample KS per context, alpha = 0.001)', async () => {
    const gen = await generateRows({ spec: fit.spec, rows: 6000, seed: 3 });
    const real = byContext(raw.columns, raw.data, ['a', 'b', 'c'], 'spend');
    const synth = byContext(gen.columns, gen.data, ['a', 'b', 'c'], 'spend');
    let tested = 0;
    for (const [k, r] of real) {
      const s = synth.get(k) ?? [];
      if (r.length < 40 || s.length < 40) continue;
      tested++;
      expect(ks(r, s), `context ${k}`).toBeLessThan(ksCritical(r.length, s.length, 0.001));
    }
    expect(tested).toBeGreaterThanOrEqual(60);
  });

  it('is deterministic: same data and options, same model bytes', () => {
    expect(fitTable(raw, { ...base, upstreamTrees: true }).yaml).toBe(fit.yaml);
  });
});

/**
 * A numeric child whose upstream context (six categories of three states: 729 joint states over
 * 2,000 rows) nearly identifies each row: a tree with tiny leaves would hand back each row's own
 * value. The leaf floor keeps every leaf's law to ≥ minLeaf rows.
 */
function wide(n: number, seed: number): RawColumns {
  const s = streamFor(seed, 'upstream-wide');
  const names = ['p', 'q', 'r', 's', 't', 'u'];
  const cols: string[][] = names.map(() => []);
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    let mu = 0;
    names.forEach((_, k) => {
      const v = s.nextInt(3);
      cols[k].push(`${names[k]}${v}`);
      mu += (k + 1) * v;
    });
    y.push((50 + 3 * mu + 4 * gauss(s)).toFixed(2));
  }
  return { name: 'wide', columns: [...names, 'y'], rowCount: n, data: [...cols, y] };
}

describe('the leaf floor of upstream trees keeps rows from being copied', () => {
  const train = wide(2000, 2);
  const holdout = wide(2000, 3);
  const tiers = { ...emptyKnowledge(), tiers: [['p', 'q', 'r', 's', 't', 'u'], ['y']] };

  it('writes no leaf of fewer than minLeaf rows, and the DCR share stays at the holdout level', async () => {
    const minLeaf = 40;
    const fit = fitTable(train, {
      seed: 1,
      knowledge: tiers,
      restarts: 2,
      upstreamTrees: { minLeaf, minGain: Number.NEGATIVE_INFINITY },
    });
    const y = fit.spec.tables[fit.table].columns.y;
    expect(fit.columns.find((c) => c.name === 'y')?.summary).toMatch(/chosen from the columns upstream/);
    const rows = y.conditional?.rows ?? [];
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) expect(row.n).toBeGreaterThanOrEqual(minLeaf);
    const gen = await generateRows({ spec: fit.spec, rows: 2000, seed: 5 });
    const table = (t: { columns: string[]; data: readonly (readonly unknown[])[] }, name: string) => ({
      name,
      source: name,
      columns: t.columns,
      rowCount: 2000,
      data: t.data.map((c) => c.map((v) => (v === null ? null : String(v)))),
    });
    const report = await evaluate({
      real: table(train, 'train'),
      synthetic: table(gen, 'synthetic'),
      holdout: table(holdout, 'holdout'),
      bootstrapReps: 0,
      sections: {
        detection: false,
        mmd: false,
        utility: false,
        bias: false,
        knnCoverage: false,
        rules: false,
      },
    });
    const dcr = (report.summary as unknown as { dcr_share: number }).dcr_share;
    expect(dcr).toBeLessThanOrEqual(0.53);
  });
});

describe('order and constraints', () => {
  it('takes a category before a numeric column whenever both are ready, and stays topological', () => {
    // 0 numeric → 2 category; 1 category; 3 numeric ← 1
    const parents = [[], [], [0], [1]];
    const discrete = (v: number) => v === 1 || v === 2;
    const order = upstreamOrder(parents, discrete);
    expect(order).toEqual([1, 0, 2, 3]);
    for (const [v, ps] of parents.entries())
      for (const p of ps) expect(order.indexOf(p)).toBeLessThan(order.indexOf(v));
  });

  it('categoriesFirst refuses numeric → category edges unless knowledge requires them', () => {
    const names = ['n', 'c', 'm'];
    const k = { ...emptyKnowledge(), required: [['m', 'c']] as [string, string][] };
    const c = categoriesFirst(compileKnowledge(k, names), (v) => v === 1);
    expect(c.allowed(0, 1)).toBe(false);
    expect(c.allowed(2, 1)).toBe(true);
    expect(c.allowed(1, 0)).toBe(true);
    expect(c.allowed(0, 2)).toBe(true);
  });
});
