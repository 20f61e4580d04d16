/**
 * `strata text` end to end against hostile input: a provider that echoes the request's headers,
 * an unset api_key_env, and audit gates. Exit codes, stdout, stderr and every file written are
 * checked for the secret and for stack traces.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './testing/run-main.js';

const KEY = 'sk-live-0123456789abcdef-SECRET';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runMain(args);
  return { code: r.code, stdout: r.out, stderr: r.err };
}

/** Every byte written under `dir`, as text. */
const everything = (dir: string) =>
  readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer(async (req, res) => {
    for await (const _ of req);
    const headers = JSON.stringify(req.headers);
    if (req.url?.startsWith('/deny')) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(`{"error":"no","saw":${headers}}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    const choices = [1, 2].map((i) => ({ message: { content: `reply ${i} to a request with ${headers}` } }));
    res.end(JSON.stringify({ choices }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  delete process.env.STRATA_TEST_KEY;
});

function plan(dir: string, path: string, keyEnv: string): string {
  const p = join(dir, 'plan.yaml');
  writeFileSync(
    p,
    [
      'axes: { intent: [a, b] }',
      'min_per_cell: 2',
      `provider: { type: openai, base_url: "${base}${path}", model: m, api_key_env: ${keyEnv}, retries: 0 }`,
      'generation: { batch: 2, max_batches: 2 }',
      'dedup: { minhash_threshold: null, embedding_threshold: null }',
      'echo: { novelty_threshold: 0, patience: 5 }',
    ].join('\n'),
  );
  return p;
}

describe('strata text generate with a provider that echoes headers', () => {
  it('writes outputs, cassette and log without the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-echo-'));
    process.env.STRATA_TEST_KEY = KEY;
    const r = await cli([
      'text',
      'generate',
      plan(dir, '/v1', 'STRATA_TEST_KEY'),
      '-o',
      join(dir, 'out.jsonl'),
      '--log',
      join(dir, 'log.jsonl'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^4 texts/);
    expect(r.stdout).toMatch(/cassette .*out\.cassette\.jsonl: 0 answers replayed, 2 new/);
    const files = everything(dir);
    expect(files).toContain('Bearer ***'); // the echo reached the outputs, redacted
    expect(`${files}${r.stdout}${r.stderr}`).not.toContain(KEY);
  });

  it('fails with exit 2, a one-line message and no key when the server refuses and echoes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-echo-'));
    process.env.STRATA_TEST_KEY = KEY;
    const out = join(dir, 'out.jsonl');
    const r = await cli(['text', 'generate', plan(dir, '/deny/v1', 'STRATA_TEST_KEY'), '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^strata: .*\/deny\/v1\/chat\/completions answered HTTP 401/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(`${r.stdout}${r.stderr}${everything(dir)}`).not.toContain(KEY);
    expect(existsSync(out)).toBe(false);
  });

  it('warns on stderr when api_key_env names an unset variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-echo-'));
    const r = await cli([
      'text',
      'generate',
      plan(dir, '/v1', 'STRATA_TEST_KEY'),
      '-o',
      join(dir, 'o.jsonl'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^strata: warning: provider\.api_key_env names STRATA_TEST_KEY, which is not set: requests go without an API key/,
    );
  });

  it('prints a deprecation notice for an old plan key, and still runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-echo-'));
    const p = join(dir, 'old.yaml');
    writeFileSync(p, 'axes: { intent: [a, b] }\nquota: 2\n');
    const r = await cli(['text', 'plan', p]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 cells \(full\), 4 samples/);
    expect(r.stderr).toMatch(/^strata: warning: .*old\.yaml:2: "quota" is deprecated .*"min_per_cell"/);
  });
});

describe('strata text audit --gate', () => {
  it('exits 1 listing each failed key, 0 when all pass, 2 for an unknown key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-gate-'));
    const example = resolve('examples/text/banking77.plan.yaml');
    const gen = join(dir, 'gen.jsonl');
    expect((await cli(['text', 'generate', example, '-o', gen])).code).toBe(0);
    const real = join(dir, 'real.csv');
    const recs = readFileSync(gen, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    writeFileSync(
      real,
      `text,category\n${recs
        .slice(0, 40)
        .map((x) => `"${x.text.replace(/"/g, '""')} thanks",${x.cell.intent}`)
        .join('\n')}\n`,
    );
    const audit = (gate: string) =>
      cli([
        'text',
        'audit',
        '--real',
        real,
        '--synthetic',
        gen,
        '--text-field',
        'text',
        '--plan',
        example,
        '--no-downstream',
        '--json',
        join(dir, 'a.json'),
        '--gate',
        gate,
      ]);
    const failing = join(dir, 'fail.yaml');
    writeFileSync(failing, 'cells_filled: { min: 31 }\ndistinct_2: { min: 0.99 }\nvendi: { min: 1 }\n');
    const f = await audit(failing);
    expect(f.code).toBe(1);
    expect(f.stdout).toMatch(
      /gate failures \(.*fail\.yaml\):\n- cells_filled = 30\.0000 is below the minimum 31\n- distinct_2 = 0\.\d+ is below the minimum 0\.99\n$/,
    );
    expect(
      JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')).gate.failures.map((x: { key: string }) => x.key),
    ).toEqual(['cells_filled', 'distinct_2']);

    const passing = join(dir, 'pass.yaml');
    writeFileSync(passing, 'cells_filled: { min: 30 }\nnear_duplicate_share: { max: 0.5 }\n');
    const p = await audit(passing);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/all gates in .*pass\.yaml pass/);

    const typo = join(dir, 'typo.yaml');
    writeFileSync(typo, 'cells_filed: { min: 30 }\n');
    const t = await audit(typo);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/unknown gate key "cells_filed" — did you mean "cells_filled"\?/);
  });
});
