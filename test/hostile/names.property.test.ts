/**
 * Issue 13 item 1: names that are JavaScript object keys (and other hostile names) as table,
 * column and category names, through the CLI as a user runs it: spec → generate → fit → generate
 * → evaluate, in CSV, JSON lines and Parquet. Every step either keeps the data exactly (the same
 * column names, the same set of categories) or refuses with a clear error (exit 2, no stack trace,
 * no output file).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readTable } from '../../src/io/read-table.js';
import { nameMap } from '../../src/names.js';
import { type CliRun, cli, STACK_FRAME } from './cli-in-process.js';

const OBJECT_KEYS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'isPrototypeOf'];
const ODD = ['', 'ünïcødé 名前 🙂', 'x'.repeat(10_000), '=1+2', '"quoted"', "it's", 'two\nlines', 'a,b'];
const NAMES = [...OBJECT_KEYS, ...ODD];
const FORMATS = ['csv', 'jsonl', 'parquet'] as const;

const dir = mkdtempSync(join(tmpdir(), 'strata-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An exit that is a clear refusal: code 2, a message, no stack trace. */
function expectClearRefusal(r: CliRun, out: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(/^strata: /m);
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(existsSync(out)).toBe(false);
}

function expectNoTrace(r: CliRun): void {
  expect(r.stderr + r.stdout).not.toMatch(STACK_FRAME);
  expect(r.stderr).not.toMatch(/internal error/);
}

async function categories(path: string, column: string): Promise<{ columns: string[]; values: Set<string> }> {
  const t = await readTable(path, { missing: [] });
  const i = t.columns.indexOf(column);
  expect(
    i,
    `column ${JSON.stringify(column.slice(0, 40))} in ${t.columns.map((c) => c.slice(0, 20))}`,
  ).toBeGreaterThanOrEqual(0);
  return { columns: t.columns, values: new Set(t.data[i].map((v) => v ?? '')) };
}

const distinct = (n: number) => fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: n, maxLength: n });

describe('hostile names through spec → generate → fit → generate → evaluate', () => {
  let run = 0;
  it('keeps the data or refuses clearly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...NAMES),
        distinct(2),
        distinct(3),
        fc.constantFrom(...FORMATS),
        async (table, [catCol, numCol], cats, format) => {
          const k = run++;
          const spec = nameMap<unknown>([
            ['strata', 1],
            ['seed', 3],
            [
              'tables',
              nameMap([
                [
                  table,
                  nameMap<unknown>([
                    ['rows', 120],
                    [
                      'columns',
                      nameMap([
                        [catCol, { type: 'category', values: nameMap(cats.map((c) => [c, 1 / 3] as const)) }],
                        [numCol, { type: 'integer', dist: { normal: { mean: 10, sd: 2 } } }],
                      ]),
                    ],
                  ]),
                ],
              ]),
            ],
          ]);
          const specPath = join(dir, `spec-${k}.json`);
          writeFileSync(specPath, JSON.stringify(spec));
          const out = join(dir, `gen-${k}.${format}`);
          const g = await cli(['generate', specPath, '-o', out]);
          expectNoTrace(g);
          if (catCol === '' || numCol === '' || table === '') {
            // An empty name cannot be written as a header a reader tells from a missing one.
            expectClearRefusal(g, out);
            return;
          }
          expect(g.code, g.stderr).toBe(0);
          const first = await categories(out, catCol);
          expect(first.columns).toEqual([catCol, numCol]);
          // Category values are data: each comes back as written ('' is read as missing by the CSV reader).
          expect([...first.values].sort()).toEqual([...cats].sort());

          const model = join(dir, `model-${k}.yaml`);
          const f = await cli(['fit', out, '-o', model]);
          expectNoTrace(f);
          expect(f.code, f.stderr).toBe(0);

          const again = join(dir, `again-${k}.${format}`);
          const g2 = await cli(['generate', model, '-o', again, '-n', '200']);
          expectNoTrace(g2);
          expect(g2.code, g2.stderr).toBe(0);
          const second = await categories(again, catCol);
          expect(second.columns).toEqual([catCol, numCol]);
          expect([...second.values].sort()).toEqual([...cats].sort());

          const e = await cli(['evaluate', '--real', out, '--synthetic', again, '--quiet']);
          expectNoTrace(e);
          expect(e.code, e.stderr).toBe(0);

          // --do and --table with a name that is not in the spec are refused, not "found" on Object.prototype.
          const absent = OBJECT_KEYS.find((n) => n !== catCol && n !== numCol) as string;
          const d = await cli(['generate', specPath, '-o', join(dir, `do-${k}.csv`), '--do', `${absent}=1`]);
          expectClearRefusal(d, join(dir, `do-${k}.csv`));
          const absentTable = OBJECT_KEYS.find((n) => n !== table) as string;
          const t = await cli(['generate', specPath, '-o', join(dir, `t-${k}.csv`), '--table', absentTable]);
          expectClearRefusal(t, join(dir, `t-${k}.csv`));
        },
      ),
      { numRuns: 12, seed: 13, endOnFailure: true },
    );
  }, 180_000);
});
