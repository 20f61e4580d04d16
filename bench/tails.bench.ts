/**
 * Tails on the Adult-fitted model (issue 13.8): the measuring stick for "a quantile() tail and an
 * extrapolate: true tail each generate in ≤ 2× the time of the same run without tails".
 *
 * Fits a seeded 16,281-row subset of adult_train.csv once (as bench/coverage.bench.ts does), then
 * for each numeric column times `generateRows` (one thread, 16,281 rows) without tails and with
 *  - `quantile`: `COL > quantile(COL, 0.99)`, share 0.01;
 *  - `extrapolate`: `COL > quantile(COL, 0.999)`, extrapolate: true, share 0.01;
 *  - `pair`: both tails in one run (the "light pair");
 * plus one pair on two columns (hours_per_week's quantile tail with age's extrapolating one).
 * Runs are interleaved (no tails, with tails, no tails, ...) so that load changes hit both sides;
 * the table gives the medians of TAILS_REPS runs (default 3), their ratio, the median of the
 * per-repetition ratios, and the ratio of median CPU seconds (process.cpuUsage: less sensitive to
 * a shared machine's load than wall time). Every run compiles the model afresh, as a CLI run does (nothing is cached
 * across runs). Extrapolated values are checked against the reported cap.
 *
 * Run: `npm run bench -- tails` (or node --import tsx bench/tails.bench.ts). Skips without the data.
 * TAILS_COLUMNS=age,fnlwgt limits the columns.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fitTable } from '../src/fit/fit.js';
import { type RawTable, readTable } from '../src/io/index.js';
import { shuffleInPlace } from '../src/random/shuffle.js';
import { streamFor } from '../src/random/stream.js';
import { generateRows } from '../src/sample/index.js';
import type { Spec, Tail } from '../src/spec/schema.js';

const DATA = '/work/shared/data/uci-adult/adult_train.csv';
const ROWS = 16_281;
const NUMERIC = ['capital_gain', 'capital_loss', 'hours_per_week', 'age', 'fnlwgt'];

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function subset(train: RawTable): RawTable {
  const s = streamFor(42, 'bench-split');
  const idx = Array.from({ length: train.rowCount }, (_, i) => i);
  shuffleInPlace(idx, s);
  const keep = idx.slice(0, ROWS);
  return { ...train, rowCount: keep.length, data: train.data.map((c) => keep.map((i) => c[i])) };
}

const quantileTail = (table: string, column: string): Tail => ({
  name: `q_${column}`,
  table,
  when: `${column} > quantile(${column}, 0.99)`,
  share: 0.01,
});
const extrapolatingTail = (table: string, column: string): Tail => ({
  name: `x_${column}`,
  table,
  when: `${column} > quantile(${column}, 0.999)`,
  share: 0.01,
  extrapolate: true,
});

/** Wall seconds and CPU seconds of this process (one thread draws: workers 1). */
async function seconds(spec: Spec) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await generateRows({ spec, rows: ROWS, seed: 5, workers: 1 });
  const c = process.cpuUsage(c0);
  return { s: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, r };
}

async function main() {
  if (!existsSync(DATA)) {
    console.log(`skipped: ${DATA} is absent`);
    return;
  }
  const reps = Math.max(1, Number(process.env.TAILS_REPS ?? 3));
  const only = process.env.TAILS_COLUMNS?.split(',');
  const sub = subset(await readTable(DATA));
  const t0 = performance.now();
  const fit = fitTable(sub, { target: 'income' });
  const { table, spec: base } = fit;
  console.log(`fit: ${((performance.now() - t0) / 1000).toFixed(2)} s; load ${loadavg()[0].toFixed(1)}`);
  const realMax = (c: string) =>
    Math.max(...(sub.data[sub.columns.indexOf(c)].map(Number).filter(Number.isFinite) as number[]));

  const variants: { label: string; tails: Tail[] }[] = [];
  for (const c of NUMERIC.filter((x) => sub.columns.includes(x) && (!only || only.includes(x)))) {
    variants.push({ label: `${c} quantile`, tails: [quantileTail(table, c)] });
    variants.push({ label: `${c} extrapolate`, tails: [extrapolatingTail(table, c)] });
    variants.push({ label: `${c} pair`, tails: [quantileTail(table, c), extrapolatingTail(table, c)] });
  }
  if (!only)
    variants.push({
      label: 'hours_per_week quantile + age extrapolate',
      tails: [quantileTail(table, 'hours_per_week'), extrapolatingTail(table, 'age')],
    });

  // Warm-up (JIT, Faker tables): a plain run and a cheap tail run.
  await seconds(base);
  await seconds({ ...base, tails: [quantileTail(table, 'capital_gain')] });

  console.log(`\n## tails on the Adult-fitted model, ${ROWS} rows, median of ${reps} interleaved runs\n`);
  console.log(
    '| tails | no tails s | with tails s | ratio of medians | median ratio | CPU ratio | rows in region | cap | largest drawn | × real max |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const v of variants) {
    const spec: Spec = { ...base, tails: v.tails };
    const plain: number[] = [];
    const tailed: number[] = [];
    const plainCpu: number[] = [];
    const tailedCpu: number[] = [];
    let last: Awaited<ReturnType<typeof seconds>>['r'] | undefined;
    for (let k = 0; k < reps; k++) {
      const p = await seconds(base);
      plain.push(p.s);
      plainCpu.push(p.cpu);
      const t = await seconds(spec);
      tailed.push(t.s);
      tailedCpu.push(t.cpu);
      last = t.r;
    }
    const comps = last!.coverage!.components;
    const delivered = comps.map((c) => c.delivered).join(' / ');
    const x = comps.find((c) => c.cap !== undefined);
    let capCell = '—';
    let topCell = '—';
    let timesMax = '—';
    if (x) {
      const col = x.region!.column;
      const xs = last!.data[last!.columns.indexOf(col)] as number[];
      const top = Math.max(...xs.filter((y) => typeof y === 'number'));
      capCell = String(+x.cap!.toPrecision(6));
      topCell = `${top}${top <= x.cap! ? '' : ' (above the cap!)'}`;
      timesMax = (top / realMax(col)).toFixed(2);
    }
    const ratios = plain.map((p, k) => tailed[k] / p);
    console.log(
      `| ${v.label} | ${median(plain).toFixed(3)} | ${median(tailed).toFixed(3)} | ${(median(tailed) / median(plain)).toFixed(2)} | ${median(ratios).toFixed(2)} | ${(median(tailedCpu) / median(plainCpu)).toFixed(2)} | ${delivered} | ${capCell} | ${topCell} | ${timesMax} |`,
    );
  }
  console.log(
    `\nload average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

await main();
