/**
 * Relational checks (issue 14): parents name existing tables and form a forest, keys are id
 * columns, foreign-key columns are `ref` columns of child tables, `count` and `sequence` sit on
 * child tables, and qualified names in `given` (parent.x, T.x, prev.x, first.x) are in scope.
 * Names inside expressions are checked when the table compiles (same file:line:col placing).
 */
import { nullPrototypeCopy, PROTO_STAND_IN } from '../names.js';
import { didYouMean } from './did-you-mean.js';
import type { IssueCollector } from './issues.js';
import { isPlainMap, type SpecPath } from './path.js';
import { parentTableOf, ROW_POSITION_NAMES, SEQUENCE_QUALIFIERS } from './relational.js';
import { Table } from './schema.js';

type Parsed = Map<string, Table>;

export function checkRelational(c: IssueCollector, raw: Record<string, unknown>): void {
  if (!isPlainMap(raw.tables)) return;
  const tables: Parsed = new Map();
  for (const [name, t] of Object.entries(raw.tables)) {
    // The schema drops `__proto__` keys (a column or category of that name): it reads them under
    // the stand-in, as parse.ts does, and the checks below see the real name again.
    const parsed = Table.safeParse(nullPrototypeCopy(t, ['__proto__', PROTO_STAND_IN]));
    if (parsed.success) tables.set(name, nullPrototypeCopy(parsed.data, [PROTO_STAND_IN, '__proto__']));
  }
  const names = [...tables.keys()];
  for (const [name, t] of tables) {
    const path: SpecPath = ['tables', name];
    const parent = parentTableOf(t);
    const cycle = parentCycle(name, tables);
    const parentPath: SpecPath =
      typeof t.parent === 'object' ? [...path, 'parent', 'table'] : [...path, 'parent'];
    if (t.key !== undefined) {
      const col = t.columns[t.key];
      if (!col) {
        const guess = didYouMean(t.key, Object.keys(t.columns));
        c.report(
          [...path, 'key'],
          'spec.unknown_column',
          `key names unknown column "${t.key}"`,
          guess ? `did you mean "${guess}"?` : 'name an id column of this table',
        );
      } else if (col.type !== 'id') {
        c.report(
          [...path, 'key'],
          'spec.key_not_id',
          `key "${t.key}" is a ${col.type} column; a key must be an id column (unique by construction)`,
          `declare it as ${t.key}: { type: id }`,
        );
      }
    }
    const entity = t.sequence?.entity;
    if (entity !== undefined) checkPanel(c, path, t, entity, parent !== undefined);
    if (t.sequence && t.sequence.order === undefined && entity === undefined)
      c.report(
        [...path, 'sequence'],
        'spec.bad_sequence',
        'sequence names neither order nor entity',
        'write sequence: { order: COLUMN } (rows under one parent in the order of COLUMN), or entity: for a panel',
        { atKey: true },
      );
    if (parent === undefined) {
      for (const [k, what] of [
        ['count', 'count'],
        ['sequence', 'sequence'],
      ] as const) {
        // A panel groups its own rows by entity: count and sequence need no parent there.
        if (t[k] !== undefined && entity === undefined) {
          c.report(
            [...path, k],
            'spec.needs_parent',
            `${what} is set but table "${name}" has no parent`,
            `add parent: TABLE (the table whose rows own these rows)`,
            { atKey: true },
          );
        }
      }
      for (const [col, def] of Object.entries(t.columns)) {
        if (def.type === 'ref')
          c.report(
            [...path, 'columns', col, 'type'],
            'spec.needs_parent',
            `"${col}" is a ref column but table "${name}" has no parent`,
            'add parent: TABLE, or give the column another type',
          );
      }
    } else if (!tables.has(parent)) {
      if (isPlainMap(raw.tables) && Object.hasOwn(raw.tables, parent)) continue; // that table's own errors are reported
      const guess = didYouMean(
        parent,
        names.filter((n) => n !== name),
      );
      c.report(
        parentPath,
        'spec.unknown_table',
        `parent names unknown table "${parent}"`,
        guess ? `did you mean "${guess}"?` : `tables in this spec: ${names.join(', ')}`,
      );
      continue;
    } else if (cycle) {
      // One report per cycle, at its first table in declaration order.
      if (names.indexOf(name) === Math.min(...cycle.map((x) => names.indexOf(x)))) {
        c.report(
          parentPath,
          'spec.parent_cycle',
          `parent cycle: ${cycle.join(' → ')}`,
          'tables form a tree: one of these tables must have no parent (a root)',
        );
      }
    } else {
      checkLink(c, name, t, parent, tables.get(parent)!, parentPath);
    }
    const order = t.sequence?.order;
    if (order !== undefined && !Object.hasOwn(t.columns, order)) {
      const guess = didYouMean(order, Object.keys(t.columns));
      c.report(
        [...path, 'sequence', 'order'],
        'spec.unknown_column',
        `sequence order names unknown column "${order}"`,
        guess ? `did you mean "${guess}"?` : 'name a datetime or number column of this table',
      );
    }
    for (const [col, def] of Object.entries(t.columns)) {
      (def.given ?? []).forEach((g, i) => {
        checkQualified(c, [...path, 'columns', col, 'given', i], g, name, t, tables);
      });
    }
    (t.count?.given ?? []).forEach((g, i) => {
      if (g.startsWith('prev.') || g.startsWith('first.') || ROW_POSITION_NAMES.includes(g)) {
        c.report(
          [...path, 'count', 'given', i],
          'spec.out_of_scope',
          `count is drawn once per parent row: "${g}" has no value there`,
          'use parent.x or T.x (an ancestor T)',
        );
      } else if (!g.includes('.')) {
        c.report(
          [...path, 'count', 'given', i],
          'spec.out_of_scope',
          `count is drawn in the parent's context: write parent.${g}`,
          `given: [parent.${g}]`,
        );
      } else checkQualified(c, [...path, 'count', 'given', i], g, name, t, tables);
    });
  }
}

