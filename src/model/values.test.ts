import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import { formatDate, isoString, parseIsoDate, roundTo } from './values.js';

describe('isoString', () => {
  it('matches Date#toISOString (with .000 dropped) over ±8000 years', () => {
    const s = streamFor(1, 'iso');
    const bad: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const t = Math.round((s.nextFloat() - 0.5) * 5e14);
      const whole = i % 2 === 0 ? Math.round(t / 1000) * 1000 : t;
      if (isoString(whole) !== new Date(whole).toISOString().replace('.000Z', 'Z')) bad.push(whole);
    }
    expect(bad).toEqual([]);
  });
  it('formats patterns and dates', () => {
    const t = Date.UTC(2021, 2, 4, 5, 6, 7, 89);
    expect(formatDate(t, 'date')).toBe('2021-03-04');
    expect(formatDate(t, 'DD/MM/YYYY HH:mm:ss.SSS')).toBe('04/03/2021 05:06:07.089');
    expect(formatDate(t, 'epoch_s')).toBe(Math.round(t / 1000));
  });
});

describe('parseIsoDate / roundTo', () => {
  it('parses dates and datetimes as UTC, rejects others', () => {
    expect(parseIsoDate('2020-01-01')).toBe(Date.UTC(2020, 0, 1));
    expect(parseIsoDate('2020-01-01T10:00:00')).toBe(Date.UTC(2020, 0, 1, 10));
    expect(parseIsoDate('2020-01-01T10:00:00+02:00')).toBe(Date.UTC(2020, 0, 1, 8));
    expect(parseIsoDate('01/02/2020')).toBeUndefined();
    expect(parseIsoDate('2020-13-45')).toBeUndefined();
  });
  it('rounds to decimals without -0', () => {
    expect(roundTo(1.005, 2)).toBe(1);
    expect(roundTo(-0.001, 2)).toBe(0);
    expect(Object.is(roundTo(-0.001, 2), -0)).toBe(false);
    expect(roundTo(2.675, 1)).toBe(2.7);
  });
});
