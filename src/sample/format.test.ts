import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundTo } from '../model/values.js';
import { decimalText } from './testing/csv-reference.js';

describe('decimalText', () => {
  it('prints exactly what String() prints for values rounded to d decimals', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 1, max: 6 }), (x, d) => {
        const r = roundTo(x, d);
        expect(decimalText(r, d)).toBe(String(r));
      }),
      { numRuns: 5000 },
    );
  });
  it('handles small, negative and whole values', () => {
    expect(decimalText(0.05, 2)).toBe('0.05');
    expect(decimalText(-0.5, 2)).toBe('-0.5');
    expect(decimalText(2307, 2)).toBe('2307');
    expect(decimalText(9732.16, 2)).toBe('9732.16');
    expect(decimalText(0, 2)).toBe('0');
  });
});
