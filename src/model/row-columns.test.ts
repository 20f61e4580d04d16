import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntColumn, RowColumn } from './row-columns.js';
import type { Value } from './values.js';

const value: fc.Arbitrary<Value> = fc.oneof(
  { weight: 6, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53) },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.oneof(fc.string(), fc.boolean()) as fc.Arbitrary<Value> },
);

/** Object.is per value: NaN and −0 must come back as they went in. */
const same = (a: readonly Value[], b: readonly Value[]) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('RowColumn', () => {
  it('gives back exactly the values pushed and set, numbers or not, after truncation too', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(value, { maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), value), { maxLength: 5 }),
        fc.nat(),
        (numeric, xs, sets, cut) => {
          const col = new RowColumn(numeric, 2); // tiny: growth is exercised
          const ref = [...xs];
          for (const x of xs) col.push(x);
          if (xs.length > 0) {
            for (const [at, v] of sets) {
              col.set(at % xs.length, v);
              ref[at % xs.length] = v;
            }
          }
          expect(same(col.values(), ref)).toBe(true);
          const n = xs.length === 0 ? 0 : cut % (xs.length + 1);
          col.truncate(n);
          col.push(7);
          expect(same(col.values(), [...ref.slice(0, n), 7])).toBe(true);
          expect(
            same(
              Array.from({ length: col.length }, (_, i) => col.get(i)),
              col.values(),
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps numbers and nulls in its typed store, and turns plain on the first other value', () => {
    const col = new RowColumn(true, 1);
    col.push(1.5);
    col.push(null);
    expect(col.plain).toBe(false);
    col.push('x');
    expect(col.plain).toBe(true);
    expect(col.values()).toEqual([1.5, null, 'x']);
  });
});

describe('IntColumn', () => {
  it('grows and takes a copy of what it holds', () => {
    const c = new IntColumn();
    for (let i = 0; i < 3000; i++) c.push(i % 7);
    c.length = 2500;
    const t = c.take();
    expect(t).toHaveLength(2500);
    expect(t[2499]).toBe(2499 % 7);
  });
});
