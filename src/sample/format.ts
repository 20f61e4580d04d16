/**
 * Turning drawn blocks into output text (CSV / JSON lines) or typed columns (Parquet).
 * Runs inside workers, so formatting is parallel too.
 */

import { type ColumnKind, csvHeaderLine } from '../io/index.js';
import type { Block } from '../model/block.js';
import type { ColumnInfo, TableModel } from '../model/compile.js';
import { formatDate, type Value } from '../model/values.js';
import { PROVENANCE_COLUMNS } from '../spec/output-columns.js';

export type Cell = string | number | boolean | null;

export interface ProvenanceInfo {
  specHash: string;
  seed: number;
  /** The run that wrote the rows (its ledger entry's run id). */
  runId: string;
  /** Index in its drawn block of the block's first row: non-zero for one row cut from a block (check-row). */
  firstRow?: number;
}

export { PROVENANCE_COLUMNS } from '../spec/output-columns.js';

/** Provenance columns that hold integers (the rest are text). */
export const PROVENANCE_INTEGERS: ReadonlySet<string> = new Set(['_rule_retries', '_block', '_row']);

/** Output value of a cell: datetimes formatted, everything else as drawn. */
export function outputValue(col: ColumnInfo, v: Value): Cell {
  if (v === null) return null;
  if (col.kind === 'datetime' && typeof v === 'number') return formatDate(v, col.format ?? 'iso');
  return v;
}

/** Output column names: the table's, then provenance, then `extra` (coverage columns). */
export function outputColumns(
  model: TableModel,
  provenance: boolean,
  extra: readonly string[] = [],
): string[] {
  const cols = model.columns.map((c) => c.name);
  return [...cols, ...(provenance ? PROVENANCE_COLUMNS : []), ...extra];
}

const EXTRA_KINDS = new Map<string, ColumnKind>([
  ['_cell', 'string'],
  ['_weight', 'number'],
  ['_scenario', 'string'],
  ['_extrapolated', 'boolean'],
]);

/**
 * The Parquet schema of the output: the spec's types (integer BIGINT, number DOUBLE, boolean,
 * date DATE, datetime TIMESTAMP, everything else VARCHAR), then provenance and coverage columns.
 */
export function parquetSchema(
  model: TableModel,
  provenance: boolean,
  extra: readonly string[] = [],
): { name: string; kind: ColumnKind }[] {
  return [
    ...model.columns.map((c) => ({ name: c.name, kind: c.type === 'date' ? ('date' as const) : c.kind })),
    ...(provenance
      ? PROVENANCE_COLUMNS.map((name) => ({
          name,
          kind: PROVENANCE_INTEGERS.has(name) ? ('integer' as const) : ('string' as const),
        }))
      : []),
    ...extra.map((name) => ({ name, kind: EXTRA_KINDS.get(name) ?? ('string' as const) })),
  ];
}

/** The CSV header line (io's quoting rule for names). */
export function csvHeader(model: TableModel, provenance: boolean, extra: readonly string[] = []): string {
  return csvHeaderLine(outputColumns(model, provenance, extra));
}

export function provenanceCells(model: TableModel, b: Block, i: number, p: ProvenanceInfo): Cell[] {
  const r = i + (p.firstRow ?? 0);
  return [p.specHash, `${p.seed}/${model.table}/${b.index}/${r}`, b.retries[i], p.runId, b.index, r];
}

export function blockToJsonl(model: TableModel, b: Block, prov?: ProvenanceInfo): string {
  const cols = model.columns;
  const keys = outputColumns(model, Boolean(prov), b.extra?.names).map((k) => JSON.stringify(k));
  const out: string[] = new Array(b.count);
  for (let i = 0; i < b.count; i++) {
    const parts: string[] = [];
    for (let c = 0; c < cols.length; c++) {
      const v = outputValue(cols[c], b.values[c][i]);
      parts.push(
        `${keys[c]}:${v === null || (typeof v === 'number' && !Number.isFinite(v)) ? 'null' : JSON.stringify(v)}`,
      );
    }
    if (prov) {
      provenanceCells(model, b, i, prov).forEach((v, k) => {
        parts.push(`${keys[cols.length + k]}:${JSON.stringify(v)}`);
      });
    }
    if (b.extra) {
      const off = keys.length - b.extra.values.length;
      b.extra.values.forEach((x, k) => {
        parts.push(`${keys[off + k]}:${JSON.stringify(x[i])}`);
      });
    }
    out[i] = `{${parts.join(',')}}`;
  }
  return `${out.join('\n')}\n`;
}

/** Columns for a Parquet sink: datetimes stay epoch ms numbers (the sink writes TIMESTAMP). */
export function blockToColumns(model: TableModel, b: Block, prov?: ProvenanceInfo): Cell[][] {
  const cols: Cell[][] = model.columns.map((c, k) =>
    c.kind === 'boolean' || c.kind === 'datetime' || c.kind === 'integer' || c.kind === 'number'
      ? (b.values[k] as Cell[])
      : b.values[k].map((v) => (v === null ? null : String(v))),
  );
  if (prov) {
    const rows = Array.from({ length: b.count }, (_, i) => provenanceCells(model, b, i, prov));
    for (let k = 0; k < PROVENANCE_COLUMNS.length; k++) cols.push(rows.map((r) => r[k]));
  }
  if (b.extra) cols.push(...b.extra.values);
  return cols;
}
