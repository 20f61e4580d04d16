import { describe, expect, it } from 'vitest';
import { sparseRows } from './logistic.js';
import { argmaxRows } from './metrics.js';
import { trainMultinomialNB } from './naive-bayes.js';

// 3 terms; class 0 uses terms 0/1, class 1 uses terms 1/2
const rows = [
  [3, 1, 0],
  [2, 1, 0],
  [4, 0, 0],
  [0, 1, 3],
  [0, 1, 2],
  [0, 0, 5],
];
const X = sparseRows(rows.length, 3, (i, j) => rows[i][j]);
const y = Int32Array.from([0, 0, 0, 1, 1, 1]);

describe('trainMultinomialNB', () => {
  it('matches the closed form (scikit-learn MultinomialNB, alpha 1)', () => {
    const m = trainMultinomialNB(X, y, 2, { alpha: 1 });
    // class 0 term counts 9,2,0 (total 11) → log((9+1)/(11+3)); class 1: 0,2,10 (total 12)
    expect(m.logLikelihood[0 * 2 + 0]).toBeCloseTo(Math.log(10 / 14), 12);
    expect(m.logLikelihood[2 * 2 + 1]).toBeCloseTo(Math.log(11 / 15), 12);
    expect(m.logPrior[0]).toBeCloseTo(Math.log(0.5), 12);
    expect(Array.from(argmaxRows(m.jointLogLikelihood(X), 2))).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('balanced weights make the prior uniform on imbalanced data', () => {
    const yi = Int32Array.from([0, 0, 0, 0, 0, 1]);
    const plain = trainMultinomialNB(X, yi, 2, { alpha: 1 });
    const bal = trainMultinomialNB(X, yi, 2, { alpha: 1, classWeight: 'balanced' });
    expect(plain.logPrior[0]).toBeCloseTo(Math.log(5 / 6), 12);
    expect(bal.logPrior[0]).toBeCloseTo(Math.log(0.5), 12);
    expect(bal.logPrior[1]).toBeCloseTo(Math.log(0.5), 12);
  });

  it('refuses negative features and a non-positive alpha', () => {
    const neg = sparseRows(1, 2, (_i, j) => (j === 0 ? -1 : 1));
    expect(() => trainMultinomialNB(neg, Int32Array.of(0), 2)).toThrow(/non-negative/);
    expect(() => trainMultinomialNB(X, y, 2, { alpha: 0 })).toThrow(/alpha/);
  });
});
