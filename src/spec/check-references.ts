/**
 * Cross-references between parts of a spec: coverage plans, tails and scenarios must name tables
 * and columns that exist; rule, tail and scenario names must be unique. Works on the raw document
 * entry by entry, so one malformed entry does not hide problems in the others.
 */
import { checkColumnRef } from './check-columns.js';
import { didYouMean } from './did-you-mean.js';
import type { IssueCollector } from './issues.js';
import { isPlainMap, type SpecPath } from './path.js';
import { axisEntries } from './plan-vocabulary.js';
import { type CoverageAxis, CoveragePlan, Scenario, Tail } from './schema.js';

type Columns = ReadonlyMap<string, readonly string[]>;

/** Table name → its column names, from the raw document. */
export function columnsByTable(raw: Record<string, unknown>): Columns {
  const out = new Map<string, string[]>();
  if (!isPlainMap(raw.tables)) return out;
  for (const [t, table] of Object.entries(raw.tables)) {
    out.set(t, isPlainMap(table) && isPlainMap(table.columns) ? Object.keys(table.columns) : []);
  }
  return out;
}

export function checkReferences(c: IssueCollector, raw: Record<string, unknown>): void {
  const tables = columnsByTable(raw);
  if (isPlainMap(raw.tables) && tables.size === 0) {
    c.report(
      ['tables'],
      'spec.no_tables',
      'the spec has no tables',
      'add a table: tables: { name: { columns: { … } } }',
    );
  }
  if (isPlainMap(raw.tables)) {
    for (const [t, table] of Object.entries(raw.tables)) {
      if (isPlainMap(table)) checkUniqueNames(c, ['tables', t, 'rules'], table.rules, 'rule');
    }
  }
  if (isPlainMap(raw.coverage)) {
    for (const [t, plan] of Object.entries(raw.coverage)) checkCoverage(c, t, plan, tables);
  }
  if (Array.isArray(raw.tails)) {
    checkUniqueNames(c, ['tails'], raw.tails, 'tail');
    raw.tails.forEach((tail, i) => {
      const parsed = Tail.safeParse(tail);
      if (parsed.success && parsed.data.table !== undefined)
        checkTableRef(c, ['tails', i, 'table'], parsed.data.table, tables);
    });
  }
  if (Array.isArray(raw.scenarios)) {
    checkUniqueNames(c, ['scenarios'], raw.scenarios, 'scenario');
    raw.scenarios.forEach((s, i) => {
      const parsed = Scenario.safeParse(s);
      if (parsed.success) checkScenario(c, ['scenarios', i], parsed.data, tables);
    });
  }
}

function checkTableRef(
  c: IssueCollector,
  path: SpecPath,
  name: string,
  tables: Columns,
  atKey = false,
): boolean {
  if (tables.has(name)) return true;
  const names = [...tables.keys()];
  const guess = didYouMean(name, names);
  c.report(
    path,
    'spec.unknown_table',
    `unknown table "${name}"`,
    guess ? `did you mean "${guess}"?` : `tables in this spec: ${names.join(', ') || '(none)'}`,
    { atKey },
  );
  return false;
}

function checkUniqueNames(
  c: IssueCollector,
  path: SpecPath,
  list: unknown,
  what: 'rule' | 'tail' | 'scenario',
): void {
  if (!Array.isArray(list)) return;
  const first = new Map<string, number>();
  list.forEach((item, i) => {
    const name = isPlainMap(item) ? item.name : undefined;
    if (typeof name !== 'string') return;
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, i);
      return;
    }
    c.report(
      [...path, i, 'name'],
      `spec.duplicate_${what}`,
      `duplicate ${what} name "${name}" (first used at ${path[path.length - 1]}[${earlier}])`,
      `give each ${what} a unique name`,
    );
  });
}

function checkCoverage(c: IssueCollector, table: string, rawPlan: unknown, tables: Columns): void {
  const path = ['coverage', table];
  if (!checkTableRef(c, path, table, tables, true)) return;
  const parsed = CoveragePlan.safeParse(rawPlan);
  if (!parsed.success) return; // reported by the schema pass
  const plan = parsed.data;
  const columns = tables.get(table) ?? [];
  const axisNames: string[] = [];
  const entries = axisEntries<CoverageAxis>(plan.axes, (a) => a);
  entries.forEach(({ axis, at }) => {
    const apath = [...path, 'axes', at];
    if (typeof axis === 'string') {
      axisNames.push(axis);
      checkColumnRef(c, apath, axis, undefined, table, columns, 'coverage axis names');
      return;
    }
    axisNames.push(axis.name);
    if (axis.column !== undefined) {
      checkColumnRef(c, [...apath, 'column'], axis.column, undefined, table, columns, 'coverage axis names');
    } else if (axis.expr === undefined && !columns.includes(axis.name)) {
      const guess = didYouMean(axis.name, columns);
      c.report(
        [...apath, 'name'],
        'spec.unknown_column',
        `axis "${axis.name}" has no column or expr, and no column has that name`,
        guess ? `did you mean "${guess}"?` : 'add column: <name> or expr: "<expression>"',
      );
    }
    const bins = axis.bins ?? [];
    const j = bins.findIndex((b, k) => k > 0 && !(b > bins[k - 1]));
    if (j > 0) {
      c.report(
        [...apath, 'bins', j],
        'spec.breaks_order',
        `bins must be strictly ascending: ${bins[j]} comes after ${bins[j - 1]}`,
        'sort the cut points and remove duplicates',
      );
    }
  });
  axisNames.forEach((name, i) => {
    if (axisNames.indexOf(name) !== i) {
      c.report(
        [...path, 'axes', entries[i].at],
        'spec.duplicate_axis',
        `duplicate axis "${name}"`,
        'each axis appears once; rename or remove one',
      );
    }
  });
  (plan.cells ?? []).forEach((cell, i) => {
    for (const key of Object.keys(cell.when)) {
      if (axisNames.includes(key)) continue;
      const guess = didYouMean(key, axisNames);
      c.report(
        [...path, 'cells', i, 'when', key],
        'spec.unknown_axis',
        `cell names unknown axis "${key}"`,
        guess ? `did you mean "${guess}"?` : `axes of this plan: ${axisNames.join(', ')}`,
        { atKey: true },
      );
    }
  });
}

function checkScenario(c: IssueCollector, path: SpecPath, s: Scenario, tables: Columns): void {
  let columns: readonly string[];
  let where: string;
  if (s.table !== undefined) {
    if (!checkTableRef(c, [...path, 'table'], s.table, tables)) return;
    columns = tables.get(s.table) ?? [];
    where = s.table;
  } else if (tables.size === 1) {
    [[where, columns]] = [...tables];
  } else {
    columns = [...new Set([...tables.values()].flat())];
    where = 'any table';
  }
  for (const key of ['do', 'shift'] as const) {
    for (const col of Object.keys(s[key] ?? {})) {
      if (columns.includes(col)) continue;
      const guess = didYouMean(col, columns);
      c.report(
        [...path, key, col],
        'spec.unknown_column',
        `scenario ${key} names unknown column "${col}"`,
        guess
          ? `did you mean "${guess}"?`
          : `columns of ${where === 'any table' ? 'the spec' : `table "${where}"`}: ${columns.join(', ')}`,
        { atKey: true },
      );
    }
  }
}