/** A panel's entity: an id column of the table (drawn once per entity), on a table without parent. */
function checkPanel(c: IssueCollector, path: SpecPath, t: Table, entity: string, hasParent: boolean): void {
  const at: SpecPath = [...path, 'sequence', 'entity'];
  if (hasParent) {
    c.report(
      at,
      'spec.bad_sequence',
      'sequence entity is for a panel (one table grouped by an entity column), but this table has a parent',
      'drop entity: (rows are grouped under their parent row), or drop parent:',
    );
    return;
  }
  const col = t.columns[entity];
  if (!Object.hasOwn(t.columns, entity)) {
    const guess = didYouMean(entity, Object.keys(t.columns));
    c.report(
      at,
      'spec.unknown_column',
      `sequence entity names unknown column "${entity}"`,
      guess ? `did you mean "${guess}"?` : 'name the id column that groups the rows into entities',
    );
  } else if (col.type !== 'id') {
    c.report(
      at,
      'spec.bad_sequence',
      `sequence entity "${entity}" is declared as ${col.type}; a panel's entity is an id column (one value per entity, repeated on its rows)`,
      `declare it as ${entity}: { type: id } (start: and prefix: keep the real ids' style)`,
    );
  }
}

function checkLink(
  c: IssueCollector,
  name: string,
  t: Table,
  parent: string,
  p: Table,
  parentPath: SpecPath,
): void {
  const ids = Object.entries(p.columns).filter(([, d]) => d.type === 'id');
  const key = p.key ?? (ids.length === 1 ? ids[0][0] : undefined);
  if (key === undefined) {
    c.report(
      parentPath,
      'spec.parent_without_key',
      `parent table "${parent}" has no key`,
      `add key: COLUMN to table "${parent}" (an id column)`,
    );
    return;
  }
  const fk = typeof t.parent === 'object' && t.parent.column !== undefined ? t.parent.column : key;
  const def = t.columns[fk];
  if (def && def.type !== 'ref') {
    c.report(
      ['tables', name, 'columns', fk, 'type'],
      'spec.fk_not_ref',
      `"${fk}" is the foreign key to "${parent}" but is declared as ${def.type}`,
      `declare it as ${fk}: { type: ref } (its value is the parent's key), or name another FK column in parent: { table: ${parent}, column: … }`,
    );
  }
  for (const [col, d] of Object.entries(t.columns)) {
    if (d.type === 'ref' && col !== fk)
      c.report(
        ['tables', name, 'columns', col, 'type'],
        'spec.fk_not_ref',
        `"${col}" is a ref column but the foreign key to "${parent}" is "${fk}"`,
        `a table has one ref column, its parent's key; copy other keys with type: derived, expr: T.key`,
      );
  }
}

