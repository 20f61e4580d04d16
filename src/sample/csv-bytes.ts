/**
 * CSV rows written straight into a byte buffer.
 *
 * Building each row as a string and the block as a concatenation of rows made V8 keep a tree of
 * tens of thousands of cons-strings alive until the block was encoded; collecting it was the
 * largest single cost of generation (a quarter of the CPU). Here digits, dates and ASCII text go
 * byte by byte into one reused buffer, so a block allocates almost nothing. Non-ASCII text falls
 * back to TextEncoder. The bytes are exactly the UTF-8 of `blockToCsv` (testing/csv-reference.ts), which stays the
 * reference and is checked against this in the tests. Quoting is io's one rule (src/io/csv-write.ts):
 * `field` is its fast path for ASCII text and hands everything else to `csvField`. A number that is
 * not finite is written as missing, as csvField writes it.
 */

import { csvField, isTrimmable, QUOTE_ASCII } from '../io/csv-write.js';
import type { Block } from '../model/block.js';
import type { ColumnInfo, TableModel } from '../model/compile.js';
import type { RowColumn } from '../model/row-columns.js';
import { formatDate, isoString, type Value } from '../model/values.js';
import { outputValue, type ProvenanceInfo } from './format.js';

const encoder = new TextEncoder();

const COMMA = 44;
const NEWLINE = 10;
const ZERO = 48;
const MINUS = 45;
const DOT = 46;

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** A growable byte buffer, reused block after block. */
export class ByteWriter {
  bytes: Uint8Array;
  pos = 0;

  constructor(capacity = 1 << 20) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Make room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.pos));
    this.bytes = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.pos++] = b;
  }

  /** A string as it is: ASCII byte by byte, anything else through TextEncoder. */
  raw(s: string): void {
    const n = s.length;
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    this.reserve(3 * n);
    const b = this.bytes;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) {
        this.pos += encoder.encodeInto(s, b.subarray(this.pos)).written;
        return;
      }
      b[p++] = c;
    }
    this.pos = p;
  }

  /** A CSV text field, quoted when io's rule says so (the same bytes as csvField). */
  field(s: string): void {
    const n = s.length;
    // Empty, a missing-looking token (all are ≤ 4 characters) or a trimmable first/last character.
    if (n <= 4 || isTrimmable(s.charCodeAt(0)) || isTrimmable(s.charCodeAt(n - 1))) {
      this.raw(csvField(s));
      return;
    }
    this.reserve(3 * n);
    const b = this.bytes;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 127 || QUOTE_ASCII[c] === 1) {
        this.raw(csvField(s));
        return;
      }
      b[p++] = c;
    }
    this.pos = p;
  }

  copy(src: Uint8Array): void {
    this.reserve(src.length);
    this.bytes.set(src, this.pos);
    this.pos += src.length;
  }

  /** Digits of a whole number 0 ≤ n < 2^53. */
  digits(n: number): void {
    this.reserve(16);
    let len = 1;
    while (len < 16 && n >= POW10[len]) len++;
    const b = this.bytes;
    let p = this.pos + len;
    this.pos = p;
    if (n < 2147483648) {
      let m = n | 0;
      do {
        const q = (m / 10) | 0;
        b[--p] = ZERO + (m - q * 10);
        m = q;
      } while (m > 0);
      return;
    }
    let m = n;
    do {
      const q = Math.floor(m / 10);
      // the digit first: ZERO + m rounds once m is within 48 of 2^53 (2^53 − 13 printed as …99:)
      b[--p] = ZERO + (m - q * 10);
      m = q;
    } while (m > 0);
  }

  /** `d` digits of 0 ≤ n < 10^d, zero-padded on the left. */
  padded(n: number, d: number): void {
    this.reserve(d);
    const b = this.bytes;
    let p = this.pos + d;
    this.pos = p;
    let m = n;
    for (let k = 0; k < d; k++) {
      const q = Math.floor(m / 10);
      b[--p] = ZERO + (m - q * 10);
      m = q;
    }
  }

  /** The same text as String(x) for a whole number x (including -0 → "0"); nothing for ±Infinity / NaN. */
  integer(x: number): void {
    if (Number.isInteger(x) && x > -9007199254740992 && x < 9007199254740992) {
      if (x < 0) {
        this.byte(MINUS);
        this.digits(-x);
      } else this.digits(x);
      return;
    }
    if (Number.isFinite(x)) this.raw(String(x));
  }

  /** String(x), or nothing (missing) for ±Infinity / NaN. */
  number(x: number): void {
    if (Number.isFinite(x)) this.raw(String(x));
  }

  /** The same text as decimalText(x, d) (testing/csv-reference.ts): String(x) for x already rounded to d decimals. */
  decimal(x: number, d: number): void {
    const f = POW10[d];
    const n = Math.round(x * f);
    if (!(Math.abs(n) < 9e15) || n / f !== x) {
      this.number(x);
      return;
    }
    let m = n;
    if (m < 0) {
      this.byte(MINUS);
      m = -m;
    }
    const whole = Math.floor(m / f);
    let frac = m - whole * f;
    this.digits(whole);
    if (frac === 0) return;
    let places = d;
    while (frac % 10 === 0) {
      frac /= 10;
      places--;
    }
    this.byte(DOT);
    this.padded(frac, places);
  }

  /**
   * ISO-8601 UTC of epoch ms, the same text as isoString (values.ts); `dateOnly` keeps YYYY-MM-DD.
   * Nothing (missing) for ±Infinity / NaN.
   */
  iso(ms: number, dateOnly: boolean): void {
    ONE[0] = ms;
    writeIso(this, ONE, 0, dateOnly);
  }

  /** A copy of the bytes written so far; the writer is then empty and keeps its buffer. */
  take(): Uint8Array {
    const out = this.bytes.slice(0, this.pos);
    this.pos = 0;
    return out;
  }
}

