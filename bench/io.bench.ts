/**
 * I/O benchmark: streaming Parquet write of N rows × 7 columns (default 10M) through openParquet,
 * printing wall time, rows/s and peak RSS (sampled, plus the kernel's high-water mark), and a CSV
 * write of the same rows through openAtomic for comparison.
 *
 *   node --import tsx bench/io.bench.ts [rows] [--skip-csv]
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvLine, openAtomic, openParquet, readTable } from '../src/io/index.js';
import { streamFor } from '../src/random/stream.js';

const N = Number(process.argv[2] ?? 10_000_000);
const BATCH = 16_384;
const dir = mkdtempSync(join(tmpdir(), 'strata-io-bench-'));

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 20);

/** VmHWM from /proc: the kernel's peak resident set (covers spikes between samples). */
function kernelPeakMB(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const mb = (b: number): string => `${(b / 1048576).toFixed(0)} MB`;

function batch(s: ReturnType<typeof streamFor>, start: number, n: number) {
  const id: number[] = new Array(n);
  const age: number[] = new Array(n);
  const income: number[] = new Array(n);
  const seg: string[] = new Array(n);
  const flag: boolean[] = new Array(n);
  const opened: number[] = new Array(n);
  const note: (string | null)[] = new Array(n);
  const segs = ['retail', 'premium', 'business'];
  for (let i = 0; i < n; i++) {
    id[i] = start + i;
    age[i] = 18 + s.nextInt(78);
    income[i] = Math.exp(10 + s.nextFloat());
    seg[i] = segs[s.nextInt(3)];
    flag[i] = s.nextFloat() < 0.3;
    opened[i] = 1420070400000 + s.nextInt(3.4e8) * 1000;
    note[i] = s.nextFloat() < 0.1 ? null : `n${s.nextInt(1000)}`;
  }
  return [id, age, income, seg, flag, opened, note];
}

const schema = [
  { name: 'id', kind: 'integer' },
  { name: 'age', kind: 'integer' },
  { name: 'income', kind: 'number' },
  { name: 'segment', kind: 'string' },
  { name: 'flag', kind: 'boolean' },
  { name: 'opened', kind: 'datetime' },
  { name: 'note', kind: 'string' },
] as const;

async function parquet(): Promise<void> {
  const s = streamFor(1, 'bench', 'io');
  const target = join(dir, 'out.parquet');
  const t0 = performance.now();
  const sink = await openParquet(target, schema);
  let appendMs = 0;
  for (let start = 0; start < N; start += BATCH) {
    const n = Math.min(BATCH, N - start);
    const cols = batch(s, start, n);
    const a = performance.now();
    await sink.append(cols, n);
    appendMs += performance.now() - a;
    if (process.env.TRACE && (start / BATCH) % 64 === 0) {
      const m = process.memoryUsage();
      console.log(`  ${start} rows: rss ${mb(m.rss)} heap ${mb(m.heapUsed)} external ${mb(m.external)}`);
    }
  }
  const c0 = performance.now();
  await sink.commit();
  const t1 = performance.now();
  console.log(
    `parquet: ${N} rows x 7 cols in ${((t1 - t0) / 1000).toFixed(1)} s ` +
      `(${Math.round(N / ((t1 - t0) / 1000))} rows/s; appends ${(appendMs / 1000).toFixed(1)} s, COPY ${((t1 - c0) / 1000).toFixed(1)} s), ` +
      `file ${mb(statSync(target).size)}, peak RSS sampled ${mb(peak)}, kernel VmHWM ${kernelPeakMB()?.toFixed(0)} MB`,
  );
  const check = await readTable(target, { limit: 3 });
  console.log('first rows:', JSON.stringify(check.data.map((c) => c[0])));
}

async function csv(): Promise<void> {
  const s = streamFor(1, 'bench', 'io');
  const target = join(dir, 'out.csv');
  const t0 = performance.now();
  const out = await openAtomic(target);
  await out.write(csvLine(schema.map((c) => c.name)));
  for (let start = 0; start < N; start += BATCH) {
    const n = Math.min(BATCH, N - start);
    const cols = batch(s, start, n);
    let text = '';
    const row: (string | number | boolean | null)[] = new Array(cols.length);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < cols.length; c++) row[c] = cols[c][r];
      text += csvLine(row);
    }
    await out.write(text);
  }
  await out.commit();
  const t1 = performance.now();
  console.log(
    `csv:     ${N} rows x 7 cols in ${((t1 - t0) / 1000).toFixed(1)} s (${Math.round(N / ((t1 - t0) / 1000))} rows/s), file ${mb(statSync(target).size)}`,
  );
}

try {
  await parquet();
  if (!process.argv.includes('--skip-csv')) await csv();
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}
