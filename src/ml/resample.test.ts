import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import { bootstrapCI, sampleIndices, stratifiedFolds } from './resample.js';

describe('stratifiedFolds', () => {
  it('spreads every class evenly over the folds, deterministically', () => {
    const y = Int32Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : i % 3 === 0 ? 2 : 0));
    const f = stratifiedFolds(y, 5, 7);
    expect(Array.from(f)).toEqual(Array.from(stratifiedFolds(y, 5, 7)));
    expect(Array.from(f)).not.toEqual(Array.from(stratifiedFolds(y, 5, 8)));
    for (const cls of [0, 1, 2]) {
      const perFold = [0, 0, 0, 0, 0];
      for (let i = 0; i < y.length; i++) if (y[i] === cls) perFold[f[i]]++;
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }
  });
  it('rejects k < 2', () => {
    expect(() => stratifiedFolds(Int32Array.of(0, 1), 1, 0)).toThrow(/at least 2 folds/);
  });
});

describe('bootstrapCI', () => {
  it('covers the true mean in most of 100 seeded repetitions', () => {
    let covered = 0;
    for (let rep = 0; rep < 100; rep++) {
      const s = streamFor(rep, 'bootstrap-test');
      const x = Float64Array.from({ length: 80 }, () => -Math.log(s.nextOpen())); // exponential, mean 1
      const mean = (idx: Int32Array) => {
        let t = 0;
        for (const i of idx) t += x[i];
        return t / idx.length;
      };
      const ci = bootstrapCI(x.length, mean, { reps: 200, seed: rep });
      expect(ci.low).toBeLessThanOrEqual(ci.estimate);
      expect(ci.high).toBeGreaterThanOrEqual(ci.estimate);
      if (ci.low <= 1 && 1 <= ci.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(85);
    expect(covered).toBeLessThanOrEqual(100);
  });
});

describe('sampleIndices', () => {
  it('gives m distinct sorted indices, seeded', () => {
    const a = sampleIndices(1_000_000, 500, 3);
    expect(a.length).toBe(500);
    expect(new Set(a).size).toBe(500);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
    expect(Array.from(a)).toEqual(Array.from(sampleIndices(1_000_000, 500, 3)));
    expect(Array.from(a)).not.toEqual(Array.from(sampleIndices(1_000_000, 500, 4)));
    expect(Array.from(sampleIndices(5, 9, 1))).toEqual([0, 1, 2, 3, 4]);
  });
  it('is uniform: every index equally likely', () => {
    const counts = new Array<number>(10).fill(0);
    for (let seed = 0; seed < 2000; seed++) for (const i of sampleIndices(10, 3, seed)) counts[i]++;
    for (const c of counts) expect(Math.abs(c - 600)).toBeLessThan(90);
  });
});
