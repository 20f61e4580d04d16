/**
 * Issue 17 benchmark. (1) The ledger's overhead on a 1M-row generate: `strata generate` of the
 * bundled card-customers spec (src/spec/examples.ts) to CSV (2 workers, coverage off), with --no-ledger and with
 * --ledger (output hashed as it is written, entry appended under the lock), repetitions
 * interleaved, medians of BENCH_REPS (default 3). Target ≤ 5%. (2) `strata ledger check-row` on that
 * 1M-row file: time of checkRow() in-process (seek with the row index, redraw one block, compare)
 * for 20 rows spread over the file, after one warm-up call; target < 50 ms. Also the whole CLI call
 * (node start-up included) once.
 *
 * Wall time on a shared machine swings with the other processes' load, so CPU time (user + system,
 * all threads; /usr/bin/time for the generate children, process.cpuUsage() for check-row) is
 * reported beside it: it is what the work costs, whatever else runs.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkRow } from '../src/ledger/check-row.js';
import { CARD_CUSTOMERS_YAML } from '../src/spec/examples.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const bin = resolve(import.meta.dirname, '..', 'bin', 'strata.js');
const dir = mkdtempSync(join(tmpdir(), 'strata-ledger-bench-'));
const spec = join(dir, 'card.yaml');
writeFileSync(spec, CARD_CUSTOMERS_YAML);
const ledger = join(dir, 'ledger.jsonl');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);

/** Wall and CPU seconds (CPU: NaN without /usr/bin/time). */
function generate(withLedger: boolean, out: string): { wall: number; cpu: number } {
  const args = [
    bin,
    'generate',
    spec,
    '-n',
    String(ROWS),
    '-o',
    out,
    '--seed',
    '7',
    '--workers',
    '2',
    '--no-coverage',
  ];
  args.push(...(withLedger ? ['--ledger', ledger] : ['--no-ledger']));
  const t0 = performance.now();
  const times = join(dir, 'time.txt');
  if (hasTime)
    execFileSync(TIME, ['-f', '%U %S', '-o', times, process.execPath, ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      cwd: dir,
    });
  else execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], cwd: dir });
  const wall = (performance.now() - t0) / 1000;
  const [u, s] = hasTime
    ? readFileSync(times, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number)
    : [NaN, NaN];
  return { wall, cpu: u + s };
}

const plainRuns: { wall: number; cpu: number }[] = [];
const recordedRuns: { wall: number; cpu: number }[] = [];
for (let r = 0; r < REPS; r++) {
  plainRuns.push(generate(false, join(dir, 'plain.csv')));
  recordedRuns.push(generate(true, join(dir, 'out.csv')));
}
const plain = plainRuns.map((x) => x.wall);
const recorded = recordedRuns.map((x) => x.wall);
const a = median(plain);
const b = median(recorded);
const overhead = (b - a) / a;
const ca = median(plainRuns.map((x) => x.cpu));
const cb = median(recordedRuns.map((x) => x.cpu));
const cpuOverhead = (cb - ca) / ca;
console.log(
  `\n## ledger overhead: generate ${ROWS.toLocaleString('en-US')} rows → CSV, 2 workers (median of ${REPS}, interleaved)\n`,
);
const cpuOf = (xs: { cpu: number }[]) => xs.map((x) => x.cpu.toFixed(2)).join(', ');
console.log('| run | wall s (each rep) | median wall s | CPU s (each rep) | median CPU s |');
console.log('|---|---|---:|---|---:|');
console.log(
  `| --no-ledger | ${plain.map((x) => x.toFixed(2)).join(', ')} | ${a.toFixed(2)} | ${cpuOf(plainRuns)} | ${ca.toFixed(2)} |`,
);
console.log(
  `| --ledger (hash while writing + locked append) | ${recorded.map((x) => x.toFixed(2)).join(', ')} | ${b.toFixed(2)} | ${cpuOf(recordedRuns)} | ${cb.toFixed(2)} |`,
);
console.log(
  `\ntarget: overhead ≤ 5% → wall ${(100 * overhead).toFixed(1)}% ${overhead <= 0.05 ? 'MET' : 'NOT MET'}; CPU ${(100 * cpuOverhead).toFixed(1)}% ${cpuOverhead <= 0.05 ? 'MET' : 'NOT MET'}`,
);

// What hashing alone costs: SHA-256 of the whole 1M-row file in one streaming read (CPU time, read
// included), against a plain generate's CPU time. generate hashes the same bytes on their way to
// disk instead, so this bounds the hashing part of the overhead.
const out = join(dir, 'out.csv');
const hashCpu: number[] = [];
for (let r = 0; r < 3; r++) {
  const c0 = process.cpuUsage();
  const h = createHash('sha256');
  for await (const chunk of createReadStream(out, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  h.digest('hex');
  const c = process.cpuUsage(c0);
  hashCpu.push((c.user + c.system) / 1e6);
}
const hc = median(hashCpu);
console.log(
  `\nSHA-256 of the ${(statSync(out).size / 1e6).toFixed(0)} MB file: ${(hc * 1000).toFixed(0)} ms CPU (median of 3) = ${((100 * hc) / ca).toFixed(1)}% of a plain generate's CPU time`,
);

// check-row on the 1M-row file the last --ledger run wrote.
const rows = Array.from({ length: 20 }, (_, i) => Math.floor(((i + 0.5) / 20) * ROWS));
const cold = await checkRow(ledger, out, rows[0]);
const times: number[] = [];
const cpus: number[] = [];
let mismatches = 0;
for (const row of rows) {
  const c0 = process.cpuUsage();
  const r = await checkRow(ledger, out, row);
  const c = process.cpuUsage(c0);
  cpus.push((c.user + c.system) / 1000);
  times.push(r.ms);
  if (!r.match) mismatches++;
}
const t0 = performance.now();
execFileSync(process.execPath, [bin, 'ledger', 'check-row', ledger, out, String(ROWS - 1)], {
  stdio: 'ignore',
});
const cli = performance.now() - t0;
console.log(
  `\n## ledger check-row on the ${ROWS.toLocaleString('en-US')}-row file (20 rows spread over it)\n`,
);
console.log('| measure | ms |');
console.log('|---|---:|');
console.log(`| first call in the process (cold: module code paths, spec parse) | ${cold.ms.toFixed(1)} |`);
console.log(`| median of 20 rows | ${median(times).toFixed(1)} |`);
console.log(`| median of 20 rows, CPU time | ${median(cpus).toFixed(1)} |`);
console.log(`| slowest of 20 rows, CPU time | ${Math.max(...cpus).toFixed(1)} |`);
console.log(`| slowest of 20 rows | ${Math.max(...times).toFixed(1)} |`);
console.log(`| whole CLI call, node start-up included | ${cli.toFixed(0)} |`);
console.log(`\nrows redrawn identical: ${20 - mismatches} of 20`);
console.log(
  `target: check-row < 50 ms → median wall ${median(times).toFixed(1)} ms ${median(times) < 50 ? 'MET' : 'NOT MET'}; median CPU ${median(cpus).toFixed(1)} ms ${median(cpus) < 50 ? 'MET' : 'NOT MET'}`,
);
rmSync(dir, { recursive: true, force: true });
