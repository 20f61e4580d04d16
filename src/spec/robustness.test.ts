/** The checker must never crash: any input gives either a spec or placed, hinted issues. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance } from './did-you-mean.js';
import { CARD_CUSTOMERS_YAML } from './examples.js';
import { checkSpecText } from './parse.js';
import { loadYaml, toYaml } from './yaml.js';

const example = loadYaml(CARD_CUSTOMERS_YAML, 'card.yaml', 'spec.yaml').value as Record<string, unknown>;

/** All paths into a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) out.push(...paths(value[i], [...prefix, i]));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function replaceAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  node[path[path.length - 1]] = replacement;
  return copy;
}

const examplePaths = paths(example);
const json = fc.jsonValue({ maxDepth: 3 });

function assertWellFormed(text: string): void {
  const { spec, issues } = checkSpecText(text, 'fuzz.yaml');
  expect(spec === undefined).toBe(issues.length > 0);
  for (const issue of issues) {
    expect(issue.place.file).toBe('fuzz.yaml');
    expect(issue.place.line).toBeGreaterThanOrEqual(1);
    expect(issue.place.column).toBeGreaterThanOrEqual(1);
    expect(issue.hint ?? '').not.toBe('');
    expect(issue.code).toMatch(/^(spec|seed)\./); // a bad seed is seed.invalid wherever it is
  }
}

describe('robustness', () => {
  it('never throws when any part of the example is replaced by arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.nat(examplePaths.length - 1), json, (i, replacement) => {
        assertWellFormed(toYaml(replaceAt(example, examplePaths[i], replacement)));
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        assertWellFormed(`strata: 1\ntables:\n${text}`);
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('edit distance is a metric-like measure bounded by the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
        expect(d === 0).toBe(a === b);
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});
