/**
 * Numbers no output format can hold become missing, and are counted per column so generation can
 * say so: ±Infinity and NaN in number / integer columns (a lognormal with a huge meanlog overflows),
 * integers beyond ±(2^53 − 1) (no longer whole numbers one can count on, and beyond Parquet's
 * BIGINT), and datetimes beyond JavaScript's date range (±8.64e15 ms), which have no ISO text. CSV
 * has no spelling of Infinity that a reader takes for a number, JSON has none at all, an integer or
 * timestamp column in Parquet none either; writing them as missing keeps every format alike.
 */
import type { Block } from '../model/block.js';
import type { TableModel } from '../model/compile.js';

/** The largest |epoch ms| a JavaScript Date (hence ISO text) can hold. */
const MAX_DATE_MS = 8.64e15;

/** Per model column: how many cells were not writable numbers and became missing. */
export class NonFiniteTally {
  readonly counts: number[] = [];
  any = false;

  /** Add another tally's counts (from a worker). */
  add(counts: readonly number[]): void {
    counts.forEach((n, c) => {
      if (n > 0) {
        this.counts[c] = (this.counts[c] ?? 0) + n;
        this.any = true;
      }
    });
  }

  /** The columns with a count, in model order. */
  report(model: TableModel): { column: string; count: number }[] {
    const out: { column: string; count: number }[] = [];
    this.counts.forEach((n, c) => {
      if (n > 0) out.push({ column: model.columns[c].name, count: n });
    });
    return out;
  }
}

/**
 * Replace the block's unwritable numbers by null (missing). Returns the count per model column, or
 * undefined when there were none (the common case: nothing is allocated).
 */
export function scrubNonFinite(model: TableModel, b: Block): number[] | undefined {
  const cols = model.columns;
  let counts: number[] | undefined;
  for (let c = 0; c < cols.length; c++) {
    const kind = cols[c].kind;
    if (kind !== 'number' && kind !== 'integer' && kind !== 'datetime') continue;
    const limit =
      kind === 'datetime' ? MAX_DATE_MS : kind === 'integer' ? Number.MAX_SAFE_INTEGER : Number.MAX_VALUE;
    const values = b.values[c];
    let bad = 0;
    for (let i = 0; i < b.count; i++) {
      const v = values[i];
      if (typeof v === 'number' && !(Math.abs(v) <= limit)) {
        values[i] = null;
        bad++;
      }
    }
    if (bad > 0) {
      counts ??= new Array<number>(cols.length).fill(0);
      counts[c] = bad;
    }
  }
  return counts;
}
