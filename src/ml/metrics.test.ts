import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  argmaxRows,
  confusionMatrix,
  macroF1,
  multiclassAuc,
  perClassRecall,
  rocAuc,
} from './metrics.js';

/** P(score_pos > score_neg) + ½ P(tie), by counting every pair. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      if (scores[i] > scores[j]) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

describe('rocAuc', () => {
  it('equals the pairwise count, ties included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1 })), {
          minLength: 2,
          maxLength: 60,
        }),
        (rows) => {
          const scores = rows.map((r) => r[0] / 5);
          const labels = rows.map((r) => r[1]);
          const pos = labels.filter((l) => l === 1).length;
          if (pos === 0 || pos === labels.length) return Number.isNaN(rocAuc(scores, labels));
          return Math.abs(rocAuc(scores, labels) - pairwiseAuc(scores, labels)) < 1e-12;
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 for all ties', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5], [0, 1, 1])).toBe(0.5);
  });
});

describe('classification metrics', () => {
  const yTrue = Int32Array.of(0, 0, 0, 1, 1, 2);
  const yPred = Int32Array.of(0, 0, 1, 1, 2, 2);

  it('confusion matrix, accuracy, recall and macro F1 match hand computation', () => {
    expect(confusionMatrix(yTrue, yPred, 3)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(accuracy(yTrue, yPred)).toBeCloseTo(4 / 6, 15);
    expect(perClassRecall(yTrue, yPred, 3)).toEqual([2 / 3, 1 / 2, 1]);
    // F1: class 0: 2·2/(3+2)=0.8; class 1: 2·1/(2+2)=0.5; class 2: 2·1/(1+2)=2/3
    expect(macroF1(yTrue, yPred, 3)).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 15);
  });

  it('gives NaN recall for a class absent from yTrue', () => {
    const r = perClassRecall(Int32Array.of(0, 0), Int32Array.of(0, 1), 3);
    expect(r[0]).toBe(0.5);
    expect(r[1]).toBeNaN();
    expect(r[2]).toBeNaN();
  });

  it('argmaxRows picks the first maximum', () => {
    expect(Array.from(argmaxRows(Float64Array.of(0.2, 0.5, 0.3, 0.4, 0.4, 0.2), 3))).toEqual([1, 0]);
  });

  it('multiclassAuc averages one-vs-rest AUCs', () => {
    // Perfect scores for class 0 and 1; class 2 scored in reverse.
    const proba = Float64Array.of(0.9, 0.1, 0.0, 0.1, 0.9, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.9);
    const y = Int32Array.of(0, 1, 2, 0);
    // class 0: pos rows 0,3 scores .9,0 vs neg .1,.5 → pairs: .9>.1,.9>.5, 0<.1, 0<.5 → 0.5
    // class 1: pos row1 .9 vs .1,0,0 → 1; class 2: pos row2 0 vs 0,0,.9 → (0.5+0.5+0)/3
    expect(multiclassAuc(proba, y, 3)).toBeCloseTo((0.5 + 1 + 1 / 3) / 3, 12);
  });
});
