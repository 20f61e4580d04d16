/**
 * Test helpers of text augment (not in the published build): a small labelled intent set written
 * for the tests (not from any data set) — three well-populated intents and one rare one with five
 * examples — and a deterministic fake OpenAI-compatible chat-completions server on the loopback
 * interface for the LLM path (recording a cassette, then replaying it). The fake is not a model:
 * `answer` decides the reply from the label named in the prompt ("intent is "…"") and the request
 * seed. Request bodies are capped at 1 MB and it answers at most `maxRequests` requests, then
 * 503s; `close()` stops it. The benchmark uses it too.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
export interface FixtureRow {
  id: string;
  text: string;
  label: string;
}

const RAW: Record<string, string[]> = {
  card_lost: [
    'I lost my card yesterday',
    'my card was stolen on the bus',
    'I cannot find my card anywhere',
    'someone took my card from my bag',
    'please block my card because I lost it',
    'my wallet with my card is gone',
    'I think I left my card at the shop',
    'help, my card has been stolen',
  ],
  top_up: [
    'how do I top up my account',
    'can I add money with a transfer',
    'my top up did not arrive',
    'why is my top up still pending',
    'I want to add money to my account',
    'what is the limit for a top up',
    'how long does a top up take',
    'can I top up with cash',
  ],
  exchange_rate: [
    'what exchange rate do you use',
    'why was the exchange rate so bad',
    'is the exchange rate fixed on weekends',
    'how do you calculate the exchange rate',
    'the rate you gave me was wrong',
    'which rate applies when I pay abroad',
    'do you charge extra for the exchange',
    'where can I see the current rate',
  ],
  pin_blocked: [
    'my pin is blocked',
    'I typed the wrong pin three times and now it is blocked',
    'how can I unblock my pin',
    'the machine says my pin is locked',
    'I need to reset my blocked pin',
  ],
};

export function fixtureRows(): FixtureRow[] {
  const out: FixtureRow[] = [];
  for (const [label, texts] of Object.entries(RAW))
    texts.forEach((text, i) => {
      out.push({ id: `${label}-${i}`, text, label });
    });
  return out;
}

export interface FakeLlm {
  baseUrl: string;
  requests: number;
  close(): Promise<void>;
}

export type FakeAnswer = (label: string, seed: number, prompt: string) => string;

const MAX_BODY = 1 << 20;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      parts.push(b);
    });
    req.on('end', () => resolveBody(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeLlm(answer: FakeAnswer, maxRequests = 10_000): Promise<FakeLlm> {
  const state = { requests: 0 };
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions') || state.requests >= maxRequests) {
        res.writeHead(req.method === 'POST' ? 503 : 404).end();
        return;
      }
      state.requests++;
      const body = JSON.parse(await readBody(req)) as {
        messages?: { role: string; content: string }[];
        n?: number;
        seed?: number;
      };
      const prompt = body.messages?.find((m) => m.role === 'user')?.content ?? '';
      const label = /intent is "([^"]+)"/.exec(prompt)?.[1] ?? '';
      const n = Math.max(1, Math.min(8, body.n ?? 1));
      const choices = Array.from({ length: n }, (_, k) => ({
        index: k,
        message: { role: 'assistant', content: answer(label, (body.seed ?? 0) + k, prompt) },
      }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices,
          usage: { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: 50 * n },
        }),
      );
    } catch {
      res.writeHead(400).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/**
 * The "echo" answer: the example lines of the prompt, each with its words rotated by the seed —
 * a stand-in for a weak model that only rephrases what it was shown.
 */
export const echoAnswer: FakeAnswer = (_label, seed, prompt) => {
  const examples = prompt
    .split('\n')
    .filter((l) => l.startsWith('- '))
    .map((l) => l.slice(2));
  return examples
    .map((e, i) => {
      const w = e.split(' ');
      const k = (seed + i) % Math.max(1, w.length);
      return [...w.slice(k), ...w.slice(0, k)].join(' ');
    })
    .join('\n');
};
