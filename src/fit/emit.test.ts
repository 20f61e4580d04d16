import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateRows } from '../sample/index.js';
import { parseSpecText } from '../spec/index.js';
import { MAX_LINE, specToYaml, wrapYaml } from './emit.js';
import { fitTable } from './fit.js';
import { sampleTruth } from './testing/truth.js';

describe('wrapYaml', () => {
  it('wraps long flow collections and comments so YAML reads the same value', () => {
    const value = {
      a: { knots: Array.from({ length: 300 }, (_, i) => i * 1.25), tag: 'x' },
      rows: [{ when: Array.from({ length: 80 }, (_, i) => `v, "${i}"`), n: 3 }],
      atoms: Object.fromEntries(Array.from({ length: 90 }, (_, i) => [String(i * 7), 0.001 * i])),
    };
    const text = specToYaml(value as never, { header: ['word '.repeat(120)], columnComments: {} });
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_LINE);
    expect(parse(text)).toEqual(value);
  });

  it("writes a tree leaf's when in flow style, lists of states inside it", () => {
    const value = { rows: [{ when: [['Husband', 'Wife'], '*', 'NA'], n: 3 }] };
    const text = specToYaml(value as never, { header: [], columnComments: {} });
    expect(text).toMatch(/when: \[\[Husband, Wife\], "\*", NA\]/);
    expect(parse(text)).toEqual(value);
  });

  it('writes a category row as one flow line, and a long one wrapped so it reads the same', () => {
    const short = {
      rows: [{ when: [['Private', 'State-gov'], 'Husband', '*'], values: { a: 0.6, b: 0.4 }, n: 215 }],
    };
    const text = specToYaml(short as never, { header: [], columnComments: {} });
    expect(text).toMatch(
      /^ {2}- \{when: \[\[Private, State-gov\], Husband, "\*"\], values: \{a: 0.6, b: 0.4\}, n: 215\}$/m,
    );
    expect(parse(text)).toEqual(short);
    const values = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`value-number-${i}`, 0.025]));
    const long = { rows: [{ when: ['x', ['a', 'b']], values, missing: 0.01, n: 3 }] };
    const wrapped = specToYaml(long as never, { header: [], columnComments: {} });
    expect(wrapped.split('\n').length).toBeGreaterThan(3);
    for (const line of wrapped.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_LINE);
    expect(parse(wrapped)).toEqual(long);
  });

  it('leaves short lines alone', () => {
    expect(wrapYaml('a: [1, 2]\n# short', 200)).toBe('a: [1, 2]\n# short');
  });
});

describe('the fitted model file (issue 13.10)', () => {
  const data = sampleTruth(6000, 2);
  const r = fitTable(data, { seed: 1 });

  it('has no anchors or aliases, no line over 200 characters, and loads', () => {
    expect(r.yaml).not.toMatch(/(^|[\s[{,:])[&*][A-Za-z0-9_]+/m);
    for (const line of r.yaml.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_LINE);
    const loaded = parseSpecText(r.yaml, 'model.yaml');
    expect(Object.keys(loaded.spec.tables.truth.columns)).toEqual(data.columns);
  });

  it('says which edge directions the data decided and which are arbitrary', () => {
    expect(r.yaml).toMatch(/^# Edge directions: \d+ decided by the data/m);
    // churn has two non-adjacent parents (plan, spend) in the true graph: a v-structure.
    const decided = /^# Decided by the data: (.*)$/m.exec(r.yaml)?.[1] ?? '';
    expect(decided).toMatch(/plan -> churn/);
    expect(decided).toMatch(/spend -> churn/);
  });

  it('still generates after a hand-added rule and a hand-added edge', async () => {
    const doc = parse(r.yaml);
    const cols = doc.tables.truth.columns;
    // A hand-written edge: colour now depends on churn (a new mechanism written by an expert).
    cols.colour = {
      type: 'category',
      given: ['churn'],
      conditional: {
        parents: [{ column: 'churn' }],
        rows: [{ when: ['yes'], values: { red: 0.9, blue: 0.1 } }],
        default: { values: { green: 1 } },
      },
    };
    doc.tables.truth.rules = [{ name: 'few_calls', check: 'calls <= 40' }];
    const edited = `${r.yaml
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .join('\n')}\n${specToYaml(doc, { header: [], columnComments: {} })}`;
    const loaded = parseSpecText(edited, 'edited.yaml');
    const g = await generateRows({ spec: loaded.spec, rows: 2000, seed: 5 });
    const ci = g.columns.indexOf('calls');
    const chi = g.columns.indexOf('churn');
    const co = g.columns.indexOf('colour');
    expect(g.rows).toBe(2000);
    for (let i = 0; i < g.rows; i++) {
      expect(Number(g.data[ci][i])).toBeLessThanOrEqual(40);
      if (g.data[chi][i] === 'no') expect(g.data[co][i]).toBe('green');
    }
  });
});
