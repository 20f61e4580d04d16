import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import type { FeatureMatrix } from './features.js';
import { type SparseRows, sparseRows, trainLogistic } from './logistic.js';
import { accuracy, argmaxRows, perClassRecall } from './metrics.js';
import { matrix } from './test-helpers.js';

function gauss(s: ReturnType<typeof streamFor>): number {
  return Math.sqrt(-2 * Math.log(s.nextOpen())) * Math.cos(2 * Math.PI * s.nextFloat());
}

/** Dense matrix → CSR with only the non-zeros. */
function toSparse(X: FeatureMatrix): SparseRows {
  return sparseRows(X.rows, X.cols, (i, j) => X.data[i * X.cols + j]);
}

describe('trainLogistic', () => {
  it('separates linearly separable classes (3 classes, with missing values)', () => {
    const s = streamFor(1, 'sep');
    const n = 1500;
    const a: number[] = [];
    const b: number[] = [];
    const y = new Int32Array(n);
    const centres = [
      [0, 0],
      [6, 0],
      [0, 6],
    ];
    for (let i = 0; i < n; i++) {
      y[i] = i % 3;
      a.push(centres[y[i]][0] * 100 + gauss(s) * 50); // unscaled on purpose: standardising must cope
      b.push(i % 97 === 0 ? Number.NaN : centres[y[i]][1] + gauss(s));
    }
    const X = matrix([a, b]);
    const model = trainLogistic(X, y, 3, { seed: 1 });
    expect(accuracy(y, argmaxRows(model.predictProba(X), 3))).toBeGreaterThan(0.97);
  });

  it('learns the same rule from sparse and dense input', () => {
    // Dense input is standardised (zeros become non-zero), sparse is not, so they agree closely, not exactly.
    const s = streamFor(2, 'sparse');
    const n = 800;
    const p = 12;
    const cols: number[][] = Array.from({ length: p }, () => []);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j < p; j++) {
        const v = s.nextFloat() < 0.6 ? 0 : gauss(s);
        cols[j].push(v);
        z += (j % 3) * v;
      }
      y[i] = z > 0 ? 1 : 0;
    }
    const dense = matrix(cols);
    const sparse = toSparse(dense);
    const md = trainLogistic(dense, y, 2, { seed: 3, epochs: 5 });
    const ms = trainLogistic(sparse, y, 2, { seed: 3, epochs: 5 });
    const pd = md.predictProba(dense);
    const ps = ms.predictProba(sparse);
    expect(accuracy(y, argmaxRows(ps, 2))).toBeGreaterThan(0.85);
    let agree = 0;
    const ad = argmaxRows(pd, 2);
    const as = argmaxRows(ps, 2);
    for (let i = 0; i < n; i++) if (ad[i] === as[i]) agree++;
    expect(agree / n).toBeGreaterThan(0.95);
  });

  it('matches bit for bit on data the dense path leaves unchanged', () => {
    // Columns of ±1 with mean 0 and sd 1: standardising is exactly the identity.
    const n = 400;
    const s = streamFor(4, 'pm1');
    const cols: number[][] = [[], [], []];
    const y = new Int32Array(n);
    for (let i = 0; i < n; i += 2) {
      for (const c of cols) {
        const v = s.nextFloat() < 0.5 ? 1 : -1;
        c.push(v, -v);
      }
      y[i] = cols[0][i] + cols[1][i] > 0 ? 1 : 0;
      y[i + 1] = cols[0][i + 1] + cols[1][i + 1] > 0 ? 1 : 0;
    }
    const dense = matrix(cols);
    const pd = trainLogistic(dense, y, 2, { seed: 5 }).predictProba(dense);
    const ps = trainLogistic(toSparse(dense), y, 2, { seed: 5 }).predictProba(toSparse(dense));
    expect(Array.from(ps)).toEqual(Array.from(pd));
  });

  it('balanced class weights raise recall of a rare class', () => {
    const s = streamFor(6, 'rare');
    const n = 3000;
    const a: number[] = [];
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = s.nextFloat() < 0.05 ? 1 : 0;
      a.push((y[i] ? 1.2 : 0) + gauss(s));
    }
    const X = matrix([a]);
    const plain = trainLogistic(X, y, 2, { seed: 7 });
    const balanced = trainLogistic(X, y, 2, { seed: 7, classWeight: 'balanced' });
    const rPlain = perClassRecall(y, argmaxRows(plain.predictProba(X), 2), 2)[1];
    const rBal = perClassRecall(y, argmaxRows(balanced.predictProba(X), 2), 2)[1];
    expect(rBal).toBeGreaterThan(0.5);
    expect(rBal).toBeGreaterThan(rPlain + 0.3);
  });

  it('one-hot encodes categorical columns of a dense matrix', () => {
    // Class depends on code membership {0, 2} vs {1, 3}: not linear in the code value.
    const n = 800;
    const codes: number[] = [];
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      codes.push(i % 4);
      y[i] = i % 2;
    }
    const X = matrix([codes], [true]);
    expect(accuracy(y, argmaxRows(trainLogistic(X, y, 2).predictProba(X), 2))).toBe(1);
  });

  it('rejects mixing sparse and dense between training and prediction', () => {
    const X = matrix([[0, 1, 0, 1]]);
    const model = trainLogistic(X, Int32Array.of(0, 1, 0, 1), 2, { epochs: 1 });
    expect(() => model.predictProba(toSparse(X))).toThrow(/dense/);
  });
});
