/**
 * Utility: train-synthetic-test-real (TSTR) vs train-real-test-real (TRTR) for a categorical
 * target with the same GBDT settings, tested on the holdout (or, without one, on a seeded 30% split of
 * the real data that is then excluded from real training). Augmentation: real + synthetic vs real
 * alone, with the change in recall of rare classes (< 20% of real rows) and in the confusion matrix.
 * Intervals: bootstrap over test rows of the fixed predictions (models are not refitted).
 */
import {
  accuracy,
  argmaxRows,
  confusionMatrix,
  macroF1,
  multiclassAuc,
  perClassRecall,
  rocAuc,
  sampleIndices,
  type TypedTable,
  toFeatures,
  trainGbdt,
} from '../ml/index.js';
import { nameMap } from '../names.js';
import { streamFor } from '../random/stream.js';
import { metricFrom } from './bootstrap.js';
import { defineSection, type Outcome, ok, type SectionContext, skip, type UtilityModels } from './section.js';
import { concatTables, takeTableRows } from './table-utils.js';
import type { ClassifierScores, UtilitySection } from './types.js';

export interface UtilityOptions {
  seed: number;
  reps: number;
  level: number;
  rounds?: number;
}

/** The section, and the test rows and predictions the bias section's equalized-odds gaps read. */
export interface UtilityResult extends UtilityModels {
  section: UtilitySection;
}

/** Rows with a target value and their class codes (the target's kind was checked by the caller). */
function labelled(t: TypedTable, target: string): { table: TypedTable; y: Int32Array } {
  const col = t.columns.find((c) => c.name === target);
  if (col?.kind !== 'categorical') throw new Error(`internal: target "${target}" is not categorical`);
  const keep: number[] = [];
  for (let i = 0; i < t.rowCount; i++) if (col.codes[i] >= 0) keep.push(i);
  const table = keep.length === t.rowCount ? t : takeTableRows(t, keep);
  const c2 = table.columns.find((c) => c.name === target);
  if (c2?.kind !== 'categorical') throw new Error('internal: target column lost its kind');
  return { table, y: Int32Array.from(c2.codes) };
}

function auc(proba: Float64Array, y: Int32Array, k: number): number {
  if (k === 2) {
    const s = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) s[i] = proba[i * 2 + 1];
    return rocAuc(s, y);
  }
  return multiclassAuc(proba, y, k);
}

function scores(
  proba: Float64Array,
  y: Int32Array,
  k: number,
  classes: string[],
  opts: UtilityOptions,
  name: string,
): ClassifierScores & { pred: Int32Array } {
  const pred = argmaxRows(proba, k);
  const n = y.length;
  const st = streamFor(opts.seed, 'evaluate', 'utility', name);
  const reps = Math.min(opts.reps, 100);
  const ra = new Float64Array(reps);
  const rc = new Float64Array(reps);
  const rf = new Float64Array(reps);
  const yb = new Int32Array(n);
  const pb = new Int32Array(n);
  const probB = new Float64Array(n * k);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < n; i++) {
      const j = st.nextInt(n);
      yb[i] = y[j];
      pb[i] = pred[j];
      for (let c = 0; c < k; c++) probB[i * k + c] = proba[j * k + c];
    }
    ra[r] = auc(probB, yb, k);
    rc[r] = accuracy(yb, pb);
    rf[r] = macroF1(yb, pb, k);
  }
  const recall = perClassRecall(y, pred, k);
  const per: Record<string, number | null> = nameMap();
  classes.forEach((c, i) => {
    per[c] = Number.isFinite(recall[i]) ? recall[i] : null;
  });
  return {
    auc: metricFrom(auc(proba, y, k), ra, 'AUC undefined: the test set has a single class', opts.level),
    accuracy: metricFrom(accuracy(y, pred), rc, 'empty test set', opts.level),
    macro_f1: metricFrom(macroF1(y, pred, k), rf, 'empty test set', opts.level),
    per_class_recall: per,
    confusion: confusionMatrix(y, pred, k),
    pred,
  };
}

