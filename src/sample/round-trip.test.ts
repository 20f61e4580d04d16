/**
 * Issue 12: random tables through every writer and reader, in CSV, JSON lines and Parquet, come back
 * unchanged. Writers: generation's (the byte CSV writer, blockToJsonl, blockToColumns into the
 * Parquet sink, exactly as generateToFile calls them) and io's writeTable. Readers: readTable's.
 *
 * "Unchanged": text cells equal, character for character (`None`, `NA`, `null`, `?`, the empty
 * string — distinct from missing —, quotes, commas, line breaks, a leading `=`, any Unicode, long
 * text); numbers equal as numbers (-0 reads back as 0: zero has one spelling in CSV and JSON), and
 * integers, booleans, dates and datetimes likewise. A number no format holds (±Infinity, NaN) is
 * written as missing and reads back as missing. Domain: text is Unicode scalar values (no lone
 * surrogates: files are UTF-8); dates fall in years 0..9999 (ISO text has four-digit years).
 * Parquet reports each column's stored type as declared.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDatetime } from '../io/cell-text.js';
import {
  type ColumnKind,
  openParquet,
  parseCsvText,
  parseJsonLinesText,
  type RawTable,
  readTable,
  writeTable,
} from '../io/index.js';
import type { Block } from '../model/block.js';
import { compileTable } from '../model/compile.js';
import { isoString, type Value } from '../model/values.js';
import type { Column, Spec } from '../spec/schema.js';
import { ByteWriter, blockToCsvBytes } from './csv-bytes.js';
import { blockToColumns, blockToJsonl, type Cell, csvHeader, parquetSchema } from './format.js';
import { scrubNonFinite } from './non-finite.js';

type Kind = 'category' | 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime';

const KINDS: readonly Kind[] = ['category', 'string', 'number', 'integer', 'boolean', 'date', 'datetime'];

const MECHANISM: Record<Kind, Column> = {
  category: { type: 'category', values: ['x'] },
  string: { type: 'string', values: ['x'] },
  number: { type: 'number', dist: { normal: { mean: 0, sd: 1 } } },
  integer: { type: 'integer', dist: { poisson: { lambda: 1 } } },
  boolean: { type: 'boolean', p: 0.5 },
  date: { type: 'date', dist: { uniform: { min: '2000-01-01', max: '2001-01-01' } } },
  datetime: { type: 'datetime', dist: { uniform: { min: '2000-01-01', max: '2001-01-01' } } },
};

const YEAR_0 = -62167219200000; // 0000-01-01T00:00:00Z
const YEAR_10000 = 253402300800000; // 10000-01-01T00:00:00Z
const DAY = 86_400_000;

/** Text a reader could take for something else: tokens, blanks, quotes, delimiters, formulas. */
const tricky = fc.constantFrom(
  'None',
  'NA',
  'null',
  'NULL',
  '?',
  'N/A',
  'NaN',
  'nan',
  '',
  ' ',
  ' lead',
  'trail\t',
  '\u00a0nbsp',
  '\ufeffbom',
  'a,b',
  'say "hi"',
  '"',
  'line\nbreak',
  'cr\r',
  'crlf\r\n',
  ';',
  '|',
  '=1+1',
  '=HYPERLINK("x")',
  '+1',
  '-0',
  '@sum',
  '1e400',
  'Infinity',
  '007',
  'true',
  '2024-01-01',
  'é',
  '😀',
  '\u2028',
);
const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: tricky },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.array(tricky, { maxLength: 4 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 2000, maxLength: 6000 }) },
);
const number = fc.oneof(
  fc.double(),
  fc.constantFrom(-0, 0, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 1e21, 1e-7, 0.1, 2 ** 53),
  fc.integer().map((x) => x / 100),
);
const VALUE: Record<Kind, fc.Arbitrary<Value>> = {
  category: text,
  string: text,
  number,
  integer: fc.maxSafeInteger(),
  boolean: fc.boolean(),
  date: fc.integer({ min: YEAR_0 / DAY, max: YEAR_10000 / DAY - 1 }).map((d) => d * DAY),
  datetime: fc.integer({ min: YEAR_0, max: YEAR_10000 - 1 }),
};

/** Column names: unique (case-insensitively: Parquet through DuckDB), never empty, tricky too. */
const names = (n: number) =>
  fc
    .uniqueArray(
      fc.oneof(
        tricky.filter((s) => s.trim() !== '' || s.length > 0),
        fc.string({ unit: 'binary', maxLength: 8 }),
      ),
      { minLength: n, maxLength: n, selector: (s) => s.toLowerCase() },
    )
    .filter((ns) => ns.every((s) => s !== ''));

interface Table {
  kinds: Kind[];
  names: string[];
  /** rows[row][column] */
  rows: Value[][];
}

const table: fc.Arbitrary<Table> = fc
  .tuple(fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 5 }), fc.nat({ max: 25 }))
  .chain(([kinds, nRows]) =>
    fc.record({
      kinds: fc.constant(kinds),
      names: names(kinds.length),
      rows: fc.array(
        fc.tuple(
          ...kinds.map((k) =>
            fc.oneof({ weight: 5, arbitrary: VALUE[k] }, { weight: 1, arbitrary: fc.constant(null) }),
          ),
        ),
        { minLength: nRows, maxLength: nRows },
      ),
    }),
  );

function specOf(t: Table): Spec {
  const columns: Record<string, Column> = Object.create(null);
  t.names.forEach((name, c) => {
    columns[name] = MECHANISM[t.kinds[c]];
  });
  return { strata: 1, tables: { t: { columns } } } as Spec;
}

