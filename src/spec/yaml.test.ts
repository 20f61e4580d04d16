import { describe, expect, it } from 'vitest';
import { parseGates } from '../evaluate/gates.js';
import { parseKnowledgeText } from '../fit/knowledge.js';
import { CARD_CUSTOMERS_YAML } from './examples.js';
import { checkSpecText, parseSpecText } from './index.js';
import { loadYaml, MAX_ALIAS_NODES, readYamlFast, toYaml, YamlDocument } from './yaml.js';

/** The positioned reader's value (the slow path), or the problem it found. */
function slow(text: string): unknown {
  const doc = new YamlDocument('x.yaml', text);
  const problems = doc.problems();
  if (problems.length) return { problems };
  const r = doc.value();
  return 'value' in r ? r.value : r;
}

/** 9 levels of 9 aliases of the level below: 9^9 (387 million) strings from 82 lines. */
const LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((l, i) => {
    const prev = 'abcdefgh'[i];
    return `${l}: &${l} [${Array(9).fill(`*${prev}`).join(',')}]`;
  }),
].join('\n');

/** One big list aliased 900 times: under the alias-count guard, 9 million values once expanded. */
const WIDE = `big: &big [${Array.from({ length: 10_000 }, (_, i) => i % 10).join(',')}]\nuses:\n${'  - *big\n'.repeat(900)}`;

describe('the fast path (js-yaml) reads what the positioned parse reads', () => {
  it('gives the same values for a corpus of YAML 1.2 scalars and collections', () => {
    const cases = [
      '1_000',
      '0o17',
      '0x1F',
      '+12',
      '.5',
      '1e3',
      '.inf',
      '-.Inf',
      '.NaN',
      '~',
      'Null',
      'TRUE',
      'yes',
      'on',
      '2024-01-01',
      '012',
      '1:20',
      '0b101',
      '"q"',
      "'x'",
      '[1, "2", c]',
      '{b: 1}',
      '-0',
      '1.0',
      '0.',
      '1E+3',
      '07',
      '08',
      '"*"',
      '!!str 3',
      '1e',
      '3.',
      '.',
      '1.5e-7',
      'True',
      'nan',
      'Infinity',
      'NO',
      "'1'",
      '123456789012345678901234567890',
      '9007199254740993',
      '"\\u00e9"',
      '|\n  a\n  b\n',
      '>\n  a\n  b\n',
    ];
    for (const c of cases) {
      const text = `a: ${c}`;
      expect(readYamlFast(text), text).toEqual(slow(text));
    }
  });

  it('parses the bundled specs and a fitted model to the same spec, with positions on demand', async () => {
    const { fitTable } = await import('../fit/fit.js');
    const { Spec } = await import('./schema.js');
    const rows = Array.from({ length: 400 }, (_, i) => [String(i % 7), i % 3 ? 'a' : 'b', (i * 37) % 101]);
    const fitted = fitTable(
      {
        name: 'fx',
        columns: ['x', 'g', 'y'],
        rowCount: rows.length,
        data: [0, 1, 2].map((c) => rows.map((r) => String(r[c]))),
      },
      { seed: 1 },
    ).yaml;
    for (const [name, text] of [
      ['card.yaml', CARD_CUSTOMERS_YAML],
      ['fitted.yaml', fitted],
    ] as const) {
      expect(readYamlFast(text), name).toEqual(slow(text));
      const { spec, source } = parseSpecText(text, name);
      expect(spec, name).toEqual(Spec.parse(slow(text)));
      expect(source.locate(['tables'])?.line, name).toBeGreaterThan(0);
    }
  });

  it('gives up (undefined) on anything unusual, which the positioned parse then places', () => {
    for (const text of ['a: 1\na: 2\n', 'a: !foo x\n', 'a: [1\n', LAUGHS, WIDE]) {
      expect(readYamlFast(text), text.slice(0, 30)).toBeUndefined();
    }
    const flood = `strata: 1\nx: &a [1]\ny: [${Array.from({ length: 1001 }, () => '*a').join(', ')}]\ntables: {}\n`;
    const f = checkSpecText(flood, 'flood.yaml');
    expect(f.spec).toBeUndefined();
    expect(f.issues.map((i) => i.code)).toContain('spec.yaml');
    const dup = checkSpecText('strata: 1\nstrata: 1\ntables: {}\n', 'dup.yaml');
    expect(dup.issues.map((i) => i.code)).toContain('spec.duplicate_key');
    expect(dup.issues[0].place.line).toBe(2);
  });
});

