/**
 * Values a caller fixes in a served row (`given`, `do`, a partial row to complete), read against
 * the table's columns: each name must be a column, each value of the column's type, and the result
 * is the engine's value (datetimes as epoch ms). Caller text never becomes an object key: names are
 * looked up in a Map and the result is a Map of column index → value.
 */
import { StrataError } from '../errors.js';
import type { ColumnInfo } from '../model/compile.js';
import { parseIsoDate, type Value } from '../model/values.js';
import { didYouMean } from '../spec/did-you-mean.js';

/** What a caller may pass for one column: JSON scalars. */
export type GivenValue = string | number | boolean | null;
/** Column name → value, as a Map or as a plain record parsed from JSON (only own keys are read). */
export type GivenValues = ReadonlyMap<string, GivenValue> | Readonly<Record<string, GivenValue>>;

/** Longest text a caller may give for one column. */
export const MAX_GIVEN_TEXT = 1000;

function entriesOf(values: GivenValues): [string, unknown][] {
  if (values instanceof Map) return [...values.entries()];
  return Object.keys(values).map((k) => [k, (values as Record<string, unknown>)[k]]);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : typeof v;
}

/**
 * Read `values` against `columns`. `what` names the field in messages (`given`, `do`, `row`).
 * `allowNull`: whether null (a missing value) may be given.
 */
export function readGiven(
  columns: readonly ColumnInfo[],
  values: GivenValues | undefined,
  what: string,
  allowNull = true,
): Map<number, Value> {
  const out = new Map<number, Value>();
  if (values === undefined) return out;
  const byName = new Map(columns.map((c) => [c.name, c] as [string, ColumnInfo]));
  for (const [name, raw] of entriesOf(values)) {
    const col = byName.get(name);
    if (!col) {
      const guess = didYouMean(name, [...byName.keys()]);
      throw new StrataError(
        'sample.unknown_column',
        `${what} names unknown column ${describe(name)}`,
        { path: `${what}.${name.slice(0, 64)}` },
        guess ? `did you mean "${guess}"?` : `columns are: ${[...byName.keys()].join(', ')}`,
      );
    }
    out.set(col.index, readValue(col, raw, what, allowNull));
  }
  return out;
}

function bad(col: ColumnInfo, raw: unknown, what: string, expected: string): StrataError {
  return new StrataError(
    'sample.bad_value',
    `${what}.${col.name} is ${describe(raw)}, not ${expected}`,
    { path: `${what}.${col.name}` },
    `give ${col.name} ${expected}${col.type === 'category' ? ' (one of its values)' : ''}`,
  );
}

/** One caller value as the engine's value for `col`. */
export function readValue(col: ColumnInfo, raw: unknown, what: string, allowNull = true): Value {
  if (raw === null) {
    if (allowNull) return null;
    throw bad(col, raw, what, 'a value (null is a missing value, which cannot be fixed here)');
  }
  if (typeof raw === 'string' && raw.length > MAX_GIVEN_TEXT)
    throw bad(col, `${raw.slice(0, 40)}…`, what, `a text of at most ${MAX_GIVEN_TEXT} characters`);
  switch (col.kind) {
    case 'boolean':
      if (typeof raw !== 'boolean') throw bad(col, raw, what, 'true or false');
      return raw;
    case 'integer':
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) throw bad(col, raw, what, 'a whole number');
      return raw;
    case 'number':
      if (typeof raw !== 'number' || !Number.isFinite(raw)) throw bad(col, raw, what, 'a finite number');
      return raw;
    case 'datetime': {
      if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
      const ms = typeof raw === 'string' ? parseIsoDate(raw) : undefined;
      if (ms === undefined) throw bad(col, raw, what, 'an ISO date ("2024-01-31") or epoch milliseconds');
      return ms;
    }
    default:
      if (typeof raw !== 'string') throw bad(col, raw, what, 'a text');
      return raw;
  }
}
