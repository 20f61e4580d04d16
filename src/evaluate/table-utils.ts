/** Small helpers over src/ml typed tables that the evaluator needs (row subsets, exact row keys). */
import type { TypedColumn, TypedTable } from '../ml/index.js';

/** The rows `idx` of a typed table (columns copied; codes/levels unchanged). */
export function takeTableRows(t: TypedTable, idx: ArrayLike<number>): TypedTable {
  const n = idx.length;
  const columns: TypedColumn[] = t.columns.map((c) => {
    if (c.kind === 'numeric') {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = c.values[idx[i]];
      return { ...c, values: v };
    }
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = c.codes[idx[i]];
    return { ...c, codes };
  });
  return { rowCount: n, columns };
}

/** Rows of a and b stacked (same columns, same kinds/levels as produced by alignTables). */
export function concatTables(a: TypedTable, b: TypedTable): TypedTable {
  const columns: TypedColumn[] = a.columns.map((c, k) => {
    const d = b.columns[k];
    if (c.kind === 'numeric' && d.kind === 'numeric') {
      const v = new Float64Array(a.rowCount + b.rowCount);
      v.set(c.values, 0);
      v.set(d.values, a.rowCount);
      return { ...c, values: v };
    }
    if (c.kind === 'categorical' && d.kind === 'categorical') {
      const codes = new Int32Array(a.rowCount + b.rowCount);
      codes.set(c.codes, 0);
      codes.set(d.codes, a.rowCount);
      return { ...c, codes };
    }
    throw new Error(`column "${c.name}" has different kinds in the two tables`);
  });
  return { rowCount: a.rowCount + b.rowCount, columns };
}

/** The table without the named columns. */
export function dropColumns(t: TypedTable, names: readonly string[]): TypedTable {
  return { rowCount: t.rowCount, columns: t.columns.filter((c) => !names.includes(c.name)) };
}

/**
 * An exact key per row (numbers by value, categories by shared code, missing distinct), so
 * identical rows across aligned tables get identical keys.
 */
export function rowKeys(t: TypedTable): string[] {
  const keys = new Array<string>(t.rowCount).fill('');
  for (const c of t.columns) {
    if (c.kind === 'numeric') {
      for (let i = 0; i < t.rowCount; i++) {
        const v = c.values[i];
        keys[i] += Number.isNaN(v) ? '\u0001|' : `${v}|`;
      }
    } else {
      for (let i = 0; i < t.rowCount; i++) keys[i] += `${c.codes[i]}|`;
    }
  }
  return keys;
}
