/**
 * Paired comparison of two classifiers' predictions on the same test rows (real-only vs real +
 * synthetic): per-class recall and its change, mean recall over the rare classes and its change,
 * macro-F1 and accuracy and their changes, each with a percentile bootstrap CI, and the change of
 * the confusion matrix. The bootstrap resamples test rows within each true class (stratified), so
 * every rare class keeps its test count in every replicate and its recall is always defined; both
 * predictions are scored on the same replicate (paired).
 */
import { streamFor } from '../../random/stream.js';
import type { Figure } from '../downstream.js';

export interface ClassChange {
  label: string;
  rare: boolean;
  test: number;
  recall_real_only: Figure;
  recall_augmented: Figure;
  recall_change: Figure;
}

export interface Comparison {
  classes: ClassChange[];
  rare_recall_real_only: Figure;
  rare_recall_augmented: Figure;
  rare_recall_delta: Figure;
  /** Rare classes whose recall rose / whose change CI lies above 0 / with test rows. */
  rare_improved: number;
  rare_significant: number;
  rare_with_test: number;
  macro_f1_real_only: Figure;
  macro_f1_augmented: Figure;
  macro_f1_delta: Figure;
  accuracy_real_only: Figure;
  accuracy_augmented: Figure;
  /** Confusion counts (rows true, columns predicted) augmented − real-only, over `labels`. */
  confusion_delta: number[][];
}

export interface CompareOptions {
  reps?: number;
  seed?: number;
  level?: number;
}

function percentile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

interface Stats {
  recallA: Float64Array;
  recallB: Float64Array;
  f1A: number;
  f1B: number;
  accA: number;
  accB: number;
}

/** Scores of both predictions on the rows `idx` (with repeats). */
function score(
  y: Int32Array,
  a: Int32Array,
  b: Int32Array,
  K: number,
  idx: ArrayLike<number>,
  s: Stats,
): void {
  const tpA = new Float64Array(K);
  const tpB = new Float64Array(K);
  const nTrue = new Float64Array(K);
  const nPredA = new Float64Array(K);
  const nPredB = new Float64Array(K);
  let okA = 0;
  let okB = 0;
  for (let q = 0; q < idx.length; q++) {
    const i = idx[q];
    const t = y[i];
    nTrue[t]++;
    nPredA[a[i]]++;
    nPredB[b[i]]++;
    if (a[i] === t) {
      tpA[t]++;
      okA++;
    }
    if (b[i] === t) {
      tpB[t]++;
      okB++;
    }
  }
  let fa = 0;
  let fb = 0;
  let na = 0;
  let nb = 0;
  for (let c = 0; c < K; c++) {
    s.recallA[c] = nTrue[c] ? tpA[c] / nTrue[c] : Number.NaN;
    s.recallB[c] = nTrue[c] ? tpB[c] / nTrue[c] : Number.NaN;
    if (nTrue[c] + nPredA[c] > 0) {
      fa += (2 * tpA[c]) / (nTrue[c] + nPredA[c]);
      na++;
    }
    if (nTrue[c] + nPredB[c] > 0) {
      fb += (2 * tpB[c]) / (nTrue[c] + nPredB[c]);
      nb++;
    }
  }
  s.f1A = na ? fa / na : Number.NaN;
  s.f1B = nb ? fb / nb : Number.NaN;
  s.accA = idx.length ? okA / idx.length : Number.NaN;
  s.accB = idx.length ? okB / idx.length : Number.NaN;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((p, q) => p + q, 0) / xs.length : Number.NaN);

