/**
 * HTTP for providers: global fetch with an AbortController timeout, retries with exponential
 * backoff and seeded jitter on 429/5xx and network errors (honouring Retry-After up to a cap), a
 * cap on response bytes, and a small concurrency limiter. Hand-written: p-limit/p-retry add two dependencies for ~60 lines, and the
 * jitter must come from a seeded stream, never Math.random.
 */
import { abortError, StrataError, throwIfAborted } from '../../errors.js';
import type { Stream } from '../../random/stream.js';
import type { Endpoint } from './endpoint.js';

export interface RetryOptions {
  retries: number;
  timeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  jitter: Stream;
  sleep?: (ms: number) => Promise<void>;
  /** A Retry-After longer than this fails the request at once (default 60 s). */
  maxRetryWaitMs?: number;
  /** A response larger than this is not read past the cap and fails (default 10 MB). */
  maxResponseBytes?: number;
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

/** Longest Retry-After a provider obeys by default (seconds); plan key `max_retry_wait_s`. */
export const DEFAULT_MAX_RETRY_WAIT_S = 60;
/** Largest provider response read by default (bytes); plan key `max_response_bytes`. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10_000_000;
/** Bytes of an error response read for the message (the rest is not read). */
const ERROR_BODY_BYTES = 4096;

class TooLarge extends Error {}

/**
 * Read at most `cap` bytes of a body. Past the cap the stream is cancelled (nothing more is read or
 * held) and `TooLarge` is thrown — or, with `truncate`, the bytes read so far are returned.
 */
async function readCapped(res: Response, cap: number, truncate = false): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (!truncate && Number.isFinite(declared) && declared > cap) {
    await res.body?.cancel().catch(() => {});
    throw new TooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > cap) {
      await reader.cancel().catch(() => {});
      if (!truncate) throw new TooLarge();
      chunks.push(value.subarray(0, cap - total));
      break;
    }
    total += value.byteLength;
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * POST JSON to an endpoint and parse the JSON answer, retrying on 429/5xx/network errors. Bounded:
 * each attempt by `timeoutMs` (body included), each wait by `maxRetryWaitMs` (a longer Retry-After
 * fails at once), each response by `maxResponseBytes`. Every message is redacted and shows the
 * endpoint's printable URL. `signal` cancels the request in flight and the waits between retries
 * (`run.aborted`).
 */
export async function postJson(
  ep: Endpoint,
  body: unknown,
  o: RetryOptions,
  signal?: AbortSignal,
): Promise<unknown> {
  const sleep = o.sleep ?? defaultSleep;
  const maxWait = o.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_S * 1000;
  const maxBytes = o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const where = ep.display;
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
      const res = await fetch(ep.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...ep.headers },
        body: JSON.stringify(body),
        signal: ctrl.signal,
      });
      status = res.status;
      if (res.ok) {
        const text = await readCapped(res, maxBytes);
        try {
          return JSON.parse(text);
        } catch {
          throw new StrataError(
            'text.provider_protocol',
            `${where} answered HTTP ${res.status} with a body that is not JSON: ${ep.redact(text.slice(0, 200))}`,
            {},
            'is this the API endpoint (base_url usually ends in /v1)?',
          );
        }
      }
      const text = ep.redact(await readCapped(res, ERROR_BODY_BYTES, true));
      lastError = `HTTP ${res.status}: ${text.slice(0, 200)}`;
      if (res.status !== 429 && res.status < 500)
        throw new StrataError(
          'text.provider_http',
          `${where} answered ${lastError}`,
          {},
          'check the model name, the URL and the API key',
        );
      const header = res.headers.get('retry-after');
      wait = retryAfterMs(header);
      if (wait !== null && wait > maxWait)
        throw new StrataError(
          'text.provider_retry_after',
          `${where} answered HTTP ${res.status} and asked to wait ${Math.ceil(wait / 1000)} s before retrying (Retry-After: ${ep.redact(header ?? '').slice(0, 40)}), more than max_retry_wait_s = ${maxWait / 1000}`,
          {},
          'run again later (answers received so far are kept in the cassette), or raise provider.max_retry_wait_s in the plan',
        );
    } catch (e) {
      if (e instanceof StrataError) throw e;
      throwIfAborted(signal);
      if (e instanceof TooLarge)
        throw new StrataError(
          'text.provider_too_large',
          `${where} sent more than max_response_bytes = ${maxBytes} bytes in one response; stopped reading it`,
          {},
          'ask for fewer samples per request (generation.batch), or raise provider.max_response_bytes',
        );
      lastError = ep.redact(
        e instanceof Error
          ? e.name === 'AbortError'
            ? `timeout after ${o.timeoutMs} ms`
            : e.message
          : String(e),
      );
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
    `${where} failed after ${o.retries + 1} attempts (${lastError})`,
    {},
    'is the server running? raise retries/timeout_ms in the plan provider section',
  );
}
