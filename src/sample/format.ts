/**
 * Turning drawn blocks into output text (CSV / JSON lines) or typed columns (Parquet).
 * Runs inside workers, so formatting is parallel too.
 */
import type { ColumnInfo, TableModel } from '../model/compile.js';
import { formatDate, type Value } from '../model/values.js';
import type { Block } from './block.js';

export type Cell = string | number | boolean | null;

export interface ProvenanceInfo {
  specHash: string;
  seed: number;
}

export const PROVENANCE_COLUMNS = ['_spec_hash', '_stream', '_rule_retries'] as const;

/** Output value of a cell: datetimes formatted, everything else as drawn. */
export function outputValue(col: ColumnInfo, v: Value): Cell {
  if (v === null) return null;
  if (col.kind === 'datetime' && typeof v === 'number') return formatDate(v, col.format ?? 'iso');
  return v;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 field: quoted only when needed. Hand-written: 4x faster than csv-stringify (STACK.md). */
export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'string') {
    if (NEEDS_QUOTES.test(v) || v.startsWith(' ') || v.endsWith(' ')) return `"${v.replace(/"/g, '""')}"`;
    return v;
  }
  return String(v);
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

export function csvHeader(model: TableModel, provenance: boolean, extra: readonly string[] = []): string {
  return `${outputColumns(model, provenance, extra).map(csvCell).join(',')}\n`;
}

function provenanceCells(model: TableModel, b: Block, i: number, p: ProvenanceInfo): Cell[] {
  return [p.specHash, `${p.seed}/${model.table}/${b.index}/${i}`, b.retries[i]];
}

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * Text of a number already rounded to `d` decimals, by integer arithmetic: the same digits as
 * String(x) (shortest round-trip, trailing zeros dropped) but without the double-to-string
 * algorithm, which was the largest single cost of writing CSV.
 */
export function decimalText(x: number, d: number): string {
  const f = POW10[d];
  const n = Math.round(x * f);
  if (d === 0 || !(Math.abs(n) < 9e15) || n / f !== x) return String(x);
  const neg = n < 0;
  let digits = String(neg ? -n : n);
  if (digits.length <= d) digits = '0'.repeat(d - digits.length + 1) + digits;
  let end = digits.length;
  const point = end - d;
  while (end > point && digits.charCodeAt(end - 1) === 48) end--;
  const text =
    end === point ? digits.slice(0, point) : `${digits.slice(0, point)}.${digits.slice(point, end)}`;
  return neg && text !== '0' ? `-${text}` : text;
}

/** One formatter per column, chosen once: numbers print directly, strings are quoted only when needed. */
function csvFormatter(col: ColumnInfo): (v: Value) => string {
  switch (col.kind) {
    case 'number': {
      const d = col.decimals ?? 15;
      if (d > 0 && d < 10) {
        return (v) => (v === null ? '' : typeof v === 'number' ? decimalText(v, d) : csvCell(v));
      }
      return (v) => (v === null ? '' : typeof v === 'string' ? csvCell(v) : String(v));
    }
    case 'integer':
    case 'boolean':
      return (v) => (v === null ? '' : typeof v === 'string' ? csvCell(v) : String(v));
    case 'datetime': {
      // ISO and date text never needs quoting; patterns might.
      const plain = col.format === undefined || col.format === 'iso' || col.format === 'date';
      return plain
        ? (v) => (v === null ? '' : typeof v === 'number' ? String(outputValue(col, v)) : csvCell(v))
        : (v) => csvCell(outputValue(col, v));
    }
    default: {
      if (col.type !== 'category')
        return (v) => (v === null ? '' : csvCell(typeof v === 'string' ? v : String(v)));
      // Categories repeat a few values: remember each one's CSV text.
      const seen = new Map<Value, string>();
      return (v) => {
        if (v === null) return '';
        let t = seen.get(v);
        if (t === undefined) {
          t = csvCell(typeof v === 'string' ? v : String(v));
          if (seen.size < 256) seen.set(v, t);
        }
        return t;
      };
    }
  }
}

export function blockToCsv(model: TableModel, b: Block, prov?: ProvenanceInfo): string {
  const cols = model.columns;
  const n = cols.length;
  const fmt = cols.map(csvFormatter);
  const vals = b.values;
  let out = '';
  for (let i = 0; i < b.count; i++) {
    let line = fmt[0](vals[0][i]);
    for (let c = 1; c < n; c++) line += `,${fmt[c](vals[c][i])}`;
    if (prov) line += `,${provenanceCells(model, b, i, prov).map(csvCell).join(',')}`;
    if (b.extra) for (const x of b.extra.values) line += `,${csvCell(x[i])}`;
    out += `${line}\n`;
  }
  return out;
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
