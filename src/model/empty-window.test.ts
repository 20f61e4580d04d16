import { describe, expect, it } from 'vitest';
import { parseSpecText } from '../spec/parse.js';
import { emptyWindow } from './empty-window.js';

const spec = (parentRules: string, childRules: string) =>
  parseSpecText(
    `strata: 1
tables:
  p:
    rows: 1
    key: id
    columns:
      id: { type: id }
      a: { type: number, dist: { normal: { mean: 0, sd: 1 } } }
      m: { type: number, dist: { normal: { mean: 0, sd: 1 } } }
      b: { type: number, dist: { normal: { mean: 0, sd: 1 } } }
    rules: [${parentRules}]
  c:
    parent: p
    columns:
      t: { type: number, dist: { normal: { mean: 0, sd: 1 } } }
    rules: [${childRules}]
`,
    's.yaml',
  ).spec;

const window = (parentRules: string, childRules: string) =>
  emptyWindow(spec(parentRules, childRules), 'c', ['p']);

describe('windows the rules make empty for every row', () => {
  it('follows a chain of the parent rules, strict anywhere on it', () => {
    const w = window(
      '{ name: r1, check: "b <= m" }, { name: r2, check: "a > m" }',
      '{ name: lo, check: "t >= parent.a" }, { name: hi, check: "t <= p.b" }',
    );
    expect(w).toMatchObject({ column: 't', lower: 'parent.a', upper: 'p.b', lowerRule: 0, upperRule: 1 });
    expect(w?.because).toBe('the rules of "p" make b < a');
  });

  it('needs a strict side when the parent rules only give b <= a, or the bounds are one column', () => {
    const closed = '{ name: lo, check: "t >= parent.a" }, { name: hi, check: "t <= parent.b" }';
    expect(window('{ name: r, check: "b <= a" }', closed)).toBeUndefined();
    expect(
      window('{ name: r, check: "b <= a" }', '{ name: w, check: "t > parent.a and t <= parent.b" }'),
    ).toBeDefined();
    expect(window('', '{ name: w, check: "t >= parent.a and t <= parent.a" }')).toBeUndefined();
    expect(window('', '{ name: w, check: "t > parent.a and t <= parent.a" }')).toBeDefined();
  });

  it('says nothing when the parent rules order the window the right way, or not at all', () => {
    const open = '{ name: lo, check: "t > parent.a" }, { name: hi, check: "t < parent.b" }';
    expect(window('{ name: r, check: "a < b" }', open)).toBeUndefined();
    expect(window('', open)).toBeUndefined();
  });
});
