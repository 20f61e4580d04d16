/**
 * A directory of tables, one file per table (CSV, JSON Lines, JSON or Parquet), named by the file's
 * stem: `DIR/ADMISSIONS.csv` is table `ADMISSIONS`. Other files (README, licences) are ignored.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { StrataError } from '../errors.js';
import { readTable } from './read-table.js';
import { type RawTable, type ReadOptions, tableStem } from './table.js';

const TABLE_EXTENSIONS = new Set(['.csv', '.jsonl', '.ndjson', '.json', '.parquet']);

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Tables of `dir` by name, in name order; `only` keeps those tables (each must exist). */
export async function readTableSet(
  dir: string,
  opts: ReadOptions & { only?: readonly string[] } = {},
): Promise<Map<string, RawTable>> {
  const files = (await readdir(dir)).filter((f) => TABLE_EXTENSIONS.has(extname(f).toLowerCase())).sort();
  const byName = new Map<string, string>();
  for (const f of files) {
    const name = tableStem(f);
    if (byName.has(name))
      throw new StrataError(
        'io.table_set',
        `two files hold table "${name}": ${byName.get(name)} and ${f}`,
        { file: join(dir, f) },
        'keep one file per table',
      );
    byName.set(name, f);
  }
  const names = opts.only ?? [...byName.keys()];
  for (const n of names)
    if (!byName.has(n))
      throw new StrataError(
        'io.table_set',
        `no file for table "${n}" in ${dir}`,
        { file: dir, path: n },
        `tables there: ${[...byName.keys()].join(', ') || '(none)'}`,
      );
  if (names.length === 0)
    throw new StrataError(
      'io.table_set',
      'the directory holds no table file',
      { file: dir },
      'put one .csv, .jsonl, .json or .parquet file per table in it',
    );
  const out = new Map<string, RawTable>();
  for (const n of names) out.set(n, await readTable(join(dir, byName.get(n) as string), opts));
  return out;
}
