import { describe, expect, it } from 'vitest';
import { inferTable, numericValues } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { generateRows } from '../sample/index.js';
import { parseSpecText } from '../spec/index.js';
import { fitTable } from './fit.js';
import { proposeIdentities } from './identities.js';

/** Stays with a total = a + b and a length of stay in days (2 decimals) between two datetimes. */
function stays(n: number, seed: number, breakOne = false) {
  const s = streamFor(seed, 'stays');
  const cols: string[][] = [[], [], [], [], [], []];
  for (let i = 0; i < n; i++) {
    const a = 10 + s.nextInt(500);
    const b = s.nextInt(300);
    const t0 = Date.UTC(2020, 0, 1) + s.nextInt(365 * 24) * 3_600_000 + s.nextInt(3600) * 1000;
    const t1 = t0 + 3_600_000 + s.nextInt(20 * 86_400) * 1000;
    cols[0].push(String(a));
    cols[1].push(String(b));
    cols[2].push(String(a + b + (breakOne && i === n - 1 ? 1 : 0)));
    cols[3].push(new Date(t0).toISOString().slice(0, 19));
    cols[4].push(new Date(t1).toISOString().slice(0, 19));
    cols[5].push(((t1 - t0) / 86_400_000).toFixed(2));
  }
  return { name: 'stays', columns: ['a', 'b', 'total', 'intime', 'outtime', 'los'], rowCount: n, data: cols };
}

describe('identities found in the data', () => {
  it('finds a sum and a datetime difference in days, and nothing that fails on one row', () => {
    const raw = stays(500, 1);
    const inferred = inferTable(raw).columns;
    const values = inferred.map((c, i) => (c.kind === 'category' ? null : numericValues(c, raw.data[i])));
    const found = proposeIdentities(inferred, values).map((x) => [raw.columns[x.column], x.expr]);
    expect(found).toEqual([
      ['total', 'round(a + b)'],
      ['los', 'round((outtime - intime) / 86400000, 2)'],
    ]);
    const broken = stays(500, 1, true);
    const bi = inferTable(broken).columns;
    const bv = bi.map((c, i) => (c.kind === 'category' ? null : numericValues(c, broken.data[i])));
    expect(proposeIdentities(bi, bv).map((x) => broken.columns[x.column])).toEqual(['los']);
  });

  it('writes them as expressions that generated rows keep exactly', async () => {
    const fit = fitTable(stays(2000, 2), { seed: 1 });
    expect(fit.spec.tables.stays.columns.total.expr).toBe('round(a + b)');
    const g = await generateRows({ spec: parseSpecText(fit.yaml, 'stays.yaml').spec, rows: 1000, seed: 4 });
    const col = (n: string) => g.data[g.columns.indexOf(n)];
    for (let i = 0; i < g.rows; i++) {
      expect(Number(col('total')[i])).toBe(Number(col('a')[i]) + Number(col('b')[i]));
      const days = (Date.parse(`${col('outtime')[i]}`) - Date.parse(`${col('intime')[i]}`)) / 86_400_000;
      expect(Number(col('los')[i])).toBeCloseTo(days, 2);
    }
  });
});

/** Cultures taken at a time of day, with their day written as a midnight datetime; the time is lost on some rows. */
function charted(n: number, seed: number, lostShare: number) {
  const s = streamFor(seed, 'charted');
  const cols: string[][] = [[], [], []];
  for (let i = 0; i < n; i++) {
    const t = Date.UTC(2130, 0, 1) + s.nextInt(400) * 86_400_000 + s.nextInt(86_400) * 1000;
    const text = new Date(t).toISOString().replace('T', ' ').slice(0, 19);
    cols[0].push(`${text.slice(0, 10)} 00:00:00`);
    cols[1].push(s.nextFloat() < lostShare ? '' : text);
    cols[2].push(String(s.nextInt(50)));
  }
  return { name: 'charted', columns: ['chartdate', 'charttime', 'count'], rowCount: n, data: cols };
}

