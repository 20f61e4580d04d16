/**
 * Compile a relational spec (issue 14) into one model per table: each table's columns plus its
 * context slots (parent.x, T.x, prev.x, first.x, index), where every used slot reads from, the
 * count mechanism (drawn in the parent's context) and which output columns carry a child table's
 * sequential ids (numbered within a root block while drawing, offset when written).
 */
import { StrataError } from '../errors.js';
import { compileExpression, referencedNames, truthy } from '../expr/index.js';
import { nameMap } from '../names.js';
import { expandPanels } from '../spec/panels.js';
import {
  ancestorsOf,
  childTables,
  contextNames,
  countContextNames,
  keyOf,
  parentLink,
  rootTables,
  tableColumnNames,
} from '../spec/relational.js';
import type { ChildCount, Column, Spec, Table } from '../spec/schema.js';
import { type CompileOptions, compileTable, type TableModel } from './compile.js';
import { type Locator, makeErrorFactory } from './context.js';
import { type EmptyWindow, emptyWindow } from './empty-window.js';
import type { Value } from './values.js';

/** Where a context slot's value comes from. */
export type SlotSource =
  /** Column `column` of the ancestor `up` levels above (1 = parent). */
  | { kind: 'ancestor'; slot: number; up: number; table: string; column: number }
  | { kind: 'prev' | 'first'; slot: number; column: number }
  | { kind: 'index' | 'remaining'; slot: number };

/** An aggregate over the child rows of the current row: `count(C)`, `max(C.x)` … */
export interface AggregateSource {
  slot: number;
  fn: 'count' | 'min' | 'max' | 'sum' | 'mean';
  /** Index of the child table among RelTable.children. */
  child: number;
  /** Column of the child table (-1 for count). */
  column: number;
}

/** A derived column or rule that reads aggregates: evaluated after the row's children are drawn. */
export interface LateExpr {
  name: string;
  /** Output column (derived columns) or -1 (rules). */
  column: number;
  check: string;
  evaluate: (row: readonly Value[]) => Value;
  /** Row indices it reads (a null among them leaves a rule unevaluated). */
  reads: number[];
}

export interface CountModel {
  model: TableModel;
  width: number;
  slots: SlotSource[];
}

/** An output column holding sequential ids of child table `table` (renumbered when written). */
export interface IdCarrier {
  column: number;
  table: string;
  prefix: string;
}

export interface RelTable {
  name: string;
  model: TableModel;
  /** Row array length: columns, then context slots. */
  width: number;
  /** Used context slots and their sources. */
  slots: SlotSource[];
  /** Ancestors, parent first. */
  ancestors: string[];
  /** Children per parent row (child tables only). */
  count?: CountModel;
  children: RelTable[];
  /** Rows under one parent are a sequence (prev./first. slots; `order` non-decreasing). */
  sequence: boolean;
  /** The entity table of a panel (spec/panels.ts): drawn, never written. */
  hidden: boolean;
  /** True when this table's sequential ids are numbered per root block and offset on output. */
  localIds: boolean;
  idCarriers: IdCarrier[];
  /** Aggregate slots set after the children of a row are drawn. */
  aggregates: AggregateSource[];
  /** Derived columns reading aggregates, in declaration order. */
  lateColumns: LateExpr[];
  /** Rules reading aggregates: a failure redraws the row's children. */
  lateRules: LateExpr[];
}

export interface RelationalModel {
  /** Root tables, each with its subtree. */
  roots: RelTable[];
  /** Every table, parents before children (depth-first, declaration order). */
  tables: RelTable[];
  /** The tables written (all but the hidden entity tables of panels), in `tables` order. */
  written: RelTable[];
}

export interface RelationalCompileOptions {
  /** Interventions per table: table → column → value. */
  do?: ReadonlyMap<string, Record<string, string | number | boolean>>;
  locator?: Locator;
  quantile?: CompileOptions['quantile'];
  /**
   * Number root tables' sequential ids per block too, offset when written (coverage runs: a
   * block of cell entities does not know how many entities the blocks before it drew).
   */
  localRootIds?: boolean;
}

