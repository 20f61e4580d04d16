/**
 * Issue 14 benchmark: a relational spec — N root entities (default 1,000,000), ~3 accounts each,
 * ~10 time-ordered events per account — written as CSV to a directory, printing rows/s and peak
 * RSS (sampled, and the kernel's high-water mark), beside a baseline measured in the same run: a
 * plain Node loop writing the same number of CSV rows (same column counts, Math.random values).
 * Targets (issue 14): ≥ 1M rows/s, peak RSS < 400 MB, and a 10× run with no more memory
 * (BENCH_REL_10X=1; it takes ten times as long).
 *
 *   node --import tsx bench/relational.bench.ts      (BENCH_ROOTS=N to change the size,
 *   BENCH_WORKERS=K the worker threads, default 2)
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTables } from '../src/sample/generate-tables.js';
import { parseSpecText } from '../src/spec/parse.js';

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

async function baseline(dir: string, counts: { customers: number; accounts: number; events: number }) {
  const t0 = performance.now();
  const write = async (name: string, header: string, n: number, line: (i: number) => string) => {
    const ws = createWriteStream(join(dir, `${name}.csv`));
    ws.write(header);
    let buf: string[] = [];
    for (let i = 0; i < n; i++) {
      buf.push(line(i));
      if (buf.length === 8192) {
        if (!ws.write(buf.join(''))) await once(ws, 'drain');
        buf = [];
      }
    }
    ws.write(buf.join(''));
    ws.end();
    await once(ws, 'finish');
  };
  const date = () => new Date(1.58e12 + Math.random() * 1.5e11).toISOString();
  await write(
    'customers',
    'customer_id,segment,joined\n',
    counts.customers,
    (i) => `${i + 1},${Math.random() < 0.8 ? 'retail' : 'business'},${date()}\n`,
  );
  await write(
    'accounts',
    'account_id,customer_id,product,opened\n',
    counts.accounts,
    (i) => `${i + 1},${1 + Math.floor(i / 3)},${Math.random() < 0.6 ? 'current' : 'savings'},${date()}\n`,
  );
  await write(
    'events',
    'event_id,account_id,at,amount\n',
    counts.events,
    (i) => `${i + 1},${1 + Math.floor(i / 10)},${date()},${(Math.random() * 100).toFixed(2)}\n`,
  );
  return (performance.now() - t0) / 1000;
}

const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);

async function run(roots: number) {
  const dir = mkdtempSync(join(tmpdir(), 'strata-rel-bench-'));
  const { spec } = parseSpecText(SPEC, 'bench.yaml');
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const r = await generateTables({ spec, rows: roots, dir, workers: WORKERS });
    clearInterval(sampler);
    const rows = r.tables.reduce((a, t) => a + t.rows, 0);
    const counts = Object.fromEntries(r.tables.map((t) => [t.table, t.rows])) as {
      customers: number;
      accounts: number;
      events: number;
    };
    const base = await baseline(dir, counts);
    console.log(
      `roots ${roots.toLocaleString('en-US')}: ${rows.toLocaleString('en-US')} rows in ${r.seconds.toFixed(2)} s = ${Math.round(rows / r.seconds).toLocaleString('en-US')} rows/s; ` +
        `peak RSS ${(peak / 2 ** 20).toFixed(0)} MB sampled, ${kernelPeakMB()?.toFixed(0) ?? '?'} MB VmHWM; ` +
        `baseline loop (same rows, Math.random) ${base.toFixed(2)} s = ${Math.round(rows / base).toLocaleString('en-US')} rows/s; ratio ${(r.seconds / base).toFixed(2)}×`,
    );
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

const roots = Number(process.env.BENCH_ROOTS ?? 1_000_000);
console.log(`workers: ${WORKERS}`);
await run(roots);
if (process.env.BENCH_REL_10X) await run(roots * 10);
