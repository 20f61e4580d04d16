/**
 * Several tables into one DuckDB database file, with primary and foreign keys declared: each
 * table is loaded from a CSV file (as text, then cast to its type), parents before children, so
 * DuckDB checks every key and foreign key as it loads. Atomic: the database is built beside the
 * target and renamed onto it.
 */
import { rename, rm } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { StrataError } from '../errors.js';
import { checkWritableTarget } from './atomic.js';
import { sqlIdent, sqlString } from './duckdb.js';
import { registerTemp, tempPathBeside, unregisterTemp } from './temp-registry.js';

export type DuckColumnKind = 'integer' | 'number' | 'string' | 'boolean' | 'datetime';

export interface DuckTable {
  name: string;
  columns: { name: string; kind: DuckColumnKind }[];
  /** CSV file with a header row, in `columns` order. */
  csv: string;
  key?: string;
  foreignKey?: { column: string; table: string; key: string };
}

const SQL_TYPE: Record<DuckColumnKind, string> = {
  integer: 'BIGINT',
  number: 'DOUBLE',
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
  datetime: 'TIMESTAMP',
};

/** Write `tables` (parents first) to the DuckDB file `path`. */
export async function writeDuckDbTables(path: string, tables: readonly DuckTable[]): Promise<void> {
  checkWritableTarget(path);
  const temp = `${tempPathBeside(path)}.duckdb`;
  const scratch = [temp, `${temp}.wal`];
  for (const p of scratch) registerTemp(p);
  let db: DuckDBInstance | undefined;
  try {
    db = await DuckDBInstance.create(temp, { memory_limit: '128MB', threads: '1' });
    const conn = await db.connect();
    for (const t of tables) {
      const defs = t.columns.map((c) => `${sqlIdent(c.name)} ${SQL_TYPE[c.kind]}`);
      if (t.key !== undefined) defs.push(`PRIMARY KEY (${sqlIdent(t.key)})`);
      if (t.foreignKey) {
        const f = t.foreignKey;
        defs.push(`FOREIGN KEY (${sqlIdent(f.column)}) REFERENCES ${sqlIdent(f.table)} (${sqlIdent(f.key)})`);
      }
      await conn.run(`CREATE TABLE ${sqlIdent(t.name)} (${defs.join(', ')})`);
      const select = t.columns
        .map(
          (c) => `CAST(${sqlIdent(c.name)} AS ${c.kind === 'datetime' ? 'TIMESTAMPTZ' : SQL_TYPE[c.kind]})`,
        )
        .join(', ');
      await conn.run(
        `INSERT INTO ${sqlIdent(t.name)} SELECT ${select} FROM read_csv(${sqlString(t.csv)}, header = true, all_varchar = true)`,
      );
    }
    conn.closeSync();
    db.closeSync();
    db = undefined;
    await rename(temp, path);
  } catch (e) {
    db?.closeSync();
    throw new StrataError(
      'io.write',
      `could not write the DuckDB file: ${(e as Error).message.split('\n')[0]}`,
      { file: path },
      'check free disk space and permissions of the output directory',
    );
  } finally {
    for (const p of scratch) {
      await rm(p, { force: true });
      unregisterTemp(p);
    }
  }
}
