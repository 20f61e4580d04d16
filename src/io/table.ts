/** The in-memory shape every reader produces, and small helpers over it. */
import { basename, extname } from 'node:path';
import { StrataError } from '../errors.js';
import type { StoredType } from './cell-text.js';
import type { NaOptions, NaTokenUse } from './na-values.js';
import { didYouMean } from './suggest.js';

/** A table read from disk: column-major raw strings; null = missing. */
export interface RawTable {
  name: string;
  columns: string[];
  rowCount: number;
  /** data[col][row] */
  data: (string | null)[][];
  /** the path it was read from */
  source: string;
  /** Types the file stores, one per column (Parquet); absent for text formats (CSV, JSON). */
  types?: (StoredType | undefined)[];
  /** How tokens such as NA / None were read, per column where one occurred (na-values.ts). */
  naTokens?: NaTokenUse[];
}

/** Missing values follow na-values.ts: `naValues` / `columnNaValues` name tokens that are always missing. */
export interface ReadOptions extends NaOptions {
  /** Default: sniffed from the header line (',', ';', '\t', '|'). */
  delimiter?: string;
  /** Keep only these columns, in this order. */
  columns?: readonly string[];
  /** Read at most this many rows. */
  limit?: number;
}

/** 'data/adult_train.csv' -> 'adult_train' */
export function tableStem(path: string): string {
  const base = basename(path);
  const ext = extname(base);
  return ext && ext !== base ? base.slice(0, -ext.length) : base;
}

/** Row-major records, for code that wants one object per row. */
export function toRecords(t: RawTable): Record<string, string | null>[] {
  const out: Record<string, string | null>[] = new Array(t.rowCount);
  for (let r = 0; r < t.rowCount; r++) {
    const rec: Record<string, string | null> = {};
    for (let c = 0; c < t.columns.length; c++) rec[t.columns[c]] = t.data[c][r];
    out[r] = rec;
  }
  return out;
}

/**
 * Indices of `wanted` within `available`; an unknown name is an error that lists what exists and
 * suggests the closest name.
 */
export function columnIndices(
  available: readonly string[],
  wanted: readonly string[],
  source: string,
): number[] {
  return wanted.map((name) => {
    const i = available.indexOf(name);
    if (i >= 0) return i;
    const guess = didYouMean(name, available);
    throw new StrataError(
      'io.unknown_column',
      `no column "${name}"${guess ? ` — did you mean "${guess}"?` : ''}`,
      { file: source },
      `columns in this file: ${available.join(', ')}`,
    );
  });
}

/** Keep only the named columns of a table (in the order asked). */
export function selectColumns(t: RawTable, wanted: readonly string[] | undefined): RawTable {
  if (!wanted) return t;
  const idx = columnIndices(t.columns, wanted, t.source);
  const keep = new Set(idx.map((i) => t.columns[i]));
  return {
    ...t,
    columns: idx.map((i) => t.columns[i]),
    data: idx.map((i) => t.data[i]),
    ...(t.types ? { types: idx.map((i) => t.types?.[i]) } : {}),
    ...(t.naTokens ? { naTokens: t.naTokens.filter((u) => keep.has(u.column)) } : {}),
  };
}

/** Validate a `limit` option: a non-negative integer or undefined. */
export function checkLimit(limit: number | undefined, source: string): number {
  if (limit === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new StrataError('io.bad_option', `limit must be a non-negative integer, got ${limit}`, {
      file: source,
    });
  }
  return limit;
}
