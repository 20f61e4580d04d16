/**
 * What `evaluate()` accepts as a table: a RawTable as the readers produce it (text cells), or typed
 * values as library calls produce them — `generateRows()` output passes straight in (`rows` for the
 * row count, `table` for the name). Numbers, booleans and Dates become the text a CSV file would
 * hold, so a table judges the same whether it went through a file or not. Non-finite numbers and
 * invalid Dates are missing (as the CSV writer writes them).
 */
import { StrataError } from '../errors.js';
import type { RawTable, StoredType } from '../io/index.js';

export type CellValue = string | number | boolean | Date | null | undefined;

export interface TableInput {
  columns: readonly string[];
  /** Column-major: data[column][row]. */
  data: readonly (readonly CellValue[])[];
  /** Row count (RawTable); `rows` (generateRows) is read when absent; else the first column's length. */
  rowCount?: number;
  rows?: number;
  /** Table name (RawTable); `table` (generateRows) is read when absent. */
  name?: string;
  table?: string;
  /** Where the table came from, for messages. */
  source?: string;
  /** Types the file stores, one per column (a Parquet RawTable); kept so they decide each column's kind. */
  types?: readonly (StoredType | undefined)[];
}

function cellText(v: CellValue, where: () => string): string | null {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? String(v) : null;
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      throw new StrataError(
        'evaluate.cell_type',
        `${where()} holds a ${typeof v}; cells must be text, numbers, booleans, Dates or null`,
        { path: where() },
        'convert the value before evaluating (e.g. JSON.stringify for objects)',
      );
  }
}

/** Text cells as they are; anything else converted (a column of text is not copied). */
function textColumn(col: readonly CellValue[], n: number, where: (row: number) => string): (string | null)[] {
  let plain = true;
  for (let i = 0; i < n && plain; i++) {
    const v = col[i];
    plain = v === null || typeof v === 'string';
  }
  if (plain) return col as (string | null)[];
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) out[i] = cellText(col[i], () => where(i));
  return out;
}

/** A RawTable from any accepted table shape; `label` ('real', 'synthetic', 'holdout') names it in errors. */
export function toRawTable(t: TableInput, label: string): RawTable {
  const source = t.source ?? label;
  if (!Array.isArray(t.columns) || !Array.isArray(t.data) || t.data.length !== t.columns.length) {
    throw new StrataError(
      'evaluate.table_shape',
      `the ${label} table must have \`columns\` (names) and \`data\` (one array per column) of the same length`,
      { file: source },
      'pass a table as read by io.readTable, or the result of generateRows',
    );
  }
  const rowCount = t.rowCount ?? t.rows ?? t.data[0]?.length ?? 0;
  t.data.forEach((col, c) => {
    if (!Array.isArray(col) || col.length !== rowCount) {
      throw new StrataError(
        'evaluate.table_shape',
        `column "${t.columns[c]}" of the ${label} table has ${Array.isArray(col) ? col.length : 'no'} values for ${rowCount} rows`,
        { file: source, path: t.columns[c] },
        'give every column one value per row (null for missing)',
      );
    }
  });
  return {
    name: t.name ?? t.table ?? label,
    columns: [...t.columns],
    rowCount,
    data: t.data.map((col, c) => textColumn(col, rowCount, (row) => `${t.columns[c]}[${row}]`)),
    source,
    ...(t.types?.length === t.columns.length ? { types: [...t.types] } : {}),
  };
}
