import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrataError } from '../../errors.js';
import { streamFor } from '../../random/stream.js';
import { runTextPipeline } from '../pipeline.js';
import { buildPlan } from '../plan.js';
import { PlanSpec } from '../plan-schema.js';
import { llmJudgeLabeller, verifySample } from '../verify.js';
import { createLimiter, retryAfterMs } from './http.js';
import { ollamaProvider } from './ollama.js';
import { openAiProvider } from './openai.js';
import { replayProvider, requestKey } from './replay.js';

type Mode = 'normal' | 'echo' | '429-then-ok' | '500-then-ok';

const WORDS =
  'card transfer balance pin account statement fee refund limit cash atm salary rent travel exchange euro dollar app password phone address branch loan savings overdraft interest'.split(
    ' ',
  );

/** A loopback server speaking OpenAI chat-completions; the mode is read from the model name. */
class FakeOpenAi {
  server!: Server;
  url = '';
  calls = 0;
  failuresLeft = new Map<string, number>();
  bodies: { model: string; n: number; seed: number; messages: { role: string; content: string }[] }[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const c of req) raw += c;
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    this.calls++;
    const body = JSON.parse(raw);
    this.bodies.push(body);
    const mode = body.model as Mode;
    if (mode === '429-then-ok' || mode === '500-then-ok') {
      const left = this.failuresLeft.get(mode) ?? 2;
      if (left > 0) {
        this.failuresLeft.set(mode, left - 1);
        if (mode === '429-then-ok')
          res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        else res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"error":"busy"}');
        return;
      }
    }
    const prompt = body.messages[body.messages.length - 1].content as string;
    if (body.model === 'judge') {
      // an "LLM judge": answers with a label, wrapped in noise the parser must cope with
      const msg = prompt.split('"""')[1] ?? '';
      const content = /lost|stolen/i.test(msg)
        ? 'lost_or_stolen_card'
        : /limit|top up/i.test(msg)
          ? 'Label: top_up_limits.'
          : 'no idea';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content } }] }));
      return;
    }
    const echo = mode === 'echo' && !prompt.includes('Avoid these patterns');
    const choices = Array.from({ length: body.n ?? 1 }, (_, i) => {
      let content: string;
      if (echo) content = `I would like to check my card balance please${i % 2 ? '.' : ''}`;
      else {
        const st = streamFor(body.seed ?? 0, 'fake', i);
        content = Array.from({ length: 9 }, () => WORDS[st.nextInt(WORDS.length)]).join(' ');
      }
      return { index: i, message: { role: 'assistant', content }, finish_reason: 'stop' };
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'x',
        object: 'chat.completion',
        choices,
        usage: { prompt_tokens: 10, completion_tokens: 9 * choices.length },
      }),
    );
  }
}

const fake = new FakeOpenAi();
beforeAll(() => fake.start());
afterAll(() => fake.stop());

const noSleep = async () => {};

