/**
 * The HTTP service (fastify 5): routes, authentication, rate limits, body and row limits, problem
 * details, metrics and streaming. `buildApp` returns an app that is not listening (tests drive it
 * with `inject()`); run.ts binds it and handles signals.
 *
 * Order of a request: identify the key (onRequest) → per-key rate limit (onRequest, per route) →
 * refuse a missing/unknown key (preParsing: before the body is read) → parse JSON (bounded, into
 * null-prototype objects: json-body.ts) →
 * validate with the zod schemas → draw → answer with the model hash and seed.
 */
import { randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { StrataError } from '../errors.js';
import type { Block } from '../model/block.js';
import { blockToJsonl, csvHeader } from '../sample/format.js';
import type { BlockSampler } from '../sample/sampler.js';
import { csvPayload } from '../sample/tasks.js';
import { parseJsonBody } from './json-body.js';
import { type KeyRing, verifyBearer } from './keys.js';
import type { ServiceMetrics } from './metrics.js';
import type { ModelRegistry, ServedModel } from './models.js';
import { openApiDocument } from './openapi.js';
import { PROBLEM_TYPE, problem, ServiceProblem, sendProblem, toProblem } from './problem.js';
import { CompleteRequest, SampleRequest } from './schemas.js';

export interface ServeLimits {
  /** Requests per key (or per address without keys) per window. */
  rateLimit: number;
  rateWindowMs: number;
  /** Largest request body, bytes. */
  maxBody: number;
  /** Rows in one JSON answer. */
  maxJsonRows: number;
  /** Rows in one streamed (CSV / NDJSON) answer. */
  maxRows: number;
  /** Partial rows in one completion request. */
  maxBatch: number;
  /** Time to receive a whole request, ms. */
  requestTimeoutMs: number;
  /** Time a streamed answer may take, ms (then the stream is cut: the client sees it incomplete). */
  streamTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServeLimits = {
  rateLimit: 1000,
  rateWindowMs: 1000,
  maxBody: 64 * 1024,
  maxJsonRows: 10_000,
  maxRows: 1_000_000,
  maxBatch: 1000,
  requestTimeoutMs: 10_000,
  streamTimeoutMs: 120_000,
};

export interface AppOptions {
  registry: ModelRegistry;
  metrics: ServiceMetrics;
  keys: KeyRing;
  limits?: Partial<ServeLimits>;
  version?: string;
  /** fastify logger option (default: off). */
  logger?: boolean | Record<string, unknown>;
  /** Seeds for requests without one (default: crypto random below 2^48). */
  seed?: () => number;
}

declare module 'fastify' {
  interface FastifyRequest {
    keyId?: string;
  }
  interface FastifyContextConfig {
    public?: boolean;
  }
}

type Format = 'json' | 'csv' | 'ndjson';

/** The answer format the Accept header asks for (first listed that we write), or undefined (406). */
export function negotiate(accept: string | undefined): Format | undefined {
  if (!accept) return 'json';
  for (const part of accept.slice(0, 512).split(',')) {
    const type = part.split(';')[0].trim().toLowerCase();
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return 'json';
    if (type === 'text/csv' || type === 'text/*') return 'csv';
    if (type === 'application/x-ndjson' || type === 'application/jsonl' || type === 'application/ndjson')
      return 'ndjson';
  }
  return undefined;
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.map(String).join('.');
  throw new StrataError(
    issue.code === 'unrecognized_keys' ? 'request.unknown_field' : 'request.invalid_body',
    `${path ? `${path}: ` : ''}${issue.message}`.slice(0, 500),
    { path: path || undefined },
    'see /openapi.json for the request format',
  );
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const limits: ServeLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const { registry, metrics, keys } = opts;
  const seedOf = opts.seed ?? (() => randomInt(0, 2 ** 48 - 1));
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: limits.maxBody,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.requestTimeoutMs * 3,
    keepAliveTimeout: 5000,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { maxParamLength: 128 },
  });
  const openapi = openApiDocument(opts.version ?? '0.0.0', limits);

  // Our JSON parser (json-body.ts): column names such as `__proto__` are data, nothing is polluted.
  // Bodies stay bounded by `bodyLimit` (fastify reads the body before calling the parser).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  app.setErrorHandler((err, request, reply) => {
    const { problem: p, headers, internal } = toProblem(err);
    if (internal) request.log.error({ err, problemId: internal }, 'internal error');
    return sendProblem(reply, p, headers);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem('request.no_route', `no route ${request.method} ${request.url.slice(0, 100)}`, {
        hint: 'see /openapi.json',
      }),
    ),
  );

  app.addHook('onRequest', async (request) => {
    if (keys.size) request.keyId = verifyBearer(keys, request.headers.authorization);
  });
  await app.register(rateLimit, {
    global: true,
    max: limits.rateLimit,
    timeWindow: limits.rateWindowMs,
    cache: 10_000,
    keyGenerator: (request) => (request.keyId ? `key:${request.keyId}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) =>
      Object.assign(
        new ServiceProblem(
          'request.rate_limited',
          `more than ${context.max} requests in ${context.after}`,
          `retry after ${Math.max(1, Math.ceil(context.ttl / 1000))} s`,
        ),
        { statusCode: 429 },
      ),
  });
  app.addHook('preParsing', async (request) => {
    if (!keys.size || request.routeOptions.config?.public) return;
    if (!request.keyId)
      throw new ServiceProblem(
        'auth.unauthorized',
        'a valid API key is required',
        'send Authorization: Bearer KEY',
        {
          'www-authenticate': 'Bearer realm="strata"',
        },
      );
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
  });

  const publicRoute = { config: { public: true, rateLimit: false as const } };
  app.get('/healthz', publicRoute, async () => ({ status: 'ok' as const, models: registry.models.size }));
  app.get('/openapi.json', { config: { public: true } }, async () => openapi);
  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get('/v1/models', async () => ({
    models: [...registry.models.values()].map((m) => ({
      name: m.name,
      version: m.version,
      model_hash: m.hash,
      tables: [...m.tables.entries()].map(([t, s]) => ({
        name: t,
        columns: s.columns.map((c) => ({ name: c.name, type: c.type })),
      })),
    })),
  }));

  const modelOf = (request: FastifyRequest): ServedModel => {
    const { name } = request.params as { name: string };
    const m = registry.models.get(name);
    if (!m)
      throw new ServiceProblem(
        'serve.unknown_model',
        `no model "${name.slice(0, 64)}"`,
        'GET /v1/models lists them',
      );
    return m;
  };
  const samplerOf = (m: ServedModel, table: string | undefined): BlockSampler => {
    const t = table ?? m.defaultTable;
    const s = t === undefined ? undefined : m.tables.get(t);
    if (!s)
      throw new StrataError(
        t === undefined ? 'sample.which_table' : 'sample.unknown_table',
        t === undefined
          ? `model "${m.name}" has ${m.tables.size} tables`
          : `model "${m.name}" has no table "${t.slice(0, 64)}"`,
        { path: 'table' },
        `tables are: ${[...m.tables.keys()].join(', ')}`,
      );
    return s;
  };
  const provenance = (reply: FastifyReply, m: ServedModel, seed: number) =>
    reply.header('strata-model-hash', m.hash).header('strata-seed', String(seed));

  app.post('/v1/models/:name/sample', async (request, reply) => {
    const m = modelOf(request);
    const body = parseBody(SampleRequest, request.body);
    const sampler = samplerOf(m, body.table);
    const format = negotiate(request.headers.accept);
    if (!format)
      throw new ServiceProblem(
        'request.not_acceptable',
        'Accept names no format the server writes',
        'accept application/json, application/x-ndjson or text/csv',
      );
    const n = body.n ?? 1;
    const cap = format === 'json' ? limits.maxJsonRows : limits.maxRows;
    if (n > cap)
      throw new StrataError(
        'request.too_many_rows',
        `n = ${n} is more than ${cap} rows${format === 'json' ? ' for a JSON answer' : ''}`,
        { path: 'n' },
        format === 'json' && n <= limits.maxRows
          ? 'ask for a stream with Accept: application/x-ndjson or text/csv'
          : `ask for at most ${cap} rows per request`,
      );
    const seed = body.seed ?? seedOf();
    provenance(reply, m, seed);
    if (format === 'json') {
      const rows = sampler.many(n, { seed, given: body.given, do: body.do });
      metrics.rows.inc({ model: m.name }, n);
      return { rows, model: m.name, table: sampler.table, model_hash: m.hash, seed };
    }
    // Streams: the first block is drawn before the headers go, so a failure is still a problem answer.
    const draw = sampler.blocks(n, { seed, given: body.given, do: body.do });
    const first = draw.blocks.next();
    const encode = (b: Block) =>
      format === 'csv' ? Buffer.from(csvPayload(draw.model, b)) : Buffer.from(blockToJsonl(draw.model, b));
    const started = Date.now();
    const model = m.name;
    async function* body$(): AsyncGenerator<Buffer> {
      if (format === 'csv') yield Buffer.from(csvHeader(draw.model, false));
      if (!first.done) {
        metrics.rows.inc({ model }, first.value.count);
        yield encode(first.value);
      }
      for (const b of draw.blocks) {
        if (Date.now() - started > limits.streamTimeoutMs) throw new Error('stream deadline passed');
        metrics.rows.inc({ model }, b.count);
        yield encode(b);
        await new Promise<void>((r) => setImmediate(r)); // let other requests in between blocks
      }
    }
    reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
    return reply.send(Readable.from(body$()));
  });

  app.post('/v1/models/:name/complete', async (request, reply) => {
    const m = modelOf(request);
    const body = parseBody(CompleteRequest, request.body);
    const sampler = samplerOf(m, body.table);
    if (body.rows.length > limits.maxBatch)
      throw new StrataError(
        'request.too_many_rows',
        `${body.rows.length} partial rows is more than ${limits.maxBatch} per request`,
        { path: 'rows' },
        `send at most ${limits.maxBatch} rows per request`,
      );
    const seed = body.seed ?? seedOf();
    provenance(reply, m, seed);
    const rows = sampler.completeAll(body.rows, { seed, do: body.do });
    metrics.rows.inc({ model: m.name }, rows.length);
    return { rows, model: m.name, table: sampler.table, model_hash: m.hash, seed };
  });

  return app;
}

export { PROBLEM_TYPE };
