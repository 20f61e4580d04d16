import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { chiSquarePValue } from '../random/testing/goodness.js';
import { generateRows } from '../sample/index.js';
import { parseSpecText } from '../spec/index.js';
import { compileTable } from './compile.js';

const spec = (yaml: string) => parseSpecText(yaml, 'test.yaml');

async function draw(
  yaml: string,
  rows: number,
  extra: { do?: Record<string, string | number | boolean>; seed?: number } = {},
) {
  const { spec: s } = spec(yaml);
  const r = await generateRows({ spec: s, rows, seed: extra.seed ?? 7, do: extra.do });
  const col = (name: string) => r.data[r.columns.indexOf(name)];
  return { ...r, col };
}

function errorOf(fn: () => unknown): StrataError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StrataError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

const CHAIN = `
strata: 1
tables:
  t:
    columns:
      c: { type: number, given: [b], dist: { normal: { mean: "b * 2", sd: 1 } } }
      a: { type: number, dist: { normal: { mean: 0, sd: 1 } } }
      b: { type: number, given: [a], dist: { normal: { mean: "a + 10", sd: 1 } } }
`;

describe('causal DAG', () => {
  it('draws in topological order whatever the declaration order, and keeps declared output order', async () => {
    const { spec: s } = spec(CHAIN);
    const m = compileTable(s, 't');
    expect(m.order.map((i) => m.columns[i].name)).toEqual(['a', 'b', 'c']);
    const r = await draw(CHAIN, 2000);
    expect(r.columns).toEqual(['c', 'a', 'b']);
    const a = r.col('a') as number[];
    const b = r.col('b') as number[];
    const c = r.col('c') as number[];
    const meanDiff = b.reduce((s, v, i) => s + v - a[i], 0) / b.length;
    expect(meanDiff).toBeGreaterThan(9.8);
    expect(meanDiff).toBeLessThan(10.2);
    const meanC = c.reduce((s, v, i) => s + v - 2 * b[i], 0) / c.length;
    expect(Math.abs(meanC)).toBeLessThan(0.1);
  });

  it('names the cycle when given edges loop', () => {
    const { spec: s } = spec(`
strata: 1
tables:
  t:
    columns:
      x: { type: number, given: [z], dist: { normal: { mean: z, sd: 1 } } }
      y: { type: number, given: [x], dist: { normal: { mean: x, sd: 1 } } }
      z: { type: number, given: [y], dist: { normal: { mean: y, sd: 1 } } }
`);
    const e = errorOf(() => compileTable(s, 't'));
    expect(e.code).toBe('model.cycle');
    expect(e.message).toMatch(/causal cycle: ([xyz]) → ([xyz]) → ([xyz]) → \1/);
    expect(e.format()).toContain('tables.t.columns.');
  });

  it('reports a column referring to itself', () => {
    const { spec: s } = spec(`
strata: 1
tables:
  t:
    columns:
      x: { type: number, dist: { normal: { mean: "x + 1", sd: 1 } } }
`);
    expect(errorOf(() => compileTable(s, 't')).code).toBe('model.self_reference');
  });
});

describe('interventions (do)', () => {
  it('fixes the column, descendants respond, ancestors do not change', async () => {
    const base = await draw(CHAIN, 1000);
    const done = await draw(CHAIN, 1000, { do: { b: 100 } });
    expect(done.col('a')).toEqual(base.col('a'));
    expect(new Set(done.col('b'))).toEqual(new Set([100]));
    const c = done.col('c') as number[];
    const mean = c.reduce((s, v) => s + v, 0) / c.length;
    expect(mean).toBeGreaterThan(199.8);
    expect(mean).toBeLessThan(200.2);
  });

  it('rejects an unknown column', () => {
    const { spec: s } = spec(CHAIN);
    const e = errorOf(() => compileTable(s, 't', { do: { nope: 1 } }));
    expect(e.message).toContain('"nope"');
  });
});

