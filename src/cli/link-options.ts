/**
 * The one parser of the options that state table links, for `fit` and `evaluate` alike:
 * `--key T=col`, `--order T=col` and `--ref child.col=parent.col`. Each option fails with its own
 * code (fit.bad_key, fit.bad_order, fit.bad_ref: the codes `fit` reports when a link names no
 * table or column, so one option has one code whatever is wrong with it), the form in words and
 * an example. What the names mean (tables, columns, keys) is checked where the tables are read.
 */
import type { ErrorCode } from '../error-codes.js';
import { StrataError } from '../errors.js';

export type LinkFlag = '--key' | '--order';

const FORM: Record<LinkFlag, { code: ErrorCode; example: string }> = {
  '--key': { code: 'fit.bad_key', example: 'patients=subject_id' },
  '--order': { code: 'fit.bad_order', example: 'admissions=admittime' },
};

/** `T=col` → { table, column } (split at the first `=`; both sides non-empty, trimmed). */
export function parseTableColumn(flag: LinkFlag, raw: string): { table: string; column: string } {
  const m = /^([^=]+)=(.+)$/.exec(raw.trim());
  const table = m?.[1].trim();
  const column = m?.[2].trim();
  if (!table || !column)
    throw new StrataError(
      FORM[flag].code,
      `${flag} "${raw}" is not TABLE=COLUMN`,
      {},
      `e.g. ${flag} ${FORM[flag].example}`,
    );
  return { table, column };
}

/** `child.col=parent.col` → the foreign key and the key it names (each table ends at its first dot). */
export function parseRef(raw: string): {
  child: string;
  column: string;
  parent: string;
  parentColumn: string;
} {
  const m = /^([^.=]+)\.([^=]+)=([^.=]+)\.(.+)$/.exec(raw.trim());
  const [child, column, parent, parentColumn] = (m?.slice(1) ?? []).map((s) => s.trim());
  if (!child || !column || !parent || !parentColumn)
    throw new StrataError(
      'fit.bad_ref',
      `--ref "${raw}" is not CHILD.COLUMN=PARENT.COLUMN`,
      {},
      'e.g. --ref admissions.subject_id=patients.subject_id (the foreign key, then the key it names)',
    );
  return { child, column, parent, parentColumn };
}

/** Commander collector: repeated options gather into a list. */
export function collect<T>(parse: (raw: string) => T): (raw: string, prev: T[] | undefined) => T[] {
  return (raw, prev) => [...(prev ?? []), parse(raw)];
}
