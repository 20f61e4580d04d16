/**
 * The ceilings bench/relational.bench.ts measures Strata against (issue 14, "≥ 1M rows/s"):
 *
 * - `ioFloor`: the same bytes per table, already formatted (cut from Strata's own files), written
 *   through the same writer path (io/atomic.ts openAtomic, one write per block as generateTables
 *   does). Nothing is drawn or formatted: this is what the disk path alone costs.
 * - `handLoop`: the cheapest hand-written loop that draws the same kinds of values as the bench's
 *   spec — sequential ids and foreign keys, two categories, uniform datetimes bounded by the
 *   parent's, a sequence of normal time gaps truncated at the parent's time, lognormal amounts
 *   with 2 decimals — and writes the same CSV (ISO-8601 datetimes with milliseconds, numbers as
 *   Strata prints them) through the same writer path. One 32-bit PRNG, no spec, no expressions,
 *   no rules engine, no worker: a lower bound on the CPU a row of this shape needs in JS.
 *
 * Both run on this thread; rows per CPU-second (process.cpuUsage) are the figure that survives a
 * loaded machine, and the 2-core ceiling is at most twice the one-thread figure.
 */
import { openAtomic } from '../src/io/atomic.js';

export interface TableBytes {
  name: string;
  /** Size of the file Strata wrote (header included). */
  size: number;
  /** Its first bytes (up to 4 MB): the pre-formatted rows the floor writes again. */
  head: Uint8Array;
}

export interface Timing {
  seconds: number;
  cpuSeconds: number;
  rows: number;
  bytes: number;
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Writes each table's byte count again from its own first bytes, `blocks` writes per table. */
export async function ioFloor(
  dir: string,
  tables: TableBytes[],
  rows: number,
  blocks: number,
): Promise<Timing> {
  const t0 = performance.now();
  const c0 = cpuNow();
  let bytes = 0;
  for (const t of tables) {
    const f = await openAtomic(`${dir}/floor-${t.name}.csv`);
    const total = t.size;
    const chunk = Math.max(1, Math.ceil(total / blocks));
    // Pre-formatted rows: the table's own bytes, repeated (a chunk is a fresh copy, as a block is).
    const src = t.head;
    for (let at = 0; at < total; at += chunk) {
      const n = Math.min(chunk, total - at);
      const out = new Uint8Array(n);
      for (let k = 0; k < n; k += src.length) out.set(src.subarray(0, Math.min(src.length, n - k)), k);
      await f.write(out);
    }
    await f.commit();
    bytes += total;
  }
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuNow() - c0, rows, bytes };
}

/** Two digits of 0 ≤ n < 100 at b[at]. (Module level: a closure made per call costs an allocation, and under tsx a name.) */
function two(b: Uint8Array, at: number, n: number): void {
  b[at] = 48 + Math.floor(n / 10);
  b[at + 1] = 48 + (n % 10);
}

/** A growable byte buffer with the few formatters the loop needs. */
class Out {
  b = new Uint8Array(1 << 20);
  p = 0;
  room(n: number): void {
    if (this.p + n <= this.b.length) return;
    const next = new Uint8Array(Math.max(this.b.length * 2, this.p + n));
    next.set(this.b.subarray(0, this.p));
    this.b = next;
  }
  ascii(s: Uint8Array): void {
    this.room(s.length);
    this.b.set(s, this.p);
    this.p += s.length;
  }
  byte(c: number): void {
    this.room(1);
    this.b[this.p++] = c;
  }
  uint(n: number): void {
    this.room(16);
    let len = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) len++;
    let q = this.p + len;
    this.p = q;
    let m = n;
    do {
      const d = Math.floor(m / 10);
      this.b[--q] = 48 + m - d * 10;
      m = d;
    } while (m > 0);
  }
  /** x ≥ 0 rounded to 2 decimals, trailing zeros dropped (as Strata prints a 2-decimal column). */
  cents(x: number): void {
    const n = Math.round(x * 100);
    const whole = Math.floor(n / 100);
    let frac = n - whole * 100;
    this.uint(whole);
    if (frac === 0) return;
    this.byte(46);
    if (frac % 10 === 0) {
      this.byte(48 + frac / 10);
      return;
    }
    this.byte(48 + Math.floor(frac / 10));
    frac %= 10;
    this.byte(48 + frac);
  }
  /** ISO-8601 UTC with milliseconds (omitted when 0), for 0000-03-01 … 9999. */
  iso(t: number): void {
    const day = Math.floor(t / 86_400_000);
    let rem = t - day * 86_400_000;
    const hh = Math.floor(rem / 3_600_000);
    rem -= hh * 3_600_000;
    const mi = Math.floor(rem / 60_000);
    rem -= mi * 60_000;
    const ss = Math.floor(rem / 1000);
    const ms = rem - ss * 1000;
    const days = day + 719_468;
    const era = Math.floor(days / 146_097);
    const doe = days - era * 146_097;
    const yoe = Math.floor(
      (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
    );
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    this.room(24);
    const b = this.b;
    const p = this.p;
    two(b, p, Math.floor(y / 100));
    two(b, p + 2, y % 100);
    b[p + 4] = 45;
    two(b, p + 5, m);
    b[p + 7] = 45;
    two(b, p + 8, d);
    b[p + 10] = 84;
    two(b, p + 11, hh);
    b[p + 13] = 58;
    two(b, p + 14, mi);
    b[p + 16] = 58;
    two(b, p + 17, ss);
    let q = p + 19;
    if (ms !== 0) {
      b[q] = 46;
      b[q + 1] = 48 + Math.floor(ms / 100);
      two(b, q + 2, ms % 100);
      q += 4;
    }
    b[q] = 90;
    this.p = q + 1;
  }
  take(): Uint8Array {
    const out = this.b.slice(0, this.p);
    this.p = 0;
    return out;
  }
}

