/**
 * One feature vector per entity from its whole history, for the per-entity detection classifier:
 * the root row's own values (a tree), and for every table under it the number of rows, the first,
 * last and mean value of each numeric or datetime column (in sequence order), the mean and sd of
 * the gaps between consecutive rows of its sequence, and the shares of the most common real
 * categories. The plan (which columns, which categories) is read from the real tables once, so
 * every table set is described by the same features.
 */
import type { RawTable } from '../../io/index.js';
import { inferKinds, levelKey, type TypedTable } from '../../ml/index.js';
import type { EntityAssignment, EntityRoot } from './entities.js';
import type { Links, SequenceLink } from './links.js';
import { inSequence, sequenced } from './order.js';
import { isIdentifier } from './sequences.js';
import { columnOf, datetimeColumns, orderValues, type TableSet } from './tables.js';

/** Categorical columns with more real levels than this are left out (free text, codes). */
const MAX_LEVELS = 50;
/** Shares of this many of the most common real categories per categorical column. */
const TOP_LEVELS = 5;

interface TablePlan {
  table: string;
  /** The root table of a tree: one row per entity, its values are features as they are. */
  own: boolean;
  numeric: string[];
  categorical: { column: string; levels: string[] }[];
  sequence: SequenceLink | undefined;
}

export interface FeaturePlan {
  root: EntityRoot;
  tables: TablePlan[];
}

function present(s: string | null | undefined): s is string {
  return s !== null && s !== undefined && s.trim() !== '';
}

function topLevels(col: readonly (string | null)[]): string[] | undefined {
  const n = new Map<string, number>();
  for (const s of col) if (present(s)) n.set(levelKey(s), (n.get(levelKey(s)) ?? 0) + 1);
  if (n.size < 2 || n.size > MAX_LEVELS) return undefined;
  return [...n]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP_LEVELS)
    .map(([level]) => level);
}

export function featurePlan(real: TableSet, root: EntityRoot, links: Links): FeaturePlan {
  const tables: TablePlan[] = [];
  for (const name of root.tables) {
    const t = real.get(name) as RawTable;
    const sequence = links.sequences.find((s) => s.table === name);
    const skip = new Set<string>([
      ...links.keys.filter((k) => k.table === name).map((k) => k.column),
      ...links.refs.filter((r) => r.child === name).map((r) => r.column),
      ...(sequence?.entity ? [sequence.entity] : []),
      ...(name === root.table ? [root.entity] : []),
    ]);
    const kinds = inferKinds(t);
    const dt = new Set(datetimeColumns(t));
    const numeric: string[] = [];
    const categorical: TablePlan['categorical'] = [];
    for (const c of t.columns) {
      if (skip.has(c)) continue;
      const col = columnOf(t, c) ?? [];
      if (dt.has(c)) numeric.push(c);
      else if (kinds[c] === 'numeric') {
        if (!isIdentifier(col)) numeric.push(c);
      } else {
        const levels = topLevels(col);
        if (levels) categorical.push({ column: c, levels });
      }
    }
    tables.push({
      table: name,
      own: root.kind === 'tree' && name === root.table,
      numeric,
      categorical,
      sequence,
    });
  }
  return { root, tables };
}

/** Feature columns, each one value per entity (NaN = undefined, e.g. no rows). */
type Columns = { name: string; values: Float64Array }[];

function ownFeatures(t: RawTable, p: TablePlan, of: Int32Array, count: number, out: Columns): void {
  for (const c of p.numeric) {
    const v = orderValues(columnOf(t, c) ?? []);
    const f = new Float64Array(count).fill(Number.NaN);
    for (let i = 0; i < t.rowCount; i++) if (of[i] >= 0) f[of[i]] = v[i];
    out.push({ name: `${p.table}.${c}`, values: f });
  }
  for (const { column, levels } of p.categorical) {
    const col = columnOf(t, column) ?? [];
    for (const level of levels) {
      const f = new Float64Array(count).fill(Number.NaN);
      for (let i = 0; i < t.rowCount; i++) {
        const s = col[i];
        if (of[i] >= 0) f[of[i]] = present(s) && levelKey(s) === level ? 1 : 0;
      }
      out.push({ name: `${p.table}.${column}=${level}`, values: f });
    }
  }
}

/** Rows of a history table grouped by entity, in sequence order within each (file order without one). */
function byEntity(t: RawTable, p: TablePlan, of: Int32Array): Int32Array {
  const order = p.sequence
    ? orderValues(columnOf(t, p.sequence.order) ?? [])
    : Float64Array.from({ length: t.rowCount }, (_, i) => i);
  const idx = Array.from({ length: t.rowCount }, (_, i) => i).filter((i) => of[i] >= 0);
  const within = inSequence(order);
  idx.sort((a, b) => (of[a] !== of[b] ? of[a] - of[b] : within(a, b)));
  return Int32Array.from(idx);
}

