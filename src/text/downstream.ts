/**
 * The downstream test: does adding synthetic texts change what a simple classifier learns?
 * TF-IDF + multinomial logistic regression trained on real-only and on real + synthetic, both
 * evaluated on the same real test split; per-class recall (rare classes first) with percentile
 * bootstrap CIs over test rows, the paired recall change with its CI, and confusion-matrix change.
 */
import { argmaxRows, bootstrapCI, confusionMatrix, macroF1, trainLogistic } from '../ml/index.js';
import { fitTfidf } from './tfidf.js';

export interface LabelledText {
  text: string;
  label: string;
}

export interface Figure {
  value: number | null;
  ci?: [number, number];
  reason?: string;
}

export interface ClassRecall {
  label: string;
  train_real: number;
  train_synthetic: number;
  test: number;
  recall_real_only: Figure;
  recall_augmented: Figure;
  recall_change: Figure;
}

export interface DownstreamResult {
  classes: ClassRecall[];
  macro_f1_real_only: Figure;
  macro_f1_augmented: Figure;
  accuracy_real_only: Figure;
  accuracy_augmented: Figure;
  /** Off-diagonal confusion cells whose count changed most (true → predicted). */
  confusion_changes: { true: string; predicted: string; real_only: number; augmented: number }[];
  synthetic_used: number;
  synthetic_dropped_unknown_label: number;
}

export interface DownstreamOptions {
  seed?: number;
  /** 'balanced' weights classes inversely to their training frequency (both models). */
  classWeight?: 'balanced' | null;
  epochs?: number;
  reps?: number;
}

function fig(ci: { estimate: number; low: number; high: number }): Figure {
  if (Number.isNaN(ci.estimate)) return { value: null, reason: 'no test rows of this class' };
  return { value: ci.estimate, ci: [ci.low, ci.high] };
}

export function downstreamTest(
  realTrain: readonly LabelledText[],
  synthetic: readonly LabelledText[],
  test: readonly LabelledText[],
  opts: DownstreamOptions = {},
): DownstreamResult {
  const seed = opts.seed ?? 1;
  const labels = [...new Set(realTrain.map((r) => r.label))].sort();
  const code = new Map(labels.map((l, i) => [l, i]));
  const K = labels.length;
  const synth = synthetic.filter((s) => code.has(s.label));
  const testRows = test.filter((t) => code.has(t.label));
  const yTest = Int32Array.from(testRows.map((t) => code.get(t.label)!));
  const trainAndPredict = (train: readonly LabelledText[]) => {
    const tf = fitTfidf(train.map((t) => t.text));
    const X = tf.transform(train.map((t) => t.text));
    const y = Int32Array.from(train.map((t) => code.get(t.label)!));
    const model = trainLogistic(X, y, K, {
      seed,
      epochs: opts.epochs ?? 15,
      classWeight: opts.classWeight ?? null,
    });
    return argmaxRows(model.predictProba(tf.transform(testRows.map((t) => t.text))), K);
  };
  const predReal = trainAndPredict(realTrain);
  const predAug = trainAndPredict([...realTrain, ...synth]);
  const reps = opts.reps ?? 200;
  const recallOn = (pred: Int32Array, c: number) => (idx: Int32Array) => {
    let tp = 0;
    let n = 0;
    for (const i of idx)
      if (yTest[i] === c) {
        n++;
        if (pred[i] === c) tp++;
      }
    return n === 0 ? Number.NaN : tp / n;
  };
  const count = (rows: readonly LabelledText[]) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(r.label, (m.get(r.label) ?? 0) + 1);
    return m;
  };
  const cr = count(realTrain);
  const cs = count(synth);
  const ct = count(testRows);
  const nT = testRows.length;
  const classes: ClassRecall[] = labels.map((l, c) => {
    const r1 = recallOn(predReal, c);
    const r2 = recallOn(predAug, c);
    const bs = { reps, seed: seed + c };
    return {
      label: l,
      train_real: cr.get(l) ?? 0,
      train_synthetic: cs.get(l) ?? 0,
      test: ct.get(l) ?? 0,
      recall_real_only: fig(bootstrapCI(nT, r1, bs)),
      recall_augmented: fig(bootstrapCI(nT, r2, bs)),
      recall_change: fig(bootstrapCI(nT, (idx) => r2(idx) - r1(idx), bs)),
    };
  });
  classes.sort((a, b) => a.train_real - b.train_real || (a.label < b.label ? -1 : 1));
  const sub = (a: Int32Array, idx: Int32Array) => Int32Array.from(idx, (i) => a[i]);
  const f1 = (pred: Int32Array) => (idx: Int32Array) => macroF1(sub(yTest, idx), sub(pred, idx), K);
  const acc = (pred: Int32Array) => (idx: Int32Array) => {
    let ok = 0;
    for (const i of idx) if (pred[i] === yTest[i]) ok++;
    return idx.length ? ok / idx.length : Number.NaN;
  };
  const cmR = confusionMatrix(yTest, predReal, K);
  const cmA = confusionMatrix(yTest, predAug, K);
  const changes: DownstreamResult['confusion_changes'] = [];
  for (let i = 0; i < K; i++)
    for (let j = 0; j < K; j++)
      if (i !== j && cmR[i][j] !== cmA[i][j])
        changes.push({ true: labels[i], predicted: labels[j], real_only: cmR[i][j], augmented: cmA[i][j] });
  changes.sort(
    (a, b) =>
      Math.abs(b.augmented - b.real_only) - Math.abs(a.augmented - a.real_only) || (a.true < b.true ? -1 : 1),
  );
  const bsAll = { reps: Math.min(reps, 100), seed };
  return {
    classes,
    macro_f1_real_only: fig(bootstrapCI(nT, f1(predReal), bsAll)),
    macro_f1_augmented: fig(bootstrapCI(nT, f1(predAug), bsAll)),
    accuracy_real_only: fig(bootstrapCI(nT, acc(predReal), bsAll)),
    accuracy_augmented: fig(bootstrapCI(nT, acc(predAug), bsAll)),
    confusion_changes: changes.slice(0, 20),
    synthetic_used: synth.length,
    synthetic_dropped_unknown_label: synthetic.length - synth.length,
  };
}
