import { describe, expect, it } from 'vitest';
import { inferColumn, inferTable, numericValues, parseDatetime, parseNumber } from './infer.js';

const rep = (vals: (string | null)[], times: number): (string | null)[] => {
  const out: (string | null)[] = [];
  for (let i = 0; i < times; i++) out.push(...vals);
  return out;
};
const seq = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

describe('inferColumn: nasty edge cases', () => {
  const cases: { name: string; values: (string | null)[]; kind: string; extra?: Record<string, unknown> }[] =
    [
      {
        name: 'age',
        values: ['39', '50', '38', '53', null, '28'],
        kind: 'integer',
        extra: { min: 28, max: 53, missing: 1 },
      },
      {
        name: 'price',
        values: ['1.50', '2.25', '10', '0.125'],
        kind: 'number',
        extra: { decimals: 3, min: 0.125 },
      },
      { name: 'mixed', values: ['1', '2', 'three', '4'], kind: 'category' },
      { name: 'zip', values: ['02134', '10001', '94105', '02134'], kind: 'category' },
      {
        name: 'amount',
        values: ['1,234', '12,345,678', '999', '2,000'],
        kind: 'integer',
        extra: { max: 12345678 },
      },
      { name: 'sci', values: ['1e5', '2.5e3', '7'], kind: 'integer', extra: { max: 100000 } },
      { name: 'tiny', values: ['1.5e-3', '0.25'], kind: 'number', extra: { decimals: 4 } },
      { name: 'z', values: ['-0', '0', '3', '-2'], kind: 'integer', extra: { min: -2 } },
      {
        name: 'floatints',
        values: ['63.0', '67.0', '41.00', null],
        kind: 'integer',
        extra: { min: 41, max: 67 },
      },
      { name: 'big', values: ['9007199254740993', '12345678901234567890', '5'], kind: 'category' },
      { name: 'padded', values: ['  7 ', '8', ' 9', '   '], kind: 'integer', extra: { missing: 1, max: 9 } },
      { name: 'nothing', values: [null, '', '  ', null], kind: 'empty', extra: { missing: 4 } },
      { name: 'single', values: ['x', 'x', 'x'], kind: 'category', extra: { distinct: 1 } },
      { name: 'd1', values: ['2020-01-31', '2021-12-01', null], kind: 'date', extra: { format: 'date' } },
      { name: 'd2', values: ['31/01/2020', '01/02/2020'], kind: 'date', extra: { format: 'DD/MM/YYYY' } },
      { name: 'd3', values: ['01/31/2020', '02/01/2020'], kind: 'date', extra: { format: 'MM/DD/YYYY' } },
      {
        name: 'd4',
        values: ['2101-10-20 19:08:00', '2101-10-21 01:00:00'],
        kind: 'datetime',
        extra: { format: 'YYYY-MM-DD HH:mm:ss' },
      },
      {
        name: 'd5',
        values: ['2020-01-01T10:00:00Z', '2020-01-02T11:30:00+02:00'],
        kind: 'datetime',
        extra: { format: 'iso' },
      },
      { name: 'bad_date', values: ['2020-02-31', '2020-01-01'], kind: 'category' },
      {
        name: 'flag',
        values: ['Yes', 'No', 'No'],
        kind: 'boolean',
        extra: { boolean: { trueLabel: 'Yes', falseLabel: 'No' } },
      },
      { name: 'yn', values: ['Y', 'N'], kind: 'boolean' },
      { name: 'is_active', values: ['0', '1', '1'], kind: 'boolean' },
      { name: 'count01', values: ['0', '1', '1'], kind: 'integer' },
      { name: 'tf', values: ['true', 'false', 'TRUE'], kind: 'category' },
    ];
  for (const c of cases) {
    it(`${c.name}: ${c.values.slice(0, 3).join(' | ')} → ${c.kind}`, () => {
      const col = inferColumn(c.name, c.values);
      expect(col.kind).toBe(c.kind);
      if (c.extra) expect(col).toMatchObject(c.extra);
    });
  }

  it('unique sequential integers are an id; named unique integers too', () => {
    expect(
      inferColumn(
        'row',
        seq(50, (i) => String(i + 1)),
      ),
    ).toMatchObject({ kind: 'id', id: { start: 1 } });
    expect(
      inferColumn(
        'customer_id',
        seq(50, (i) => String(i * 7 + 3)),
      ).kind,
    ).toBe('id');
    expect(
      inferColumn(
        'weight',
        seq(50, (i) => String(i * 7 + 3)),
      ).kind,
    ).toBe('integer');
  });

  it('uuids and prefixed codes are ids', () => {
    const uuids = seq(30, (i) => `123e4567-e89b-42d3-a456-${String(426614174000 + i).padStart(12, '0')}`);
    expect(inferColumn('ref', uuids)).toMatchObject({ kind: 'id', id: { style: 'uuid' } });
    expect(
      inferColumn(
        'order_id',
        seq(30, (i) => `ORD${1000 + i}`),
      ),
    ).toMatchObject({
      kind: 'id',
      id: { prefix: 'ORD', start: 1000 },
    });
  });

  it('free text and unique strings are detected and not modelled', () => {
    const text = seq(40, (i) => `the patient reported pain number ${i} in the left knee after a fall`);
    const t = inferColumn('notes', text);
    expect(t.kind).toBe('text');
    expect(t.notes.join()).toMatch(/free text/);
    expect(
      inferColumn(
        'email',
        seq(40, (i) => `user${i}@example.com`),
      ).notes.join(),
    ).toMatch(/email/);
  });

  it('unix timestamps stay integers with a note', () => {
    const s = inferColumn('created_at', ['1600000000', '1600003600', '1700000000']);
    expect(s).toMatchObject({ kind: 'integer', timestamp: 'unix_s' });
    const ms = inferColumn('event_time', ['1600000000000', '1600003600123']);
    expect(ms).toMatchObject({ kind: 'integer', timestamp: 'unix_ms' });
  });

  it('repeated categories stay categories', () => {
    expect(inferColumn('sex', rep(['Male', 'Female', null], 30)).kind).toBe('category');
  });
});

