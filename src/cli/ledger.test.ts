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

describe('strata ledger check-row on a CSV without a header (generate --no-header)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-ledger-noheader-'));
  const cwd = process.cwd();
  beforeAll(() => {
    mkdirSync(join(dir, '.strata'));
    writeFileSync(join(dir, 'spec.yaml'), CARD_CUSTOMERS_YAML);
    process.chdir(dir);
  });
  afterAll(() => process.chdir(cwd));

  const checkRow = (...args: string[]) =>
    run(['ledger', 'check-row', '.strata/ledger.jsonl', ...args, '--json']);

  it('redraws rows of a headerless file: the run recorded it, or --no-header says so', async () => {
    const g = await run([
      'generate',
      'spec.yaml',
      '-n',
      '3000',
      '--seed',
      '7',
      '--no-coverage',
      '--no-header',
      '-o',
      'c.csv',
    ]);
    expect(g.code, g.err).toBe(0);
    const first = readFileSync('c.csv', 'utf8').split('\n')[0];
    expect(first).not.toMatch(/segment/); // no header line
    for (const row of ['0', '2048', '2999']) {
      const c = await checkRow('c.csv', row);
      expect(c.code, c.out + c.err).toBe(0);
      const r = JSON.parse(c.out);
      expect(r.match).toBe(true);
      expect(Object.keys(r.file)).toContain('segment');
      const again = await checkRow('c.csv', row, '--no-header');
      expect(again.code, again.out + again.err).toBe(0);
    }
    // Row 0 is the first line: the header does not swallow it.
    expect(JSON.parse((await checkRow('c.csv', '0')).out).file.segment).toBe(first.split(',')[0]);
    // A changed value is found and named.
    const lines = readFileSync('c.csv', 'utf8').split('\n');
    const cells = lines[5].split(',');
    cells[1] = String(Number(cells[1]) + 1);
    lines[5] = cells.join(',');
    writeFileSync('c.csv', lines.join('\n'));
    const bad = await checkRow('c.csv', '5');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).differ).toEqual(['age']);
  });

  it('a headerless coverage run with provenance: the row names its block and row', async () => {
    const g = await run([
      'generate',
      'spec.yaml',
      '-n',
      '3000',
      '--seed',
      '8',
      '--provenance',
      '--no-header',
      '-o',
      'd.csv',
    ]);
    expect(g.code, g.err).toBe(0);
    for (const row of ['0', '2222', '2999']) {
      const c = await checkRow('d.csv', row);
      expect(c.code, c.out + c.err).toBe(0);
      expect(JSON.parse(c.out).match).toBe(true);
    }
  });

  it('--no-header reads a headerless file whose run did not record it (a ledger from before)', async () => {
    const g = await run([
      'generate',
      'spec.yaml',
      '-n',
      '500',
      '--seed',
      '9',
      '--no-coverage',
      '--no-header',
      '-o',
      'e.csv',
      '--ledger',
      'old.jsonl',
    ]);
    expect(g.code, g.err).toBe(0);
    const old = readFileSync('old.jsonl', 'utf8');
    expect(old).toContain('"header":false');
    writeFileSync('old.jsonl', old.replace('"header":false,', ''));
    const guessed = await run(['ledger', 'check-row', 'old.jsonl', 'e.csv', '3', '--json']);
    expect(guessed.code).toBe(1); // the first row was taken for a header
    const told = await run(['ledger', 'check-row', 'old.jsonl', 'e.csv', '3', '--no-header', '--json']);
    expect(told.code, told.out + told.err).toBe(0);
    expect(JSON.parse(told.out).match).toBe(true);
  });
});
