import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { isoText, parseIsoDate } from '../spec/dates.js';
import { checkSpecText, parseSpecText } from '../spec/index.js';
import { toYaml } from '../spec/yaml.js';
import { withIsoDates } from './emit-dates.js';
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

  it("writes a date parent's breaks as ISO text (own, prev.x and parent.x columns), not an expression's", () => {
    const t1 = Date.UTC(2021, 2, 4, 10, 15);
    const t2 = Date.UTC(2021, 5, 1);
    const child = (column: string) => ({
      type: 'category',
      given: [column],
      conditional: {
        parents: [{ column, breaks: [t1, t2, 0.5] }],
        rows: [{ when: ['0'], values: { a: 1 } }],
        default: { values: { b: 1 } },
      },
    });
    const spec = {
      strata: 1,
      tables: {
        p: { rows: 2, columns: { start: { type: 'datetime' }, n: { type: 'number' } } },
        c: {
          parent: { table: 'p', column: 'pid' },
          columns: {
            at: { type: 'datetime' },
            own: child('at'),
            prev: child('prev.at'),
            up: child('parent.start'),
            num: child('parent.n'),
            room: {
              ...child('x'),
              conditional: { ...child('x').conditional, parents: [{ expr: 'x', breaks: [t1] }] },
            },
          },
        },
      },
    };
    const written = withIsoDates(spec).tables.c.columns as unknown as Record<
      string,
      { conditional: { parents: { breaks: unknown[] }[] } }
    >;
    for (const c of ['own', 'prev', 'up'])
      expect(written[c].conditional.parents[0].breaks).toEqual(['2021-03-04T10:15:00Z', '2021-06-01', 0.5]);
    expect(written.num.conditional.parents[0].breaks).toEqual([t1, t2, 0.5]);
    expect(written.room.conditional.parents[0].breaks).toEqual([t1]);
    // the fitted spec in memory keeps numbers
    expect(spec.tables.c.columns.own.conditional.parents[0].breaks).toEqual([t1, t2, 0.5]);
  });

  it('reads breaks written as ISO text or epoch ms to the same numbers, and refuses a text that is neither', () => {
    const spec = (breaks: string) =>
      [
        'strata: 1',
        'tables:',
        '  t:',
        '    rows: 10',
        '    columns:',
        '      at: {type: datetime, dist: {uniform: {min: 1600000000000, max: 1700000000000}}}',
        '      g:',
        '        type: category',
        '        given: [at]',
        `        conditional: {parents: [{column: at, breaks: ${breaks}}], rows: [{when: ["0"], values: {a: 1}}], default: {values: {b: 1}}}`,
      ].join('\n');
    const breaksOf = (text: string) =>
      (
        parseSpecText(text, 'm.yaml').spec.tables.t.columns.g.conditional as {
          parents: { breaks: number[] }[];
        }
      ).parents[0].breaks;
    const ms = Date.UTC(2021, 2, 4, 10, 15);
    expect(breaksOf(spec('[2021-03-04T10:15:00Z, 1650000000000]'))).toEqual([ms, 1650000000000]);
    expect(breaksOf(spec(`[${ms}, 1650000000000]`))).toEqual([ms, 1650000000000]);
    const bad = checkSpecText(spec('["2021-13-04", 1650000000000]'), 'bad.yaml');
    expect(bad.issues).toHaveLength(1);
    expect(bad.issues[0].code).toBe('spec.bad_date');
    expect(bad.issues[0].format()).toMatch(/bad\.yaml:10:\d+ .*breaks\[0\]: break "2021-13-04" is neither/);
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
