/** Parquet → RawTable through DuckDB: every column cast to VARCHAR so the table is text, as from CSV. */
import { DuckDBInstance } from '@duckdb/node-api';
import { StrataError } from '../errors.js';
import { sqlIdent, sqlString } from './duckdb.js';
import { checkLimit, columnIndices, type RawTable, type ReadOptions, tableStem } from './table.js';

export async function readParquet(path: string, opts: ReadOptions = {}): Promise<RawTable> {
  const limit = checkLimit(opts.limit, path);
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  try {
    const conn = await db.connect();
    try {
      const src = `read_parquet(${sqlString(path)})`;
      let names: string[];
      try {
        const desc = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`);
        names = desc.getRowObjectsJS().map((r) => String(r.column_name));
      } catch (e) {
        throw new StrataError(
          'io.parquet',
          `cannot read as Parquet: ${(e as Error).message.split('\n')[0]}`,
          { file: path },
          'check that the file exists and is a Parquet file',
        );
      }
      const columns = opts.columns ? columnIndices(names, opts.columns, path).map((i) => names[i]) : names;
      const select = columns.map((c) => `CAST(${sqlIdent(c)} AS VARCHAR)`).join(', ');
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
            for (let r = 0; r < chunk.rowCount; r++) out.push(vec.getItem(r) as string | null);
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
