/** Output formats chosen by file extension. */
import { extname } from 'node:path';
import { StrataError } from '../errors.js';

export type OutputFormat = 'csv' | 'jsonl' | 'parquet';

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

export function formatFromPath(path: string): OutputFormat {
  const ext = extname(path).toLowerCase();
  const f = OUTPUT[ext];
  if (f) return f;
  throw new StrataError(
    'io.unknown_format',
    `cannot tell the output format from the extension "${ext || '(none)'}"`,
    { file: path },
    `use one of: ${Object.keys(OUTPUT).join(', ')}`,
  );
}

export function inputFormatFromPath(path: string): InputFormat {
  const ext = extname(path).toLowerCase();
  const f = INPUT[ext];
  if (f) return f;
  throw new StrataError(
    'io.unknown_format',
    `cannot tell the input format from the extension "${ext || '(none)'}"`,
    { file: path },
    `use one of: ${Object.keys(INPUT).join(', ')}`,
  );
}
