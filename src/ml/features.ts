/** Typed tables → dense row-major feature matrices for the classifiers. */
import { StrataError } from '../errors.js';
import type { TypedTable } from './typed-table.js';

export interface FeatureMatrix {
  rows: number;
  cols: number;
  /** Row-major; NaN = missing. */
  data: Float64Array;
  names: string[];
  /** true: the value is a category code. */
  categorical: boolean[];
}

/** One column per table column (minus `exclude`); categorical columns hold their code, missing → NaN. */
export function toFeatures(t: TypedTable, exclude: readonly string[] = []): FeatureMatrix {
  for (const e of exclude) {
    if (!t.columns.some((c) => c.name === e)) {
      throw new StrataError(
        'ml.unknown_column',
        `cannot exclude column "${e}": the table has no such column`,
        { path: `exclude.${e}` },
        `columns are: ${t.columns.map((c) => c.name).join(', ')}`,
      );
    }
  }
  const cols = t.columns.filter((c) => !exclude.includes(c.name));
  const n = t.rowCount;
  const p = cols.length;
  const data = new Float64Array(n * p);
  cols.forEach((c, j) => {
    if (c.kind === 'numeric') {
      const v = c.values;
      for (let i = 0; i < n; i++) data[i * p + j] = v[i];
    } else {
      const codes = c.codes;
      for (let i = 0; i < n; i++) data[i * p + j] = codes[i] < 0 ? Number.NaN : codes[i];
    }
  });
  return {
    rows: n,
    cols: p,
    data,
    names: cols.map((c) => c.name),
    categorical: cols.map((c) => c.kind === 'categorical'),
  };
}

/** The rows `idx` of `m`, in that order. */
export function takeRows(m: FeatureMatrix, idx: ArrayLike<number>): FeatureMatrix {
  const p = m.cols;
  const data = new Float64Array(idx.length * p);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    if (i < 0 || i >= m.rows || !Number.isInteger(i)) {
      throw new StrataError('ml.row_index', `row index ${i} is outside 0..${m.rows - 1}`, {
        path: `idx[${r}]`,
      });
    }
    data.set(m.data.subarray(i * p, i * p + p), r * p);
  }
  return { rows: idx.length, cols: p, data, names: m.names.slice(), categorical: m.categorical.slice() };
}

/** `a` then `b` (same columns, by name and kind). */
export function concatRows(a: FeatureMatrix, b: FeatureMatrix): FeatureMatrix {
  const same =
    a.cols === b.cols && a.names.every((n, j) => n === b.names[j] && a.categorical[j] === b.categorical[j]);
  if (!same) {
    throw new StrataError(
      'ml.column_mismatch',
      `cannot stack matrices with different columns: [${a.names.join(', ')}] vs [${b.names.join(', ')}]`,
      {},
      'build both from tables aligned with alignTables()',
    );
  }
  const data = new Float64Array((a.rows + b.rows) * a.cols);
  data.set(a.data, 0);
  data.set(b.data, a.rows * a.cols);
  return {
    rows: a.rows + b.rows,
    cols: a.cols,
    data,
    names: a.names.slice(),
    categorical: a.categorical.slice(),
  };
}
