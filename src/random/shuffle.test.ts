import { describe, expect, it } from 'vitest';
import { shuffleInPlace, streamFor } from './index.js';
import { chiSquarePValue } from './testing/goodness.js';

describe('shuffleInPlace', () => {
  it('is a permutation, the same for the same stream, for arrays and typed arrays', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const b = Int32Array.from(a);
    shuffleInPlace(a, streamFor(1, 'shuffle'));
    shuffleInPlace(b, streamFor(1, 'shuffle'));
    expect(Array.from(b)).toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('puts each element in each slot equally often (chi-square over 3! orders)', () => {
    const s = streamFor(2, 'shuffle');
    const counts = new Map<string, number>();
    for (let r = 0; r < 12_000; r++) {
      const a = ['a', 'b', 'c'];
      shuffleInPlace(a, s);
      counts.set(a.join(''), (counts.get(a.join('')) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    expect(chiSquarePValue([...counts.values()], new Array(6).fill(1 / 6))).toBeGreaterThan(0.001);
  });
});
