/**
 * The rows one block of entities draws for one table, stored per column by what the column holds.
 *
 * A column whose output kind is a fractional number (amounts, datetimes as epoch ms) keeps its
 * values in a Float64Array, with a null flagged beside it; any other column (text, booleans) keeps
 * a plain array. A number column that meets a value that is not a number or null (a writer's text)
 * turns plain for the rest of the block, so every value comes back exactly as it went in (NaN and
 * −0 included).
 *
 * Why not one plain array per column: every double in a plain array is a heap object, and a block's
 * arrays keep tens of thousands of them alive until it is written, so each young-generation GC
 * copied them and then promoted them. On bench/relational.bench.ts (--cpu-prof, compiled dist,
 * 100,000 roots, 2 workers) the GC was 15% of each worker's samples before and 4–6% after; see
 * docs/benchmarks.md.
 */
import type { OutputKind } from './compile.js';
import type { Value } from './values.js';

/**
 * Integer columns (ids, counts) stay plain: their values are small integers, which V8 keeps
 * unboxed in a plain array anyway, and their CSV digits came out faster from there: formatting the
 * bench spec's blocks took 164–183 ns per row from plain arrays against 177–193 with the ids in a
 * Float64Array (fastest of 15, three interleaved runs).
 */
const NUMERIC_KINDS: ReadonlySet<OutputKind> = new Set<OutputKind>(['number', 'datetime']);

/** True for the output kinds a RowColumn stores as numbers. */
export function isNumericKind(kind: OutputKind): boolean {
  return NUMERIC_KINDS.has(kind);
}

export class RowColumn {
  /** Rows held. */
  length = 0;
  /** True when `any` holds the rows; false when `nums` (and `missing`) do. */
  plain: boolean;
  nums: Float64Array;
  /** 1 where the row's value is null (number columns). */
  missing: Uint8Array;
  any: Value[];

  constructor(numeric: boolean, capacity = 1024) {
    this.plain = !numeric;
    this.nums = new Float64Array(numeric ? capacity : 0);
    this.missing = new Uint8Array(numeric ? capacity : 0);
    this.any = [];
  }

  /** Append one row's value. */
  push(v: Value): void {
    const i = this.length;
    if (!this.plain) {
      if (i === this.nums.length) this.grow(i + 1);
      if (typeof v === 'number') {
        this.nums[i] = v;
        this.missing[i] = 0;
        this.length = i + 1;
        return;
      }
      if (v === null) {
        this.nums[i] = 0;
        this.missing[i] = 1;
        this.length = i + 1;
        return;
      }
      this.toPlain();
    }
    this.any[i] = v;
    this.length = i + 1;
  }

  /** Replace row i's value (i < length). */
  set(i: number, v: Value): void {
    if (!this.plain) {
      if (typeof v === 'number') {
        this.nums[i] = v;
        this.missing[i] = 0;
        return;
      }
      if (v === null) {
        this.missing[i] = 1;
        return;
      }
      this.toPlain();
    }
    this.any[i] = v;
  }

  get(i: number): Value {
    if (this.plain) return this.any[i];
    return this.missing[i] === 1 ? null : this.nums[i];
  }

  /** Keep the first n rows (a redrawn sequence or row's children drop what came after). */
  truncate(n: number): void {
    this.length = n;
    if (this.plain) this.any.length = n;
  }

  /** Every row's value, in a fresh array. */
  values(): Value[] {
    if (this.plain) return this.any.slice(0, this.length);
    const out = new Array<Value>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.missing[i] === 1 ? null : this.nums[i];
    return out;
  }

  private grow(need: number): void {
    let size = Math.max(16, this.nums.length * 2);
    while (size < need) size *= 2;
    const nums = new Float64Array(size);
    nums.set(this.nums.subarray(0, this.length));
    const missing = new Uint8Array(size);
    missing.set(this.missing.subarray(0, this.length));
    this.nums = nums;
    this.missing = missing;
  }

  private toPlain(): void {
    this.any = this.values();
    this.plain = true;
    this.nums = new Float64Array(0);
    this.missing = new Uint8Array(0);
  }
}

/** A growable column of small whole numbers (the redraws of each row). */
export class IntColumn {
  length = 0;
  data = new Int32Array(1024);

  push(n: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = n;
  }

  /** The rows held, in a fresh array (it may be transferred). */
  take(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
