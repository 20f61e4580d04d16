/**
 * Column-level meaning checks that the schema cannot express: the mechanism fits the type,
 * `given` / conditional parents exist, bounds are ordered and parse, literal weights are usable,
 * faker methods exist. Runs per column on columns that passed the schema, so problems elsewhere
 * never hide these.
 */
import { dateValue } from './dates.js';
import { kindOf } from './describe.js';
import { didYouMean, quotedList } from './did-you-mean.js';
import { fakerMethodProblem } from './faker-methods.js';
import type { IssueCollector } from './issues.js';
import { isPlainMap, type SpecPath } from './path.js';
import { ROW_POSITION_NAMES } from './relational.js';
import { type CategoryValues, Column, type ColumnType, type Conditional, Dist } from './schema.js';
import { MISSING_STATE, whenLabels } from './when.js';

type Mechanism = 'dist' | 'values' | 'p' | 'conditional' | 'expr' | 'faker' | 'text';
const MECHANISMS: readonly Mechanism[] = ['dist', 'values', 'p', 'conditional', 'expr', 'faker', 'text'];

/** The mechanisms each column type accepts (exactly one is needed, except for ids). */
export const MECHANISMS_BY_TYPE: Readonly<Record<ColumnType, readonly Mechanism[]>> = {
  integer: ['dist', 'conditional', 'values', 'expr'],
  number: ['dist', 'conditional', 'expr'],
  datetime: ['dist', 'conditional', 'expr'],
  date: ['dist', 'conditional', 'expr'],
  category: ['values', 'conditional', 'expr'],
  boolean: ['p', 'values', 'conditional', 'expr'],
  string: ['faker', 'text', 'values', 'expr'],
  id: [],
  derived: ['expr'],
  ref: [],
};

/** What a conditional row (or default) may carry, per child type. */
const ROW_MECHANISMS: Readonly<Record<ColumnType, readonly ('values' | 'dist' | 'p')[]>> = {
  integer: ['dist', 'values'],
  number: ['dist'],
  datetime: ['dist'],
  date: ['dist'],
  category: ['values'],
  boolean: ['p', 'values'],
  string: ['values'],
  id: [],
  derived: [],
  ref: [],
};

const NUMERIC: readonly ColumnType[] = ['integer', 'number'];
const TEMPORAL: readonly ColumnType[] = ['datetime', 'date'];

function a(word: string): string {
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}

