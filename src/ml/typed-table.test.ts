import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { concatRows, takeRows, toFeatures } from './features.js';
import { alignTables, inferKinds, type RawLike } from './typed-table.js';

function raw(cols: Record<string, (string | null)[]>): RawLike {
  const columns = Object.keys(cols);
  return { columns, rowCount: cols[columns[0]].length, data: columns.map((c) => cols[c]) };
}

const range = (n: number, f: (i: number) => string | null) => Array.from({ length: n }, (_, i) => f(i));

describe('inferKinds', () => {
  it('tells numeric from categorical', () => {
    const t = raw({
      many_ints: range(40, (i) => String(i)),
      few_ints: range(40, (i) => String(i % 5)),
      decimals: range(40, (i) => (i % 2 ? '1.5' : '2')),
      words: range(40, (i) => ['a', 'b'][i % 2]),
      mostly_numbers: range(40, (i) => (i === 0 ? 'n/a' : String(i * 1.1))),
      half_numbers: range(40, (i) => (i % 2 ? 'x' : String(i))),
      dates: range(40, (i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')}`),
      datetimes: range(40, (i) => `2024-03-01T10:${String(i).padStart(2, '0')}:00Z`),
      with_missing: range(40, (i) => (i % 3 === 0 ? null : String(i + 0.25))),
      empty: range(40, () => null),
      hex: range(40, (i) => `0x${i}`),
    });
    expect(inferKinds(t)).toEqual({
      many_ints: 'numeric',
      few_ints: 'categorical',
      decimals: 'numeric',
      words: 'categorical',
      mostly_numbers: 'numeric',
      half_numbers: 'categorical',
      dates: 'numeric',
      datetimes: 'numeric',
      with_missing: 'numeric',
      empty: 'categorical',
      hex: 'categorical',
    });
  });
});

describe('alignTables', () => {
  it('types columns consistently with reference levels first', () => {
    const ref = raw({ n: ['1.5', '2.5', null, 'oops'], c: ['b', 'a', 'b', null] });
    const syn = raw({ c: ['c', 'a', '', 'b'], n: ['3.5', '1', '2', '4'], extra: ['x', 'y', 'z', 'w'] });
    const { reference, others, kinds } = alignTables(ref, [syn], { n: 'numeric' });
    expect(kinds).toEqual({ n: 'numeric', c: 'categorical' });
    const [rn, rc] = reference.columns;
    const [sn, sc] = others[0].columns;
    expect(rn.kind === 'numeric' && Array.from(rn.values)).toEqual([1.5, 2.5, Number.NaN, Number.NaN]);
    expect(sn.kind === 'numeric' && Array.from(sn.values)).toEqual([3.5, 1, 2, 4]);
    expect(sn.kind === 'numeric' && sn.integer).toBe(false);
    if (rc.kind !== 'categorical' || sc.kind !== 'categorical') throw new Error('expected categorical');
    expect(rc.levels).toEqual(['a', 'b', 'c']);
    expect(sc.levels).toBe(rc.levels);
    expect(Array.from(rc.codes)).toEqual([1, 0, 1, -1]);
    expect(Array.from(sc.codes)).toEqual([2, 0, -1, 1]);
    expect(others[0].columns.map((c) => c.name)).toEqual(['n', 'c']);
  });

  it('whole numbers written with zero decimals are the same category as without ("1.0" = "1")', () => {
    const ref = raw({ sex: ['1.0', '0.0', '1.0'] });
    const syn = raw({ sex: ['1', '0', '0'] });
    const { reference, others } = alignTables(ref, [syn]);
    const [rc] = reference.columns;
    const [sc] = others[0].columns;
    if (rc.kind !== 'categorical' || sc.kind !== 'categorical') throw new Error('expected categorical');
    expect(rc.levels).toEqual(['0', '1']);
    expect(Array.from(sc.codes)).toEqual([1, 0, 0]);
    // Other strings keep their text: "1.5" and "01" are not rewritten.
    const other = alignTables(raw({ c: ['01', '1.5', '1'] }), [], { c: 'categorical' });
    const [oc] = other.reference.columns;
    expect(oc.kind === 'categorical' && oc.levels).toEqual(['01', '1', '1.5']);
  });

  it('reads ISO dates as epoch milliseconds (UTC)', () => {
    const dates = range(20, (i) => `2020-01-${String(i + 1).padStart(2, '0')}`);
    const { reference } = alignTables(raw({ d: dates }), []);
    const d = reference.columns[0];
    expect(d.kind).toBe('numeric');
    if (d.kind === 'numeric') expect(d.values[0]).toBe(Date.UTC(2020, 0, 1));
  });

  it('names the columns a table lacks, and unknown kinds', () => {
    const ref = raw({ a: ['1'], b: ['x'], c: ['y'] });
    try {
      alignTables(ref, [raw({ a: ['2'] })]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StrataError);
      expect((e as StrataError).format()).toMatch(/others\[0\].*lacks column\(s\) b, c/);
    }
    expect(() => alignTables(ref, [], { zz: 'numeric' })).toThrow(/zz/);
  });
});

describe('features', () => {
  const { reference } = alignTables(
    raw({ x: range(12, (i) => String(i + 0.5)), c: range(12, (i) => (i === 3 ? null : ['u', 'v'][i % 2])) }),
    [],
  );
  it('toFeatures lays out row-major with codes and NaN for missing', () => {
    const m = toFeatures(reference);
    expect(m.names).toEqual(['x', 'c']);
    expect(m.categorical).toEqual([false, true]);
    expect(Array.from(m.data.subarray(0, 8))).toEqual([0.5, 0, 1.5, 1, 2.5, 0, 3.5, Number.NaN]);
    expect(toFeatures(reference, ['x']).names).toEqual(['c']);
    expect(() => toFeatures(reference, ['nope'])).toThrow(/no such column/);
  });
  it('takeRows and concatRows keep rows intact', () => {
    const m = toFeatures(reference);
    const t = takeRows(m, [2, 0]);
    expect(Array.from(t.data)).toEqual([2.5, 0, 0.5, 0]);
    const c = concatRows(t, takeRows(m, [1]));
    expect(c.rows).toBe(3);
    expect(Array.from(c.data)).toEqual([2.5, 0, 0.5, 0, 1.5, 1]);
    expect(() => concatRows(m, toFeatures(reference, ['c']))).toThrow(/different columns/);
  });
});

describe('inferKinds with stored types (Parquet)', () => {
  it('a string column of many digit codes is categorical; a stored number is numeric', () => {
    const codes = Array.from({ length: 50 }, (_, i) => String(i));
    const t = { columns: ['code', 'x'], rowCount: 50, data: [codes, codes.map((c) => `${c}`)] };
    expect(inferKinds(t)).toEqual({ code: 'numeric', x: 'numeric' });
    expect(inferKinds({ ...t, types: ['string', 'number'] })).toEqual({ code: 'categorical', x: 'numeric' });
  });
});
