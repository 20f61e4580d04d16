/**
 * Which columns are keys, which are foreign keys, and which order a table's rows form a sequence
 * in: from the spec (`key`, `parent`, `sequence`, RELATIONAL.md), from options (`--key T=col`,
 * `--ref child.col=parent.col`, `--order T=col`), else detected in the real tables — a foreign key
 * is a column named like a column of another table that is unique there and holds (almost) all of
 * its values. Each child table's tree parent (the entity its sequences group by) is the spec's
 * `parent`, else its most specific referenced table (the one with the most rows).
 */
import { StrataError } from '../../errors.js';
import { columnOf, keyValues, type TableSet } from './tables.js';
import type { LinkSource } from './types.js';

export interface KeyLink {
  table: string;
  column: string;
  source: LinkSource;
}
export interface RefLink {
  child: string;
  column: string;
  parent: string;
  parentColumn: string;
  source: LinkSource;
}
export interface SequenceLink {
  table: string;
  /** Column grouping rows into entities; null = the table is one sequence. */
  entity: string | null;
  order: string;
  source: LinkSource;
}
export interface Links {
  keys: KeyLink[];
  refs: RefLink[];
  /** Each child table's tree parent link. */
  parentOf: Map<string, RefLink>;
  sequences: SequenceLink[];
}

/** What the caller states (options); anything unstated is read from the spec or detected. */
export interface LinkOptions {
  keys?: readonly { table: string; column: string }[];
  refs?: readonly { child: string; column: string; parent: string; parentColumn: string }[];
  orders?: readonly { table: string; column: string }[];
  /** A panel's entity column per table (`--entity`): the rows of one table grouped into entities. */
  entities?: readonly { table: string; column: string }[];
  /** The spec document (its tables' `key`, `parent`, `sequence` are read when present). */
  spec?: unknown;
}

/** Share of a candidate foreign key's present values that must be keys of the parent. */
const CONTAINMENT = 0.99;
/** Generic row numbers are never foreign keys by name alone. */
const GENERIC = new Set(['id', 'row_id', 'rowid', 'index']);

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

interface SpecLinks {
  keys: Map<string, string>;
  parents: Map<string, { table: string; column: string | undefined }>;
  sequences: Map<string, { order: string; entity: string | undefined }>;
}

function readSpec(spec: unknown): SpecLinks {
  const out: SpecLinks = { keys: new Map(), parents: new Map(), sequences: new Map() };
  const tables = record(record(spec)?.tables);
  if (!tables) return out;
  for (const [name, t] of Object.entries(tables)) {
    const table = record(t);
    if (!table) continue;
    if (typeof table.key === 'string') out.keys.set(name, table.key);
    const parent = table.parent;
    if (typeof parent === 'string') out.parents.set(name, { table: parent, column: undefined });
    else {
      const p = record(parent);
      if (p && typeof p.table === 'string')
        out.parents.set(name, {
          table: p.table,
          column: typeof p.column === 'string' ? p.column : undefined,
        });
    }
    const seq = record(table.sequence);
    if (seq && typeof seq.order === 'string')
      out.sequences.set(name, {
        order: seq.order,
        entity: typeof seq.entity === 'string' ? seq.entity : undefined,
      });
  }
  return out;
}

function need(real: TableSet, table: string, column: string, what: string): void {
  const t = real.get(table);
  if (!t)
    throw new StrataError(
      'evaluate.relational_link',
      `${what} names table "${table}", which is not among the real tables`,
      { path: `${table}.${column}` },
      `use one of: ${[...real.keys()].join(', ')}`,
    );
  if (!t.columns.includes(column))
    throw new StrataError(
      'evaluate.relational_link',
      `${what} names column "${column}", which table "${table}" does not have`,
      { path: `${table}.${column}`, file: t.source },
      `use one of: ${t.columns.join(', ')}`,
    );
}

/** Present values are all distinct and none is missing. */
function isUnique(col: readonly (string | null)[]): boolean {
  const seen = new Set<string>();
  for (const v of keyValues(col)) {
    if (v === null || seen.has(v)) return false;
    seen.add(v);
  }
  return col.length > 0;
}