/** A double handed to `writeIso` through an array, so the call does not box it. */
const ONE = new Float64Array(1);

/**
 * ISO-8601 UTC of the epoch ms at src[i] (ByteWriter.iso). It reads the double from the array
 * itself: a double passed as an argument to a call V8 does not inline is boxed on the heap, which
 * for a number column stored in a Float64Array was the only allocation left in CSV formatting
 * (12.5 MB per 3 × 8 blocks of the bench spec in a sampled allocation profile).
 */
function writeIso(w: ByteWriter, src: Float64Array, i: number, dateOnly: boolean): void {
  const ms = src[i];
  if (!Number.isFinite(ms)) return;
  const t = Math.round(ms);
  // Dates before 0000-03-01 (where the day count below turns negative), after 9999 and
  // non-finite values take the string path.
  if (!(t >= -62162035200000 && t < 253402300800000)) {
    w.raw(dateOnly ? isoString(ms).slice(0, 10) : isoString(ms));
    return;
  }
  const dayNo = Math.floor(t / 86_400_000);
  // From here every quantity is a non-negative int32 (years 0..9999), so `| 0` is floor.
  let rem = (t - dayNo * 86_400_000) | 0;
  const hh = (rem / 3_600_000) | 0;
  rem -= hh * 3_600_000;
  const mi = (rem / 60_000) | 0;
  rem -= mi * 60_000;
  const ss = (rem / 1000) | 0;
  const msec = rem - ss * 1000;
  w.reserve(24);
  const b = w.bytes;
  const p = w.pos;
  // Civil-from-days after H. Hinnant's public-domain algorithm, as in isoString. (A cache of day
  // texts by day number measured no faster: 71–80 against 73–77 ns per date, medians of 11.)
  const days = (dayNo + 719_468) | 0;
  const era = (days / 146_097) | 0;
  const doe = days - era * 146_097;
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36_524) | 0) - ((doe / 146_096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const d = doy - (((153 * mp + 2) / 5) | 0) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  put2(b, p, (y / 100) | 0);
  put2(b, p + 2, y % 100);
  b[p + 4] = MINUS;
  put2(b, p + 5, m);
  b[p + 7] = MINUS;
  put2(b, p + 8, d);
  if (dateOnly) {
    w.pos = p + 10;
    return;
  }
  b[p + 10] = 84; // T
  put2(b, p + 11, hh);
  b[p + 13] = 58; // :
  put2(b, p + 14, mi);
  b[p + 16] = 58;
  put2(b, p + 17, ss);
  let q = p + 19;
  if (msec !== 0) {
    b[q] = DOT;
    b[q + 1] = ZERO + ((msec / 100) | 0);
    put2(b, q + 2, msec % 100);
    q += 4;
  }
  b[q] = 90; // Z
  w.pos = q + 1;
}

function put2(b: Uint8Array, p: number, n: number): void {
  const t = (n / 10) | 0;
  b[p] = ZERO + t;
  b[p + 1] = ZERO + n - t * 10;
}

type CellWriter = (w: ByteWriter, v: Value) => void;

/** Bytes of extra (coverage) cells: a few values repeat (cell keys, a weight per cell, booleans). */
const extraBytes = new Map<string | number | boolean, Uint8Array>();

function extraCell(w: ByteWriter, v: string | number | boolean | null): void {
  if (v === null) return;
  let t = extraBytes.get(v);
  if (t === undefined) {
    t = encoder.encode(csvField(v));
    if (extraBytes.size < 4096) extraBytes.set(v, t);
  }
  w.copy(t);
}

/** Any value as csvField prints it (the path for types a column does not usually hold). */
function general(w: ByteWriter, v: Value): void {
  if (v !== null) w.raw(csvField(v));
}

/** One writer per column, chosen once; each prints what csvFormatter (testing/csv-reference.ts) prints. */
function cellWriter(col: ColumnInfo): CellWriter {
  switch (col.kind) {
    case 'number': {
      const d = col.decimals ?? 15;
      if (d > 0 && d < 10) {
        return (w, v) => (typeof v === 'number' ? w.decimal(v, d) : general(w, v));
      }
      return (w, v) => (typeof v === 'number' ? w.number(v) : general(w, v));
    }
    case 'integer':
      return (w, v) => (typeof v === 'number' ? w.integer(v) : general(w, v));
    case 'boolean':
      return (w, v) => (typeof v === 'boolean' ? w.raw(v ? 'true' : 'false') : general(w, v));
    case 'datetime': {
      const format = col.format ?? 'iso';
      if (format === 'iso' || format === 'date') {
        const dateOnly = format === 'date';
        return (w, v) => (typeof v === 'number' ? w.iso(v, dateOnly) : general(w, v));
      }
      return (w, v) => {
        if (typeof v === 'number') {
          if (Number.isFinite(v)) w.raw(csvField(formatDate(v, format)));
        } else if (v !== null) w.raw(csvField(outputValue(col, v)));
      };
    }
    default: {
      if (col.type !== 'category') {
        return (w, v) => {
          if (v !== null) w.field(typeof v === 'string' ? v : String(v));
        };
      }
      // Categories repeat a few values: remember each one's bytes.
      const seen = new Map<Value, Uint8Array>();
      return (w, v) => {
        if (v === null) return;
        let t = seen.get(v);
        if (t === undefined) {
          t = encoder.encode(csvField(typeof v === 'string' ? v : String(v)));
          if (seen.size < 256) seen.set(v, t);
        }
        w.copy(t);
      };
    }
  }
}

/** Writes row i of a number column; it reads the double itself, so no boxed number crosses the call. */
type NumberWriter = (w: ByteWriter, nums: Float64Array, i: number) => void;

/**
 * For a column stored as numbers (model/row-columns.ts): what cellWriter prints for a number in
 * that column, without the type test. (Passing the double itself boxed it at this megamorphic call:
 * 19 MB of heap numbers per 677k rows in a sampled allocation profile of the bench spec.)
 */
function numberWriter(col: ColumnInfo): NumberWriter {
  switch (col.kind) {
    case 'number': {
      const d = col.decimals ?? 15;
      if (d > 0 && d < 10) return (w, nums, i) => w.decimal(nums[i], d);
      return (w, nums, i) => w.number(nums[i]);
    }
    case 'integer':
      return (w, nums, i) => w.integer(nums[i]);
    case 'datetime': {
      const format = col.format ?? 'iso';
      if (format === 'iso' || format === 'date') {
        const dateOnly = format === 'date';
        return (w, nums, i) => writeIso(w, nums, i, dateOnly);
      }
      return (w, nums, i) => {
        const x = nums[i];
        if (Number.isFinite(x)) w.raw(csvField(formatDate(x, format)));
      };
    }
    default: {
      const cell = cellWriter(col);
      return (w, nums, i) => cell(w, nums[i]);
    }
  }
}

const writersByModel = new WeakMap<TableModel, CellWriter[]>();
const numberWritersByModel = new WeakMap<TableModel, NumberWriter[]>();

function writersFor(model: TableModel): CellWriter[] {
  let ws = writersByModel.get(model);
  if (!ws) {
    ws = model.columns.map(cellWriter);
    writersByModel.set(model, ws);
  }
  return ws;
}

/**
 * Append `count` CSV rows held as column stores (a relational block, model/row-columns.ts): the
 * same bytes as writeBlockCsv over their values. A number column's doubles go from its
 * Float64Array to the digits with no boxed value between.
 */
export function writeColumnsCsv(
  w: ByteWriter,
  model: TableModel,
  cols: readonly RowColumn[],
  count: number,
): void {
  const cells = writersFor(model);
  let numbers = numberWritersByModel.get(model);
  if (!numbers) {
    numbers = model.columns.map(numberWriter);
    numberWritersByModel.set(model, numbers);
  }
  const n = cols.length;
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < n; c++) {
      if (c > 0) w.byte(COMMA);
      const col = cols[c];
      if (col.plain) cells[c](w, col.any[i]);
      else if (col.missing[i] === 0) numbers[c](w, col.nums, i);
    }
    w.byte(NEWLINE);
  }
}

