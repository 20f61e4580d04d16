// Relational specs to Parquet (`generate REL_SPEC -o DIR/ --format parquet`): one file per table,
// every column stored as declared — keys too — and the same rows as the CSV output, for any
// worker count.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../cli/testing/run-main.js';
import { readTable } from '../io/index.js';
import { parseSpecText } from '../spec/parse.js';
import { generateTables } from './generate-tables.js';

const SPEC = `strata: 1
seed: 4
tables:
  customers:
    key: customer_id
    columns:
      customer_id: { type: id, start: 100 }
      segment: { type: category, values: { None: 0.5, NA: 0.3, "null": 0.2 } }
      joined: { type: date, dist: { uniform: { min: "2020-01-01", max: "2023-01-01" } } }
      vip: { type: boolean, p: 0.2 }
  accounts:
    parent: customers
    key: account_id
    count: { values: { 1: 0.5, 3: 0.5 } }
    columns:
      account_id: { type: id, prefix: "A-" }
      opened: { type: datetime, dist: { uniform: { min: "2023-01-01", max: "2024-01-01" } } }
      limit: { type: integer, dist: { poisson: { lambda: 40 } } }
  events:
    parent: accounts
    count: { values: { 0: 0.3, 2: 0.7 } }
    columns:
      event_id: { type: id }
      amount: { type: number, decimals: 2, dist: { lognormal: { meanlog: 3, sdlog: 1 } }, missing: 0.1 }
`;
const { spec } = parseSpecText(SPEC, 'rel.yaml');
const ROOTS = 1024 + 300; // two root blocks: child ids are offset across the boundary
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const out = async (format: 'csv' | 'parquet', workers: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-rel-pq-'));
  dirs.push(dir);
  const r = await generateTables({ spec, rows: ROOTS, dir, format, workers });
  return { dir, r };
};

describe('relational specs to Parquet', () => {
  it('writes one file per table, keys and every column as declared, the rows of the CSV output', async () => {
    const pq = await out('parquet', 1);
    const csv = await out('csv', 1);
    expect(readdirSync(pq.dir).sort()).toEqual(['accounts.parquet', 'customers.parquet', 'events.parquet']);
    const types = async (table: string) => {
      const t = await readTable(join(pq.dir, `${table}.parquet`));
      return Object.fromEntries(t.columns.map((c, i) => [c, t.types?.[i]]));
    };
    expect(await types('customers')).toEqual({
      customer_id: 'integer',
      segment: 'string',
      joined: 'date',
      vip: 'boolean',
    });
    // the foreign key has its parent key's type: an integer id stays an integer, a prefixed one text
    expect(await types('accounts')).toEqual({
      account_id: 'string',
      customer_id: 'integer',
      opened: 'datetime',
      limit: 'integer',
    });
    expect(await types('events')).toEqual({
      event_id: 'integer',
      account_id: 'string',
      amount: 'number',
    });
    for (const t of pq.r.tables) {
      const a = await readTable(join(pq.dir, `${t.table}.parquet`));
      const b = await readTable(join(csv.dir, `${t.table}.csv`));
      expect(a.rowCount, t.table).toBe(t.rows);
      expect(a.columns).toEqual(b.columns);
      a.columns.forEach((c, k) => {
        // CSV is text: compare as text (a missing amount is an empty field there)
        const norm = (v: string | null) => (v === null || v === '' ? null : c === 'amount' ? Number(v) : v);
        expect(a.data[k].map(norm), `${t.table}.${c}`).toEqual(b.data[k].map(norm));
      });
    }
    const column = async (table: string, name: string) => {
      const t = await readTable(join(pq.dir, `${table}.parquet`));
      return t.data[t.columns.indexOf(name)];
    };
    // categories, never missing
    expect(new Set(await column('customers', 'segment'))).toEqual(new Set(['None', 'NA', 'null']));
    // keys stay unique across root blocks; every foreign key resolves
    const accounts = await column('accounts', 'account_id');
    expect(new Set(accounts).size).toBe(accounts.length);
    const known = new Set(accounts);
    expect((await column('events', 'account_id')).filter((a) => !known.has(a))).toEqual([]);
  });

  it('writes the same rows on 1 and 2 workers', { timeout: 120_000 }, async () => {
    const one = await out('parquet', 1);
    const two = await out('parquet', 2);
    for (const f of readdirSync(one.dir)) {
      const a = await readTable(join(one.dir, f));
      const b = await readTable(join(two.dir, f));
      expect(b.columns).toEqual(a.columns);
      expect(b.data, f).toEqual(a.data);
    }
  });
});

describe('strata generate REL_SPEC -o DIR/ --format parquet', () => {
  it('writes one Parquet file per table and records each in the ledger; an unknown format exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-rel-pq-cli-'));
    dirs.push(dir);
    const specPath = join(dir, 'rel.yaml');
    writeFileSync(specPath, SPEC);
    const ledger = join(dir, 'ledger.jsonl');
    const out = join(dir, 'out');
    const r = await runMain([
      'generate',
      specPath,
      '-n',
      '40',
      '-o',
      `${out}/`,
      '--format',
      'parquet',
      '--ledger',
      ledger,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['accounts.parquet', 'customers.parquet', 'events.parquet']);
    expect((await readTable(join(out, 'customers.parquet'))).rowCount).toBe(40);
    const entry = JSON.parse(readFileSync(ledger, 'utf8').trim().split('\n').at(-1)!);
    expect(entry.params.format).toBe('parquet');
    expect(
      entry.outputs.map((o: { path: string; sha256: string }) => [
        o.path.endsWith('.parquet'),
        o.sha256.length,
      ]),
    ).toEqual([
      [true, 64],
      [true, 64],
      [true, 64],
    ]);
    const bad = await runMain([
      'generate',
      specPath,
      '-n',
      '40',
      '-o',
      `${out}2/`,
      '--format',
      'xml',
      '--no-ledger',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--format xml is not supported for relational specs/);
    expect(bad.err).toMatch(/--format parquet/);
  });
});
