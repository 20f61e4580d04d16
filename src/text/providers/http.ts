/**
 * HTTP for providers: global fetch with an AbortController timeout, retries with exponential
 * backoff and seeded jitter on 429/5xx and network errors (honouring Retry-After), and a small
 * concurrency limiter. Hand-written: p-limit/p-retry add two dependencies for ~60 lines, and the
 * jitter must come from a seeded stream, never Math.random.
 */
import { abortError, StrataError, throwIfAborted } from '../../errors.js';
import type { Stream } from '../../random/stream.js';

export interface RetryOptions {
  retries: number;
  timeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  jitter: Stream;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry (for logs and tests). */
  onRetry?: (info: { attempt: number; status: number | null; delayMs: number }) => void;
}

export type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;

export function createLimiter(concurrency: number): Limiter {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    active--;
    queue.shift()?.();
  };
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((res) => queue.push(res));
    active++;
    try {
      return await fn();
    } finally {
      release();
    }
  };
}

/** Delay from a Retry-After header (seconds or HTTP date); null when absent or unparsable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const t = Date.parse(header);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

const defaultSleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

/** `sleep`, cut short by `signal` (then it rejects with `run.aborted`). */
function sleepUnlessAborted(sleep: (ms: number) => Promise<void>, ms: number, signal?: AbortSignal) {
  if (!signal) return sleep(ms);
  throwIfAborted(signal);
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([sleep(ms), aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/**
 * POST JSON and parse the JSON answer, retrying on 429/5xx/network errors. `signal` cancels the
 * request in flight and the waits between retries (`run.aborted`).
 */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  o: RetryOptions,
  signal?: AbortSignal,
): Promise<unknown> {
  const sleep = o.sleep ?? defaultSleep;
  let lastError = '';
  for (let attempt = 0; attempt <= o.retries; attempt++) {
    throwIfAborted(signal);
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), o.timeoutMs);
    const onAbort = () => ctrl.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let status: number | null = null;
    let wait: number | null = null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: ctrl.signal,
      });
      status = res.status;
      if (res.ok) return await res.json();
      const text = await res.text();
      lastError = `HTTP ${res.status}: ${text.slice(0, 200)}`;
      if (res.status !== 429 && res.status < 500)
        throw new StrataError(
          'text.provider_http',
          `${url} answered ${lastError}`,
          {},
          'check the model name, the URL and the API key',
        );
      wait = retryAfterMs(res.headers.get('retry-after'));
    } catch (e) {
      if (e instanceof StrataError) throw e;
      throwIfAborted(signal);
      lastError =
        e instanceof Error
          ? e.name === 'AbortError'
            ? `timeout after ${o.timeoutMs} ms`
            : e.message
          : String(e);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    if (attempt === o.retries) break;
    const backoff = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** attempt);
    const delayMs = wait ?? backoff * (0.5 + o.jitter.nextFloat());
    o.onRetry?.({ attempt: attempt + 1, status, delayMs });
    await sleepUnlessAborted(sleep, delayMs, signal);
  }
  throw new StrataError(
    'text.provider_unavailable',
    `${url} failed after ${o.retries + 1} attempts (${lastError})`,
    {},
    'is the server running? raise retries/timeout_ms in the plan provider section',
  );
}
