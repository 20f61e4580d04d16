import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { readTable } from '../io/index.js';
import { CARD_CUSTOMERS_YAML, parseSpecText } from '../spec/index.js';
import { generateRows, generateToFile } from './index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'strata-gen-'));
const card = parseSpecText(CARD_CUSTOMERS_YAML, 'card-customers.yaml');

describe('generateToFile', () => {
  it('gives byte-identical CSV for 1 and 2 workers, and the same seed gives the same bytes', async () => {
    const d = tmp();
    const a = join(d, 'a.csv');
    const b = join(d, 'b.csv');
    const c = join(d, 'c.csv');
    await generateToFile({ spec: card.spec, rows: 30_000, seed: 3, workers: 1, out: a });
    await generateToFile({ spec: card.spec, rows: 30_000, seed: 3, workers: 2, out: b });
    await generateToFile({ spec: card.spec, rows: 30_000, seed: 4, workers: 2, out: c });
    const ta = readFileSync(a, 'utf8');
    expect(readFileSync(b, 'utf8')).toBe(ta);
    expect(readFileSync(c, 'utf8')).not.toBe(ta);
    // The spec has a coverage plan and a tail, so weights and cells follow the spec's columns.
    expect(ta.split('\n')[0]).toMatch(/^segment,age,income,card_limit,email,opened,_cell,_weight/);
    expect(ta.trimEnd().split('\n')).toHaveLength(30_001);
  });

  it('adding a column does not reshuffle the others', async () => {
    const extra = parseSpecText(
      CARD_CUSTOMERS_YAML.replace(
        '      email:',
        '      tier: { type: category, values: { gold: 1, silver: 2 } }\n      email:',
      ),
      'x.yaml',
    );
    const base = await generateRows({ spec: card.spec, rows: 2000, seed: 9 });
    const more = await generateRows({ spec: extra.spec, rows: 2000, seed: 9 });
    for (const col of ['segment', 'age', 'income', 'card_limit', 'email', 'opened']) {
      expect(more.data[more.columns.indexOf(col)]).toEqual(base.data[base.columns.indexOf(col)]);
    }
  });

  it('writes JSON lines and Parquet with the same values as CSV, and provenance columns on request', async () => {
    const d = tmp();
    const csv = join(d, 'x.csv');
    const jsonl = join(d, 'x.jsonl');
    const pq = join(d, 'x.parquet');
    const opts = {
      spec: card.spec,
      rows: 5000,
      seed: 11,
      specHash: card.hash,
      provenance: true,
      coverage: false,
    };
    await generateToFile({ ...opts, out: csv });
    await generateToFile({ ...opts, out: jsonl, workers: 2 });
    await generateToFile({ ...opts, out: pq });
    const t1 = await readTable(csv);
    const t2 = await readTable(jsonl);
    const t3 = await readTable(pq);
    expect(t1.columns).toEqual([
      'segment',
      'age',
      'income',
      'card_limit',
      'email',
      'opened',
      '_spec_hash',
      '_stream',
      '_rule_retries',
      '_run_id',
      '_block',
      '_row',
    ]);
    for (const t of [t2, t3]) {
      expect(t.columns).toEqual(t1.columns);
      expect(t.rowCount).toBe(5000);
    }
    for (const col of ['segment', 'age', 'email', '_stream']) {
      const k = t1.columns.indexOf(col);
      expect(t2.data[k]).toEqual(t1.data[k]);
      expect(t3.data[k]).toEqual(t1.data[k]);
    }
    const inc = t1.columns.indexOf('income');
    expect(t3.data[inc].map(Number)).toEqual(t1.data[inc].map(Number));
    expect(new Set(t1.data[t1.columns.indexOf('_spec_hash')])).toEqual(new Set([card.hash]));
  });

  it('leaves no file behind when generation fails part-way', async () => {
    const d = tmp();
    const out = join(d, 'broken.csv');
    const { spec } = parseSpecText(
      `
strata: 1
tables:
  t:
    columns:
      n: { type: id }
      x: { type: number, given: [n], dist: { normal: { mean: 0, sd: "n < 20000 ? 1 : -1" } } }
`,
      'broken.yaml',
    );
    const err = await generateToFile({ spec, rows: 50_000, out, workers: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).message).toMatch(/column "x" could not be drawn for row 20000/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(d)).toEqual([]);
  });

  it('refuses unknown output formats and bad row counts with a hint', async () => {
    await expect(generateToFile({ spec: card.spec, rows: 10, out: join(tmp(), 'x.xlsx') })).rejects.toThrow(
      StrataError,
    );
    await expect(generateToFile({ spec: card.spec, rows: -1, out: join(tmp(), 'x.csv') })).rejects.toThrow(
      /row count -1/,
    );
  });
});

