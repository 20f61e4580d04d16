/** Parquet → RawTable through DuckDB: every column cast to VARCHAR so the table is text, as from CSV. */
import { DuckDBInstance } from '@duckdb/node-api';
import { StrataError } from '../errors.js';
import { sqlIdent, sqlString } from './duckdb.js';
import { checkLimit, columnIndices, type RawTable, type ReadOptions, tableStem } from './table.js';

const NATIVE = /^(DOUBLE|FLOAT|REAL|BOOLEAN|U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT))$/;

export async function readParquet(path: string, opts: ReadOptions = {}): Promise<RawTable> {
  const limit = checkLimit(opts.limit, path);
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  try {
    const conn = await db.connect();
    try {
      const src = `read_parquet(${sqlString(path)})`;
      let names: string[];
      let types: string[];
      try {
        const desc = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJS();
        names = desc.map((r) => String(r.column_name));
        types = desc.map((r) => String(r.column_type));
      } catch (e) {
        throw new StrataError(
          'io.parquet',
          `cannot read as Parquet: ${(e as Error).message.split('\n')[0]}`,
          { file: path },
          'check that the file exists and is a Parquet file',
        );
      }
      const picked = opts.columns ? columnIndices(names, opts.columns, path) : names.map((_, i) => i);
      const columns = picked.map((i) => names[i]);
      // Numbers and booleans come back as JS values and are printed by String(), so a double 2 reads
      // as '2' (as from CSV), not DuckDB's '2.0'; everything else (timestamps, decimals…) as DuckDB text.
      const select = picked
        .map((i) => (NATIVE.test(types[i]) ? sqlIdent(names[i]) : `CAST(${sqlIdent(names[i])} AS VARCHAR)`))
        .join(', ');
      const lim = Number.isFinite(limit) ? ` LIMIT ${limit}` : '';
      const data: (string | null)[][] = columns.map(() => []);
      if (columns.length > 0) {
        const result = await conn.stream(`SELECT ${select} FROM ${src}${lim}`);
        for (;;) {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          for (let c = 0; c < columns.length; c++) {
            const vec = chunk.getColumnVector(c);
            const out = data[c];
            for (let r = 0; r < chunk.rowCount; r++) {
              const v = vec.getItem(r);
              out.push(v === null ? null : typeof v === 'string' ? v : String(v));
            }
          }
        }
      }
      return { name: tableStem(path), columns, rowCount: data[0]?.length ?? 0, data, source: path };
    } finally {
      conn.closeSync();
    }
  } finally {
    db.closeSync();
  }
}
