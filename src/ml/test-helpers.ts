/** Seeded fixtures shared by the ml tests (not exported from index.ts). */
import { streamFor } from '../random/stream.js';
import type { FeatureMatrix } from './features.js';
import type { TypedTable } from './typed-table.js';

/** A random mixed table: numeric columns (some integer, with ties) and categorical ones, with missing values. */
export function randomMixedTable(
  n: number,
  seed: number,
  opts: { numeric?: number; categorical?: number; missing?: number; duplicates?: number } = {},
): TypedTable {
  const s = streamFor(seed, 'fixture');
  const nNum = opts.numeric ?? 3;
  const nCat = opts.categorical ?? 2;
  const miss = opts.missing ?? 0.1;
  const columns: TypedTable['columns'] = [];
  for (let j = 0; j < nNum; j++) {
    const values = new Float64Array(n);
    const integer = j % 2 === 1;
    for (let i = 0; i < n; i++) {
      values[i] = s.nextFloat() < miss ? Number.NaN : integer ? s.nextInt(8) : s.nextFloat() * 100 - 20;
    }
    columns.push({ name: `x${j}`, kind: 'numeric', values, integer });
  }
  for (let j = 0; j < nCat; j++) {
    const levels = ['a', 'b', 'c', 'd'].slice(0, 2 + j);
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = s.nextFloat() < miss ? -1 : s.nextInt(levels.length);
    columns.push({ name: `c${j}`, kind: 'categorical', codes, levels });
  }
  // Copy some rows onto others so exact duplicates exist.
  const dups = opts.duplicates ?? 0;
  for (let t = 0; t < dups; t++) {
    const from = s.nextInt(n);
    const to = s.nextInt(n);
    for (const c of columns) {
      if (c.kind === 'numeric') c.values[to] = c.values[from];
      else c.codes[to] = c.codes[from];
    }
  }
  return { rowCount: n, columns };
}

/** A dense matrix from column arrays. */
export function matrix(cols: number[][], categorical: boolean[] = cols.map(() => false)): FeatureMatrix {
  const rows = cols[0].length;
  const p = cols.length;
  const data = new Float64Array(rows * p);
  for (let i = 0; i < rows; i++) for (let j = 0; j < p; j++) data[i * p + j] = cols[j][i];
  return { rows, cols: p, data, names: cols.map((_, j) => `f${j}`), categorical };
}
