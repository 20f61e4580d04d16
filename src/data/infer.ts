/**
 * Column type inference for real tables: raw strings in, a typed description out.
 *
 * Decides integer / number (with decimals) / category / boolean / datetime / date (with format) /
 * id / free text / empty, and reports why. Pure functions; the caller reads the file.
 * Written by hand because no package infers types with the guarantees we need (exact bounds,
 * integer-ness, leading-zero codes kept as strings, >2^53 integers never turned into floats).
 * A file that stores types (Parquet) declares them: a declared type is kept, never re-guessed.
 */
import {
  detectDatetime,
  PLAIN_NUMBER,
  parseDatetime,
  parseNumber,
  type StoredType,
} from '../io/cell-text.js';
import type { NaTokenUse } from '../io/na-values.js';

export { parseDatetime, parseNumber };

/** `Infinity`, `-inf`, `1e999`: a number too large for a double, or written as infinite. */
function isInfinite(v: string): boolean {
  const t = v.trim();
  return /^[+-]?inf$/i.test(t) || Math.abs(Number(t)) === Number.POSITIVE_INFINITY;
}

/** What a real column is taken for (`empty`: every value missing). */
export type InferredKind =
  | 'integer'
  | 'number'
  | 'category'
  | 'boolean'
  | 'datetime'
  | 'date'
  | 'id'
  | 'text'
  | 'empty';

export interface InferredColumn {
  name: string;
  kind: InferredKind;
  rows: number;
  missing: number;
  distinct: number;
  /** number: digits after the decimal point kept on output. */
  decimals?: number;
  /** numeric / datetime (epoch ms): exact observed bounds. */
  min?: number;
  max?: number;
  /** datetime/date: `iso`, `date`, or a pattern like `DD/MM/YYYY`. */
  format?: string;
  id?: { style: 'sequential' | 'uuid'; start?: number; prefix?: string };
  boolean?: { trueLabel: string; falseLabel: string };
  /** Integer columns that look like unix timestamps (kept as integers, reported). */
  timestamp?: 'unix_s' | 'unix_ms';
  /** Numbers written with thousand separators (`1,234`). */
  thousands?: boolean;
  /** Human-readable notes on what was detected. */
  notes: string[];
}

export interface InferredTable {
  name: string;
  rows: number;
  columns: InferredColumn[];
}

/** Structural view of `RawTable` from `src/io` (only the fields inference needs). */
export interface RawColumns {
  name: string;
  columns: string[];
  rowCount: number;
  data: (string | null)[][];
  /** Types the file declares per column (Parquet); absent = inferred from the text. */
  types?: readonly (StoredType | undefined)[];
  /** How the reader read tokens such as NA / None (reported by fit). */
  naTokens?: readonly NaTokenUse[];
}

const LEADING_ZERO = /^[+-]?0\d/;
const INTEGER_DIGITS = /^[+-]?\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TWO_POW_53 = 9007199254740992;

/** Trimmed value, or null when missing / blank. */
export function cleanValue(v: string | null): string | null {
  if (v === null) return null;
  const t = v.trim();
  return t === '' ? null : t;
}

function decimalsOf(s: string): number {
  const plain = s.replace(/,/g, '');
  const e = plain.search(/[eE]/);
  if (e < 0) {
    const dot = plain.indexOf('.');
    return dot < 0 ? 0 : plain.length - dot - 1;
  }
  // Scientific notation: decimals of the value itself.
  const v = Number(plain);
  if (Number.isInteger(v)) return 0;
  const str = String(v);
  const m = /e-(\d+)$/.exec(str);
  if (m) return Math.min(15, Number(m[1]) + (str.split('e')[0].split('.')[1]?.length ?? 0));
  return str.split('.')[1]?.length ?? 0;
}

// ---------------------------------------------------------------- booleans

const BOOLEAN_PAIRS: readonly [string, string][] = [
  ['true', 'false'],
  ['yes', 'no'],
  ['y', 'n'],
  ['t', 'f'],
];
const BOOLEAN_NAME = /^(is|has|was|can|should|did|does)[_A-Z]|(_flag|flag|_bool)$|^flag/i;

function detectBoolean(
  name: string,
  distinct: readonly string[],
): { trueLabel: string; falseLabel: string } | null {
  if (distinct.length === 0 || distinct.length > 2) return null;
  const lower = distinct.map((d) => d.toLowerCase());
  for (const [t, f] of BOOLEAN_PAIRS) {
    if (lower.every((v) => v === t || v === f)) {
      const trueLabel = distinct[lower.indexOf(t)] ?? matchCase(t, distinct[0]);
      const falseLabel = distinct[lower.indexOf(f)] ?? matchCase(f, distinct[0]);
      return { trueLabel, falseLabel };
    }
  }
  // 0/1 only when the name says it is a flag.
  if (distinct.every((v) => v === '0' || v === '1') && BOOLEAN_NAME.test(name))
    return { trueLabel: '1', falseLabel: '0' };
  return null;
}

