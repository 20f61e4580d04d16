import { describe, expect, it } from 'vitest';
import {
  feasibleBounds,
  mineOrderInvariants,
  type OrderVector,
  quoteName,
  ruleName,
  ruleText,
} from './invariants.js';

const N = Number.NaN;
const v = (name: string, xs: number[], scope: 'own' | 'context' = 'own'): OrderVector => ({
  name,
  values: Float64Array.from(xs),
  unit: 'time',
  scope,
});

describe('mineOrderInvariants', () => {
  it('keeps a relation that holds on every row where both are present, strict or not', () => {
    const r = mineOrderInvariants([v('a', [1, 2, 3, 4, 5, 6]), v('b', [2, 2, 5, 9, N, 7])]);
    expect(r.invariants).toEqual([{ left: 'a', op: '<=', right: 'b', rows: 5 }]);
    const s = mineOrderInvariants([v('a', [1, 2, 3, 4, 5, 6]), v('b', [2, 3, 5, 9, N, 7])]);
    expect(s.invariants[0].op).toBe('<');
  });

  it('drops a relation broken on one row, and one checked on too few rows', () => {
    expect(mineOrderInvariants([v('a', [1, 2, 3, 4, 5, 6]), v('b', [2, 3, 5, 9, 4, 7])]).invariants).toEqual(
      [],
    );
    expect(mineOrderInvariants([v('a', [1, 2, N, N, N, N]), v('b', [2, 3, 5, 9, 4, 7])]).invariants).toEqual(
      [],
    );
  });

  it('skips relations the ranges already imply, and pairs of two context vectors', () => {
    const apart = mineOrderInvariants([v('a', [1, 2, 3, 4, 5]), v('b', [10, 11, 12, 13, 14])]);
    expect(apart.invariants).toEqual([]);
    const ctx = mineOrderInvariants([
      v('prev.a', [1, 2, 3, 4, 5], 'context'),
      v('parent.b', [2, 3, 4, 5, 6], 'context'),
    ]);
    expect(ctx.invariants).toEqual([]);
  });

  it('drops a relation implied by two kept ones through a column present wherever they are', () => {
    const a = v('a', [1, 5, 2, 8, 3, 6]);
    const b = v('b', [2, 6, 4, 9, 4, 7]);
    const c = v('c', [3, 7, 5, 10, 9, 8]);
    const r = mineOrderInvariants([a, b, c]);
    expect(r.invariants.map((i) => `${i.left}${i.op}${i.right}`).sort()).toEqual(['a<b', 'b<c']);
    // b missing on a row where a and c are: a < c is checked by no chain there, so it stays.
    const b2 = v('b', [2, 6, 4, 9, N, 7]);
    const r2 = mineOrderInvariants([a, b2, c]);
    expect(r2.invariants.map((i) => `${i.left}${i.op}${i.right}`).sort()).toEqual(['a<b', 'a<c', 'b<c']);
  });

  it('keeps a relation broken on at most maxBreakShare of its rows, in whole rows, with its breaks', () => {
    const pair = (n: number, broken: number) => {
      const a = Array.from({ length: n }, (_, i) => i);
      const b = a.map((x, i) => (i < broken ? x - 1 : x + 1));
      return [v('a', a), v('b', b)];
    };
    // 2 of 2,000 rows: floor(0.001 × 2000) = 2 allowed.
    expect(mineOrderInvariants(pair(2000, 2), { maxBreakShare: 0.001 }).invariants).toEqual([
      { left: 'a', op: '<', right: 'b', rows: 2000, breaks: 2 },
    ]);
    // 2 of 1,999: only 1 allowed; and none by default.
    expect(mineOrderInvariants(pair(1999, 2), { maxBreakShare: 0.001 }).invariants).toEqual([]);
    expect(mineOrderInvariants(pair(2000, 2)).invariants).toEqual([]);
    // Below 1,000 rows a relation must hold on every one, whatever the share.
    expect(mineOrderInvariants(pair(999, 1), { maxBreakShare: 0.001 }).invariants).toEqual([]);
    // An exact relation keeps its old shape (no `breaks`).
    expect(mineOrderInvariants(pair(2000, 0), { maxBreakShare: 0.001 }).invariants).toEqual([
      { left: 'a', op: '<', right: 'b', rows: 2000 },
    ]);
  });

  it('does not drop an exact relation as implied through one that has breaks', () => {
    const n = 2000;
    const a = v(
      'a',
      Array.from({ length: n }, (_, i) => i),
    );
    const b = v(
      'b',
      Array.from({ length: n }, (_, i) => (i === 0 ? -5 : i + 1)),
    );
    const c = v(
      'c',
      Array.from({ length: n }, (_, i) => i + 2),
    );
    const r = mineOrderInvariants([a, b, c], { maxBreakShare: 0.001 });
    expect(r.invariants.map((i) => `${i.left}${i.op}${i.right}`).sort()).toEqual(['a<b', 'a<c', 'b<c']);
  });

  it('reports equal pairs as equalities, not rules', () => {
    const r = mineOrderInvariants([v('a', [1, 2, 3, 4, 5]), v('b', [1, 2, 3, 4, 5])]);
    expect(r.invariants).toEqual([]);
    expect(r.equalities).toEqual([{ left: 'a', right: 'b', rows: 5 }]);
  });
});

