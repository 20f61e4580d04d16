import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import type { Column } from '../spec/schema.js';
import { cellQuotas, compilePlan } from './plan.js';

const columns: Record<string, Column> = {
  a: { type: 'category', values: ['a1', 'a2', 'a3'] },
  b: { type: 'category', values: ['b1', 'b2', 'b3'] },
  c: { type: 'category', values: ['c1', 'c2', 'c3'] },
  d: { type: 'category', values: ['d1', 'd2', 'd3'] },
  e: { type: 'boolean', p: 0.5 },
  age: { type: 'integer', dist: { normal: { mean: 40, sd: 10 } } },
};
const columnIndex = new Map(Object.keys(columns).map((k, i) => [k, i] as [string, number]));
const opts = { table: 't', columnIndex };

describe('compilePlan', () => {
  it('builds the full product with forbidden cells removed and reported', () => {
    const p = compilePlan(
      { axes: ['a', 'e'], min_per_cell: 10, forbid: ["a == 'a1' and e == 'true'"] },
      columns,
      opts,
    );
    expect(p.cells).toHaveLength(5);
    expect(p.forbidden.map((f) => f.key)).toEqual(['a=a1|e=true']);
    expect(p.cells.every((c) => c.min === 10)).toBe(true);
  });

  it('pairwise plans cover every allowed pair of levels', () => {
    const forbid = ["a == 'a1' and b == 'b2'"];
    const p = compilePlan({ axes: ['a', 'b', 'c', 'd'], strategy: 'pairwise', forbid }, columns, opts);
    expect(p.cells.length).toBeLessThan(81);
    expect(p.cells.length).toBeGreaterThanOrEqual(9);
    const axes = ['a', 'b', 'c', 'd'];
    for (let i = 0; i < 4; i++) {
      for (let j = i + 1; j < 4; j++) {
        for (const x of columns[axes[i]].values as string[]) {
          for (const y of columns[axes[j]].values as string[]) {
            const banned = axes[i] === 'a' && axes[j] === 'b' && x === 'a1' && y === 'b2';
            const hit = p.cells.some((c) => c.labels[axes[i]] === x && c.labels[axes[j]] === y);
            expect(hit).toBe(!banned);
          }
        }
      }
    }
  });

  it('3-wise plans cover every triple', () => {
    const p = compilePlan({ axes: ['a', 'b', 'c', 'd'], strategy: '3-wise' }, columns, opts);
    const axes = ['a', 'b', 'c', 'd'];
    for (const [i, j, k] of [
      [0, 1, 2],
      [0, 1, 3],
      [0, 2, 3],
      [1, 2, 3],
    ]) {
      const seen = new Set(
        p.cells.map((c) => `${c.labels[axes[i]]}/${c.labels[axes[j]]}/${c.labels[axes[k]]}`),
      );
      expect(seen.size).toBe(27);
    }
  });

  it('reads levels from ternary expr axes and labels rows by bins', () => {
    const p = compilePlan(
      {
        axes: [
          { name: 'band', expr: "age < 25 ? 'young' : age < 65 ? 'adult' : 'senior'" },
          { name: 'decade', column: 'age', bins: [0, 30, 60, 200] },
        ],
      },
      columns,
      opts,
    );
    expect(p.axes[0].levels).toEqual(['young', 'adult', 'senior']);
    expect(p.axes[1].levels).toEqual(['[0,30)', '[30,60)', '[60,200)']);
    const row = [null, null, null, null, null, 70];
    expect(p.cellOf(row)?.key).toBe('band=senior|decade=[60,200)');
  });

  it('numeric axes without bins and unknown values are errors with a place', () => {
    expect(() => compilePlan({ axes: ['age'] }, columns, opts)).toThrow(/without a finite set of values/);
    try {
      compilePlan({ axes: [{ name: 'a', values: ['a9'] }] }, columns, opts);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StrataError);
      expect((e as StrataError).place.path).toContain('coverage');
      expect((e as StrataError).message).toContain('a9');
    }
  });

  it('quotas: per-cell overrides, target model and floor(p)', () => {
    const plan = { axes: ['e'], min_per_cell: 10, cells: [{ when: { e: 'true' }, min: 50 }] };
    const p = compilePlan(plan, columns, opts);
    expect(p.cells.map((c) => c.min)).toEqual([50, 10]);
    expect(cellQuotas(p, 1000, [0.5, 0.5])).toEqual([50, 10]);
    const m = compilePlan({ ...plan, target: 'model' }, columns, opts);
    expect(cellQuotas(m, 1000, [0.3, 0.7])).toEqual([300, 700]);
    const f = compilePlan({ ...plan, target: 'floor(0.02)' }, columns, opts);
    expect(cellQuotas(f, 1000, [0.3, 0.7])).toEqual([50, 20]);
    expect(() => compilePlan({ ...plan, target: 'most' }, columns, opts)).toThrow(/target/);
  });
});