/** Append the CSV rows of a block to `w`: the UTF-8 of blockToCsv(model, b, prov). */
export function writeBlockCsv(w: ByteWriter, model: TableModel, b: Block, prov?: ProvenanceInfo): void {
  const fmt = writersFor(model);
  const n = fmt.length;
  const vals = b.values;
  const extra = b.extra?.values;
  const streamPrefix = prov ? `${prov.seed}/${model.table}/${b.index}/` : '';
  const first = prov?.firstRow ?? 0;
  for (let i = 0; i < b.count; i++) {
    fmt[0](w, vals[0][i]);
    for (let c = 1; c < n; c++) {
      w.byte(COMMA);
      fmt[c](w, vals[c][i]);
    }
    if (prov) {
      w.byte(COMMA);
      w.field(prov.specHash);
      w.byte(COMMA);
      w.field(`${streamPrefix}${i + first}`);
      w.byte(COMMA);
      w.integer(b.retries[i]);
      w.byte(COMMA);
      w.field(prov.runId);
      w.byte(COMMA);
      w.integer(b.index);
      w.byte(COMMA);
      w.integer(i + first);
    }
    if (extra) {
      for (const x of extra) {
        w.byte(COMMA);
        extraCell(w, x[i]);
      }
    }
    w.byte(NEWLINE);
  }
}

/** The CSV bytes of one block, in a fresh array (it may be transferred to another thread). */
export function blockToCsvBytes(
  w: ByteWriter,
  model: TableModel,
  b: Block,
  prov?: ProvenanceInfo,
): Uint8Array {
  w.pos = 0; // whatever an earlier, failed block left behind
  writeBlockCsv(w, model, b, prov);
  return w.take();
}
