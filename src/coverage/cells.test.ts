import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { type CellQuota, HARD_MAX_CELLS } from '../spec/plan-vocabulary.js';
import type { Column } from '../spec/schema.js';
import {
  buildCellSet,
  type CompiledConstraint,
  cellQuota,
  compileConstraints,
  type PlanErrors,
  removedBy,
} from './cells.js';
import { compilePlan } from './plan.js';

const CODES = {
  constraint: 'coverage.bad_forbid',
  unknown_axis: 'coverage.unknown_axis',
  too_many_cells: 'coverage.too_many_cells',
} as const;
const fail: PlanErrors = (kind, path, message, hint) =>
  new StrataError(CODES[kind], message, { path: path.join('.') }, hint);

const LEVELS = [
  ['a1', 'a2', 'a3'],
  ['b1', 'b2'],
  ['c1', 'c2'],
];
const NAMES = ['a', 'b', 'c'];
const labelsOf = (level: ArrayLike<number>) =>
  NAMES.map((_, k) => (level[k] >= 0 ? LEVELS[k][level[k]] : null));

/** The removal verdict of a constraint list over the test axes. */
const by = (cs: readonly CompiledConstraint[]) => (level: ArrayLike<number>) =>
  removedBy(cs, labelsOf(level));
const none = () => undefined;

describe('constraints', () => {
  it('a map forbid removes exactly the cells its expression twin removes', () => {
    const asMap = compileConstraints([{ a: 'a2', b: 'b1' }], undefined, NAMES, fail);
    const asExpr = compileConstraints(["a == 'a2' and b == 'b1'"], undefined, NAMES, fail);
    const m = buildCellSet([3, 2, 2], { maxCells: 100, removedBy: by(asMap), fail });
    const e = buildCellSet([3, 2, 2], { maxCells: 100, removedBy: by(asExpr), fail });
    expect(m.rows).toEqual(e.rows);
    expect(m.removed.map((r) => [...r.level])).toEqual([
      [1, 0, 0],
      [1, 0, 1],
    ]);
    expect(m.removed[0].by).toBe("a == 'a2' and b == 'b1'");
  });

  it('require keeps only the cells for which it holds, and says so', () => {
    const req = compileConstraints(undefined, ["c == 'c1' or a == 'a3'"], NAMES, fail);
    const s = buildCellSet([3, 2, 2], { maxCells: 100, removedBy: by(req), fail });
    for (const r of s.rows) expect(r[2] === 0 || r[0] === 2).toBe(true);
    expect(s.rows).toHaveLength(8); // 6 with c1, plus a3 × b × c2
    expect(s.removed[0].by).toBe("require: c == 'c1' or a == 'a3'");
  });

  it('a partial cell is never removed by a constraint on an unassigned axis (covering arrays rely on it)', () => {
    const [f] = compileConstraints([{ a: 'a1', c: 'c1' }], undefined, NAMES, fail);
    expect(f.removes(['a1', null, null])).toBe(false);
    expect(f.removes(['a1', 'b2', 'c1'])).toBe(true);
    const [r] = compileConstraints(undefined, ["c == 'c2'"], NAMES, fail);
    expect(r.removes(['a1', null, null])).toBe(false);
  });

  it('an unknown axis is an error at the entry, listing the axes', () => {
    for (const entry of ["a == 'a1' and intnet == 'x'", { intnet: 'x' }]) {
      try {
        compileConstraints([entry], undefined, NAMES, fail);
        expect.unreachable();
      } catch (e) {
        expect((e as StrataError).code).toBe('coverage.bad_forbid');
        expect((e as StrataError).format()).toMatch(/forbid\.0.*"intnet".*axes are: a, b, c/);
      }
    }
  });
});

describe('the cell set', () => {
  it('without a strategy, a product above max_cells becomes a pairwise cover', () => {
    const s = buildCellSet([3, 2, 2], { maxCells: 5, removedBy: none, fail });
    expect(s.strategy).toBe('pairwise');
    expect(s.autoCover).toBe(true);
    expect(s.product).toBe(12);
    expect(s.rows.length).toBeGreaterThanOrEqual(6);
    expect(s.rows.length).toBeLessThan(12);
  });

  it('an explicit product above max_cells is refused with its count, before listing any cell', () => {
    const sizes = [1000, 1000, 1000, 1000];
    const t0 = performance.now();
    expect(() => buildCellSet(sizes, { strategy: 'product', maxCells: 100, removedBy: none, fail })).toThrow(
      /1000000000000 cells \(1000 × 1000 × 1000 × 1000\), more than max_cells = 100/,
    );
    expect(() => buildCellSet(sizes, { strategy: '3-wise', maxCells: 100, removedBy: none, fail })).toThrow(
      new RegExp(`needs at least 1000000000 cells, more than ${HARD_MAX_CELLS}`),
    );
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('cell quotas: min_per_cell, then the last matching override', () => {
    const overrides: CellQuota[] = [
      { when: { a: 'a1' }, min: 7 },
      { when: { a: 'a1', b: 'b2' }, min: 9 },
      { when: { b: true }, min: 1 },
    ];
    expect(cellQuota({ a: 'a1', b: 'b1' }, 3, overrides)).toBe(7);
    expect(cellQuota({ a: 'a1', b: 'b2' }, 3, overrides)).toBe(9);
    expect(cellQuota({ a: 'a2', b: 'true' }, 3, overrides)).toBe(1);
    expect(cellQuota({ a: 'a2', b: 'b1' }, 3, overrides)).toBe(3);
  });
});

describe('tabular plans speak the shared vocabulary', () => {
  const columns: Record<string, Column> = {
    a: { type: 'category', values: ['a1', 'a2', 'a3'] },
    b: { type: 'category', values: ['b1', 'b2'] },
  };
  const opts = { table: 't', columnIndex: new Map([['a', 0] as [string, number], ['b', 1]]) };

  it('the map form of axes is the list form with values', () => {
    const map = compilePlan({ axes: { a: ['a1', 'a3'], b: ['b1', 'b2'] }, min_per_cell: 2 }, columns, opts);
    const list = compilePlan(
      {
        axes: [
          { name: 'a', values: ['a1', 'a3'] },
          { name: 'b', values: ['b1', 'b2'] },
        ],
        min_per_cell: 2,
      },
      columns,
      opts,
    );
    expect(map.cells).toEqual(list.cells);
    expect(map.cells.map((c) => c.key)).toEqual(['a=a1|b=b1', 'a=a1|b=b2', 'a=a3|b=b1', 'a=a3|b=b2']);
  });

  it('forbid maps, require and max_cells work as in text plans', () => {
    const p = compilePlan(
      { axes: ['a', 'b'], forbid: [{ a: 'a2', b: 'b2' }], require: ["a != 'a3'"] },
      columns,
      opts,
    );
    expect(p.cells.map((c) => c.key)).toEqual(['a=a1|b=b1', 'a=a1|b=b2', 'a=a2|b=b1']);
    expect(p.forbidden.map((c) => c.by)).toEqual([
      "a == 'a2' and b == 'b2'",
      "require: a != 'a3'",
      "require: a != 'a3'",
    ]);
    expect(compilePlan({ axes: ['a', 'b'], max_cells: 4 }, columns, opts).strategy).toBe('pairwise');
    expect(() => compilePlan({ axes: ['a', 'b'], strategy: 'product', max_cells: 4 }, columns, opts)).toThrow(
      expect.objectContaining({ code: 'coverage.too_many_cells' }),
    );
  });
});
