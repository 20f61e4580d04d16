/**
 * Entities and their histories. An entity is a row of a root table (a table without parent that
 * other tables hang under through foreign keys: a patient with admissions, stays and events) or, for
 * a panel (one table, rows grouped by an entity column), one value of that column. Every row of the
 * tables under a root is assigned the entity it belongs to by following the tree parents
 * (`Links.parentOf`) upwards; synthetic keys need not match real ones, only resolve.
 */
import type { RawTable } from '../../io/index.js';
import type { Links } from './links.js';
import { columnOf, keyValues, type TableSet } from './tables.js';

export interface EntityRoot {
  /** The root table (a tree) or the panel table. */
  table: string;
  /** The key column of the root table (a tree) or the panel's entity column. */
  entity: string;
  kind: 'tree' | 'panel';
  /** Tables whose rows make up an entity's history, parents before children (the root first). */
  tables: string[];
}

/** A table's tree parent chain ends at this table (undefined when it loops). */
function topOf(table: string, links: Links): string | undefined {
  const seen = new Set<string>();
  let t = table;
  for (;;) {
    if (seen.has(t)) return undefined;
    seen.add(t);
    const up = links.parentOf.get(t);
    if (!up) return t;
    t = up.parent;
  }
}

/** The tables under `root` (itself first), parents before children. */
function history(root: string, real: TableSet, links: Links): string[] {
  const out = [root];
  for (let k = 0; k < out.length; k++)
    for (const name of real.keys()) {
      const up = links.parentOf.get(name);
      if (up?.parent === out[k] && !out.includes(name) && topOf(name, links) === root) out.push(name);
    }
  return out;
}

/**
 * The entity roots of a real table set: each table without a parent that has tables under it (its
 * key is the column its children name), and each panel (a sequence with an entity column on a table
 * without a parent). A lone table with no history is left to the single-table sections.
 */
export function entityRoots(real: TableSet, links: Links): EntityRoot[] {
  const out: EntityRoot[] = [];
  for (const name of real.keys()) {
    if (links.parentOf.has(name)) continue;
    const panel = links.sequences.find((s) => s.table === name && s.entity !== null);
    const tables = history(name, real, links);
    if (panel?.entity) {
      out.push({ table: name, entity: panel.entity, kind: 'panel', tables });
      continue;
    }
    if (tables.length < 2) continue;
    const child = [...links.parentOf.values()].find((l) => l.parent === name);
    if (child) out.push({ table: name, entity: child.parentColumn, kind: 'tree', tables });
  }
  return out;
}

/** Which entity (0 … count − 1) each row of each history table belongs to (−1: none). */
export interface EntityAssignment {
  count: number;
  rows: Map<string, Int32Array>;
}

/** The entities of one table set (undefined when its root table is missing). */
export function assignEntities(set: TableSet, root: EntityRoot, links: Links): EntityAssignment | undefined {
  const top = set.get(root.table);
  if (!top) return undefined;
  const rows = new Map<string, Int32Array>();
  let count: number;
  if (root.kind === 'tree') {
    count = top.rowCount;
    rows.set(
      root.table,
      Int32Array.from({ length: count }, (_, i) => i),
    );
  } else {
    const ids = new Map<string, number>();
    const of = new Int32Array(top.rowCount).fill(-1);
    keyValues(columnOf(top, root.entity) ?? []).forEach((k, i) => {
      if (k === null) return;
      let e = ids.get(k);
      if (e === undefined) {
        e = ids.size;
        ids.set(k, e);
      }
      of[i] = e;
    });
    count = ids.size;
    rows.set(root.table, of);
  }
  for (const name of root.tables.slice(1)) {
    const t = set.get(name);
    const link = links.parentOf.get(name);
    const parent = link && set.get(link.parent);
    const up = link && rows.get(link.parent);
    if (!t || !link || !parent || !up) continue;
    rows.set(name, throughKey(t, link.column, parent, link.parentColumn, up));
  }
  return { count, rows };
}

/** Each child row's entity: its foreign key's parent row's entity (−1 when it names no parent). */
function throughKey(
  child: RawTable,
  column: string,
  parent: RawTable,
  parentColumn: string,
  parentEntity: Int32Array,
): Int32Array {
  const index = new Map<string, number>();
  keyValues(columnOf(parent, parentColumn) ?? []).forEach((k, i) => {
    if (k !== null && !index.has(k)) index.set(k, i);
  });
  const out = new Int32Array(child.rowCount).fill(-1);
  keyValues(columnOf(child, column) ?? []).forEach((k, i) => {
    const p = k === null ? undefined : index.get(k);
    if (p !== undefined) out[i] = parentEntity[p];
  });
  return out;
}
