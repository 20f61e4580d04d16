/**
 * The ledger on the command line: runs recorded in .strata/ by default, `ledger verify` exits 0
 * when intact and 1 when an output changed (naming it), `check-row` redraws one row, `trace` finds
 * the run, `runs list|diff` read the ledger through DuckDB, and a signed ledger fails under
 * another key.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_CUSTOMERS_YAML } from '../spec/examples.js';
import { runMain } from './testing/run-main.js';

const run = runMain;

describe('strata ledger / runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-ledger-cli-'));
  const cwd = process.cwd();
  beforeAll(() => {
    mkdirSync(join(dir, '.strata'));
    writeFileSync(join(dir, 'spec.yaml'), CARD_CUSTOMERS_YAML);
    process.chdir(dir);
  });
  afterAll(() => process.chdir(cwd));

  it('records runs in .strata/, verifies them, redraws a row, traces a file and diffs two runs', async () => {
    const a = await run([
      'generate',
      'spec.yaml',
      '-n',
      '3000',
      '--seed',
      '5',
      '-o',
      'a.csv',
      '--provenance',
    ]);
    expect(a.code, a.err).toBe(0);
    const b = await run([
      'generate',
      'spec.yaml',
      '-n',
      '3000',
      '--seed',
      '6',
      '-o',
      'b.csv',
      '--no-coverage',
    ]);
    expect(b.code, b.err).toBe(0);
    const lines = readFileSync('.strata/ledger.jsonl', 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);

    const v = await run(['ledger', 'verify']);
    expect(v.code, v.out).toBe(0);

    // A coverage run with provenance: the row names its block and row; only that block is redrawn.
    const header = readFileSync('a.csv', 'utf8').split('\n')[0].split(',');
    expect(header).toEqual(expect.arrayContaining(['_run_id', '_block', '_row']));
    for (const row of ['0', '2222', '2999']) {
      const c = await run(['ledger', 'check-row', '.strata/ledger.jsonl', 'a.csv', row, '--json']);
      expect(c.code, c.out + c.err).toBe(0);
      expect(JSON.parse(c.out).match).toBe(true);
    }
    // A plain run without provenance: the row's position gives its block.
    const c2 = await run(['ledger', 'check-row', '.strata/ledger.jsonl', 'b.csv', '2048', '--json']);
    expect(c2.code, c2.out + c2.err).toBe(0);

    const t = await run(['ledger', 'trace', 'b.csv', '--json']);
    expect(t.code).toBe(0);
    expect(JSON.parse(t.out).madeBy.entry.seq).toBe(1);

    const list = await run(['runs', 'list', '--json']);
    expect(list.code, list.err).toBe(0);
    expect(JSON.parse(list.out)).toHaveLength(2);
    const d = await run(['runs', 'diff', '#0', '#1', '--json']);
    expect(d.code, d.err).toBe(0);
    expect(JSON.stringify(JSON.parse(d.out).params)).toContain('seed');

    // Change one value in b.csv: check-row and verify both say so, and verify names the file.
    const text = readFileSync('b.csv', 'utf8').split('\n');
    const cells = text[2049].split(',');
    cells[cells.length - 1] = `${cells[cells.length - 1]}9`;
    text[2049] = cells.join(',');
    writeFileSync('b.csv', text.join('\n'));
    const c3 = await run(['ledger', 'check-row', '.strata/ledger.jsonl', 'b.csv', '2048', '--json']);
    expect(c3.code).toBe(1);
    const v2 = await run(['ledger', 'verify']);
    expect(v2.code).toBe(1);
    expect(v2.out).toContain('b.csv');
  });

  it('a signed ledger verifies under its key and fails under another', async () => {
    expect((await run(['ledger', 'keygen', '-o', 'k1.pem'])).code).toBe(0);
    expect((await run(['ledger', 'keygen', '-o', 'k2.pem'])).code).toBe(0);
    const g = await run([
      'generate',
      'spec.yaml',
      '-n',
      '200',
      '-o',
      's.csv',
      '--no-coverage',
      '--ledger',
      'signed.jsonl',
      '--sign-key',
      'k1.pem',
    ]);
    expect(g.code, g.err).toBe(0);
    // The key file's path is recorded (which key signed); the private key itself never is.
    const secret = readFileSync('k1.pem', 'utf8').split('\n')[1];
    expect(readFileSync('signed.jsonl', 'utf8')).not.toContain(secret);
    expect((await run(['ledger', 'verify', 'signed.jsonl', '--public-key', 'k1.pem.pub'])).code).toBe(0);
    const bad = await run(['ledger', 'verify', 'signed.jsonl', '--public-key', 'k2.pem.pub']);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/not by the expected key/);
  });
});
