/** Small known networks for the coverage tests (made in code; no files). */
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