describe('rule text and names', () => {
  const own = (x: string) => !x.includes('.');
  it('reads as "after" with the later column first, own column first against a later context', () => {
    expect(ruleText({ left: 'admittime', op: '<', right: 'dischtime', rows: 3 }, own)).toBe(
      'dischtime > admittime',
    );
    expect(ruleText({ left: 'prev.dischtime', op: '<=', right: 'admittime', rows: 3 }, own)).toBe(
      'admittime >= prev.dischtime',
    );
    expect(ruleText({ left: 'admittime', op: '<=', right: 'parent.dod', rows: 3 }, own)).toBe(
      'admittime <= parent.dod',
    );
    expect(ruleName({ left: 'prev.dischtime', op: '<=', right: 'admittime', rows: 3 }, 'time', own)).toBe(
      'admittime_not_before_prev_dischtime',
    );
  });
  it('quotes names an expression cannot read plainly', () => {
    expect(quoteName('admit time')).toBe('`admit time`');
    expect(quoteName('parent.admit time')).toBe('parent.`admit time`');
    expect(quoteName('PATIENTS.dob')).toBe('PATIENTS.dob');
  });
});

describe('feasibleBounds', () => {
  const own = (x: string) => !x.includes('.');
  const rel = (left: string, right: string, rows: number) => ({ left, op: '<' as const, right, rows });
  it('drops the less-checked of two context bounds nothing orders (MIMIC: prev.outtime < intime < parent.dischtime)', () => {
    const rules = [
      rel('prev.outtime', 'intime', 7),
      rel('intime', 'parent.dischtime', 136),
      rel('intime', 'outtime', 136),
    ];
    const r = feasibleBounds(rules, own, () => false);
    expect(r.kept).toEqual([rules[1], rules[2]]);
    expect(r.dropped).toEqual([{ rel: rules[0], lower: 'prev.outtime', upper: 'parent.dischtime' }]);
  });
  it('keeps both when the pair is ordered by construction, also through a chain of own columns', () => {
    const rules = [
      rel('parent.admittime', 'intime', 136),
      rel('intime', 'outtime', 136),
      rel('outtime', 'parent.dischtime', 100),
    ];
    const ordered = (lo: string, hi: string) => lo === 'parent.admittime' && hi === 'parent.dischtime';
    expect(feasibleBounds(rules, own, ordered).dropped).toEqual([]);
    expect(feasibleBounds(rules, own, () => false).dropped.map((d) => d.rel)).toEqual([rules[2]]);
  });
});
