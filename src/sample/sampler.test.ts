import cdf from '@stdlib/stats-base-dists-normal-cdf';
import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { chiSquareTest } from '../random/testing/goodness.js';
import { CARD_CUSTOMERS_YAML, parseSpecText } from '../spec/index.js';
import { generateRows } from './generate.js';
import { createSampler, type Row } from './sampler.js';

/**
 * A small discrete-and-numeric network with a rule, whose joint distribution the test enumerates
 * by brute force: a → b, (a, b) → c (rule c != 'w'), c → d (Poisson on 0..8), d (breaks 2, 4) → e,
 * a → f (normal, one decimal).
 */
const TINY = `strata: 1
name: tiny
seed: 5
tables:
  t:
    columns:
      a: { type: category, values: { x: 0.3, y: 0.5, z: 0.2 } }
      b:
        type: boolean
        given: [a]
        conditional:
          parents: [{ column: a }]
          rows:
            - { when: [x], p: 0.2 }
            - { when: [y], p: 0.7 }
            - { when: [z], p: 0.5 }
      c:
        type: category
        given: [a, b]
        conditional:
          parents: [{ column: a }, { column: b }]
          rows:
            - { when: [x, "true"], values: { u: 0.6, v: 0.3, w: 0.1 } }
            - { when: [x, "false"], values: { u: 0.2, v: 0.6, w: 0.2 } }
            - { when: [y, "*"], values: { u: 0.5, v: 0.4, w: 0.1 } }
          default: { values: { u: 0.1, v: 0.8, w: 0.1 } }
      d:
        type: integer
        min: 0
        max: 8
        given: [c]
        conditional:
          parents: [{ column: c }]
          rows:
            - { when: [u], dist: { poisson: { lambda: 1.5 } } }
            - { when: [v], dist: { poisson: { lambda: 4 } } }
          default: { dist: { poisson: { lambda: 2 } } }
      e:
        type: category
        given: [d]
        conditional:
          parents: [{ column: d, breaks: [2, 4] }]
          rows:
            - { when: ["0"], values: { lo: 0.9, hi: 0.1 } }
            - { when: ["1"], values: { lo: 0.5, hi: 0.5 } }
            - { when: ["2"], values: { lo: 0.2, hi: 0.8 } }
      f:
        type: number
        decimals: 1
        given: [a]
        conditional:
          parents: [{ column: a }]
          rows:
            - { when: [x], dist: { normal: { mean: 0, sd: 1 } } }
            - { when: [y], dist: { normal: { mean: 1, sd: 1 } } }
            - { when: [z], dist: { normal: { mean: 2, sd: 1.5 } } }
    rules:
      - { name: no_w, check: "c != 'w'" }
`;

const A: Record<string, number> = { x: 0.3, y: 0.5, z: 0.2 };
const B: Record<string, number> = { x: 0.2, y: 0.7, z: 0.5 };
const C = (a: string, b: boolean): Record<string, number> => {
  const raw =
    a === 'x'
      ? b
        ? { u: 0.6, v: 0.3, w: 0.1 }
        : { u: 0.2, v: 0.6, w: 0.2 }
      : a === 'y'
        ? { u: 0.5, v: 0.4, w: 0.1 }
        : { u: 0.1, v: 0.8, w: 0.1 };
  const t = raw.u + raw.v; // the rule removes w; the table is renormalised
  return { u: raw.u / t, v: raw.v / t, w: 0 };
};
const poisson = (lambda: number, k: number) => {
  let p = Math.exp(-lambda);
  for (let i = 1; i <= k; i++) p *= lambda / i;
  return p;
};
const D = (c: string, k: number) => {
  const lambda = c === 'u' ? 1.5 : c === 'v' ? 4 : 2;
  let t = 0;
  for (let i = 0; i <= 8; i++) t += poisson(lambda, i);
  return poisson(lambda, k) / t;
};
const E = (d: number, e: string) => {
  const hi = d < 2 ? 0.1 : d < 4 ? 0.5 : 0.8;
  return e === 'hi' ? hi : 1 - hi;
};
const F = (a: string, f: number) => {
  const [m, s] = a === 'x' ? [0, 1] : a === 'y' ? [1, 1] : [2, 1.5];
  return cdf(f + 0.05, m, s) - cdf(f - 0.05, m, s);
};

