import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DOC_TABLE_END,
  DOC_TABLE_START,
  ERROR_CODES,
  type ErrorCode,
  exitStatus,
  httpStatus,
  isErrorCode,
  RETIRED_CODES,
  withErrorCodesTable,
} from './error-codes.js';
import { LAW_ISSUE_CODES } from './random/laws/law.js';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

/** Production sources of src/ (tests and test helpers left out). */
function sources(dir = 'src'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sources(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$|fixtures\.ts$|test-helpers\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Codes built from a template rather than written out (where, and which). */
const TEMPLATED: Record<string, readonly string[]> = {
  'src/spec/check-references.ts: `spec.duplicate_${what}`': [
    'spec.duplicate_rule',
    'spec.duplicate_tail',
    'spec.duplicate_scenario',
  ],
  "src/spec/zod-issues.ts: `spec.${issue.code}` (zod's issue codes not translated one by one)": [
    'spec.custom',
    'spec.invalid_element',
    'spec.invalid_format',
    'spec.invalid_key',
    'spec.not_multiple_of',
  ],
  'src/spec/check-dist.ts and src/model/mechanisms.ts: `spec.${issue.code}`, `model.${issue.code}`': [
    ...LAW_ISSUE_CODES.flatMap((c) => [`spec.${c}`, `model.${c}`]),
  ],
};

describe('the error-code catalogue', () => {
  it('docs/errors.md carries the current table (run npm run docs:errors)', () => {
    const doc = readFileSync('docs/errors.md', 'utf8');
    expect(doc).toContain(DOC_TABLE_START);
    expect(doc).toContain(DOC_TABLE_END);
    expect(doc).toBe(withErrorCodesTable(doc));
  });

  it('codes are area.snake_case, one-line summaries, areas kept together in alphabetical order', () => {
    for (const code of codes) {
      expect(code).toMatch(/^[a-z]+\.[a-z][a-z_]*$/);
      expect(ERROR_CODES[code].summary).toMatch(/^[^\n]{10,100}$/);
    }
    expect([...codes].sort()).toEqual(codes);
    // one line per code in the source (adding one is a one-line change)
    const lines = readFileSync('src/error-codes.ts', 'utf8').split('\n');
    for (const code of codes)
      expect(
        lines.filter((l) => l.startsWith(`  '${code}': `)),
        code,
      ).toHaveLength(1);
  });

  it('every "same meaning" and retired code points at a catalogued code; retired codes are not raisable', () => {
    for (const code of codes) {
      const same = (ERROR_CODES[code] as { sameAs?: string }).sameAs;
      if (same !== undefined) expect(isErrorCode(same), `${code} sameAs ${same}`).toBe(true);
    }
    for (const [code, r] of Object.entries(RETIRED_CODES)) {
      expect(isErrorCode(code), code).toBe(false);
      expect(isErrorCode(r.replacedBy)).toBe(true);
    }
    expect(isErrorCode('toString')).toBe(false);
  });

  it('every catalogued code is raised somewhere in src (or retire it)', () => {
    const text = sources()
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const templated = new Set(Object.values(TEMPLATED).flat());
    const unused = codes.filter((c) => !templated.has(c) && !text.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });

  it("every law check's code is catalogued under spec. and model.", () => {
    for (const c of LAW_ISSUE_CODES) {
      expect(isErrorCode(`spec.${c}`), c).toBe(true);
      expect(isErrorCode(`model.${c}`), c).toBe(true);
    }
  });

  it('environment failures exit 1, bad input 2', () => {
    expect(exitStatus('io.write')).toBe(1);
    expect(exitStatus('run.aborted')).toBe(1);
    expect(exitStatus('text.provider_unavailable')).toBe(1);
    expect(exitStatus('spec.unknown_distribution')).toBe(2);
    expect(exitStatus('seed.invalid')).toBe(2);
  });

  it('every code strata serve answers with is catalogued, with its HTTP status in the docs', () => {
    const serve = readdirSync('src/serve')
      .filter((f) => /\.ts$/.test(f) && !/\.test\.ts$/.test(f))
      .map((f) => readFileSync(join('src/serve', f), 'utf8'))
      .join('\n');
    const literals = new Set(
      [...serve.matchAll(/'((?:auth|request|serve|server|sample)\.[a-z_]+)'/g)].map((m) => m[1]),
    );
    expect(literals.size).toBeGreaterThan(15);
    for (const code of literals) expect(isErrorCode(code), code).toBe(true);
    const doc = readFileSync('docs/errors.md', 'utf8');
    for (const code of codes.filter((c) => /^(auth|request|server)\./.test(c) && c !== 'request.invalid')) {
      expect(ERROR_CODES[code], code).toHaveProperty('http');
      expect(doc, code).toContain(`| \`${code}\` | ${exitStatus(code)} |`);
      expect(doc, code).toMatch(
        new RegExp(`\`${code.replace('.', '\\.')}\`.*\\(HTTP ${httpStatus(code)}\\) \\|`),
      );
    }
    expect(httpStatus('auth.unauthorized')).toBe(401);
    expect(httpStatus('request.rate_limited')).toBe(429);
    expect(httpStatus('sample.too_costly')).toBe(422);
    expect(httpStatus('sample.unknown_column')).toBe(400);
    expect(httpStatus('server.internal')).toBe(500);
  });
});
