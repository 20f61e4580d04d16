/**
 * Strict ISO 8601 date / datetime parsing to epoch milliseconds (UTC unless an offset is given).
 * `Date.parse` is too lenient here (it turns 2021-02-30 into March 2nd), so the fields are
 * validated by round-tripping them through Date.UTC.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseIsoDate(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m.slice(1, 8).map((x) => x ?? undefined);
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const t = Date.UTC(year, month - 1, day, hour, minute, second, Number(ms.padEnd(3, '0')));
  const back = new Date(t);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hour ||
    back.getUTCMinutes() !== minute ||
    back.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  const zone = m[8];
  if (!zone || zone === 'Z') return t;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offH = Number(digits.slice(0, 2));
  const offM = Number(digits.slice(2, 4));
  if (offH > 23 || offM > 59) return undefined;
  return t - sign * (offH * 60 + offM) * 60_000;
}

/** Numbers are epoch ms; strings must be ISO dates. */
export function dateValue(value: number | string): number | undefined {
  return typeof value === 'number' ? value : parseIsoDate(value);
}

/**
 * Epoch ms as the shortest ISO text that reads back to exactly the same number (`2021-03-04` at
 * midnight, else `2021-03-04T10:15:00Z`, with milliseconds only when there are some); undefined
 * when no such text reads back exactly (years past 9999 need a sign; parseIsoDate refuses years
 * before 100), so the caller keeps the number.
 */
export function isoText(ms: number): string | undefined {
  if (!Number.isInteger(ms)) return undefined;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return undefined;
  const full = d.toISOString();
  if (!/^\d{4}-/.test(full)) return undefined;
  const text = full.endsWith('T00:00:00.000Z') ? full.slice(0, 10) : full.replace('.000Z', 'Z');
  return parseIsoDate(text) === ms ? text : undefined;
}