/**
 * The table as the kernel compiles it: the FK column becomes a copy of `parent.<key>` (first when
 * not declared), and a sequence adds the rule `order >= prev.order` (rows drawn in order).
 */
const readsAggregate = (source: string) => {
  try {
    return referencedNames(source).some((r) => r.includes('('));
  } catch {
    return false; // a syntax error: reported with its place when the table compiles
  }
};

function expandTable(spec: Spec, name: string): Table {
  const t = spec.tables[name];
  const link = parentLink(spec, name);
  let columns: Record<string, Column> = t.columns;
  if (link) {
    const fk: Column = { type: 'derived', expr: `parent.${link.key}` };
    columns = Object.hasOwn(t.columns, link.column)
      ? nameMap(Object.entries(t.columns).map(([k, c]) => [k, k === link.column ? fk : c] as const))
      : nameMap<Column>([[link.column, fk], ...Object.entries(t.columns)]);
  }
  // Derived columns and rules over aggregates are evaluated after the children (see LateExpr).
  columns = nameMap(
    Object.entries(columns).map(
      ([k, c]) =>
        [
          k,
          c.type === 'derived' && c.expr !== undefined && readsAggregate(c.expr)
            ? ({ type: 'derived', expr: 'null' } as Column)
            : c,
        ] as const,
    ),
  );
  const rules = (t.rules ?? []).filter((r) => !readsAggregate(r.check));
  const o = t.sequence?.order;
  if (o !== undefined) {
    rules.push({ name: `sequence_order(${o})`, check: `\`${o}\` >= prev.${o}` });
  }
  return { ...t, columns, rules };
}

function slotSources(
  spec: Spec,
  name: string,
  model: TableModel,
  names: readonly string[],
  used: readonly number[] = model.contextUsed,
): SlotSource[] {
  const n = model.columns.length;
  const ancestors = ancestorsOf(spec, name);
  const own = tableColumnNames(spec, name);
  const ownIndex = (c: string) => model.columns.findIndex((ci) => ci.name === c);
  return used.map((slot): SlotSource => {
    const ref = names[slot - n];
    if (ref === 'index' || ref === 'remaining') return { kind: ref, slot };
    const dot = ref.indexOf('.');
    const q = ref.slice(0, dot);
    const col = ref.slice(dot + 1);
    if ((q === 'prev' || q === 'first') && own.includes(col)) return { kind: q, slot, column: ownIndex(col) };
    const up = q === 'parent' ? 1 : ancestors.indexOf(q) + 1;
    const table = ancestors[up - 1];
    const cols = tableColumnNames(spec, table);
    return { kind: 'ancestor', slot, up, table, column: cols.indexOf(col) };
  });
}

