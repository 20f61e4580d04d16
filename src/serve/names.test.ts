/**
 * Column names are data, also over HTTP: a column called `__proto__`, `constructor` or `toString`
 * can be named in `given`, `do` and partial rows like any other, and a body written to pollute
 * Object.prototype is refused by name without touching it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, PROTO_YAML, testApp } from './testing/app.js';

type App = Awaited<ReturnType<typeof testApp>>;

const raw = (t: App, url: string, payload: string) =>
  t.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { ...AUTH, 'content-type': 'application/json' },
  });

/** The rows of an answer, read with own `__proto__` keys kept (JSON.parse makes them own data). */
const rowsOf = (body: string) => (JSON.parse(body) as { rows: Record<string, unknown>[] }).rows;
const own = (r: Record<string, unknown>, k: string) =>
  Object.hasOwn(r, k) ? (Object.getOwnPropertyDescriptor(r, k)?.value as unknown) : undefined;

describe('strata serve: columns named like Object.prototype keys', () => {
  let t: App;
  beforeAll(async () => {
    t = await testApp({}, { models: [PROTO_YAML] });
  });
  afterAll(() => t.app.close());

  it('a column named __proto__ or constructor can be given, fixed with do, and completed', async () => {
    const g = await raw(
      t,
      '/v1/models/proto/sample',
      '{"n": 50, "seed": 1, "given": {"__proto__": "y", "constructor": "b"}}',
    );
    expect(g.statusCode, g.body).toBe(200);
    const rows = rowsOf(g.body);
    expect(rows).toHaveLength(50);
    for (const r of rows) {
      expect(own(r, '__proto__')).toBe('y');
      expect(own(r, 'constructor')).toBe('b');
      expect(typeof own(r, 'toString')).toBe('number');
    }
    const d = await raw(t, '/v1/models/proto/sample', '{"n": 20, "seed": 2, "do": {"__proto__": "x"}}');
    expect(d.statusCode, d.body).toBe(200);
    expect(rowsOf(d.body).every((r) => own(r, '__proto__') === 'x')).toBe(true);
    const c = await raw(
      t,
      '/v1/models/proto/complete',
      '{"seed": 3, "rows": [{"__proto__": "x"}, {"toString": 7}, {}]}',
    );
    expect(c.statusCode, c.body).toBe(200);
    const done = rowsOf(c.body);
    expect(own(done[0], '__proto__')).toBe('x');
    expect(own(done[1], 'toString')).toBe(7);
    expect(['x', 'y']).toContain(own(done[2], '__proto__'));
  });

  it('a __proto__ value of the wrong kind is refused naming the column, not dropped', async () => {
    const r = await raw(t, '/v1/models/proto/sample', '{"given": {"__proto__": "z"}}');
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('sample.impossible_given');
    expect(r.json().detail).toMatch(/__proto__ = "z" is not one of its values/);
  });

  it('naming __proto__ where the model has no such column is an unknown column, never ignored', async () => {
    const r = await raw(t, '/v1/models/small/sample', '{"n": 2, "given": {"__proto__": "red"}}');
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('sample.unknown_column');
    expect(r.json().detail).toMatch(/unknown column "__proto__"/);
    const c = await raw(t, '/v1/models/small/complete', '{"rows": [{"constructor": "red"}]}');
    expect(c.statusCode).toBe(400);
    expect(c.json().detail).toMatch(/unknown column "constructor"/);
  });

  it('a body written to pollute Object.prototype is refused by name and pollutes nothing', async () => {
    const attempts: [string, string, RegExp][] = [
      ['{"__proto__": {"polluted": 1}}', 'request.unknown_field', /__proto__/],
      ['{"constructor": {"prototype": {"polluted": 1}}}', 'request.unknown_field', /constructor/],
      ['{"given": {"__proto__": {"polluted": 1}}}', 'request.invalid_body', /^given\.__proto__: /],
      [
        '{"do": {"constructor": {"prototype": {"polluted": 1}}}}',
        'request.invalid_body',
        /^do\.constructor: /,
      ],
      ['{"rows": [{"__proto__": {"polluted": 1}}]}', 'request.invalid_body', /^rows\.0\.__proto__: /],
    ];
    for (const [body, code, detail] of attempts) {
      const url = body.includes('"rows"') ? '/v1/models/proto/complete' : '/v1/models/proto/sample';
      const r = await raw(t, url, body);
      expect(r.statusCode, body).toBe(400);
      expect(r.json().code, body).toBe(code);
      expect(r.json().detail, body).toMatch(detail);
      expect(({} as Record<string, unknown>).polluted, body).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    }
  });
});
