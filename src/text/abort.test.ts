import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import { generateFromPlan } from './generate.js';
import { createEndpoint } from './providers/endpoint.js';
import { postJson } from './providers/http.js';

const example = resolve('examples/text/banking77.plan.yaml');

/** A signal that reads as aborted from its (k+1)-th look on. */
function abortedAfter(k: number): AbortSignal {
  let looks = 0;
  return {
    get aborted() {
      looks++;
      return looks > k;
    },
    reason: undefined,
    addEventListener() {},
    removeEventListener() {},
  } as unknown as AbortSignal;
}

describe('cancelling text generation', () => {
  it('generateFromPlan rejects with run.aborted mid-run and writes no output, rejections or log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-text-abort-'));
    const out = join(dir, 'out.jsonl');
    await expect(
      generateFromPlan(example, out, {
        rejectionsPath: join(dir, 'rej.jsonl'),
        logPath: join(dir, 'log.jsonl'),
        signal: abortedAfter(20),
      }),
    ).rejects.toMatchObject({ code: 'run.aborted' });
    expect(readdirSync(dir)).toEqual([]);
    // and without an abort the same call writes the file
    await generateFromPlan(example, out, { signal: new AbortController().signal });
    expect(existsSync(out)).toBe(true);
  });

  it('cancels a provider request in flight (the server never answers) instead of waiting for its timeout', async () => {
    const server = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    try {
      await expect(
        postJson(
          createEndpoint(url, ''),
          {},
          { retries: 3, timeoutMs: 600_000, baseDelayMs: 1, maxDelayMs: 1, jitter: streamFor(1, 'j') },
          ctrl.signal,
        ),
      ).rejects.toMatchObject({ code: 'run.aborted' });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('cancels the wait between retries', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(503, { 'retry-after': '30' }).end('busy'); // under max_retry_wait_s: it waits
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 200);
    try {
      await expect(
        postJson(
          createEndpoint(url, ''),
          {},
          { retries: 2, timeoutMs: 10_000, baseDelayMs: 1, maxDelayMs: 1, jitter: streamFor(1, 'j') },
          ctrl.signal,
        ),
      ).rejects.toMatchObject({ code: 'run.aborted' });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
