// Defect 1 of issue 12: a category called None (or NA) was read as missing, in real data read by
// fit and in our own generated output read back.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../io/index.js';
import { generateRows, generateToFile } from '../sample/index.js';
import { loadSpec, parseSpecText } from '../spec/index.js';
import { fitFile } from './file.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-na-'));

/** 2,000 rows: damage is None in 90% of them; price is an R-style numeric column with NA. */
function damageCsv(): string {
  const lines = ['damage,price,region'];
  for (let i = 0; i < 2000; i++) {
    const damage = i % 10 < 9 ? 'None' : i % 20 === 9 ? 'Minor' : 'Major';
    const price = i % 20 === 3 ? 'NA' : (50 + ((i * 37) % 100) + 0.25).toFixed(2);
    lines.push(`${damage},${price},${i % 3 === 0 ? 'north' : 'south'}`);
  }
  return `${lines.join('\n')}\n`;
}

const share = (col: readonly (string | null)[], v: string | null) =>
  col.filter((x) => x === v).length / col.length;

describe('a category called None', () => {
  const data = join(dir, 'claims.csv');
  writeFileSync(data, damageCsv());

  it('fits as a category (90%) and generates ~90% None, ~0% missing; NA among numbers stays missing', async () => {
    const model = join(dir, 'claims.yaml');
    const fit = await fitFile(data, { out: model, seed: 1 });
    const damage = fit.spec.tables.claims.columns.damage;
    expect(damage.type).toBe('category');
    expect(damage.missing ?? 0).toBe(0);
    expect(fit.spec.tables.claims.columns.price.type).toBe('number');
    const out = join(dir, 'claims-synth.csv');
    const { spec } = await loadSpec(model);
    await generateToFile({ spec, rows: 20_000, seed: 7, out });
    const t = await readTable(out);
    const col = t.data[t.columns.indexOf('damage')];
    expect(share(col, 'None')).toBeGreaterThan(0.88);
    expect(share(col, 'None')).toBeLessThan(0.92);
    expect(share(col, null)).toBe(0);
    expect(share(t.data[t.columns.indexOf('price')], null)).toBeCloseTo(0.05, 1);
  });

  it('says so: a notice naming the column, on the result and in the model header', async () => {
    const fit = await fitFile(data, { seed: 1 });
    expect(fit.notices).toHaveLength(1);
    expect(fit.notices[0]).toMatch(/column "damage": "None" \(1,800 rows of 2,000\) is read as a category/);
    expect(fit.notices[0]).toMatch(/--na-values None/);
    expect(fit.notices[0]).toMatch(/na_values: \[None\]/);
    expect(fit.yaml).toMatch(/^# Notice: column "damage"/m);
  });

  it('--na-values None says otherwise, and the model records it for evaluate --spec', async () => {
    const fit = await fitFile(data, { seed: 1, naValues: ['None'] });
    const damage = fit.spec.tables.claims.columns.damage;
    expect(damage.missing).toBeCloseTo(0.9, 6);
    expect(damage.na_values).toEqual(['None']);
    expect(fit.notices).toEqual([]);
  });

  it('na_values on a column of the --from spec says otherwise for that column only', async () => {
    const from = join(dir, 'from.yaml');
    writeFileSync(
      from,
      'strata: 1\ntables:\n  claims:\n    columns:\n      damage: { type: category, na_values: [None] }\n',
    );
    const fit = await fitFile(data, { seed: 1, fromPath: from });
    expect(fit.spec.tables.claims.columns.damage.missing).toBeCloseTo(0.9, 6);
  });
});

describe('our own output reads back as written', () => {
  const spec = parseSpecText(
    `
strata: 1
tables:
  t:
    rows: 2000
    columns:
      c: { type: category, values: { None: 1, NA: 1, "null": 1, "?": 1, "N/A": 1, NaN: 1, "": 1, a: 1 } }
      k: { type: category, values: { "1": 1, "2": 1, NA: 1 } }
      x: { type: number, decimals: 1, dist: { normal: { mean: 0, sd: 1 } }, missing: 0.1 }
`,
    'tokens.yaml',
  ).spec;

  it.each(['csv', 'jsonl', 'parquet'])(
    '%s: None / NA / empty-string categories stay categories',
    async (ext) => {
      const rows = await generateRows({ spec, seed: 3 });
      const out = join(dir, `tokens.${ext}`);
      await generateToFile({ spec, seed: 3, out });
      const t = await readTable(out);
      expect(t.rowCount).toBe(2000);
      for (const [c, name] of ['c', 'k'].entries()) {
        expect(t.data[t.columns.indexOf(name)]).toEqual(
          rows.data[c].map((v) => (v === null ? null : String(v))),
        );
      }
      // before: NA, None, null, ?, N/A and NaN were read back as missing (6 of 8 categories)
      expect(share(t.data[0], null)).toBe(0);
      expect(share(t.data[0], 'None')).toBeGreaterThan(0.08);
      const x = t.data[t.columns.indexOf('x')];
      expect(x.map((v) => (v === null ? null : Number(v)))).toEqual(rows.data[2]);
      if (ext === 'csv') expect(readFileSync(out, 'utf8')).toMatch(/^"None",/m);
    },
  );
});

describe('a parent with a category called NA beside missing values', () => {
  it('keeps the two apart in the child table (when: [NA] is missing, [\\NA] the category)', async () => {
    const lines = ['region,plan'];
    for (let i = 0; i < 3000; i++) {
      const k = i % 5;
      lines.push(k < 2 ? 'NA,americas' : k < 4 ? 'EU,europe' : ',unknown');
    }
    const data = join(dir, 'regions.csv');
    writeFileSync(data, `${lines.join('\n')}\n`);
    // region is plan's parent (so its states are `when` labels)
    const from = join(dir, 'regions-from.yaml');
    writeFileSync(
      from,
      'strata: 1\ntables:\n  regions:\n    columns:\n      plan: { type: category, given: [region] }\n',
    );
    const fit = await fitFile(data, { seed: 1, fromPath: from });
    expect(fit.spec.tables.regions.columns.plan.given).toEqual(['region']);
    expect(fit.yaml).toMatch(/when: \[\\NA\]/);
    const rows = await generateRows({ spec: fit.spec, rows: 5000, seed: 3 });
    const region = rows.data[rows.columns.indexOf('region')];
    const plan = rows.data[rows.columns.indexOf('plan')];
    const planGiven = (r: string | null) => {
      const idx = region.flatMap((v, i) => (v === r ? [i] : []));
      const counts = new Map<unknown, number>();
      for (const i of idx) counts.set(plan[i], (counts.get(plan[i]) ?? 0) + 1);
      return { n: idx.length, counts };
    };
    const na = planGiven('NA');
    const missing = planGiven(null);
    expect(na.n).toBeGreaterThan(1500);
    expect(missing.n).toBeGreaterThan(700);
    // before: both were the state "NA", so one of them read the other's row
    expect((na.counts.get('americas') ?? 0) / na.n).toBeGreaterThan(0.95);
    expect((missing.counts.get('unknown') ?? 0) / missing.n).toBeGreaterThan(0.95);
  });
});
