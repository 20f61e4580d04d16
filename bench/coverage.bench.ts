/**
 * Coverage benchmark (issue 5): fit Adult (seeded 16,281-row subset of adult_train.csv), then
 *  - a plan race × sex × income with min_per_cell 500: per-cell real count / delivered, time vs
 *    unconstrained generation of the same total rows (target ≤ 2×), rule violations, weighted
 *    univariate marginal TVD vs unconstrained output (target ≤ 0.01), effective sample size;
 *  - the tail scenario capital_gain > quantile(capital_gain, 0.999), share 0.05, with and without
 *    extrapolation (delivered share; rows beyond the real maximum).
 *  - issue 13.8: per numeric column, a quantile() tail and an extrapolating tail against the same
 *    run without tails (median seconds of COV_REPS runs, target ≤ 2×), the quantile's own cost, the
 *    extrapolation cap against the real maximum, and the largest value drawn.
 * Run: node --import tsx bench/coverage.bench.ts. Skips cleanly without the data.
 */
import { existsSync } from 'node:fs';
import { StrataError } from '../src/errors.js';
import { compileExpression, truthy } from '../src/expr/index.js';
import { fitTable } from '../src/fit/fit.js';
import { type RawTable, readTable } from '../src/io/index.js';
import { shuffleInPlace } from '../src/random/shuffle.js';
import { streamFor } from '../src/random/stream.js';
import { generateRows } from '../src/sample/index.js';
import type { Spec } from '../src/spec/schema.js';

const DATA = '/work/shared/data/uci-adult/adult_train.csv';
const ROWS = 16_281;

function shuffled(n: number, seed: number): number[] {
  const s = streamFor(seed, 'bench-split');
  const idx = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(idx, s);
  return idx;
}

type Rows = { columns: string[]; data: unknown[][]; rows: number };

/** Univariate TVD per column: categorical by value, numeric by 10 quantile bins of the reference (as evaluate does). */
function tvd(ref: Rows, out: Rows, weights: number[] | undefined, column: string): number {
  const a = ref.data[ref.columns.indexOf(column)];
  const b = out.data[out.columns.indexOf(column)];
  const numeric = a.every((v) => v === null || typeof v === 'number');
  let key: (v: unknown) => string;
  if (numeric) {
    const xs = (a.filter((v) => typeof v === 'number') as number[]).sort((x, y) => x - y);
    const cuts = [
      ...new Set(Array.from({ length: 9 }, (_, k) => xs[Math.floor(((k + 1) * xs.length) / 10)])),
    ];
    key = (v) => {
      if (typeof v !== 'number') return 'NA';
      let k = 0;
      while (k < cuts.length && v >= cuts[k]) k++;
      return String(k);
    };
  } else key = (v) => (v === null ? 'NA' : String(v));
  const pa = new Map<string, number>();
  const pb = new Map<string, number>();
  for (const v of a) pa.set(key(v), (pa.get(key(v)) ?? 0) + 1 / a.length);
  let sw = 0;
  for (let i = 0; i < b.length; i++) sw += weights ? weights[i] : 1;
  for (let i = 0; i < b.length; i++)
    pb.set(key(b[i]), (pb.get(key(b[i])) ?? 0) + (weights ? weights[i] : 1) / sw);
  let t = 0;
  for (const k of new Set([...pa.keys(), ...pb.keys()])) t += Math.abs((pa.get(k) ?? 0) - (pb.get(k) ?? 0));
  return t / 2;
}

function violations(spec: Spec, table: string, out: Rows): number {
  const rules = spec.tables[table].rules ?? [];
  const idx = new Map(out.columns.map((c, i) => [c, i] as [string, number]));
  let bad = 0;
  for (const r of rules) {
    const c = compileExpression(r.check, { columns: idx });
    const row: unknown[] = new Array(out.columns.length);
    for (let i = 0; i < out.rows; i++) {
      for (let k = 0; k < row.length; k++) row[k] = out.data[k][i];
      if (!truthy(c.evaluate(row as never))) bad++;
    }
  }
  return bad;
}

