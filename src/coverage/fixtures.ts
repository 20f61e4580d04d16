/** Small known networks for the coverage tests (made in code; no files). */
import { streamFor } from '../random/stream.js';
import type { Spec } from '../spec/schema.js';

/**
 * A → B → C → D: A categorical root, B | A table, C numeric | B (normal per state), D | C binned at 2.
 */
export function chainSpec(extra: Partial<Spec> = {}, rows = 4000): Spec {
  return {
    strata: 1,
    seed: 7,
    tables: {
      t: {
        rows,
        columns: {
          A: { type: 'category', values: { a: 0.9, b: 0.1 } },
          B: {
            type: 'category',
            given: ['A'],
            conditional: {
              parents: [{ column: 'A' }],
              rows: [
                { when: ['a'], values: { x: 0.95, y: 0.05 } },
                { when: ['b'], values: { x: 0.2, y: 0.8 } },
              ],
            },
          },
          C: {
            type: 'number',
            given: ['B'],
            decimals: 4,
            conditional: {
              parents: [{ column: 'B' }],
              rows: [
                { when: ['x'], dist: { normal: { mean: 0, sd: 1 } } },
                { when: ['y'], dist: { normal: { mean: 3, sd: 1 } } },
              ],
            },
          },
          D: {
            type: 'category',
            given: ['C'],
            conditional: {
              parents: [{ column: 'C', breaks: [2] }],
              rows: [
                { when: ['0'], values: { lo: 0.9, hi: 0.1 } },
                { when: ['1'], values: { lo: 0.1, hi: 0.9 } },
              ],
            },
          },
        },
      },
    },
    ...extra,
  };
}

/**
 * A model shaped like one `fit` writes: a chain of `width`-level categories, each with a
 * conditional table over the previous two, and a numeric `x` with an empirical quantile table (with
 * an atom at its top, like Adult's capital_gain) per state of the last three. Weights come from a
 * seeded stream, so the model is the same on every run.
 */
export function fittedLikeSpec(extra: Partial<Spec> = {}, chain = 8, width = 8, rows = 4000): Spec {
  const rng = streamFor(11, 'fitted-like');
  const levels = Array.from({ length: width }, (_, i) => `l${i}`);
  const weights = () =>
    Object.fromEntries(levels.map((l) => [l, Number((0.05 + rng.nextFloat()).toFixed(4))]));
  const product = (n: number): string[][] =>
    n === 0 ? [[]] : product(n - 1).flatMap((p) => levels.map((l) => [...p, l]));
  const columns: Spec['tables'][string]['columns'] = {};
  for (let k = 0; k < chain; k++) {
    const parents = [k - 2, k - 1].filter((p) => p >= 0).map((p) => `c${p}`);
    columns[`c${k}`] = parents.length
      ? {
          type: 'category',
          given: parents,
          conditional: {
            parents: parents.map((column) => ({ column })),
            rows: product(parents.length).map((when) => ({ when, values: weights() })),
          },
        }
      : { type: 'category', values: weights() };
  }
  const xParents = [chain - 3, chain - 2, chain - 1].map((p) => `c${p}`);
  columns.x = {
    type: 'number',
    given: xParents,
    decimals: 2,
    conditional: {
      parents: xParents.map((column) => ({ column })),
      rows: product(3).map((when) => {
        const scale = 1000 * (0.5 + rng.nextFloat());
        const knots = Array.from({ length: 41 }, (_, i) => Number((scale * (i / 40) ** 3).toFixed(2)));
        return { when, dist: { empirical: { knots, atoms: { '99999': 0.005 } } } };
      }),
    },
  };
  return { strata: 1, seed: 3, tables: { t: { rows, columns } }, ...extra };
}