function historyFeatures(t: RawTable, p: TablePlan, of: Int32Array, count: number, out: Columns): void {
  const rows = byEntity(t, p, of);
  const n = new Float64Array(count);
  for (const i of rows) n[of[i]]++;
  out.push({ name: `${p.table}.count`, values: n });
  for (const c of p.numeric) {
    const v = orderValues(columnOf(t, c) ?? []);
    const first = new Float64Array(count).fill(Number.NaN);
    const last = new Float64Array(count).fill(Number.NaN);
    const sum = new Float64Array(count);
    const k = new Float64Array(count);
    for (const i of rows) {
      const x = v[i];
      if (Number.isNaN(x)) continue;
      const e = of[i];
      if (Number.isNaN(first[e])) first[e] = x;
      last[e] = x;
      sum[e] += x;
      k[e]++;
    }
    const mean = sum.map((s, e) => (k[e] > 0 ? s / k[e] : Number.NaN));
    out.push(
      { name: `${p.table}.${c}.first`, values: first },
      { name: `${p.table}.${c}.last`, values: last },
      { name: `${p.table}.${c}.mean`, values: mean },
    );
  }
  for (const { column, levels } of p.categorical) {
    const col = columnOf(t, column) ?? [];
    for (const level of levels) {
      const hits = new Float64Array(count);
      for (const i of rows) {
        const s = col[i];
        if (present(s) && levelKey(s) === level) hits[of[i]]++;
      }
      out.push({
        name: `${p.table}.${column}=${level} share`,
        values: hits.map((h, e) => (n[e] > 0 ? h / n[e] : Number.NaN)),
      });
    }
  }
  if (p.sequence) gapFeatures(t, p, p.sequence, of, count, out);
}

/** Mean and sd of the gaps between consecutive rows of the table's own sequences, per entity. */
function gapFeatures(
  t: RawTable,
  p: TablePlan,
  link: SequenceLink,
  of: Int32Array,
  count: number,
  out: Columns,
): void {
  const seq = sequenced(t, link);
  const k = new Float64Array(count);
  const s1 = new Float64Array(count);
  const s2 = new Float64Array(count);
  for (let q = 1; q < seq.rows.length; q++) {
    if (seq.starts[q]) continue;
    const i = seq.rows[q];
    const e = of[i];
    const g = seq.order[i] - seq.order[seq.rows[q - 1]];
    if (e < 0 || Number.isNaN(g)) continue;
    k[e]++;
    s1[e] += g;
    s2[e] += g * g;
  }
  const mean = s1.map((s, e) => (k[e] > 0 ? s / k[e] : Number.NaN));
  const sd = s2.map((s, e) => (k[e] > 0 ? Math.sqrt(Math.max(0, s / k[e] - mean[e] ** 2)) : Number.NaN));
  out.push({ name: `${p.table}.gap.mean`, values: mean }, { name: `${p.table}.gap.sd`, values: sd });
}

/** The entities of one table set as a typed table of numeric features (one row per entity). */
export function entityFeatures(set: TableSet, plan: FeaturePlan, entities: EntityAssignment): TypedTable {
  const out: Columns = [];
  for (const p of plan.tables) {
    const t = set.get(p.table);
    const of = entities.rows.get(p.table);
    if (!t || !of) {
      // A missing table: its features are undefined for every entity (counts 0).
      const blank = historyColumns(p).map((name) => ({
        name,
        values: new Float64Array(entities.count).fill(name.endsWith('.count') ? 0 : Number.NaN),
      }));
      out.push(...blank);
      continue;
    }
    if (p.own) ownFeatures(t, p, of, entities.count, out);
    else historyFeatures(t, p, of, entities.count, out);
  }
  return {
    rowCount: entities.count,
    columns: out.map((c) => ({ name: c.name, kind: 'numeric', values: c.values, integer: false })),
  };
}

/** The feature names a table plan gives (the same whatever the table set). */
function historyColumns(p: TablePlan): string[] {
  if (p.own)
    return [
      ...p.numeric.map((c) => `${p.table}.${c}`),
      ...p.categorical.flatMap(({ column, levels }) => levels.map((l) => `${p.table}.${column}=${l}`)),
    ];
  return [
    `${p.table}.count`,
    ...p.numeric.flatMap((c) => [`${p.table}.${c}.first`, `${p.table}.${c}.last`, `${p.table}.${c}.mean`]),
    ...p.categorical.flatMap(({ column, levels }) => levels.map((l) => `${p.table}.${column}=${l} share`)),
    ...(p.sequence ? [`${p.table}.gap.mean`, `${p.table}.gap.sd`] : []),
  ];
}
