import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { CARD_CUSTOMERS_YAML } from './examples.js';
import { checkSpecText, loadSpec, parseSpecText, SpecError, specError } from './index.js';

/** 1-based column of `needle` on 1-based `line` of `text`, computed independently of the locator. */
function col(text: string, line: number, needle: string): number {
  const i = text.split('\n')[line - 1].indexOf(needle);
  if (i < 0) throw new Error(`"${needle}" not on line ${line}`);
  return i + 1;
}

describe('the card-customers example', () => {
  it('validates with zero issues', () => {
    const { issues, spec } = checkSpecText(CARD_CUSTOMERS_YAML, 'card.yaml');
    expect(issues.map((i) => i.format())).toEqual([]);
    expect(spec?.tables.customer.columns.age).toEqual({
      type: 'integer',
      dist: { normal: { mean: 41, sd: 13 } },
      min: 18,
      max: 95,
    });
    expect(spec?.coverage?.customer.min_per_cell).toBe(200);
    expect(spec?.tails?.[0].share).toBe(0.01);
  });

  it('has a stable hash that ignores formatting and key order but not content', () => {
    const a = parseSpecText(CARD_CUSTOMERS_YAML, 'card.yaml');
    expect(a.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(a.hash).toBe('3729ae983c2c175f');
    expect(parseSpecText(CARD_CUSTOMERS_YAML, 'other-name.yaml').hash).toBe(a.hash);
    const reordered = {
      tails: a.spec.tails,
      coverage: a.spec.coverage,
      tables: a.spec.tables,
      seed: 42,
      name: 'card-customers',
      strata: 1,
    };
    expect(parseSpecText(JSON.stringify(reordered, null, 2), 'card.json').hash).toBe(a.hash);
    const reseeded = parseSpecText(CARD_CUSTOMERS_YAML.replace('seed: 42', 'seed: 43'), 'card.yaml');
    expect(reseeded.hash).not.toBe(a.hash);
  });

  it('locates spec paths at 1-based line/column, falling back to the nearest ancestor', () => {
    const { source } = parseSpecText(CARD_CUSTOMERS_YAML, 'card.yaml');
    expect(source.file).toBe('card.yaml');
    expect(source.text).toBe(CARD_CUSTOMERS_YAML);
    expect(source.locate([])).toEqual({ line: 1, column: 1 });
    expect(source.locate(['seed'])).toEqual({ line: 3, column: 7 });
    expect(source.locate(['tables', 'customer', 'columns', 'age', 'dist'])).toEqual({
      line: 9,
      column: col(CARD_CUSTOMERS_YAML, 9, '{ normal'),
    });
    expect(source.locate(['tables', 'customer', 'columns', 'income'])).toEqual({ line: 11, column: 9 });
    expect(source.locate(['tables', 'customer', 'columns', 'income', 'given', 1])).toEqual({
      line: 12,
      column: col(CARD_CUSTOMERS_YAML, 12, 'age]'),
    });
    expect(source.locate(['tables', 'customer', 'rules', 0, 'check'])).toEqual({
      line: 22,
      column: col(CARD_CUSTOMERS_YAML, 22, '"card_limit'),
    });
    expect(source.locate(['tails', 0])).toEqual({ line: 29, column: 5 });
    // no such column: the nearest existing ancestor (the columns map, starting at "segment")
    expect(source.locate(['tables', 'customer', 'columns', 'nope', 'dist'])).toEqual({ line: 8, column: 7 });
  });
});

describe('JSON input', () => {
  const json = `{
  "strata": 1,
  "tables": {
    "t": {
      "columns": {
        "x": { "type": "number", "dist": { "normal": { "mean": 0, "sd": 1 } } },
        "k": { "type": "category", "values": ["a", "b"] }
      }
    }
  }
}`;
  it('parses, validates and keeps positions', () => {
    const loaded = parseSpecText(json, 'spec.json');
    expect(loaded.spec.tables.t.columns.k.values).toEqual(['a', 'b']);
    expect(loaded.source.locate(['tables', 't', 'columns', 'x', 'dist', 'normal', 'sd'])).toEqual({
      line: 6,
      column: col(json, 6, '1 }'),
    });
  });
  it('accepts tab-indented JSON', () => {
    expect(parseSpecText(json.replace(/^ {2}/gm, '\t'), 'tabs.json').spec.strata).toBe(1);
  });
  it('reports JSON problems with places too', () => {
    const bad = json.replace('"sd": 1', '"sd": [1]');
    expect(() => parseSpecText(bad, 'spec.json')).toThrow(SpecError);
    const { issues } = checkSpecText(bad, 'spec.json');
    expect(col(bad, 6, '[1]')).toBe(73);
    expect(issues.map((i) => i.format())).toEqual([
      'spec.json:6:73 tables.t.columns.x.dist.normal.sd: expected a number or an expression string, got a list — write a number like 0.5, or an expression in quotes like "age * 2"',
    ]);
  });
});

describe('YAML conveniences', () => {
  it('supports anchors and << merge keys to reuse column definitions', () => {
    const text = [
      'strata: 1',
      'tables:',
      '  t:',
      '    columns:',
      '      a: &score { type: number, dist: { normal: { mean: 0, sd: 1 } }, min: -3 }',
      '      b: { <<: *score, max: 3 }',
      '',
    ].join('\n');
    const { spec } = parseSpecText(text, 'merge.yaml');
    expect(spec.tables.t.columns.b).toEqual({
      type: 'number',
      dist: { normal: { mean: 0, sd: 1 } },
      min: -3,
      max: 3,
    });
  });
});

describe('SpecError and specError', () => {
  it('formats every issue on its own line, then the count', () => {
    const text =
      'strata: 1\ntables:\n  t:\n    columns:\n      a: { type: strng }\n      b: { type: number }\n';
    let caught: unknown;
    try {
      parseSpecText(text, 's.yaml');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SpecError);
    expect(caught).toBeInstanceOf(StrataError);
    const err = caught as SpecError;
    expect(err.code).toBe('spec.invalid');
    expect(err.issues).toHaveLength(2);
    expect(err.format().split('\n')).toEqual([
      's.yaml:5:18 tables.t.columns.a.type: unknown column type "strng" — did you mean "string"?',
      's.yaml:6:7 tables.t.columns.b: number column "b" has no mechanism — add dist, conditional or expr',
      '2 problems in s.yaml',
    ]);
    expect(err.summary).toBe('2 problems in s.yaml');
    expect(err.message).toBe(err.format());
  });

  it('places engine errors with file:line:col and the dotted path', () => {
    const { source } = parseSpecText(CARD_CUSTOMERS_YAML, 'card.yaml');
    const e = specError(
      source,
      ['tables', 'customer', 'rules', 0, 'check'],
      'expr.unknown_name',
      'unknown name "incme"',
      'did you mean "income"?',
    );
    expect(e.code).toBe('expr.unknown_name');
    expect(e.place).toEqual({
      file: 'card.yaml',
      line: 22,
      column: 44,
      path: 'tables.customer.rules[0].check',
    });
    expect(e.format()).toBe(
      'card.yaml:22:44 tables.customer.rules[0].check: unknown name "incme" — did you mean "income"?',
    );
  });
});

describe('loadSpec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-spec-'));
  it('reads a file', async () => {
    const path = join(dir, 'card.yaml');
    writeFileSync(path, CARD_CUSTOMERS_YAML);
    const loaded = await loadSpec(path);
    expect(loaded.source.file).toBe(path);
    expect(loaded.hash).toBe('3729ae983c2c175f');
  });
  it('names the path when the file is missing', async () => {
    const path = join(dir, 'missing.yaml');
    const err = await loadSpec(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).code).toBe('spec.not_found');
    expect((err as StrataError).format()).toBe(
      `${path}: spec file not found — check the path (it is relative to the current directory)`,
    );
  });
  it('names the path when it is a directory', async () => {
    const err = await loadSpec(dir).catch((e: unknown) => e);
    expect((err as StrataError).code).toBe('spec.not_a_file');
    expect((err as StrataError).format()).toContain(dir);
  });
  it('throws a SpecError naming the file for an invalid file', async () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'strata: 1\ntables: {}\n');
    const err = await loadSpec(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).format()).toContain(`1 problem in ${path}`);
  });
});
