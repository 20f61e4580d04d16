/**
 * The string CSV formatter: the readable reference that `csv-bytes.ts` (the byte writer generation
 * uses) must match byte for byte. Test-only; kept out of dist/ (tsconfig.build excludes testing/).
 */

import { csvField as csvCell } from '../../io/csv-write.js';
import type { Block } from '../../model/block.js';
import type { ColumnInfo, TableModel } from '../../model/compile.js';
import type { Value } from '../../model/values.js';
import { outputValue, type ProvenanceInfo, provenanceCells } from '../format.js';

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

/** A finite number's text, or '' (missing) for Infinity / NaN. */
const finite = (x: number, text: (x: number) => string): string => (Number.isFinite(x) ? text(x) : '');

/** One formatter per column, chosen once: numbers print directly, strings are quoted only when needed. */
function csvFormatter(col: ColumnInfo): (v: Value) => string {
  switch (col.kind) {
    case 'number': {
      const d = col.decimals ?? 15;
      if (d > 0 && d < 10) {
        return (v) =>
          v === null ? '' : typeof v === 'number' ? finite(v, (x) => decimalText(x, d)) : csvCell(v);
      }
      return (v) => (v === null ? '' : typeof v === 'number' ? finite(v, String) : csvCell(v));
    }
    case 'integer':
    case 'boolean':
      return (v) => (v === null ? '' : typeof v === 'number' ? finite(v, String) : csvCell(v));
    case 'datetime': {
      // ISO and date text never needs quoting; patterns might.
      const plain = col.format === undefined || col.format === 'iso' || col.format === 'date';
      return plain
        ? (v) =>
            v === null
              ? ''
              : typeof v === 'number'
                ? finite(v, (x) => String(outputValue(col, x)))
                : csvCell(v)
        : (v) =>
            typeof v === 'number'
              ? finite(v, (x) => csvCell(outputValue(col, x)))
              : csvCell(outputValue(col, v));
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
