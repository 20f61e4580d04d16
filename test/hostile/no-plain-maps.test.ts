/**
 * Guard for issue 13.1: a map keyed by user text (column, table, category names) is never a plain
 * object literal — `{}` inherits `toString`, `constructor`... and `__proto__` assignment replaces
 * its prototype. Production code builds such maps with `nameMap()` (src/names.ts). A plain object
 * whose keys are fixed by the code (never user text) says so with a `plain-object: fixed keys`
 * comment on the line or the line above.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const TEST_CODE = /(\.test\.ts$|\/testing\/|\/fixtures\.ts$|\/test-helpers\.ts$)/;

/** A string-keyed map started empty or built from entries as a plain object. */
const PATTERNS: [RegExp, string][] = [
  [/:\s*Record<string,[^=;]*>\s*=\s*\{\s*\}/, 'a Record<string, …> initialised with {}'],
  [/\?\?\s*\{\s*\}\s*;?\s*$/, 'a map defaulted to {}'],
  [/:\s*Record<string,[^=;]*>\s*=\s*\{\s*\.\.\./, 'a Record<string, …> copied by spreading into {}'],
  [/\b(tables|columns):\s*\{\s*\.\.\./, 'tables/columns copied by spreading into {}'],
  [/Object\.fromEntries\(/, 'Object.fromEntries (a plain object)'],
];
const ALLOWED = /plain-object: fixed keys/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return p.endsWith('.ts') && !TEST_CODE.test(p) ? [p] : [];
  });
}

describe('maps keyed by user text are null-prototype (src/names.ts)', () => {
  it('no production code builds a string-keyed map as a plain object', () => {
    const offences: string[] = [];
    for (const file of sources(SRC)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const [re, what] of PATTERNS) {
          if (re.test(line) && !ALLOWED.test(line) && !ALLOWED.test(lines[i - 1] ?? '')) {
            offences.push(
              `${file.slice(SRC.length + 1)}:${i + 1}: ${what} — use nameMap() from src/names.ts`,
            );
          }
        }
      });
    }
    expect(offences).toEqual([]);
  });
});
