/** readTable: pick the reader by extension; turn file-system failures into errors that name the path. */
import { readFile } from 'node:fs/promises';
import { StrataError } from '../errors.js';
import { parseCsvText } from './csv-read.js';
import { inputFormatFromPath } from './format.js';
import { parseJsonArrayText, parseJsonLinesText } from './json-read.js';
import { readParquet } from './parquet.js';
import type { RawTable, ReadOptions } from './table.js';

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT'
        ? 'no such file'
        : err.code === 'EISDIR'
          ? 'this is a directory'
          : err.code === 'EACCES'
            ? 'permission denied'
            : err.message;
    throw new StrataError(
      'io.read',
      `cannot read the file: ${why}`,
      { file: path },
      'check the path (relative paths start at the current directory)',
    );
  }
}

/**
 * Read a table by extension: .csv/.tsv/.txt/.data → CSV (delimiter sniffed), .jsonl/.ndjson → JSON lines,
 * .json → array of objects, .parquet → DuckDB. Whole-file reads: tables must fit in memory as text.
 */
export async function readTable(path: string, opts: ReadOptions = {}): Promise<RawTable> {
  const format = inputFormatFromPath(path);
  switch (format) {
    case 'csv':
      return parseCsvText(await readText(path), path, opts);
    case 'jsonl':
      return parseJsonLinesText(await readText(path), path, opts);
    case 'json':
      return parseJsonArrayText(await readText(path), path, opts);
    case 'parquet':
      return readParquet(path, opts);
  }
}