function matchCase(word: string, sample: string): string {
  if (sample === sample.toUpperCase()) return word.toUpperCase();
  if (sample[0] === sample[0].toUpperCase()) return word[0].toUpperCase() + word.slice(1);
  return word;
}

/** Exact bounds (epoch ms) of datetime text in `format`; null when a value does not parse. */
function datetimeBounds(values: readonly string[], format: string): { min: number; max: number } | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    const t = parseDatetime(v, format);
    if (Number.isNaN(t)) return null;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  return { min, max };
}

/** Labels of a declared boolean column: the spelling the file uses (readers give true/false). */
function declaredBoolean(distinct: readonly string[]): { trueLabel: string; falseLabel: string } {
  const trueLabel = distinct.find((d) => d.toLowerCase() === 'true') ?? 'true';
  const falseLabel = distinct.find((d) => d.toLowerCase() === 'false') ?? 'false';
  return { trueLabel, falseLabel };
}

// ---------------------------------------------------------------- main

const ID_NAME = /(^id$|_id$|^id_|Id$|ID$|number$|^uuid$|_no$|key$)/i;
const TIME_NAME = /(time|date|_at$|_ts$|timestamp|epoch)/i;

/**
 * Infer the type of one column from its raw strings (null = missing). A `declared` type (from a
 * typed file) decides the kind: integer stays integer (or an id), number stays number even when every
 * value is whole, string stays a category / text / id and is never read as a number or date.
 */
