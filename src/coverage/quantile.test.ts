import { describe, expect, it } from 'vitest';
import { nextDown } from '../model/compile.js';
import { atomsFromRecord, Empirical } from '../random/index.js';
import { generateRows } from '../sample/index.js';
import type { Column, Spec } from '../spec/schema.js';
import { fittedLikeSpec } from './fixtures.js';
import { compileModel, modelCdfBelow, modelQuantileExact } from './quantile.js';
import { gpdQuantileOfSurvival, gpdSurvival } from './tail.js';
import { EXTRAPOLATION_TAIL } from './tail-region.js';

/** P(x < v) of the fitted-like model by forward enumeration of its chain (no skeleton, no elimination). */
function bruteForceBelow(spec: Spec, v: number): number {
  const cols = spec.tables.t.columns;
  const chain = Object.keys(cols).filter((n) => n.startsWith('c'));
  const table = (c: Column, when: string[]) => {
    const values = c.conditional
      ? c.conditional.rows.find((r) => r.when.join() === when.join())!.values!
      : c.values!;
    const w = values as Record<string, number>;
    const total = Object.values(w).reduce((s, x) => s + x, 0);
    return Object.entries(w).map(([k, x]) => [k, x / total] as [string, number]);
  };
  // Distribution over the last two chain values, carried forward one column at a time.
  let pairs = new Map<string, number>([['|', 1]]);
  chain.forEach((name, k) => {
    const next = new Map<string, number>();
    for (const [key, p] of pairs) {
      const [a, b] = key.split('|');
      const when = k === 0 ? [] : k === 1 ? [b] : [a, b];
      for (const [lv, q] of table(cols[name], when)) {
        const nk = `${b}|${lv}`;
        next.set(nk, (next.get(nk) ?? 0) + p * q);
      }
    }
    pairs = next;
  });
  // Add the third parent of x: carry triples for the last step.
  const third = new Map<string, number>();
  {
    let tri = new Map<string, number>([['||', 1]]);
    chain.forEach((name, k) => {
      const next = new Map<string, number>();
      for (const [key, p] of tri) {
        const [, a, b] = key.split('|');
        const when = k === 0 ? [] : k === 1 ? [b] : [a, b];
        for (const [lv, q] of table(cols[name], when)) {
          const nk = `${a}|${b}|${lv}`;
          next.set(nk, (next.get(nk) ?? 0) + p * q);
        }
      }
      tri = next;
    });
    for (const [k, p] of tri) third.set(k, p);
  }
  let below = 0;
  for (const r of cols.x.conditional!.rows) {
    const e = (r.dist as { empirical: { knots: number[]; atoms?: Record<string, number> } }).empirical;
    const law = new Empirical(e.knots, atomsFromRecord(e.atoms));
    below += (third.get(r.when.join('|')) ?? 0) * law.mass(Number.NEGATIVE_INFINITY, nextDown(v));
  }
  return below;
}

describe('quantiles of a fitted-like column (issue 13.8)', () => {
  // The first version re-cut and re-eliminated the skeleton at every bisection step: on this model
  // a quantile() tail took minutes, and the extrapolating one (~8,000 CDF evaluations) far longer.
  const spec = fittedLikeSpec({}, 8, 6);
  const model = compileModel(spec, 't');
  const x = model.columns.findIndex((c) => c.name === 'x');

  it('are exact: the CDF matches forward enumeration, and quantile(p) is where it crosses p', () => {
    for (const v of [10, 150, 700, 1400]) {
      expect(modelCdfBelow(model, spec.tables.t, x, v)!).toBeCloseTo(bruteForceBelow(spec, v), 10);
    }
    const q = modelQuantileExact(model, spec.tables.t, x, 0.9)!;
    // P(x < q) ≤ p ≤ P(x ≤ q), to the solver's tolerance (1e-10 relative).
    expect(bruteForceBelow(spec, q * (1 - 1e-9))).toBeLessThan(0.9);
    expect(bruteForceBelow(spec, q * (1 + 1e-9))).toBeGreaterThanOrEqual(0.9 - 1e-12);
    // The top 0.5% is the atom at 99,999.
    expect(modelQuantileExact(model, spec.tables.t, x, 0.999)).toBe(99999);
  });

  it('a quantile() tail generates, in its region, at its share', async () => {
    const tailed = fittedLikeSpec(
      { tails: [{ name: 'top', when: 'x > quantile(x, 0.99)', share: 0.05 }] },
      8,
      6,
    );
    const r = await generateRows({ spec: tailed, rows: 4000 });
    const comp = r.coverage!.components[0];
    const q = modelQuantileExact(model, spec.tables.t, x, 0.99)!;
    expect(comp.region!.lo).toBeGreaterThan(q);
    expect(comp.region!.lo).toBeLessThan(q * (1 + 1e-12) + 1e-9);
    const xs = r.data[r.columns.indexOf('x')] as number[];
    const cells = r.data[r.columns.indexOf('_cell')];
    const tailRows = xs.filter((_, i) => cells[i] === 'tail:top');
    expect(tailRows.length).toBe(200);
    expect(tailRows.every((v) => v > q)).toBe(true);
  });

  it('an extrapolating tail stays under its documented cap and marks the rows beyond the data', async () => {
    const tailed = fittedLikeSpec(
      {
        tails: [{ name: 'beyond', when: 'x > quantile(x, 0.999)', share: 0.05, extrapolate: true }],
      },
      8,
      6,
    );
    const r = await generateRows({ spec: tailed, rows: 4000 });
    const comp = r.coverage!.components[0];
    const cap = comp.cap!;
    expect(cap).toBeGreaterThan(99999);
    const xs = r.data[r.columns.indexOf('x')] as number[];
    const flags = r.data[r.columns.indexOf('_extrapolated')] as boolean[];
    const cells = r.data[r.columns.indexOf('_cell')];
    const tailRows = xs.map((v, i) => ({ v, f: flags[i] })).filter((_, i) => cells[i] === 'tail:beyond');
    expect(tailRows.length).toBe(200);
    expect(tailRows.every(({ v, f }) => v > 99999 && v < cap && f)).toBe(true);
    expect(r.coverage!.extrapolated).toBe(200);
    // The cap is the POT model's 1 − 1e-4 quantile: P(X > cap) = 1e-4 under the fitted tail.
    const g = comp.gpd!;
    expect(cap).toBeCloseTo(
      g.threshold + gpdQuantileOfSurvival(g.sigma, g.xi, EXTRAPOLATION_TAIL / g.exceed),
      6,
    );
    expect(g.exceed * gpdSurvival(g.sigma, g.xi, cap - g.threshold)).toBeCloseTo(EXTRAPOLATION_TAIL, 12);
  });
});
