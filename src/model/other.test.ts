import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { streamFor } from '../random/stream.js';
import { generateRows } from '../sample/index.js';
import { parseSpecText } from '../spec/parse.js';
import type { TextLaw } from '../spec/schema.js';
import { compileTextLaw } from './text-law.js';

// A character chain that spells fresh names: "zo", "zor", "zoro", ... (never "x" or "(other)").
const LAW = `{ unit: char, order: 1, rows: 10, states: [
          { after: "", next: [z], n: [1] },
          { after: z, next: [o], n: [1] },
          { after: o, next: [r, ""], n: [1, 1] },
          { after: r, next: [o], n: [1] } ] }`;

const spec = (other: string, extra = '') =>
  parseSpecText(
    `strata: 1
tables:
  t:
    rows: 400
    columns:
      a:
        type: category
        values: { x: 0.5, "(other)": 0.5 }
${other}
      b:
        type: category
        given: [a]
        conditional:
          parents: [{ column: a }]
          rows:
            - { when: [x], values: { bx: 1 } }
            - { when: ["(other)"], values: { bo: 1 } }
${extra}`,
    'other.yaml',
  );

const column = (data: unknown[][], k: number) => data[k] as (string | null)[];

describe('a category with other: writes its pooled state as fresh values', () => {
  it('never writes "(other)"; children given "(other)" still read the state', async () => {
    const { spec: s } = spec(`        other: { text: ${LAW} }`);
    const { data } = await generateRows({ spec: s, rows: 400, seed: 3 });
    const a = column(data, 0);
    const b = column(data, 1);
    expect(a).not.toContain('(other)');
    const fresh = a.filter((v) => v !== 'x');
    expect(fresh.length).toBeGreaterThan(100);
    for (const v of fresh) expect(v).toMatch(/^zo(ro)*$/);
    // the child drew its "(other)" row wherever the parent's state was "(other)"
    expect(b).toEqual(a.map((v) => (v === 'x' ? 'bx' : 'bo')));
  });

  it('without text: the pooled mass is drawn as the listed values', async () => {
    const { spec: s } = spec('        other: {}');
    const { data } = await generateRows({ spec: s, rows: 400, seed: 3 });
    expect(new Set(column(data, 0))).toEqual(new Set(['x']));
    // the child still read the state that was drawn first
    expect(new Set(column(data, 1))).toEqual(new Set(['bx', 'bo']));
  });

  it('--do a=(other) gives fresh values and the children of the state', async () => {
    const { spec: s } = spec(`        other: { text: ${LAW} }`);
    const { data } = await generateRows({ spec: s, rows: 50, seed: 3, do: { a: '(other)' } });
    for (const v of column(data, 0)) expect(v).toMatch(/^zo(ro)*$/);
    expect(new Set(column(data, 1))).toEqual(new Set(['bo']));
  });

  it('a spec without other: writes the state as it is (hand-written specs keep their meaning)', async () => {
    const { spec: s } = spec('');
    const { data } = await generateRows({ spec: s, rows: 200, seed: 3 });
    expect(column(data, 0)).toContain('(other)');
  });

  it('fills a coverage cell of the pooled state with fresh values, and counts it', async () => {
    const { spec: s } = spec(
      `        other: { text: ${LAW} }`,
      `coverage:
  t:
    axes: [a]
    min_per_cell: 30`,
    );
    const r = await generateRows({ spec: s, rows: 100, seed: 3 });
    expect(column(r.data, 0)).not.toContain('(other)');
    const comp = r.coverage?.components.find((c) => c.labels?.a === '(other)');
    // rows are counted in the cell of the state they were drawn in, read back from the fresh value
    expect(comp?.delivered).toBeGreaterThanOrEqual(30);
    const other = (r.data[r.columns.indexOf('_cell')] as string[]).filter((c) => c.includes('(other)'));
    expect(other.length).toBeGreaterThanOrEqual(30);
  });

  it('refuses other: on a non-category column and a state the column does not list, at file:line:col', async () => {
    const bad = async (text: string) => {
      const { spec: s, source } = parseSpecText(text, 'bad.yaml');
      const e = await generateRows({
        spec: s,
        rows: 5,
        seed: 1,
        locator: { file: 'bad.yaml', locate: (p) => source.locate(p) },
      }).catch((x) => x);
      expect(e).toBeInstanceOf(StrataError);
      return e as StrataError;
    };
    const head = 'strata: 1\ntables:\n  t:\n    rows: 5\n    columns:\n';
    const e1 = await bad(
      `${head}      n:\n        type: integer\n        values: [1, 2]\n        other: {}\n`,
    );
    expect(e1.code).toBe('model.bad_other');
    expect(e1.format()).toMatch(/bad\.yaml:9:\d+/);
    const e2 = await bad(
      `${head}      c:\n        type: category\n        values: [p, q]\n        other:\n          state: rare\n`,
    );
    expect(e2.code).toBe('model.bad_other');
    expect(e2.message).toMatch(/"rare", which is not a value/);
    expect(e2.format()).toMatch(/bad\.yaml:10:\d+/);
  });
});

describe('min_units of a text law', () => {
  it('does not end a draw before min_units where the chain can go on', () => {
    const law: TextLaw = {
      unit: 'char',
      order: 1,
      rows: 10,
      max_units: 8,
      min_units: 5,
      states: [
        { after: '', next: ['1'], n: [1] },
        { after: '1', next: ['2', ''], n: [1, 3] },
        { after: '2', next: ['1', ''], n: [1, 3] },
      ],
    };
    const c = compileTextLaw(law);
    const rng = streamFor(1, 'min-units');
    const lengths = Array.from({ length: 300 }, () => c.sample(undefined, rng)!.length);
    expect(Math.min(...lengths)).toBe(5);
    const free = compileTextLaw({ ...law, min_units: undefined });
    const short = Array.from({ length: 300 }, () => free.sample(undefined, rng)!.length);
    expect(Math.min(...short)).toBeLessThan(5);
  });
});
