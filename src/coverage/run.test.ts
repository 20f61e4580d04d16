import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { law } from '../random/testing/laws.js';
import { generateRows, generateToFile } from '../sample/generate.js';
import type { Spec } from '../spec/schema.js';
import { chainSpec } from './fixtures.js';

const col = (r: { columns: string[]; data: unknown[][] }, name: string) => r.data[r.columns.indexOf(name)];

describe('coverage runs', () => {
  it('inside a cell, B follows the exact posterior P(B | A, D) (chi-square)', async () => {
    const spec = chainSpec({ coverage: { t: { axes: ['A', 'D'], min_per_cell: 3000 } } }, 12_000);
    const r = await generateRows({ spec });
    const A = col(r, 'A');
    const B = col(r, 'B');
    const D = col(r, 'D');
    const cell = col(r, '_cell');
    // Exact: P(B | A=b, D=hi) ∝ P(B | b) · P(D=hi | B), P(D=hi | B) = Σ_bins P(C bin | B) P(hi | bin).
    const pHigh = (mean: number) => {
      const above = 1 - law('normal', { mean, sd: 1 }).cdf(2);
      return above * 0.9 + (1 - above) * 0.1;
    };
    const wx = 0.2 * pHigh(0);
    const wy = 0.8 * pHigh(3);
    const px = wx / (wx + wy);
    let nx = 0;
    let n = 0;
    for (let i = 0; i < r.rows; i++) {
      if (cell[i] !== 'A=b|D=hi') continue;
      expect(A[i]).toBe('b');
      expect(D[i]).toBe('hi');
      n++;
      if (B[i] === 'x') nx++;
    }
    expect(n).toBeGreaterThanOrEqual(3000);
    const chi = (nx - n * px) ** 2 / (n * px) + (n - nx - n * (1 - px)) ** 2 / (n * (1 - px));
    expect(chi).toBeLessThan(10.83); // 1 df, p = 0.001
    // Every cell got its quota, drawn with one posterior draw per row (no rejection).
    for (const c of r.coverage!.components) {
      expect(c.delivered).toBeGreaterThanOrEqual(3000);
      expect(c.draws).toBe(c.drawn);
    }
  });

  it('weights match the closed form and recover the model marginals', async () => {
    const spec: Spec = {
      strata: 1,
      seed: 3,
      tables: {
        t: {
          rows: 20_000,
          columns: {
            A: { type: 'category', values: { a: 0.95, b: 0.05 } },
            B: {
              type: 'category',
              given: ['A'],
              conditional: {
                parents: [{ column: 'A' }],
                rows: [
                  { when: ['a'], values: { x: 0.7, y: 0.3 } },
                  { when: ['b'], values: { x: 0.1, y: 0.9 } },
                ],
              },
            },
          },
        },
      },
      coverage: { t: { axes: ['A'], min_per_cell: 5000 } },
    };
    const r = await generateRows({ spec });
    const N = 20_000;
    const Q = 10_000;
    const w = col(r, '_weight') as number[];
    const A = col(r, 'A');
    const B = col(r, 'B');
    const expectA = 1 / ((N - Q) / N + 5000 / (N * 0.95));
    const expectB = 1 / ((N - Q) / N + 5000 / (N * 0.05));
    for (let i = 0; i < N; i++) expect(w[i]).toBeCloseTo(A[i] === 'a' ? expectA : expectB, 5);
    let sw = 0;
    let swb = 0;
    let swy = 0;
    for (let i = 0; i < N; i++) {
      sw += w[i];
      if (A[i] === 'b') swb += w[i];
      if (B[i] === 'y') swy += w[i];
    }
    expect(Math.abs(swb / sw - 0.05)).toBeLessThan(0.01);
    expect(Math.abs(swy / sw - (0.95 * 0.3 + 0.05 * 0.9))).toBeLessThan(0.015);
    const ess = r.coverage!.effectiveSampleSize;
    expect(ess).toBeGreaterThan(1000);
    expect(ess).toBeLessThan(N);
  });

  it('a cell made impossible by a rule is named before any file exists', async () => {
    const spec = chainSpec({ coverage: { t: { axes: ['A', 'B'], min_per_cell: 10 } } });
    spec.tables.t.rules = [{ name: 'no_b', check: "A != 'b'" }];
    const out = join(mkdtempSync(join(tmpdir(), 'cov-')), 'x.csv');
    const err = await generateToFile({ spec, out }).catch((e) => e);
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).code).toBe('coverage.infeasible');
    expect((err as StrataError).message).toContain('A=b|B=x');
    expect((err as StrataError).message).toContain('no_b');
    expect((err as StrataError).hint).toContain('--allow-empty-cells');
    expect(existsSync(out)).toBe(false);
    const ok = await generateRows({ spec, allowEmptyCells: true });
    expect(ok.coverage!.empty.map((e) => e.key).sort()).toEqual(['A=b|B=x', 'A=b|B=y']);
    expect((col(ok, 'A') as string[]).includes('b')).toBe(false);
  });

  it('a cell with zero probability in a conditional table is infeasible, naming the table', async () => {
    const spec = chainSpec({ coverage: { t: { axes: ['A', 'B'], min_per_cell: 10 } } });
    const b = spec.tables.t.columns.B;
    b.conditional!.rows[1].values = { x: 1, y: 0 };
    const err = await generateRows({ spec }).catch((e) => e);
    expect((err as StrataError).code).toBe('coverage.infeasible');
    expect((err as StrataError).message).toMatch(/A=b\|B=y: .*conditional tables of A, B/);
    expect((err as StrataError).message).not.toContain('A=a|B=y');
  });

  it('reads wildcard rows like the sampler: exact row first, then "*"', async () => {
    const spec = chainSpec({ coverage: { t: { axes: ['A', 'B'], min_per_cell: 10 } } });
    const b = spec.tables.t.columns.B;
    // A=b has no row of its own: the wildcard row (y impossible) applies, so A=b|B=y is infeasible
    b.conditional!.rows = [
      { when: ['a'], values: { x: 0.7, y: 0.3 } },
      { when: ['*'], values: { x: 1, y: 0 } },
    ];
    const err = await generateRows({ spec }).catch((e) => e);
    expect((err as StrataError).code).toBe('coverage.infeasible');
    expect((err as StrataError).message).toMatch(/A=b\|B=y/);
    expect((err as StrataError).message).not.toContain('A=a|B=y');
    expect((err as StrataError).message).not.toContain('A=b|B=x');
    // with an exact row for A=b that allows y, every cell is filled
    b.conditional!.rows.unshift({ when: ['b'], values: { x: 0.5, y: 0.5 } });
    const ok = await generateRows({ spec });
    const cells = new Set(col(ok, '_cell') as string[]);
    expect(cells).toEqual(new Set(['A=a|B=x', 'A=a|B=y', 'A=b|B=x', 'A=b|B=y']));
  });

  it('tails: share 5% ± 0.5% in the region, with weights; extrapolation marks values beyond the max', async () => {
    const spec: Spec = {
      strata: 1,
      seed: 11,
      tables: {
        t: {
          rows: 10_000,
          columns: {
            g: { type: 'category', values: { u: 0.5, v: 0.5 } },
            x: {
              type: 'number',
              given: ['g'],
              conditional: {
                parents: [{ column: 'g' }],
                rows: [
                  { when: ['u'], dist: { empirical: { knots: [0, 1, 2, 4, 8, 20] } } },
                  { when: ['v'], dist: { empirical: { knots: [0, 2, 3, 5, 9, 30] } } },
                ],
              },
            },
          },
        },
      },
      tails: [{ name: 'big', when: 'x > quantile(x, 0.999)', share: 0.05 }],
    };
    const r = await generateRows({ spec });
    const x = col(r, 'x') as number[];
    const w = col(r, '_weight') as number[];
    const tail = r.coverage!.components[0];
    const q = tail.probability; // P(region) ≈ 0.001
    expect(q).toBeGreaterThan(0.0009);
    expect(q).toBeLessThan(0.0011);
    const thr = Math.min(...x.filter((_, i) => col(r, '_cell')[i] === 'tail:big'));
    const share = x.filter((v) => v >= thr).length / r.rows;
    expect(Math.abs(share - 0.05)).toBeLessThanOrEqual(0.005);
    expect(w.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
    expect(Math.max(...x)).toBeLessThanOrEqual(30);

    // Beyond the maximum: empty without extrapolation, extrapolated and marked with it.
    const beyond: Spec = { ...spec, tails: [{ name: 'far', when: 'x > 30', share: 0.05 }] };
    const err = await generateRows({ spec: beyond }).catch((e) => e);
    expect((err as StrataError).code).toBe('coverage.infeasible');
    expect((err as StrataError).hint).toContain('extrapolate');
    const ex = await generateRows({
      spec: { ...spec, tails: [{ name: 'far', when: 'x > 30', share: 0.05, extrapolate: true }] },
    });
    const xe = col(ex, 'x') as number[];
    const flag = col(ex, '_extrapolated') as boolean[];
    const marked = xe.filter((_, i) => flag[i]);
    expect(marked.length).toBe(500);
    expect(marked.every((v) => v > 30)).toBe(true);
    expect(xe.filter((v, i) => v > 30 && !flag[i])).toHaveLength(0);
  });

  it('is byte-identical for 1 and 2 workers', async () => {
    const spec = chainSpec({
      coverage: {
        t: { axes: ['A', { name: 'Cband', column: 'C', bins: [-10, 0, 2, 10] }], min_per_cell: 300 },
      },
    });
    const d = mkdtempSync(join(tmpdir(), 'cov-'));
    await generateToFile({ spec, out: join(d, 'a.csv'), workers: 1 });
    await generateToFile({ spec, out: join(d, 'b.csv'), workers: 2 });
    const a = readFileSync(join(d, 'a.csv'), 'utf8');
    expect(readFileSync(join(d, 'b.csv'), 'utf8')).toBe(a);
    expect(a.split('\n')[0]).toBe('A,B,C,D,_cell,_weight,_scenario,_extrapolated');
  });

  it('cost does not grow with rarity: one posterior draw per row even at P(cell) = 1e-7', async () => {
    const spec = chainSpec({ coverage: { t: { axes: ['A'], min_per_cell: 200 } } }, 1000);
    spec.tables.t.columns.A.values = { a: 1 - 1e-7, b: 1e-7 };
    const r = await generateRows({ spec });
    const rare = r.coverage!.components.find((c) => c.key === 'A=b')!;
    expect(rare.probability).toBeCloseTo(1e-7, 12);
    expect(rare.drawn).toBe(200);
    expect(rare.draws).toBe(200);
  });
});
