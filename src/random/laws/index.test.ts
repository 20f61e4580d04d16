/**
 * The registry itself: every law is complete and consistent, and the docs list every law as its
 * record describes it (docs/spec.md's table is generated from the records: run this test with
 * STRATA_WRITE_DOCS=1 to rewrite it after adding a law).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type AnyLaw, LAW_ALIASES, LAW_NAMES, LAWS, lawNamed } from './index.js';

const shapeOf = (law: AnyLaw) => (law.schema as unknown as z.ZodObject).shape as Record<string, z.ZodType>;

describe('the law registry', () => {
  it('has one record per name, and lookups are by name only', () => {
    expect(new Set(LAW_NAMES).size).toBe(LAWS.length);
    for (const law of LAWS) expect(lawNamed(law.name)).toBe(law);
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', ''])
      expect(lawNamed(key)).toBeUndefined();
    for (const [alias, name] of LAW_ALIASES) {
      expect(LAW_NAMES).toContain(name);
      expect(LAW_NAMES).not.toContain(alias);
    }
  });

  it.each(LAWS.map((l) => [l.name, l as AnyLaw] as const))(
    '%s: a docs line, an example its schema accepts and its checks pass',
    (_n, law) => {
      expect(law.doc.length).toBeGreaterThan(10);
      expect(law.schema.safeParse(law.example).success).toBe(true);
      const example = law.example as Record<string, unknown>;
      expect(
        law.check(example, (k) => (typeof example[k] === 'number' ? (example[k] as number) : undefined)),
      ).toEqual([]);
      // Every number-or-expression parameter is a key of the schema, and synonyms name real keys.
      const keys = Object.keys(shapeOf(law));
      for (const k of Object.keys(law.params)) expect(keys).toContain(k);
      for (const [syn, k] of law.synonyms) {
        expect(keys).toContain(k);
        expect(keys).not.toContain(syn);
      }
    },
  );

  it.each(LAWS.map((l) => [l.name, l as AnyLaw] as const))(
    '%s: the example, fixed, has a CDF its quantile inverts',
    (_n, law) => {
      const example = law.example as Record<string, number>;
      const fixed = law.fixed(law.example, example);
      expect(typeof fixed).not.toBe('string');
      if (typeof fixed === 'string') return;
      for (const q of [0.1, 0.5, 0.9]) {
        const x = fixed.quantile(q);
        expect(fixed.cdf(x)).toBeGreaterThanOrEqual(q - 1e-9);
        expect(fixed.mass(Number.NEGATIVE_INFINITY, x)).toBeCloseTo(fixed.cdf(x), 9);
      }
    },
  );
});

/** The Markdown table of laws docs/spec.md carries between its `laws` markers. */
function lawsTable(): string {
  const rows = LAWS.map((law) => {
    const entries = Object.entries(shapeOf(law));
    const req = entries.filter(([, s]) => !s.safeParse(undefined).success).map(([k]) => `\`${k}\``);
    const opt = entries.filter(([, s]) => s.safeParse(undefined).success).map(([k]) => `\`${k}\``);
    const params = [req.join(', '), opt.length ? `optional ${opt.join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
    const example = `\`{ ${law.name}: ${JSON.stringify(law.example)
      .replace(/"([a-z_]+)":/g, '$1: ')
      .replace(/,/g, ', ')} }\``;
    return `| \`${law.name}\` | ${params} | ${law.doc} ${law.discrete ? '(Integer-valued.) ' : ''}| ${example} |`;
  });
  return ['| law | parameters | what it is | example |', '|---|---|---|---|', ...rows].join('\n');
}

describe('docs/spec.md', () => {
  it('lists every law as its record describes it', () => {
    const path = new URL('../../../docs/spec.md', import.meta.url);
    const text = readFileSync(path, 'utf8');
    const start = '<!-- laws:start (generated from src/random/laws; see src/random/laws/index.test.ts) -->\n';
    const end = '\n<!-- laws:end -->';
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(j).toBeGreaterThan(i);
    const want = lawsTable();
    if (process.env.STRATA_WRITE_DOCS === '1')
      writeFileSync(path, text.slice(0, i + start.length) + want + text.slice(j));
    else expect(text.slice(i + start.length, j)).toBe(want);
  });
});