describe('conditional tables', () => {
  it('samples each parent state from its row (chi-square)', async () => {
    const yaml = `
strata: 1
tables:
  t:
    columns:
      g: { type: category, values: { a: 0.5, b: 0.5 } }
      age: { type: integer, dist: { uniform: { min: 0, max: 100 } } }
      y:
        type: category
        given: [g, age]
        conditional:
          parents: [{ column: g }, { column: age, breaks: [50] }]
          rows:
            - { when: [a, "0"], values: { u: 0.9, v: 0.1 } }
            - { when: [a, "1"], values: { u: 0.2, v: 0.8 } }
            - { when: [b, "0"], values: { u: 0.5, v: 0.5 } }
          default: { values: { u: 0.0, v: 1.0 } }
`;
    const r = await draw(yaml, 20000);
    const g = r.col('g');
    const age = r.col('age') as number[];
    const y = r.col('y');
    const cells: Record<string, [number, number]> = {};
    for (let i = 0; i < g.length; i++) {
      const k = `${g[i]}${age[i] >= 50 ? 1 : 0}`;
      cells[k] ??= [0, 0];
      cells[k][y[i] === 'u' ? 0 : 1]++;
    }
    const expectP: Record<string, number> = { a0: 0.9, a1: 0.2, b0: 0.5, b1: 0 };
    for (const [k, [u, v]] of Object.entries(cells)) {
      const n = u + v;
      if (expectP[k] === 0) {
        expect(u).toBe(0);
        continue;
      }
      const p = chiSquarePValue([u, v], [n * expectP[k], n * (1 - expectP[k])]);
      expect(p).toBeGreaterThan(0.001);
    }
  });

  it('"*" in when matches any state of that parent; a row of the exact state wins', async () => {
    const yaml = `
strata: 1
tables:
  t:
    columns:
      g: { type: category, values: { a: 0.25, b: 0.25, c: 0.25, d: 0.25 } }
      age: { type: integer, dist: { uniform: { min: 0, max: 100 } } }
      y:
        type: category
        given: [g, age]
        conditional:
          parents: [{ column: g }, { column: age, breaks: [50] }]
          rows:
            - { when: ["*", "1"], values: { old: 1 } }
            - { when: [a, "1"], values: { a_old: 1 } }
            - { when: [b, "*"], values: { b_any: 1 } }
          default: { values: { other: 1 } }
`;
    const r = await draw(yaml, 4000);
    const g = r.col('g');
    const age = r.col('age') as number[];
    const y = r.col('y');
    for (let i = 0; i < g.length; i++) {
      const old = age[i] >= 50;
      const want = g[i] === 'a' && old ? 'a_old' : old ? 'old' : g[i] === 'b' ? 'b_any' : 'other';
      expect(y[i]).toBe(want);
    }
    expect(new Set(y)).toEqual(new Set(['a_old', 'old', 'b_any', 'other']));
  });
});

describe('rules', () => {
  const RULES = `
strata: 1
tables:
  t:
    columns:
      income: { type: number, dist: { lognormal: { meanlog: 10, sdlog: 0.5 } }, min: 0 }
      limit: { type: number, given: [income], dist: { normal: { mean: "income * 0.5", sd: 5000 } }, min: 0 }
      kind: { type: category, values: { a: 1, b: 1, c: 1, d: 1 } }
      score: { type: integer, dist: { normal: { mean: 50, sd: 20 } } }
      bonus: { type: integer, dist: { uniform: { min: 0, max: 10 } } }
    rules:
      - { name: limit_below_income, check: "limit <= income" }
      - { name: kinds, check: "kind in ['a', 'b'] and kind != 'b' or kind == 'c'" }
      - { name: score_floor, check: "score > 10" }
      - { name: parity, check: "(score + bonus) % 2 == 0" }
`;
  it('hold on every row; bounds and sets by construction, the rest by local redraws', async () => {
    const { spec: s } = spec(RULES);
    const m = compileTable(s, 't');
    const enf = Object.fromEntries(
      m.rules.map((r) => [r.name, [...new Set(r.enforcement)].sort().join('+')]),
    );
    expect(enf).toEqual({
      limit_below_income: 'bound',
      kinds: 'residual',
      score_floor: 'bound',
      parity: 'residual',
    });
    const r = await draw(RULES, 20000);
    const inc = r.col('income') as number[];
    const lim = r.col('limit') as number[];
    const kind = r.col('kind');
    const score = r.col('score') as number[];
    const bonus = r.col('bonus') as number[];
    for (let i = 0; i < inc.length; i++) {
      expect(lim[i] <= inc[i] && lim[i] >= 0).toBe(true);
      expect(kind[i] === 'a' || kind[i] === 'c').toBe(true);
      expect(score[i]).toBeGreaterThan(10);
      expect((score[i] + bonus[i]) % 2).toBe(0);
    }
  });

  it('restricts categories by `in` and `!=` before sampling', async () => {
    const yaml = `
strata: 1
tables:
  t:
    columns:
      k: { type: category, values: { a: 1, b: 1, c: 1, d: 1 } }
    rules:
      - { name: only, check: "k in ['a', 'b', 'c'] and k != 'c'" }
`;
    const { spec: s } = spec(yaml);
    expect(compileTable(s, 't').rules[0].enforcement).toEqual(['set', 'set']);
    const r = await draw(yaml, 4000);
    const counts = { a: 0, b: 0 } as Record<string, number>;
    for (const v of r.col('k')) counts[String(v)]++;
    expect(counts.a + counts.b).toBe(4000);
    expect(chiSquarePValue([counts.a, counts.b], [2000, 2000])).toBeGreaterThan(0.001);
  });

  it('stops with the rule name, acceptance rate and columns when a rule is impossible', async () => {
    const yaml = `
strata: 1
tables:
  t:
    columns:
      a: { type: integer, dist: { uniform: { min: 0, max: 10 } } }
      b: { type: integer, dist: { uniform: { min: 0, max: 10 } } }
    rules:
      - { name: impossible, check: "a * b > 1000" }
`;
    const { spec: s } = spec(yaml);
    await expect(generateRows({ spec: s, rows: 100 })).rejects.toThrow(
      /rule "impossible" \(a \* b > 1000\) holds on only 0\.00% of draws .* over columns a, b/,
    );
  });

  it('stops when a rule only rarely holds (acceptance collapse below 1%)', async () => {
    const yaml = `
strata: 1
tables:
  t:
    columns:
      a: { type: integer, dist: { uniform: { min: 0, max: 100000 } } }
    rules:
      - { name: rare, check: "a % 1000 == 7" }
`;
    const { spec: s } = spec(yaml);
    const err = await generateRows({ spec: s, rows: 5000 }).catch((e) => e as StrataError);
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).code).toBe('generate.rule_infeasible');
    expect((err as StrataError).message).toMatch(/rule "rare" .* holds on only 0\.\d+% of draws/);
  });

  it('rejects infeasible bounds between columns (a lower bound above the max)', async () => {
    const yaml = `
strata: 1
tables:
  t:
    columns:
      a: { type: integer, dist: { uniform: { min: 50, max: 60 } } }
      b: { type: integer, dist: { uniform: { min: 0, max: 10 } }, min: 0, max: 40 }
    rules:
      - { name: b_above_a, check: "b >= a" }
`;
    const { spec: s } = spec(yaml);
    await expect(generateRows({ spec: s, rows: 10 })).rejects.toThrow(
      /rule "b_above_a" .* holds on only 0\.00%.*columns b, a/,
    );
  });

  it('a rule that is constant false is an error before drawing', () => {
    const { spec: s } = spec(`
strata: 1
tables:
  t:
    columns:
      a: { type: integer, dist: { uniform: { min: 0, max: 1 } } }
    rules:
      - { name: never, check: "1 > 2" }
`);
    expect(errorOf(() => compileTable(s, 't')).code).toBe('model.rule_never_holds');
  });
});

