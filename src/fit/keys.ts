/**
 * Keys and foreign keys of a set of real tables: which column identifies a table's rows, which
 * column of a child points at its parent, and which ancestor keys a child merely copies
 * (ICUSTAYS.subject_id is its admission's subject_id: `derived: PATIENTS.subject_id`).
 *
 * - A key is a column with no missing and no repeated value, not a datetime, decimal number,
 *   boolean or free text; among several, the one another table references wins, then one named
 *   for its table (`customer_id` in customers), then any id-like name, then the first.
 * - A foreign key is a column whose name points at a table's key (`subject_id` → subject_id,
 *   `customer_id` → customers.id) and whose present values are found among that key's values on
 *   at least 99% of the rows (containment). Generic row ids (`id`, `row_id`) never point anywhere.
 * - Each table has at most one parent (the contract of relational specs): among its foreign keys,
 *   the one whose table has all the others as ancestors (the deepest), present on ≥ 99% of rows.
 *   The others become copies of the ancestor's key when they agree with the chain on ≥ 99% of
 *   rows; references to tables that are not ancestors stay plain columns (reported).
 * - `--key T=col` and `--ref child.col=parent.col` state what detection would guess; a table
 *   referencing two unrelated tables, or references forming a cycle, is an error naming the flag
 *   that settles it.
 * Pure functions over raw string columns.
 */
import { cleanValue, inferColumn, type RawColumns } from '../data/infer.js';
import { StrataError } from '../errors.js';
import { didYouMean } from '../spec/did-you-mean.js';

export interface KeyOption {
  table: string;
  column: string;
}

export interface RefOption {
  child: string;
  column: string;
  parent: string;
  parentColumn: string;
}

export interface SchemaOptions {
  keys?: readonly KeyOption[];
  refs?: readonly RefOption[];
  /** Share of a foreign key's present rows whose value the parent key holds (default 0.99). */
  minContainment?: number;
}

export interface ParentLink {
  table: string;
  /** FK column in the child. */
  column: string;
  /** The parent's key column it points at. */
  parentColumn: string;
  /** Share of the child's rows whose FK is present and found in the parent. */
  containment: number;
  /** Child rows without a parent (missing or dangling FK): left out of the fit. */
  orphans: number;
  /** Stated with --ref (not detected). */
  stated: boolean;
}

export interface DerivedKey {
  column: string;
  /** Ancestor table and column it copies. */
  table: string;
  source: string;
  /** Rows where the copy disagrees with the chain (the model makes it agree). */
  disagree: number;
}

export interface OtherReference {
  column: string;
  table: string;
  parentColumn: string;
  why: string;
}

export interface TableLinks {
  table: string;
  key?: string;
  parent?: ParentLink;
  derived: DerivedKey[];
  /** References that are neither the parent nor an ancestor's key: plain columns. */
  others: OtherReference[];
}

export interface Schema {
  /** By table, in the input order. */
  tables: Map<string, TableLinks>;
  /** Tables with parents after their parents (roots first, input order among equals). */
  order: string[];
  notes: string[];
}

