import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StrataError } from '../errors.js';
import { parseJsonArrayText, parseJsonLinesText } from './json-read.js';
import { readTable } from './read-table.js';
import { toRecords } from './table.js';

function thrown(f: () => unknown): StrataError {
  try {
    f();
  } catch (e) {
    return e as StrataError;
  }
  throw new Error('expected a throw');
}

describe('parseJsonLinesText', () => {
  it('orders columns by first appearance and fills keys missing on some lines with null', () => {
    const t = parseJsonLinesText('{"a":1,"b":"x"}\n{"c":true}\n\n{"b":null,"a":2.5}\n', 'r.jsonl');
    expect(t.columns).toEqual(['a', 'b', 'c']);
    expect(t.rowCount).toBe(3);
    expect(t.data).toEqual([
      ['1', null, '2.5'],
      ['x', null, null],
      [null, 'true', null],
    ]);
    expect(toRecords(t)[1]).toEqual({ a: null, b: null, c: 'true' });
  });

  it('keeps strings literally among strings (a token is a value) and reads CRLF and a BOM', () => {
    const t = parseJsonLinesText('\ufeff{"a":"NA"}\r\n{"a":""}\r\n', 'r.jsonl');
    expect(t.data).toEqual([['NA', '']]);
    // only a token among nothing but tokens: still a value (JSON says missing with null)
    expect(parseJsonLinesText('{"a":"None"}\n{"a":null}\n', 'r.jsonl').data).toEqual([['None', null]]);
  });

  it('reads a token string as missing among JSON numbers or booleans (jsonlite writes NA so)', () => {
    const t = parseJsonLinesText(
      '{"n":1,"b":true,"s":"1"}\n{"n":"NA","b":"NA","s":"NA"}\n{"n":2.5,"b":false,"s":"2"}\n',
      'r.jsonl',
    );
    expect(t.data).toEqual([
      ['1', null, '2.5'],
      ['true', null, 'false'],
      ['1', 'NA', '2'], // strings that look like numbers are strings: the token stays a value
    ]);
    expect(t.naTokens).toEqual([
      { column: 'n', token: 'NA', count: 1, readAs: 'missing' },
      { column: 'b', token: 'NA', count: 1, readAs: 'missing' },
      { column: 's', token: 'NA', count: 1, readAs: 'value' },
    ]);
  });

  it('reads listed tokens as missing (na_values), strings or numbers', () => {
    const t = parseJsonLinesText('{"a":"None","x":-999}\n{"a":"b","x":3}\n', 'r.jsonl', {
      naValues: ['None', '-999'],
    });
    expect(t.data).toEqual([
      [null, 'b'],
      [null, '3'],
    ]);
  });

  it('reports invalid JSON with the 1-based line number', () => {
    const err = thrown(() => parseJsonLinesText('{"a":1}\n\n{"a":2,}\n', 'r.jsonl'));
    expect(err.code).toBe('io.json');
    expect(err.place).toEqual({ file: 'r.jsonl', line: 3 });
    expect(err.message).toMatch(/invalid JSON/);
  });

  it('reports nested objects and arrays naming the line and key', () => {
    const obj = thrown(() => parseJsonLinesText('{"a":1}\n{"a":2,"addr":{"city":"X"}}\n', 'r.jsonl'));
    expect(obj.place.line).toBe(2);
    expect(obj.message).toContain('key "addr" holds an object');
    const arr = thrown(() => parseJsonLinesText('{"tags":["x"]}\n', 'r.jsonl'));
    expect(arr.message).toContain('key "tags" holds an array');
    expect(arr.format()).toMatch(/^r\.jsonl:1: /);
  });

  it('rejects lines that are not objects', () => {
    const err = thrown(() => parseJsonLinesText('{"a":1}\n[1,2]\n', 'r.jsonl'));
    expect(err.place.line).toBe(2);
    expect(err.message).toContain('found an array');
  });

  it('applies limit and columns', () => {
    const t = parseJsonLinesText('{"a":1,"b":2}\n{"a":3,"b":4}\n{"a":5,"b":6}\n', 'r.jsonl', {
      limit: 2,
      columns: ['b'],
    });
    expect(t.columns).toEqual(['b']);
    expect(t.data).toEqual([['2', '4']]);
  });
});

describe('parseJsonArrayText', () => {
  it('reads an array of objects', () => {
    const t = parseJsonArrayText('[{"a":1},{"a":null,"b":"y"}]', 't.json');
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.data).toEqual([
      ['1', null],
      [null, 'y'],
    ]);
  });

  it('reports the element and key of a nested value, and the line of a syntax error', () => {
    const nested = thrown(() => parseJsonArrayText('[{"a":1},{"a":{"x":1}}]', 't.json'));
    expect(nested.place).toEqual({ file: 't.json', path: '[1]' });
    expect(nested.message).toContain('key "a"');
    const syntax = thrown(() => parseJsonArrayText('[\n{"a":1},\n{"a":2,,}\n]', 't.json'));
    expect(syntax.code).toBe('io.json');
    expect(syntax.place.line).toBe(3);
    const notArray = thrown(() => parseJsonArrayText('{"a":1}', 't.json'));
    expect(notArray.message).toContain('expected an array of objects');
  });
});

describe('readTable on JSON files', () => {
  it('reads .jsonl, .ndjson and .json by extension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-io-json-'));
    writeFileSync(join(dir, 'a.jsonl'), '{"x":1}\n');
    writeFileSync(join(dir, 'b.ndjson'), '{"x":1}\n');
    writeFileSync(join(dir, 'c.json'), '[{"x":1}]');
    for (const f of ['a.jsonl', 'b.ndjson', 'c.json']) {
      const t = await readTable(join(dir, f));
      expect(t.data).toEqual([['1']]);
    }
  });
});