/** Utility, or why it does not apply (numeric target, too few labelled rows, a single class). */
export function computeUtility(
  real: TypedTable,
  syn: TypedTable,
  holdout: TypedTable | undefined,
  target: string,
  opts: UtilityOptions,
): Outcome<UtilityResult> {
  const tcol = real.columns.find((c) => c.name === target);
  if (!tcol) return skip(`target "${target}" is an ID or free-text column`);
  if (tcol.kind !== 'categorical')
    return skip(`target "${target}" is numeric; only classification targets are supported`);
  const classes = tcol.levels;
  const k = Math.max(2, classes.length);
  let trainReal: TypedTable;
  let testT: TypedTable;
  let testSet: UtilitySection['test_set'];
  if (holdout) {
    trainReal = real;
    testT = holdout;
    testSet = 'holdout';
  } else {
    const nTest = Math.floor(real.rowCount * 0.3);
    const testIdx = sampleIndices(real.rowCount, nTest, opts.seed ^ 0x7e57);
    const inTest = new Uint8Array(real.rowCount);
    for (const i of testIdx) inTest[i] = 1;
    const trainIdx: number[] = [];
    for (let i = 0; i < real.rowCount; i++) if (!inTest[i]) trainIdx.push(i);
    trainReal = takeTableRows(real, trainIdx);
    testT = takeTableRows(real, testIdx);
    testSet = 'real split (30%)';
  }
  const R = labelled(trainReal, target);
  const S = labelled(syn, target);
  const T = labelled(testT, target);
  if (R.table.rowCount < 20)
    return skip(`needs at least 20 labelled real training rows (has ${R.table.rowCount})`);
  if (T.table.rowCount < 10) return skip(`needs at least 10 labelled test rows (has ${T.table.rowCount})`);
  if (S.table.rowCount < 20)
    return skip(`needs at least 20 labelled synthetic rows (has ${S.table.rowCount})`);
  if (new Set(R.y).size < 2) return skip(`target "${target}" has a single class in the real data`);
  const gbdt = { rounds: opts.rounds ?? 60, maxDepth: 6, learningRate: 0.1, seed: opts.seed };
  const Xr = toFeatures(R.table, [target]);
  const Xs = toFeatures(S.table, [target]);
  const Xt = toFeatures(T.table, [target]);
  const A = concatTables(R.table, S.table);
  const Xa = toFeatures(A, [target]);
  const ya = new Int32Array(R.y.length + S.y.length);
  ya.set(R.y, 0);
  ya.set(S.y, R.y.length);
  const trtr = scores(trainGbdt(Xr, R.y, k, gbdt).predictProba(Xt), T.y, k, classes, opts, 'trtr');
  const tstr = scores(trainGbdt(Xs, S.y, k, gbdt).predictProba(Xt), T.y, k, classes, opts, 'tstr');
  const aug = scores(trainGbdt(Xa, ya, k, gbdt).predictProba(Xt), T.y, k, classes, opts, 'augmented');

  const counts = new Array<number>(classes.length).fill(0);
  for (const c of R.y) counts[c]++;
  const rare = classes.filter((_, i) => counts[i] > 0 && counts[i] / R.y.length < 0.2);
  const rareChange: Record<string, number | null> = nameMap();
  for (const c of rare) {
    const a = aug.per_class_recall[c];
    const b = trtr.per_class_recall[c];
    rareChange[c] = a !== null && b !== null ? a - b : null;
  }
  const confusionChange = aug.confusion.map((row, i) => row.map((v, j) => v - trtr.confusion[i][j]));
  const strip = ({ pred: _p, ...rest }: ClassifierScores & { pred: Int32Array }): ClassifierScores => rest;
  return ok({
    section: {
      target,
      classes,
      test_set: testSet,
      test_rows: T.table.rowCount,
      tstr: strip(tstr),
      trtr: strip(trtr),
      augmented: strip(aug),
      rare_classes: rare,
      rare_recall_change: rareChange,
      confusion_change: confusionChange,
    },
    test: T.table,
    yTest: T.y,
    predTstr: tstr.pred,
    predTrtr: trtr.pred,
  });
}

export const utilitySection = defineSection({
  name: 'utility',
  order: 60,
  title: 'utility: train on synthetic, test on real',
  empty: null as UtilitySection | null,
  summary: {
    tstr_auc: { label: 'AUC trained on synthetic, tested on real (TSTR)', read: (u) => u.section.tstr.auc },
    trtr_auc: {
      label: 'AUC trained on real, tested on real (TRTR, the reference)',
      read: (u) => u.section.trtr.auc,
    },
  },
  run(ctx: SectionContext) {
    if (!ctx.target) return skip('needs --target (the column to predict)');
    const u = computeUtility(ctx.real, ctx.synthetic, ctx.holdout, ctx.target, ctx.opts);
    if (u.status === 'ok') ctx.shared.utility = u.value;
    return u;
  },
  output: (u) => u.section,
});