describe('the day of a datetime', () => {
  it('is written as date(charttime) when both are always present, and generated rows keep it', async () => {
    const fit = fitTable(charted(1000, 3, 0), { seed: 1 });
    const cols = fit.spec.tables.charted.columns;
    expect([cols.chartdate.expr, cols.charttime.expr]).toContain('date(charttime)');
    expect(cols.chartdate.type).toBe('date');
    const g = await generateRows({ spec: parseSpecText(fit.yaml, 'charted.yaml').spec, rows: 500, seed: 4 });
    const col = (n: string) => g.data[g.columns.indexOf(n)];
    for (let i = 0; i < g.rows; i++) {
      expect(String(col('chartdate')[i])).toMatch(/ 00:00:00$/);
      expect(String(col('chartdate')[i]).slice(0, 10)).toBe(String(col('charttime')[i]).slice(0, 10));
    }
  });

  it('is a rule when the datetime is missing on some rows, and generated rows keep it', async () => {
    const fit = fitTable(charted(1000, 5, 0.1), { seed: 1 });
    const rules = fit.spec.tables.charted.rules ?? [];
    expect(rules.map((r) => r.name)).toEqual(['chartdate_is_day_of_charttime']);
    const g = await generateRows({ spec: parseSpecText(fit.yaml, 'charted.yaml').spec, rows: 1000, seed: 4 });
    const col = (n: string) => g.data[g.columns.indexOf(n)];
    let lost = 0;
    for (let i = 0; i < g.rows; i++) {
      expect(String(col('chartdate')[i])).toMatch(/ 00:00:00$/);
      if (col('charttime')[i] === null) lost++;
      else expect(String(col('chartdate')[i]).slice(0, 10)).toBe(String(col('charttime')[i]).slice(0, 10));
    }
    expect(lost).toBeGreaterThan(50);
  });
});

/**
 * Deaths: `dod` present on 70% of rows, `dod_hosp` a copy of it on 60% of those and missing
 * elsewhere (MIMIC's PATIENTS). Before stop 25 fit drew dod_hosp from its own law, so generated
 * rows broke `dod <= dod_hosp` and `dod_hosp <= dod`, which every real row holds.
 */
function deaths(n: number, seed: number) {
  const s = streamFor(seed, 'deaths');
  const cols: string[][] = [[], [], []];
  for (let i = 0; i < n; i++) {
    const age = 20 + s.nextInt(70);
    const died = s.nextFloat() < 0.7;
    const day = Date.UTC(2100, 0, 1) + s.nextInt(3650) * 86_400_000;
    const dod = died ? new Date(day).toISOString().slice(0, 10) : '';
    cols[0].push(String(age));
    cols[1].push(dod);
    cols[2].push(died && s.nextFloat() < 0.6 ? dod : '');
  }
  return { name: 'deaths', columns: ['age', 'dod', 'dod_hosp'], rowCount: n, data: cols };
}

describe('a copy wherever it is present', () => {
  it('is written as the expression with a missing rate, and generated rows keep both orders', async () => {
    const fit = fitTable(deaths(800, 3), { seed: 1 });
    const col = fit.spec.tables.deaths.columns.dod_hosp;
    expect(col.expr).toBe('dod');
    expect(Number(col.missing)).toBeGreaterThan(0.32);
    expect(Number(col.missing)).toBeLessThan(0.48);
    const g = await generateRows({ spec: parseSpecText(fit.yaml, 'deaths.yaml').spec, rows: 2000, seed: 4 });
    const [dod, hosp] = ['dod', 'dod_hosp'].map((n) => g.data[g.columns.indexOf(n)]);
    let withDod = 0;
    let copied = 0;
    for (let i = 0; i < g.rows; i++) {
      if (hosp[i] !== null) expect(hosp[i]).toBe(dod[i]);
      if (dod[i] !== null) withDod++;
      if (hosp[i] !== null) copied++;
    }
    expect(copied / withDod).toBeGreaterThan(0.52);
    expect(copied / withDod).toBeLessThan(0.68);
  });
});
