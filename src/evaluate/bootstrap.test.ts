import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import { biasCorrectedInterval, percentileInterval } from './bootstrap.js';

describe('biasCorrectedInterval', () => {
  it('contains the estimate even when every replicate is on one side of it', () => {
    const reps = Array.from({ length: 200 }, (_, i) => 0.9 + i / 10_000);
    const [lo, hi] = biasCorrectedInterval(0.95, reps)!;
    expect(lo).toBeLessThan(0.95);
    expect(hi).toBeGreaterThan(0.95);
    expect(hi - lo).toBeCloseTo(0.0189, 3);
  });

  it('equals the percentile interval when replicates are centred on the estimate', () => {
    const reps = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const [a, b] = biasCorrectedInterval(0.5, reps)!;
    const [c, d] = percentileInterval(reps)!;
    expect(a).toBeCloseTo(c, 3);
    expect(b).toBeCloseTo(d, 3);
  });

  it('covers the estimate of a statistic that resampling biases (1 − TVD)', () => {
    // Two samples of one categorical law: 1 − TVD replicates sit below the plug-in estimate.
    const s = streamFor(3, 'bc');
    const draw = (n: number) => Int32Array.from({ length: n }, () => s.nextInt(10));
    const tvComplement = (x: Int32Array, y: Int32Array) => {
      const f = new Float64Array(10);
      for (const v of x) f[v] += 1 / x.length;
      for (const v of y) f[v] -= 1 / y.length;
      return 1 - f.reduce((t, v) => t + Math.abs(v), 0) / 2;
    };
    const a = draw(300);
    const b = draw(300);
    const est = tvComplement(a, b);
    const reps: number[] = [];
    for (let r = 0; r < 200; r++) {
      const ra = a.map(() => a[s.nextInt(a.length)]);
      const rb = b.map(() => b[s.nextInt(b.length)]);
      reps.push(tvComplement(ra, rb));
    }
    const [lo, hi] = biasCorrectedInterval(est, reps)!;
    expect(lo).toBeLessThanOrEqual(est);
    expect(hi).toBeGreaterThanOrEqual(est);
    expect(hi - lo).toBeGreaterThan(0);
    const below = reps.filter((r) => r < est).length / reps.length;
    expect(below).toBeGreaterThan(0.5); // resampling biases the replicates downward
  });
});
