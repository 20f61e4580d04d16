/**
 * Errors as RFC 9457 problem details (`application/problem+json`): a stable code, a title, the
 * detail a caller can act on, and never a stack trace, a file path or a secret. Every code is in
 * the typed catalogue (src/error-codes.ts), which also gives its HTTP status. Library errors
 * (StrataError) keep their code, message, hint and request path; framework errors (body too large,
 * wrong media type) get a fixed code; anything else is a 500 whose detail is only an id to find it
 * in the server log.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { type ErrorCode, httpStatus } from '../error-codes.js';
import { isStrataError } from '../errors.js';
import type { Problem } from './schemas.js';

export const PROBLEM_TYPE = 'application/problem+json';

/** A problem the service raises itself (auth, limits, unknown model); its status is the code's. */
export class ServiceProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.status = httpStatus(code);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  408: 'Request timeout',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** Fastify's own client errors, by fastify's code: our code and words (the status is our code's). */
const FRAMEWORK: ReadonlyMap<string, [ErrorCode, string]> = new Map<string, [ErrorCode, string]>([
  [
    'FST_ERR_CTP_BODY_TOO_LARGE',
    ['request.body_too_large', 'the request body is larger than the server accepts'],
  ],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', ['request.media_type', 'send the body as application/json']],
  [
    'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
    ['request.content_length', 'the Content-Length does not match the body'],
  ],
]);

/** Largest detail text a problem carries (user text inside messages is cut). */
const MAX_DETAIL = 2000;

function clip(s: string): string {
  return s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL)}…` : s;
}

/** A problem document for `code`; its status is the code's (error-codes.ts) unless one is given. */
export function problem(
  code: ErrorCode,
  detail: string,
  extra: Partial<Pick<Problem, 'hint' | 'path' | 'model_hash' | 'seed'>> = {},
  status: number = httpStatus(code),
): Problem {
  return {
    type: `urn:strata:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: clip(detail),
    code,
    // plain-object: fixed keys (hint, path, model_hash, seed)
    ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)),
  };
}

/** The problem for any thrown value, and whether it is the server's fault (to log). */
export function toProblem(err: unknown): {
  problem: Problem;
  headers: Record<string, string>;
  internal?: string;
} {
  if (err instanceof ServiceProblem)
    return { problem: problem(err.code, err.message, { hint: err.hint }), headers: { ...err.headers } };
  if (isStrataError(err))
    return { problem: problem(err.code, err.message, { hint: err.hint, path: err.place.path }), headers: {} };
  const e = err as { code?: unknown; statusCode?: unknown };
  const known = typeof e?.code === 'string' ? FRAMEWORK.get(e.code) : undefined;
  if (known) return { problem: problem(known[0], known[1]), headers: {} };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500)
    // Other client errors fastify raises (a bad URL or header): their status, our words.
    return {
      problem: problem('request.invalid', 'the request is not one the server accepts', {}, e.statusCode),
      headers: {},
    };
  const id = randomUUID();
  return {
    problem: problem('server.internal', `internal error ${id} (the server log has it)`),
    headers: {},
    internal: id,
  };
}

export function sendProblem(
  reply: FastifyReply,
  p: Problem,
  // plain-object: fixed keys (HTTP header names the service chooses)
  headers: Record<string, string> = {},
): FastifyReply {
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply.code(p.status).type(PROBLEM_TYPE).send(p);
}
