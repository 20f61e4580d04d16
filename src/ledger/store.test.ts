/** Appends: the chain and head on disk, concurrent writers, and output files checked by verify. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hashFile } from './files.js';
import { appendEntry, readHead } from './store.js';
import { draftFor } from './testing/ledgers.js';
import { verifyLedger } from './verify.js';

const CHILD = fileURLToPath(new URL('./testing/append-child.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/esm/index.mjs', import.meta.url));

function runChild(ledger: string, who: number, count: number): Promise<number> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, ['--import', TSX, CHILD, ledger, String(who), String(count)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (d) => {
      err += d;
    });
    p.on('error', rej);
    p.on('close', (code) => (code === 0 ? res(code) : rej(new Error(`child ${who} exited ${code}: ${err}`))));
  });
}

describe('appendEntry', () => {
  it('chains entries on disk and keeps the head on the last', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-ledger-'));
    const ledger = join(dir, 'sub', 'ledger.jsonl');
    for (let i = 0; i < 5; i++) await appendEntry(ledger, draftFor(i));
    const r = await verifyLedger(ledger, { files: false });
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect((await readHead(ledger))?.hash).toBe(r.entries[4].hash);
  });

  it('refuses to append after the last line was cut off or entries were deleted from the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-ledger-'));
    const ledger = join(dir, 'ledger.jsonl');
    for (let i = 0; i < 3; i++) await appendEntry(ledger, draftFor(i));
    const text = readFileSync(ledger, 'utf8');
    writeFileSync(ledger, text.slice(0, -10));
    await expect(appendEntry(ledger, draftFor(3))).rejects.toThrow(/incomplete/);
    writeFileSync(ledger, `${text.split('\n').slice(0, 2).join('\n')}\n`);
    await expect(appendEntry(ledger, draftFor(3))).rejects.toThrow(/head records entry #2/);
  });

  it('20 processes appending at once lose and corrupt no entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-ledger-'));
    const ledger = join(dir, 'ledger.jsonl');
    const per = 3;
    await Promise.all(Array.from({ length: 20 }, (_, who) => runChild(ledger, who, per)));
    const r = await verifyLedger(ledger, { files: false });
    expect(r.problems).toEqual([]);
    expect(r.entries).toHaveLength(20 * per);
    const runs = new Set(r.entries.map((e) => e.run.slice(-6)));
    expect(runs.size).toBe(20 * per); // every writer's every entry, once
  }, 240_000);
});

describe('verifyLedger with files', () => {
  it('names an output whose bytes changed, and skips outputs a later run overwrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-ledger-'));
    const ledger = join(dir, '.strata', 'ledger.jsonl');
    const out = join(dir, 'out.csv');
    const record = async (i: number, text: string) => {
      writeFileSync(out, text);
      const h = await hashFile(out);
      await appendEntry(ledger, {
        ...draftFor(i),
        cwd: '..',
        outputs: [{ role: 'rows', path: 'out.csv', ...h }],
      });
    };
    await record(0, 'a,b\n1,2\n');
    await record(1, 'a,b\n3,4\n');
    let r = await verifyLedger(ledger);
    expect(r.ok).toBe(true);
    expect(r.files.map((f) => f.status)).toEqual(['superseded', 'ok']);
    writeFileSync(out, 'a,b\n3,5\n');
    r = await verifyLedger(ledger);
    expect(r.ok).toBe(false);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: 'output_changed', entry: 1 });
    expect(r.problems[0].message).toContain('out.csv');
  });
});