export function compileRelational(declared: Spec, opts: RelationalCompileOptions = {}): RelationalModel {
  // A panel table is drawn as a hidden entity table and itself as its child (spec/panels.ts).
  const { spec, hidden } = expandPanels(declared);
  const tables: RelTable[] = [];
  const carriersOf = new Map<string, Map<number, string>>(); // table → column → id table it carries
  const build = (name: string): RelTable => {
    const ancestors = ancestorsOf(spec, name);
    const table = expandTable(spec, name);
    const names = contextNames(spec, name);
    const cspec: Spec = { ...spec, tables: nameMap([...Object.entries(spec.tables), [name, table]]) };
    const model = compileTable(cspec, name, {
      context: names,
      do: opts.do?.get(name),
      locator: opts.locator,
      quantile: opts.quantile,
    });
    const n = model.columns.length;
    const empty = emptyWindow(spec, name, ancestors);
    if (empty) throw emptyWindowError(spec, name, empty, opts.locator);
    const late = compileLate(spec, name, model, names, opts.locator);
    const used = [...new Set([...model.contextUsed, ...late.reads])]
      .filter((i) => !names[i - n].includes('('))
      .sort((a, b) => a - b);
    const slots = slotSources(spec, name, model, names, used);
    const link = parentLink(spec, name);
    if (link) {
      const fk = model.columns.findIndex((c) => c.name === link.column);
      const parentModel = tables.find((t) => t.name === link.table)!.model;
      const key = parentModel.columns.find((c) => c.name === link.key)!;
      model.columns[fk] = { ...model.columns[fk], type: 'ref', kind: key.kind, decimals: undefined };
    }
    const key = keyOf(spec, name);
    const keyCol = key !== undefined ? table.columns[key] : undefined;
    const localIds = ancestors.length > 0 || opts.localRootIds === true;
    // Columns carrying a child table's sequential ids: its own id columns, and exact copies of a
    // carrier (the FK column, `derived: parent.key`).
    const carriers = new Map<number, string>();
    Object.entries(table.columns).forEach(([cn, c], i) => {
      if (c.type === 'id' && c.id !== 'uuid' && localIds) carriers.set(i, name);
      if (c.type === 'derived' && c.expr !== undefined) {
        const ref = c.expr.trim();
        const slot = names.indexOf(ref);
        const src = slot >= 0 ? slots.find((s) => s.slot === n + slot) : undefined;
        if (src?.kind === 'ancestor') {
          const carried = carriersOf.get(src.table)?.get(src.column);
          if (carried !== undefined) carriers.set(i, carried);
        } else if (src && (src.kind === 'prev' || src.kind === 'first')) {
          const carried = carriers.get(src.column);
          if (carried !== undefined) carriers.set(i, carried);
        }
      }
      void cn;
    });
    carriersOf.set(name, carriers);
    const idCarriers: IdCarrier[] = [...carriers].map(([column, t]) => ({
      column,
      table: t,
      prefix: idPrefix(spec, t),
    }));
    let count: CountModel | undefined;
    if (ancestors.length > 0) count = compileCount(spec, name, opts);
    const rt: RelTable = {
      name,
      model,
      width: n + names.length,
      slots,
      ancestors,
      count,
      children: [],
      sequence: table.sequence !== undefined,
      hidden: hidden.has(name),
      localIds,
      idCarriers,
      aggregates: [],
      lateColumns: late.columns,
      lateRules: late.rules,
    };
    void keyCol;
    tables.push(rt);
    rt.children = childTables(spec, name).map(build);
    rt.aggregates = [...new Set(late.reads)]
      .filter((i) => names[i - n].includes('('))
      .map((slot) => aggregateSource(slot, names[slot - n], rt.children));
    return rt;
  };
  const roots = rootTables(spec).map(build);
  return { roots, tables, written: tables.filter((t) => !t.hidden) };
}

function emptyWindowError(spec: Spec, name: string, w: EmptyWindow, loc: Locator | undefined): StrataError {
  const rules = spec.tables[name].rules ?? [];
  const lo = rules[w.lowerRule];
  const hi = rules[w.upperRule];
  const which = w.lowerRule === w.upperRule ? `rule "${lo.name}"` : `rules "${lo.name}" and "${hi.name}"`;
  const path = ['tables', name, 'rules', w.upperRule, 'check'];
  return new StrataError(
    'model.empty_window',
    `${which} of table "${name}" leave "${w.column}" no value: it must be above ${w.lower} and below ${w.upper}, ${w.because ?? 'the same value'}`,
    { ...locate(loc, path), path: `tables.${name}.rules.${hi.name}` },
    `bound "${w.column}" between values the parent rules order the right way (start < end), or drop one of the rules`,
  );
}

function idPrefix(spec: Spec, table: string): string {
  const key = keyOf(spec, table);
  const c = key !== undefined ? spec.tables[table].columns[key] : undefined;
  return c?.prefix ?? '';
}

