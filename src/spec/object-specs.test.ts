/**
 * Issue 12, defect 2: library entry points take a `Spec` object and must check it exactly like a
 * spec file — the same schema, the same checks, the same codes and messages — placed by spec path.
 * Before, a Spec object went straight to the compiler (and its positional parameter reads).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileModel } from '../coverage/quantile.js';
import type { StrataError } from '../errors.js';
import { evaluate } from '../evaluate/index.js';
import { fitTable } from '../fit/fit.js';
import { generateRows, generateToFile } from '../sample/generate.js';
import { checkSpecObject, checkSpecText, parseSpecText, SpecError } from './index.js';
import type { Spec } from './schema.js';

const spec = (columns: string, extra = '') =>
  `strata: 1\ntables:\n  t:\n    rows: 20\n    columns:\n${columns}${extra}`;

/** Bad specs of many kinds: schema shapes, distribution names and parameters, references, rules. */
const BAD = [
  spec('      x: { type: number, dist: { normall: { mean: 0, sd: 1 } } }\n'),
  spec('      x: { type: number, dist: { normal: { mean: 0, sigma: 1 } } }\n'),
  spec('      x: { type: number, dist: { normal: { mean: 0, sd: -1 } } }\n'),
  spec('      x: { type: number, dist: { gamma: { shape: 2 } } }\n'),
  spec('      x: { type: number, dist: { uniform: { min: 5, max: 1 } } }\n'),
  spec('      x: { type: number, dist: { student_t: { nu: 3 } } }\n'),
  spec('      x: { type: number, dist: { weibull: { shape: 0, scale: 2 } } }\n'),
  spec('      x: { type: number, dist: { empirical: { knots: [0, 5, 3] } } }\n'),
  spec('      x: { type: category, dist: { normal: { mean: 0, sd: 1 } } }\n'),
  spec('      x: { type: number, given: [nope], dist: { normal: { mean: 0, sd: 1 } } }\n'),
  spec('      x: { type: integer, dist: { normal: { mean: 0, sd: 1 } }, min: 9, max: 1, mni: 3 }\n'),
  spec('      when: { type: datetime }\n'),
];

/** An issue without its file:line:col, which an object does not have. */
const unplaced = (e: StrataError) => `${e.code} ${e.place.path ?? ''}: ${e.message} — ${e.hint ?? ''}`;

describe('a Spec object is checked exactly like a spec file', () => {
  it.each(BAD.map((t, i) => [i, t]))('bad spec %i: same codes, paths and messages', (_i, text) => {
    const fromFile = checkSpecText(text as string, 'spec.yaml').issues;
    const fromObject = checkSpecObject(parse(text as string)).issues;
    expect(fromFile.length).toBeGreaterThan(0);
    expect(fromObject.map(unplaced).sort()).toEqual(fromFile.map(unplaced).sort());
    // Placed by spec path only: no file, no line.
    for (const e of fromObject) expect(e.place.file ?? e.place.line).toBeUndefined();
  });

  it('a valid object gives the same spec as the file', () => {
    const text = spec('      x: { type: number, dist: { normal: { sd: 2, mean: 10 } } }\n');
    expect(checkSpecObject(parse(text)).spec).toEqual(parseSpecText(text, 'spec.yaml').spec);
  });

  it('anything but a map is refused', () => {
    for (const v of [null, 3, 'strata: 1', [], undefined])
      expect(checkSpecObject(v).issues.map((e) => e.code)).toEqual(['spec.not_a_map']);
  });
});

const BAD_SD = {
  strata: 1,
  tables: { t: { rows: 10, columns: { x: { type: 'number', dist: { normal: { mean: 0, sd: -1 } } } } } },
} as Spec;

function specErrorOf(f: () => unknown): Promise<SpecError> {
  return Promise.resolve()
    .then(f)
    .then(
      () => {
        throw new Error('expected a SpecError');
      },
      (e) => {
        if (e instanceof SpecError) return e;
        throw e;
      },
    );
}

const SD_ISSUE = 'tables.t.columns.x.dist.normal.sd: normal sd must be > 0, got -1 — use a positive sd';

describe('library entry points refuse an invalid Spec object with the file’s message, placed by path', () => {
  it('generateRows', async () => {
    const e = await specErrorOf(() => generateRows({ spec: BAD_SD }));
    expect(e.issues.map((i) => i.format())).toEqual([SD_ISSUE]);
    expect(e.issues[0].code).toBe('spec.bad_parameter');
  });

  it('generateToFile, before any output is opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-object-'));
    try {
      const e = await specErrorOf(() => generateToFile({ spec: BAD_SD, out: join(dir, 'x.csv') }));
      expect(e.issues.map((i) => i.format())).toEqual([SD_ISSUE]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compile (the public compileTable)', async () => {
    const e = await specErrorOf(() => compileModel(BAD_SD, 't'));
    expect(e.issues.map((i) => i.format())).toEqual([SD_ISSUE]);
  });

  it('fitTable with a partial spec: learnable gaps pass, real mistakes do not', async () => {
    const raw = {
      name: 't',
      columns: ['x', 'y'],
      rowCount: 40,
      data: [
        Array.from({ length: 40 }, (_, i) => String(i % 7)),
        Array.from({ length: 40 }, (_, i) => String((i * 3) % 5)),
      ],
    };
    const gap = { strata: 1, tables: { t: { columns: { x: { type: 'integer' } } } } } as Spec;
    expect(fitTable(raw, { from: gap }).spec.tables.t.columns.x.type).toBe('integer');
    const bad = {
      strata: 1,
      tables: { t: { columns: { x: { type: 'integer', dist: { poisson: { lambda: -2 } } } } } },
    } as Spec;
    const e = await specErrorOf(() => fitTable(raw, { from: bad }));
    expect(e.issues.map((i) => i.format())).toEqual([
      'tables.t.columns.x.dist.poisson.lambda: poisson lambda must be ≥ 0, got -2 — use lambda ≥ 0',
    ]);
  });

  it('evaluate with a spec, before any work', async () => {
    const table = { name: 't', source: 't.csv', columns: ['x'], rowCount: 3, data: [['1', '2', '3']] };
    const e = await specErrorOf(() => evaluate({ real: table, synthetic: table, spec: BAD_SD }));
    expect(e.issues.map((i) => i.format())).toEqual([SD_ISSUE]);
  });
});

describe('library calls get parameters by name', () => {
  it('generateRows: quantile(x, 0.5) of normal { sd: 1, mean: 100 } is 100', async () => {
    const s = {
      strata: 1,
      tables: {
        t: {
          columns: {
            x: { type: 'number', dist: { normal: { sd: 1, mean: 100 } } },
            m: { type: 'number', expr: 'quantile(x, 0.5)' },
          },
        },
      },
    } as Spec;
    const r = await generateRows({ spec: s, rows: 3 });
    expect(r.data[1]).toEqual([100, 100, 100]);
  });
});