type Joint = { key: string; p: number }[];
/** P(a, b, c, d | evidence) by enumeration; `fit` multiplies in the evidence's factors. */
function bruteForce(weight: (a: string, b: boolean, c: string, d: number) => number): Joint {
  const out: Joint = [];
  for (const a of ['x', 'y', 'z'])
    for (const b of [true, false])
      for (const c of ['u', 'v'])
        for (let d = 0; d <= 8; d++) {
          const p = A[a] * (b ? B[a] : 1 - B[a]) * C(a, b)[c] * D(c, d) * weight(a, b, c, d);
          out.push({ key: `${a}|${b}|${c}|${d}`, p });
        }
  return out;
}

function compare(rows: Row[], joint: Joint, alpha = 0.001): void {
  const index = new Map(joint.map((j, i) => [j.key, i] as [string, number]));
  const counts = new Float64Array(joint.length);
  for (const r of rows) {
    const i = index.get(`${r.a}|${r.b}|${r.c}|${r.d}`);
    expect(i, `row ${JSON.stringify(r)} is outside the support`).toBeDefined();
    expect(joint[i!].p, `row ${JSON.stringify(r)} has probability 0`).toBeGreaterThan(0);
    counts[i!]++;
  }
  const kept = joint.map((j, i) => [j.p, counts[i]] as const).filter(([p]) => p > 0);
  const res = chiSquareTest(
    kept.map(([, c]) => c),
    kept.map(([p]) => p),
  );
  expect(res.pValue, `chi-square ${res.statistic.toFixed(1)} on ${res.df} df`).toBeGreaterThan(alpha);
}

const tiny = parseSpecText(TINY, 'tiny.yaml').spec;
const card = parseSpecText(CARD_CUSTOMERS_YAML, 'card-customers.yaml').spec;

describe('completion is exact', () => {
  const s = createSampler(tiny);
  const N = 20_000;

  it('a known descendant conditions its ancestors (e = hi)', () => {
    const rows = s.many(N, { given: { e: 'hi' }, seed: 1 });
    expect(rows.every((r) => r.e === 'hi')).toBe(true);
    compare(
      rows,
      bruteForce((_a, _b, _c, d) => E(d, 'hi')),
    );
  });

  it('a known integer enters by its exact value, a known number by its rounding cell (d = 3, f = 1.2)', () => {
    const rows = s.many(N, { given: { d: 3, f: 1.2 }, seed: 2 });
    expect(rows.every((r) => r.d === 3 && r.f === 1.2)).toBe(true);
    compare(
      rows,
      bruteForce((a, _b, _c, d) => (d === 3 ? F(a, 1.2) : 0)),
    );
  });

  it('known values above and below (b = false, e = lo): the middle is conditioned on both', () => {
    const rows = s.many(N, { given: { b: false, e: 'lo' }, seed: 3 });
    compare(
      rows,
      bruteForce((_a, b, _c, d) => (b ? 0 : 1) * E(d, 'lo')),
    );
  });

  it('a rare known value (f = 6.5) still draws exactly (rejection gives way to elimination)', () => {
    const rows = s.many(5000, { given: { f: 6.5, e: 'lo' }, seed: 4 });
    compare(
      rows,
      bruteForce((a, _b, _c, d) => F(a, 6.5) * E(d, 'lo')),
    );
  });

  it('rules hold on every completed row', () => {
    const rows = s.many(N, { given: { a: 'x' }, seed: 5 });
    expect(rows.filter((r) => r.c === 'w')).toHaveLength(0);
  });
});

