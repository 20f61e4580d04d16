/**
 * Rows grouped under their parent (or entity) and ordered: which column orders a table's rows
 * within a group, and each row's position (`index`) and previous row (`prev`).
 *
 * An order column is a complete datetime/date column (among several, the one that comes first
 * in a row most often — `admittime` before `dischtime` — then the one with fewer ties within a
 * group), else a complete integer column that increases within every group in the file's row
 * order (`seq_num`, `year`). Rows sharing a group and an order value keep the file's order.
 * Pure functions.
 */
import { cleanValue, type InferredColumn, numericValues } from '../data/infer.js';

export interface Grouping {
  /** Group of each row (-1: the row belongs to no group and is left out). */
  group: Int32Array;
  groups: number;
}

export interface Ordered {
  /** Kept rows (original indices), grouped, each group in order. */
  rows: Int32Array;
  /** Per position in `rows`: 0-based position within its group. */
  index: Int32Array;
  /** Per position in `rows`: position (in `rows`) of the previous row of the group, or -1. */
  prev: Int32Array;
  /** Per position in `rows`: its group. */
  group: Int32Array;
}

export interface OrderChoice {
  column: string;
  why: string;
}

/** Group ids from a key column: equal (cleaned) values share a group; missing → -1. */
export function groupByValue(values: readonly (string | null)[]): Grouping {
  const ids = new Map<string, number>();
  const group = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = cleanValue(values[i]);
    if (v === null) {
      group[i] = -1;
      continue;
    }
    let g = ids.get(v);
    if (g === undefined) {
      g = ids.size;
      ids.set(v, g);
    }
    group[i] = g;
  }
  return { group, groups: ids.size };
}

/** Rows per group (groups without rows count 0). */
export function groupSizes(g: Grouping): Int32Array {
  const sizes = new Int32Array(g.groups);
  for (const x of g.group) if (x >= 0) sizes[x]++;
  return sizes;
}

/**
 * Sort the grouped rows: by group (first appearance), then by `order` (NaN last), then file order.
 * Without `order` the file order is kept within each group.
 */
export function orderRows(g: Grouping, order?: Float64Array): Ordered {
  const kept: number[] = [];
  for (let i = 0; i < g.group.length; i++) if (g.group[i] >= 0) kept.push(i);
  const key = (i: number) => (order ? order[i] : 0);
  kept.sort((a, b) => {
    const ga = g.group[a];
    const gb = g.group[b];
    if (ga !== gb) return ga - gb;
    const ka = key(a);
    const kb = key(b);
    const na = Number.isNaN(ka);
    const nb = Number.isNaN(kb);
    if (na !== nb) return na ? 1 : -1;
    if (!na && ka !== kb) return ka - kb;
    return a - b;
  });
  const n = kept.length;
  const rows = Int32Array.from(kept);
  const index = new Int32Array(n);
  const prev = new Int32Array(n);
  const group = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    group[p] = g.group[rows[p]];
    const same = p > 0 && group[p - 1] === group[p];
    index[p] = same ? index[p - 1] + 1 : 0;
    prev[p] = same ? p - 1 : -1;
  }
  return { rows, index, prev, group };
}

const ORDER_NAME =
  /^(seq|seq_?num|sequence|step|t|time|period|year|month|week|day|visit|visit_?num|order|rank|position|idx)$/i;

/**
 * The column that orders a group's rows (see the module comment), or undefined when none does.
 * `infos` and `raw` are the table's columns; `exclude` names columns that cannot order (keys).
 */
export function detectOrder(
  infos: readonly InferredColumn[],
  raw: readonly (readonly (string | null)[])[],
  g: Grouping,
  exclude: ReadonlySet<string> = new Set(),
): OrderChoice | undefined {
  const complete = (info: InferredColumn) => info.missing === 0 && info.rows > 0;
  const times: { name: string; values: Float64Array }[] = [];
  const ints: { name: string; values: Float64Array }[] = [];
  infos.forEach((info, c) => {
    if (exclude.has(info.name) || !complete(info)) return;
    if (info.kind === 'datetime' || info.kind === 'date')
      times.push({ name: info.name, values: numericValues(info, raw[c]) });
    else if (info.kind === 'integer') ints.push({ name: info.name, values: numericValues(info, raw[c]) });
  });
  const tiesWithin = (v: Float64Array): number => {
    const seen = new Set<string>();
    let ties = 0;
    for (let i = 0; i < v.length; i++) {
      if (g.group[i] < 0) continue;
      const k = `${g.group[i]}:${v[i]}`;
      if (seen.has(k)) ties++;
      else seen.add(k);
    }
    return ties;
  };
  if (times.length > 0) {
    // "First in its row": rows where the column is ≤ every other complete time column.
    const firstCount = times.map((t) => {
      let c = 0;
      for (let i = 0; i < t.values.length; i++) if (times.every((o) => t.values[i] <= o.values[i])) c++;
      return c;
    });
    const ties = times.map((t) => tiesWithin(t.values));
    let best = 0;
    for (let k = 1; k < times.length; k++)
      if (firstCount[k] > firstCount[best] || (firstCount[k] === firstCount[best] && ties[k] < ties[best]))
        best = k;
    const others = times.length - 1;
    return {
      column: times[best].name,
      why:
        others > 0
          ? `the complete time column that comes first in ${firstCount[best]} of ${times[best].values.length} rows`
          : 'the complete time column',
    };
  }
  for (const t of ints) {
    // Increasing within every group in the file's order, or named like an order and distinct per group.
    let increasing = true;
    const last = new Map<number, number>();
    for (let i = 0; i < t.values.length && increasing; i++) {
      const gi = g.group[i];
      if (gi < 0) continue;
      const p = last.get(gi);
      if (p !== undefined && !(t.values[i] > p)) increasing = false;
      last.set(gi, t.values[i]);
    }
    if (increasing) return { column: t.name, why: 'an integer column increasing within every group' };
    if (ORDER_NAME.test(t.name) && tiesWithin(t.values) === 0)
      return { column: t.name, why: 'an integer column named like an order, distinct within every group' };
  }
  return undefined;
}