export function inferColumn(
  name: string,
  values: readonly (string | null)[],
  declared?: StoredType,
): InferredColumn {
  const rows = values.length;
  const present: string[] = [];
  for (const v of values) {
    const c = cleanValue(v);
    if (c !== null) present.push(c);
  }
  const missing = rows - present.length;
  const counts = new Map<string, number>();
  for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
  const distinctValues = [...counts.keys()];
  const base = { name, rows, missing, distinct: counts.size, notes: [] as string[] };

  if (present.length === 0) {
    base.notes.push('all values missing');
    return { ...base, kind: 'empty' };
  }

  if (declared === 'boolean') return { ...base, kind: 'boolean', boolean: declaredBoolean(distinctValues) };
  if (declared === 'date' || declared === 'datetime') {
    const format = declared === 'date' ? 'date' : 'iso';
    const bounds = datetimeBounds(distinctValues, format);
    if (bounds) return { ...base, kind: declared, format, ...bounds };
  }
  const guess = declared === undefined;
  const bool = guess ? detectBoolean(name, distinctValues) : null;
  if (bool) return { ...base, kind: 'boolean', boolean: bool };

  // Numbers: every present value must parse; leading-zero codes and >2^53 integers stay strings.
  const typedNumber = declared === 'integer' || declared === 'number';
  const leadingZero = !typedNumber && present.some((v) => LEADING_ZERO.test(v) && !/^[+-]?0[.eE]/.test(v));
  const tooBig = present.some((v) => INTEGER_DIGITS.test(v) && Math.abs(Number(v)) > TWO_POW_53);
  let numeric = !leadingZero && !tooBig && (guess || typedNumber);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let decimals = 0;
  let allInteger = true;
  let writtenWithDecimals = false;
  let thousands = false;
  /** A value that is an infinite number (`Infinity`, `-inf`, `1e999`) among numbers. */
  let infinite: string | undefined;
  if (numeric) {
    for (const v of distinctValues) {
      const x = parseNumber(v);
      if (!Number.isFinite(x)) {
        if (isInfinite(v)) {
          infinite ??= v;
          continue;
        }
        numeric = false;
        infinite = undefined;
        break;
      }
      if (!PLAIN_NUMBER.test(v)) thousands = true;
      if (x < min) min = x;
      if (x > max) max = x;
      const d = decimalsOf(v);
      if (d > decimals) decimals = d;
      if (!Number.isInteger(x)) allInteger = false;
      else if (v.includes('.') && !/[eE]/.test(v)) writtenWithDecimals = true;
    }
  }
  if (numeric && infinite !== undefined) {
    // Said, not silent: the column is kept whole (as text) rather than losing the infinite cells.
    numeric = false;
    base.notes.push(
      `"${infinite}" is not a finite number: the column is kept as text; replace it, or read it as missing with --na-values ${infinite}`,
    );
  }
  if (leadingZero) base.notes.push('leading zeros (codes such as ZIP codes): kept as text');
  if (tooBig) base.notes.push('integers beyond 2^53 cannot be numbers without losing digits: kept as text');

  if (numeric) {
    if (thousands) base.notes.push('thousand separators removed');
    if (allInteger && declared !== 'number') {
      // Whole numbers written as 63.0 (a float export) are integers: modelled as such, they never
      // come back as 65.7.
      if (writtenWithDecimals) base.notes.push('whole numbers written with decimals (63.0): integers');
      const col: InferredColumn = { ...base, kind: 'integer', min, max, thousands: thousands || undefined };
      const unique = counts.size === present.length;
      const sequential = unique && max - min + 1 === present.length;
      if (unique && present.length >= 20 && (sequential || ID_NAME.test(name))) {
        base.notes.push(
          sequential ? 'unique sequential integers: an id' : 'unique integers named like an id',
        );
        return { ...base, kind: 'id', id: { style: 'sequential', start: min }, min, max };
      }
      if (TIME_NAME.test(name) && min >= 1e12 && max < 4.2e12) {
        col.timestamp = 'unix_ms';
        base.notes.push('looks like unix timestamps in milliseconds (kept as integers)');
      } else if (TIME_NAME.test(name) && min >= 1e8 && max < 4.2e9) {
        col.timestamp = 'unix_s';
        base.notes.push('looks like unix timestamps in seconds (kept as integers)');
      }
      return col;
    }
    return {
      ...base,
      kind: 'number',
      min,
      max,
      decimals: Math.min(15, decimals),
      thousands: thousands || undefined,
    };
  }

  const dt = guess ? detectDatetime(distinctValues) : null;
  if (dt) return { ...base, kind: dt.kind, format: dt.format, ...datetimeBounds(distinctValues, dt.format) };

  const unique = counts.size === present.length;
  if (unique && present.length >= 20 && present.every((v) => UUID.test(v))) {
    base.notes.push('unique UUIDs: an id');
    return { ...base, kind: 'id', id: { style: 'uuid' } };
  }
  if (unique && present.length >= 20 && ID_NAME.test(name)) {
    const m = /^(\D*?)(\d+)$/.exec(present[0]);
    const prefix = m?.[1] ?? '';
    const allPrefixed =
      m !== null && present.every((v) => v.startsWith(prefix) && /^\d+$/.test(v.slice(prefix.length)));
    if (allPrefixed) {
      const nums = present.map((v) => Number(v.slice(prefix.length)));
      base.notes.push(`unique codes "${prefix}<n>": an id`);
      return { ...base, kind: 'id', id: { style: 'sequential', prefix, start: Math.min(...nums) } };
    }
  }

  // Free text / high-cardinality strings: long, mostly unique, many spaces.
  let totalLength = 0;
  let totalSpaces = 0;
  for (const v of present) {
    totalLength += v.length;
    for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) === 32) totalSpaces++;
  }
  const distinctShare = counts.size / present.length;
  const meanLength = totalLength / present.length;
  const meanSpaces = totalSpaces / present.length;
  if (present.length >= 20 && distinctShare > 0.5) {
    if (meanLength >= 20 && meanSpaces >= 3) base.notes.push('free text (long, mostly unique)');
    else if (present.every((v) => EMAIL.test(v))) base.notes.push('email addresses (mostly unique)');
    else base.notes.push('high-cardinality strings (mostly unique)');
    return { ...base, kind: 'text' };
  }
  return { ...base, kind: 'category' };
}

/** Infer every column of a raw table. */
export function inferTable(raw: RawColumns): InferredTable {
  return {
    name: raw.name,
    rows: raw.rowCount,
    columns: raw.columns.map((c, i) => inferColumn(c, raw.data[i], raw.types?.[i])),
  };
}

/**
 * Numeric view of a column: numbers for integer/number/id, epoch ms for datetime/date, 1/0 for
 * booleans; NaN for missing or unparseable cells.
 */
export function numericValues(col: InferredColumn, values: readonly (string | null)[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = cleanValue(values[i]);
    if (c === null) {
      out[i] = Number.NaN;
      continue;
    }
    if (col.kind === 'datetime' || col.kind === 'date') out[i] = parseDatetime(c, col.format ?? 'iso');
    else if (col.kind === 'boolean') out[i] = c === col.boolean?.trueLabel ? 1 : 0;
    else out[i] = parseNumber(c);
  }
  return out;
}
