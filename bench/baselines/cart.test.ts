import { describe, expect, it } from 'vitest';
import type { RawTable } from '../../src/io/index.js';
import { streamFor } from '../../src/random/stream.js';
import { cartSynthesize } from './cart.js';

// The benchmark's reference baseline must itself be right, or the side-by-side figures mislead.
function fixture(n: number): RawTable {
  const s = streamFor(3, 'cart-fixture');
  const x: string[] = [];
  const band: string[] = [];
  const y: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const v = s.nextInt(100);
    x.push(String(v));
    band.push(v < 30 ? 'low' : v < 70 ? 'mid' : 'high');
    y.push(s.nextInt(10) === 0 ? null : String(v * 2 + s.nextInt(3)));
  }
  return { name: 'fx', source: 'fx', columns: ['x', 'band', 'y'], rowCount: n, data: [x, band, y] };
}

describe('bench CART baseline', () => {
  const train = fixture(3000);
  const syn = cartSynthesize(train, 3000, streamFor(1, 'cart'));

  it('keeps the columns, the row count and only observed values', () => {
    expect(syn.columns).toEqual(train.columns);
    expect(syn.rowCount).toBe(3000);
    for (let c = 0; c < 3; c++) {
      const seen = new Set(train.data[c]);
      expect(syn.data[c].every((v) => seen.has(v))).toBe(true);
    }
  });

  it('learns a categorical function of an earlier column and a numeric dependence', () => {
    const [x, band, y] = syn.data;
    let wrongBand = 0;
    let farY = 0;
    let missing = 0;
    for (let i = 0; i < syn.rowCount; i++) {
      const v = Number(x[i]);
      const want = v < 30 ? 'low' : v < 70 ? 'mid' : 'high';
      if (band[i] !== want) wrongBand++;
      if (y[i] === null) missing++;
      else if (Math.abs(Number(y[i]) - 2 * v) > 20) farY++;
    }
    // thresholds are quantiles, so a band edge may fall one value off: a few percent at most
    expect(wrongBand / syn.rowCount).toBeLessThan(0.03);
    expect(farY / syn.rowCount).toBeLessThan(0.05);
    expect(missing / syn.rowCount).toBeGreaterThan(0.06);
    expect(missing / syn.rowCount).toBeLessThan(0.14);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const again = cartSynthesize(train, 3000, streamFor(1, 'cart'));
    expect(again.data).toEqual(syn.data);
    const other = cartSynthesize(train, 3000, streamFor(2, 'cart'));
    expect(other.data).not.toEqual(syn.data);
  });
});
