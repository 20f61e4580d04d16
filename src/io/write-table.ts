/** writeTable: a small, atomic, by-extension writer for tables that fit in memory. */
import { writeLinesAtomic } from './atomic.js';
import { csvHeaderLine, csvLine, jsonlLine } from './csv-write.js';
import { formatFromPath } from './format.js';
import { openParquet } from './parquet.js';
import type { Cell, ColumnKind } from './parquet-write.js';

/** The narrowest Parquet kind that holds every non-null value of column `c`. */
export function inferKind(rows: readonly (readonly Cell[])[], c: number): ColumnKind {
  let kind: ColumnKind | null = null;
  for (const row of rows) {
    const v = row[c];
    if (v === null || v === undefined) continue;
    const k: ColumnKind =
      typeof v === 'boolean'
        ? 'boolean'
        : typeof v === 'number'
          ? Number.isSafeInteger(v)
            ? 'integer'
            : 'number'
          : 'string';
    if (kind === null || kind === k) kind = k;
    else if ((kind === 'integer' && k === 'number') || (kind === 'number' && k === 'integer'))
      kind = 'number';
    else return 'string';
  }
  return kind ?? 'string';
}

const BATCH = 8192;

export interface WriteTableOptions {
  /** CSV: write the header line (default true). */
  header?: boolean;
  /** Parquet: the stored kind per column (default: the narrowest that holds every value). */
  kinds?: readonly ColumnKind[];
}

/**
 * Write a table by extension (.csv, .jsonl, .parquet), atomically. Numbers that are not finite are
 * written as missing in every format.
 */
export async function writeTable(
  path: string,
  t: { columns: string[]; rows: readonly (readonly Cell[])[] },
  opts: WriteTableOptions = {},
): Promise<void> {
  const format = formatFromPath(path);
  if (format === 'csv') {
    await writeLinesAtomic(
      path,
      (function* () {
        if (opts.header !== false) yield csvHeaderLine(t.columns);
        for (const row of t.rows) yield csvLine(row);
      })(),
    );
    return;
  }
  if (format === 'jsonl') {
    await writeLinesAtomic(
      path,
      (function* () {
        for (const row of t.rows) {
          // null prototype: a column named __proto__ is a key like any other
          const rec: Record<string, Cell> = Object.create(null);
          for (let c = 0; c < t.columns.length; c++) {
            const v = row[c] ?? null;
            rec[t.columns[c]] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
          }
          yield jsonlLine(rec);
        }
      })(),
    );
    return;
  }
  const schema = t.columns.map((name, c) => ({ name, kind: opts.kinds?.[c] ?? inferKind(t.rows, c) }));
  const sink = await openParquet(path, schema);
  try {
    for (let start = 0; start < t.rows.length; start += BATCH) {
      const end = Math.min(t.rows.length, start + BATCH);
      const cols = schema.map((s, c) => {
        const col: Cell[] = new Array(end - start);
        for (let r = start; r < end; r++) {
          const v = t.rows[r][c] ?? null;
          col[r - start] = s.kind === 'string' && v !== null ? String(v) : v;
        }
        return col;
      });
      await sink.append(cols, end - start);
    }
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
}
