import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { conditionalResolver } from '../model/conditional-rows.js';
import { streamFor } from '../random/stream.js';
import { chiSquarePValue } from '../random/testing/goodness.js';
import { generateRows } from '../sample/index.js';
import { parseSpecText } from '../spec/index.js';
import type { ConditionalRow } from '../spec/schema.js';
import { MAX_LINE } from './emit.js';
import { fitTable } from './fit.js';
import { homogeneityTest, mergeStates } from './merge-states.js';

describe('mergeStates', () => {
  it('merges states with one law and keeps states with different laws apart', () => {
    // parent 0 has states 0..3; 0 and 1 share a law, 2 and 3 differ from it and from each other
    const groups = mergeStates(
      {
        codes: [[0], [1], [2], [3]],
        counts: [
          [300, 150, 50],
          [290, 160, 50],
          [100, 250, 150],
          [50, 100, 350],
        ],
      },
      0.001,
    );
    expect(groups.map((g) => g.members)).toEqual([[0, 1], [2], [3]]);
    expect(groups[0].sets).toEqual([[0, 1]]);
  });

  it('merges only states that differ in one parent, so every group is a product of state sets', () => {
    // (a, b): (0,0) (0,1) (1,0) (1,1) all alike; (1,2) alike too but (0,2) has no row
    const same = [100, 100];
    const groups = mergeStates(
      {
        codes: [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
          [1, 2],
        ],
        counts: [same, same, same, same, same],
      },
      0.001,
    );
    const cells = (sets: number[][]) => sets[0].length * sets[1].length;
    for (const g of groups) expect(cells(g.sets)).toBe(g.members.length);
    expect(groups.reduce((s, g) => s + g.members.length, 0)).toBe(5);
    expect(groups.length).toBe(2); // {0,1}×{0,1} and (1,2): the union would claim (0,2)
  });

  it('alpha 0 merges nothing; the test says identical counts share a law', () => {
    expect(
      mergeStates(
        {
          codes: [[0], [1]],
          counts: [
            [5, 5],
            [5, 5],
          ],
        },
        0,
      ),
    ).toHaveLength(2);
    expect(homogeneityTest([50, 50], [50, 50]).p).toBeCloseTo(1, 6);
    expect(homogeneityTest([90, 10], [10, 90]).p).toBeLessThan(1e-12);
  });
});

/** a, b uniform (4 × 3 states); y's law depends on (a, b) only through the group of the state. */
const LAWS = {
  shared: [0.6, 0.3, 0.1], // every b under a1 and a2
  a3: [0.2, 0.5, 0.3], // a3 with b1 or b2
  a3b3: [0.45, 0.1, 0.45],
  a4: [0.1, 0.2, 0.7],
};
const Y = ['y1', 'y2', 'y3'];
function lawOf(a: string, b: string): number[] {
  if (a === 'a1' || a === 'a2') return LAWS.shared;
  if (a === 'a3') return b === 'b3' ? LAWS.a3b3 : LAWS.a3;
  return LAWS.a4;
}
function fixture(n: number, seed: number): RawColumns {
  const s = streamFor(seed, 'merge-fixture');
  const cols: string[][] = [[], [], []];
  for (let i = 0; i < n; i++) {
    const a = `a${1 + Math.floor(s.nextFloat() * 4)}`;
    const b = `b${1 + Math.floor(s.nextFloat() * 3)}`;
    const law = lawOf(a, b);
    let u = s.nextFloat();
    let k = 0;
    while (k < 2 && u >= law[k]) u -= law[k++];
    cols[0].push(a);
    cols[1].push(b);
    cols[2].push(Y[k]);
  }
  return { name: 'merge', columns: ['a', 'b', 'y'], data: cols, rowCount: n };
}

