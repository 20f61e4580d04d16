/** Output formats chosen by file extension. */
import { extname } from 'node:path';
import { StrataError } from '../errors.js';

export type OutputFormat = 'csv' | 'jsonl' | 'parquet';

/** Every output format, for `--format` and messages. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['csv', 'jsonl', 'parquet'];

const OUTPUT: Record<string, OutputFormat> = {
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
};

export type InputFormat = 'csv' | 'jsonl' | 'json' | 'parquet';

const INPUT: Record<string, InputFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.data': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
  '.parquet': 'parquet',
};

/** The format a table maps the path's extension to, or an error naming the extensions it knows. */
function byExtension<F extends string>(path: string, table: Record<string, F>, what: string): F {
  const ext = extname(path).toLowerCase();
  const f = Object.hasOwn(table, ext) ? table[ext] : undefined;
  if (f) return f;
  throw new StrataError(
    'io.unknown_format',
    `cannot tell the ${what} format from the extension "${ext || '(none)'}"`,
    { file: path },
    `use one of: ${Object.keys(table).join(', ')}`,
  );
}

export function formatFromPath(path: string): OutputFormat {
  return byExtension(path, OUTPUT, 'output');
}

export function inputFormatFromPath(path: string): InputFormat {
  return byExtension(path, INPUT, 'input');
}
