import { describe, expect, it } from 'vitest';
import { atomsFromRecord, Empirical } from '../random/empirical.js';
import { streamFor } from '../random/stream.js';
import { chiSquarePValue } from '../random/testing/goodness.js';
import { fitCountRate } from './count-rate.js';

/**
 * Children per parent row = size × rate: the rate law is recovered (chi-square, α = 0.001) and
 * chosen over a count law in bins of the size, which does not grow with the size inside a bin.
 */
const ALPHA = 0.001;
const RATES = [2, 5, 9];
const P = [0.5, 0.3, 0.2];

function truth(n: number, seed: number) {
  const s = streamFor(seed, 'count-rate');
  const size = new Float64Array(n);
  const rateOf = new Int32Array(n);
  const counts = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    size[i] = 0.5 + 9.5 * s.nextFloat();
    const u = s.nextFloat();
    rateOf[i] = u < P[0] ? 0 : u < P[0] + P[1] ? 1 : 2;
    counts[i] = Math.round(size[i] * RATES[rateOf[i]]);
  }
  return { size, counts, rateOf };
}

describe('fitCountRate', () => {
  const { size, counts } = truth(2000, 3);
  const fit = fitCountRate(counts, [{ expr: 'parent.size', given: ['parent.size'], values: size }], 5)!;

  it('writes the count as the size × a rate when that predicts held-out counts better', () => {
    expect(fit).toBeDefined();
    expect(fit.rateLogLik).toBeGreaterThan(fit.directLogLik);
    const e = (fit.dist as { empirical: { scale?: string } }).empirical;
    expect(e.scale).toBe('parent.size');
  });

  it('recovers the rate law (chi-square over the three rates, alpha 0.001)', () => {
    const e = (fit.dist as { empirical: { knots: number[]; atoms?: Record<string, number> } }).empirical;
    const law = new Empirical(e.knots, atomsFromRecord(e.atoms));
    const g = streamFor(11, 'count-rate-draw');
    const observed = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const r = law.sample(g);
      const k = RATES.reduce((best, x, j) => (Math.abs(x - r) < Math.abs(RATES[best] - r) ? j : best), 0);
      observed[k]++;
    }
    expect(chiSquarePValue(observed, P)).toBeGreaterThan(ALPHA);
  });

  it('leaves the direct law where the count does not grow with the size', () => {
    const s = streamFor(5, 'flat');
    const flat = Int32Array.from({ length: 2000 }, () => 3 + s.nextInt(4));
    expect(
      fitCountRate(flat, [{ expr: 'parent.size', given: ['parent.size'], values: size }], 5),
    ).toBeUndefined();
  });
});