describe('createSampler', () => {
  it('without given, rows are the generator’s rows for the same seed (and do)', async () => {
    const s = createSampler(card);
    const g = await generateRows({ spec: card, rows: 3, seed: 11, coverage: false });
    const rows = s.many(3, { seed: 11 });
    rows.forEach((r, i) => {
      g.columns.forEach((c, k) => {
        expect(r[c]).toEqual(g.data[k][i]);
      });
    });
    expect(s.one(undefined, { seed: 11 })).toEqual(rows[0]);
    const gd = await generateRows({
      spec: card,
      rows: 2,
      seed: 11,
      coverage: false,
      do: { segment: 'business' },
    });
    const rd = s.many(2, { seed: 11, do: { segment: 'business' } });
    expect(rd[1].income).toBe(gd.data[2][1]);
    expect(rd.every((r) => r.segment === 'business')).toBe(true);
  });

  it('the same seed gives the same row; a seedless call takes the next seed of its sequence', () => {
    const a = createSampler(tiny, { seed: 9 });
    const b = createSampler(tiny, { seed: 9 });
    expect(a.complete({ e: 'hi' }, { seed: 77 })).toEqual(b.complete({ e: 'hi' }, { seed: 77 }));
    expect(a.one({ e: 'hi' })).toEqual(b.one({ e: 'hi' }));
    expect(a.one()).toEqual(b.one());
    expect(JSON.stringify(a.many(50, { given: { d: 2 }, seed: 3 }))).toBe(
      JSON.stringify(b.many(50, { given: { d: 2 }, seed: 3 })),
    );
  });

  it('rules hold on served rows of the card-customers spec, given or not', () => {
    const s = createSampler(card);
    const rows = [
      ...s.many(2000, { seed: 1 }),
      ...s.many(2000, { seed: 2, given: { segment: 'premium', age: 30 } }),
      ...s.many(2000, { seed: 3, given: { segment: 'retail', age: 50, income: 5000 } }),
      ...s.many(2000, { seed: 4, given: { income: 5000 } }),
    ];
    expect(rows.filter((r) => !((r.card_limit as number) <= (r.income as number)))).toHaveLength(0);
  });

  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(StrataError);
      return `${(e as StrataError).code}: ${(e as StrataError).message}`;
    }
    return 'no error';
  };

  it('refuses what it cannot do exactly, naming why', () => {
    const s = createSampler(card);
    expect(code(() => s.one({ card_limit: 1000 }))).toMatch(/^sample\.not_exact: .*income/);
    expect(code(() => s.one({ segment: 'gold' }))).toMatch(
      /^sample\.impossible_given: segment = "gold" is not one of its values/,
    );
    expect(code(() => s.one({ age: 10 }))).toMatch(
      /^sample\.impossible_given: age = 10 is outside its range \[18, 95\]/,
    );
    expect(code(() => s.one({ income: 100, card_limit: 200 }))).toMatch(/breaks rule "limit_below_income"/);
    expect(code(() => s.one({ agee: 3 }))).toMatch(/^sample\.unknown_column: .*"agee"/);
    expect(code(() => s.one({ age: '30' }))).toMatch(
      /^sample\.bad_value: given\.age is "30", not a whole number/,
    );
    expect(code(() => s.one({ segment: 'retail' }, { do: { segment: 'premium' } }))).toMatch(
      /fixed to "premium" by do/,
    );
    const t = createSampler(tiny);
    expect(code(() => t.one({ c: 'w' }))).toMatch(/rule "no_w" excludes c = "w"/);
    expect(code(() => t.one({ d: 9 }))).toMatch(/d = 9 is outside its range \[0, 8\]/);
    expect(code(() => t.one({ d: 0, e: 'hi', c: 'v', a: 'x', b: true, f: 0 }))).toMatch(
      /^sample\.impossible_given|no error/,
    );
  });

  it('names hostile keys as unknown columns and never reads the prototype', () => {
    const s = createSampler(tiny);
    const hostile = JSON.parse('{"__proto__": {"a": "x"}, "constructor": 1}') as Record<string, never>;
    expect(code(() => s.one(hostile))).toMatch(
      /^sample\.unknown_column: given names unknown column "__proto__"/,
    );
    expect(code(() => s.one({ toString: 'x' } as never))).toMatch(/^sample\.unknown_column/);
    expect(Object.getPrototypeOf(s.one())).toBe(null);
  });
});