/** `count` as a one-column table in the parent's context; default: exactly one child. */
function compileCount(spec: Spec, name: string, opts: RelationalCompileOptions): CountModel {
  const t = spec.tables[name];
  const c: ChildCount = t.count ?? { values: { 1: 1 } };
  const column: Column = {
    type: 'integer',
    ...(c.given ? { given: c.given } : {}),
    ...(c.dist ? { dist: c.dist } : {}),
    ...(c.values ? { values: c.values } : {}),
    ...(c.conditional ? { conditional: c.conditional } : {}),
    ...(c.expr ? { expr: c.expr } : {}),
    min: c.min ?? 0,
    ...(c.max !== undefined ? { max: c.max } : {}),
  };
  const countTable = `${name}.count`;
  const names = countContextNames(spec, name);
  const cspec: Spec = {
    ...spec,
    tables: nameMap([...Object.entries(spec.tables), [countTable, { columns: nameMap([['n', column]]) }]]),
  };
  let model: TableModel;
  try {
    model = compileTable(cspec, countTable, { context: names, quantile: opts.quantile });
  } catch (e) {
    if (e instanceof StrataError) {
      throw new StrataError(
        e.code,
        `count of table "${name}": ${e.message}`,
        { ...locate(opts.locator, ['tables', name, 'count']), path: `tables.${name}.count` },
        e.hint,
      );
    }
    throw e;
  }
  return { model, width: 1 + names.length, slots: slotSources(spec, name, model, names) };
}

function locate(
  loc: Locator | undefined,
  path: (string | number)[],
): { file?: string; line?: number; column?: number } {
  const pos = loc?.locate?.(path);
  return { file: loc?.file, line: pos?.line, column: pos?.column };
}

function aggregateSource(slot: number, key: string, children: readonly RelTable[]): AggregateSource {
  const open = key.indexOf('(');
  const fn = key.slice(0, open) as AggregateSource['fn'];
  const arg = key.slice(open + 1, -1);
  const dot = arg.indexOf('.');
  const table = dot < 0 ? arg : arg.slice(0, dot);
  const child = children.findIndex((c) => c.name === table);
  const column = dot < 0 ? -1 : children[child].model.columns.findIndex((c) => c.name === arg.slice(dot + 1));
  return { slot, fn, child, column };
}

/** Derived columns and rules of a table that read aggregates, compiled over the full row scope. */
function compileLate(
  spec: Spec,
  name: string,
  model: TableModel,
  names: readonly string[],
  locator: Locator | undefined,
): { columns: LateExpr[]; rules: LateExpr[]; reads: number[] } {
  const t = spec.tables[name];
  const n = model.columns.length;
  const scope = new Map<string, number>(model.columns.map((c, i) => [c.name, i]));
  names.forEach((x, j) => {
    if (!scope.has(x)) scope.set(x, n + j);
  });
  const errs = makeErrorFactory(locator);
  const reads: number[] = [];
  const compile = (source: string, path: (string | number)[], label: string, column: number): LateExpr => {
    try {
      const e = compileExpression(source, { columns: scope });
      const r = e.refs.map((x) => scope.get(x)!);
      reads.push(...r.filter((i) => i >= n));
      return { name: label, column, check: source, evaluate: e.evaluate, reads: r };
    } catch (err) {
      throw errs.wrapExprError(err, path, source);
    }
  };
  const columns: LateExpr[] = [];
  for (const [k, c] of Object.entries(t.columns)) {
    if (c.type === 'derived' && c.expr !== undefined && readsAggregate(c.expr)) {
      columns.push(compile(c.expr, ['tables', name, 'columns', k, 'expr'], k, scope.get(k)!));
    }
  }
  const rules: LateExpr[] = [];
  (t.rules ?? []).forEach((r, i) => {
    if (readsAggregate(r.check))
      rules.push(compile(r.check, ['tables', name, 'rules', i, 'check'], r.name, -1));
  });
  return { columns, rules, reads };
}

/** A late rule holds on the row: true when any input is null (SQL CHECK semantics). */
export function lateRuleHolds(rule: LateExpr, row: readonly Value[]): boolean {
  for (const i of rule.reads) if (row[i] === null || row[i] === undefined) return true;
  return truthy(rule.evaluate(row));
}
