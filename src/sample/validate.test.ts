import { describe, expect, it } from 'vitest';
import { isStrataError } from '../errors.js';
import { parseSpecText } from '../spec/parse.js';
import { validateSpec } from './validate.js';

const SPEC = `strata: 1
tables:
  t:
    rows: 10
    columns:
      limit: { type: number, given: [income], dist: { normal: { mean: "income * 0.2", sd: 5 } } }
      income: { type: number, dist: { lognormal: { meanlog: 10, sdlog: 0.5 } }, min: 0 }
      segment: { type: category, values: { a: 0.5, b: 0.5 } }
    rules:
      - { name: below, check: "limit <= income" }
      - { name: not_b, check: "segment != 'b' or income > 0" }
`;

describe('validateSpec', () => {
  it('reports each table: columns, parent-first draw order, how each rule is held', () => {
    const v = validateSpec(parseSpecText(SPEC, 'spec.yaml'));
    expect(v.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(v.tables).toHaveLength(1);
    const t = v.tables[0];
    expect(t.table).toBe('t');
    expect(t.columns).toEqual(['limit', 'income', 'segment']);
    expect(t.drawOrder.indexOf('income')).toBeLessThan(t.drawOrder.indexOf('limit'));
    expect(t.rules.map((r) => r.name)).toEqual(['below', 'not_b']);
    expect(t.rules[0].enforcement).toEqual(['bound']);
  });

  it('a spec that parses but cannot be compiled throws a placed StrataError', () => {
    const loaded = parseSpecText(SPEC.replace('"income * 0.2"', '"foo(income)"'), 'spec.yaml');
    let caught: unknown;
    try {
      validateSpec(loaded);
    } catch (e) {
      caught = e;
    }
    if (!isStrataError(caught)) throw new Error(`expected a StrataError, got ${String(caught)}`);
    expect(caught.message).toContain('unknown function "foo"');
    expect(caught.place).toMatchObject({
      file: 'spec.yaml',
      line: 6,
      path: 'tables.t.columns.limit.dist.normal.mean',
    });
  });
});
