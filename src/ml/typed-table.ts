/**
 * Raw string tables → typed columns, consistently across real / synthetic / holdout tables.
 *
 * Kinds are decided once (from the reference table unless given) and categorical levels are the
 * union over all tables with the reference's levels first, so a category code means the same
 * level in every table that comes out of one `alignTables` call.
 */
import { StrataError } from '../errors.js';

export type TypedColumn =
  | {
      name: string;
      kind: 'numeric';
      values: Float64Array /* NaN = missing */;
      integer: boolean;
      /** Set when every value was an ISO date ('date') or date-time ('datetime'): values are epoch ms. */
      temporal?: 'date' | 'datetime';
    }
  | { name: string; kind: 'categorical'; codes: Int32Array /* -1 = missing */; levels: string[] };

export interface TypedTable {
  rowCount: number;
  columns: TypedColumn[];
}

/** Same shape as `src/io` RawTable: column-major raw strings, null = missing. */
export interface RawLike {
  columns: string[];
  rowCount: number;
  data: (string | null)[][];
  /** Types a typed file (Parquet) stores, per column: text and booleans are categorical, numbers and dates numeric. */
  types?: readonly (string | undefined)[];
}

export type ColumnKinds = Record<string, 'numeric' | 'categorical'>;

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// ISO 8601 date or date-time (with optional seconds, fraction and zone).
const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Shares of values that must parse for a column to count as numeric / datetime. */
const PARSE_SHARE = 0.95;
/** A column of integers needs more distinct values than this to be numeric rather than a code. */
const MAX_INTEGER_LEVELS = 10;

/**
 * The category a raw value stands for: whole numbers written with zero decimals ("1.0", "63.00",
 * a float export) are the same category as "1", "63", so a code column compares by value
 * across files written by different tools.
 */
export function levelKey(s: string): string {
  return /^[+-]?\d+\.0+$/.test(s) ? String(Number(s)) : s;
}

function isMissing(s: string | null | undefined): s is null | undefined {
  return s === null || s === undefined || s.trim() === '';
}

/** A finite number from a decimal string, else NaN. Stricter than Number(): no hex, no '' → 0. */
export function parseNumber(s: string): number {
  const t = s.trim();
  if (!NUMBER_RE.test(t)) return Number.NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : Number.NaN;
}

/** Epoch milliseconds for an ISO date / date-time string (UTC when no zone is given), else NaN. */
export function parseIsoDate(s: string): number {
  const t = s.trim();
  if (!ISO_DATE_RE.test(t)) return Number.NaN;
  // Date-only and zone-less strings are read as UTC so results do not depend on the machine's zone.
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(t) && t.length > 10;
  const v = Date.parse(hasZone ? t.replace(' ', 'T') : `${t.replace(' ', 'T')}${t.length > 10 ? 'Z' : ''}`);
  return Number.isFinite(v) ? v : Number.NaN;
}

function inferColumnKind(values: readonly (string | null)[]): 'numeric' | 'categorical' {
  let present = 0;
  let numbers = 0;
  let dates = 0;
  let nonInteger = false;
  const distinct = new Set<number>();
  for (const s of values) {
    if (isMissing(s)) continue;
    present++;
    const v = parseNumber(s);
    if (!Number.isNaN(v)) {
      numbers++;
      if (!Number.isInteger(v)) nonInteger = true;
      if (distinct.size <= MAX_INTEGER_LEVELS) distinct.add(v);
    } else if (!Number.isNaN(parseIsoDate(s))) {
      dates++;
    }
  }
  if (present === 0) return 'categorical';
  if (dates >= PARSE_SHARE * present) return 'numeric';
  if (numbers >= PARSE_SHARE * present && (nonInteger || distinct.size > MAX_INTEGER_LEVELS))
    return 'numeric';
  return 'categorical';
}

/**
 * Numeric when ≥ 95% of non-missing values parse as finite numbers and there are > 10 distinct
 * values (or any non-integer); ISO date / date-time columns are numeric (epoch ms); else categorical.
 * A stored type (Parquet) decides first: text and booleans are categorical (a string column of
 * digits is a code), numbers and dates numeric.
 */
export function inferKinds(t: RawLike): ColumnKinds {
  const kinds: ColumnKinds = {};
  t.columns.forEach((name, j) => {
    kinds[name] = STORED_KIND.get(t.types?.[j] ?? '') ?? inferColumnKind(t.data[j] ?? []);
  });
  return kinds;
}

/** Kinds a stored type decides (integers still go by their values: a code or a count). */
const STORED_KIND = new Map<string, 'numeric' | 'categorical'>([
  ['string', 'categorical'],
  ['boolean', 'categorical'],
  ['number', 'numeric'],
  ['date', 'numeric'],
  ['datetime', 'numeric'],
]);

