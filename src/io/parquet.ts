/**
 * Parquet (and DuckDB database files) through DuckDB, loaded on first use: DuckDB's native module takes ~0.5 s to import, and
 * most runs (CSV, JSON lines, `--help`) never touch Parquet. Import `openParquet` and
 * `readParquet` from here, not from the modules that import DuckDB.
 */

import type { ColumnKind, ParquetScratch, ParquetSink } from './parquet-write.js';
import type { RawTable, ReadOptions } from './table.js';

/** Open a streaming Parquet writer (see parquet-write.ts; `scratch` defaults to beside `path`). */
export async function openParquet(
  path: string,
  schema: readonly { name: string; kind: ColumnKind }[],
  scratch?: ParquetScratch,
): Promise<ParquetSink> {
  const { openParquet: open } = await import('./parquet-write.js');
  return open(path, schema, scratch);
}

/** Read a Parquet file as a text table, like a CSV (see parquet-read.ts). */
export async function readParquet(path: string, opts: ReadOptions = {}): Promise<RawTable> {
  const { readParquet: read } = await import('./parquet-read.js');
  return read(path, opts);
}

/** Read every table of a DuckDB database file as text tables (see duckdb-read.ts). */
export async function readDuckdbTables(path: string): Promise<RawTable[]> {
  const { readDuckdbTables: read } = await import('./duckdb-read.js');
  return read(path);
}