async function main() {
  if (!existsSync(DATA)) {
    console.log(`skipped: ${DATA} is absent`);
    return;
  }
  const train = await readTable(DATA);
  const idx = shuffled(train.rowCount, 42).slice(0, ROWS);
  const sub: RawTable = { ...train, rowCount: idx.length, data: train.data.map((c) => idx.map((i) => c[i])) };
  const t0 = performance.now();
  const fit = fitTable(sub, { target: 'income' });
  console.log(`fit: ${((performance.now() - t0) / 1000).toFixed(2)} s, table "${fit.table}"`);
  const table = fit.table;
  const base = fit.spec;

  // Real counts per cell.
  const col = (n: string) => sub.data[sub.columns.indexOf(n)];
  const real = new Map<string, number>();
  for (let i = 0; i < sub.rowCount; i++) {
    const k = `race=${col('race')[i]}|sex=${col('sex')[i]}|income=${col('income')[i]}`;
    real.set(k, (real.get(k) ?? 0) + 1);
  }

  const planned: Spec = {
    ...base,
    coverage: { [table]: { axes: ['race', 'sex', 'income'], min_per_cell: 500 } },
  };
  // Warm-up (JIT, Faker tables) so the timings compare like with like.
  await generateRows({ spec: base, rows: 2000, seed: 1 });
  await generateRows({ spec: planned, rows: 12_000, seed: 1 });

  const tc = performance.now();
  const cov = await generateRows({ spec: planned, rows: ROWS, seed: 7 });
  const covSec = (performance.now() - tc) / 1000;
  const tu = performance.now();
  const unc = await generateRows({ spec: base, rows: cov.rows, seed: 8 });
  const uncSec = (performance.now() - tu) / 1000;
  const summary = cov.coverage!;

  console.log('\nplan race × sex × income, min_per_cell 500');
  console.log('cell'.padEnd(58), 'real'.padStart(6), 'P(cell)'.padStart(10), 'delivered'.padStart(10));
  let minDelivered = Number.POSITIVE_INFINITY;
  let under30 = 0;
  for (const c of summary.components) {
    const r = real.get(c.key) ?? 0;
    if (r < 30) under30++;
    minDelivered = Math.min(minDelivered, c.delivered);
    console.log(
      c.key.padEnd(58),
      String(r).padStart(6),
      c.probability.toExponential(2).padStart(10),
      String(c.delivered).padStart(10),
    );
  }
  const weights = cov.data[cov.columns.indexOf('_weight')] as number[];
  const modelCols = unc.columns;
  const tvds = modelCols.map((c) => ({ c, t: tvd(unc, cov, weights, c) }));
  const worst = tvds.reduce((m, x) => (x.t > m.t ? x : m));
  // Noise floor: two unconstrained runs of the same size.
  const unc2 = await generateRows({ spec: base, rows: cov.rows, seed: 9 });
  const floor = Math.max(...modelCols.map((c) => tvd(unc, unc2, undefined, c)));
  console.log(
    `\ncells: ${summary.components.length} (${under30} with < 30 real rows); smallest delivered: ${minDelivered} (target ≥ 500)`,
  );
  console.log(
    `time: coverage ${covSec.toFixed(3)} s vs unconstrained ${uncSec.toFixed(3)} s for ${cov.rows} rows → ratio ${(covSec / uncSec).toFixed(2)}× (target ≤ 2×)`,
  );
  console.log(`rule violations: ${violations(planned, table, cov)}`);
  console.log(
    `weighted univariate TVD vs unconstrained: max ${worst.t.toFixed(4)} (${worst.c}), mean ${(tvds.reduce((s, x) => s + x.t, 0) / tvds.length).toFixed(4)} (target ≤ 0.01; two unconstrained runs differ by up to ${floor.toFixed(4)})`,
  );
  console.log(
    `effective sample size: ${summary.effectiveSampleSize.toFixed(0)} of ${cov.rows} rows (mean weight ${summary.weightMean.toFixed(4)})`,
  );

  // The same plan at 10× the rows: the quota share shrinks, the ESS grows, and the weighted
  // marginals converge to the unconstrained ones (the TVD above is mostly sampling noise).
  const big = ROWS * 10;
  const covBig = await generateRows({ spec: planned, rows: big, seed: 17 });
  const uncBig = await generateRows({ spec: base, rows: big, seed: 18 });
  const wBig = covBig.data[covBig.columns.indexOf('_weight')] as number[];
  const tBig = modelCols.map((c) => ({ c, t: tvd(uncBig, covBig, wBig, c) }));
  const worstBig = tBig.reduce((m, x) => (x.t > m.t ? x : m));
  const uncBig2 = await generateRows({ spec: base, rows: big, seed: 19 });
  const floorBig = Math.max(...modelCols.map((c) => tvd(uncBig, uncBig2, undefined, c)));
  console.log(
    `at ${big} rows: weighted TVD max ${worstBig.t.toFixed(4)} (${worstBig.c}), ESS ${covBig.coverage!.effectiveSampleSize.toFixed(0)}; two unconstrained runs differ by up to ${floorBig.toFixed(4)}`,
  );

  await tailTimings(base, table, sub);

  // Tails.
  const maxGain = Math.max(...(col('capital_gain').map(Number).filter(Number.isFinite) as number[]));
  for (const extrapolate of [false, true]) {
    const spec: Spec = {
      ...base,
      tails: [
        {
          name: 'gain',
          table,
          when: 'capital_gain > quantile(capital_gain, 0.999)',
          share: 0.05,
          extrapolate,
        },
      ],
    };
    try {
      const r = await generateRows({ spec, rows: ROWS, seed: 5 });
      const comp = r.coverage!.components[0];
      const g = r.data[r.columns.indexOf('capital_gain')] as number[];
      const flags = r.data[r.columns.indexOf('_extrapolated')] as boolean[];
      const beyond = g.filter((v) => v > maxGain).length;
      console.log(
        `\ntail extrapolate=${extrapolate}: delivered ${comp.delivered} rows in region (${((100 * comp.delivered) / r.rows).toFixed(2)}%, target 5% ± 0.5%), ${beyond} beyond the real max ${maxGain}, ${flags.filter(Boolean).length} marked _extrapolated; P_ext(region) ${comp.probability.toExponential(2)}`,
      );
    } catch (e) {
      if (!(e instanceof StrataError)) throw e;
      console.log(
        `\ntail extrapolate=${extrapolate}: ${e.code}: ${e.message.split('\n').join(' ')} — ${e.hint}`,
      );
    }
  }
}

