import { describe, expect, it } from 'vitest';
import { chiSquarePValue } from '../random/testing/goodness.js';
import { generateRows } from '../sample/index.js';
import { parseSpecText } from '../spec/index.js';
import { probabilityStep, roundLaw, roundShare } from './row-precision.js';

const decimals = (x: number) => (String(x).split('.')[1] ?? '').length;

describe('probabilities with the digits their counts resolve', () => {
  it('a row of 215 rows gets fewer digits than one of 20,000, and each law sums to exactly 1', () => {
    const law = [0.6023417, 0.3012345, 0.0964238];
    const small = roundLaw(law, 215);
    const large = roundLaw(law, 20_000);
    expect(Math.max(...small.map(decimals))).toBeLessThan(Math.max(...large.map(decimals)));
    for (const r of [small, large]) {
      const units = 10 ** Math.max(...r.map(decimals));
      expect(r.reduce((s, p) => s + Math.round(p * units), 0)).toBe(units);
    }
    // standard errors 0.033 / 0.031 / 0.020 at n = 215: steps of 0.01
    expect(small).toEqual([0.6, 0.3, 0.1]);
  });

  it('rounds each probability within a quarter of its standard error', () => {
    for (const n of [20, 215, 4787, 100_000])
      for (const law of [
        [0.5, 0.5],
        [0.9996, 0.0004],
        [0.2, 0.3, 0.1, 0.25, 0.15],
        [0.7231, 0.1612, 0.03453, 0.04669, 0.03449],
      ]) {
        const r = roundLaw(law, n);
        const largest = law.indexOf(Math.max(...law));
        law.forEach((p, i) => {
          const se = Math.sqrt((p * (1 - p)) / n);
          // the largest takes the others' remainders: within the sum of their half-steps
          const bound =
            i === largest ? law.reduce((s, q) => s + probabilityStep(q, n), 0) : Math.max(se / 4, 5e-7);
          expect(Math.abs(r[i] - p), `n ${n} p ${p}`).toBeLessThanOrEqual(bound + 1e-12);
        });
      }
  });

  it('drops smoothing mass below a fraction of a row and keeps a value seen once', () => {
    const n = 1318;
    const r = roundLaw([1 - 2e-6, 2e-6], n);
    expect(r).toEqual([1, 0]);
    // 0.00001 in a row of 451 rows is 1/200 of a row
    expect(roundLaw([0.5, 0.49999, 0.00001], 451)[2]).toBe(0);
    const once = roundLaw([1 - 1 / n, 1 / n], n);
    expect(once[1]).toBeGreaterThan(0);
    expect(roundShare(0.05612, 300)).toBe(0.056); // se 0.013: a step of 0.001
    expect(roundShare(0, 300)).toBe(0);
  });

  it('a model written with rounded laws generates each law (chi-square, α = 0.001)', async () => {
    const law = roundLaw([0.5123, 0.3377, 0.15], 215);
    const text = [
      'strata: 1',
      'tables:',
      '  t:',
      '    rows: 20000',
      '    columns:',
      `      x: {type: category, values: {a: ${law[0]}, b: ${law[1]}, c: ${law[2]}}}`,
      '',
    ].join('\n');
    const spec = parseSpecText(text, 'm.yaml').spec;
    const gen = await generateRows({ spec, rows: 20_000, seed: 3 });
    const xs = gen.data[0] as string[];
    const counts = ['a', 'b', 'c'].map((v) => xs.filter((x) => x === v).length);
    expect(chiSquarePValue(counts, law)).toBeGreaterThan(0.001);
    expect(law.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
  });
});
