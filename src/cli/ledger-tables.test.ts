/**
 * Relational runs in the ledger: `fit` of several tables records every data file and the model,
 * `generate` of a relational spec records each table file (SHA-256 hashed as written, rows per
 * table) or the one DuckDB file, and `ledger verify` / `trace` work on them like single-table runs.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './testing/run-main.js';

const run = runMain;

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

interface FileRec {
  role: string;
  path: string;
  sha256: string;
  rows?: number;
}
interface Entry {
  seq: number;
  command: string;
  seed: number | null;
  inputs: FileRec[];
  outputs: FileRec[];
  result: { tables?: Record<string, unknown>; rows?: number; entities?: number };
}

const entries = (): Entry[] =>
  readFileSync('.strata/ledger.jsonl', 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Entry);

/** customers (key id) → orders (FK customer_id), ordered by day within a customer. */
function writeTables(dir: string): void {
  const customers = ['id,segment,joined'];
  const orders = ['order_id,customer_id,day,amount'];
  let o = 1;
  for (let c = 1; c <= 120; c++) {
    const seg = c % 3 === 0 ? 'business' : 'retail';
    customers.push(`${c},${seg},${(c * 7) % 50}`);
    const k = seg === 'business' ? 2 + (c % 3) : c % 3;
    for (let j = 0; j < k; j++)
      orders.push(`${o++},${c},${((c * 7) % 50) + j * 5 + (c % 4)},${10 + ((c * 13 + j * 7) % 90)}`);
  }
  writeFileSync(join(dir, 'customers.csv'), `${customers.join('\n')}\n`);
  writeFileSync(join(dir, 'orders.csv'), `${orders.join('\n')}\n`);
}

