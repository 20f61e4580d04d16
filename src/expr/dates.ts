/**
 * Dates as epoch milliseconds UTC. The text parser is hand-written because `Date.parse` accepts
 * implementation-defined formats and silently rolls over invalid days (2015-02-30 → March 2); we
 * accept ISO 8601 only and reject impossible dates.
 */
import type { Value } from './ast.js';
import { parseNumeric } from './values.js';

export const MS_PER_DAY = 86_400_000;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `2015-01-01`, `2015-01-01T10:00`, `2015-01-01 10:00:00.5Z`, `…+02:00` → epoch ms; else null. */
export function parseDateTime(text: string): number | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const zh = Number(digits.slice(1, 3));
    const zm = Number(digits.slice(3, 5));
    if (zh > 23 || zm > 59) return null;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm);
  }
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime() - offsetMinutes * 60_000;
}

/** A value as a point in time: numbers are epoch ms, strings are parsed (numeric strings are ms). */
export function toTime(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return parseNumeric(v) ?? parseDateTime(v);
  return null;
}

/** Start of the UTC day containing `ms`. */
export function startOfDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

type Part = 'year' | 'month' | 'day' | 'weekday' | 'hour';

/** A calendar part of a time (UTC); month is 1–12, weekday 0 = Sunday. null when out of range. */
export function timePart(v: Value, part: Part): number | null {
  const t = toTime(v);
  if (t === null) return null;
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return null;
  switch (part) {
    case 'year':
      return d.getUTCFullYear();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'day':
      return d.getUTCDate();
    case 'weekday':
      return d.getUTCDay();
    case 'hour':
      return d.getUTCHours();
  }
}
