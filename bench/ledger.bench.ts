/**
 * Issue 17 benchmark. (1) The ledger's overhead on a 1M-row generate: `strata generate` of the
 * bundled card-customers spec (src/spec/examples.ts) to CSV (2 workers, coverage off), with --no-ledger and with
 * --ledger (output hashed as it is written, entry appended under the lock), repetitions
 * interleaved, medians of BENCH_REPS (default 3). Target ≤ 5%. (2) `strata ledger check-row` on that
 * 1M-row file: time of checkRow() in-process (seek with the row index, redraw one block, compare)
 * for 20 rows spread over the file, after one warm-up call; target < 50 ms. Also the whole CLI call
 * (node start-up included) once.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

function generate(withLedger: boolean, out: string): number {
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
  execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], cwd: dir });
  return (performance.now() - t0) / 1000;
}

const plain: number[] = [];
const recorded: number[] = [];
for (let r = 0; r < REPS; r++) {
  plain.push(generate(false, join(dir, 'plain.csv')));
  recorded.push(generate(true, join(dir, 'out.csv')));
}
const a = median(plain);
const b = median(recorded);
const overhead = (b - a) / a;
console.log(
  `\n## ledger overhead: generate ${ROWS.toLocaleString('en-US')} rows → CSV, 2 workers (median of ${REPS}, interleaved)\n`,
);
console.log('| run | seconds (each rep) | median s |');
console.log('|---|---|---:|');
console.log(`| --no-ledger | ${plain.map((x) => x.toFixed(2)).join(', ')} | ${a.toFixed(2)} |`);
console.log(
  `| --ledger (hash while writing + locked append) | ${recorded.map((x) => x.toFixed(2)).join(', ')} | ${b.toFixed(2)} |`,
);
console.log(
  `\ntarget: overhead ≤ 5% → ${(100 * overhead).toFixed(1)}% ${overhead <= 0.05 ? 'MET' : 'NOT MET'}`,
);

// check-row on the 1M-row file the last --ledger run wrote.
const out = join(dir, 'out.csv');
const rows = Array.from({ length: 20 }, (_, i) => Math.floor(((i + 0.5) / 20) * ROWS));
const cold = await checkRow(ledger, out, rows[0]);
const times: number[] = [];
let mismatches = 0;
for (const row of rows) {
  const r = await checkRow(ledger, out, row);
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
console.log(`| slowest of 20 rows | ${Math.max(...times).toFixed(1)} |`);
console.log(`| whole CLI call, node start-up included | ${cli.toFixed(0)} |`);
console.log(`\nrows redrawn identical: ${20 - mismatches} of 20`);
console.log(
  `target: check-row < 50 ms → median ${median(times).toFixed(1)} ms ${median(times) < 50 ? 'MET' : 'NOT MET'}`,
);
rmSync(dir, { recursive: true, force: true });
