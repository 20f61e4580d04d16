/**
 * A fuzzed request corpus (fast-check, 10,000 requests through fastify's inject): hostile methods,
 * paths, headers and bodies — random JSON, near-valid requests with wrong types, unknown and
 * prototype-named columns, huge numbers — never give a 5xx and never crash the process; every
 * error is a problem document.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, testApp } from './testing/app.js';

type App = Awaited<ReturnType<typeof testApp>>;

const COLUMNS = ['segment', 'age', 'income', 'card_limit', 'email', 'opened', 'colour', 'size', 'n'];
const NASTY = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '../x',
  '',
  ' ',
  '\u0000',
  'a'.repeat(300),
];

const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('retail', 'premium', 'red', 'l', 's', '2020-01-01', 'NaN', 'Infinity', '1e309'),
  fc.integer({ min: -100, max: 200 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(1e308, -1e308, 2 ** 53, Number.MAX_SAFE_INTEGER),
);
const values = fc.dictionary(
  fc.oneof(fc.constantFrom(...COLUMNS), fc.constantFrom(...NASTY), fc.string({ maxLength: 12 })),
  scalar,
  {
    maxKeys: 5,
  },
);
const structured = fc.record(
  {
    n: fc.oneof(fc.integer({ min: -5, max: 60 }), fc.double(), fc.string({ maxLength: 5 })),
    seed: fc.oneof(
      fc.integer({ min: -5, max: 1e6 }),
      fc.constantFrom(2 ** 53, -1, 1.5),
      fc.string({ maxLength: 5 }),
    ),
    given: fc.oneof(values, scalar, fc.array(scalar, { maxLength: 3 })),
    do: fc.oneof(values, scalar),
    table: fc.oneof(fc.constantFrom('customer', 't', 'nope'), fc.string({ maxLength: 10 })),
    rows: fc.oneof(fc.array(values, { maxLength: 6 }), scalar),
    extra: scalar,
  },
  { requiredKeys: [] },
);
/** Requests that are mostly right (so the corpus reaches the samplers, not only the validators). */
const validSample = fc.record(
  {
    n: fc.integer({ min: 1, max: 60 }),
    seed: fc.integer({ min: 0, max: 1e9 }),
    given: fc.dictionary(
      fc.constantFrom('colour', 'size', 'n'),
      fc.constantFrom<string | number | null>('red', 'green', 'blue', 's', 'm', 'l', 1, 3, null),
      { maxKeys: 2 },
    ),
  },
  { requiredKeys: [] },
);
const validComplete = fc.record(
  {
    seed: fc.integer({ min: 0, max: 1e9 }),
    rows: fc.array(
      fc.dictionary(
        fc.constantFrom('colour', 'size', 'n'),
        fc.constantFrom<string | number>('red', 'blue', 'm', 'l', 2, 4),
        {
          maxKeys: 2,
        },
      ),
      { minLength: 1, maxLength: 4 },
    ),
  },
  { requiredKeys: ['rows'] },
);
const body = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(validSample, validComplete).map((x) => JSON.stringify(x)) },
  { weight: 5, arbitrary: structured.map((x) => JSON.stringify(x)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((x) => JSON.stringify(x)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '{',
      '{"given": {"__proto__": {"x": 1}}}',
      '{"constructor": {"prototype": {}}}',
      'null',
      '[]',
    ),
  },
);
const url = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '/v1/models/card-customers/sample',
      '/v1/models/small/sample',
      '/v1/models/small/sample',
      '/v1/models/card-customers/complete',
      '/v1/models/small/complete',
      '/v1/models/small/complete',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('/v1/models', '/healthz', '/metrics', '/openapi.json') },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.oneof(
          fc.constantFrom('card-customers', 'small', '..', '%2e%2e', 'card.yaml'),
          fc.string({ maxLength: 20 }),
        ),
        fc.constantFrom('sample', 'complete', 'x'),
      )
      .map(([m, op]) => `/v1/models/${encodeURIComponent(m)}/${op}`),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((x) => `/${encodeURIComponent(x)}`) },
);
const request = fc.record({
  method: fc.oneof(
    { weight: 8, arbitrary: fc.constant('POST') },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS') },
  ),
  url,
  body,
  auth: fc.oneof(
    { weight: 8, arbitrary: fc.constant(AUTH.authorization) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'Bearer ', 'Bearer x y') },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  ),
  accept: fc.constantFrom(
    undefined,
    'application/json',
    'text/csv',
    'application/x-ndjson',
    '*/*',
    'image/png',
    'text/csv;q=0.1, */*',
  ),
  contentType: fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', undefined) },
  ),
});

describe('fuzzed requests', () => {
  let t: App;
  beforeAll(async () => {
    t = await testApp({ maxJsonRows: 50, maxRows: 200, maxBatch: 5, maxBody: 4096, rateLimit: 1e9 });
  });
  afterAll(() => t.app.close());

  it('10,000 requests: no 5xx, every error a problem document', { timeout: 600_000 }, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {};
        if (r.auth !== undefined) headers.authorization = r.auth;
        if (r.accept) headers.accept = r.accept;
        if (r.contentType) headers['content-type'] = r.contentType;
        const res = await t.app.inject({
          method: r.method as 'GET',
          url: r.url,
          headers,
          ...(r.method === 'GET' || r.method === 'HEAD' ? {} : { payload: r.body }),
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500) throw new Error(`${res.statusCode} for ${JSON.stringify(r)}: ${res.body}`);
        if (res.statusCode >= 400 && r.method !== 'HEAD') {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(res.body).not.toMatch(/node_modules|\.ts:\d+|\/work\//);
        }
      }),
      { numRuns: 10_000, seed: 20261207 },
    );
    // The corpus reaches the handlers, not only the front door.
    console.log('fuzz statuses', Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])));
    expect(statuses.get(200) ?? 0).toBeGreaterThan(150);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(2000);
  });
});
