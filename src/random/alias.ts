/**
 * Walker/Vose alias table: O(n) build, O(1) draws of an index with probability weights[i]/Σweights.
 * Hand-written because it is ~40 lines and must consume the stream in a fixed, documented way
 * (one 53-bit float per draw) for cross-machine determinism.
 */
import { StrataError } from '../errors.js';
import type { Stream } from './stream.js';

export class AliasTable {
  readonly size: number;
  private readonly accept: Float64Array;
  private readonly alias: Uint32Array;
  private readonly probs: Float64Array;

  /** Throws StrataError `random.invalid_weights` for empty, negative, non-finite or all-zero weights. */
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0)
      throw new StrataError(
        'random.invalid_weights',
        'alias table needs at least one weight',
        {},
        'give one weight per category',
      );
    if (n > 4294967295)
      throw new StrataError('random.invalid_weights', `alias table too large (${n} weights)`);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0 && w < Number.POSITIVE_INFINITY)) {
        throw new StrataError(
          'random.invalid_weights',
          `weight ${i} must be a finite number ≥ 0 (got ${w})`,
          {},
          'fix or drop that category',
        );
      }
      total += w;
    }
    if (!(total > 0 && total < Number.POSITIVE_INFINITY)) {
      throw new StrataError(
        'random.invalid_weights',
        `weights must sum to a finite value > 0 (got ${total})`,
        {},
        'give at least one category a positive weight',
      );
    }
    this.size = n;
    this.probs = new Float64Array(n);
    this.accept = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    let anyPositive = 0;
    for (let i = 0; i < n; i++) {
      this.probs[i] = weights[i] / total;
      scaled[i] = this.probs[i] * n;
      if (weights[i] > 0) anyPositive = i;
      (scaled[i] < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.accept[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    // Leftovers differ from 1 only by rounding; a zero-weight leftover must still never be drawn.
    for (const i of large) this.accept[i] = 1;
    for (const i of small) {
      if (weights[i] > 0) this.accept[i] = 1;
      else {
        this.accept[i] = 0;
        this.alias[i] = anyPositive;
      }
    }
  }

  /** An index in [0, size), drawn with probability(i). Consumes one nextFloat. */
  sample(s: Stream): number {
    const x = s.nextFloat() * this.size;
    const i = Math.floor(x);
    return x - i < this.accept[i] ? i : this.alias[i];
  }

  /** weights[i] / Σ weights (0 outside the table). */
  probability(i: number): number {
    return Number.isInteger(i) && i >= 0 && i < this.size ? this.probs[i] : 0;
  }
}
