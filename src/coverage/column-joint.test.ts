import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextUp } from '../model/compile.js';
import { generateRows, generateToFile } from '../sample/index.js';
import type { Spec } from '../spec/schema.js';
import { columnJoint } from './column-joint.js';
import { binMass, buildSkeleton } from './discrete.js';
import { fittedLikeSpec } from './fixtures.js';
import { compileModel, modelCdfBelow } from './quantile.js';

describe("a numeric column's joint form (issue 13.8)", () => {
  it('holds one law per conditional row, not one per parent configuration', () => {
    const spec = fittedLikeSpec({}, 4, 3);
    spec.tables.t.columns.y = {
      type: 'number',
      given: ['c2', 'c3'],
      conditional: {
        parents: [{ column: 'c2' }, { column: 'c3' }],
        rows: [
          { when: ['l0', '*'], dist: { normal: { mean: 0, sd: 1 } } },
          { when: ['*', '*'], dist: { normal: { mean: 5, sd: 1 } } },
        ],
      },
    };
    const model = compileModel(spec, 't');
    const y = model.columns.findIndex((c) => c.name === 'y');
    const sk = buildSkeleton(model, spec.tables.t, [y]);
    if (!sk.ok) throw new Error(sk.reason);
    const mix = sk.skeleton.vars[sk.skeleton.varOf.get(y)!].mix!;
    // 9 parent configurations share 2 rows (it held 9 laws, and a CDF summed over all of them).
    expect(mix.index.length).toBe(9);
    expect(mix.laws.length).toBe(2);
    const joint = columnJoint(model, spec.tables.t, y)!;
    expect(joint.weights[0] + joint.weights[1]).toBeCloseTo(1, 12);
    // P(c2 = l0) from the column's own law: P(y < 2.5) mixes N(0,1) and N(5,1) by it.
    const below = modelCdfBelow(model, spec.tables.t, y, 2.5)!;
    const phi = 0.9937903346742238; // Φ(2.5)
    expect(below).toBeCloseTo(joint.weights[0] * phi + joint.weights[1] * (1 - phi), 10);
  });

  it("tail rows follow the model's law restricted to the region (KS), not the prior's parents", async () => {
    const tailed = fittedLikeSpec(
      { tails: [{ name: 'top', when: 'x > quantile(x, 0.9)', share: 0.5 }] },
      8,
      6,
    );
    const r = await generateRows({ spec: tailed, rows: 8000 });
    const comp = r.coverage!.components[0];
    expect(comp.method).toBe('exact');
    const lo = comp.region!.lo;
    const cells = r.data[r.columns.indexOf('_cell')];
    const xs = (r.data[r.columns.indexOf('x')] as number[])
      .filter((_, i) => cells[i] === 'tail:top')
      .sort((a, b) => a - b);
    expect(xs.length).toBe(4000);
    const model = compileModel(tailed, 't');
    const t = tailed.tables.t;
    const xc = model.columns.findIndex((c) => c.name === 'x');
    // The exact law: P(X ≤ v | X ≥ lo) from the model's CDF.
    const F = (v: number) => modelCdfBelow(model, t, xc, v)!;
    const exact = (v: number) => (F(nextUp(v)) - F(lo)) / (1 - F(lo));
    // The wrong one: each law truncated to the region, weighted by its prior (unconditioned) weight.
    const j = columnJoint(model, t, xc)!;
    const mass = (k: number, a: number, b: number) => {
      const l = j.mix.laws[k];
      return l.law ? binMass(l.law, false, a, b, j.mix.lo, j.mix.hi) : 0;
    };
    const ks = (G: (v: number) => number) => {
      // Values are written with 2 decimals: a value v came from a draw in [v − 0.005, v + 0.005).
      let d = 0;
      let first = 0; // the first index of the current value
      for (let i = 0; i < xs.length; i++) {
        if (i > 0 && xs[i] !== xs[i - 1]) first = i;
        if (i + 1 < xs.length && xs[i + 1] === xs[i]) continue;
        d = Math.max(d, (i + 1) / xs.length - G(xs[i] + 0.005));
        d = Math.max(d, G(xs[i] - 0.005) - first / xs.length);
      }
      return d;
    };
    const prior = (v: number) => {
      let num = 0;
      let den = 0;
      j.weights.forEach((w, k) => {
        const inRegion = mass(k, lo, Number.POSITIVE_INFINITY);
        if (!(inRegion > 0)) return;
        num += (w * mass(k, lo, nextUp(v))) / inRegion;
        den += w;
      });
      return num / den;
    };
    // 1.63 / √n is the KS test's 1% critical value.
    const critical = 1.63 / Math.sqrt(xs.length);
    expect(ks(exact)).toBeLessThan(critical);
    expect(ks(prior)).toBeGreaterThan(critical);
  });

  it('tail runs are byte-identical for 1 and 2 workers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-tail-workers-'));
    const spec: Spec = fittedLikeSpec(
      {
        tails: [
          { name: 'top', when: 'x > quantile(x, 0.99)', share: 0.05 },
          { name: 'beyond', when: 'x > quantile(x, 0.999)', share: 0.05, extrapolate: true },
        ],
      },
      8,
      6,
    );
    const bytes = await Promise.all(
      [1, 2].map(async (workers) => {
        const out = join(dir, `w${workers}.csv`);
        await generateToFile({ spec, rows: 20_000, workers, out });
        return readFileSync(out, 'utf8');
      }),
    );
    expect(bytes[1]).toBe(bytes[0]);
    expect(bytes[0].split('\n').filter((l) => l.includes('tail:beyond')).length).toBe(1000);
  });
});