describe('openai provider on a loopback server', () => {
  it('generates, counts tokens and cost', async () => {
    const p = openAiProvider({
      baseUrl: fake.url,
      model: 'normal',
      pricePer1kPrompt: 1,
      pricePer1kCompletion: 2,
    });
    const r = await p.generate({
      prompt: 'hi',
      system: 'be brief',
      cell: { intent: 'x' },
      n: 3,
      temperature: 0.5,
      seed: 4,
    });
    expect(r.texts).toHaveLength(3);
    expect(r.usage).toEqual({
      requests: 1,
      prompt_tokens: 10,
      completion_tokens: 27,
      cost_usd: 0.01 + 0.054,
    });
    const last = fake.bodies[fake.bodies.length - 1];
    expect(last.messages[0]).toEqual({ role: 'system', content: 'be brief' });
    expect(last.seed).toBe(4);
  });

  it('retries 429 honouring Retry-After, and 5xx with backoff', async () => {
    const delays: { status: number | null; delayMs: number }[] = [];
    const p = openAiProvider({
      baseUrl: fake.url,
      model: '429-then-ok',
      sleep: noSleep,
      onRetry: (i) => delays.push(i),
    });
    const r = await p.generate({ prompt: 'hi', cell: {}, n: 1, temperature: 0, seed: 1 });
    expect(r.texts).toHaveLength(1);
    expect(delays).toEqual([
      { attempt: 1, status: 429, delayMs: 1000 },
      { attempt: 2, status: 429, delayMs: 1000 },
    ]);
    const d2: { status: number | null; delayMs: number }[] = [];
    const p2 = openAiProvider({
      baseUrl: fake.url,
      model: '500-then-ok',
      sleep: noSleep,
      baseDelayMs: 100,
      onRetry: (i) => d2.push(i),
    });
    await p2.generate({ prompt: 'hi', cell: {}, n: 1, temperature: 0, seed: 1 });
    expect(d2.map((d) => d.status)).toEqual([503, 503]);
    expect(d2[0].delayMs).toBeGreaterThanOrEqual(50);
    expect(d2[0].delayMs).toBeLessThan(150);
    expect(d2[1].delayMs).toBeGreaterThanOrEqual(100); // exponential: 200 × [0.5, 1.5)
    expect(d2[1].delayMs).toBeLessThan(300);
  });

  it('gives up with an error that names the URL and the fix', async () => {
    const p = openAiProvider({
      baseUrl: 'http://127.0.0.1:1/v1',
      model: 'm',
      retries: 1,
      sleep: noSleep,
      timeoutMs: 2000,
    });
    await expect(p.generate({ prompt: 'x', cell: {}, n: 1, temperature: 0, seed: 1 })).rejects.toThrow(
      /127\.0\.0\.1:1.*failed after 2 attempts/,
    );
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs(null)).toBeNull();
  });

  it('echo: the detector fires, a refresh happens, and novelty recovers', async () => {
    const spec = PlanSpec.parse({
      name: 'echo',
      axes: { intent: ['balance'] },
      min_per_cell: 12,
      prompt: 'Write a customer message about {intent}.',
      provider: { type: 'openai', base_url: fake.url, model: 'echo' },
      generation: { batch: 6, max_batches: 10, temperature: 0.7 },
      echo: { novelty_threshold: 0.35, patience: 3 },
      dedup: { scope: 'cell', minhash_threshold: 0.8, embedding_threshold: 0.95 },
    });
    const provider = openAiProvider({ baseUrl: fake.url, model: 'echo' });
    const r = await runTextPipeline(buildPlan(spec), spec, provider);
    const first = r.batches[0];
    expect(first.novelty).toBeLessThan(0.35);
    expect(first.action).toBe('refresh');
    expect(first.repeated_openings).toBeGreaterThan(0.5);
    expect(first.acceptance_rate).toBeLessThan(0.5);
    const refresh = r.events.find((e) => e.type === 'refresh');
    expect(refresh?.detail).toMatch(/avoid \[i would like/);
    const after = r.batches.slice(1);
    expect(after.length).toBeGreaterThan(0);
    for (const b of after) {
      expect(b.refresh).toBe(1);
      expect(b.novelty).toBeGreaterThan(0.35);
    }
    expect(r.shortfall).toEqual([]);
    expect(r.records).toHaveLength(12);
    expect(r.records.filter((x) => x.provenance.refresh === 1).length).toBeGreaterThanOrEqual(10);
  });

  it('stops a cell whose novelty stays flat', async () => {
    const spec = PlanSpec.parse({
      name: 'flat',
      axes: { intent: ['balance'] },
      min_per_cell: 50,
      prompt: 'Write about {intent}.', // novelty threshold 0.99 cannot be met: refresh, then stop
      generation: { batch: 4, max_batches: 20, temperature: 0.7 },
      echo: { novelty_threshold: 0.99, patience: 2 },
    });
    const r = await runTextPipeline(
      buildPlan(spec),
      spec,
      openAiProvider({ baseUrl: fake.url, model: 'normal' }),
    );
    expect(r.events.map((e) => e.type)).toEqual(['refresh', 'stop', 'shortfall']);
    expect(r.batches).toHaveLength(2);
  });
});

describe('timeouts', () => {
  it('aborts a request that never answers and says so', async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const port = (hanging.address() as AddressInfo).port;
    const p = openAiProvider({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      model: 'm',
      retries: 1,
      timeoutMs: 100,
      sleep: noSleep,
    });
    await expect(p.generate({ prompt: 'x', cell: {}, n: 1, temperature: 0, seed: 1 })).rejects.toThrow(
      /failed after 2 attempts \(timeout after 100 ms\)/,
    );
    hanging.closeAllConnections();
    await new Promise<void>((r) => hanging.close(() => r()));
  });
});