/** What a written value should read back as (null for missing; -0 as 0). */
function expected(kind: Kind, v: Value): Value {
  if (v === null) return null;
  if (kind === 'number' || kind === 'integer') {
    const x = v as number;
    return Number.isFinite(x) ? x + 0 : null;
  }
  return v;
}

/** A read cell decoded by its column's kind. */
function decode(kind: Kind, cell: string | null): Value {
  if (cell === null) return null;
  switch (kind) {
    case 'category':
    case 'string':
      return cell;
    case 'number':
    case 'integer':
      return Number(cell) + 0;
    case 'boolean':
      return cell === 'true' ? true : cell === 'false' ? false : `not a boolean: ${cell}`;
    case 'date':
      return parseDatetime(cell, 'date');
    case 'datetime':
      return parseDatetime(cell, 'iso');
  }
}

const STORED: Record<Kind, string> = {
  category: 'string',
  string: 'string',
  number: 'number',
  integer: 'integer',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
};

function expectSame(t: Table, read: RawTable, format: string, typed: boolean): void {
  // JSON lines have no header: an empty table has no columns to read back
  if (!(format === 'jsonl' && t.rows.length === 0)) expect(read.columns).toEqual(t.names);
  expect(read.rowCount).toBe(t.rows.length);
  t.kinds.forEach((kind, c) => {
    const got = read.data[c]?.map((cell) => decode(kind, cell)) ?? [];
    // zero has one spelling in CSV and JSON: -0 is expected back as 0 (+0 here, as toEqual tells them apart)
    const want = t.rows.map((r) => expected(kind, r[c]));
    expect(got, `${format}: column ${JSON.stringify(t.names[c])} (${kind})`).toEqual(want);
  });
  if (typed) expect(read.types).toEqual(t.kinds.map((k) => STORED[k]));
}

function blockOf(t: Table): Block {
  const count = t.rows.length;
  return {
    index: 0,
    start: 0,
    count,
    values: t.kinds.map((_, c) => t.rows.map((r) => r[c])),
    retries: new Int32Array(count),
  };
}

const decoder = new TextDecoder();
const dir = mkdtempSync(join(tmpdir(), 'strata-round-trip-'));
let fileNo = 0;

describe('round trip of random tables through every writer and reader (property)', () => {
  it('generation: the byte CSV writer and JSON lines, through the readers', () => {
    fc.assert(
      fc.property(table, (t) => {
        const model = compileTable(specOf(t), 't');
        const b = blockOf(t);
        scrubNonFinite(model, b);
        const csv = csvHeader(model, false) + decoder.decode(blockToCsvBytes(new ByteWriter(64), model, b));
        expectSame(t, parseCsvText(csv, 'r.csv'), 'csv', false);
        const jsonl = b.count > 0 ? blockToJsonl(model, b) : '';
        expectSame(t, parseJsonLinesText(jsonl, 'r.jsonl'), 'jsonl', false);
      }),
      { numRuns: 400 },
    );
  });

  it('io: writeTable to CSV and JSON lines, through readTable', async () => {
    await fc.assert(
      fc.asyncProperty(table, async (t) => {
        const rows = t.rows.map((r) => r.map((v, c) => cellOf(t.kinds[c], v)));
        for (const ext of ['csv', 'jsonl']) {
          const path = join(dir, `w${fileNo++}.${ext}`);
          await writeTable(path, { columns: t.names, rows });
          expectSame(t, await readTable(path), ext, false);
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('Parquet: generation and writeTable, through readTable, with the declared types', async () => {
    await fc.assert(
      fc.asyncProperty(table, async (t) => {
        fc.pre(t.names.every((n) => !n.includes('\u0000'))); // a NUL in a name is refused (tested below)
        const model = compileTable(specOf(t), 't');
        const b = blockOf(t);
        scrubNonFinite(model, b);
        const gen = join(dir, `g${fileNo++}.parquet`);
        const sink = await openParquet(gen, parquetSchema(model, false));
        await sink.append(blockToColumns(model, b), b.count);
        await sink.commit();
        expectSame(t, await readTable(gen), 'parquet (generation)', true);
        const io = join(dir, `w${fileNo++}.parquet`);
        const kinds = t.kinds.map((k): ColumnKind => (k === 'category' ? 'string' : k));
        const rows = t.rows.map((r) => r.map((v, c) => cellOf(t.kinds[c], v)));
        await writeTable(io, { columns: t.names, rows }, { kinds });
        expectSame(t, await readTable(io), 'parquet (writeTable)', true);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

/** A value as io's writers take it: dates as ISO text. */
function cellOf(kind: Kind, v: Value): Cell {
  if (v === null || typeof v !== 'number') return v;
  if (kind === 'date') return isoString(v).slice(0, 10);
  if (kind === 'datetime') return isoString(v);
  return v;
}

describe('known corners of the round trip', () => {
  it('a one-column table whose last values are missing keeps its rows (CSV)', async () => {
    const path = join(dir, 'one.csv');
    await writeTable(path, { columns: ['v'], rows: [['a'], [null], [''], [null], [null]] });
    expect((await readTable(path)).data).toEqual([['a', null, '', null, null]]);
  });

  it('a header name that looks like a delimiter list does not change the sniffed delimiter', async () => {
    const path = join(dir, 'names.csv');
    await writeTable(path, { columns: ['a|b|c', 'd;e', 'f'], rows: [[1, 2, 3]] });
    const t = await readTable(path);
    expect(t.columns).toEqual(['a|b|c', 'd;e', 'f']);
  });

  it('Parquet refuses a column name with a NUL character, naming it', async () => {
    await expect(
      writeTable(join(dir, 'nul.parquet'), { columns: ['a\u0000b'], rows: [[1]] }),
    ).rejects.toMatchObject({ code: 'io.parquet' });
  });
});
