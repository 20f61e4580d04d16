/**
 * Classifier two-sample test: can a gradient-boosted classifier tell real (0) from synthetic (1)?
 * Balanced by subsampling the larger side (and capping each side, default 25,000 rows), 3-fold
 * stratified cross-validation, AUC of the out-of-fold scores with a stratified bootstrap interval,
 * and the mean split-gain importances naming the columns that give synthetic data away.
 */
import {
  concatRows,
  rocAuc,
  sampleIndices,
  stratifiedFolds,
  type TypedTable,
  takeRows,
  toFeatures,
  trainGbdt,
} from '../ml/index.js';
import { streamFor } from '../random/stream.js';
import { metricFrom } from './bootstrap.js';
import { defineSection, ok, type SectionContext } from './section.js';
import type { DetectionSection } from './types.js';

export interface DetectionOptions {
  seed: number;
  reps: number;
  level: number;
  maxPerSide?: number;
  folds?: number;
  rounds?: number;
}

export function computeDetection(
  real: TypedTable,
  syn: TypedTable,
  opts: DetectionOptions,
): DetectionSection {
  const folds = opts.folds ?? 3;
  const m = Math.min(real.rowCount, syn.rowCount, opts.maxPerSide ?? 25_000);
  const empty = (reason: string): DetectionSection => ({
    auc: { value: null, reason },
    rows_per_side: m,
    folds,
    importances: [],
  });
  if (m < 10 * folds) return empty(`needs at least ${10 * folds} rows on each side (has ${m})`);
  if (real.columns.length === 0) return empty('no columns');
  const fr = toFeatures(real);
  const fs = toFeatures(syn);
  const xr = m < real.rowCount ? takeRows(fr, sampleIndices(real.rowCount, m, opts.seed ^ 0x0de7)) : fr;
  const xs = m < syn.rowCount ? takeRows(fs, sampleIndices(syn.rowCount, m, opts.seed ^ 0x0de8)) : fs;
  const X = concatRows(xr, xs);
  const n = 2 * m;
  const y = new Int32Array(n);
  y.fill(1, m);
  const fold = stratifiedFolds(y, folds, opts.seed);
  const oof = new Float64Array(n);
  const imp = new Float64Array(X.cols);
  for (let f = 0; f < folds; f++) {
    const tr: number[] = [];
    const te: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? te : tr).push(i);
    const ytr = Int32Array.from(tr, (i) => y[i]);
    const model = trainGbdt(takeRows(X, tr), ytr, 2, {
      rounds: opts.rounds ?? 60,
      maxDepth: 5,
      learningRate: 0.15,
      seed: opts.seed + f,
    });
    const p = model.predictProba(takeRows(X, te));
    te.forEach((i, k) => {
      oof[i] = p[k * 2 + 1];
    });
    const fi = model.featureImportance();
    for (let c = 0; c < X.cols; c++) imp[c] += fi[c] / folds;
  }
  const auc = rocAuc(oof, y);
  // stratified bootstrap of the out-of-fold scores
  const st = streamFor(opts.seed, 'evaluate', 'detection', 'bootstrap');
  const reps = new Float64Array(opts.reps);
  const s2 = new Float64Array(n);
  const y2 = new Int32Array(n);
  y2.fill(1, m);
  for (let r = 0; r < opts.reps; r++) {
    for (let i = 0; i < m; i++) {
      s2[i] = oof[st.nextInt(m)];
      s2[m + i] = oof[m + st.nextInt(m)];
    }
    reps[r] = rocAuc(s2, y2);
  }
  const importances = X.names
    .map((column, c) => ({ column, importance: imp[c] }))
    .filter((x) => x.importance > 0)
    .sort((a, b) => b.importance - a.importance)
    .slice(0, 10);
  return { auc: metricFrom(auc, reps, 'undefined AUC', opts.level), rows_per_side: m, folds, importances };
}

export const detectionSection = defineSection({
  name: 'detection',
  order: 30,
  title: 'detection: can a classifier tell synthetic from real?',
  empty: null as DetectionSection | null,
  summary: {
    detection_auc: {
      label: 'Detection AUC (0.5 = indistinguishable, 1 = always told apart)',
      read: (d) => d.auc,
    },
  },
  run: (ctx: SectionContext) => ok(computeDetection(ctx.real, ctx.synthetic, ctx.opts)),
  output: (d) => d,
});
