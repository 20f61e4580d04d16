/**
 * What the text of one table cell spells: a number, a date or datetime (in which format), a boolean.
 * Pure functions shared by the readers (which decide whether a token such as `NA` is missing in a
 * column, see na-values.ts) and by type inference (src/data/infer.ts), so both agree on what a
 * number or a date is.
 */

/** The type a typed file (Parquet) stores for a column, as readers report it. */
export type StoredType = 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'string';

export const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const THOUSANDS_NUMBER = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** Parse a numeric cell (plain, scientific, or with thousand separators). NaN if not a number. */
export function parseNumber(raw: string): number {
  const s = raw.trim();
  let v: number;
  if (PLAIN_NUMBER.test(s)) v = Number(s);
  else if (THOUSANDS_NUMBER.test(s)) v = Number(s.replace(/,/g, ''));
  else return Number.NaN;
  // Negative zero is a spelling of zero; keep output free of "-0".
  return v === 0 ? 0 : v;
}

interface DateFormat {
  format: string;
  kind: 'date' | 'datetime';
  re: RegExp;
  /** Field order of the capture groups: y, mo, d, h, mi, s, frac. */
  order: readonly ('y' | 'mo' | 'd' | 'h' | 'mi' | 's')[];
}

const DATE_FORMATS: readonly DateFormat[] = [
  { format: 'date', kind: 'date', re: /^(\d{4})-(\d{2})-(\d{2})$/, order: ['y', 'mo', 'd'] },
  {
    format: 'YYYY-MM-DD HH:mm:ss',
    kind: 'datetime',
    re: /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/,
    order: ['y', 'mo', 'd', 'h', 'mi', 's'],
  },
  {
    format: 'YYYY-MM-DD HH:mm',
    kind: 'datetime',
    re: /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/,
    order: ['y', 'mo', 'd', 'h', 'mi'],
  },
  { format: 'YYYY/MM/DD', kind: 'date', re: /^(\d{4})\/(\d{2})\/(\d{2})$/, order: ['y', 'mo', 'd'] },
  { format: 'DD/MM/YYYY', kind: 'date', re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: ['d', 'mo', 'y'] },
  { format: 'MM/DD/YYYY', kind: 'date', re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: ['mo', 'd', 'y'] },
  {
    format: 'DD/MM/YYYY HH:mm',
    kind: 'datetime',
    re: /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{2}):(\d{2})$/,
    order: ['d', 'mo', 'y', 'h', 'mi'],
  },
  {
    format: 'MM/DD/YYYY HH:mm',
    kind: 'datetime',
    re: /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{2}):(\d{2})$/,
    order: ['mo', 'd', 'y', 'h', 'mi'],
  },
  { format: 'DD.MM.YYYY', kind: 'date', re: /^(\d{2})\.(\d{2})\.(\d{4})$/, order: ['d', 'mo', 'y'] },
];

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms (UTC) of a datetime cell in the given format; NaN when it does not parse or is invalid. */
export function parseDatetime(raw: string, format: string): number {
  const s = raw.trim();
  if (format === 'iso') {
    if (!ISO_DATETIME.test(s)) return Number.NaN;
    // A zone-less ISO time is read as UTC so results do not depend on the machine's zone.
    const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`;
    return Date.parse(withZone);
  }
  const f = DATE_FORMATS.find((d) => d.format === format);
  if (!f) return Number.NaN;
  const m = f.re.exec(s);
  if (!m) return Number.NaN;
  const parts: Record<string, number> = { y: 0, mo: 1, d: 1, h: 0, mi: 0, s: 0 };
  f.order.forEach((k, i) => {
    parts[k] = Number(m[i + 1]);
  });
  const { y, mo, d, h, mi } = parts;
  const sec = parts.s;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return Number.NaN;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0..99 as 1900..1999.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, sec, 0);
  // Reject day overflow (31 Feb → 3 Mar).
  if (date.getUTCDate() !== d) return Number.NaN;
  return date.getTime();
}

/** The one format every value parses in (ISO first, then the patterns in order), or null. */
export function detectDatetime(
  values: readonly string[],
): { format: string; kind: 'date' | 'datetime' } | null {
  if (values.length === 0) return null;
  if (values.every((v) => ISO_DATETIME.test(v) && !Number.isNaN(parseDatetime(v, 'iso'))))
    return { format: 'iso', kind: 'datetime' };
  for (const f of DATE_FORMATS) {
    if (values.every((v) => !Number.isNaN(parseDatetime(v, f.format)))) return f;
  }
  return null;
}

/** `true` / `false` in any case (R's TRUE/FALSE, Python's True/False). */
export function isBooleanText(s: string): boolean {
  const l = s.length === 4 || s.length === 5 ? s.toLowerCase() : '';
  return l === 'true' || l === 'false';
}

/**
 * Whether every one of `values` (trimmed, non-empty) is typed text: all numbers, all dates in one
 * format, or all booleans. Such a column is "numbers or dates" for the missing-token rule.
 */
export function allTypedText(values: readonly string[]): boolean {
  if (values.length === 0) return true;
  if (values.every((v) => Number.isFinite(parseNumber(v)))) return true;
  if (values.every(isBooleanText)) return true;
  return detectDatetime(values) !== null;
}
