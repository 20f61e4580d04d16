// Issue 2 benchmark: rows/s for the card-customers spec (src/spec/examples.ts) at 1M rows to CSV and Parquet with 1 and 2
// workers, peak RSS, beside a plain Math.random CSV loop measured in the same run; then (issue 12,
// defect 3) the spec with its plan and tail through the library and the CLI against a loop writing
// the same columns; then RSS at 10M. BENCH_ROWS, BENCH_REPS, BENCH_SKIP_10M, BENCH_ONLY_COVERAGE=1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

const configs = process.env.BENCH_ONLY_COVERAGE
  ? []
  : [
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

if (configs.length) {
  const base = median(results.get('baseline/csv/1').map((x) => x.seconds));
  console.log(
    `\n## generate: card-customers spec, ${ROWS.toLocaleString('en-US')} rows (median of ${REPS})\n`,
  );
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
}

// Issue 12 defect 3: the design example as written (plan + tail), 2 workers, against a plain loop
// writing the same 10 columns, through the library call (time of the call; start-up and imports
// are not the engine's) and through the CLI (the whole process, node start-up included, as the loop's).
{
  const spec = join(dir, 'card-customers.yaml');
  const { CARD_CUSTOMERS_YAML } = await import('../dist/spec/index.js');
  writeFileSync(spec, CARD_CUSTOMERS_YAML);
  const bin = new URL('../bin/strata.js', import.meta.url).pathname;
  const cli = (workers) => {
    const out = join(dir, `cli-${workers}.csv`);
    const t0 = performance.now();
    execFileSync(
      process.execPath,
      [bin, 'generate', spec, '-n', String(ROWS), '-o', out, '--workers', String(workers)],
      {
        encoding: 'utf8',
      },
    );
    const seconds = (performance.now() - t0) / 1000;
    rmSync(out);
    return { seconds, callSeconds: seconds, cpuSeconds: Number.NaN };
  };
  const wall = (mode, workers) => {
    const t0 = performance.now();
    const r = run(mode, 'csv', workers, ROWS);
    return { ...r, process: (performance.now() - t0) / 1000 };
  };
  const rows = { loop: [], lib1: [], lib2: [], cli2: [] };
  for (let r = 0; r < REPS; r++) {
    rows.loop.push(wall('baseline-coverage', 1));
    rows.lib1.push(wall('strata-coverage', 1));
    rows.lib2.push(wall('strata-coverage', 2));
    rows.cli2.push(cli(2));
  }
  const m = (xs, k) => median(xs.map((x) => x[k]));
  const loopIn = m(rows.loop, 'callSeconds');
  const loopProc = m(rows.loop, 'process');
  console.log(
    `\n## design example with its plan and tail, ${ROWS.toLocaleString('en-US')} rows (median of ${REPS})\n`,
  );
  console.log('| run | workers | seconds | rows/s | × loop | CPU s (all threads) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const line = (name, w, s, base, cpu) =>
    console.log(
      `| ${name} | ${w} | ${s.toFixed(2)} | ${Math.round(ROWS / s).toLocaleString('en-US')} | ${(s / base).toFixed(2)} | ${Number.isNaN(cpu) ? '—' : cpu.toFixed(2)} |`,
    );
  line('plain loop, same 10 columns (in-process time)', 1, loopIn, loopIn, m(rows.loop, 'cpuSeconds'));
  line(
    'library generateToFile (time of the call)',
    1,
    m(rows.lib1, 'callSeconds'),
    loopIn,
    m(rows.lib1, 'cpuSeconds'),
  );
  line(
    'library generateToFile (time of the call)',
    2,
    m(rows.lib2, 'callSeconds'),
    loopIn,
    m(rows.lib2, 'cpuSeconds'),
  );
  line('plain loop, same 10 columns (whole process)', 1, loopProc, loopProc, Number.NaN);
  line('CLI strata generate (whole process)', 2, m(rows.cli2, 'seconds'), loopProc, Number.NaN);
  const libRatio = m(rows.lib2, 'callSeconds') / loopIn;
  const cliRatio = m(rows.cli2, 'seconds') / loopProc;
  console.log(
    `\ntarget: plan + tail, 2 workers, ≤ 1.5× the loop → library ${libRatio.toFixed(2)}× ${libRatio <= 1.5 ? 'MET' : 'NOT MET'}, CLI ${cliRatio.toFixed(2)}× ${cliRatio <= 1.5 ? 'MET' : 'NOT MET'}`,
  );
}

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
