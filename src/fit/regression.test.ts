import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import { generateRows } from '../sample/index.js';
import { parseSpecText } from '../spec/index.js';
import { fitTable } from './fit.js';

/** A linear-Gaussian chain a → b → c with c = 0.6 a + 0.4 b + noise (amounts, 15% exact zeros in c). */
function chain(n: number, seed: number) {
  const s = streamFor(seed, 'chain');
  const g = () => Math.sqrt(-2 * Math.log(s.nextOpen())) * Math.cos(2 * Math.PI * s.nextFloat());
  const cols: string[][] = [[], [], []];
  for (let i = 0; i < n; i++) {
    const a = 1000 + 300 * g();
    const b = 0.9 * a + 100 + 60 * g();
    const c = s.nextFloat() < 0.15 ? 0 : 0.6 * a + 0.4 * b + 15 * g();
    cols[0].push(a.toFixed(0));
    cols[1].push(b.toFixed(0));
    cols[2].push(c.toFixed(0));
  }
  return { name: 'chain', columns: ['a', 'b', 'c'], rowCount: n, data: cols };
}

describe('regression-style numeric children (value = f(parents) + residual)', () => {
  const raw = chain(6000, 1);
  const knowledge = {
    required: [
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ] as [string, string][],
    forbidden: [],
    tiers: [],
    roots: [],
  };
  const fit = fitTable(raw, { seed: 1, knowledge });
  const c = fit.spec.tables.chain.columns.c;

  it('recovers the mechanism type and the coefficients of a linear chain', () => {
    const emp = c.conditional?.default?.dist?.empirical as { shift?: string; slope?: number } | undefined;
    expect(emp?.shift).toBeDefined();
    const shift = String(emp?.shift);
    const coef = (name: string) => Number(new RegExp(`([0-9.]+) \\* ${name}\\b`).exec(shift)?.[1]);
    // f(parents) is the least-squares regression; per parent state the residual's knots and a
    // pooled slope on f carry what is left.
    expect(shift).toMatch(/^round\(/);
    expect(coef('a')).toBeCloseTo(0.6, 1);
    expect(coef('b')).toBeCloseTo(0.4, 1);
    expect(fit.columns.find((x) => x.name === 'c')?.summary).toMatch(/round\(0\.\d+ \* a \+ 0\.\d+ \* b/);
  });

  it('generates rows that keep the chain tight and the zeros exact', async () => {
    const loaded = parseSpecText(fit.yaml, 'chain.yaml');
    const g = await generateRows({ spec: loaded.spec, rows: 4000, seed: 3 });
    const [ia, ib, ic] = ['a', 'b', 'c'].map((n) => g.columns.indexOf(n));
    let zeros = 0;
    const resid: number[] = [];
    for (let i = 0; i < g.rows; i++) {
      const cv = Number(g.data[ic][i]);
      if (cv === 0) zeros++;
      else resid.push(cv - 0.6 * Number(g.data[ia][i]) - 0.4 * Number(g.data[ib][i]));
    }
    expect(zeros / g.rows).toBeGreaterThan(0.12);
    expect(zeros / g.rows).toBeLessThan(0.18);
    const sd = Math.sqrt(resid.reduce((t, r) => t + r * r, 0) / resid.length);
    // The noise is 15; binned tables alone leave the within-bin spread of a and b (≫ 15).
    expect(sd).toBeLessThan(30);
  });
});
