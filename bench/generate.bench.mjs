// Issue 2 benchmark: rows/s for the card-customers spec (src/spec/examples.ts) at 1M rows to CSV and Parquet with 1 and 2
// workers, peak RSS, beside a plain Math.random CSV loop measured in the same run; then RSS at 10M.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'strata-bench-'));
const child = new URL('./generate-child.mjs', import.meta.url).pathname;

function run(mode, format, workers, rows) {
  const out = join(dir, `out-${mode}-${workers}.${format}`);
  const res = JSON.parse(
    execFileSync(process.execPath, [child, mode, format, String(workers), String(rows), out], {
      encoding: 'utf8',
    }),
  );
  res.bytes = statSync(out).size;
  rmSync(out);
  return res;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const configs = [
  ['baseline', 'csv', 1],
  ['strata', 'csv', 1],
  ['strata', 'csv', 2],
  ['strata', 'parquet', 1],
  ['strata', 'parquet', 2],
  ['strata-coverage', 'csv', 1],
];
const results = new Map(configs.map((c) => [c.join('/'), []]));
// Interleave repetitions so machine noise hits every configuration alike.
for (let r = 0; r < REPS; r++)
  for (const c of configs) results.get(c.join('/')).push(run(c[0], c[1], c[2], ROWS));

const base = median(results.get('baseline/csv/1').map((x) => x.seconds));
console.log(`\n## generate: card-customers spec, ${ROWS.toLocaleString('en-US')} rows (median of ${REPS})\n`);
console.log('| run | workers | seconds | rows/s | × baseline time | peak RSS MB |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const c of configs) {
  const rs = results.get(c.join('/'));
  const s = median(rs.map((x) => x.seconds));
  const rss = Math.max(...rs.map((x) => x.maxRssMb));
  const name =
    c[0] === 'baseline'
      ? 'baseline: plain Math.random CSV loop'
      : c[0] === 'strata-coverage'
        ? `strata → ${c[1]}, with the spec's coverage plan and tail`
        : `strata → ${c[1]}`;
  console.log(
    `| ${name} | ${c[2]} | ${s.toFixed(2)} | ${Math.round(ROWS / s).toLocaleString('en-US')} | ${(s / base).toFixed(2)} | ${rss.toFixed(0)} |`,
  );
}
const target = median(results.get('strata/csv/2').map((x) => x.seconds)) / base;
console.log(
  `\ntarget: 2-worker CSV ≤ 1.5× baseline time → ${target.toFixed(2)}× ${target <= 1.5 ? 'MET' : 'NOT MET'}`,
);

if (!process.env.BENCH_SKIP_10M) {
  const big = ROWS * 10;
  console.log(`\n## peak RSS at ${big.toLocaleString('en-US')} rows (target < 300 MB)\n`);
  console.log('| run | workers | seconds | peak RSS MB |');
  console.log('|---|---:|---:|---:|');
  for (const [format, workers] of [
    ['csv', 2],
    ['parquet', 2],
  ]) {
    const r = run('strata', format, workers, big);
    console.log(`| strata → ${format} | ${workers} | ${r.seconds.toFixed(1)} | ${r.maxRssMb.toFixed(0)} |`);
  }
}
rmSync(dir, { recursive: true, force: true });
