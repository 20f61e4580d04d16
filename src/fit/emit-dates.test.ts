import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { isoText, parseIsoDate } from '../spec/dates.js';
import { checkSpecText, parseSpecText } from '../spec/index.js';
import { toYaml } from '../spec/yaml.js';
import { fitTable } from './fit.js';

/** 600 rows: a datetime with minutes and seconds, a date, and a group the dates depend on. */
function dated(): RawColumns {
  const rows: [string, string, string][] = [];
  const day = 86_400_000;
  const t0 = Date.UTC(2021, 0, 1);
  for (let i = 0; i < 600; i++) {
    const g = i % 3 === 0 ? 'a' : 'b';
    const at = t0 + ((i * 7919) % 400) * day + ((i * 104729) % 86_400) * 1000 + (g === 'a' ? 90 * day : 0);
    // The date is not the day of `at` (that is written as `date(at)`, identities.ts): a law of its own.
    const on = t0 + ((i * 613) % 365) * day + (g === 'a' ? 30 * day : 0);
    rows.push([g, new Date(at).toISOString().replace('.000Z', 'Z'), new Date(on).toISOString().slice(0, 10)]);
  }
  return {
    name: 'events',
    columns: ['group', 'at', 'day'],
    rowCount: rows.length,
    data: [0, 1, 2].map((c) => rows.map((r) => r[c])),
  };
}

/** Every empirical law of a column in a spec object (its own dist, conditional rows and default). */
function laws(
  spec: unknown,
  column: string,
): { knots: (number | string)[]; atoms?: Record<string, number> }[] {
  const col = (spec as { tables: Record<string, { columns: Record<string, Record<string, unknown>> }> })
    .tables.events.columns[column];
  const dists = [
    col.dist,
    ...((col.conditional as { rows?: { dist?: unknown }[] })?.rows ?? []).map((r) => r.dist),
  ];
  dists.push((col.conditional as { default?: { dist?: unknown } })?.default?.dist);
  return dists
    .filter((d): d is { empirical: never } => typeof d === 'object' && d !== null && 'empirical' in d)
    .map((d) => d.empirical);
}

describe('dates in the model file (issue 13.10)', () => {
  const r = fitTable(dated(), { seed: 1 });

  it('writes datetime and date knots as ISO text that reads back to the same instants', () => {
    expect(r.yaml).not.toMatch(/knots: \[[^\]]*\d{12}/);
    expect(r.yaml).toMatch(/knots: \["?2021-\d\d-\d\dT/);
    const loaded = parseSpecText(r.yaml, 'model.yaml').spec;
    for (const column of ['at', 'day']) {
      const fitted = laws(r.spec, column);
      const read = laws(loaded, column);
      expect(fitted.length).toBeGreaterThan(0);
      expect(read).toEqual(fitted);
      for (const law of fitted) for (const k of law.knots) expect(typeof k).toBe('number');
    }
  });

  it('still reads a file written with epoch milliseconds', () => {
    const old = toYaml(r.spec);
    expect(old).toMatch(/\d{13}/);
    const loaded = parseSpecText(old, 'old.yaml').spec;
    expect(laws(loaded, 'at')).toEqual(laws(r.spec, 'at'));
  });

  it('reads ISO atom keys of a date column and refuses a knot that is no date', () => {
    const spec = (knot: string) =>
      [
        'strata: 1',
        'tables:',
        '  t:',
        '    rows: 10',
        '    columns:',
        '      d:',
        '        type: date',
        `        dist: {empirical: {knots: ["2021-01-01", ${knot}], atoms: {"2021-01-05": 0.25}}}`,
      ].join('\n');
    const ok = parseSpecText(spec('"2021-02-01T12:30:00Z"'), 'ok.yaml').spec;
    const law = (
      ok.tables.t.columns.d.dist as { empirical: { knots: number[]; atoms: Record<string, number> } }
    ).empirical;
    expect(law.knots).toEqual([Date.UTC(2021, 0, 1), Date.UTC(2021, 1, 1, 12, 30)]);
    expect(law.atoms).toEqual({ [String(Date.UTC(2021, 0, 5))]: 0.25 });
    const bad = checkSpecText(spec('"2021-02-30"'), 'bad.yaml');
    expect(bad.issues.map((i) => i.code)).toContain('spec.bad_date');
  });

  it('isoText: shortest exact text; none where ISO text would not read back (years before 100, after 9999)', () => {
    expect(isoText(Date.UTC(2021, 2, 4))).toBe('2021-03-04');
    expect(isoText(Date.UTC(2021, 2, 4, 10, 15))).toBe('2021-03-04T10:15:00Z');
    expect(isoText(Date.UTC(2021, 2, 4, 10, 15, 0, 7))).toBe('2021-03-04T10:15:00.007Z');
    for (const ms of [0, -1, 1614852900123, Date.UTC(1850, 5, 1)])
      expect(parseIsoDate(isoText(ms)!)).toBe(ms);
    expect(isoText(-62135596800000)).toBeUndefined();
    expect(isoText(8.64e15)).toBeUndefined();
    expect(isoText(1.5)).toBeUndefined();
  });
});