const enc = (s: string) => new TextEncoder().encode(s);

/** The bench spec's three tables drawn and written by hand; `roots` customers in blocks of `block`. */
export async function handLoop(dir: string, roots: number, block: number, seed = 1): Promise<Timing> {
  const t0 = performance.now();
  const c0 = cpuNow();
  // mulberry32: one 32-bit state, one multiply-xorshift per draw.
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare = Number.NaN;
  const normal = () => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = Number.NaN;
      return z;
    }
    for (;;) {
      const a = 2 * u() - 1;
      const b = 2 * u() - 1;
      const r = a * a + b * b;
      if (r > 0 && r < 1) {
        const f = Math.sqrt((-2 * Math.log(r)) / r);
        spare = b * f;
        return a * f;
      }
    }
  };
  const names = ['customers', 'accounts', 'events'];
  const headers = [
    'customer_id,segment,joined\n',
    'customer_id,account_id,product,opened\n',
    'account_id,event_id,at,amount\n',
  ];
  const files = await Promise.all(names.map((n) => openAtomic(`${dir}/hand-${n}.csv`)));
  for (let k = 0; k < 3; k++) await files[k].write(headers[k]);
  const segment = [enc('retail'), enc('business')];
  const product = [enc('current'), enc('savings'), enc('card')];
  const outs = [new Out(), new Out(), new Out()];
  const [oc, oa, oe] = outs;
  const lo = Date.UTC(2020, 0, 1);
  const hi = Date.UTC(2023, 0, 1);
  const end = Date.UTC(2025, 0, 1);
  let account = 0;
  let event = 0;
  let rows = 0;
  let bytes = 0;
  for (let r0 = 0; r0 < roots; r0 += block) {
    const r1 = Math.min(roots, r0 + block);
    for (let c = r0 + 1; c <= r1; c++) {
      const joined = Math.round(lo + u() * (hi - lo));
      oc.uint(c);
      oc.byte(44);
      oc.ascii(segment[u() < 0.8 ? 0 : 1]);
      oc.byte(44);
      oc.iso(joined);
      oc.byte(10);
      const v = u();
      const nAcc = v < 0.25 ? 2 : v < 0.75 ? 3 : 4;
      for (let a = 0; a < nAcc; a++) {
        const opened = Math.round(joined + u() * (end - joined));
        account++;
        oa.uint(c);
        oa.byte(44);
        oa.uint(account);
        oa.byte(44);
        const p = u();
        oa.ascii(product[p < 0.6 ? 0 : p < 0.9 ? 1 : 2]);
        oa.byte(44);
        oa.iso(opened);
        oa.byte(10);
        const nEv = 8 + Math.floor(u() * 5);
        let prev = opened;
        for (let e = 0; e < nEv; e++) {
          let at: number;
          do at = Math.round(prev + 777_600_000 + 864_000_000 * normal());
          while (at < opened);
          prev = at;
          event++;
          oe.uint(account);
          oe.byte(44);
          oe.uint(event);
          oe.byte(44);
          oe.iso(at);
          oe.byte(44);
          oe.cents(Math.exp(3.5 + normal()));
          oe.byte(10);
        }
        rows += nEv + 1;
      }
      rows++;
    }
    for (let k = 0; k < 3; k++) {
      const chunk = outs[k].take();
      bytes += chunk.length;
      await files[k].write(chunk);
    }
  }
  for (const f of files) await f.commit();
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuNow() - c0, rows, bytes };
}
