/**
 * A constant integer column (every real row 0) is fitted as `min: 0, max: 0` with an empirical law
 * on knots [-0.5, 0.5]. The draw covers [a − 0.5, b + 0.5) and rounds, so the law has all its mass
 * there, but the load-time check measured the mass on [0, 0] and refused the model
 * (`model.empty_truncation`): `fit` then `generate` failed on any table with such a column (the
 * MIMIC demo's CALLOUT.request_resp). The check now measures the interval the draw uses.
 */
import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { generateRows } from '../sample/generate.js';
import { parseSpecText } from '../spec/index.js';

const spec = (column: string) =>
  `strata: 1\ntables:\n  t:\n    rows: 50\n    columns:\n      a: { type: number, dist: { uniform: { min: 1, max: 2 } } }\n      ${column}\n`;

const draw = async (column: string): Promise<unknown[]> =>
  (await generateRows({ spec: parseSpecText(spec(column), 'c.yaml').spec, seed: 1 })).data[1];

describe('constant columns at their bounds', () => {
  it('an integer with min = max under a continuous law draws that value', async () => {
    const z = await draw('z: { type: integer, min: 0, max: 0, dist: { empirical: { knots: [-0.5, 0.5] } } }');
    expect(z.length).toBe(50);
    expect(new Set(z)).toEqual(new Set([0]));
  });

  it('an integer with min = max = 7 under a normal law draws 7', async () => {
    const z = await draw('z: { type: integer, min: 7, max: 7, dist: { normal: { mean: 7, sd: 0.01 } } }');
    expect(new Set(z)).toEqual(new Set([7]));
  });

  it('bounds that leave no mass even on the draw interval are still refused', async () => {
    await expect(
      draw('z: { type: integer, min: 5, max: 5, dist: { empirical: { knots: [-0.5, 0.5] } } }'),
    ).rejects.toThrow(StrataError);
  });
});
