/** Classification metrics over typed arrays. */

/**
 * Area under the ROC curve by ranks (Mann–Whitney U), ties given their average rank.
 * NaN when one class is absent.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let rankSumPos = 0;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && scores[order[j]] === scores[order[i]]) j++;
    const avgRank = (i + 1 + j) / 2; // ranks i+1..j
    for (let t = i; t < j; t++) {
      if (labels[order[t]] === 1) {
        pos++;
        rankSumPos += avgRank;
      }
    }
    i = j;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Macro average of one-vs-rest AUCs over classes present (and not alone) in y. */
export function multiclassAuc(proba: Float64Array, y: Int32Array, nClasses: number): number {
  const n = y.length;
  const scores = new Float64Array(n);
  const labels = new Uint8Array(n);
  let sum = 0;
  let count = 0;
  for (let c = 0; c < nClasses; c++) {
    for (let i = 0; i < n; i++) {
      scores[i] = proba[i * nClasses + c];
      labels[i] = y[i] === c ? 1 : 0;
    }
    const auc = rocAuc(scores, labels);
    if (!Number.isNaN(auc)) {
      sum += auc;
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/** m[true][pred] counts. */
export function confusionMatrix(yTrue: Int32Array, yPred: Int32Array, nClasses: number): number[][] {
  const m: number[][] = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

export function accuracy(yTrue: Int32Array, yPred: Int32Array): number {
  if (yTrue.length === 0) return Number.NaN;
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** Recall per class; NaN for classes absent from yTrue. */
export function perClassRecall(yTrue: Int32Array, yPred: Int32Array, nClasses: number): number[] {
  const m = confusionMatrix(yTrue, yPred, nClasses);
  return m.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? Number.NaN : row[c] / total;
  });
}

/**
 * Unweighted mean of per-class F1 over classes that occur in yTrue or yPred
 * (a class never seen nor predicted has no defined F1 and is skipped, as in scikit-learn's labels=present).
 */
export function macroF1(yTrue: Int32Array, yPred: Int32Array, nClasses: number): number {
  const m = confusionMatrix(yTrue, yPred, nClasses);
  let sum = 0;
  let count = 0;
  for (let c = 0; c < nClasses; c++) {
    const tp = m[c][c];
    let actual = 0;
    let predicted = 0;
    for (let k = 0; k < nClasses; k++) {
      actual += m[c][k];
      predicted += m[k][c];
    }
    if (actual === 0 && predicted === 0) continue;
    sum += (2 * tp) / (actual + predicted);
    count++;
  }
  return count === 0 ? Number.NaN : sum / count;
}

/** Index of the largest value in each row (first one on ties). */
export function argmaxRows(proba: Float64Array, nClasses: number): Int32Array {
  const n = Math.floor(proba.length / nClasses);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bv = proba[i * nClasses];
    for (let c = 1; c < nClasses; c++) {
      const v = proba[i * nClasses + c];
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}
