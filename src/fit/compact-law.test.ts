import { describe, expect, it } from 'vitest';
import { compactLaw } from './compact-law.js';
import { type EmpiricalModel, empiricalFromValues, knotCdf } from './empirical.js';
import { fitTable } from './fit.js';

const INT = { width: 1, anchor: 'centre' as const, lo: 0, hi: 200 };

/** Probability of the integer cell [v − ½, v + ½) under a law (atoms + continuous part). */
function cellP(m: EmpiricalModel, v: number): number {
  const cont =
    m.knots && m.contMass > 0 ? m.contMass * (knotCdf(m.knots, v + 0.5) - knotCdf(m.knots, v - 0.5)) : 0;
  return (m.atoms.get(v) ?? 0) + cont;
}

/** P(X ≤ v + ½): the CDF at a cell's upper edge. */
function cdfAt(m: EmpiricalModel, v: number): number {
  let s = m.knots && m.contMass > 0 ? m.contMass * knotCdf(m.knots, v + 0.5) : 0;
  for (const [a, p] of m.atoms) if (a <= v) s += p;
  return s;
}

const numbers = (m: EmpiricalModel) => m.atoms.size + (m.knots?.length ?? 0);

/** Integer ages 17..90 with a smooth, skewed shape: every value frequent enough to be an atom. */
function ages(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = (i + 0.5) / n;
    out.push(17 + Math.floor(73 * u ** 1.6));
  }
  return out;
}

describe('compactLaw', () => {
  it('writes a smooth integer law as a few knots instead of an atom per value, cells within 1/√n', () => {
    const xs = ages(5000);
    const m = empiricalFromValues(xs, new Set(xs), INT);
    expect(m.atoms.size).toBe(73);
    const tol = 1 / Math.sqrt(5000);
    const c = compactLaw(m, { n: 5000, penalty: 1, width: 1, anchor: 'centre' });
    expect(numbers(c)).toBeLessThan(30);
    for (let v = 17; v <= 90; v++)
      expect(Math.abs(cdfAt(c, v) - cdfAt(m, v))).toBeLessThanOrEqual(tol + 1e-9);
    let total = 0;
    for (let v = 16; v <= 91; v++) total += cellP(c, v);
    expect(total).toBeCloseTo(1, 9);
  });

  it('keeps a spike as an exact point mass (40 hours a week)', () => {
    const xs: number[] = [];
    for (let i = 0; i < 400; i++) xs.push(40);
    for (let i = 0; i < 600; i++) xs.push(1 + Math.floor((i * 97) / 600));
    const m = empiricalFromValues(xs, new Set(xs.filter((x) => x === 40 || x % 10 === 0)), INT);
    const c = compactLaw(m, { n: 1000, penalty: 1, width: 1, anchor: 'centre' });
    expect(c.atoms.get(40)).toBe(m.atoms.get(40));
    expect(numbers(c)).toBeLessThan(numbers(m));
    for (let v = 1; v <= 98; v++)
      expect(Math.abs(cdfAt(c, v) - cdfAt(m, v))).toBeLessThanOrEqual(0.02 + 1e-9);
  });

  it('folds the tiny atoms a small state inherits from its back-off (a twentieth of a row)', () => {
    const atoms = new Map<number, number>([
      [40, 0.3],
      [16, 0.0007],
      [36, 0.0007],
      [65, 0.0008],
    ]);
    const m: EmpiricalModel = { atoms, contMass: 1 - 0.3022, knots: [1, 20, 35, 45, 50, 60, 99] };
    const c = compactLaw(m, { n: 93, penalty: 1, width: 1, anchor: 'centre' });
    expect([...c.atoms.keys()]).toEqual([40]);
    expect(c.contMass).toBeCloseTo(0.7, 9);
  });

  it('keeps a spike of 5 rows in a leaf of 83 (folding it would cost more likelihood than the atom)', () => {
    const atoms = new Map<number, number>([
      [40, 0.3],
      [45, 0.06],
    ]);
    const m: EmpiricalModel = { atoms, contMass: 0.64, knots: [1, 20, 30, 38, 50, 60, 99] };
    const c = compactLaw(m, { n: 93, penalty: 1, width: 1, anchor: 'centre' });
    expect(c.atoms.get(45)).toBe(0.06);
    expect(c.atoms.get(40)).toBe(0.3);
  });

  it('leaves a law of unrounded data and an anchored law as they are', () => {
    const m: EmpiricalModel = { atoms: new Map([[3.3, 0.1]]), contMass: 0.9, knots: [0, 1, 2, 3, 4, 5, 6] };
    expect(compactLaw(m, { n: 50, penalty: 1, width: 0, anchor: 'centre' })).toBe(m);
    const anchored = { ...m, offsets: new Map([[0, 0.2]]) };
    expect(compactLaw(anchored, { n: 50, penalty: 1, width: 1, anchor: 'centre' })).toBe(anchored);
  });

  it('without a price per number, writes the closest law tried (every cell kept)', () => {
    const xs = ages(5000);
    const m = empiricalFromValues(xs, new Set([17, 18, 19]), INT);
    const c = compactLaw(m, { n: 5000, penalty: 0, width: 1, anchor: 'centre' });
    for (let v = 17; v <= 90; v++) expect(Math.abs(cdfAt(c, v) - cdfAt(m, v))).toBeLessThanOrEqual(1e-6);
  });

  it('days (floor cells): folds and thins on day edges', () => {
    const DAY = 86_400_000;
    const xs: number[] = [];
    for (let i = 0; i < 2000; i++) xs.push(Math.floor((i * 300) / 2000) * DAY);
    const g = { width: DAY, anchor: 'floor' as const, lo: 0, hi: 300 * DAY };
    const m = empiricalFromValues(xs, new Set(xs), g);
    const c = compactLaw(m, { n: 2000, penalty: 1, width: DAY, anchor: 'floor' });
    expect(numbers(c)).toBeLessThan(20);
    for (let d = 0; d < 300; d++) {
      const at = (x: EmpiricalModel) => {
        let s = x.knots && x.contMass > 0 ? x.contMass * knotCdf(x.knots, (d + 1) * DAY) : 0;
        for (const [a, p] of x.atoms) if (a <= d * DAY) s += p;
        return s;
      };
      expect(Math.abs(at(c) - at(m))).toBeLessThanOrEqual(0.01 + 1e-9);
    }
  });
});

describe('a fitted integer column (issue 13.10)', () => {
  it('is written as a few knots, not a point mass per frequent value', () => {
    const xs = ages(5000);
    const raw = {
      name: 't',
      columns: ['age'],
      rowCount: xs.length,
      data: [xs.map(String)],
    };
    const dist = (
      fitTable(raw, { seed: 1 }).spec.tables.t.columns.age.dist as unknown as {
        empirical: EmpiricalParamsLike;
      }
    ).empirical;
    // Before: 73 atoms (every age seen ≥ 10 times) and 5 knots over a sliver of continuous mass.
    expect(Object.keys(dist.atoms ?? {}).length + dist.knots.length).toBeLessThan(30);
  });
});

interface EmpiricalParamsLike {
  knots: number[];
  atoms?: Record<string, number>;
}
