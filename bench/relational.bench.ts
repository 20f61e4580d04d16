/**
 * Issue 14 benchmark: a relational spec — N root entities (default 1,000,000), ~3 accounts each,
 * ~10 time-ordered events per account — written as CSV to a directory, printing rows/s (wall and
 * per CPU-second of the whole process, workers included), heap-used and RSS at 10% and 100% of the
 * run, and peak RSS (sampled, and the kernel's high-water mark). Beside it, measured in the same
 * run on the same machine (bench/relational-ceiling.ts):
 *   (a) the I/O floor: the same bytes, pre-formatted, through the same atomic writer;
 *   (b) the cheapest hand-written loop drawing the same kinds of values and writing the same CSV.
 * Targets (issue 14): ≥ 1M rows/s, peak RSS < 400 MB, and a 10× run with no more memory
 * (BENCH_REL_10X=1; it takes ten times as long).
 *
 *   node --import tsx bench/relational.bench.ts      (BENCH_ROOTS=N to change the size,
 *   BENCH_WORKERS=K the worker threads, default 2; BENCH_REPS=R repeats each measure, medians printed)
 */
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTables } from '../src/sample/generate-tables.js';
import { parseSpecText } from '../src/spec/parse.js';
import { handLoop, ioFloor, type TableBytes, type Timing } from './relational-ceiling.js';

const SPEC = `strata: 1
seed: 1
tables:
  customers:
    key: customer_id
    columns:
      customer_id: { type: id }
      segment: { type: category, values: { retail: 0.8, business: 0.2 } }
      joined: { type: datetime, dist: { uniform: { min: "2020-01-01", max: "2023-01-01" } } }
  accounts:
    parent: customers
    key: account_id
    count: { values: { 2: 0.25, 3: 0.5, 4: 0.25 } }
    columns:
      account_id: { type: id }
      product: { type: category, values: { current: 0.6, savings: 0.3, card: 0.1 } }
      opened: { type: datetime, dist: { uniform: { min: "parent.joined", max: "2025-01-01" } } }
  events:
    parent: accounts
    count: { values: { 8: 0.2, 9: 0.2, 10: 0.2, 11: 0.2, 12: 0.2 } }
    sequence: { order: at }
    columns:
      event_id: { type: id }
      at: { type: datetime, dist: { normal: { mean: "coalesce(prev.at, parent.opened) + 777600000", sd: 864000000 } } }
      amount: { type: number, dist: { lognormal: { meanlog: 3.5, sdlog: 1 } } }
    rules:
      - { name: after_opening, check: "at >= parent.opened" }
`;

function kernelPeakMB(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function headOf(path: string, max: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(max);
    return buf.subarray(0, readSync(fd, buf, 0, max, 0));
  } finally {
    closeSync(fd);
  }
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const mb = (x: number) => (x / 2 ** 20).toFixed(0);
const rate = (rows: number, s: number) => Math.round(rows / s).toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);

async function strata(roots: number, dir: string): Promise<Timing & { tables: TableBytes[]; peak: number }> {
  const { spec } = parseSpecText(SPEC, 'bench.yaml');
  let peak = 0;
  let done = 0;
  let peakAt = 0; // roots done when the peak was sampled: where in the run memory is highest
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) {
      peak = rss;
      peakAt = done;
    }
  }, 20);
  const marks = [0.1, 1];
  const c0 = cpuNow();
  try {
    const r = await generateTables({
      spec,
      rows: roots,
      dir,
      workers: WORKERS,
      onProgress: (rootsDone, total) => {
        done = rootsDone;
        while (marks.length > 0 && done >= marks[0] * total) {
          const m = process.memoryUsage();
          console.log(
            `  at ${(100 * marks.shift()!).toFixed(0)}% (${done.toLocaleString('en-US')} roots): heap used ${mb(m.heapUsed)} MB (main thread), RSS ${mb(m.rss)} MB`,
          );
        }
      },
    });
    const cpuSeconds = cpuNow() - c0;
    clearInterval(sampler);
    console.log(
      `  peak RSS ${mb(peak)} MB sampled after ${done === 0 ? 0 : ((100 * peakAt) / roots).toFixed(0)}% of the roots`,
    );
    const rows = r.tables.reduce((a, t) => a + t.rows, 0);
    const tables = r.tables.map((t) => ({
      name: t.table,
      size: statSync(t.path!).size,
      head: headOf(t.path!, 1 << 22),
    }));
    return {
      seconds: r.seconds,
      cpuSeconds,
      rows,
      bytes: tables.reduce((a, t) => a + t.size, 0),
      tables,
      peak,
    };
  } finally {
    clearInterval(sampler);
  }
}

const REPS = Number(process.env.BENCH_REPS ?? 1);

async function run(roots: number) {
  const dir = mkdtempSync(join(tmpdir(), 'strata-rel-bench-'));
  try {
    const s: Timing[] = [];
    const a: Timing[] = [];
    const b: Timing[] = [];
    let peak = 0;
    for (let k = 0; k < REPS; k++) {
      // Interleaved: Strata, then the floor on its bytes, then the hand loop.
      const r = await strata(roots, dir);
      peak = Math.max(peak, r.peak);
      s.push(r);
      a.push(await ioFloor(dir, r.tables, r.rows, Math.ceil(roots / 1024)));
      b.push(await handLoop(dir, roots, 1024, k + 1));
      const line = (what: string, t: Timing) =>
        `  ${what}: ${t.rows.toLocaleString('en-US')} rows, ${(t.bytes / 2 ** 20).toFixed(0)} MB in ${t.seconds.toFixed(2)} s = ${rate(t.rows, t.seconds)} rows/s wall, ${rate(t.rows, t.cpuSeconds)} rows per CPU-s`;
      console.log(line('strata', r));
      console.log(line('(a) I/O floor', a[k]));
      console.log(line('(b) hand loop', b[k]));
    }
    const med = (ts: Timing[], f: (t: Timing) => number) => median(ts.map(f));
    const wall = (t: Timing) => t.rows / t.seconds;
    const cpu = (t: Timing) => t.rows / t.cpuSeconds;
    const rows = s[0].rows;
    console.log(
      `roots ${roots.toLocaleString('en-US')}, ${WORKERS} workers, median of ${REPS}: ${rows.toLocaleString('en-US')} rows; ` +
        `strata ${rate(med(s, wall), 1)} rows/s wall (${rate(med(s, cpu), 1)} per CPU-s); ` +
        `(a) I/O floor ${rate(med(a, wall), 1)} rows/s (${rate(med(a, cpu), 1)} per CPU-s); ` +
        `(b) hand loop, 1 thread ${rate(med(b, wall), 1)} rows/s (${rate(med(b, cpu), 1)} per CPU-s); ` +
        `strata / hand loop per CPU-s ${(med(s, cpu) / med(b, cpu)).toFixed(3)}, wall ${(med(s, wall) / med(b, wall)).toFixed(3)}; ` +
        `peak RSS ${mb(peak)} MB sampled, ${kernelPeakMB()?.toFixed(0) ?? '?'} MB VmHWM`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const roots = Number(process.env.BENCH_ROOTS ?? 1_000_000);
console.log(`workers: ${WORKERS}`);
await run(roots);
if (process.env.BENCH_REL_10X) await run(roots * 10);
