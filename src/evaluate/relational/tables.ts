/**
 * A set of tables by name (one file per table) and the column readers the relational figures share:
 * key text (so "7" and "7.0" name the same row), datetimes as epoch ms, numbers.
 */
import type { RawTable } from '../../io/index.js';
import { levelKey, parseIsoDate, parseNumber } from '../../ml/index.js';

export type TableSet = ReadonlyMap<string, RawTable>;

export function columnOf(t: RawTable, name: string): readonly (string | null)[] | undefined {
  const j = t.columns.indexOf(name);
  return j < 0 ? undefined : t.data[j];
}

function present(s: string | null | undefined): s is string {
  return s !== null && s !== undefined && s.trim() !== '';
}

/** Key values as comparable text (null when missing). */
export function keyValues(col: readonly (string | null)[]): (string | null)[] {
  return col.map((s) => (present(s) ? levelKey(s.trim()) : null));
}

/** Epoch ms of ISO dates, or plain numbers (NaN when missing or unreadable). */
export function orderValues(col: readonly (string | null)[]): Float64Array {
  const out = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const s = col[i];
    if (!present(s)) out[i] = Number.NaN;
    else {
      const n = parseNumber(s);
      out[i] = Number.isNaN(n) ? parseIsoDate(s) : n;
    }
  }
  return out;
}

/** Share of present values that must parse as ISO dates for a column to count as a datetime. */
const DATE_SHARE = 0.95;

/** Columns of a real table holding ISO dates or date-times (at least one present value). */
export function datetimeColumns(t: RawTable): string[] {
  return t.columns.filter((_, j) => {
    let n = 0;
    let dates = 0;
    for (const s of t.data[j]) {
      if (!present(s)) continue;
      n++;
      if (!Number.isNaN(parseIsoDate(s))) dates++;
    }
    return n > 0 && dates >= DATE_SHARE * n;
  });
}
