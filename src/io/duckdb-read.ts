/** A DuckDB database file → its tables as RawTables (every column as text, as from CSV). */
import { DuckDBInstance } from '@duckdb/node-api';
import { StrataError } from '../errors.js';
import { sqlIdent, sqlString } from './duckdb.js';
import type { RawTable } from './table.js';

const NATIVE = /^(DOUBLE|FLOAT|REAL|BOOLEAN|U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT))$/;

/** Every base table of the database's main schema, in name order. */
export async function readDuckdbTables(path: string): Promise<RawTable[]> {
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  try {
    const conn = await db.connect();
    try {
      try {
        await conn.run(`ATTACH ${sqlString(path)} AS src (READ_ONLY)`);
      } catch (e) {
        throw new StrataError(
          'io.duckdb',
          `cannot open as a DuckDB database: ${(e as Error).message.split('\n')[0]}`,
          { file: path },
          'check that the file exists and is a DuckDB database',
        );
      }
      const names = (
        await conn.runAndReadAll(
          "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'src' AND table_type = 'BASE TABLE' ORDER BY table_name",
        )
      )
        .getRowObjectsJS()
        .map((r) => String(r.table_name));
      const out: RawTable[] = [];
      for (const name of names) {
        const src = `src.${sqlIdent(name)}`;
        const desc = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJS();
        const columns = desc.map((r) => String(r.column_name));
        const types = desc.map((r) => String(r.column_type));
        // Numbers and booleans print as from CSV ('2', not '2.0'); the rest as DuckDB text.
        const select = columns
          .map((c, i) => (NATIVE.test(types[i]) ? sqlIdent(c) : `CAST(${sqlIdent(c)} AS VARCHAR)`))
          .join(', ');
        const data: (string | null)[][] = columns.map(() => []);
        if (columns.length > 0) {
          const result = await conn.stream(`SELECT ${select} FROM ${src}`);
          for (;;) {
            const chunk = await result.fetchChunk();
            if (!chunk || chunk.rowCount === 0) break;
            for (let c = 0; c < columns.length; c++) {
              const vec = chunk.getColumnVector(c);
              for (let r = 0; r < chunk.rowCount; r++) {
                const v = vec.getItem(r);
                data[c].push(v === null ? null : typeof v === 'string' ? v : String(v));
              }
            }
          }
        }
        out.push({ name, columns, rowCount: data[0]?.length ?? 0, data, source: path });
      }
      if (out.length === 0)
        throw new StrataError('io.duckdb', 'the database holds no tables', { file: path }, 'check the file');
      return out;
    } finally {
      conn.closeSync();
    }
  } finally {
    db.closeSync();
  }
}
