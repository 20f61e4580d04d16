/**
 * Hostile providers on a loopback server (127.0.0.1, random port): one that stalls, one that echoes
 * the request's headers back, one that sends 100 MB, one that asks to wait an hour. Every case ends
 * in a clear StrataError, in bounded time, holding no secret, and reading a bounded number of bytes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrataError } from '../../errors.js';
import { createEndpoint } from './endpoint.js';
import { ollamaProvider } from './ollama.js';
import { openAiProvider } from './openai.js';
import { printableUrl } from './redact.js';

const KEY = 'sk-test-9f8e7d6c5b4a3210-SECRET';
const PASSWORD = 'p@ss:w0rd/SECRET';

interface Seen {
  url: string;
  authorization?: string;
}

/** What the server did with the last 100 MB request: bytes the socket accepted before it closed. */
const flood = { written: 0, closed: false };

class Hostile {
  server!: Server;
  base = '';
  seen: Seen[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _ of req); // drain the body
    this.seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const mode = (req.url ?? '').split('/')[1];
    const headers = JSON.stringify(req.headers);
    switch (mode) {
      case 'stall':
        return; // never answers
      case 'stall-body':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"choices": [');
        return; // headers and a first chunk, then nothing
      case 'echo-401':
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(`{"error": "bad key", "you_sent": ${headers}, "url": ${JSON.stringify(req.url)}}`);
        return;
      case 'echo-200':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { content: `headers were ${headers}` } }] }));
        return;
      case 'echo-ollama':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ response: `you sent ${headers} to ${req.url}` }));
        return;
      case 'flood':
      case 'flood-declared': {
        flood.written = 0;
        flood.closed = false;
        const declared = mode === 'flood-declared' ? { 'content-length': String(100e6) } : {};
        res.writeHead(200, { 'content-type': 'application/json', ...declared });
        let wake = () => {};
        res.on('close', () => {
          flood.closed = true;
          wake();
        });
        const chunk = Buffer.alloc(1 << 20, 0x20); // 1 MiB of spaces (valid JSON whitespace)
        while (flood.written < 100e6 && !res.destroyed) {
          flood.written += chunk.length;
          if (!res.write(chunk))
            await new Promise<void>((r) => {
              wake = r;
              res.once('drain', r);
            });
        }
        if (!res.destroyed) res.end('{}');
        return;
      }
      case 'wait-an-hour':
        res.writeHead(429, { 'retry-after': '3600', 'content-type': 'application/json' });
        res.end('{"error": "slow down"}');
        return;
      case 'wait-a-second':
        res.writeHead(503, { 'retry-after': '1' });
        res.end();
        return;
      default:
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { content: 'fine' } }], usage: {} }));
    }
  }
}

const server = new Hostile();
beforeAll(() => server.start());
afterAll(() => server.stop());

const req = { prompt: 'hi', cell: {}, n: 1, temperature: 0, seed: 1 };

async function failure(p: Promise<unknown>): Promise<StrataError> {
  try {
    await p;
  } catch (e) {
    return e as StrataError;
  }
  throw new Error('expected a failure');
}

describe('a provider that stalls', () => {
  it('is abandoned after timeout_ms per attempt, headers or body', async () => {
    for (const mode of ['stall', 'stall-body']) {
      const t0 = performance.now();
      const p = openAiProvider({
        baseUrl: `${server.base}/${mode}`,
        model: 'm',
        timeoutMs: 300,
        retries: 1,
        baseDelayMs: 10,
      });
      const e = await failure(p.generate(req));
      const ms = performance.now() - t0;
      expect(e.code).toBe('text.provider_unavailable');
      expect(e.message).toMatch(/failed after 2 attempts \(timeout after 300 ms\)/);
      expect(ms).toBeGreaterThanOrEqual(550);
      expect(ms).toBeLessThan(3000);
    }
  });
});

