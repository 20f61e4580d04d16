import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import { trainGbdt } from './gbdt.js';
import { trainLogistic } from './logistic.js';
import { accuracy, argmaxRows, rocAuc } from './metrics.js';
import { matrix } from './test-helpers.js';

/** XOR of the signs of two uniform features plus noise features. */
function xorData(n: number, seed: number) {
  const s = streamFor(seed, 'xor');
  const a: number[] = [];
  const b: number[] = [];
  const noise: number[] = [];
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    a.push(s.nextFloat() * 2 - 1);
    b.push(s.nextFloat() * 2 - 1);
    noise.push(s.nextFloat());
    y[i] = a[i] > 0 !== b[i] > 0 ? 1 : 0;
  }
  return { X: matrix([a, b, noise]), y };
}

describe('trainGbdt', () => {
  it('learns an XOR interaction that logistic regression cannot', () => {
    const train = xorData(3000, 1);
    const test = xorData(1000, 2);
    const model = trainGbdt(train.X, train.y, 2, { rounds: 60, seed: 1 });
    const acc = accuracy(test.y, argmaxRows(model.predictProba(test.X), 2));
    expect(acc).toBeGreaterThanOrEqual(0.9);
    const lr = trainLogistic(train.X, train.y, 2, { epochs: 10 });
    const accLr = accuracy(test.y, argmaxRows(lr.predictProba(test.X), 2));
    expect(accLr).toBeLessThan(0.7);
  });

  it('learns from missingness and routes missing values by a learned default direction', () => {
    // y = 1 exactly when x is missing; among present values x carries no signal.
    const s = streamFor(3, 'missing');
    const n = 2000;
    const x: number[] = [];
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const miss = s.nextFloat() < 0.3;
      x.push(miss ? Number.NaN : s.nextFloat());
      y[i] = miss ? 1 : 0;
    }
    const X = matrix([x]);
    const model = trainGbdt(X, y, 2, { rounds: 20, seed: 3 });
    const p = model.predictProba(X);
    expect(accuracy(y, argmaxRows(p, 2))).toBe(1);
    const probe = model.predictProba(matrix([[Number.NaN, 0.5]]));
    expect(probe[1]).toBeGreaterThan(0.9);
    expect(probe[3]).toBeLessThan(0.1);
  });

  it('splits categorical codes by set, not by order', () => {
    // Class 1 for codes {1, 4, 7} out of 0..9: not a threshold on the code.
    const s = streamFor(4, 'cat');
    const n = 3000;
    const c: number[] = [];
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const code = s.nextInt(10);
      c.push(code);
      y[i] = code === 1 || code === 4 || code === 7 ? 1 : 0;
    }
    const X = matrix([c], [true]);
    const model = trainGbdt(X, y, 2, { rounds: 10, maxDepth: 2, seed: 4 });
    expect(accuracy(y, argmaxRows(model.predictProba(X), 2))).toBe(1);
  });

  it('sends missing and unseen category codes down a learned default path', () => {
    // Code 0 → class 1, codes 1..3 → class 0, missing → class 1.
    const n = 1200;
    const c: number[] = [];
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const code = i % 5 === 4 ? Number.NaN : i % 4;
      c.push(code);
      y[i] = code === 0 || Number.isNaN(code) ? 1 : 0;
    }
    const model = trainGbdt(matrix([c], [true]), y, 2, { rounds: 40, seed: 2 });
    const p = model.predictProba(matrix([[Number.NaN, 0, 2, 99]], [true]));
    expect(p[1]).toBeGreaterThan(0.9); // missing
    expect(p[3]).toBeGreaterThan(0.9); // code 0
    expect(p[5]).toBeLessThan(0.1); // code 2
    expect(p[7]).toBeGreaterThan(0.9); // unseen code 99 is treated as missing
  });

  it('handles multiclass with softmax', () => {
    const s = streamFor(5, 'multi');
    const n = 3000;
    const a: number[] = [];
    const b: number[] = [];
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      a.push(s.nextFloat());
      b.push(s.nextFloat());
      y[i] = a[i] < 0.33 ? 0 : a[i] < 0.66 ? (b[i] < 0.5 ? 1 : 2) : 3;
    }
    const X = matrix([a, b]);
    const model = trainGbdt(X, y, 4, { rounds: 40, seed: 5 });
    const p = model.predictProba(X);
    expect(p.length).toBe(n * 4);
    for (let i = 0; i < n; i++)
      expect(p[i * 4] + p[i * 4 + 1] + p[i * 4 + 2] + p[i * 4 + 3]).toBeCloseTo(1, 9);
    expect(accuracy(y, argmaxRows(p, 4))).toBeGreaterThan(0.97);
  });

  it('is deterministic for a seed and differs across seeds when subsampling', () => {
    const { X, y } = xorData(1500, 6);
    const opts = { rounds: 15, subsample: 0.7 };
    const p1 = trainGbdt(X, y, 2, { ...opts, seed: 11 }).predictProba(X);
    const p2 = trainGbdt(X, y, 2, { ...opts, seed: 11 }).predictProba(X);
    const p3 = trainGbdt(X, y, 2, { ...opts, seed: 12 }).predictProba(X);
    expect(Array.from(p1)).toEqual(Array.from(p2));
    expect(Array.from(p1)).not.toEqual(Array.from(p3));
  });

  it('points feature importance at the informative feature', () => {
    const s = streamFor(7, 'imp');
    const n = 2000;
    const cols: number[][] = [[], [], [], []];
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      for (const c of cols) c.push(s.nextFloat());
      y[i] = cols[2][i] + 0.1 * s.nextFloat() > 0.55 ? 1 : 0;
    }
    const imp = trainGbdt(matrix(cols), y, 2, { rounds: 20, seed: 7 }).featureImportance();
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(imp[2]).toBeGreaterThan(0.8);
  });

  it('grows depth-wise within maxDepth and stops early on a held-out part', () => {
    const { X, y } = xorData(2000, 8);
    const test = xorData(1000, 9);
    const model = trainGbdt(X, y, 2, {
      rounds: 500,
      growth: 'depth',
      maxDepth: 3,
      seed: 8,
      earlyStopping: { validFraction: 0.2, patience: 5 },
    });
    const p = model.predictProba(test.X);
    const scores = Float64Array.from({ length: test.X.rows }, (_, i) => p[i * 2 + 1]);
    expect(rocAuc(scores, test.y)).toBeGreaterThan(0.95);
  });

  it('names the bad option or label', () => {
    const { X, y } = xorData(50, 10);
    expect(() => trainGbdt(X, y, 2, { maxBins: 300 })).toThrow(/maxBins/);
    expect(() =>
      trainGbdt(
        X,
        Int32Array.from(y, (v) => v * 3),
        2,
      ),
    ).toThrow(/label 3 is outside 0..1/);
  });
});