/** Issue 13.8: tails on the fitted model cost about what the run without them costs. */
async function tailTimings(base: Spec, table: string, sub: RawTable) {
  const reps = Number(process.env.COV_REPS ?? 3);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const time = async (spec: Spec) => {
    const t0 = performance.now();
    const r = await generateRows({ spec, rows: ROWS, seed: 5 });
    return { s: (performance.now() - t0) / 1000, r };
  };
  const numeric = ['capital_gain', 'capital_loss', 'hours_per_week', 'age', 'fnlwgt'].filter((c) =>
    sub.columns.includes(c),
  );
  console.log(`\n## tails on the Adult-fitted model (issue 13.8), ${ROWS} rows, median of ${reps}\n`);
  console.log(
    '| column | tail | no tails s | with tail s | ratio | threshold | real max | cap | largest drawn | × real max |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const column of numeric) {
    const realMax = Math.max(
      ...(sub.data[sub.columns.indexOf(column)].map(Number).filter(Number.isFinite) as number[]),
    );
    const variants = [
      { name: 'quantile(0.99)', tail: { when: `${column} > quantile(${column}, 0.99)`, extrapolate: false } },
      { name: 'extrapolate', tail: { when: `${column} > quantile(${column}, 0.999)`, extrapolate: true } },
    ];
    for (const v of variants) {
      const spec: Spec = { ...base, tails: [{ name: 'top', table, share: 0.01, ...v.tail }] };
      const plain: number[] = [];
      const tailed: number[] = [];
      let last: Awaited<ReturnType<typeof time>>['r'] | undefined;
      let failure: string | undefined;
      for (let k = 0; k < reps; k++) {
        plain.push((await time(base)).s);
        try {
          const t = await time(spec);
          tailed.push(t.s);
          last = t.r;
        } catch (e) {
          if (!(e instanceof StrataError)) throw e;
          failure = `${e.code}: ${e.message.split('\n').join(' ').slice(0, 120)}`;
          break;
        }
      }
      if (!last) {
        console.log(
          `| ${column} | ${v.name} | ${median(plain).toFixed(2)} | — | — | ${failure} | ${realMax} | | | |`,
        );
        continue;
      }
      const comp = last.coverage!.components[0];
      const xs = last.data[last.columns.indexOf(column)] as number[];
      const top = Math.max(...xs.filter((x) => typeof x === 'number'));
      const ratio = median(tailed) / median(plain);
      console.log(
        `| ${column} | ${v.name} | ${median(plain).toFixed(2)} | ${median(tailed).toFixed(2)} | ${ratio.toFixed(2)} | ${comp.region!.lo} | ${realMax} | ${comp.cap ?? '—'} | ${top} | ${(top / realMax).toFixed(2)} |`,
      );
    }
  }
}

await main();