describe('a provider that echoes the request headers', () => {
  it('never gets the API key into an error message', async () => {
    const p = openAiProvider({ baseUrl: `${server.base}/echo-401/v1`, model: 'm', apiKey: KEY, retries: 0 });
    const e = await failure(p.generate(req));
    expect(e.code).toBe('text.provider_http');
    expect(server.seen.at(-1)?.authorization).toBe(`Bearer ${KEY}`); // it was sent...
    const shown = `${e.format()} ${e.message} ${e.hint}`;
    expect(shown).toContain('"authorization":"Bearer ***"'); // ...and echoed, but not shown
    expect(shown).not.toContain(KEY);
    expect(shown).not.toContain('SECRET');
  });

  it('never gets the API key into generated texts', async () => {
    const p = openAiProvider({ baseUrl: `${server.base}/echo-200/v1`, model: 'm', apiKey: KEY });
    const r = await p.generate(req);
    expect(r.texts[0]).toContain('Bearer ***');
    expect(r.texts.join(' ')).not.toContain(KEY);
  });

  it('sends base_url credentials as a Basic header and never shows them', async () => {
    const u = new URL(`${server.base}/echo-401/v1`);
    u.username = 'alice';
    u.password = encodeURIComponent(PASSWORD);
    const p = openAiProvider({ baseUrl: u.toString(), model: 'm', retries: 0 });
    const e = await failure(p.generate(req));
    const sent = server.seen.at(-1)!;
    expect(sent.authorization).toBe(`Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`);
    expect(e.code).toBe('text.provider_http'); // fetch accepted the request: no credentials in its URL
    const shown = `${e.format()} ${e.hint}`;
    expect(shown).toContain(`${server.base}/echo-401/v1/chat/completions answered HTTP 401`);
    expect(shown).toContain('"authorization":"Basic ***"');
    for (const secret of [
      PASSWORD,
      encodeURIComponent(PASSWORD),
      'alice:',
      Buffer.from(`alice:${PASSWORD}`).toString('base64'),
    ])
      expect(shown).not.toContain(secret);
  });

  it('keeps a query-string key in the query, and masks it everywhere', async () => {
    const p = openAiProvider({
      baseUrl: `${server.base}/echo-401/openai/deployments/d?api-version=2024-06-01&api-key=${KEY}`,
      model: 'm',
      retries: 0,
    });
    const e = await failure(p.generate(req));
    expect(server.seen.at(-1)?.url).toBe(
      `/echo-401/openai/deployments/d/chat/completions?api-version=2024-06-01&api-key=${KEY}`,
    );
    const shown = e.format();
    expect(shown).toContain('/openai/deployments/d/chat/completions?api-version=2024-06-01&api-key=***');
    expect(shown).not.toContain(KEY);
  });

  it('redacts what an Ollama server echoes too', async () => {
    const u = new URL(`${server.base}/echo-ollama`);
    u.username = 'bob';
    u.password = 'hunter2hunter2';
    const r = await ollamaProvider({ baseUrl: u.toString(), model: 'm' }).generate(req);
    expect(r.texts[0]).toContain('"authorization":"Basic ***"');
    expect(r.texts[0]).not.toContain('hunter2');
  });

  it('a URL that cannot be parsed is refused without printing its secrets', () => {
    expect(() => createEndpoint(`http://alice:${PASSWORD}@[bad/v1?key=${KEY}`, '/x')).toThrow(/not a URL/);
    try {
      createEndpoint(`http://alice:${PASSWORD}@[bad/v1?key=${KEY}`, '/x');
    } catch (e) {
      expect((e as StrataError).format()).not.toMatch(/SECRET/);
    }
    expect(printableUrl(`https://u:${PASSWORD}@h/v1?token=${KEY}&v=2`)).toBe(
      'https://***@h/v1?token=***&v=2',
    );
  });
});

describe('a provider that sends 100 MB', () => {
  it('is cut off at max_response_bytes: a clear error, a bounded read, bounded time', async () => {
    const t0 = performance.now();
    const p = openAiProvider({ baseUrl: `${server.base}/flood`, model: 'm', maxResponseBytes: 2_000_000 });
    const e = await failure(p.generate(req));
    expect(e.code).toBe('text.provider_too_large');
    expect(e.message).toMatch(
      /sent more than max_response_bytes = 2000000 bytes in one response; stopped reading/,
    );
    // the client cancelled the stream: the server could push little more than the cap plus socket buffers
    for (let i = 0; i < 50 && !flood.closed; i++) await new Promise((r) => setTimeout(r, 20));
    expect(flood.closed).toBe(true);
    expect(flood.written).toBeLessThan(40e6);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('a declared Content-Length over the cap is refused before the body is read', async () => {
    const p = openAiProvider({ baseUrl: `${server.base}/flood-declared`, model: 'm' }); // default cap: 10 MB
    const e = await failure(p.generate(req));
    expect(e.code).toBe('text.provider_too_large');
    expect(e.message).toContain('max_response_bytes = 10000000');
  });
});

describe('a provider that asks to wait an hour', () => {
  it('fails at once with the wait it asked for and the setting that bounds it', async () => {
    const slept: number[] = [];
    const t0 = performance.now();
    const p = openAiProvider({ baseUrl: `${server.base}/wait-an-hour`, model: 'm', retries: 4 });
    const e = await failure(p.generate(req));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(slept).toEqual([]);
    expect(e.code).toBe('text.provider_retry_after');
    expect(e.format()).toMatch(
      /asked to wait 3600 s before retrying \(Retry-After: 3600\), more than max_retry_wait_s = 60 — run again later .*raise provider\.max_retry_wait_s/,
    );
  });

  it('a wait within max_retry_wait_s is obeyed; a lower max_retry_wait_s refuses it', async () => {
    const delays: number[] = [];
    const p = openAiProvider({
      baseUrl: `${server.base}/wait-a-second`,
      model: 'm',
      retries: 1,
      sleep: async () => {},
      onRetry: (i) => delays.push(i.delayMs),
    });
    expect((await failure(p.generate(req))).code).toBe('text.provider_unavailable');
    expect(delays).toEqual([1000]);
    const strict = openAiProvider({
      baseUrl: `${server.base}/wait-a-second`,
      model: 'm',
      maxRetryWaitS: 0.5,
    });
    expect((await failure(strict.generate(req))).code).toBe('text.provider_retry_after');
  });
});
