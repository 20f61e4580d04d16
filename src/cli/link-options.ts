/** Parsers for the options that state table links: `--key T=col`, `--ref child.col=parent.col`, `--order T=col`. */
import { StrataError } from '../errors.js';

function fail(flag: string, raw: string, example: string): never {
  throw new StrataError(
    'cli.bad_link',
    `${flag} "${raw}" is not of the form ${example}`,
    { path: flag },
    `e.g. ${flag} ${example}`,
  );
}

/** `T=col` → { table, column } (the first `=` splits; table and column must be non-empty). */
export function parseTableColumn(flag: string, raw: string): { table: string; column: string } {
  const at = raw.indexOf('=');
  const table = raw.slice(0, at);
  const column = raw.slice(at + 1);
  if (at <= 0 || !column) fail(flag, raw, 'ADMISSIONS=admittime');
  return { table, column };
}

function dotted(flag: string, raw: string, side: string): { table: string; column: string } {
  const at = side.indexOf('.');
  if (at <= 0 || at === side.length - 1) fail(flag, raw, 'ADMISSIONS.subject_id=PATIENTS.subject_id');
  return { table: side.slice(0, at), column: side.slice(at + 1) };
}

/** `child.col=parent.col` → the foreign key and the key it names. */
export function parseRef(raw: string): {
  child: string;
  column: string;
  parent: string;
  parentColumn: string;
} {
  const at = raw.indexOf('=');
  if (at <= 0) fail('--ref', raw, 'ADMISSIONS.subject_id=PATIENTS.subject_id');
  const c = dotted('--ref', raw, raw.slice(0, at));
  const p = dotted('--ref', raw, raw.slice(at + 1));
  return { child: c.table, column: c.column, parent: p.table, parentColumn: p.column };
}

/** Commander collector: repeated options gather into a list. */
export function collect<T>(parse: (raw: string) => T): (raw: string, prev: T[] | undefined) => T[] {
  return (raw, prev) => [...(prev ?? []), parse(raw)];
}