/** Column names that identify their own table's rows and never point at another table. */
const GENERIC_ID = /^(id|_id|row_?id|rowid|index|idx|key|pk|uuid|row_?num(ber)?|#)$/i;
const ID_NAME = /(^id$|_id$|^id_|Id$|ID$|number$|^uuid$|_no$|key$)/i;
const KEY_KINDS = new Set(['id', 'integer', 'category', 'text']);

const lower = (s: string) => s.toLowerCase();
const singular = (s: string) => {
  const l = lower(s);
  if (l.endsWith('ies')) return `${l.slice(0, -3)}y`;
  if (l.endsWith('ses') || l.endsWith('xes')) return l.slice(0, -2);
  if (l.endsWith('s') && !l.endsWith('ss')) return l.slice(0, -1);
  return l;
};

/** A cell's identity for matching across tables: "42", "42.0" and " 42" are the same key. */
export function keyValue(raw: string | null): string | null {
  const c = cleanValue(raw);
  if (c === null) return null;
  const m = /^([+-]?\d+)\.0*$/.exec(c);
  return m ? m[1] : c;
}

/** How strongly a child column's name points at a parent table's key column (0 = not at all). */
export function nameScore(childColumn: string, parentTable: string, parentKey: string): number {
  const c = lower(childColumn);
  const k = lower(parentKey);
  if (GENERIC_ID.test(c)) return 0;
  const t = lower(parentTable);
  const s = singular(parentTable);
  if (c === k) return 3;
  if (c === `${s}_${k}` || c === `${t}_${k}` || c === `${s}${k}`) return 3;
  if (c === `${s}_id` || c === `${t}_id` || c === `${s}id`) return 2;
  if (c.endsWith(`_${k}`) && !GENERIC_ID.test(k)) return 1;
  return 0;
}

interface ColumnFacts {
  table: string;
  name: string;
  /** keyValue of each row. */
  values: (string | null)[];
  unique: boolean;
  complete: boolean;
  kind: string;
  distinct: Set<string>;
}

function factsOf(t: RawColumns): ColumnFacts[] {
  return t.columns.map((name, c) => {
    const values = t.data[c].map(keyValue);
    const distinct = new Set<string>();
    let present = 0;
    for (const v of values)
      if (v !== null) {
        distinct.add(v);
        present++;
      }
    const kind = inferColumn(name, t.data[c]).kind;
    return {
      table: t.name,
      name,
      values,
      unique: distinct.size === present,
      complete: present === t.rowCount && t.rowCount > 0,
      kind,
      distinct,
    };
  });
}

const isKeyCandidate = (f: ColumnFacts) => f.unique && f.complete && KEY_KINDS.has(f.kind);

/** Share of rows whose value is present and held by `keys`, and of present rows. */
function containment(
  values: readonly (string | null)[],
  keys: ReadonlySet<string>,
): {
  ofPresent: number;
  ofRows: number;
  present: number;
} {
  let present = 0;
  let found = 0;
  for (const v of values) {
    if (v === null) continue;
    present++;
    if (keys.has(v)) found++;
  }
  return {
    ofPresent: present > 0 ? found / present : 0,
    ofRows: values.length > 0 ? found / values.length : 0,
    present,
  };
}

function unknownTable(name: string, tables: readonly string[], flag: string): StrataError {
  const guess = didYouMean(name, tables);
  return new StrataError(
    flag === '--key' ? 'fit.bad_key' : 'fit.bad_ref',
    `${flag} names table "${name}", which is not among the inputs`,
    {},
    guess ? `did you mean "${guess}"?` : `tables are: ${tables.join(', ')}`,
  );
}

function unknownColumn(table: string, column: string, columns: readonly string[], flag: string): StrataError {
  const guess = didYouMean(column, columns);
  return new StrataError(
    flag === '--key' ? 'fit.bad_key' : 'fit.bad_ref',
    `${flag}: table "${table}" has no column "${column}"`,
    {},
    guess ? `did you mean "${table}.${guess}"?` : `its columns are: ${columns.join(', ')}`,
  );
}

interface Candidate {
  child: string;
  column: string;
  parent: string;
  parentColumn: string;
  score: number;
  containment: number;
  /** Share of the child's rows with a present, found value. */
  coverage: number;
  stated: boolean;
}

/** Detect keys, parents and derived keys (see the module comment). */
export function detectSchema(tables: readonly RawColumns[], opts: SchemaOptions = {}): Schema {
  const minContainment = opts.minContainment ?? 0.99;
  const names = tables.map((t) => t.name);
  const byName = new Map(tables.map((t) => [t.name, t]));
  if (byName.size !== tables.length) {
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    throw new StrataError(
      'fit.tables',
      `two inputs are both named "${dup}"`,
      {},
      'give each table its own file name (the table name is the file name without its extension)',
    );
  }
  const facts = new Map(tables.map((t) => [t.name, factsOf(t)]));
  const fact = (table: string, column: string) => facts.get(table)!.find((f) => f.name === column)!;
  const notes: string[] = [];

  // Stated keys and references: names checked first, so a typo is an error, not a silent guess.
  const statedKey = new Map<string, string>();
  for (const k of opts.keys ?? []) {
    const t = byName.get(k.table);
    if (!t) throw unknownTable(k.table, names, '--key');
    if (!t.columns.includes(k.column)) throw unknownColumn(k.table, k.column, t.columns, '--key');
    const f = fact(k.table, k.column);
    if (!f.unique || !f.complete)
      throw new StrataError(
        'fit.bad_key',
        `--key ${k.table}=${k.column}: the column is not a key (${f.complete ? 'a value repeats' : 'some rows have no value'})`,
        {},
        'a key has one distinct, present value per row; choose another column or leave --key out',
      );
    statedKey.set(k.table, k.column);
  }
  const statedRefs = new Map<string, RefOption>();
  for (const r of opts.refs ?? []) {
    const c = byName.get(r.child);
    if (!c) throw unknownTable(r.child, names, '--ref');
    const p = byName.get(r.parent);
    if (!p) throw unknownTable(r.parent, names, '--ref');
    if (!c.columns.includes(r.column)) throw unknownColumn(r.child, r.column, c.columns, '--ref');
    if (!p.columns.includes(r.parentColumn))
      throw unknownColumn(r.parent, r.parentColumn, p.columns, '--ref');
    if (r.child === r.parent)
      throw new StrataError(
        'fit.bad_ref',
        `--ref ${r.child}.${r.column}=${r.parent}.${r.parentColumn}: a table cannot be its own parent`,
        {},
        'a reference inside one table (a manager_id) is modelled as a plain column; drop this --ref',
      );
    if (statedRefs.has(r.child))
      throw new StrataError(
        'fit.bad_ref',
        `two --ref flags give table "${r.child}" a parent; a table has exactly one parent`,
        {},
        `keep one --ref ${r.child}.…; the other reference is then modelled as a plain column`,
      );
    const pk = fact(r.parent, r.parentColumn);
    if (!pk.unique || !pk.complete)
      throw new StrataError(
        'fit.bad_ref',
        `--ref ${r.child}.${r.column}=${r.parent}.${r.parentColumn}: ${r.parent}.${r.parentColumn} is not a key (${pk.complete ? 'a value repeats' : 'some rows have no value'})`,
        {},
        `a parent column must identify the parent's rows; check the direction (child.col=parent.col)`,
      );
    const sk = statedKey.get(r.parent);
    if (sk !== undefined && sk !== r.parentColumn)
      throw new StrataError(
        'fit.bad_ref',
        `--ref points at ${r.parent}.${r.parentColumn} but --key says ${r.parent}'s key is ${sk}`,
        {},
        'make them agree',
      );
    const cont = containment(fact(r.child, r.column).values, pk.distinct);
    if (cont.present === 0)
      throw new StrataError(
        'fit.bad_ref',
        `--ref ${r.child}.${r.column}=${r.parent}.${r.parentColumn}: ${r.child}.${r.column} has no values (${c.rowCount === 0 ? `${r.child} has no rows` : `missing on all ${c.rowCount} rows`})`,
        {},
        `a foreign key needs values to link ${r.child}'s rows to ${r.parent}: check the file, or drop this --ref`,
      );
    if (cont.ofPresent < minContainment)
      throw new StrataError(
        'fit.bad_ref',
        `--ref ${r.child}.${r.column}=${r.parent}.${r.parentColumn}: only ${(100 * cont.ofPresent).toFixed(1)}% of ${r.child}.${r.column}'s values are found in ${r.parent}.${r.parentColumn} (at least ${100 * minContainment}% needed)`,
        {},
        'check the tables and the direction (child.col=parent.col)',
      );
    statedRefs.set(r.child, r);
  }

  // Candidate references: every (child column, parent key candidate) with a name link and containment.
  const candidates: Candidate[] = [];
  /** Name links refused for containment, per child column: said in a note unless another link holds. */
  const nearMisses = new Map<string, { parent: string; parentColumn: string; found: number }>();
  for (const child of tables) {
    const stated = statedRefs.get(child.name);
    for (const cf of facts.get(child.name)!) {
      if (stated && cf.name === stated.column) {
        const cont = containment(cf.values, fact(stated.parent, stated.parentColumn).distinct);
        candidates.push({
          child: child.name,
          column: cf.name,
          parent: stated.parent,
          parentColumn: stated.parentColumn,
          score: 9,
          containment: cont.ofPresent,
          coverage: cont.ofRows,
          stated: true,
        });
        continue;
      }
      if (GENERIC_ID.test(cf.name)) continue;
      for (const parent of tables) {
        if (parent.name === child.name) continue;
        const sk = statedKey.get(parent.name);
        for (const pf of facts.get(parent.name)!) {
          if (sk !== undefined ? pf.name !== sk : !isKeyCandidate(pf)) continue;
          const score = nameScore(cf.name, parent.name, pf.name);
          if (score === 0) continue;
          const cont = containment(cf.values, pf.distinct);
          if (cont.present === 0 || cont.ofPresent < minContainment) {
            const k = `${child.name}\u0001${cf.name}`;
            if (cont.present > 0 && !nearMisses.has(k))
              nearMisses.set(k, { parent: parent.name, parentColumn: pf.name, found: cont.ofPresent });
            continue;
          }
          candidates.push({
            child: child.name,
            column: cf.name,
            parent: parent.name,
            parentColumn: pf.name,
            score,
            containment: cont.ofPresent,
            coverage: cont.ofRows,
            stated: false,
          });
        }
      }
    }
  }
  // One target per child column: the best name link (ties: the first table given).
  const perColumn = new Map<string, Candidate>();
  for (const c of candidates) {
    const k = `${c.child}\u0001${c.column}`;
    const prev = perColumn.get(k);
    if (!prev || c.score > prev.score) perColumn.set(k, c);
  }
  const refs = [...perColumn.values()];
  for (const [k, m] of nearMisses) {
    if (perColumn.has(k)) continue;
    const [child, column] = k.split('\u0001');
    notes.push(
      `${child}.${column} looks like a reference to ${m.parent}.${m.parentColumn} by its name, but only ${(100 * m.found).toFixed(1)}% of its values are found there (${100 * minContainment}% needed): modelled as a plain column, not a link; if it is a foreign key, remove or correct its dangling values and fit again`,
    );
  }

  // Keys: stated, else the referenced candidate, else one named for its table, else id-like, else first.
  const keys = new Map<string, string>();
  for (const t of tables) {
    const stated = statedKey.get(t.name);
    if (stated) {
      keys.set(t.name, stated);
      continue;
    }
    const cands = facts.get(t.name)!.filter(isKeyCandidate);
    if (cands.length === 0) continue;
    const referenced = (c: ColumnFacts) => refs.some((r) => r.parent === t.name && r.parentColumn === c.name);
    const score = (c: ColumnFacts) =>
      (referenced(c) ? 100 : 0) +
      (nameScore(c.name, t.name, 'id') >= 2 || lower(c.name) === 'id' ? 10 : 0) +
      (GENERIC_ID.test(c.name) ? 2 : 0) +
      (ID_NAME.test(c.name) ? 5 : 0) +
      (c.kind === 'id' ? 1 : 0);
    let best = cands[0];
    for (const c of cands) if (score(c) > score(best)) best = c;
    keys.set(t.name, best.name);
  }
  // A reference must point at its parent's chosen key.
  const refsToKeys = refs.filter((r) => keys.get(r.parent) === r.parentColumn);

  // Parents: drop edges that close a cycle with stated ones, then the deepest eligible candidate.
  const eligible = (r: Candidate) => r.stated || r.coverage >= minContainment;
  const outgoing = new Map<string, Candidate[]>();
  for (const r of refsToKeys) {
    if (!outgoing.has(r.child)) outgoing.set(r.child, []);
    outgoing.get(r.child)!.push(r);
  }
  /** Tables reachable upward from `t` through candidate references (t excluded). */
  const upward = (t: string, edges: ReadonlyMap<string, Candidate[]>): Set<string> => {
    const seen = new Set<string>();
    const stack = [t];
    while (stack.length > 0) {
      const x = stack.pop()!;
      for (const r of edges.get(x) ?? []) {
        if (r.parent === t || seen.has(r.parent)) continue;
        seen.add(r.parent);
        stack.push(r.parent);
      }
    }
    return seen;
  };
  // Stated parents are fixed: a detected reference pointing back down their chain is not a parent.
  for (const [child, r] of statedRefs) {
    for (const [t, list] of outgoing) {
      if (t !== r.parent) continue;
      outgoing.set(
        t,
        list.filter((c) => c.stated || !(c.parent === child || upward(c.parent, outgoing).has(child))),
      );
    }
  }
  const parents = new Map<string, Candidate>();
  for (const t of tables) {
    const list = (outgoing.get(t.name) ?? []).filter(eligible);
    if (list.length === 0) continue;
    const stated = list.find((r) => r.stated);
    if (stated) {
      parents.set(t.name, stated);
      continue;
    }
    // The deepest: every other candidate's table is among its ancestors.
    const deepest = list.filter((r) => {
      const up = upward(r.parent, outgoing);
      return list.every((o) => o === r || o.parent === r.parent || up.has(o.parent));
    });
    const distinctParents = [...new Set(deepest.map((r) => r.parent))];
    if (distinctParents.length === 1) {
      // Two columns pointing at the same table (from_account, to_account): the better name wins.
      const same = deepest.filter((r) => r.parent === distinctParents[0]);
      same.sort((a, b) => b.score - a.score || b.coverage - a.coverage);
      if (same.length > 1 && same[0].score === same[1].score)
        throw new StrataError(
          'fit.ambiguous_parent',
          `table "${t.name}" references ${distinctParents[0]} through ${same.map((r) => r.column).join(' and ')}; a table has one parent`,
          {},
          `choose one: --ref ${t.name}.${same[0].column}=${same[0].parent}.${same[0].parentColumn} (the other is then a plain column)`,
        );
      parents.set(t.name, same[0]);
      continue;
    }
    const shown = list.map((r) => `${r.parent} (through ${r.column})`).join(' and ');
    throw new StrataError(
      'fit.ambiguous_parent',
      `table "${t.name}" references ${shown}, and neither is an ancestor of the other; a table has exactly one parent`,
      {},
      `choose its parent: --ref ${t.name}.${list[0].column}=${list[0].parent}.${list[0].parentColumn} (the other references are then plain columns)`,
    );
  }
  // Cycles among the chosen parents.
  for (const t of tables) {
    const path = [t.name];
    let x = parents.get(t.name);
    while (x) {
      if (path.includes(x.parent)) {
        const cycle = [...path.slice(path.indexOf(x.parent)), x.parent];
        const edge = parents.get(cycle[0])!;
        throw new StrataError(
          'fit.cyclic_refs',
          `the references form a cycle: ${cycle.join(' → ')}`,
          {},
          `state which table is the parent, e.g. --ref ${edge.child}.${edge.column}=${edge.parent}.${edge.parentColumn} (the reference back is then a plain column), or --key to choose other keys`,
        );
      }
      path.push(x.parent);
      x = parents.get(x.parent);
    }
  }

  // Ancestor copies and other references.
  const ancestorsOf = (t: string): string[] => {
    const out: string[] = [];
    let x = parents.get(t);
    while (x) {
      out.push(x.parent);
      x = parents.get(x.parent);
    }
    return out;
  };
  /** Row index of each key value of a table's key. */
  const rowIndex = new Map<string, Map<string, number>>();
  const indexOf = (t: string): Map<string, number> => {
    let m = rowIndex.get(t);
    if (!m) {
      m = new Map();
      const k = keys.get(t);
      if (k)
        fact(t, k).values.forEach((v, i) => {
          if (v !== null) m!.set(v, i);
        });
      rowIndex.set(t, m);
    }
    return m;
  };
  /** The row of ancestor `target` each row of `t` belongs to (-1: none). */
  const chainRows = (t: string, target: string): Int32Array => {
    const n = byName.get(t)!.rowCount;
    let rows = Int32Array.from({ length: n }, (_, i) => i);
    let at = t;
    while (at !== target) {
      const p = parents.get(at)!;
      const fk = fact(at, p.column).values;
      const idx = indexOf(p.parent);
      rows = rows.map((r) => (r < 0 ? -1 : (idx.get(fk[r] ?? '') ?? -1)));
      at = p.parent;
    }
    return rows;
  };
  const result = new Map<string, TableLinks>();
  for (const t of tables) {
    const links: TableLinks = { table: t.name, derived: [], others: [] };
    const key = keys.get(t.name);
    if (key !== undefined) links.key = key;
    const p = parents.get(t.name);
    if (p) {
      const orphans = Math.round((1 - p.coverage) * t.rowCount);
      links.parent = {
        table: p.parent,
        column: p.column,
        parentColumn: p.parentColumn,
        containment: p.containment,
        orphans,
        stated: p.stated,
      };
      if (orphans > 0)
        notes.push(
          `${t.name}: ${orphans} of ${t.rowCount} rows have no ${p.parent} row (${p.column} missing or not found): left out of the fit`,
        );
    }
    const ancestors = ancestorsOf(t.name);
    for (const r of outgoing.get(t.name) ?? []) {
      if (p && r.column === p.column) continue;
      if (ancestors.includes(r.parent)) {
        const rows = chainRows(t.name, r.parent);
        const own = fact(t.name, r.column).values;
        const src = fact(r.parent, r.parentColumn).values;
        let disagree = 0;
        for (let i = 0; i < rows.length; i++) {
          if (rows[i] < 0) continue;
          if (own[i] !== src[rows[i]]) disagree++;
        }
        if (disagree <= (1 - minContainment) * t.rowCount) {
          links.derived.push({ column: r.column, table: r.parent, source: r.parentColumn, disagree });
          if (disagree > 0)
            notes.push(
              `${t.name}.${r.column} copies ${r.parent}.${r.parentColumn} through the parent chain except on ${disagree} rows: written as that copy`,
            );
          continue;
        }
        links.others.push({
          column: r.column,
          table: r.parent,
          parentColumn: r.parentColumn,
          why: `disagrees with the parent chain on ${disagree} rows`,
        });
      } else
        links.others.push({
          column: r.column,
          table: r.parent,
          parentColumn: r.parentColumn,
          why:
            r.parent === t.name
              ? 'a reference inside the table'
              : `${r.parent} is not an ancestor of ${t.name}`,
        });
    }
    for (const o of links.others)
      notes.push(
        `${t.name}.${o.column} references ${o.table}.${o.parentColumn} (${o.why}): modelled as a plain column, its values need not match generated keys`,
      );
    result.set(t.name, links);
  }
  // Parents before children, input order among equals.
  const order: string[] = [];
  const placed = new Set<string>();
  const place = (t: string) => {
    if (placed.has(t)) return;
    const p = parents.get(t);
    if (p) place(p.parent);
    placed.add(t);
    order.push(t);
  };
  for (const t of tables) place(t.name);
  return { tables: result, order, notes };
}
