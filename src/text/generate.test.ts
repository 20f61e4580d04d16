/**
 * `text generate` against a paid (network) provider: a failing request leaves the previous output
 * untouched, every answer received is kept in a cassette beside the output, and a re-run pays only
 * for what is missing.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrataError } from '../errors.js';
import { streamFor } from '../random/stream.js';
import { defaultCassettePath, generateFromPlan } from './generate.js';

const WORDS = 'card pin limit refund fee transfer cash app account phone travel salary loan rent'.split(' ');

/** An OpenAI-compatible server that counts the answers it gives and can start refusing. */
const state = { answered: 0, refuseAfter: Number.POSITIVE_INFINITY };
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    if (state.answered >= state.refuseAfter) {
      res.writeHead(429, { 'retry-after': '3600' }).end('{"error":"quota exceeded"}');
      return;
    }
    state.answered++;
    const body = JSON.parse(raw);
    const choices = Array.from({ length: body.n }, (_, i) => {
      const st = streamFor(body.seed, 'fake', i);
      return {
        message: { content: Array.from({ length: 8 }, () => WORDS[st.nextInt(WORDS.length)]).join(' ') },
      };
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ choices, usage: { prompt_tokens: 10, completion_tokens: 20 } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function planFile(dir: string): string {
  const p = join(dir, 'plan.yaml');
  writeFileSync(
    p,
    [
      'name: paid',
      'axes: { intent: [lost_card, fees, pin, refund] }',
      'min_per_cell: 3',
      `provider: { type: openai, base_url: "${base}", model: m, retries: 0 }`,
      'generation: { batch: 3, max_batches: 5 }',
      'echo: { novelty_threshold: 0, patience: 5 }',
    ].join('\n'),
  );
  return p;
}

const lines = (p: string) => readFileSync(p, 'utf8').trim().split('\n');

describe('text generate with a paid provider', () => {
  it('keeps a good output when a later request fails, keeps what was paid, and a re-run pays only the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-paid-'));
    const plan = planFile(dir);
    const out = join(dir, 'out.jsonl');
    const cassette = defaultCassettePath(out);
    expect(cassette).toBe(join(dir, 'out.cassette.jsonl'));

    state.refuseAfter = Number.POSITIVE_INFINITY;
    const first = await generateFromPlan(plan, out, { seed: 1 });
    expect(first.records).toHaveLength(12);
    expect(first.cassette).toEqual({ path: cassette, replayed: 0, recorded: 4 });
    const good = readFileSync(out, 'utf8');
    expect(lines(cassette)).toHaveLength(4);

    // Another seed: new requests. The server answers two, then asks to wait an hour.
    state.answered = 0;
    state.refuseAfter = 2;
    let err: StrataError | undefined;
    try {
      await generateFromPlan(plan, out, { seed: 2 });
    } catch (e) {
      err = e as StrataError;
    }
    expect(err?.code).toBe('text.provider_retry_after');
    expect(err?.format()).toMatch(
      /nothing was written to .*out\.jsonl; 2 answers are kept in .*out\.cassette\.jsonl and a re-run asks only for the rest/,
    );
    expect(readFileSync(out, 'utf8')).toBe(good); // the good output is untouched
    expect(lines(cassette)).toHaveLength(6); // ... and the two paid answers are on disk

    // A crash mid-append leaves half a line: it is dropped, not an error.
    appendFileSync(cassette, '{"key":"half a li');
    state.answered = 0;
    state.refuseAfter = Number.POSITIVE_INFINITY;
    const again = await generateFromPlan(plan, out, { seed: 2 });
    expect(state.answered).toBe(2); // only the two requests never answered
    expect(again.cassette).toEqual({ path: cassette, replayed: 2, recorded: 2 });
    expect(again.usage.requests).toBe(2);
    for (const l of lines(cassette)) expect(() => JSON.parse(l)).not.toThrow();
    expect(lines(cassette)).toHaveLength(8);

    // The re-run's output is what one uninterrupted run gives.
    const fresh = join(dir, 'fresh.jsonl');
    await generateFromPlan(plan, fresh, { seed: 2, cassette: false });
    expect(existsSync(defaultCassettePath(fresh))).toBe(false);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(fresh, 'utf8'));
  });

  it('checks the output path before paying for anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-paid-'));
    state.answered = 0;
    await expect(generateFromPlan(planFile(dir), join(dir, 'missing-dir', 'o.jsonl'))).rejects.toMatchObject({
      code: 'io.output_dir',
    });
    expect(state.answered).toBe(0);
  });
});