function numericColumn(name: string, raw: readonly (string | null)[], rowCount: number): TypedColumn {
  const values = new Float64Array(rowCount);
  let integer = true;
  let numbers = 0;
  let dates = 0;
  let dateTimes = 0;
  for (let i = 0; i < rowCount; i++) {
    const s = raw[i];
    if (isMissing(s)) {
      values[i] = Number.NaN;
      continue;
    }
    let v = parseNumber(s);
    if (Number.isNaN(v)) {
      v = parseIsoDate(s);
      if (!Number.isNaN(v)) {
        if (s.trim().length > 10) dateTimes++;
        else dates++;
      }
    } else numbers++;
    values[i] = v;
    if (integer && !Number.isNaN(v) && !Number.isInteger(v)) integer = false;
  }
  const col: TypedColumn = { name, kind: 'numeric', values, integer };
  if (numbers === 0 && dates + dateTimes > 0) col.temporal = dateTimes > 0 ? 'datetime' : 'date';
  return col;
}

function categoricalColumn(
  name: string,
  raw: readonly (string | null)[],
  rowCount: number,
  levelIndex: Map<string, number>,
  levels: string[],
): TypedColumn {
  const codes = new Int32Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    const s = raw[i];
    codes[i] = isMissing(s) ? -1 : (levelIndex.get(levelKey(s)) ?? -1);
  }
  return { name, kind: 'categorical', codes, levels };
}

/** Sorted distinct non-missing values of one raw column. */
function distinctSorted(raw: readonly (string | null)[], rowCount: number): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < rowCount; i++) {
    const s = raw[i];
    if (!isMissing(s)) seen.add(levelKey(s));
  }
  return [...seen].sort();
}

function checkShape(t: RawLike, label: string): void {
  if (t.data.length !== t.columns.length) {
    throw new StrataError(
      'ml.table_shape',
      `table has ${t.columns.length} column names but ${t.data.length} data columns`,
      { path: label },
      'pass a column-major RawTable as read by src/io',
    );
  }
}

/**
 * Type the reference and other tables consistently: same columns (taken from the reference;
 * extra columns in the others are ignored), same kinds, categorical levels = union with the
 * reference's levels first so codes agree across tables.
 */
export function alignTables(
  reference: RawLike,
  others: readonly RawLike[],
  kinds?: ColumnKinds,
): { reference: TypedTable; others: TypedTable[]; kinds: ColumnKinds } {
  checkShape(reference, 'reference');
  others.forEach((o, i) => {
    checkShape(o, `others[${i}]`);
  });
  if (kinds) {
    const unknown = Object.keys(kinds).filter((k) => !reference.columns.includes(k));
    if (unknown.length > 0) {
      throw new StrataError(
        'ml.unknown_column',
        `kinds name column(s) not in the reference table: ${unknown.join(', ')}`,
        { path: 'kinds' },
        `use one of: ${reference.columns.join(', ')}`,
      );
    }
  }
  const inferred = inferKinds(reference);
  const finalKinds: ColumnKinds = {};
  for (const c of reference.columns) finalKinds[c] = kinds?.[c] ?? inferred[c];

  const otherIndex = others.map((o, i) => {
    const pos = new Map<string, number>();
    o.columns.forEach((c, j) => {
      pos.set(c, j);
    });
    const missing = reference.columns.filter((c) => !pos.has(c));
    if (missing.length > 0) {
      throw new StrataError(
        'ml.column_missing',
        `table others[${i}] lacks column(s) ${missing.join(', ')} present in the reference table`,
        { path: `others[${i}]` },
        'give every compared table the same columns (or drop them from the reference)',
      );
    }
    return pos;
  });

  const refCols: TypedColumn[] = [];
  const otherCols: TypedColumn[][] = others.map(() => []);
  reference.columns.forEach((name, j) => {
    const refRaw = reference.data[j];
    if (finalKinds[name] === 'numeric') {
      refCols.push(numericColumn(name, refRaw, reference.rowCount));
      others.forEach((o, i) => {
        otherCols[i].push(numericColumn(name, o.data[otherIndex[i].get(name)!], o.rowCount));
      });
      return;
    }
    const levels = distinctSorted(refRaw, reference.rowCount);
    const levelIndex = new Map<string, number>();
    levels.forEach((l, k) => {
      levelIndex.set(l, k);
    });
    others.forEach((o, i) => {
      for (const l of distinctSorted(o.data[otherIndex[i].get(name)!], o.rowCount)) {
        if (!levelIndex.has(l)) {
          levelIndex.set(l, levels.length);
          levels.push(l);
        }
      }
    });
    refCols.push(categoricalColumn(name, refRaw, reference.rowCount, levelIndex, levels));
    others.forEach((o, i) => {
      otherCols[i].push(
        categoricalColumn(name, o.data[otherIndex[i].get(name)!], o.rowCount, levelIndex, levels),
      );
    });
  });
  return {
    reference: { rowCount: reference.rowCount, columns: refCols },
    others: others.map((o, i) => ({ rowCount: o.rowCount, columns: otherCols[i] })),
    kinds: finalKinds,
  };
}
