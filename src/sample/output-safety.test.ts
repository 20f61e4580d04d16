// Issue 13 items 5 and 12: what generation writes when numbers overflow, ids pass 2^53, a table has
// no columns, an output path is bad, or no header is wanted.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { readTable } from '../io/index.js';
import { parseSpecText } from '../spec/index.js';
import { generateRows, generateToFile } from './index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'strata-gen-safe-'));
const spec = (columns: string) =>
  parseSpecText(`strata: 1\ntables:\n  t:\n    rows: 3000\n    columns:\n${columns}`, 't.yaml').spec;

const thrown = async (p: Promise<unknown>): Promise<StrataError> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StrataError);
  return e as StrataError;
};

describe('numbers no format can hold', () => {
  // A law whose draws leave the type's range is refused before drawing (model.out_of_range, see
  // model/type-range.test.ts); an expression's value still can: past 2^53 in an integer column, past
  // year 275,760 in a datetime one, or beyond Number.MAX_VALUE once a number is rounded to its
  // decimals (a * 1e306 * 100 overflows for |a| > 1.8, ~7% of rows).
  const overflow = spec(`      a: { type: number, dist: { normal: { mean: 0, sd: 1 } } }
      x: { type: number, expr: "a * 1e306" }
      k: { type: integer, expr: "a * 1e20" }
      d: { type: datetime, expr: "a * 1e16" }
      ok: { type: number, dist: { normal: { mean: 0, sd: 1 } } }
`);

  it('are written as missing in every format and counted per column, alike for any worker count', async () => {
    const d = tmp();
    const counts: unknown[] = [];
    for (const [ext, workers] of [
      ['csv', 1],
      ['csv', 2],
      ['jsonl', 2],
      ['parquet', 1],
    ] as const) {
      const out = join(d, `o${workers}.${ext}`);
      const r = await generateToFile({ spec: overflow, seed: 5, workers, out });
      counts.push(r.nonFinite);
      const t = await readTable(out);
      const nulls = t.data.map((col) => col.filter((v) => v === null).length);
      expect(r.nonFinite).toEqual([
        { column: 'x', count: nulls[1] },
        { column: 'k', count: nulls[2] },
        { column: 'd', count: nulls[3] },
      ]);
      expect(nulls[1]).toBeGreaterThan(100);
      expect(nulls[2]).toBeGreaterThan(100);
      expect(nulls[3]).toBeGreaterThan(100);
      expect(nulls[0] + nulls[4]).toBe(0);
      // what is there is a number (before: "Infinity" in CSV made the column text, and a datetime
      // beyond the date range stopped the run with a RangeError)
      for (const v of t.data[1]) if (v !== null) expect(Number.isFinite(Number(v))).toBe(true);
    }
    expect(new Set(counts.map((c) => JSON.stringify(c))).size).toBe(1);
    expect(readFileSync(join(d, 'o1.csv'), 'utf8')).not.toMatch(/Infinity|NaN/);
    const rows = await generateRows({ spec: overflow, seed: 5 });
    expect(rows.nonFinite).toEqual(counts[0]);
  });

  it('a run without such numbers reports none', async () => {
    const r = await generateRows({
      spec: spec('      ok: { type: number, dist: { normal: { mean: 0, sd: 1 } } }\n'),
    });
    expect(r.nonFinite).toBeUndefined();
  });
});

describe('sequential ids near 2^53', () => {
  const near = (start: string) => spec(`      id: { type: id, start: ${start} }\n`);

  it('are refused before drawing, with the row count that overflows and the count that fits', async () => {
    const start = Number.MAX_SAFE_INTEGER - 999; // ids start .. start+999 fit: 1,000 rows
    const err = await thrown(generateRows({ spec: near(String(start)), rows: 1001 }));
    expect(err.code).toBe('generate.id_overflow');
    expect(err.message).toMatch(/1,001 rows from start 9007199254739992/);
    expect(err.hint).toMatch(/at most 1,000 rows/);
    expect(err.place.path).toBe('tables.t.columns.id.start');
    const ok = await generateRows({ spec: near(String(start)), rows: 1000 });
    expect(new Set(ok.data[0]).size).toBe(1000);
    expect(ok.data[0][999]).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('a start beyond the safe integers is refused whatever the row count (spec objects too)', async () => {
    // A spec file is refused by the schema; a Spec object built in code reaches generation.
    const s = near('1');
    s.tables.t.columns.id.start = 2 ** 53 + 2;
    const err = await thrown(generateRows({ spec: s, rows: 1 }));
    expect(err.code).toBe('generate.id_overflow');
  });
});

describe('a table with no columns', () => {
  it('is a clear error, not a crash (a model fitted from an empty file had none)', async () => {
    const empty = parseSpecText('strata: 1\ntables:\n  e:\n    rows: 0\n    columns: {}\n', 'e.yaml').spec;
    const d = tmp();
    const err = await thrown(generateToFile({ spec: empty, rows: 10, out: join(d, 'e.csv') }));
    expect(err.code).toBe('generate.no_columns');
    expect(err.place.path).toBe('tables.e.columns');
    expect(readdirSync(d)).toEqual([]);
  });
});

describe('output paths are checked before the work', () => {
  // a rule no row can meet: generation would run for a while and fail; the path error comes first
  const doomed = spec(`      x: { type: number, dist: { normal: { mean: 0, sd: 1 } } }
    rules:
      - { name: never, check: "x > 100 and x < -100" }
`);

  it('a missing directory, before compiling or drawing', async () => {
    const err = await thrown(generateToFile({ spec: doomed, out: join(tmp(), 'no', 'such', 'x.csv') }));
    expect(err.code).toBe('io.output_dir');
  });

  it('an output that is the spec file itself', async () => {
    const d = tmp();
    const path = join(d, 'spec.csv');
    const err = await thrown(generateToFile({ spec: doomed, out: path, locator: { file: path } }));
    expect(err.code).toBe('io.output_is_input');
    expect(existsSync(path)).toBe(false);
  });
});

describe('--no-header', () => {
  it('writes the same rows without the header line', async () => {
    const s = spec(`      c: { type: category, values: { "a;b": 1, NA: 1 } }
      x: { type: integer, dist: { poisson: { lambda: 3 } } }
`);
    const d = tmp();
    await generateToFile({ spec: s, seed: 1, out: join(d, 'h.csv') });
    await generateToFile({ spec: s, seed: 1, out: join(d, 'n.csv'), header: false });
    const withHeader = readFileSync(join(d, 'h.csv'), 'utf8');
    expect(withHeader.startsWith('c,x\n')).toBe(true);
    expect(readFileSync(join(d, 'n.csv'), 'utf8')).toBe(withHeader.slice('c,x\n'.length));
  });
});
