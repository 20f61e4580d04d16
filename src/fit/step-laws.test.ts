import { describe, expect, it } from 'vitest';
import { inferColumn } from '../data/infer.js';
import type { Column } from '../spec/schema.js';
import { fitAnchoredTime, fitStepLaw } from './step-laws.js';

// Three sequences of five rows; prev = previous position within the sequence.
const prev = Int32Array.from([-1, 0, 1, 2, 3, -1, 5, 6, 7, 8, -1, 10, 11, 12, 13]);
const HOUR = 3_600_000;

describe('fitStepLaw', () => {
  it('writes the order column as parent anchor + offset, then prev + gap (hourly gaps as point masses)', () => {
    const starts = [0, 100 * HOUR, 500 * HOUR];
    const values = Float64Array.from(
      { length: 15 },
      (_, p) => starts[Math.floor(p / 5)] + 2 * HOUR + (p % 5) * HOUR,
    );
    const parent = Float64Array.from({ length: 15 }, (_, p) => starts[Math.floor(p / 5)]);
    const info = inferColumn('t', ['2020-01-01 00:00:00', '2020-01-02 00:00:00']);
    const law = fitStepLaw(
      {
        name: 't',
        info,
        values,
        prev,
        anchors: [{ name: 'parent.intime', values: parent }],
        mode: 'order',
        minCount: 1,
      },
      { type: 'datetime' },
    )!;
    expect(law.given).toEqual(['index', 'parent.intime', 'prev.t']);
    const c = law.column.conditional!;
    expect(c.parents).toEqual([{ column: 'index' }]);
    expect(c.rows[0].dist).toMatchObject({ empirical: { shift: 'parent.intime', continuous: 'offset' } });
    expect(c.default?.dist).toMatchObject({ empirical: { shift: 'prev.t', offsets: { [String(HOUR)]: 1 } } });
  });

  it('learns an AR(1) slope for a numeric column, and gives up on missing values or too few steps', () => {
    const values = Float64Array.from([
      10, 8, 6.4, 5.12, 4.1, 20, 16, 12.8, 10.24, 8.2, 5, 4, 3.2, 2.56, 2.05,
    ]);
    const info = inferColumn('x', ['1.5', '2.25']);
    const base: Column = { type: 'number', given: ['y'], dist: { normal: { mean: 0, sd: 1 } } };
    const law = fitStepLaw({ name: 'x', info, values, prev, anchors: [], mode: 'ar', minCount: 1 }, base)!;
    expect(law.slope).toBeCloseTo(0.8, 2);
    expect(law.column.dist).toBeUndefined();
    expect(law.column.given).toEqual(['index', 'prev.x']);
    const holes = Float64Array.from(values);
    holes[3] = Number.NaN;
    expect(
      fitStepLaw({ name: 'x', info, values: holes, prev, anchors: [], mode: 'ar', minCount: 1 }, base),
    ).toBeUndefined();
    const short = Int32Array.from({ length: 15 }, () => -1);
    expect(
      fitStepLaw({ name: 'x', info, values, prev: short, anchors: [], mode: 'ar', minCount: 1 }, base),
    ).toBeUndefined();
  });

  it('keeps the knots of an integer column’s AR steps ascending (its residuals are off the integer grid)', () => {
    // Many entities of an integer series growing ~5% a step: residuals x − 1.05·prev are fractions.
    const xs: number[] = [];
    const pv: number[] = [];
    for (let e = 0; e < 200; e++) {
      let x = 1000 + (e % 10) * 10; // entities repeat: tied residuals
      for (let t = 0; t < 5; t++) {
        pv.push(t === 0 ? -1 : xs.length - 1);
        xs.push(x);
        x = Math.round(x * 1.05 + ((e + t) % 7) * 20);
      }
    }
    const info = inferColumn('bill', ['1000', '2000']);
    const base: Column = { type: 'integer', dist: { normal: { mean: 0, sd: 1 } } };
    const law = fitStepLaw(
      {
        name: 'bill',
        info,
        values: Float64Array.from(xs),
        prev: Int32Array.from(pv),
        anchors: [],
        mode: 'ar',
        minCount: 5,
      },
      base,
    )!;
    expect(law.slope).not.toBe(1);
    const knotLists = JSON.stringify(law.column).match(/"knots":\[[^\]]*\]/g)!;
    expect(knotLists.length).toBeGreaterThan(0);
    for (const k of knotLists) {
      const ks = JSON.parse(k.slice(8)) as number[];
      for (let i = 1; i < ks.length; i++) expect(ks[i]).toBeGreaterThanOrEqual(ks[i - 1]);
    }
  });
});

describe('fitAnchoredTime', () => {
  const info = inferColumn('edouttime', ['2020-01-01 00:00:00', '2020-01-02 00:00:00']);
  const DAY = 86_400_000;
  // Admissions spread over years; the ED exit a few hours before each; a quarter missing.
  const admit = Float64Array.from({ length: 40 }, (_, i) => i * 97 * DAY);
  const out = Float64Array.from(admit, (a, i) => (i % 4 === 0 ? Number.NaN : a - (2 + (i % 5)) * HOUR));
  it('ties a time to the anchor whose offsets spread least, keeping the missing rate', () => {
    const noisy = Float64Array.from(admit, (a, i) => a + (i % 7) * 30 * DAY);
    const r = fitAnchoredTime(
      info,
      out,
      [
        { name: 'parent.dob', values: noisy },
        { name: 'admittime', values: admit },
      ],
      1,
      { type: 'datetime', min: '2020-01-01', dist: { uniform: { min: 0, max: 1 } } },
    )!;
    expect(r.anchor).toBe('admittime');
    expect(r.column).toMatchObject({ type: 'datetime', given: ['admittime'], missing: 0.25 });
    expect(r.column.min).toBeUndefined();
    expect(r.column.dist).toMatchObject({ empirical: { shift: 'admittime', continuous: 'offset' } });
  });
  it('gives up when no anchor narrows the values', () => {
    const unrelated = Float64Array.from(admit, (_, i) => ((i * 7919) % 40) * 97 * DAY);
    expect(
      fitAnchoredTime(info, out, [{ name: 'x', values: unrelated }], 1, { type: 'datetime' }),
    ).toBeUndefined();
  });
});
