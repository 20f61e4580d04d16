/**
 * The running service as a process: `strata serve` bound to a real port, reloaded with SIGHUP (a bad
 * model keeps the old set), stopped with SIGTERM while a stream is in flight (it finishes whole).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { keyRing } from './keys.js';
import { runServer } from './run.js';
import { KEY, SMALL_YAML } from './testing/app.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-serve-run-'));
const model = join(dir, 'small.yaml');
const ledger = join(dir, 'ledger.jsonl');
writeFileSync(model, SMALL_YAML);

function startCli(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; lines: string[]; url: Promise<string> } {
  const mainUrl = pathToFileURL(join(import.meta.dirname, '../cli/main.ts')).href;
  const script = `const { main } = await import(${JSON.stringify(mainUrl)}); process.exitCode = await main(${JSON.stringify(args)});`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: join(import.meta.dirname, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const url = new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      for (const l of d.split('\n').filter(Boolean)) {
        lines.push(l);
        const m = / on (http:\/\/\S+)/.exec(l);
        if (m) resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${lines.join('\n')}`)));
  });
  return { child, lines, url };
}

const until = async (cond: () => boolean, ms = 60_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('strata serve (a process)', () => {
  const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  const started = startCli(['serve', model, '--port', '0', '--host', '127.0.0.1', '--ledger', ledger], {
    STRATA_API_KEYS: KEY,
  });
  afterAll(() => {
    started.child.kill('SIGKILL');
  });

  it('reloads on SIGHUP, keeps the old models when a file is bad, drains a stream on SIGTERM, records start and reloads in the ledger', {
    timeout: 180_000,
  }, async () => {
    const url = await started.url;
    const models = async () =>
      (
        (await (await fetch(`${url}/v1/models`, { headers: auth })).json()) as {
          models: { version: number; model_hash: string }[];
        }
      ).models[0];
    const first = await models();
    expect(first.version).toBe(1);
    await until(() => started.lines.some((l) => l.includes('entry #0')));

    writeFileSync(model, SMALL_YAML.replace('lambda: 3', 'lambda: 4'));
    started.child.kill('SIGHUP');
    await until(() => started.lines.some((l) => l.includes('reloaded')));
    const second = await models();
    expect(second.version).toBe(2);
    expect(second.model_hash).not.toBe(first.model_hash);

    writeFileSync(model, SMALL_YAML.replace('poisson: { lambda: 3 }', 'poisson: { lambda: [3] }'));
    started.child.kill('SIGHUP');
    await until(() =>
      started.lines.some((l) => l.includes('reload failed, keeping the models loaded before')),
    );
    expect(await models()).toEqual(second);
    await until(() => started.lines.some((l) => l.includes('entry #2')));

    // A stream in flight when SIGTERM arrives finishes whole; then the process exits 0.
    const res = await fetch(`${url}/v1/models/small/sample`, {
      method: 'POST',
      headers: { ...auth, accept: 'text/csv' },
      body: JSON.stringify({ n: 300_000, seed: 1 }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first$ = await reader.read();
    started.child.kill('SIGTERM');
    let bytes = first$.value!.length;
    let text = new TextDecoder().decode(first$.value);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      if (text.length < 1e7) text += new TextDecoder().decode(value);
    }
    const exit = await new Promise<number | null>((r) => started.child.once('exit', r));
    expect(exit).toBe(0);
    expect(bytes).toBeGreaterThan(0);
    expect(text.split('\n').filter(Boolean).length).toBe(300_001);
    expect(started.lines.join('\n')).toMatch(/SIGTERM: draining requests in flight[\s\S]*stopped/);

    // The ledger: start, a reload that changed the model, a reload that failed; each with the
    // model file's hash as it was then, and never the API key.
    const text$ = readFileSync(ledger, 'utf8');
    expect(text$).not.toContain(KEY);
    const entries = text$
      .split('\n')
      .filter(Boolean)
      .map(
        (l) =>
          JSON.parse(l) as { command: string; inputs: { sha256: string }[]; result: Record<string, unknown> },
      );
    expect(entries.map((e) => e.command)).toEqual(['serve', 'serve reload', 'serve reload']);
    expect(entries[0].result.models).toEqual(['small']);
    expect(entries[1].result).toEqual({ ok: true, changed: ['small'] });
    expect(entries[2].result.ok).toBe(false);
    expect(entries[1].inputs[0].sha256).not.toBe(entries[0].inputs[0].sha256);
  });
});

describe('runServer', () => {
  it('refuses a public address without API keys, binds loopback with a warning', async () => {
    const log: string[] = [];
    await expect(
      runServer({
        files: [model],
        host: '0.0.0.0',
        port: 0,
        keys: keyRing(),
        signals: false,
        log: (l) => log.push(l),
      }),
    ).rejects.toThrow(StrataError);
    writeFileSync(model, SMALL_YAML);
    const s = await runServer({
      files: [model],
      port: 0,
      keys: keyRing(),
      signals: false,
      log: (l) => log.push(l),
    });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(log[0]).toMatch(/warning: no API keys .* loopback only/);
    const r = await fetch(`${s.url}/healthz`);
    expect(r.status).toBe(200);
    await s.close();
  });
});