describe('a fitted categorical table with parent states merged (issue 13.10)', () => {
  const data = fixture(24_000, 4);
  const knowledge = {
    required: [['a', 'y'] as [string, string], ['b', 'y'] as [string, string]],
    forbidden: [],
    tiers: [['a', 'b'], ['y']],
    roots: [],
  };
  // α = 0.001: at the default 0.05 one pair of the six alike a1/a2 states in twenty stays apart
  const r = fitTable(data, { seed: 1, knowledge, mergeAlpha: 0.001 });
  const table = r.spec.tables.merge.columns.y.conditional!;
  const resolve = conditionalResolver(table.rows);
  const order = (table.parents as { column: string }[]).map((p) => p.column);
  const rowOf = (a: string, b: string) => resolve(order[0] === 'a' ? [a, b] : [b, a]) as ConditionalRow;

  it('writes the states the data cannot tell apart as one row and keeps the others apart', () => {
    expect(order.sort()).toEqual(['a', 'b']);
    const shared = rowOf('a1', 'b1');
    for (const a of ['a1', 'a2']) for (const b of ['b1', 'b2', 'b3']) expect(rowOf(a, b)).toBe(shared);
    expect(shared.n).toBeGreaterThan(11_000);
    expect(rowOf('a3', 'b1')).toBe(rowOf('a3', 'b2'));
    expect(rowOf('a3', 'b3')).not.toBe(rowOf('a3', 'b1'));
    expect(rowOf('a4', 'b1')).not.toBe(rowOf('a3', 'b1'));
    expect(rowOf('a4', 'b1')).not.toBe(shared);
    expect(table.rows.length).toBeLessThanOrEqual(4);
    const off = fitTable(data, { seed: 1, knowledge, mergeAlpha: 0 });
    expect(off.spec.tables.merge.columns.y.conditional!.rows).toHaveLength(12);
    const byDefault = fitTable(data, { seed: 1, knowledge }).spec.tables.merge.columns.y.conditional!.rows;
    expect(byDefault.length).toBeLessThan(8);
  });

  it('writes a row per line with no line over 200 characters, no anchors, and the file reads back', () => {
    expect(r.yaml).toMatch(/^ +- \{when: \[.*\], values: \{.*\}, n: \d+\}$/m);
    for (const line of r.yaml.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_LINE);
    expect(r.yaml).not.toMatch(/(^|[\s[{,:])[&*][A-Za-z0-9_]+/m);
    const loaded = parseSpecText(r.yaml, 'model.yaml');
    expect(loaded.spec.tables.merge.columns.y.conditional!.rows).toEqual(table.rows);
  });

  it('generates every parent state from its true law (chi-square, α = 0.001), merged or not', async () => {
    const loaded = parseSpecText(r.yaml, 'model.yaml').spec;
    const gen = await generateRows({ spec: loaded, rows: 7200, seed: 9 });
    const col = (name: string) => gen.data[gen.columns.indexOf(name)] as unknown[];
    const [ga, gb, gy] = [col('a'), col('b'), col('y')];
    const counts = new Map<string, number[]>();
    for (let i = 0; i < gy.length; i++) {
      const key = `${ga[i]}|${gb[i]}`;
      const c = counts.get(key) ?? [0, 0, 0];
      c[Y.indexOf(String(gy[i]))]++;
      counts.set(key, c);
    }
    expect(counts.size).toBe(12);
    for (const [key, c] of counts) {
      const [a, b] = key.split('|');
      expect(chiSquarePValue(c, lawOf(a, b)), key).toBeGreaterThan(0.001);
    }
    // the states kept apart stay apart in the generated data
    expect(homogeneityTest(counts.get('a3|b1')!, counts.get('a4|b1')!).p).toBeLessThan(0.001);
    expect(homogeneityTest(counts.get('a3|b3')!, counts.get('a3|b1')!).p).toBeLessThan(0.001);
  });
});

describe('the column comment counts merged rows in words', () => {
  it('says "in 1 row" when every parent state shares one law', () => {
    // a1 and a2 draw y from the same law: their two states merge into one row.
    const full = fixture(6_000, 5);
    const keep = full.data[0].map((a, i) => (a === 'a1' || a === 'a2' ? i : -1)).filter((i) => i >= 0);
    const data: RawColumns = {
      name: 'merge',
      columns: ['a', 'y'],
      data: [keep.map((i) => full.data[0][i]), keep.map((i) => full.data[2][i])],
      rowCount: keep.length,
    };
    const knowledge = {
      required: [['a', 'y'] as [string, string]],
      forbidden: [],
      tiers: [['a'], ['y']],
      roots: [],
    };
    const r = fitTable(data, { seed: 1, knowledge, mergeAlpha: 0.001 });
    expect(r.yaml).toMatch(/2 parent states in 1 row \(states alike/);
  });
});
