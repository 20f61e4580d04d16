import { describe, expect, it } from 'vitest';
import { inferTable } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { generateRows } from '../sample/index.js';
import { parseSpecText } from '../spec/index.js';
import { encodeColumn } from './encode.js';
import { ancestorsOf, familySummary } from './family.js';
import { fitTable } from './fit.js';
import { rankCorrelation } from './refine.js';

/**
 * A panel written as columns: each entity has a level L (log-normal), and its six monthly amounts
 * follow last month's half-way and its level the other half, so a month is tied to the one
 * before it and months far apart stay correlated through the level (as Taiwan's payments).
 * Column names say nothing of the family; `scale` is a column on another scale (×1000) that moves
 * with the level, and `noise` one on the members' scale that does not.
 */
function panel(n: number, seed: number) {
  const s = streamFor(seed, 'panel');
  const g = () => Math.sqrt(-2 * Math.log(s.nextOpen())) * Math.cos(2 * Math.PI * s.nextFloat());
  const names = ['q', 'w', 'e', 'r', 't', 'y'];
  const cols: string[][] = [...names, 'scale', 'noise'].map(() => []);
  for (let i = 0; i < n; i++) {
    const level = Math.exp(8 + g());
    let x = level * Math.exp(0.4 * g());
    for (let j = 0; j < 6; j++) {
      if (j > 0) x = 0.5 * x + 0.5 * level * Math.exp(0.4 * g());
      cols[j].push(x.toFixed(0));
    }
    cols[6].push((1000 * level * Math.exp(0.3 * g())).toFixed(0));
    cols[7].push(Math.exp(8 + g()).toFixed(0));
  }
  return { name: 'panel', columns: [...names, 'scale', 'noise'], rowCount: n, data: cols };
}

/** The members' chain, as a month-to-month structure search would find it. */
const chainKnowledge = {
  required: [
    ['q', 'w'],
    ['w', 'e'],
    ['e', 'r'],
    ['r', 't'],
    ['t', 'y'],
  ] as [string, string][],
  forbidden: [],
  tiers: [['q', 'scale', 'noise'], ['w'], ['e'], ['r'], ['t'], ['y']],
  roots: [],
};
/** Each month reads one parent: the chain. */
const chainOptions = { seed: 1, knowledge: chainKnowledge, maxParents: 1 };

const column = (t: { columns: string[]; data: unknown[][] }, name: string) =>
  Float64Array.from(t.data[t.columns.indexOf(name)], (v) => Number(v));

describe('family summaries (a level that persists across columns on one scale)', () => {
  it('finds the family from the data: same scale, moving together; not the ×1000 column nor the unrelated one', () => {
    const raw = panel(3000, 1);
    const nodes = inferTable(raw).columns.map((c, i) => encodeColumn(c, raw.data[i], { minCount: 5 }));
    const idx = (name: string) => nodes.findIndex((x) => x.name === name);
    const before = ['q', 'w', 'e', 'r', 't', 'scale', 'noise'].map(idx);
    const fam = familySummary(nodes, idx('y'), before, (c) => c.name);
    expect(fam?.members.map((m) => nodes[m].name)).toEqual(['q', 'w', 'e', 'r', 't']);
    expect(fam?.expr).toBe('(q + w + e + r + t) / 5');
    // One member is a parent, not a family.
    expect(familySummary(nodes, idx('e'), [idx('q')], (c) => c.name)).toBeUndefined();
  });

  it('ancestors are every column upstream through parent lists', () => {
    expect(ancestorsOf([[], [0], [1], [0, 2], []], 3)).toEqual([0, 1, 2]);
    expect(ancestorsOf([[], [0], [1], [0, 2], []], 4)).toEqual([]);
  });

  const raw = panel(5000, 2);
  const realRho = rankCorrelation(column(raw, 'q'), column(raw, 'y'));

  async function farPair(families: boolean) {
    const fit = fitTable(raw, { ...chainOptions, families });
    const loaded = parseSpecText(fit.yaml, 'panel.yaml');
    const g = await generateRows({ spec: loaded.spec, rows: 5000, seed: 3 });
    const gen = { columns: g.columns, data: g.data };
    return { fit, rho: rankCorrelation(column(gen, 'q'), column(gen, 'y')) };
  }

  it('keeps the correlation of the first and the last month within 0.05 of real', async () => {
    const { fit, rho } = await farPair(true);
    // The last month is tied to the mean of the months before it, written in the model file.
    const y = fit.columns.find((c) => c.name === 'y');
    expect(y?.summary).toMatch(/level of \d columns on its scale as a parent/);
    expect(fit.yaml).toMatch(/\(q \+ w \+ e \+ r \+ t\) \/ 5/);

    expect(Math.abs(rho - realRho)).toBeLessThan(0.05);
  });

  it('a month-to-month chain alone loses it (families off, the default)', async () => {
    const { rho } = await farPair(false);
    expect(realRho - rho).toBeGreaterThan(0.05);
  });
});
