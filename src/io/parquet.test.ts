import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEnvironmentError, StrataError } from '../errors.js';
import { openParquet, scratchBeside } from './parquet-write.js';
import { readTable } from './read-table.js';
import { writeTable } from './write-table.js';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'strata-io-pq-'));

describe('openParquet / readTable round trip', () => {
  it('keeps every kind, nulls and datetimes, across several appends', async () => {
    const dir = fresh();
    const target = join(dir, 'out.parquet');
    const sink = await openParquet(target, [
      { name: 'id', kind: 'integer' },
      { name: 'x', kind: 'number' },
      { name: 'name', kind: 'string' },
      { name: 'ok', kind: 'boolean' },
      { name: 'at', kind: 'datetime' },
    ]);
    const t0 = Date.UTC(2024, 1, 29, 13, 45, 30, 250);
    await sink.append(
      [
        [1, 2, null],
        [0.1, null, -1e300],
        ['a, "quoted"\nline', null, ''],
        [true, false, null],
        [t0, null, 0],
      ],
      3,
    );
    await sink.append([[9007199254740991], [2.5], ['é'], [true], ['2020-01-01T00:00:00Z']], 1);
    expect(readdirSync(dir).some((f) => f === 'out.parquet')).toBe(false); // not before commit
    await sink.commit();
    expect(readdirSync(dir)).toEqual(['out.parquet']); // scratch database, WAL and spill dir gone
    expect(readFileSync(target).subarray(0, 4).toString()).toBe('PAR1');
    const t = await readTable(target);
    expect(t.name).toBe('out');
    expect(t.columns).toEqual(['id', 'x', 'name', 'ok', 'at']);
    expect(t.rowCount).toBe(4);
    expect(t.data[0]).toEqual(['1', '2', null, '9007199254740991']);
    expect(t.data[1].map((v) => (v === null ? null : Number(v)))).toEqual([0.1, null, -1e300, 2.5]);
    expect(t.data[2]).toEqual(['a, "quoted"\nline', null, '', 'é']);
    expect(t.data[3]).toEqual(['true', 'false', null, 'true']);
    expect(t.data[4]).toEqual([
      '2024-02-29T13:45:30.250Z',
      null,
      '1970-01-01T00:00:00Z',
      '2020-01-01T00:00:00Z',
    ]);
    expect(t.types).toEqual(['integer', 'number', 'string', 'boolean', 'datetime']);
  });

  it('stores dates as DATE and reads every stored type back as declared', async () => {
    const dir = fresh();
    const target = join(dir, 'typed.parquet');
    const sink = await openParquet(target, [
      { name: 'n', kind: 'integer' },
      { name: 'x', kind: 'number' },
      { name: 'ok', kind: 'boolean' },
      { name: 'day', kind: 'date' },
      { name: 'at', kind: 'datetime' },
      { name: 'code', kind: 'string' },
    ]);
    const day = Date.UTC(1999, 11, 31);
    await sink.append(
      [
        [7, null],
        [2, Number.POSITIVE_INFINITY],
        [false, true],
        [day, null],
        [day + 1, null],
        ['007', 'NA'],
      ],
      2,
    );
    await sink.commit();
    const t = await readTable(target);
    expect(t.types).toEqual(['integer', 'number', 'boolean', 'date', 'datetime', 'string']);
    // a whole double is still a number, a string of digits still a string; Infinity is missing
    expect(t.data).toEqual([
      ['7', null],
      ['2', null],
      ['false', 'true'],
      ['1999-12-31', null],
      ['1999-12-31T00:00:00.001Z', null],
      ['007', 'NA'],
    ]);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const desc = (
      await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${target}')`)
    ).getRowObjectsJS();
    expect(desc.map((r) => r.column_type)).toEqual([
      'BIGINT',
      'DOUBLE',
      'BOOLEAN',
      'DATE',
      'TIMESTAMP',
      'VARCHAR',
    ]);
    conn.closeSync();
    db.closeSync();
  });

  it('reads tokens listed as missing (na_values) in any column, and nothing else', async () => {
    const dir = fresh();
    const target = join(dir, 'na.parquet');
    await writeTable(target, {
      columns: ['s', 'n'],
      rows: [
        ['None', -999],
        ['NA', 1],
      ],
    });
    expect((await readTable(target)).data).toEqual([
      ['None', 'NA'],
      ['-999', '1'],
    ]);
    const t = await readTable(target, { naValues: ['None', '-999'] });
    expect(t.data).toEqual([
      [null, 'NA'],
      [null, '1'],
    ]);
  });

  it('names a file damaged in the middle of its data (not only at the footer)', async () => {
    const dir = fresh();
    const target = join(dir, 'big.parquet');
    const sink = await openParquet(target, [
      { name: 'i', kind: 'integer' },
      { name: 's', kind: 'string' },
    ]);
    const n = 50_000;
    const i = Array.from({ length: n }, (_, k) => k * 7919);
    await sink.append([i, i.map((v) => `text ${v}`)], n);
    await sink.commit();
    const bytes = readFileSync(target);
    // flip bytes in the data pages, keep the footer: DESCRIBE succeeds, reading the data fails
    for (let k = 100; k < bytes.length - 2000; k += 97) bytes[k] ^= 0xff;
    writeFileSync(target, bytes);
    const err = await readTable(target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StrataError);
    expect(err).toMatchObject({ code: 'io.parquet', place: { file: target } });
  });
});

