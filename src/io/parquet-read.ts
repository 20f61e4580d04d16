/**
 * Parquet → RawTable through DuckDB. Cells are text, as from CSV, and the types the file stores come
 * along (`RawTable.types`), so a string column of digits stays a string and a DOUBLE of whole numbers
 * stays a number: nothing is re-guessed. Text per stored type: numbers and booleans as JS prints them
 * (a double 2 reads as '2', not DuckDB's '2.0'); DATE as YYYY-MM-DD; TIMESTAMP as ISO 8601 UTC to the
 * millisecond, as generation writes it (finer digits are dropped); anything else as DuckDB's text. A damaged file is a
 * StrataError naming it, whether DuckDB notices at the footer or in the middle of the data.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { StrataError } from '../errors.js';
import type { StoredType } from './cell-text.js';
import { sqlIdent, sqlString } from './duckdb.js';
import { NaTokens } from './na-values.js';
import { checkLimit, columnIndices, type RawTable, type ReadOptions, tableStem } from './table.js';

/** DuckDB column type → the stored type we report, and how the cell is selected. */
function storedType(duckType: string): {
  type: StoredType | undefined;
  select: 'native' | 'ms' | 'day' | 'text';
} {
  if (duckType === 'BOOLEAN') return { type: 'boolean', select: 'native' };
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(duckType))
    return { type: 'integer', select: 'native' };
  if (/^(DOUBLE|FLOAT|REAL)$/.test(duckType)) return { type: 'number', select: 'native' };
  if (duckType.startsWith('DECIMAL')) return { type: 'number', select: 'text' };
  // via epoch ms: DuckDB writes year 0 as "0001-01-01 (BC)"
  if (duckType === 'DATE') return { type: 'date', select: 'day' };
  if (duckType.startsWith('TIMESTAMP')) return { type: 'datetime', select: 'ms' };
  if (duckType === 'VARCHAR') return { type: 'string', select: 'text' };
  return { type: undefined, select: 'text' };
}

/** ISO 8601 UTC of epoch ms, without `.000` (the text generation writes). */
function isoText(ms: number): string {
  const s = new Date(ms).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}

/** YYYY-MM-DD of epoch ms. */
function dayText(ms: number): string {
  const s = new Date(ms).toISOString();
  return s.slice(0, s.indexOf('T'));
}

/** A missing or unreadable file is said as such (DuckDB would say "no files found that match"). */
async function checkReadable(path: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StrataError(
      'io.read',
      `cannot read the file: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code)}`,
      { file: path },
      'check the path (relative paths start at the current directory)',
    );
  }
}

function damaged(path: string, e: unknown): StrataError {
  return new StrataError(
    'io.parquet',
    `cannot read as Parquet: ${(e as Error).message.split('\n')[0]}`,
    { file: path },
    'check that the file is a complete Parquet file (a damaged or truncated file must be written again)',
  );
}

export async function readParquet(path: string, opts: ReadOptions = {}): Promise<RawTable> {
  const limit = checkLimit(opts.limit, path);
  await checkReadable(path);
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  try {
    const conn = await db.connect();
    try {
      const src = `read_parquet(${sqlString(path)})`;
      let names: string[];
      let duckTypes: string[];
      try {
        // names with a character in front too (see the text select below: a leading U+FEFF is lost)
        const desc = (
          await conn.runAndReadAll(
            `SELECT '.' || column_name AS column_name, column_type FROM (DESCRIBE SELECT * FROM ${src})`,
          )
        ).getRowObjectsJS();
        names = desc.map((r) => String(r.column_name).slice(1));
        duckTypes = desc.map((r) => String(r.column_type));
      } catch (e) {
        throw damaged(path, e);
      }
      const picked = opts.columns ? columnIndices(names, opts.columns, path) : names.map((_, i) => i);
      const columns = picked.map((i) => names[i]);
      const stored = picked.map((i) => storedType(duckTypes[i]));
      const select = picked
        .map((i, k) => {
          const id = sqlIdent(names[i]);
          const how = stored[k].select;
          if (how === 'native') return id;
          if (how === 'ms') return `epoch_ms(${id})`;
          if (how === 'day') return `epoch_ms(CAST(${id} AS TIMESTAMP))`;
          // One character before the text, cut off below: @duckdb/node-api decodes VARCHAR with a
          // default TextDecoder, which drops a leading U+FEFF (a value "\ufeffx" came back as "x").
          return `'.' || CAST(${id} AS VARCHAR)`;
        })
        .join(', ');
      const lim = Number.isFinite(limit) ? ` LIMIT ${limit}` : '';
      const data: (string | null)[][] = columns.map(() => []);
      const na = new NaTokens(opts);
      const listed = columns.map((name) => na.listedFor(name));
      if (columns.length > 0) {
        try {
          const result = await conn.stream(`SELECT ${select} FROM ${src}${lim}`);
          for (;;) {
            const chunk = await result.fetchChunk();
            if (!chunk || chunk.rowCount === 0) break;
            for (let c = 0; c < columns.length; c++) {
              const vec = chunk.getColumnVector(c);
              const out = data[c];
              const how = stored[c].select;
              const format = how === 'ms' ? isoText : how === 'day' ? dayText : undefined;
              const list = listed[c];
              for (let r = 0; r < chunk.rowCount; r++) {
                const v = vec.getItem(r);
                let text =
                  v === null
                    ? null
                    : typeof v === 'string'
                      ? v.slice(1)
                      : format
                        ? format(Number(v))
                        : String(v);
                if (text !== null && list.size > 0 && list.has(text)) {
                  na.listed(c, text);
                  text = null;
                }
                out.push(text);
              }
            }
          }
        } catch (e) {
          throw damaged(path, e);
        }
      }
      const naTokens = na.resolve(columns, data, () => false);
      return {
        name: tableStem(path),
        columns,
        rowCount: data[0]?.length ?? 0,
        data,
        source: path,
        types: stored.map((s) => s.type),
        ...(naTokens.length > 0 ? { naTokens } : {}),
      };
    } finally {
      conn.closeSync();
    }
  } finally {
    db.closeSync();
  }
}
