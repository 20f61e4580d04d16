import { describe, expect, it } from 'vitest';
import { dateValue, parseIsoDate } from './dates.js';

describe('parseIsoDate', () => {
  it('parses dates and datetimes as UTC epoch ms', () => {
    expect(parseIsoDate('2015-01-01')).toBe(Date.UTC(2015, 0, 1));
    expect(parseIsoDate('2024-02-29T13:45:10Z')).toBe(Date.UTC(2024, 1, 29, 13, 45, 10));
    expect(parseIsoDate('2024-02-29T13:45:10.250Z')).toBe(Date.UTC(2024, 1, 29, 13, 45, 10, 250));
    expect(parseIsoDate('2024-01-01T02:00+02:00')).toBe(Date.UTC(2024, 0, 1, 0, 0));
  });
  it('rejects impossible or malformed dates that Date.parse would accept', () => {
    expect(parseIsoDate('2021-02-30')).toBeUndefined();
    expect(parseIsoDate('2023-02-29')).toBeUndefined();
    expect(parseIsoDate('2021-13-01')).toBeUndefined();
    expect(parseIsoDate('2021-1-1')).toBeUndefined();
    expect(parseIsoDate('yesterday')).toBeUndefined();
    expect(parseIsoDate('2021-01-01T25:00')).toBeUndefined();
  });
  it('treats numbers as epoch ms', () => {
    expect(dateValue(0)).toBe(0);
    expect(dateValue('1970-01-02')).toBe(86_400_000);
  });
});
