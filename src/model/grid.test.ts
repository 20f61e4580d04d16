import { describe, expect, it } from 'vitest';
import { gridOf } from './grid.js';
import { formatDate, parseIsoDate } from './values.js';

const t = (s: string) => parseIsoDate(s)!;

describe('output grids', () => {
  it('follow the format: the finest token of a pattern, ms for iso, seconds for epoch_s', () => {
    const sec = gridOf({ type: 'datetime', format: 'YYYY-MM-DD HH:mm:ss' })!;
    expect(sec.snap(t('2100-01-01T10:00:00.900Z'))).toBe(t('2100-01-01T10:00:00Z'));
    expect(sec.mode).toBe('floor');
    const min = gridOf({ type: 'datetime', format: 'DD/MM/YYYY HH:mm' })!;
    expect(min.snap(t('2100-01-01T10:07:59Z'))).toBe(t('2100-01-01T10:07:00Z'));
    expect(gridOf({ type: 'datetime' })!.snap(1.4)).toBe(1);
    expect(gridOf({ type: 'datetime', format: 'epoch_s' })!.snap(1500)).toBe(2000);
    expect(gridOf({ type: 'date' })!.snap(t('2100-01-01T23:00:00Z'))).toBe(t('2100-01-01'));
    expect(gridOf({ type: 'date', format: 'YYYY-MM' })!.snap(t('2100-03-31'))).toBe(t('2100-03-01'));
    expect(gridOf({ type: 'string' })).toBeUndefined();
  });

  it('move a strict bound a whole step and a plain one onto the grid', () => {
    const sec = gridOf({ type: 'datetime', format: 'YYYY-MM-DD HH:mm:ss' })!;
    const b = t('2100-01-01T10:00:00Z');
    expect(sec.atMost(b, true)).toBe(b - 1000);
    expect(sec.atMost(b, false)).toBe(b);
    expect(sec.atMost(b + 400, true)).toBe(b);
    expect(sec.atLeast(b, true)).toBe(b + 1000);
    expect(sec.atLeast(b + 400, false)).toBe(b + 1000);
    const month = gridOf({ type: 'date', format: 'YYYY-MM' })!;
    expect(month.atLeast(t('2100-01-01'), true)).toBe(t('2100-02-01'));
    expect(month.atMost(t('2100-01-01'), true)).toBe(t('2099-12-01'));
    expect(month.next(t('2100-12-01'))).toBe(t('2101-01-01'));
  });

  it('compare decimals on the value itself, not on a float-rounded index', () => {
    const g = gridOf({ type: 'number', decimals: 2 })!;
    // 0.29 × 100 = 28.999999999999996
    expect(g.atLeast(0.29, false)).toBe(0.29);
    expect(g.atLeast(0.29, true)).toBe(0.3);
    expect(g.atMost(2.5, true)).toBe(2.49);
    expect(g.atMost(0.29, false)).toBe(0.29);
    expect(g.snap(-0.001)).toBe(0);
    expect(Object.is(g.snap(-0.001), -0)).toBe(false);
  });

  it('writes a snapped value as itself', () => {
    const sec = gridOf({ type: 'datetime', format: 'YYYY-MM-DD HH:mm:ss' })!;
    const v = sec.atMost(t('2100-01-01T10:00:00Z'), true);
    expect(formatDate(v, 'YYYY-MM-DD HH:mm:ss')).toBe('2100-01-01 09:59:59');
    expect(gridOf({ type: 'integer' })!.atLeast(2, true)).toBe(3);
  });
});
