/**
 * The rules of a relational spec (or fitted model) checked on every table of a set, with the names
 * they read across rows resolved as the generator resolves them (docs/relational.md): `parent.x`
 * and `T.x` (an ancestor's row, through the foreign keys), `prev.x` / `first.x` / `index` /
 * `remaining` (the row's place in its sequence: rows under one parent, or one panel entity, in the
 * sequence's order), and `count(C)`, `min|max|sum|mean(C.x)` over the row's children in table C.
 * A row where a value a rule reads is missing is "not evaluable", not a violation (SQL CHECK
 * semantics, as in the single-table rules section and the generator).
 */
import { compileExpression, truthy, type Value } from '../../expr/index.js';
import type { RawTable } from '../../io/index.js';
import { ancestorsOf, contextNames, parentLink, SEQUENCE_QUALIFIERS } from '../../spec/relational.js';
import type { Spec } from '../../spec/schema.js';
import { specValues } from '../spec-checks.js';
import type { Metric } from '../types.js';
import { inSequence } from './order.js';
import { columnOf, keyValues, orderValues, type TableSet } from './tables.js';
import type { RelationalRuleReport } from './types.js';

/** Row numbers of violations listed per rule. */
const EXAMPLES = 3;

interface RuleCounts {
  checked: number;
  violations: number;
  notEvaluable: number;
  examples: number[];
}

/** Per set: each table's values converted by the spec's column types, computed once. */
class SetView {
  private readonly values = new Map<string, Value[][]>();
  private readonly parentRows = new Map<string, Int32Array>();
  constructor(
    readonly spec: Spec,
    readonly set: TableSet,
  ) {}

  table(name: string): RawTable | undefined {
    return this.set.get(name);
  }

  /** Column-major values of a table (its file's columns). */
  valuesOf(name: string): Value[][] {
    let v = this.values.get(name);
    if (!v) {
      const t = this.set.get(name);
      v = t ? specValues(t, this.spec.tables[name]?.columns ?? {}) : [];
      this.values.set(name, v);
    }
    return v;
  }

  column(name: string, column: string): Value[] | undefined {
    const t = this.set.get(name);
    const j = t ? t.columns.indexOf(column) : -1;
    return j < 0 ? undefined : this.valuesOf(name)[j];
  }

  /** Each row's parent row (−1: no parent row of that key, or no foreign key). */
  parentRowsOf(name: string): Int32Array | undefined {
    const cached = this.parentRows.get(name);
    if (cached) return cached;
    const link = parentLink(this.spec, name);
    const child = this.set.get(name);
    const parent = link && this.set.get(link.table);
    if (!link || !child || !parent) return undefined;
    const index = new Map<string, number>();
    keyValues(columnOf(parent, link.key) ?? []).forEach((k, i) => {
      if (k !== null && !index.has(k)) index.set(k, i);
    });
    const fk = keyValues(columnOf(child, link.column) ?? []);
    const out = new Int32Array(child.rowCount);
    for (let i = 0; i < out.length; i++) {
      const k = fk[i];
      out[i] = k === null ? -1 : (index.get(k) ?? -1);
    }
    this.parentRows.set(name, out);
    return out;
  }
}

/** Rows of a table in sequence order, grouped by parent row (or panel entity, or one group). */
function sequenceOf(v: SetView, name: string): { rows: number[]; group: Int32Array } {
  const t = v.table(name) as RawTable;
  const spec = v.spec.tables[name];
  const parents = v.parentRowsOf(name);
  const entity =
    !parents && spec.sequence?.entity ? keyValues(columnOf(t, spec.sequence.entity) ?? []) : undefined;
  const ids = new Map<string, number>();
  const group = new Int32Array(t.rowCount);
  for (let i = 0; i < t.rowCount; i++) {
    if (parents) group[i] = parents[i];
    else if (entity) {
      const k = entity[i] ?? '';
      let g = ids.get(k);
      if (g === undefined) {
        g = ids.size;
        ids.set(k, g);
      }
      group[i] = g;
    }
  }
  const order = spec.sequence?.order;
  const within = order ? inSequence(orderValues(columnOf(t, order) ?? [])) : (a: number, b: number) => a - b;
  const rows = Array.from({ length: t.rowCount }, (_, i) => i).sort(
    (a, b) => group[a] - group[b] || within(a, b),
  );
  return { rows, group };
}

