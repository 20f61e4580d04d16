import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { generateTablesInMemory } from '../sample/generate-tables.js';
import { parseSpecText } from '../spec/parse.js';
import type { Spec } from '../spec/schema.js';

/** What a sequence row may read of the room it has: `remaining`, expression parents, scaled laws. */
const spec = (events: Record<string, unknown>): Spec =>
  ({
    strata: 1,
    seed: 4,
    tables: {
      p: {
        rows: 200,
        columns: {
          pid: { type: 'id' },
          size: { type: 'number', decimals: 2, dist: { uniform: { min: 1, max: 10 } } },
        },
      },
      e: { parent: 'p', ...events },
    },
  }) as unknown as Spec;

const column = (t: Map<string, { columns: string[]; values: unknown[][] }>, table: string, c: string) =>
  t.get(table)!.values[t.get(table)!.columns.indexOf(c)];

describe('remaining: rows after this one under the same parent', () => {
  it('counts down to 0 on the last row of each parent', async () => {
    const t = await generateTablesInMemory({
      spec: spec({
        count: { values: { 1: 0.3, 3: 0.4, 5: 0.3 } },
        columns: {
          eid: { type: 'id' },
          i: { type: 'derived', expr: 'index' },
          left: { type: 'derived', expr: 'remaining' },
        },
      }),
    });
    const pid = column(t, 'e', 'pid');
    const i = column(t, 'e', 'i') as number[];
    const left = column(t, 'e', 'left') as number[];
    const size = new Map<unknown, number>();
    for (const k of pid) size.set(k, (size.get(k) ?? 0) + 1);
    pid.forEach((k, r) => {
      expect(left[r]).toBe(size.get(k)! - i[r] - 1);
    });
    expect(left.filter((x) => x === 0).length).toBe(size.size);
  });

  it('is out of scope in a count (drawn before the rows)', () => {
    const text = `strata: 1
tables:
  p: { rows: 3, columns: { pid: { type: id } } }
  e:
    parent: p
    count: { given: [remaining], values: { 1: 1 } }
    columns: { eid: { type: id } }
`;
    expect(() => parseSpecText(text, 'bad.yaml')).toThrow(/remaining/);
  });
});

describe('a conditional parent given by an expression', () => {
  it('picks the row of the bin its value falls in', async () => {
    const t = await generateTablesInMemory({
      spec: spec({
        count: { values: { 4: 1 } },
        columns: {
          eid: { type: 'id' },
          x: {
            type: 'integer',
            given: ['index', 'remaining'],
            conditional: {
              parents: [{ expr: 'index - remaining', breaks: [0] }],
              rows: [
                { when: ['0'], values: { 1: 1 } },
                { when: ['1'], values: { 2: 1 } },
              ],
            },
          },
          i: { type: 'derived', expr: 'index' },
        },
      }),
    });
    const x = column(t, 'e', 'x') as number[];
    const i = column(t, 'e', 'i') as number[];
    // index − remaining = 2·index − 3: below 0 for rows 0, 1; at or above 0 for rows 2, 3.
    i.forEach((k, r) => {
      expect(x[r]).toBe(k < 2 ? 1 : 2);
    });
  });

  it('needs a column or an expr, and an expr needs breaks', () => {
    const bad = (parent: string) => `strata: 1
tables:
  t:
    rows: 3
    columns:
      a: { type: number, dist: { uniform: { min: 0, max: 1 } } }
      b:
        type: integer
        given: [a]
        conditional:
          parents: [${parent}]
          rows: [{ when: ["0"], values: { 1: 1 } }]
          default: { values: { 2: 1 } }
`;
    const message = (text: string) => {
      try {
        parseSpecText(text, 'bad.yaml');
        return '';
      } catch (e) {
        return e instanceof StrataError ? e.message : String(e);
      }
    };
    expect(message(bad('{ breaks: [1] }'))).toMatch(/needs a column or an expr/);
    expect(message(bad('{ column: a, expr: "a * 2", breaks: [1] }'))).toMatch(/either a column or an expr/);
    expect(message(bad('{ expr: "a * 2" }'))).toMatch(/an expr parent needs breaks/);
  });
});

describe('an empirical law scaled by an expression', () => {
  it('draws scale × a draw of the table, so counts grow with the parent size', async () => {
    const t = await generateTablesInMemory({
      spec: spec({
        count: {
          given: ['parent.size'],
          dist: { empirical: { knots: [2, 4], scale: 'parent.size' } },
          min: 0,
        },
        columns: { eid: { type: 'id' } },
      }),
    });
    const size = new Map(
      (column(t, 'p', 'pid') as number[]).map((k, r) => [k, (column(t, 'p', 'size') as number[])[r]]),
    );
    const n = new Map<number, number>();
    for (const k of column(t, 'e', 'pid') as number[]) n.set(k, (n.get(k) ?? 0) + 1);
    for (const [k, s] of size) {
      const c = n.get(k) ?? 0;
      // count = round(size × rate), rate in [2, 4]
      expect(c).toBeGreaterThanOrEqual(Math.floor(2 * s));
      expect(c).toBeLessThanOrEqual(Math.ceil(4 * s));
    }
  });
});
