/**
 * Errors as RFC 9457 problem details (`application/problem+json`): a stable code, a title, the
 * detail a caller can act on, and never a stack trace, a file path or a secret. Library errors
 * (StrataError) keep their code, message, hint and request path; framework errors (body too large,
 * malformed JSON, rate limit) get their HTTP status and a fixed code; anything else is a 500 whose
 * detail is only an id to find it in the server log.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { isStrataError } from '../errors.js';
import type { Problem } from './schemas.js';

export const PROBLEM_TYPE = 'application/problem+json';

/** A problem the service raises itself (auth, limits, unknown model). */
export class ServiceProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
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

/** Fastify's own client errors, by code: the status and our code. */
const FRAMEWORK: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [
    413,
    'request.body_too_large',
    'the request body is larger than the server accepts',
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'request.media_type', 'send the body as application/json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'request.empty_body', 'the JSON body is empty'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    'request.content_length',
    'the Content-Length does not match the body',
  ],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'request.malformed_json', 'the body is not valid JSON'],
};

/** Largest detail text a problem carries (user text inside messages is cut). */
const MAX_DETAIL = 2000;

function clip(s: string): string {
  return s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL)}…` : s;
}

export function problem(
  status: number,
  code: string,
  detail: string,
  extra: Partial<Pick<Problem, 'hint' | 'path' | 'model_hash' | 'seed'>> = {},
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
    return {
      problem: problem(err.status, err.code, err.message, { hint: err.hint }),
      headers: { ...err.headers },
    };
  if (isStrataError(err)) {
    const status = err.code === 'sample.too_costly' ? 422 : 400;
    return {
      problem: problem(status, err.code, err.message, { hint: err.hint, path: err.place.path }),
      headers: {},
    };
  }
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown; name?: unknown };
  const known = typeof e?.code === 'string' ? FRAMEWORK[e.code] : undefined;
  if (known) return { problem: problem(known[0], known[1], known[2]), headers: {} };
  if (e?.name === 'SyntaxError' && e.statusCode === 400)
    return { problem: problem(400, 'request.malformed_json', 'the body is not valid JSON'), headers: {} };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // Other client errors fastify raises (prototype poisoning, bad headers): their status, our words.
    const poisoned = typeof e.message === 'string' && /prototype|constructor/i.test(e.message);
    return {
      problem: problem(
        e.statusCode,
        poisoned ? 'request.forbidden_key' : 'request.invalid',
        poisoned
          ? 'the body holds a __proto__ or constructor.prototype key'
          : 'the request is not one the server accepts',
      ),
      headers: {},
    };
  }
  const id = randomUUID();
  return {
    problem: problem(500, 'server.internal', `internal error ${id} (the server log has it)`),
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