function aggregate(fn: string, xs: readonly Value[]): Value {
  if (fn === 'count') return xs.length;
  const nums = xs.filter((x): x is number => typeof x === 'number');
  if (nums.length === 0) return null;
  if (fn === 'sum' || fn === 'mean') {
    const s = nums.reduce((a, x) => a + x, 0);
    return fn === 'sum' ? s : s / nums.length;
  }
  return fn === 'min' ? Math.min(...nums) : Math.max(...nums);
}

/** The values of one context name (`parent.x`, `T.x`, `prev.x`, `index`, `count(C)` …) for every row. */
function contextColumn(v: SetView, name: string, ref: string): Value[] {
  const n = (v.table(name) as RawTable).rowCount;
  const out: Value[] = new Array(n).fill(null);
  const open = ref.indexOf('(');
  if (open > 0) {
    const fn = ref.slice(0, open);
    const arg = ref.slice(open + 1, -1);
    const dot = arg.indexOf('.');
    const child = dot < 0 ? arg : arg.slice(0, dot);
    const parents = v.parentRowsOf(child);
    const col = dot < 0 ? undefined : v.column(child, arg.slice(dot + 1));
    const per: Value[][] = Array.from({ length: n }, () => []);
    if (parents && (dot < 0 || col))
      for (let i = 0; i < parents.length; i++) if (parents[i] >= 0) per[parents[i]].push(col ? col[i] : 1);
    return per.map((xs) => aggregate(fn, xs));
  }
  if (ref === 'index' || ref === 'remaining' || SEQUENCE_QUALIFIERS.some((q) => ref.startsWith(`${q}.`))) {
    const { rows, group } = sequenceOf(v, name);
    const dot = ref.indexOf('.');
    const col = dot < 0 ? undefined : v.column(name, ref.slice(dot + 1));
    let start = 0;
    for (let p = 0; p <= rows.length; p++) {
      if (p < rows.length && p > start && group[rows[p]] === group[rows[start]]) continue;
      if (p > start) {
        const size = p - start;
        for (let k = start; k < p; k++) {
          const i = rows[k];
          const pos = k - start;
          if (ref === 'index') out[i] = pos;
          else if (ref === 'remaining') out[i] = size - pos - 1;
          else if (col && pos > 0) out[i] = ref.startsWith('prev.') ? col[rows[k - 1]] : col[rows[start]];
        }
      }
      start = p;
    }
    return out;
  }
  // parent.x or T.x: walk up the foreign keys to the ancestor
  const dot = ref.indexOf('.');
  const q = ref.slice(0, dot);
  const ancestors = ancestorsOf(v.spec, name);
  const up = q === 'parent' ? 1 : ancestors.indexOf(q) + 1;
  if (up < 1) return out;
  const col = v.column(ancestors[up - 1], ref.slice(dot + 1));
  if (!col) return out;
  const chain = [name, ...ancestors].slice(0, up).map((t) => v.parentRowsOf(t));
  for (let i = 0; i < n; i++) {
    let r = i;
    for (const step of chain) {
      r = step && r >= 0 ? step[r] : -1;
      if (r < 0) break;
    }
    if (r >= 0) out[i] = col[r];
  }
  return out;
}

interface Compiled {
  table: string;
  name: string;
  check: string;
  across: boolean;
  evaluate?: (row: readonly Value[]) => Value;
  reads: number[];
  error?: string;
}