describe('spec errors found while compiling', () => {
  const cases: [string, string, RegExp][] = [
    [
      'unknown name in an expression, with a suggestion',
      `
strata: 1
tables:
  t:
    columns:
      income: { type: number, dist: { normal: { mean: 1, sd: 1 } } }
      x: { type: number, dist: { normal: { mean: "incme * 2", sd: 1 } } }
`,
      /test\.yaml:\d+:\d+ tables\.t\.columns\.x\.dist\.normal\.mean: .*incme.*income/,
    ],
    [
      'expression syntax error',
      `
strata: 1
tables:
  t:
    columns:
      x: { type: number, dist: { normal: { mean: "1 + * 2", sd: 1 } } }
`,
      /tables\.t\.columns\.x\.dist\.normal\.mean: .*/,
    ],
    [
      'truncation that leaves no probability',
      `
strata: 1
tables:
  t:
    columns:
      x: { type: number, dist: { normal: { mean: 0, sd: 1 } }, min: 100, max: 101 }
`,
      /leave no probability under normal\(mean=0, sd=1\)/,
    ],
    [
      'rule over an unknown column',
      `
strata: 1
tables:
  t:
    columns:
      x: { type: number, dist: { normal: { mean: 0, sd: 1 } } }
    rules:
      - { name: r, check: "y > 0" }
`,
      /tables\.t\.rules\[0\]\.check: .*"y"/,
    ],
  ];
  for (const [what, yaml, re] of cases) {
    it(what, () => {
      let msg = '';
      try {
        const { spec: s } = spec(yaml);
        const loaded = parseSpecText(yaml, 'test.yaml');
        compileTable(s, 't', { locator: { file: 'test.yaml', locate: (p) => loaded.source.locate(p) } });
      } catch (e) {
        msg = e instanceof StrataError ? e.format() : String(e);
      }
      expect(msg).toMatch(re);
    });
  }

  it('an invalid parameter for some rows names the column and the parent values', async () => {
    const { spec: s } = spec(`
strata: 1
tables:
  t:
    columns:
      a: { type: integer, dist: { uniform: { min: -5, max: 5 } } }
      b: { type: number, given: [a], dist: { normal: { mean: 0, sd: a } } }
`);
    await expect(generateRows({ spec: s, rows: 1000 })).rejects.toThrow(
      /column "b" could not be drawn for row \d+ \(a=-?\d\)/,
    );
  });
});
