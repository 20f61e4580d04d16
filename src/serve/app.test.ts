import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToFile } from '../sample/generate.js';
import { CARD_CUSTOMERS_YAML, parseSpecText } from '../spec/index.js';
import { negotiate } from './app.js';
import { AUTH, KEY, testApp } from './testing/app.js';

type App = Awaited<ReturnType<typeof testApp>>;

const post = (t: App, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers: { ...AUTH, ...headers } });

describe('strata serve: answers', () => {
  let t: App;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.app.close());

  it('lists models with tables, columns, versions and hashes; health needs no key', async () => {
    const h = await t.app.inject({ url: '/healthz' });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toEqual({ status: 'ok', models: 2 });
    const r = await t.app.inject({ url: '/v1/models', headers: AUTH });
    expect(r.statusCode).toBe(200);
    const models = r.json().models as {
      name: string;
      version: number;
      model_hash: string;
      tables: unknown[];
    }[];
    expect(models.map((m) => m.name)).toEqual(['card-customers', 'small']);
    expect(models[0].version).toBe(1);
    expect(models[0].model_hash).toMatch(/^[0-9a-f]{16}$/);
    expect(models[0].tables).toEqual([
      {
        name: 'customer',
        columns: [
          { name: 'segment', type: 'category' },
          { name: 'age', type: 'integer' },
          { name: 'income', type: 'number' },
          { name: 'card_limit', type: 'number' },
          { name: 'email', type: 'string' },
          { name: 'opened', type: 'datetime' },
        ],
      },
    ]);
  });

  it('samples rows with the model hash and seed, and the same seed gives the same bytes', async () => {
    const a = await post(t, '/v1/models/card-customers/sample', { n: 5, seed: 42 });
    expect(a.statusCode).toBe(200);
    const body = a.json();
    expect(body.rows).toHaveLength(5);
    expect(body.seed).toBe(42);
    expect(body.model_hash).toMatch(/^[0-9a-f]{16}$/);
    expect(a.headers['strata-seed']).toBe('42');
    expect(a.headers['strata-model-hash']).toBe(body.model_hash);
    const b = await post(t, '/v1/models/card-customers/sample', { n: 5, seed: 42 });
    expect(b.body).toBe(a.body);
    const c = await post(t, '/v1/models/card-customers/sample', {});
    expect(c.json().rows).toHaveLength(1);
    expect(Number.isSafeInteger(c.json().seed)).toBe(true);
    const again = await post(t, '/v1/models/card-customers/sample', { seed: c.json().seed });
    expect(again.body).toBe(c.body);
  });

  it('streams CSV and NDJSON with the bytes `strata generate` writes for the same seed', async () => {
    const csv = await post(
      t,
      '/v1/models/card-customers/sample',
      { n: 9000, seed: 3 },
      { accept: 'text/csv' },
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['strata-seed']).toBe('3');
    const out = join(t.dir, 'gen.csv');
    const spec = parseSpecText(CARD_CUSTOMERS_YAML, 'card.yaml').spec;
    await generateToFile({ spec, rows: 9000, seed: 3, coverage: false, out });
    expect(csv.body).toBe(readFileSync(out, 'utf8'));
    const nd = await post(
      t,
      '/v1/models/card-customers/sample',
      { n: 9000, seed: 3 },
      { accept: 'application/x-ndjson' },
    );
    const outJ = join(t.dir, 'gen.jsonl');
    await generateToFile({ spec, rows: 9000, seed: 3, coverage: false, out: outJ });
    expect(nd.body).toBe(readFileSync(outJ, 'utf8'));
  });

  it('conditions on given, intervenes with do, completes partial rows; rules hold on every row', async () => {
    const g = await post(t, '/v1/models/small/sample', { n: 2000, seed: 1, given: { size: 'l' } });
    expect(g.statusCode).toBe(200);
    const rows = g.json().rows as Record<string, unknown>[];
    expect(rows.every((r) => r.size === 'l')).toBe(true);
    expect(rows.some((r) => r.colour === 'green')).toBe(false); // P(l | green) = 0
    const d = await post(t, '/v1/models/small/sample', { n: 500, seed: 1, do: { colour: 'blue' } });
    expect(
      (d.json().rows as Record<string, unknown>[]).every((r) => r.colour === 'blue' && r.size !== 's'),
    ).toBe(true);
    const c = await post(t, '/v1/models/small/complete', {
      rows: [{ size: 'm' }, { colour: 'red' }, {}],
      seed: 5,
    });
    expect(c.statusCode).toBe(200);
    const done = c.json().rows as Record<string, unknown>[];
    expect(done).toHaveLength(3);
    expect(done[0].size).toBe('m');
    expect(done[1].colour).toBe('red');
    const all = [...rows, ...(d.json().rows as Record<string, unknown>[]), ...done];
    expect(all.filter((r) => r.colour === 'blue' && r.size === 's')).toHaveLength(0);
  });

  it('publishes an OpenAPI 3.1 document built from the request schemas', async () => {
    const r = await t.app.inject({ url: '/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/models',
        '/v1/models/{name}/sample',
        '/v1/models/{name}/complete',
        '/healthz',
        '/metrics',
      ]),
    );
    expect(doc.components.schemas.SampleRequest.properties.n.type).toBe('integer');
    expect(doc.components.schemas.SampleRequest.additionalProperties).toBe(false);
    // `given` is checked by hand (names are data) and documented as the record it is.
    expect(doc.components.schemas.SampleRequest.properties.given).toMatchObject({
      type: 'object',
      maxProperties: 256,
      propertyNames: { type: 'string', minLength: 1, maxLength: 256 },
      additionalProperties: { anyOf: expect.any(Array) },
    });
  });

  it('exposes Prometheus metrics: requests, latency, rows drawn', async () => {
    await post(t, '/v1/models/small/sample', { n: 7, seed: 1 });
    const m = await t.app.inject({ url: '/metrics', headers: AUTH });
    expect(m.statusCode).toBe(200);
    expect(m.body).toMatch(
      /strata_http_requests_total\{route="\/v1\/models\/:name\/sample",method="POST",status="200"\} \d+/,
    );
    expect(m.body).toMatch(
      /strata_http_request_duration_seconds_bucket\{le="0.001",route="\/v1\/models\/:name\/sample"\}/,
    );
    expect(m.body).toMatch(/strata_rows_drawn_total\{model="small"\} \d+/);
    expect(m.body).toMatch(/strata_process_resident_memory_bytes/);
  });
});