function compileRules(spec: Spec, name: string, t: RawTable): { rules: Compiled[]; scope: string[] } {
  const scope = new Map<string, number>(t.columns.map((c, i) => [c, i]));
  for (const c of contextNames(spec, name)) if (!scope.has(c)) scope.set(c, scope.size);
  const rules = (spec.tables[name].rules ?? []).map((r): Compiled => {
    try {
      const e = compileExpression(r.check, { columns: scope });
      const reads = e.refs.map((x) => scope.get(x) as number);
      return {
        table: name,
        name: r.name,
        check: r.check,
        across: reads.some((i) => i >= t.columns.length),
        evaluate: e.evaluate,
        reads,
      };
    } catch (err) {
      return {
        table: name,
        name: r.name,
        check: r.check,
        across: false,
        reads: [],
        error: (err as Error).message,
      };
    }
  });
  return { rules, scope: [...scope.keys()] };
}

/** `nOwn`: the scope's first names are the table's own columns (looked up by name: sets may order them differently). */
function count(
  v: SetView,
  name: string,
  rules: readonly Compiled[],
  scope: readonly string[],
  nOwn: number,
): RuleCounts[] {
  const t = v.table(name);
  if (!t) return rules.map(() => ({ checked: 0, violations: 0, notEvaluable: 0, examples: [] }));
  const slots = new Map<number, Value[]>();
  for (const r of rules)
    for (const i of r.reads)
      if (!slots.has(i))
        slots.set(
          i,
          i < nOwn
            ? (v.column(name, scope[i]) ?? new Array<Value>(t.rowCount).fill(null))
            : contextColumn(v, name, scope[i]),
        );
  const row: Value[] = new Array(scope.length).fill(null);
  return rules.map((r) => {
    const out: RuleCounts = { checked: 0, violations: 0, notEvaluable: 0, examples: [] };
    if (!r.evaluate) return out;
    const cols = r.reads.map((i) => [i, slots.get(i) as Value[]] as const);
    for (let k = 0; k < t.rowCount; k++) {
      let missing = false;
      for (const [i, c] of cols) {
        const x = c[k];
        if (x === null || x === undefined) missing = true;
        row[i] = x ?? null;
      }
      const value = missing ? null : r.evaluate(row);
      if (value === null) {
        out.notEvaluable++;
        continue;
      }
      out.checked++;
      if (!truthy(value)) {
        out.violations++;
        if (out.examples.length < EXAMPLES) out.examples.push(k + 1);
      }
    }
    return out;
  });
}

function rate(c: RuleCounts, who: string): Metric {
  return c.checked > 0
    ? { value: c.violations / c.checked }
    : { value: null, reason: `no ${who} row has every value the rule reads` };
}

/**
 * Every rule of every spec table present in the synthetic set, counted on the synthetic rows, the
 * real rows and (when given) the holdout's. Empty when there is no spec or it declares no rules.
 */
export function relationalRules(
  spec: Spec | undefined,
  sets: { real: TableSet; synthetic: TableSet; holdout?: TableSet },
): RelationalRuleReport[] {
  if (!spec) return [];
  const syn = new SetView(spec, sets.synthetic);
  const real = new SetView(spec, sets.real);
  const hold = sets.holdout ? new SetView(spec, sets.holdout) : undefined;
  const out: RelationalRuleReport[] = [];
  for (const name of Object.keys(spec.tables)) {
    const t = sets.synthetic.get(name);
    if (!t || !(spec.tables[name].rules ?? []).length) continue;
    const { rules, scope } = compileRules(spec, name, t);
    const own = t.columns.length;
    const s = count(syn, name, rules, scope, own);
    const r = count(real, name, rules, scope, own);
    const h = hold ? count(hold, name, rules, scope, own) : undefined;
    rules.forEach((rule, k) => {
      out.push({
        table: name,
        name: rule.name,
        check: rule.check,
        across: rule.across,
        checked: s[k].checked,
        violations: s[k].violations,
        not_evaluable: s[k].notEvaluable,
        rate: rule.error
          ? { value: null, reason: `rule cannot be compiled: ${rule.error}` }
          : rate(s[k], 'synthetic'),
        examples: s[k].examples,
        violations_real: r[k].violations,
        ...(h ? { violations_holdout: h[k].violations, rate_holdout: rate(h[k], 'holdout') } : {}),
        ...(rule.error ? { error: rule.error } : {}),
      });
    });
  }
  return out;
}