describe('column types', () => {
  it('ids, uuids, faker with locale, booleans, dates, derived columns and missing values', async () => {
    const { spec } = parseSpecText(
      `
strata: 1
tables:
  t:
    columns:
      id: { type: id, start: 100 }
      ref: { type: id, id: uuid }
      name: { type: string, faker: person.lastName, locale: de }
      active: { type: boolean, p: 0.3 }
      day: { type: date, dist: { uniform: { min: "2020-01-01", max: "2020-12-31" } } }
      score: { type: number, decimals: 1, dist: { normal: { mean: 5, sd: 1 } }, missing: 0.2 }
      band: { type: derived, expr: "score == null ? 'none' : score > 5 ? 'high' : 'low'" }
`,
      'types.yaml',
    );
    const r = await generateRows({ spec, rows: 4000, seed: 1 });
    const col = (n: string) => r.data[r.columns.indexOf(n)];
    expect(col('id').slice(0, 3)).toEqual([100, 101, 102]);
    expect(new Set(col('ref')).size).toBe(4000);
    expect(String(col('ref')[0])).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(col('name').every((v) => typeof v === 'string' && v.length > 0)).toBe(true);
    const act = col('active').filter((v) => v === true).length / 4000;
    expect(act).toBeGreaterThan(0.27);
    expect(act).toBeLessThan(0.33);
    expect(col('day').every((v) => typeof v === 'string' && /^2020-\d\d-\d\d$/.test(v))).toBe(true);
    const scores = col('score');
    const missing = scores.filter((v) => v === null).length / 4000;
    expect(missing).toBeGreaterThan(0.17);
    expect(missing).toBeLessThan(0.23);
    expect(
      scores.every((v) => v === null || Math.abs((v as number) * 10 - Math.round((v as number) * 10)) < 1e-9),
    ).toBe(true);
    const band = col('band');
    scores.forEach((s, i) => {
      expect(band[i]).toBe(s === null ? 'none' : (s as number) > 5 ? 'high' : 'low');
    });
    // the same spec and seed gives the same faker values
    const again = await generateRows({ spec, rows: 50, seed: 1 });
    expect(again.data[again.columns.indexOf('name')]).toEqual(col('name').slice(0, 50));
  });
});

describe('card-customers at 1,000,000 rows', () => {
  it('holds its rule and bounds on every row', async () => {
    const out = join(tmp(), 'card.csv');
    await generateToFile({ spec: card.spec, rows: 1_000_000, workers: 2, out });
    const rl = createInterface({ input: createReadStream(out) });
    let n = 0;
    let bad = 0;
    let header = true;
    for await (const line of rl) {
      if (header) {
        header = false;
        continue;
      }
      const f = line.split(',');
      const age = Number(f[1]);
      const income = Number(f[2]);
      const limit = Number(f[3]);
      if (!(limit <= income) || !(age >= 18 && age <= 95) || !(income >= 0)) bad++;
      n++;
    }
    expect(n).toBe(1_000_000);
    expect(bad).toBe(0);
  });
});