describe('parsers', () => {
  it('parseNumber handles plain, scientific, thousands, and rejects junk', () => {
    expect(parseNumber('1,234.5')).toBe(1234.5);
    expect(parseNumber('-1e3')).toBe(-1000);
    expect(Object.is(parseNumber('-0'), 0)).toBe(true);
    expect(parseNumber('1,23')).toBeNaN();
    expect(parseNumber('abc')).toBeNaN();
  });
  it('parseDatetime is UTC and rejects invalid dates', () => {
    expect(parseDatetime('2020-01-02', 'date')).toBe(Date.UTC(2020, 0, 2));
    expect(parseDatetime('02/01/2020', 'DD/MM/YYYY')).toBe(Date.UTC(2020, 0, 2));
    expect(parseDatetime('2020-01-02T03:04:05', 'iso')).toBe(Date.UTC(2020, 0, 2, 3, 4, 5));
    expect(parseDatetime('2021-02-29', 'date')).toBeNaN();
  });
  it('numericValues maps booleans, dates and missing', () => {
    const b = inferColumn('flag', ['Yes', 'No', null]);
    expect(Array.from(numericValues(b, ['Yes', 'No', null]))).toEqual([1, 0, Number.NaN]);
    const d = inferColumn('d', ['2020-01-01', '2020-01-02']);
    expect(numericValues(d, ['2020-01-02'])[0]).toBe(Date.UTC(2020, 0, 2));
  });
  it('inferTable keeps column order', () => {
    const t = inferTable({
      name: 't',
      columns: ['a', 'b'],
      rowCount: 2,
      data: [
        ['1', '2'],
        ['x', 'y'],
      ],
    });
    expect(t.columns.map((c) => [c.name, c.kind])).toEqual([
      ['a', 'integer'],
      ['b', 'category'],
    ]);
  });
});

describe('inferColumn with a declared (stored) type', () => {
  const digits = seq(30, (i) => String(i % 4));
  it('a string column of digits stays a category, never a number', () => {
    expect(inferColumn('code', digits).kind).toBe('integer');
    expect(inferColumn('code', digits, 'string').kind).toBe('category');
  });
  it('a number column of whole values stays a number; an integer 0/1 flag stays an integer', () => {
    expect(inferColumn('x', digits, 'number')).toMatchObject({ kind: 'number', decimals: 0, min: 0, max: 3 });
    expect(inferColumn('is_flag', ['0', '1', '1'], 'integer').kind).toBe('integer');
    expect(inferColumn('is_flag', ['0', '1', '1']).kind).toBe('boolean');
  });
  it('dates and datetimes keep their kind and exact bounds', () => {
    expect(inferColumn('d', ['1999-12-31', '2000-01-01', null], 'date')).toMatchObject({
      kind: 'date',
      format: 'date',
      min: Date.UTC(1999, 11, 31),
      max: Date.UTC(2000, 0, 1),
      missing: 1,
    });
    expect(inferColumn('t', ['2024-02-29T13:45:30.250Z'], 'datetime')).toMatchObject({
      kind: 'datetime',
      format: 'iso',
      min: Date.UTC(2024, 1, 29, 13, 45, 30, 250),
    });
  });
  it('a boolean column uses the labels the reader gives', () => {
    expect(inferColumn('ok', ['true', 'false'], 'boolean')).toMatchObject({
      kind: 'boolean',
      boolean: { trueLabel: 'true', falseLabel: 'false' },
    });
  });
});

describe('parseDatetime', () => {
  it('reads years 0..99 as written, not as 1900..1999', () => {
    const d = new Date(0);
    d.setUTCFullYear(50, 2, 1);
    expect(parseDatetime('0050-03-01', 'date')).toBe(d.getTime());
    d.setUTCFullYear(0, 1, 29); // year 0 is a leap year (proleptic Gregorian)
    expect(parseDatetime('0000-02-29', 'date')).toBe(d.getTime());
    expect(parseDatetime('0001-02-29', 'date')).toBeNaN();
  });
});

describe('infinite values among numbers (hostile3)', () => {
  it('keeps the column as text and says why, for Infinity, -inf and 1e999', () => {
    for (const token of ['Infinity', '-Infinity', '-inf', '1e999']) {
      const col = inferColumn('b', [...seq(30, (i) => String(i * 2)), token, token]);
      expect(col.kind, token).not.toBe('integer');
      expect(col.notes.join('; '), token).toMatch(
        new RegExp(`"${token.replace(/[+.-]/g, '\\$&')}" is not a finite number: the column is kept as text`),
      );
    }
  });

  it('says nothing about a column of text that merely contains Infinity', () => {
    const col = inferColumn('w', [...seq(30, (i) => `word${i % 4}`), 'Infinity']);
    expect(col.notes.join('; ')).not.toMatch(/finite/);
  });
});