/** The parent chain from `name` when it loops back to `name`, as names (first repeated at the end). */
function parentCycle(name: string, tables: Parsed): string[] | undefined {
  const path = [name];
  let cur = tables.get(name);
  while (cur) {
    const p = parentTableOf(cur);
    if (p === undefined) return undefined;
    if (p === name) return [...path, p];
    if (path.includes(p)) return undefined; // a cycle further up: reported at its own tables
    path.push(p);
    cur = tables.get(p);
  }
  return undefined;
}

/** A qualified `given` name: its qualifier is in scope and names a column. */
function checkQualified(
  c: IssueCollector,
  path: SpecPath,
  g: string,
  name: string,
  t: Table,
  tables: Parsed,
): void {
  if (ROW_POSITION_NAMES.includes(g)) {
    if (parentTableOf(t) === undefined && !t.sequence)
      c.report(
        path,
        'spec.out_of_scope',
        `${g} needs a parent or a sequence in table "${name}"`,
        'add parent: TABLE',
      );
    return;
  }
  const dot = g.indexOf('.');
  // A column of this table whose own name has dots (Taiwan's default.payment.next.month) is a
  // local parent, not a qualified one.
  if (dot < 0 || Object.hasOwn(t.columns, g)) return;
  const q = g.slice(0, dot);
  const col = g.slice(dot + 1);
  let target: Table | undefined;
  let targetName = '';
  if (SEQUENCE_QUALIFIERS.includes(q)) {
    if (!t.sequence) {
      c.report(
        path,
        'spec.out_of_scope',
        `${g} needs a sequence`,
        `add sequence: { order: … } to table "${name}"`,
      );
      return;
    }
    target = t;
    targetName = name;
  } else {
    const ancestors: string[] = [];
    for (
      let p = parentTableOf(t);
      p !== undefined && !ancestors.includes(p) && p !== name;
      p = parentTableOf(tables.get(p) ?? { columns: {} })
    )
      ancestors.push(p);
    const tn = q === 'parent' ? ancestors[0] : ancestors.includes(q) ? q : undefined;
    if (tn === undefined) {
      const hint =
        q === 'parent'
          ? `add parent: TABLE to table "${name}"`
          : ancestors.length
            ? `qualifiers here: parent, ${ancestors.join(', ')}${t.sequence ? ', prev, first' : ''}`
            : `table "${name}" has no parent; add parent: TABLE`;
      c.report(path, 'spec.out_of_scope', `${g}: "${q}" is not an ancestor of table "${name}"`, hint);
      return;
    }
    target = tables.get(tn);
    targetName = tn;
  }
  if (target && !Object.hasOwn(target.columns, col)) {
    const guess = didYouMean(col, Object.keys(target.columns));
    c.report(
      path,
      'spec.unknown_column',
      `${g}: table "${targetName}" has no column "${col}"`,
      guess
        ? `did you mean "${q}.${guess}"?`
        : `columns of "${targetName}": ${Object.keys(target.columns).join(', ')}`,
    );
  }
}