function orList(words: readonly string[]): string {
  return words.length <= 1
    ? words.join('')
    : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

export function checkTableColumns(
  collector: IssueCollector,
  tableName: string,
  rawColumns: Record<string, unknown>,
): void {
  const names = Object.keys(rawColumns);
  for (const [name, raw] of Object.entries(rawColumns)) {
    if (name === '') {
      // A CSV header cannot tell an empty name from a missing one, and Parquet refuses it.
      collector.report(
        ['tables', tableName, 'columns', name],
        'spec.empty_name',
        'a column name may not be empty',
        'give the column a name',
      );
    }
    let parsed = Column.safeParse(raw);
    if (!parsed.success && isPlainMap(raw) && raw.dist !== undefined && !Dist.safeParse(raw.dist).success) {
      // A bad dist is reported by the dist checker; check the rest of the column as if it were fine.
      parsed = Column.safeParse({ ...raw, dist: { constant: { value: 0 } } });
    }
    if (!parsed.success) continue; // already reported by the schema pass
    checkColumn(collector, ['tables', tableName, 'columns', name], tableName, name, parsed.data, names);
    if (parsed.data.conditional)
      checkWhenStates(
        collector,
        ['tables', tableName, 'columns', name, 'conditional'],
        parsed.data.conditional,
        rawColumns,
      );
  }
}

/**
 * The states a parent can take, when they are listed: a category's values (read from the raw
 * column, whose maps keep a `__proto__` key the schema drops), or the bins of `breaks`.
 * Undefined when they are not known here (expressions, text, numbers without breaks, columns of
 * other tables).
 */
function parentStates(raw: unknown, breaks: readonly number[] | undefined): Set<string> | undefined {
  if (breaks) return new Set(Array.from({ length: breaks.length + 1 }, (_, i) => String(i)));
  if (!isPlainMap(raw) || raw.type !== 'category') return undefined;
  const out = new Set<string>();
  const add = (vs: unknown): boolean => {
    if (Array.isArray(vs)) for (const v of vs) out.add(String(v));
    else if (isPlainMap(vs)) for (const k of Object.keys(vs)) out.add(k);
    else return false;
    return true;
  };
  if (raw.values !== undefined) return add(raw.values) ? out : undefined;
  const cond = raw.conditional;
  if (!isPlainMap(cond) || !Array.isArray(cond.rows)) return undefined;
  for (const r of [...cond.rows, ...(cond.default === undefined ? [] : [cond.default])])
    if (!isPlainMap(r) || !add(r.values)) return undefined;
  return out;
}

/**
 * Every state a `when` entry names is one its parent can take, and no two rows name the same
 * exact state: a hand edit that misspells a state (or a merged list with a stray member) made a
 * row that never applies, and the state it meant silently fell to the default.
 */
function checkWhenStates(
  c: IssueCollector,
  path: SpecPath,
  cond: Conditional,
  rawColumns: Record<string, unknown>,
): void {
  // A parent keyed by a binned expression (`expr`) takes the bins of its breaks ("0".."k").
  const states = cond.parents.map((p) =>
    p.column !== undefined && Object.hasOwn(rawColumns, p.column)
      ? parentStates(rawColumns[p.column], p.breaks)
      : p.expr !== undefined && p.breaks
        ? parentStates(undefined, p.breaks)
        : undefined,
  );
  const exact = new Map<string, number>();
  cond.rows.forEach((row, i) => {
    if (row.when.length !== cond.parents.length) return; // reported by checkConditional
    let allExact = true;
    row.when.forEach((entry, j) => {
      const labels = whenLabels(entry);
      if (labels === null || Array.isArray(entry)) allExact = false;
      const known = states[j];
      if (labels === null || !known) return;
      for (const l of labels) {
        if (l === MISSING_STATE || known.has(l)) continue;
        const parent = cond.parents[j];
        const listed = [...known];
        // bins are numbered: a near number is no likelier meant than any other
        const guess = parent.breaks ? undefined : didYouMean(l, listed);
        const name = parent.column ?? parent.expr;
        c.report(
          [...path, 'rows', i, 'when', j],
          'spec.unknown_state',
          `"${l}" is not a state of parent "${name}", so this row never applies to it`,
          guess
            ? `did you mean "${guess}"?`
            : `states of "${name}": ${listed.slice(0, 20).join(', ')}${listed.length > 20 ? ', …' : ''} (or "*", or NA for missing)`,
        );
      }
    });
    if (!allExact) return;
    const key = row.when.map((w) => whenLabels(w)?.[0] ?? '').join('\u0001');
    const first = exact.get(key);
    if (first === undefined) exact.set(key, i);
    else
      c.report(
        [...path, 'rows', i, 'when'],
        'spec.duplicate_state',
        `rows[${first}] already names this parent state, so one of the two rows is never used`,
        'merge the two rows, or change one of their when entries',
      );
  });
}

function checkColumn(
  c: IssueCollector,
  path: SpecPath,
  table: string,
  name: string,
  col: Column,
  columnNames: readonly string[],
): void {
  const allowed = MECHANISMS_BY_TYPE[col.type];
  const present = MECHANISMS.filter((m) => col[m] !== undefined);
  const misfits = present.filter((m) => !allowed.includes(m));
  const fitting = present.filter((m) => allowed.includes(m));
  const takes = allowed.length
    ? `${a(col.type)} column takes ${orList(allowed)}`
    : `${a(col.type)} column needs no mechanism`;
  for (const m of misfits) {
    c.report([...path, m], 'spec.mechanism_type', `"${m}" does not fit ${a(col.type)} column`, takes, {
      atKey: true,
    });
  }
  if (allowed.length > 0 && present.length === 0) {
    c.report(
      path,
      'spec.no_mechanism',
      `${col.type} column "${name}" has no mechanism`,
      `add ${orList(allowed)}`,
      {
        atKey: true,
      },
    );
  }
  if (fitting.length > 1) {
    c.report(
      [...path, fitting[1]],
      'spec.mechanism_conflict',
      `${quotedList(fitting)} are both set; a column takes one mechanism`,
      `keep one of ${quotedList(fitting, 'or')}`,
      { atKey: true },
    );
  }
  for (const key of ['id', 'start', 'prefix'] as const) {
    if (col[key] !== undefined && col.type !== 'id') {
      c.report(
        [...path, key],
        'spec.mechanism_type',
        `"${key}" only applies to id columns`,
        'remove it, or use type: id',
        {
          atKey: true,
        },
      );
    }
  }
  if (col.decimals !== undefined && col.type !== 'number') {
    c.report(
      [...path, 'decimals'],
      'spec.misplaced_key',
      `"decimals" applies to number columns, not ${col.type}`,
      'remove it, or use type: number',
      {
        atKey: true,
      },
    );
  }
  if (col.format !== undefined && !TEMPORAL.includes(col.type)) {
    c.report(
      [...path, 'format'],
      'spec.misplaced_key',
      `"format" applies to datetime/date columns, not ${col.type}`,
      'remove it',
      {
        atKey: true,
      },
    );
  }
  if (typeof col.missing === 'number' && !(col.missing >= 0 && col.missing <= 1)) {
    c.report(
      [...path, 'missing'],
      'spec.out_of_range',
      `missing is a probability, got ${col.missing}`,
      'use a value between 0 and 1',
    );
  }
  if (typeof col.p === 'number' && !(col.p >= 0 && col.p <= 1)) {
    c.report(
      [...path, 'p'],
      'spec.out_of_range',
      `p is a probability, got ${col.p}`,
      'use a value between 0 and 1',
    );
  }
  checkBounds(c, path, col);
  (col.given ?? []).forEach((parent, i) => {
    checkColumnRef(c, [...path, 'given', i], parent, name, table, columnNames, 'given names');
  });
  if (col.faker !== undefined) {
    const problem = fakerMethodProblem(col.faker);
    if (problem) c.report([...path, 'faker'], 'spec.unknown_faker', problem.message, problem.hint);
  }
  if (col.values !== undefined) checkWeights(c, [...path, 'values'], col.values);
  if (col.conditional !== undefined && allowed.includes('conditional')) {
    checkConditional(c, [...path, 'conditional'], table, name, col.type, col.conditional, columnNames);
  }
}

/** A reference to another column of the same table, with did-you-mean. */
export function checkColumnRef(
  c: IssueCollector,
  path: SpecPath,
  ref: string,
  self: string | undefined,
  table: string,
  columnNames: readonly string[],
  what: string,
): void {
  if (ref === self) {
    c.report(
      path,
      'spec.self_parent',
      `column "${self}" cannot be its own parent`,
      'remove it from the list',
    );
    return;
  }
  if (columnNames.includes(ref)) return;
  // parent.x, T.x, prev.x, first.x, index and remaining read other rows: check-relational.ts checks them.
  if (ref.includes('.') || ROW_POSITION_NAMES.includes(ref)) return;
  const guess = didYouMean(ref, columnNames);
  c.report(
    path,
    'spec.unknown_column',
    `${what} unknown column "${ref}"`,
    guess ? `did you mean "${guess}"?` : `columns of table "${table}": ${columnNames.join(', ')}`,
  );
}

function checkBounds(c: IssueCollector, path: SpecPath, col: Column): void {
  if (col.min === undefined && col.max === undefined) return;
  const numeric = NUMERIC.includes(col.type);
  const temporal = TEMPORAL.includes(col.type);
  const values: Partial<Record<'min' | 'max', number>> = {};
  for (const key of ['min', 'max'] as const) {
    const v = col[key];
    if (v === undefined) continue;
    if (!numeric && !temporal) {
      c.report(
        [...path, key],
        'spec.misplaced_key',
        `"${key}" applies to numeric and date columns, not ${col.type}`,
        'remove it',
        {
          atKey: true,
        },
      );
      continue;
    }
    if (numeric && typeof v !== 'number') {
      c.report(
        [...path, key],
        'spec.wrong_type',
        `expected a number for a ${col.type} column, got ${kindOf(v)}`,
        'write a plain number, without quotes',
      );
      continue;
    }
    const t = dateValue(v);
    if (t === undefined) {
      c.report(
        [...path, key],
        'spec.bad_date',
        `"${v}" is not an ISO date`,
        'write YYYY-MM-DD or YYYY-MM-DDTHH:mm:ssZ',
      );
      continue;
    }
    values[key] = t;
  }
  if (values.min !== undefined && values.max !== undefined && values.min > values.max) {
    c.report(
      [...path, 'min'],
      'spec.min_above_max',
      `min (${String(col.min)}) is greater than max (${String(col.max)})`,
      'swap min and max, or fix one of them',
    );
  }
}

/** Literal weights must be ≥ 0 and not all zero; expression weights are the engine's business. */
function checkWeights(c: IssueCollector, path: SpecPath, values: CategoryValues): void {
  if (Array.isArray(values)) return;
  const entries = Object.entries(values);
  let allLiteral = true;
  let total = 0;
  for (const [key, w] of entries) {
    if (typeof w !== 'number') {
      allLiteral = false;
      continue;
    }
    if (w < 0) {
      c.report(
        [...path, key],
        'spec.negative_weight',
        `weight of "${key}" is negative (${w})`,
        'weights must be ≥ 0',
      );
    } else {
      total += w;
    }
  }
  if (allLiteral && entries.length > 0 && total === 0 && !entries.some(([, w]) => (w as number) < 0)) {
    c.report(path, 'spec.zero_weights', 'all weights are zero', 'give at least one value a positive weight');
  }
}

function checkConditional(
  c: IssueCollector,
  path: SpecPath,
  table: string,
  name: string,
  type: ColumnType,
  cond: Conditional,
  columnNames: readonly string[],
): void {
  cond.parents.forEach((parent, i) => {
    if ((parent.column === undefined) === (parent.expr === undefined)) {
      c.report(
        [...path, 'parents', i],
        'spec.mechanism_conflict',
        parent.column === undefined
          ? 'a conditional parent needs a column or an expr'
          : 'a conditional parent has either a column or an expr, not both',
        'write { column: x } for a column, or { expr: "…", breaks: [...] } for a numeric expression',
      );
      return;
    }
    if (parent.column === undefined) {
      // An expression parent: its names are checked when the expression is compiled; it is
      // numeric, so it needs cut points to have states.
      if (!parent.breaks)
        c.report(
          [...path, 'parents', i, 'expr'],
          'spec.missing_key',
          'an expr parent needs breaks: its value is a number, its states are the bins',
          'add breaks: [cut points]',
        );
    } else
      checkColumnRef(
        c,
        [...path, 'parents', i, 'column'],
        parent.column,
        name,
        table,
        columnNames,
        'conditional parent names',
      );
    const breaks = parent.breaks ?? [];
    const j = breaks.findIndex((b, k) => k > 0 && !(b > breaks[k - 1]));
    if (j > 0) {
      c.report(
        [...path, 'parents', i, 'breaks', j],
        'spec.breaks_order',
        `breaks must be strictly ascending: ${breaks[j]} comes after ${breaks[j - 1]}`,
        'sort the cut points and remove duplicates',
      );
    }
  });
  const allowed = ROW_MECHANISMS[type];
  const k = cond.parents.length;
  cond.rows.forEach((row, i) => {
    const rpath = [...path, 'rows', i];
    if (row.when.length !== k) {
      c.report(
        [...rpath, 'when'],
        'spec.when_length',
        `when has ${row.when.length} label${row.when.length === 1 ? '' : 's'} but there ${k === 1 ? 'is 1 parent' : `are ${k} parents`}`,
        `give one label per parent, in order: ${cond.parents.map((p) => p.column).join(', ')}`,
      );
    }
    checkRowMechanism(c, rpath, type, allowed, row);
  });
  if (cond.default) checkRowMechanism(c, [...path, 'default'], type, allowed, cond.default);
}

function checkRowMechanism(
  c: IssueCollector,
  path: SpecPath,
  type: ColumnType,
  allowed: readonly ('values' | 'dist' | 'p')[],
  row: { values?: CategoryValues; dist?: unknown; p?: unknown; missing?: number },
): void {
  const present = (['values', 'dist', 'p'] as const).filter((m) => row[m] !== undefined);
  for (const m of present) {
    if (!allowed.includes(m)) {
      c.report(
        [...path, m],
        'spec.mechanism_type',
        `"${m}" does not fit ${a(type)} column`,
        `rows of a ${type} column take ${orList(allowed)}`,
        {
          atKey: true,
        },
      );
    }
  }
  if (present.length === 0 && row.missing !== 1) {
    c.report(path, 'spec.no_mechanism', 'this state has no mechanism', `add ${orList(allowed)}`);
  }
  if (present.length > 1) {
    c.report(
      path,
      'spec.mechanism_conflict',
      `${quotedList(present)} are both set`,
      `keep one of ${quotedList(present, 'or')}`,
    );
  }
  if (row.values !== undefined) checkWeights(c, [...path, 'values'], row.values);
  if (typeof row.p === 'number' && !(row.p >= 0 && row.p <= 1)) {
    c.report(
      [...path, 'p'],
      'spec.out_of_range',
      `p is a probability, got ${row.p}`,
      'use a value between 0 and 1',
    );
  }
}