describe('LLM judge labeller', () => {
  it('labels through the provider and drives verification', async () => {
    const judge = llmJudgeLabeller(openAiProvider({ baseUrl: fake.url, model: 'judge' }), [
      'lost_or_stolen_card',
      'top_up_limits',
    ]);
    expect(await judge.label('My card was stolen on the train')).toEqual({
      label: 'lost_or_stolen_card',
      score: 1,
    });
    expect(await judge.label('what is the top up limit')).toEqual({ label: 'top_up_limits', score: 0.5 });
    expect(await judge.label('hello')).toEqual({ label: null, score: 0 });
    expect(await verifySample('top_up_limits', 'I lost my card', judge, 'reroute')).toEqual({
      verdict: 'reroute',
      to: 'lost_or_stolen_card',
    });
    expect(await verifySample('top_up_limits', 'hello', judge, 'reroute')).toEqual({
      verdict: 'reject',
      found: null,
    });
    const last = fake.bodies[fake.bodies.length - 1];
    expect(last.messages[0].content).toContain('lost_or_stolen_card, top_up_limits');
  });
});

describe('concurrency limiter', () => {
  it('never runs more than the limit at once and runs everything', async () => {
    const limit = createLimiter(2);
    let active = 0;
    let most = 0;
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        limit(async () => {
          active++;
          most = Math.max(most, active);
          await new Promise((r) => setImmediate(r));
          active--;
          done.push(i);
        }),
      ),
    );
    expect(most).toBe(2);
    expect(done.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('replay cassette', () => {
  it('records once, replays twice identically without the network, and a miss names the hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-replay-'));
    const path = join(dir, 'cassette.jsonl');
    const spec = PlanSpec.parse({
      name: 'rep',
      axes: { intent: ['balance', 'fees'] },
      min_per_cell: 5,
      generation: { batch: 3, max_batches: 10, temperature: 0.7 },
    });
    const plan = buildPlan(spec);
    const inner = openAiProvider({ baseUrl: fake.url, model: 'normal' });
    const rec = replayProvider(path, 'record', inner);
    const recorded = await runTextPipeline(plan, spec, rec);
    await rec.save();
    expect(existsSync(path)).toBe(true);
    expect(rec.misses).toBeGreaterThan(0);
    const callsBefore = fake.calls;
    const outs = [];
    for (let k = 0; k < 2; k++) {
      const rp = replayProvider(path, 'replay', { name: 'openai', model: 'normal' });
      outs.push(await runTextPipeline(plan, spec, rp));
      expect(rp.misses).toBe(0);
    }
    expect(fake.calls).toBe(callsBefore);
    expect(outs[0].records).toEqual(outs[1].records);
    expect(outs[0].records).toEqual(recorded.records);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(rec.misses);
    const rp = replayProvider(path, 'replay', { name: 'openai', model: 'normal' });
    const req = { prompt: 'never recorded', cell: {}, n: 1, temperature: 0, seed: 1 };
    const key = requestKey('openai', 'normal', req);
    try {
      await rp.generate(req);
      expect.unreachable();
    } catch (e) {
      expect((e as StrataError).code).toBe('text.replay_miss');
      expect((e as StrataError).format()).toContain(key);
      expect((e as StrataError).format()).toContain('cassette.jsonl');
    }
  });
});

describe('ollama provider', () => {
  it('speaks /api/generate', async () => {
    const server = createServer(async (req, res) => {
      let raw = '';
      for await (const c of req) raw += c;
      const b = JSON.parse(raw);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          response: `echo ${b.prompt} ${b.options.seed}`,
          prompt_eval_count: 3,
          eval_count: 4,
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const p = ollamaProvider({ baseUrl: `http://127.0.0.1:${port}`, model: 'llama' });
    const r = await p.generate({ prompt: 'hi', cell: {}, n: 2, temperature: 0, seed: 7 });
    await new Promise<void>((res) => server.close(() => res()));
    expect(r.texts).toEqual(['echo hi 7', 'echo hi 8']);
    expect(r.usage).toMatchObject({ requests: 2, prompt_tokens: 6, completion_tokens: 8 });
  });
});
