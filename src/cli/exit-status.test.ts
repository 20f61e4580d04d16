import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

/** Run the CLI in-process: exit status and what it wrote to stderr. */
async function strata(args: string[]): Promise<{ status: number; stderr: string }> {
  let stderr = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { status: await main(args), stderr };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

afterEach(() => {
  process.exitCode = undefined;
});

const dir = mkdtempSync(join(tmpdir(), 'strata-cli-main-'));
const spec = join(dir, 's.yaml');
writeFileSync(
  spec,
  'strata: 1\ntables:\n  t:\n    rows: 5\n    columns:\n      x: { type: integer, dist: { uniform: { min: 0, max: 9 } } }\n',
);

describe('exit status from the error-code catalogue', () => {
  it('a bad seed is seed.invalid (exit 2) for every command, including "" (once read as seed 0)', async () => {
    for (const args of [
      ['generate', spec, '-o', join(dir, 'o.csv'), '--seed', ''],
      ['generate', spec, '-o', join(dir, 'o.csv'), '--seed', '1.5'],
      ['evaluate', '--real', spec, '--synthetic', spec, '--seed', '1e300'],
      ['text', 'generate', join(dir, 'p.yaml'), '-o', join(dir, 't.jsonl'), '--seed', 'x'],
      // text augment, prove and redteam once had a parser of their own (0..2^53, cli.option)
      [
        'text',
        'augment',
        spec,
        '-o',
        join(dir, 'a.jsonl'),
        '--text-field',
        't',
        '--label-field',
        'l',
        '--per-label',
        '2',
        '--seed',
        '1.5',
      ],
      ['text', 'prove', '--real', spec, '--test', spec, '--synthetic', spec, '--seed', 'x'],
      ['text', 'redteam', '-o', join(dir, 'r.jsonl'), '--seed', ''],
    ]) {
      const r = await strata(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        /--seed "[^"]*" is not a whole number from -9007199254740991 to 9007199254740991/,
      );
    }
  });

  it('an environment failure (the provider cannot be reached) exits 1, not 2', async () => {
    const plan = join(dir, 'ollama.yaml');
    writeFileSync(
      plan,
      `axes: { intent: [a] }\nprovider: { type: ollama, base_url: "http://127.0.0.1:${await closedPort()}", model: m, retries: 0, timeout_ms: 5000 }\n`,
    );
    const r = await strata(['text', 'generate', plan, '-o', join(dir, 'x.jsonl')]);
    expect(r.stderr).toMatch(/failed after 1 attempts/);
    expect(r.status).toBe(1);
  });

  it('bad input still exits 2', async () => {
    const r = await strata(['generate', join(dir, 'missing.yaml'), '-o', join(dir, 'o.csv')]);
    expect(r.stderr).toMatch(/spec file not found/);
    expect(r.status).toBe(2);
  });
});
