/** Ollama's native API (`POST /api/generate`, stream off); one request per sample. */
import { StrataError } from '../../errors.js';
import { streamFor } from '../../random/stream.js';
import { createEndpoint } from './endpoint.js';
import { createLimiter, postJson, type RetryOptions } from './http.js';
import { emptyUsage, type GenerateRequest, type GenerateResult, type TextProvider } from './types.js';

export interface OllamaOptions {
  baseUrl: string;
  model: string;
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
  /** Longest Retry-After obeyed (seconds, default 60); a longer one fails the request. */
  maxRetryWaitS?: number;
  /** Largest response read (bytes, default 10 MB). */
  maxResponseBytes?: number;
  sleep?: RetryOptions['sleep'];
}

export function ollamaProvider(o: OllamaOptions): TextProvider {
  const limit = createLimiter(o.concurrency ?? 2);
  const ep = createEndpoint(o.baseUrl, '/api/generate');
  const retry: RetryOptions = {
    retries: o.retries ?? 4,
    timeoutMs: o.timeoutMs ?? 120_000,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    jitter: streamFor(0, 'ollama-jitter'),
    maxRetryWaitMs: o.maxRetryWaitS === undefined ? undefined : o.maxRetryWaitS * 1000,
    maxResponseBytes: o.maxResponseBytes,
    sleep: o.sleep,
  };
  return {
    name: 'ollama',
    model: o.model,
    async generate(req: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
      const usage = emptyUsage();
      const jobs = Array.from({ length: req.n }, (_, i) =>
        limit(async () => {
          const body = {
            model: o.model,
            prompt: req.prompt,
            system: req.system,
            stream: false,
            options: { temperature: req.temperature, seed: req.seed + i },
          };
          const res = (await postJson(ep, body, retry, signal)) as {
            response?: unknown;
            prompt_eval_count?: number;
            eval_count?: number;
          };
          if (typeof res?.response !== 'string')
            throw new StrataError(
              'text.provider_protocol',
              `${ep.display} answered without "response"`,
              {},
              'is this an Ollama server?',
            );
          usage.requests++;
          usage.prompt_tokens += res.prompt_eval_count ?? 0;
          usage.completion_tokens += res.eval_count ?? 0;
          return ep.redact(res.response.trim());
        }),
      );
      return { texts: await Promise.all(jobs), usage };
    },
  };
}
