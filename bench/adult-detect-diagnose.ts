/**
 * Where the evaluator's detection classifier wins on a fitted model (issue 15): fit Adult as
 * bench/fit.bench.ts does (seeded 16,281-row subset, seed 1, target income), draw generation seeds,
 * and print for each column
 *   - drop: detection AUC with the column left out of both tables (how much it gives away, with
 *     its interactions);
 *   - redraw: detection AUC with the synthetic column redrawn from the *real* conditional law
 *     given every other column (a CART leaf of ≥ 20 training rows, bench/baselines/cart.ts): what
 *     detection would be if that one column were right given the rest;
 * and a real-vs-real reference (the holdout against train) for both.
 * Value-level checks: distinct values, share of values never seen in the training rows, and the
 * largest point masses of each numeric column, synthetic beside real.
 * Run: npx tsx bench/adult-detect-diagnose.ts [seeds=7] [columns=all]. Not part of `npm test`.
 * Env: DIAG_YAML=file writes the fitted model there; DIAG_MODEL=file reads it instead of fitting.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../src/evaluate/index.js';
import { fitTable } from '../src/fit/fit.js';
import { type RawTable, readTable } from '../src/io/index.js';
import { shuffleInPlace } from '../src/random/shuffle.js';
import { streamFor } from '../src/random/stream.js';
import { generateRows } from '../src/sample/index.js';
import { parseSpecText } from '../src/spec/index.js';
import { cartRedrawColumn } from './baselines/cart.js';

const DATA = '/work/shared/data/uci-adult';
if (!existsSync(join(DATA, 'adult_train.csv'))) {
  console.log('no Adult data: skipped');
  process.exit(0);
}
const seeds = (process.argv[2] ?? '7').split(',').map(Number);
const only = process.argv[3]?.split(',');

const full = await readTable(join(DATA, 'adult_train.csv'));
const idx = Array.from({ length: full.rowCount }, (_, i) => i);
shuffleInPlace(idx, streamFor(42, 'bench-split'));
const pick = (t: RawTable, rows: number[]): RawTable => ({
  ...t,
  rowCount: rows.length,
  data: t.data.map((c) => rows.map((i) => c[i])),
});
const train = pick(full, idx.slice(0, 16_281));
const holdout = await readTable(join(DATA, 'adult_test.csv'));

const spec = process.env.DIAG_MODEL
  ? parseSpecText(readFileSync(process.env.DIAG_MODEL, 'utf8'), process.env.DIAG_MODEL).spec
  : (() => {
      const fit = fitTable(train, { target: 'income', seed: 1 });
      if (process.env.DIAG_YAML) writeFileSync(process.env.DIAG_YAML, fit.yaml);
      return fit.spec;
    })();

const detect = async (real: RawTable, syn: RawTable, drop?: string): Promise<number> => {
  const keep = real.columns.filter((c) => c !== drop);
  const proj = (t: RawTable): RawTable => ({
    ...t,
    columns: keep,
    data: keep.map((c) => t.data[t.columns.indexOf(c)]),
  });
  const r = await evaluate({
    real: proj(real),
    synthetic: proj(syn),
    bootstrapReps: 0,
    sections: {
      fidelity: false,
      mmd: false,
      bias: false,
      knnCoverage: false,
      rules: false,
      privacy: false,
      utility: false,
    },
  });
  return (r.summary as unknown as { detection_auc: number }).detection_auc;
};
const f3 = (x: number) => x.toFixed(3);
const cols = (only ?? train.columns).filter((c) => train.columns.includes(c));
const holdoutSame: RawTable = pick(
  holdout,
  Array.from({ length: train.rowCount }, (_, i) => i),
);

for (const seed of seeds) {
  const g = await generateRows({ spec, rows: train.rowCount, seed });
  const syn: RawTable = {
    ...train,
    name: 'synthetic',
    source: 'synthetic',
    columns: g.columns,
    data: train.columns.map((c) => g.data[g.columns.indexOf(c)].map((v) => (v === null ? null : String(v)))),
  };
  const base = await detect(train, syn);
  const ref = await detect(train, holdoutSame);
  console.log(`seed ${seed}: detection ${f3(base)} (holdout vs train ${f3(ref)})`);
  console.log('column | drop | redraw | real redraw (holdout) ');
  for (const c of cols) {
    const drop = await detect(train, syn, c);
    const red = await detect(train, cartRedrawColumn(train, syn, c, streamFor(seed, 'diag', c)));
    console.log(`${c} | ${f3(drop)} | ${f3(red)}`);
  }
  // value level
  for (const c of train.columns) {
    const num = (t: RawTable) =>
      t.data[t.columns.indexOf(c)].filter((v) => v !== null && v !== '').map(Number);
    const r = num(train);
    const s = num(syn);
    if (r.some((v) => Number.isNaN(v))) continue;
    const seen = new Set(r);
    const counts = (v: number[]) => {
      const m = new Map<number, number>();
      for (const x of v) m.set(x, (m.get(x) ?? 0) + 1);
      return m;
    };
    const rc = counts(r);
    const sc = counts(s);
    const top = [...rc.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
    const unseen = s.filter((v) => !seen.has(v)).length / s.length;
    const repeats = (m: Map<number, number>, n: number) =>
      [...m.values()].filter((k) => k >= 2).reduce((a, k) => a + k, 0) / n;
    console.log(
      `${c}: distinct real ${rc.size} syn ${sc.size}; syn unseen ${f3(unseen)}; rows on a repeated value real ${f3(repeats(rc, r.length))} syn ${f3(repeats(sc, s.length))}; top ${top
        .map(([v, k]) => `${v}: ${f3(k / r.length)}/${f3((sc.get(v) ?? 0) / s.length)}`)
        .join(', ')}`,
    );
  }
}
