/**
 * The table forest of a relational spec (issue 14): which table is whose parent, the foreign-key
 * column, ancestors, and the names a table's expressions may read besides its own columns.
 * Pure functions over a checked Spec; the spec checks (check-relational.ts) report the problems
 * these assume away (cycles, missing tables, keys that are no id columns).
 */
import { StrataError } from '../errors.js';
import { nameMap } from '../names.js';
import type { Spec, Table } from './schema.js';

/** Qualifiers of names that read rows of the same sequence. */
export const SEQUENCE_QUALIFIERS: readonly string[] = ['prev', 'first'];

export interface ParentLink {
  /** The parent table. */
  table: string;
  /** The parent's key column. */
  key: string;
  /** The foreign-key column in the child table (written to the output). */
  column: string;
}

/** True when any table declares `parent`, `count` or `sequence`: the spec is relational. */
export function isRelational(spec: Spec): boolean {
  return Object.values(spec.tables).some(
    (t) => t.parent !== undefined || t.sequence !== undefined || t.count !== undefined,
  );
}

export function parentTableOf(table: Table): string | undefined {
  if (table.parent === undefined) return undefined;
  return typeof table.parent === 'string' ? table.parent : table.parent.table;
}

/** The parent's key column: its `key`, else its only id column, else undefined. */
export function keyOf(spec: Spec, tableName: string): string | undefined {
  const t = spec.tables[tableName];
  if (!t) return undefined;
  if (t.key !== undefined) return t.key;
  // A panel's entity column repeats on the entity's rows: an id, but not this table's key.
  const entity = t.parent === undefined ? t.sequence?.entity : undefined;
  const ids = Object.entries(t.columns).filter(([n, c]) => c.type === 'id' && n !== entity);
  return ids.length === 1 ? ids[0][0] : undefined;
}

/** The link to the parent table, or undefined for a root table (or a parent without a key). */
export function parentLink(spec: Spec, tableName: string): ParentLink | undefined {
  const t = spec.tables[tableName];
  const parent = t && parentTableOf(t);
  if (parent === undefined) return undefined;
  const key = keyOf(spec, parent);
  if (key === undefined) return undefined;
  const column = typeof t.parent === 'object' && t.parent.column !== undefined ? t.parent.column : key;
  return { table: parent, key, column };
}

/** Ancestors from the parent up to the root (empty for a root table). Stops at a cycle. */
export function ancestorsOf(spec: Spec, tableName: string): string[] {
  const out: string[] = [];
  let t = spec.tables[tableName];
  while (t) {
    const p = parentTableOf(t);
    if (p === undefined || p === tableName || out.includes(p)) break;
    out.push(p);
    t = spec.tables[p];
  }
  return out;
}

/** Root tables (no parent), in declaration order. */
export function rootTables(spec: Spec): string[] {
  return Object.keys(spec.tables).filter((n) => parentTableOf(spec.tables[n]) === undefined);
}

/** Direct child tables of `tableName`, in declaration order. */
export function childTables(spec: Spec, tableName: string): string[] {
  return Object.keys(spec.tables).filter((n) => parentTableOf(spec.tables[n]) === tableName);
}

/**
 * A table's columns as generated: its declared columns, with the foreign-key column first when
 * the table has a parent and does not declare it.
 */
export function tableColumnNames(spec: Spec, tableName: string): string[] {
  const own = Object.keys(spec.tables[tableName].columns);
  const link = parentLink(spec, tableName);
  return link && !own.includes(link.column) ? [link.column, ...own] : own;
}

/**
 * The names a table's expressions may read besides its own columns, in slot order:
 * `parent.x` for each parent column (and the FK's key), `T.x` for each ancestor T's columns,
 * `prev.x` / `first.x` for each own column when the table has a sequence, and `index` when it
 * has a parent or a sequence.
 */
export function contextNames(spec: Spec, tableName: string): string[] {
  const t = spec.tables[tableName];
  const out: string[] = [];
  const ancestors = ancestorsOf(spec, tableName);
  ancestors.forEach((a, depth) => {
    for (const c of tableColumnNames(spec, a)) {
      if (depth === 0) out.push(`parent.${c}`);
      out.push(`${a}.${c}`);
    }
  });
  if (t.sequence) {
    for (const q of SEQUENCE_QUALIFIERS)
      for (const c of tableColumnNames(spec, tableName)) out.push(`${q}.${c}`);
  }
  if (ancestors.length > 0 || t.sequence) out.push('index', 'remaining');
  out.push(...aggregateNames(spec, tableName));
  return out;
}

/**
 * A child row's place among the rows under its parent: `index` (0-based position) and `remaining`
 * (rows after it under the same parent: count − index − 1; 0 on the last). The count is drawn before
 * the rows, so a law may read how many rows are still to come (a gap that knows the room left).
 */
export const ROW_POSITION_NAMES: readonly string[] = ['index', 'remaining'];

/** Aggregate functions over a row's child rows. */
export const AGGREGATE_FUNCTIONS: readonly string[] = ['min', 'max', 'sum', 'mean'];

/** The aggregate keys a table may read: `count(C)` and `fn(C.x)` for each child table C. */
export function aggregateNames(spec: Spec, tableName: string): string[] {
  const out: string[] = [];
  for (const c of childTables(spec, tableName)) {
    out.push(`count(${c})`);
    for (const x of tableColumnNames(spec, c))
      for (const f of AGGREGATE_FUNCTIONS) out.push(`${f}(${c}.${x})`);
  }
  return out;
}

/** Context names of a table's `count` (drawn in its parent's context): `parent.x` and `T.x`. */
export function countContextNames(spec: Spec, tableName: string): string[] {
  return contextNames(spec, tableName).filter(
    (n) =>
      !ROW_POSITION_NAMES.includes(n) &&
      !n.includes('(') &&
      !SEQUENCE_QUALIFIERS.some((q) => n.startsWith(`${q}.`)),
  );
}

/** Interventions by table, from `table.col` or an unambiguous `col`. */
export function interventionsByTable(
  spec: Spec,
  doMap: Record<string, string | number | boolean> | undefined,
): Map<string, Record<string, string | number | boolean>> {
  const out = new Map<string, Record<string, string | number | boolean>>();
  for (const [k, v] of Object.entries(doMap ?? {})) {
    const dot = k.indexOf('.');
    let table: string | undefined;
    let col = k;
    if (dot > 0 && Object.hasOwn(spec.tables, k.slice(0, dot))) {
      table = k.slice(0, dot);
      col = k.slice(dot + 1);
    } else {
      const owners = Object.keys(spec.tables).filter((t) => Object.hasOwn(spec.tables[t].columns, k));
      if (owners.length !== 1) {
        throw new StrataError(
          'generate.ambiguous_do',
          owners.length === 0
            ? `--do names unknown column "${k}"`
            : `--do ${k}: tables ${owners.join(', ')} all have a column "${k}"`,
          {},
          `write --do TABLE.${k}=VALUE`,
        );
      }
      table = owners[0];
    }
    const m = out.get(table) ?? nameMap();
    m[col] = v;
    out.set(table, m);
  }
  return out;
}
