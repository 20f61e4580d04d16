/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp server, LM Studio,
 * Ollama's /v1). Asks for `n` choices; servers that return fewer are asked again for the rest.
 */
import { StrataError } from '../../errors.js';
import { streamFor } from '../../random/stream.js';
import { createEndpoint } from './endpoint.js';
import { createLimiter, postJson, type RetryOptions } from './http.js';
import { emptyUsage, type GenerateRequest, type GenerateResult, type TextProvider } from './types.js';

export interface OpenAiOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
  baseDelayMs?: number;
  pricePer1kPrompt?: number;
  pricePer1kCompletion?: number;
  seed?: number;
  /** Longest Retry-After obeyed (seconds, default 60); a longer one fails the request. */
  maxRetryWaitS?: number;
  /** Largest response read (bytes, default 10 MB). */
  maxResponseBytes?: number;
  sleep?: RetryOptions['sleep'];
  onRetry?: RetryOptions['onRetry'];
}

interface ChatResponse {
  choices?: { message?: { content?: unknown } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

export function openAiProvider(o: OpenAiOptions): TextProvider {
  const limit = createLimiter(o.concurrency ?? 4);
  const ep = createEndpoint(o.baseUrl, '/chat/completions', { apiKey: o.apiKey });
  const jitter = streamFor(o.seed ?? 0, 'openai-jitter');
  const retry: RetryOptions = {
    retries: o.retries ?? 4,
    timeoutMs: o.timeoutMs ?? 60_000,
    baseDelayMs: o.baseDelayMs ?? 500,
    maxDelayMs: 30_000,
    jitter,
    maxRetryWaitMs: o.maxRetryWaitS === undefined ? undefined : o.maxRetryWaitS * 1000,
    maxResponseBytes: o.maxResponseBytes,
    sleep: o.sleep,
    onRetry: o.onRetry,
  };
  return {
    name: 'openai',
    model: o.model,
    async generate(req: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
      const usage = emptyUsage();
      const texts: string[] = [];
      const messages = [
        ...(req.system ? [{ role: 'system', content: req.system }] : []),
        { role: 'user', content: req.prompt },
      ];
      for (let round = 0; texts.length < req.n && round < req.n; round++) {
        const body = {
          model: o.model,
          messages,
          n: req.n - texts.length,
          temperature: req.temperature,
          seed: req.seed + round,
        };
        const res = (await limit(() => postJson(ep, body, retry, signal))) as ChatResponse;
        if (!res || !Array.isArray(res.choices))
          throw new StrataError(
            'text.provider_protocol',
            `${ep.display} answered without "choices"`,
            {},
            'is this an OpenAI-compatible /v1 endpoint?',
          );
        usage.requests++;
        usage.prompt_tokens += res.usage?.prompt_tokens ?? 0;
        usage.completion_tokens += res.usage?.completion_tokens ?? 0;
        for (const c of res.choices)
          if (typeof c.message?.content === 'string') texts.push(ep.redact(c.message.content.trim()));
      }
      usage.cost_usd =
        (usage.prompt_tokens / 1000) * (o.pricePer1kPrompt ?? 0) +
        (usage.completion_tokens / 1000) * (o.pricePer1kCompletion ?? 0);
      return { texts: texts.slice(0, req.n), usage };
    },
  };
}