function containment(child: readonly (string | null)[], parentKeys: ReadonlySet<string>): number {
  let n = 0;
  let inside = 0;
  for (const v of keyValues(child)) {
    if (v === null) continue;
    n++;
    if (parentKeys.has(v)) inside++;
  }
  return n === 0 ? 0 : inside / n;
}

function detectRefs(real: TableSet, stated: ReadonlySet<string>): RefLink[] {
  const out: RefLink[] = [];
  for (const [pName, parent] of real) {
    for (const column of parent.columns) {
      if (GENERIC.has(column.toLowerCase())) continue;
      const pcol = columnOf(parent, column) ?? [];
      if (!isUnique(pcol)) continue;
      const keys = new Set(keyValues(pcol).filter((v): v is string => v !== null));
      for (const [cName, child] of real) {
        if (cName === pName || stated.has(`${cName}.${column}`)) continue;
        const ccol = columnOf(child, column);
        if (!ccol) continue;
        // 1:1 the other way round (both unique, the child no smaller) is not a parent link
        if (isUnique(ccol) && child.rowCount >= parent.rowCount) continue;
        if (containment(ccol, keys) >= CONTAINMENT)
          out.push({ child: cName, column, parent: pName, parentColumn: column, source: 'detected' });
      }
    }
  }
  return out;
}

export function resolveLinks(real: TableSet, o: LinkOptions): Links {
  const spec = readSpec(o.spec);
  const refs: RefLink[] = [];
  for (const r of o.refs ?? []) {
    need(real, r.child, r.column, '--ref');
    need(real, r.parent, r.parentColumn, '--ref');
    refs.push({ ...r, source: 'option' });
  }
  const parentOf = new Map<string, RefLink>();
  for (const [child, p] of spec.parents) {
    if (!real.has(child) || !real.has(p.table)) continue;
    const parentColumn = spec.keys.get(p.table) ?? p.column;
    const column = p.column ?? parentColumn;
    if (!column || !parentColumn) continue;
    need(real, child, column, `the spec's parent of ${child}`);
    need(real, p.table, parentColumn, `the spec's key of ${p.table}`);
    const link: RefLink = { child, column, parent: p.table, parentColumn, source: 'spec' };
    if (!refs.some((r) => r.child === child && r.column === column)) refs.push(link);
    parentOf.set(child, link);
  }
  const stated = new Set(refs.map((r) => `${r.child}.${r.column}`));
  refs.push(...detectRefs(real, stated));
  for (const r of refs) {
    const cur = parentOf.get(r.child);
    if (cur?.source === 'spec') continue;
    if (!cur || (real.get(r.parent)?.rowCount ?? 0) > (real.get(cur.parent)?.rowCount ?? 0))
      parentOf.set(r.child, r);
  }

  const keys: KeyLink[] = [];
  const addKey = (table: string, column: string, source: LinkSource) => {
    if (!keys.some((k) => k.table === table && k.column === column)) keys.push({ table, column, source });
  };
  for (const k of o.keys ?? []) {
    need(real, k.table, k.column, '--key');
    addKey(k.table, k.column, 'option');
  }
  for (const [table, column] of spec.keys) if (real.has(table)) addKey(table, column, 'spec');
  for (const r of refs) addKey(r.parent, r.parentColumn, r.source);

  const sequences: SequenceLink[] = [];
  const panels = new Map<string, string>();
  for (const e of o.entities ?? []) {
    need(real, e.table, e.column, '--entity');
    panels.set(e.table, e.column);
  }
  const entityOf = (table: string, given: string | undefined) =>
    panels.get(table) ?? given ?? parentOf.get(table)?.column ?? null;
  for (const s of o.orders ?? []) {
    need(real, s.table, s.column, '--order');
    sequences.push({
      table: s.table,
      entity: entityOf(s.table, spec.sequences.get(s.table)?.entity),
      order: s.column,
      source: 'option',
    });
  }
  for (const [table, s] of spec.sequences) {
    if (!real.has(table) || sequences.some((x) => x.table === table)) continue;
    need(real, table, s.order, `the spec's sequence of ${table}`);
    sequences.push({ table, entity: entityOf(table, s.entity), order: s.order, source: 'spec' });
  }
  return { keys, refs, parentOf, sequences };
}
