import { describe, expect, it } from 'vitest';
import { AnchoredEmpirical, Empirical, streamFor } from './index.js';
import { chiSquarePValue } from './testing/goodness.js';

describe('AnchoredEmpirical', () => {
  // Atom at 0 (0.2), offsets 0 (0.3) and +10 (0.1), continuous part (0.4) on offsets −5..5.
  const knots = [-5, -1, 1, 5];
  const atoms = [{ value: 0, prob: 0.2 }];
  const offsets = [
    { value: 0, prob: 0.3 },
    { value: 10, prob: 0.1 },
  ];
  const cont = new Empirical(knots);

  it('draws atoms, shift + offsets and shift + continuous offsets in their shares (chi-square)', () => {
    const law = new AnchoredEmpirical(knots, atoms, offsets, true);
    const shift = 100;
    const s = streamFor(61, 'anchored');
    const edges = [95, 97, 99, 100, 101, 103, 105];
    // cells: atom 0, point 100 (offset 0), point 110 (offset 10), continuous bins
    const counts = new Array(3 + edges.length - 1).fill(0);
    const n = 40_000;
    for (let i = 0; i < n; i++) {
      const x = law.sample(s, shift);
      if (x === 0) counts[0]++;
      else if (x === 100) counts[1]++;
      else if (x === 110) counts[2]++;
      else counts[3 + edges.findIndex((b, j) => j > 0 && x <= b) - 1]++;
    }
    const expected = [
      0.2,
      0.3,
      0.1,
      ...edges.slice(1).map((b, i) => 0.4 * (cont.cdf(b - shift) - cont.cdf(edges[i] - shift))),
    ];
    expect(chiSquarePValue(counts, expected)).toBeGreaterThan(0.001);
  });

  it('the continuous part follows slope × shift when it describes the offset, the value otherwise', () => {
    const s = streamFor(62, 'anchored');
    const sloped = new AnchoredEmpirical([-1, 1], [], [], true, 0.5);
    const plain = new AnchoredEmpirical([-1, 1], [], [], false);
    for (let i = 0; i < 2000; i++) {
      const a = sloped.sample(s, 40);
      expect(a >= 19 && a <= 21).toBe(true);
      const b = plain.sample(s, 40);
      expect(b >= -1 && b <= 1).toBe(true);
    }
  });

  it('truncation keeps every draw in range with the right shares of the parts inside it', () => {
    const law = new AnchoredEmpirical(knots, atoms, offsets, true);
    const s = streamFor(63, 'anchored');
    const n = 20_000;
    let at100 = 0;
    for (let i = 0; i < n; i++) {
      const x = law.sample(s, 100, 99.5, 200);
      expect(x >= 99.5 && x <= 200).toBe(true);
      if (x === 100) at100++;
    }
    const inside = law.mass(100, 99.5, 200);
    expect(inside).toBeCloseTo(0.3 + 0.1 + 0.4 * cont.mass(-0.5, 100), 12);
    const share = 0.3 / inside;
    expect(Math.abs(at100 / n - share)).toBeLessThan(4 * Math.sqrt((share * (1 - share)) / n));
  });

  it('draws from the tail beyond the nearest knot when nothing has mass in range, NaN only for an empty range', () => {
    // The continuous part lives on 999..1001 (outermost intervals 1 wide), the range is [0, 10]:
    // before, every draw was clamped to 10. Now: an exponential(1) falling from 10 downward.
    const law = new AnchoredEmpirical([-1, 0, 1], [], [], true);
    const s = streamFor(64, 'anchored');
    expect(law.mass(1000, 0, 10)).toBe(0);
    const n = 20000;
    let top = 0;
    let below9 = 0;
    for (let i = 0; i < n; i++) {
      const x = law.sample(s, 1000, 0, 10);
      expect(x >= 0 && x <= 10).toBe(true);
      if (x === 10) top++;
      if (x < 9) below9++;
    }
    expect(top).toBeLessThan(5);
    const p9 = law.conditionalMass(1000, 0, 10, 0, 9);
    expect(p9).toBeCloseTo(Math.exp(-1), 2);
    expect(Math.abs(below9 / n - p9)).toBeLessThan(4 * Math.sqrt((p9 * (1 - p9)) / n));
    // Above the support: from the range's lower end upward, scale 1.
    const up = law.sample(s, -1000, 0, Number.POSITIVE_INFINITY);
    expect(up).toBeGreaterThanOrEqual(0);
    expect(law.conditionalMass(-1000, 0, Number.POSITIVE_INFINITY, 0, 1)).toBeCloseTo(1 - Math.exp(-1), 9);
    // Inside the support the conditional mass is the law's own.
    expect(law.conditionalMass(1000, 999, 1001, 999, 1000)).toBeCloseTo(0.5, 9);
    expect(law.sample(s, 1000, 5, 4)).toBeNaN();
    expect(law.sample(s, Number.NaN)).toBeNaN();
  });

  it('repeats the copied value with probability copied, renormalised away when it is missing or out of range', () => {
    // atom 0.2, offsets 0.4, copy 0.25, continuous 0.15
    const law = new AnchoredEmpirical(knots, atoms, offsets, true, 1, 0.25);
    const s = streamFor(63, 'anchored');
    const n = 40_000;
    let copies = 0;
    for (let i = 0; i < n; i++) if (law.sample(s, 100, -Infinity, Infinity, 42) === 42) copies++;
    expect(chiSquarePValue([copies, n - copies], [0.25, 0.75])).toBeGreaterThan(0.001);
    expect(law.mass(100, 41, 43, 42)).toBeCloseTo(0.25, 12);
    // No copy value (a missing parent), or one outside the range: the other parts share the draw.
    expect(law.mass(100, -Infinity, Infinity)).toBeCloseTo(0.75, 12);
    expect(law.conditionalMass(100, 0, 120, 42, 42, 42)).toBeCloseTo(0.25 / law.mass(100, 0, 120, 42), 12);
    for (let i = 0; i < 200; i++) expect(law.sample(s, 100, 50, 200, 42)).not.toBe(42);
    // Without a copy mass the draws are those of the law without copy (same stream, same values).
    const plain = new AnchoredEmpirical(knots, atoms, offsets, true);
    const zero = new AnchoredEmpirical(knots, atoms, offsets, true, 1, 0);
    const s1 = streamFor(64, 'anchored');
    const s2 = streamFor(64, 'anchored');
    for (let i = 0; i < 100; i++)
      expect(zero.sample(s2, 100, -Infinity, Infinity, 42)).toBe(plain.sample(s1, 100));
    expect(() => new AnchoredEmpirical(knots, atoms, offsets, true, 1, 0.5)).toThrow(/sum to/);
  });

  it('rejects point masses that sum above 1 and non-finite values', () => {
    expect(
      () => new AnchoredEmpirical([0, 1], [{ value: 0, prob: 0.6 }], [{ value: 0, prob: 0.6 }], true),
    ).toThrow(/sum to 1.2/);
    expect(() => new AnchoredEmpirical([0, 1], [], [{ value: Number.NaN, prob: 0.1 }], true)).toThrow(
      /finite/,
    );
  });
});