describe('strata serve: security and limits', () => {
  let t: App;
  beforeAll(async () => {
    t = await testApp({ maxBody: 2048, maxJsonRows: 100, maxRows: 1000, maxBatch: 3 });
  });
  afterAll(() => t.app.close());

  const problemOf = (r: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) => {
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = r.json() as { status: number; code: string; detail: string; type: string; stack?: unknown };
    expect(p.status).toBe(r.statusCode);
    expect(p.type).toBe(`urn:strata:problem:${p.code}`);
    expect(JSON.stringify(p)).not.toMatch(/at .*\.(ts|js):\d+|\/work\/|node_modules/);
    return p;
  };

  it('401 without a key, with a wrong key, with a malformed header', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer nope-nope-nope-nope' },
      { authorization: KEY },
      { authorization: `Basic ${KEY}` },
    ]) {
      const r = await t.app.inject({ method: 'POST', url: '/v1/models/small/sample', payload: {}, headers });
      expect(r.statusCode).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(problemOf(r).code).toBe('auth.unauthorized');
    }
    const m = await t.app.inject({ url: '/metrics' });
    expect(m.statusCode).toBe(401);
  });

  it('413 for a body over the limit, 400 for n or a batch over the limit', async () => {
    const big = await post(t, '/v1/models/small/sample', {
      given: { colour: 'x'.repeat(900) },
      pad: 'y'.repeat(3000),
    });
    expect(big.statusCode).toBe(413);
    expect(problemOf(big).code).toBe('request.body_too_large');
    const n = await post(t, '/v1/models/small/sample', { n: 101 });
    expect(n.statusCode).toBe(400);
    expect(problemOf(n).detail).toMatch(/n = 101 is more than 100 rows for a JSON answer/);
    const s = await post(t, '/v1/models/small/sample', { n: 1001 }, { accept: 'text/csv' });
    expect(problemOf(s).detail).toMatch(/more than 1000 rows/);
    const b = await post(t, '/v1/models/small/complete', { rows: [{}, {}, {}, {}] });
    expect(problemOf(b).detail).toMatch(/4 partial rows is more than 3/);
  });

  it('400 naming the cause: malformed JSON, unknown fields and columns, wrong types, impossible given', async () => {
    const cases: [unknown, RegExp][] = [
      ['{"n": 3,', /^the body is not valid JSON \(at character 9\)$/],
      ['', /^the JSON body is empty$/],
      [{ n: 2, colour: 'red' }, /Unrecognized key.*colour/],
      [{ n: 'three' }, /^n: /],
      [{ n: 0 }, /^n: /],
      [{ seed: -1 }, /^seed: /],
      [{ given: { colur: 'red' } }, /unknown column "colur"/],
      [{ given: { n: '3' } }, /given\.n is "3", not a whole number/],
      [{ given: { colour: 'purple' } }, /colour = "purple" is not one of its values/],
      [{ given: { colour: 'green', size: 'l' } }, /size = "l" has probability 0 when colour = "green"/],
      [{ given: { colour: 'blue', size: 's' } }, /rule "not_blue_small"/],
      [{ given: { n: 50 } }, /n = 50 is outside its range \[0, 20\]/],
      [{ table: 'nope' }, /no table "nope"/],
      [{ do: { size: 'xl' } }, /size|xl/],
    ];
    for (const [body, re] of cases) {
      const r =
        typeof body === 'string'
          ? await t.app.inject({
              method: 'POST',
              url: '/v1/models/small/sample',
              payload: body,
              headers: { ...AUTH, 'content-type': 'application/json' },
            })
          : await post(t, '/v1/models/small/sample', body);
      expect(r.statusCode, `${JSON.stringify(body)} → ${r.body}`).toBe(400);
      expect(problemOf(r).detail, JSON.stringify(body)).toMatch(re);
    }
  });

  it('429 with Retry-After past the per-key rate limit', async () => {
    const limited = await testApp({ rateLimit: 3, rateWindowMs: 60_000 });
    const codes: number[] = [];
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await post(limited, '/v1/models/small/sample', {});
      codes.push(last.statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(problemOf(last!).code).toBe('request.rate_limited');
    // Unauthenticated floods are limited by address, before the key check.
    const anon: number[] = [];
    for (let i = 0; i < 5; i++)
      anon.push(
        (await limited.app.inject({ method: 'POST', url: '/v1/models/small/sample', payload: {} }))
          .statusCode,
      );
    expect(anon).toEqual([401, 401, 401, 429, 429]);
    await limited.app.close();
  });

  it('never evaluates path-like or script-like input', async () => {
    for (const url of [
      '/v1/models/..%2F..%2Fetc%2Fpasswd/sample',
      '/v1/models/card.yaml/sample',
      '/v1/models/%2Fwork/sample',
    ]) {
      const r = await post(t, url, {});
      expect(r.statusCode, url).toBe(404);
      expect(problemOf(r).code).toMatch(/serve.unknown_model|request.no_route/);
    }
    const hostile = [
      'process.exit(1)',
      "require('child_process').execSync('id')",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, as text
      '${7*7}',
      '{{7*7}}',
      "'; DROP TABLE t; --",
      '../../../etc/passwd',
      'constructor',
      '__proto__',
    ];
    for (const h of hostile) {
      const r = await post(t, '/v1/models/small/sample', { given: { colour: h } });
      expect(r.statusCode).toBe(400);
      expect(problemOf(r).detail).toMatch(/is not one of its values/);
      const d = await post(t, '/v1/models/small/sample', { do: { n: h } });
      expect(d.statusCode).toBe(400);
    }
    const proto = await t.app.inject({
      method: 'POST',
      url: '/v1/models/small/sample',
      payload: '{"given": {"__proto__": {"colour": "red"}}}',
      headers: { ...AUTH, 'content-type': 'application/json' },
    });
    expect(proto.statusCode).toBe(400);
    const ctor = await post(t, '/v1/models/small/sample', { given: { constructor: 'x', toString: 'y' } });
    expect(problemOf(ctor).detail).toMatch(/unknown column "constructor"/);
    const spec = await post(t, '/v1/models/small/sample', { spec: CARD_CUSTOMERS_YAML });
    expect(problemOf(spec).code).toBe('request.unknown_field');
  });

  it('415 for a body that is not JSON, 406 for a format it does not write, 404 for no such route', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/models/small/sample',
      payload: 'n=3',
      headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.statusCode).toBe(415);
    problemOf(r);
    const x = await post(t, '/v1/models/small/sample', {}, { accept: 'application/xml' });
    expect(x.statusCode).toBe(406);
    const nf = await t.app.inject({ url: '/v2/nothing', headers: AUTH });
    expect(nf.statusCode).toBe(404);
    problemOf(nf);
  });
});

describe('negotiate', () => {
  it('reads the first format the server writes', () => {
    expect(negotiate(undefined)).toBe('json');
    expect(negotiate('text/csv;q=0.9, application/json')).toBe('csv');
    expect(negotiate('application/x-ndjson')).toBe('ndjson');
    expect(negotiate('image/png')).toBeUndefined();
  });
});

describe('without keys', () => {
  it('answers without authentication (the server binds loopback only; see run.test.ts)', async () => {
    const t = await testApp({}, { keys: false });
    const r = await t.app.inject({ method: 'POST', url: '/v1/models/small/sample', payload: {} });
    expect(r.statusCode).toBe(200);
    await t.app.close();
  });
});