describe('relational runs in the ledger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-ledger-tables-'));
  const cwd = process.cwd();
  beforeAll(() => {
    mkdirSync(join(dir, '.strata'));
    writeTables(dir);
    process.chdir(dir);
  });
  afterAll(() => process.chdir(cwd));

  it('records a fit of several tables and a generate of each table, verifies and traces them', async () => {
    const f = await run(['fit', 'customers.csv', 'orders.csv', '-o', 'model.yaml', '--seed', '3']);
    expect(f.code, f.err).toBe(0);
    expect(f.err).not.toMatch(/not recorded/);
    const g = await run(['generate', 'model.yaml', '-n', '300', '--seed', '5', '-o', 'out/']);
    expect(g.code, g.err).toBe(0);
    expect(g.err).not.toMatch(/not recorded/);
    const d = await run(['generate', 'model.yaml', '-n', '300', '--seed', '5', '-o', 'all.duckdb']);
    expect(d.code, d.err).toBe(0);

    const [fit, gen, duck] = entries();
    expect(fit.command).toBe('fit');
    expect(fit.inputs.map((i) => [i.role, i.path])).toEqual([
      ['data', 'customers.csv'],
      ['data', 'orders.csv'],
    ]);
    expect(fit.outputs.map((o) => [o.role, o.path, o.sha256])).toEqual([
      ['model', 'model.yaml', sha('model.yaml')],
    ]);
    expect(Object.keys(fit.result.tables ?? {})).toEqual(['customers', 'orders']);

    expect(gen.command).toBe('generate');
    expect(gen.seed).toBe(5);
    expect(gen.inputs.map((i) => [i.role, i.sha256])).toEqual([['spec', sha('model.yaml')]]);
    const lines = (p: string) => readFileSync(p, 'utf8').trim().split('\n').length - 1;
    expect(gen.outputs.map((o) => [o.role, o.path, o.sha256, o.rows])).toEqual([
      ['table:customers', 'out/customers.csv', sha('out/customers.csv'), 300],
      ['table:orders', 'out/orders.csv', sha('out/orders.csv'), lines('out/orders.csv')],
    ]);
    expect(gen.result.entities).toBe(300);
    expect(gen.result.tables).toEqual({ customers: 300, orders: lines('out/orders.csv') });

    // A DuckDB output is one file, hashed after DuckDB wrote it.
    expect(duck.outputs.map((o) => [o.role, o.path, o.sha256])).toEqual([
      ['database', 'all.duckdb', sha('all.duckdb')],
    ]);

    expect((await run(['ledger', 'verify'])).code).toBe(0);
    const log = (await run(['ledger', 'log'])).out.split('\n');
    expect(log[0]).toMatch(/fit .* rows in 2 tables → model\.yaml$/);
    expect(log[1]).toMatch(/generate .* rows in 2 tables → out\/customers\.csv, out\/orders\.csv$/);

    // Trace a table file back through the generate to the fit and its data files.
    const t = await run(['ledger', 'trace', 'out/orders.csv', '--json']);
    expect(t.code, t.err).toBe(0);
    const tr = JSON.parse(t.out);
    expect(tr.madeBy.entry.seq).toBe(gen.seq);
    expect(tr.madeBy.reproduce).toContain('strata generate model.yaml -n 300 --seed 5 -o out/');
    const spec = tr.madeBy.inputs[0];
    expect(spec.madeBy.entry.seq).toBe(fit.seq);
    expect(spec.madeBy.inputs.map((i: { path: string }) => i.path)).toEqual(['customers.csv', 'orders.csv']);

    // check-row redraws rows of single-table runs only: a table file of a relational run says so.
    const cr = await run(['ledger', 'check-row', '.strata/ledger.jsonl', 'out/orders.csv', '2']);
    expect(cr.code).toBe(2);
    expect(cr.err).toMatch(
      /ledger\.check_row_tables|relational spec .* check-row redraws rows of one table only/,
    );

    // The recorded command reproduces the bytes.
    const again = await run([
      'generate',
      'model.yaml',
      '-n',
      '300',
      '--seed',
      '5',
      '-o',
      'again/',
      '--no-ledger',
    ]);
    expect(again.code, again.err).toBe(0);
    expect(sha('again/orders.csv')).toBe(gen.outputs[1].sha256);

    // One changed table file: verify fails and names it.
    writeFileSync('out/orders.csv', `${readFileSync('out/orders.csv', 'utf8')}9999,1,1,1\n`);
    const v = await run(['ledger', 'verify']);
    expect(v.code).toBe(1);
    expect(v.out).toContain('out/orders.csv');
    expect(v.out).not.toContain('out/customers.csv');
  });

  it('records a panel: fit --entity --order, generate to one file', async () => {
    const rows = ['id,month,status'];
    for (let e = 1; e <= 80; e++)
      for (let m = 1; m <= 2 + (e % 3); m++) rows.push(`E${e},${m},${(e + m) % 4 === 0 ? 'late' : 'paid'}`);
    writeFileSync('long.csv', `${rows.join('\n')}\n`);
    const f = await run(['fit', 'long.csv', '--entity', 'id', '--order', 'month', '-o', 'panel.yaml']);
    expect(f.code, f.err).toBe(0);
    const g = await run(['generate', 'panel.yaml', '-n', '40', '-o', 'synth.csv', '--seed', '2']);
    expect(g.code, g.err).toBe(0);
    const all = entries();
    const [fit, gen] = all.slice(-2);
    expect(fit.inputs.map((i) => i.path)).toEqual(['long.csv']);
    expect(fit.result.tables).toMatchObject({ long: { sequence: { entity: 'id', order: 'month' } } });
    const synth = readFileSync('synth.csv', 'utf8').trim().split('\n');
    expect(synth[0]).toBe('id,month,status');
    expect(new Set(synth.slice(1).map((l) => l.split(',')[0])).size).toBe(40);
    expect(gen.outputs.map((o) => [o.role, o.path, o.sha256, o.rows])).toEqual([
      ['table:long', 'synth.csv', sha('synth.csv'), synth.length - 1],
    ]);
    const t = await run(['ledger', 'trace', 'synth.csv', '--json']);
    expect(JSON.parse(t.out).madeBy.inputs[0].madeBy.entry.seq).toBe(fit.seq);
  });
});