// A full disk, simulated: Linux's /dev/full accepts opens and fails every write with ENOSPC, so a
// scratch path linked to it behaves as a file on a full disk.
describe.skipIf(!existsSync('/dev/full'))('a full disk while writing Parquet', () => {
  it('the final file cannot be written: io.disk_full, no target, no scratch left', async () => {
    const dir = fresh();
    const target = join(dir, 'out.parquet');
    const scratch = scratchBeside(target);
    symlinkSync('/dev/full', scratch.parquet);
    const sink = await openParquet(target, [{ name: 'a', kind: 'integer' }], scratch);
    await sink.append([Array.from({ length: 10_000 }, (_, k) => k)], 10_000);
    const err = await sink.commit().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StrataError);
    expect(err).toMatchObject({ code: 'io.disk_full', place: { file: target } });
    expect(isEnvironmentError(err as StrataError)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the staging database cannot be written: io.disk_full when opening', async () => {
    const dir = fresh();
    const target = join(dir, 'out.parquet');
    const scratch = scratchBeside(target);
    symlinkSync('/dev/full', scratch.db);
    const err = await openParquet(target, [{ name: 'a', kind: 'integer' }], scratch).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'io.disk_full' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('streams 100k rows in batches and reads them back in order, with limit and columns', async () => {
    const dir = fresh();
    const target = join(dir, 'big.parquet');
    const sink = await openParquet(target, [
      { name: 'i', kind: 'integer' },
      { name: 'half', kind: 'number' },
      { name: 'tag', kind: 'string' },
    ]);
    const N = 100_000;
    const B = 7_000; // not a multiple of DuckDB's 2048-row chunk
    for (let s = 0; s < N; s += B) {
      const n = Math.min(B, N - s);
      const i = Array.from({ length: n }, (_, k) => s + k);
      await sink.append([i, i.map((v) => v / 2), i.map((v) => (v % 10 === 0 ? null : `t${v % 7}`))], n);
    }
    await sink.commit();
    const t = await readTable(target);
    expect(t.rowCount).toBe(N);
    for (const r of [0, 2047, 2048, 6999, 7000, 99_999]) {
      expect(t.data[0][r]).toBe(String(r));
      expect(Number(t.data[1][r])).toBe(r / 2);
      expect(t.data[2][r]).toBe(r % 10 === 0 ? null : `t${r % 7}`);
    }
    const some = await readTable(target, { limit: 5, columns: ['tag', 'i'] });
    expect(some.columns).toEqual(['tag', 'i']);
    expect(some.data).toEqual([
      [null, 't1', 't2', 't3', 't4'],
      ['0', '1', '2', '3', '4'],
    ]);
    await expect(readTable(target, { columns: ['tga'] })).rejects.toMatchObject({
      code: 'io.unknown_column',
    });
  });

  it('names the column and row of a value that does not fit its kind, and leaves no files', async () => {
    const dir = fresh();
    const target = join(dir, 'bad.parquet');
    const sink = await openParquet(target, [
      { name: 'n', kind: 'integer' },
      { name: 's', kind: 'string' },
    ]);
    await sink.append(
      [
        [1, 2],
        ['a', 'b'],
      ],
      2,
    );
    const err = await sink
      .append(
        [
          [3, 4.5],
          ['c', 'd'],
        ],
        2,
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'io.parquet_value', place: { file: target, path: 'column n, row 4' } });
    await sink.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('abort after appends leaves neither target nor scratch files', async () => {
    const dir = fresh();
    const sink = await openParquet(join(dir, 'x.parquet'), [{ name: 'a', kind: 'number' }]);
    await sink.append([[1, 2, 3]], 3);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    await sink.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects a missing output directory and a file that is not Parquet', async () => {
    const dir = fresh();
    await expect(
      openParquet(join(dir, 'no', 'x.parquet'), [{ name: 'a', kind: 'number' }]),
    ).rejects.toMatchObject({
      code: 'io.output_dir',
    });
    await writeTable(join(dir, 'fake.csv'), { columns: ['a'], rows: [[1]] });
    const { renameSync } = await import('node:fs');
    renameSync(join(dir, 'fake.csv'), join(dir, 'fake.parquet'));
    await expect(readTable(join(dir, 'fake.parquet'))).rejects.toMatchObject({ code: 'io.parquet' });
  });
});

describe('writeTable', () => {
  const rows = [
    [1, 'x, y', true, 1.5, null],
    [2, '', false, null, 'NA'],
    [3, null, null, 2, 'z'],
  ];
  const columns = ['id', 'text', 'flag', 'value', 'note'];

  it('round-trips through CSV, JSONL and Parquet by extension', async () => {
    const dir = fresh();
    for (const ext of ['csv', 'jsonl', 'parquet']) {
      const path = join(dir, `t.${ext}`);
      await writeTable(path, { columns, rows });
      const t = await readTable(path);
      expect(t.columns).toEqual(columns);
      expect(t.rowCount).toBe(3);
      expect(t.data[0]).toEqual(['1', '2', '3']);
      expect(t.data[1]).toEqual(['x, y', '', null]);
      expect(t.data[2]).toEqual(['true', 'false', null]);
      expect(t.data[3]).toEqual(['1.5', null, '2']);
      expect(t.data[4]).toEqual([null, 'NA', 'z']);
    }
    expect(readdirSync(dir).sort()).toEqual(['t.csv', 't.jsonl', 't.parquet']);
  });

  it('rejects an unknown extension listing the supported ones', async () => {
    await expect(writeTable(join(fresh(), 'x.xlsx'), { columns: ['a'], rows: [] })).rejects.toMatchObject({
      code: 'io.unknown_format',
      hint: 'use one of: .csv, .jsonl, .ndjson, .parquet',
    });
  });
});
