// Issue 13 item 11: Parquet output keeps the spec's types, and reading it back does not re-guess them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitFile } from '../fit/file.js';
import { readTable } from '../io/index.js';
import { parseSpecText } from '../spec/index.js';
import { generateRows, generateToFile } from './index.js';

const spec = parseSpecText(
  `
strata: 1
tables:
  t:
    rows: 400
    columns:
      id: { type: id }
      n: { type: integer, dist: { poisson: { lambda: 3 } } }
      whole: { type: number, decimals: 0, dist: { normal: { mean: 50, sd: 10 } } }
      x: { type: number, decimals: 3, dist: { normal: { mean: 0, sd: 1 } }, missing: 0.1 }
      ok: { type: boolean, p: 0.3 }
      day: { type: date, dist: { uniform: { min: "1990-01-01", max: "2020-12-31" } } }
      at: { type: datetime, dist: { uniform: { min: "2020-01-01", max: "2021-01-01" } } }
      digits: { type: category, values: { "1": 3, "2": 2, "3": 1 } }
      zip: { type: category, values: { "01234": 1, "09876": 1 } }
      word: { type: category, values: { None: 2, NA: 1, b: 1 } }
`,
  'types.yaml',
).spec;

describe('Parquet round trip of every declared type', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'strata-pq-types-')), 'types.parquet');

  it('stores each type, reads it back as declared, with the values generated', async () => {
    await generateToFile({ spec, seed: 2, out });
    const t = await readTable(out);
    expect(Object.fromEntries(t.columns.map((c, i) => [c, t.types?.[i]]))).toEqual({
      id: 'integer',
      n: 'integer',
      whole: 'number',
      x: 'number',
      ok: 'boolean',
      day: 'date',
      at: 'datetime',
      digits: 'string',
      zip: 'string',
      word: 'string',
    });
    const rows = await generateRows({ spec, seed: 2 });
    rows.columns.forEach((name, c) => {
      const read = t.data[t.columns.indexOf(name)];
      const want = rows.data[c].map((v) => (v === null ? null : String(v)));
      expect(read, name).toEqual(want);
    });
  });

  it('fit learns each declared type (a whole-valued number stays a number, digit labels stay categories)', async () => {
    const fit = await fitFile(out, { seed: 1 });
    const cols = fit.spec.tables.types.columns;
    expect(cols.id.type).toBe('id');
    expect(cols.n.type).toBe('integer');
    expect(cols.whole.type).toBe('number');
    expect(cols.x.type).toBe('number');
    // fit models a boolean as a two-label category, from CSV as from Parquet
    expect(cols.ok.type).toBe('category');
    expect(fit.columns.find((c) => c.name === 'ok')?.kind).toBe('boolean');
    expect(cols.day.type).toBe('date');
    expect(cols.at.type).toBe('datetime');
    expect(cols.digits.type).toBe('category');
    expect(cols.zip.type).toBe('category');
    expect(cols.word.type).toBe('category');
    expect(fit.notices).toEqual([]); // Parquet strings are text: no token to decide
  });
});
