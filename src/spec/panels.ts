/**
 * Panels (issue 14): one table whose rows are grouped by an entity column and ordered,
 * `sequence: { entity: E, order: O }`, as `strata fit long.csv --entity E --order O` writes it.
 *
 * A panel is drawn as the two tables it stands for: a hidden root table of entities holding only
 * the id column E (its `rows` are the entities), and the panel table as its child — `count` rows
 * per entity (at least one: an entity exists in a long table only through its rows, so ids have no
 * gaps), E the foreign key (the entity's id repeated on its rows), rows in `order` with `prev.x`,
 * `first.x` and `index` in scope. So a panel reuses every part of the relational engine (streams,
 * blocks of entities, rules as bounds across time, workers) and only the hidden table is not written.
 */
import { nameMap } from '../names.js';
import type { Column, Spec, Table } from './schema.js';

export interface PanelExpansion {
  /** The spec with every panel table split into its entity table and itself as child. */
  spec: Spec;
  /** Names of the entity tables added (drawn, never written). */
  hidden: Set<string>;
}

/** The entity column of a panel table, or undefined. */
export function panelEntity(table: Table): string | undefined {
  return table.parent === undefined ? table.sequence?.entity : undefined;
}

/** The hidden entity table's name for panel table `table` with entity column `entity`. */
export function entityTableName(spec: Spec, table: string, entity: string): string {
  let name = `${table}.${entity}`;
  while (Object.hasOwn(spec.tables, name)) name = `${name}_`;
  return name;
}

/** Split every panel table of a checked spec (see the module comment); other specs are returned as they are. */
export function expandPanels(spec: Spec): PanelExpansion {
  const hidden = new Set<string>();
  if (!Object.values(spec.tables).some((t) => panelEntity(t) !== undefined)) return { spec, hidden };
  const tables: [string, Table][] = [];
  for (const [name, t] of Object.entries(spec.tables)) {
    const entity = panelEntity(t);
    if (entity === undefined) {
      tables.push([name, t]);
      continue;
    }
    const root = entityTableName(spec, name, entity);
    hidden.add(root);
    const idColumn: Column = t.columns[entity];
    tables.push([
      root,
      {
        ...(t.rows !== undefined ? { rows: t.rows } : {}),
        key: entity,
        columns: nameMap([[entity, idColumn]]),
      },
    ]);
    const { rows: _rows, sequence, count, ...rest } = t;
    const min = Math.max(1, count?.min ?? 1);
    tables.push([
      name,
      {
        ...rest,
        parent: { table: root, column: entity },
        count: count ? { ...count, min } : { values: { 1: 1 }, min },
        sequence: sequence?.order !== undefined ? { order: sequence.order } : {},
        columns: nameMap(
          Object.entries(t.columns).map(
            ([c, d]) => [c, c === entity ? ({ type: 'ref' } as Column) : d] as const,
          ),
        ),
      },
    ]);
  }
  return { spec: { ...spec, tables: nameMap(tables) }, hidden };
}