describe('safe limits, the same for every file', () => {
  it('a "billion laughs" of nested aliases fails at once with a placed error', () => {
    const t0 = performance.now();
    expect(() => loadYaml(LAUGHS, 'laughs.yaml', 'spec.yaml')).toThrow(
      expect.objectContaining({
        code: 'spec.yaml',
        message: expect.stringMatching(/too many aliases/),
        place: expect.objectContaining({ file: 'laughs.yaml', line: 2 }),
      }),
    );
    const spec = checkSpecText(`strata: 1\n${LAUGHS}\ntables: {}\n`, 'laughs.yaml');
    expect(spec.issues.map((i) => i.code)).toEqual(['spec.yaml']);
    expect(performance.now() - t0).toBeLessThan(5000); // not the minutes (and gigabytes) of expanding it
  });

  it('a big anchor aliased many times (under the alias-count guard) is refused by its expansion', () => {
    expect(() => loadYaml(WIDE, 'wide.yaml', 'fit.knowledge')).toThrow(
      expect.objectContaining({
        code: 'fit.knowledge',
        message: `aliases expand this file by more than ${MAX_ALIAS_NODES.toLocaleString('en-US')} values`,
        place: expect.objectContaining({ line: 3, column: 5 }), // the first alias
      }),
    );
    // a few aliases of small anchors are fine (specs reuse column definitions so)
    expect(loadYaml('a: &x {t: 1}\nb: *x\nc: {<<: *x, u: 2}\n', 'ok.yaml', 'spec.yaml').value).toEqual({
      a: { t: 1 },
      b: { t: 1 },
      c: { t: 1, u: 2 },
    });
  });

  it('refuses custom and language tags, naming the place; core tags are data', () => {
    for (const [text, tag] of [
      ['a: 1\nb: !foo x\n', '!foo'],
      ['a: 1\nb: !!binary aGk=\n', '!!binary'],
      ['a: 1\nb: !!js/function "function () {}"\n', '!!js/function'],
      ['a: 1\nb: !!python/object:os.system [ls]\n', '!!python/object:os.system'],
      ['a: 1\nb: !!set {x, y}\n', '!!set'],
    ]) {
      expect(() => loadYaml(text, 't.yaml', 'text.plan_yaml'), text).toThrow(
        expect.objectContaining({
          code: 'text.plan_yaml',
          message: `the tag ${tag} is not allowed`,
          place: expect.objectContaining({ line: 2, column: 4 }),
        }),
      );
    }
    expect(loadYaml('a: !!str 12\nb: !!int "3"\nc: ! x\n', 't.yaml', 'spec.yaml').value).toEqual({
      a: '12',
      b: 3,
      c: 'x',
    });
  });

  it('refuses nesting deeper than the limit, with a place', () => {
    for (const depth of [300, 20_000]) {
      const text = `a: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
      expect(() => loadYaml(text, 'deep.yaml', 'evaluate.gate')).toThrow(
        expect.objectContaining({ code: 'evaluate.gate', message: expect.stringMatching(/nested/) }),
      );
    }
  });

  it('gives every loader line:col in its YAML errors, under its own code', () => {
    const broken = 'a: 1\nb: [1, 2\nc: 3\n';
    for (const [load, code] of [
      [() => parseGates(broken, 'g.yaml'), 'evaluate.gate'],
      [() => parseKnowledgeText(broken, 'k.yaml'), 'fit.knowledge'],
      [() => loadYaml(broken, 'p.yaml', 'text.plan_yaml'), 'text.plan_yaml'],
    ] as const) {
      expect(load).toThrow(
        expect.objectContaining({
          code,
          place: expect.objectContaining({ line: expect.any(Number), column: expect.any(Number) }),
        }),
      );
    }
    expect(() => parseGates('a: 1\na: 2\n', 'g.yaml')).toThrow(
      expect.objectContaining({
        message: 'duplicate key "a"',
        place: expect.objectContaining({ line: 2, column: 1 }),
      }),
    );
  });
});

describe('toYaml', () => {
  it('writes plain data that reads back the same, with comments and flow style on request', () => {
    const value = {
      strata: 1,
      tables: { t: { columns: { constructor: { type: 'x', values: [1, 2] }, b: { type: 'y' } } } },
    };
    const text = toYaml(value, {
      header: ['made by a test'],
      flow: ({ kind }) => kind === 'seq',
      keyComments: [{ map: ['tables', 't', 'columns'], comments: new Map([['b', 'the b column']]) }],
    });
    expect(text).toMatch(/^# made by a test\n/);
    expect(text).toContain('values: [1, 2]');
    expect(text).toContain('# the b column\n');
    expect(text).not.toMatch(/# .*function/); // a column named like an Object method gets no comment
    expect(loadYaml(text, 'x.yaml', 'spec.yaml').value).toEqual(value);
  });
});