/** Compare predictions `a` (real-only) and `b` (augmented) of the test labels `y` (codes into `labels`). */
export function comparePredictions(
  y: Int32Array,
  a: Int32Array,
  b: Int32Array,
  labels: readonly string[],
  rare: ReadonlySet<string>,
  opts: CompareOptions = {},
): Comparison {
  const K = labels.length;
  const n = y.length;
  const reps = opts.reps ?? 1000;
  const alpha = (1 - (opts.level ?? 0.95)) / 2;
  const byClass: number[][] = Array.from({ length: K }, () => []);
  for (let i = 0; i < n; i++) byClass[y[i]].push(i);
  const rareCodes = labels.flatMap((l, c) => (rare.has(l) && byClass[c].length ? [c] : []));
  const mk = (): Stats => ({
    recallA: new Float64Array(K),
    recallB: new Float64Array(K),
    f1A: 0,
    f1B: 0,
    accA: 0,
    accB: 0,
  });
  const full = mk();
  const all = Int32Array.from({ length: n }, (_, i) => i);
  score(y, a, b, K, all, full);
  const rareMean = (r: Float64Array) => mean(rareCodes.map((c) => r[c]));
  // replicate statistics: per class recall A, B, change; rare means; F1; accuracy
  const recA = Array.from({ length: K }, () => new Float64Array(reps));
  const recB = Array.from({ length: K }, () => new Float64Array(reps));
  const recD = Array.from({ length: K }, () => new Float64Array(reps));
  const rareA = new Float64Array(reps);
  const rareB = new Float64Array(reps);
  const rareD = new Float64Array(reps);
  const f1A = new Float64Array(reps);
  const f1B = new Float64Array(reps);
  const f1D = new Float64Array(reps);
  const accA = new Float64Array(reps);
  const accB = new Float64Array(reps);
  const st = streamFor(opts.seed ?? 1, 'text', 'prove', 'bootstrap');
  const idx = new Int32Array(n);
  const s = mk();
  for (let r = 0; r < reps; r++) {
    let p = 0;
    for (let c = 0; c < K; c++) {
      const rows = byClass[c];
      for (let k = 0; k < rows.length; k++) idx[p++] = rows[st.nextInt(rows.length)];
    }
    score(y, a, b, K, idx, s);
    for (let c = 0; c < K; c++) {
      recA[c][r] = s.recallA[c];
      recB[c][r] = s.recallB[c];
      recD[c][r] = s.recallB[c] - s.recallA[c];
    }
    rareA[r] = rareMean(s.recallA);
    rareB[r] = rareMean(s.recallB);
    rareD[r] = rareB[r] - rareA[r];
    f1A[r] = s.f1A;
    f1B[r] = s.f1B;
    f1D[r] = s.f1B - s.f1A;
    accA[r] = s.accA;
    accB[r] = s.accB;
  }
  const fig = (estimate: number, reps_: Float64Array, reason = 'no test rows'): Figure => {
    if (Number.isNaN(estimate)) return { value: null, reason };
    const sorted = Float64Array.from(reps_).sort();
    return { value: estimate, ci: [percentile(sorted, alpha), percentile(sorted, 1 - alpha)] };
  };
  const classes: ClassChange[] = labels.map((label, c) => ({
    label,
    rare: rare.has(label),
    test: byClass[c].length,
    recall_real_only: fig(full.recallA[c], recA[c]),
    recall_augmented: fig(full.recallB[c], recB[c]),
    recall_change: fig(full.recallB[c] - full.recallA[c], recD[c]),
  }));
  const confusion: number[][] = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < n; i++) {
    confusion[y[i]][b[i]]++;
    confusion[y[i]][a[i]]--;
  }
  const rareClasses = classes.filter((c) => c.rare && c.test > 0);
  const noRare = 'no rare class has test rows';
  return {
    classes,
    rare_recall_real_only: fig(rareMean(full.recallA), rareA, noRare),
    rare_recall_augmented: fig(rareMean(full.recallB), rareB, noRare),
    rare_recall_delta: fig(rareMean(full.recallB) - rareMean(full.recallA), rareD, noRare),
    rare_improved: rareClasses.filter((c) => (c.recall_change.value ?? 0) > 0).length,
    rare_significant: rareClasses.filter((c) => (c.recall_change.ci?.[0] ?? 0) > 0).length,
    rare_with_test: rareClasses.length,
    macro_f1_real_only: fig(full.f1A, f1A),
    macro_f1_augmented: fig(full.f1B, f1B),
    macro_f1_delta: fig(full.f1B - full.f1A, f1D),
    accuracy_real_only: fig(full.accA, accA),
    accuracy_augmented: fig(full.accB, accB),
    confusion_delta: confusion,
  };
}
