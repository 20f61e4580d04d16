import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { generateRows } from '../sample/index.js';
import { fitTable } from './fit.js';

/** Label = logistic of six independent features (three numeric, three categorical). */
function additive(n: number, seed: number): RawColumns {
  const s = streamFor(seed, 'additive');
  const names = ['x1', 'x2', 'x3', 'c1', 'c2', 'c3', 'y'];
  const data: string[][] = names.map(() => []);
  const levels = ['a', 'b', 'c'];
  for (let i = 0; i < n; i++) {
    const x = [0, 1, 2].map(
      () =>
        Math.round(100 * Math.sqrt(-2 * Math.log(s.nextOpen())) * Math.cos(2 * Math.PI * s.nextFloat())) /
        100,
    );
    const c = [0, 1, 2].map(() => s.nextInt(3));
    const z =
      0.9 * x[0] - 0.8 * x[1] + 0.7 * x[2] + 0.8 * c[0] - 0.7 * c[1] + 0.6 * (c[2] === 2 ? 1 : 0) - 0.5;
    const y = s.nextFloat() < 1 / (1 + Math.exp(-z)) ? 'yes' : 'no';
    x.forEach((v, j) => {
      data[j].push(String(v));
    });
    c.forEach((v, j) => {
      data[3 + j].push(levels[v]);
    });
    data[6].push(y);
  }
  return { name: 'additive', columns: names, rowCount: n, data };
}

/** Mean of the label (yes = 1) among rows where pred holds. */
function rate(cols: string[], data: unknown[][], pred: (row: (i: number) => unknown) => boolean): number {
  const y = data[cols.indexOf('y')];
  let k = 0;
  let m = 0;
  for (let i = 0; i < y.length; i++) {
    if (!pred((j) => data[j][i])) continue;
    m++;
    if (y[i] === 'yes') k++;
  }
  return k / m;
}

describe('--target-model auto: logistic target when it wins by cross-validation', () => {
  const raw = additive(1500, 1);

  it('writes the target as exp(score) weights over every other column and keeps each effect', async () => {
    const fit = fitTable(raw, { target: 'y', targetModel: 'auto', seed: 1 });
    const y = fit.spec.tables.additive.columns.y;
    expect(y.given?.sort()).toEqual(['c1', 'c2', 'c3', 'x1', 'x2', 'x3']);
    expect(JSON.stringify(y.values)).toMatch(/exp\(/);
    expect(fit.yaml).toMatch(/logistic regression on 6 columns .*cross-validated log-loss/);
    // No column is drawn given the target (it is a sink).
    for (const [name, col] of Object.entries(fit.spec.tables.additive.columns))
      if (name !== 'y') expect(col.given ?? []).not.toContain('y');
    const gen = await generateRows({ spec: fit.spec, rows: 20_000, seed: 3 });
    const cols = gen.columns;
    const data = gen.data as unknown[][];
    // A yes/no label keeps its own labels (it is inferred boolean, written as a category).
    expect(new Set(data[cols.indexOf('y')])).toEqual(new Set(['yes', 'no']));
    const realCols = raw.columns;
    const realData = raw.data.map((c, j) => (j < 3 ? c.map(Number) : c));
    for (const [j, sign] of [
      [0, 1],
      [1, -1],
      [2, 1],
    ] as const) {
      const hi = (d: unknown[][], cs: string[]) => rate(cs, d, (r) => Number(r(j)) > 0.5);
      const lo = (d: unknown[][], cs: string[]) => rate(cs, d, (r) => Number(r(j)) < -0.5);
      expect(sign * (hi(data, cols) - lo(data, cols))).toBeGreaterThan(0.15);
      expect(
        Math.abs(hi(data, cols) - lo(data, cols) - (hi(realData, realCols) - lo(realData, realCols))),
      ).toBeLessThan(0.12);
    }
    const byLevel = (d: unknown[][], cs: string[], j: number, l: string) => rate(cs, d, (r) => r(j) === l);
    expect(byLevel(data, cols, 3, 'c') - byLevel(data, cols, 3, 'a')).toBeGreaterThan(0.2);
    expect(byLevel(data, cols, 4, 'c') - byLevel(data, cols, 4, 'a')).toBeLessThan(-0.2);
  });

  it('keeps the table when one categorical parent decides the label', () => {
    const s = streamFor(2, 'table-wins');
    const n = 2000;
    const g = Array.from({ length: n }, () => ['a', 'b', 'c', 'd'][s.nextInt(4)]);
    const noise = Array.from({ length: n }, () => String(Math.round(1000 * s.nextOpen())));
    const y = g.map((v) =>
      s.nextFloat() < ({ a: 0.05, b: 0.9, c: 0.1, d: 0.85 } as Record<string, number>)[v] ? 'yes' : 'no',
    );
    const fit = fitTable(
      { name: 't', columns: ['g', 'noise', 'y'], rowCount: n, data: [g, noise, y] },
      { target: 'y', targetModel: 'auto' },
    );
    const col = fit.spec.tables.t.columns.y;
    expect(col.conditional).toBeDefined();
    expect(fit.yaml).toMatch(/table kept: logistic regression/);
  });

  it('rejects an unknown target model and a target model without a target', () => {
    expect(() => fitTable(raw, { target: 'y', targetModel: 'forest' as 'auto' })).toThrow(
      /--target-model must be/,
    );
    expect(() => fitTable(raw, { targetModel: 'auto' })).toThrow(/needs --target/);
  });
});
