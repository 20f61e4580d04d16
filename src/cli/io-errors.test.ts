// Issue 13 item 4: broken files end in a clear message with the place, exit 2 (bad input) or 1
// (environment), no stack trace and no output file.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

afterEach(() => {
  process.exitCode = undefined;
});

async function run(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    stderr += String(c);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    stdout += String(c);
    return true;
  });
  try {
    const code = await main(args);
    return { code, stderr, stdout };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'strata-cli-io-'));

describe('broken inputs on the command line', () => {
  it('fitting an empty JSON lines file: exit 2, the file named, no model written', async () => {
    const data = join(dir, 'empty.jsonl');
    writeFileSync(data, '');
    const model = join(dir, 'empty.yaml');
    const r = await run(['fit', data, '-o', model]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^strata: ${data}: the data has no columns`));
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(model)).toBe(false);
  });

  it('generating from a table without columns (such a model, written by hand): exit 2, no output', async () => {
    const spec = join(dir, 'nocols.yaml');
    writeFileSync(spec, 'strata: 1\ntables:\n  t:\n    rows: 5\n    columns: {}\n');
    const out = join(dir, 'nocols.csv');
    const r = await run(['generate', spec, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tables\.t\.columns: table "t" has no columns/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(existsSync(out)).toBe(false);
  });

  it('a Parquet file damaged in its data: exit 2 naming it, for fit and evaluate', async () => {
    const spec = join(dir, 'ok.yaml');
    writeFileSync(
      spec,
      'strata: 1\ntables:\n  t:\n    rows: 40000\n    columns:\n      x: { type: number, dist: { normal: { mean: 0, sd: 1 } } }\n      s: { type: string, faker: person.lastName }\n',
    );
    const pq = join(dir, 'damaged.parquet');
    expect((await run(['generate', spec, '-o', pq])).code).toBe(0);
    const bytes = readFileSync(pq);
    for (let k = 100; k < bytes.length - 2000; k += 89) bytes[k] ^= 0xff;
    writeFileSync(pq, bytes);
    const fit = await run(['fit', pq, '-o', join(dir, 'd.yaml')]);
    expect(fit.code).toBe(2);
    expect(fit.stderr).toMatch(new RegExp(`^strata: ${pq}: cannot read as Parquet`));
    expect(fit.stderr).not.toMatch(/internal error|\n\s+at /);
    const ev = await run(['evaluate', '--real', pq, '--synthetic', pq]);
    expect(ev.code).toBe(2);
    expect(ev.stderr).toMatch(/cannot read as Parquet/);
  });

  it('fit prints its notice about a kept None on stderr, and --na-values None says otherwise', async () => {
    const data = join(dir, 'claims.csv');
    const rows = Array.from({ length: 100 }, (_, i) => (i % 10 ? 'None' : 'Minor'));
    writeFileSync(data, `damage\n${rows.join('\n')}\n`);
    const r = await run(['fit', data, '-o', join(dir, 'claims.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^strata: notice: column "damage": "None" \(90 rows of 100\)/);
    const said = await run(['fit', data, '-o', join(dir, 'claims2.yaml'), '--na-values', 'None']);
    expect(said.stderr).toBe('');
    expect(readFileSync(join(dir, 'claims2.yaml'), 'utf8')).toMatch(/na_values: \[None\]/);
  });
});
