/**
 * The discrete skeleton of a table: the columns a cell's evidence depends on (the evidence columns
 * and all their ancestors), each turned into a discrete variable with a conditional probability
 * table over its parents' states.
 *
 *  - discrete columns (values / p / conditional rows with values or p): their levels, plus "NA"
 *    when they can be missing; value filters from rules (`x in [...]`, `x != c`) are applied and
 *    each table renormalised, exactly as the sampler does;
 *  - numeric columns (constant-parameter or empirical dist, also per conditional state) are cut
 *    into bins at the union of the `breaks` their children use and the edges the plan needs (axis
 *    bins, tail thresholds, constants in expr axes); P(bin | parents) is the truncated mass of the
 *    bin inside the column's min/max and constant rule bounds.
 *
 * A column that reads a parent through an expression, is derived, or has bounds from rules over
 * other columns cannot be discretised: `buildSkeleton` returns the reason instead.
 */
import { parseExpression } from '../expr/index.js';
import { nextDown, type TableModel } from '../model/compile.js';
import { conditionalResolver, stateKey } from '../model/conditional-rows.js';
import { analyseRule, collectRefs } from '../model/rules.js';
import { parseIsoDate, type Value } from '../model/values.js';
import {
  atomsFromRecord,
  type ContinuousName,
  Empirical,
  isDiscrete,
  truncatedMass,
} from '../random/index.js';
import type { CategoryValues, Column, Dist, EmpiricalParams, Table } from '../spec/schema.js';
import type { Factor } from './infer.js';

export interface DiscreteState {
  label: string;
  /** Discrete: the value; numeric bins: null (drawn within [lo, hi)). NA: null. */
  value: Value;
  lo: number;
  hi: number;
  na: boolean;
}

export interface SkeletonVar {
  column: number;
  name: string;
  numeric: boolean;
  integer: boolean;
  states: DiscreteState[];
}

export interface Skeleton {
  vars: SkeletonVar[];
  /** column index -> variable id */
  varOf: Map<number, number>;
  card: number[];
  /** One CPT per variable: P(var | parents). */
  cpts: Factor[];
}

export type SkeletonResult = { ok: true; skeleton: Skeleton } | { ok: false; reason: string };

const NUMERIC = new Set(['integer', 'number', 'datetime', 'date']);

/** Levels (as labels) a discrete column can take, from its spec; undefined for non-discrete columns. */
export function discreteLevels(col: Column): string[] | undefined {
  if (col.type === 'boolean' && (col.p !== undefined || !col.values)) {
    if (col.p !== undefined || col.conditional?.rows.every((r) => r.p !== undefined || r.missing === 1)) {
      return ['true', 'false'];
    }
  }
  const keys = (v: CategoryValues | undefined) =>
    v ? (Array.isArray(v) ? v.map(String) : Object.keys(v)) : [];
  if (col.values) return keys(col.values);
  if (col.conditional) {
    const rows = [...col.conditional.rows, ...(col.conditional.default ? [col.conditional.default] : [])];
    if (
      rows.every((r) => r.values || r.p !== undefined || r.missing === 1) &&
      rows.some((r) => r.values || r.p !== undefined)
    ) {
      if (rows.some((r) => r.p !== undefined)) return ['true', 'false'];
      const out: string[] = [];
      for (const r of rows) for (const k of keys(r.values)) if (!out.includes(k)) out.push(k);
      return out;
    }
  }
  return undefined;
}

/** Parse a level label to the value the sampler produces. */
export function levelValue(col: Column, key: string): Value {
  if (col.type === 'boolean') return key === 'true' || key === '1' || key === 'yes';
  if (col.type === 'integer' || col.type === 'number') return Number(key);
  if (col.type === 'datetime' || col.type === 'date') return parseIsoDate(key) ?? Number(key);
  return key;
}

/** Label of a value as the coverage plan and the conditional tables see it. */
export function valueLabel(v: Value): string | null {
  if (v === null || (typeof v === 'number' && Number.isNaN(v))) return null;
  return typeof v === 'string' ? v : String(v);
}

export interface RuleFilter {
  rule: string;
  allowed?: Set<string>;
  excluded: Set<string>;
}

/** Value restrictions that rules put on discrete columns (as compileTable derives them), per column. */
export function ruleFilters(table: Table): Map<string, RuleFilter[]> {
  const discrete = new Set<string>();
  for (const [n, c] of Object.entries(table.columns)) if (discreteLevels(c)) discrete.add(n);
  const out = new Map<string, RuleFilter[]>();
  for (const r of table.rules ?? []) {
    let expr: ReturnType<typeof parseExpression>;
    try {
      expr = parseExpression(r.check);
    } catch {
      continue; // compileTable reports it
    }
    for (const part of analyseRule(expr, { truncatable: new Set(), discrete }).parts) {
      if (part.kind !== 'set') continue;
      const f: RuleFilter = part.negated
        ? { rule: r.name, excluded: new Set(part.values) }
        : { rule: r.name, allowed: new Set(part.values), excluded: new Set() };
      out.set(part.column, [...(out.get(part.column) ?? []), f]);
    }
  }
  return out;
}

/** Which rule (if any) removes `label` from `column`. */
export function ruleExcluding(
  filters: Map<string, RuleFilter[]>,
  column: string,
  label: string,
): string | undefined {
  for (const f of filters.get(column) ?? []) {
    if (f.excluded.has(label) || (f.allowed && !f.allowed.has(label))) return f.rule;
  }
  return undefined;
}

type Law =
  | { kind: 'param'; name: ContinuousName; p: number[] }
  | { kind: 'emp'; emp: Empirical }
  | { kind: 'const'; value: number };

export function lawOf(dist: Dist): Law | string {
  const name = Object.keys(dist)[0];
  const params = (dist as Record<string, Record<string, unknown>>)[name];
  if (name === 'empirical') {
    const e = params as EmpiricalParams;
    if (e.shift !== undefined) return `its empirical table is shifted by "${String(e.shift)}"`;
    return { kind: 'emp', emp: new Empirical(e.knots, atomsFromRecord(e.atoms)) };
  }
  const vals = Object.values(params);
  const bad = vals.find((v) => typeof v !== 'number');
  if (bad !== undefined) return `its ${name} parameter "${String(bad)}" is an expression`;
  if (name === 'constant') return { kind: 'const', value: vals[0] as number };
  return { kind: 'param', name: name as ContinuousName, p: vals as number[] };
}

/** P(lo ≤ X ≤ hi) for a law (closed interval). */
function closedMass(law: Law, lo: number, hi: number): number {
  if (!(lo <= hi)) return 0;
  if (law.kind === 'emp') return law.emp.mass(lo, hi);
  if (law.kind === 'const') return law.value >= lo && law.value <= hi ? 1 : 0;
  const m = truncatedMass(law.name, law.p, lo, hi);
  return Number.isFinite(m) ? m : 0;
}

/**
 * Mass of the output value falling in [a, b) for a column of this type (integers: the draw is
 * rounded, so value k comes from [k − 0.5, k + 0.5), as the sampler does), inside [L, H].
 */
export function binMass(law: Law, integer: boolean, a: number, b: number, L: number, H: number): number {
  if (integer) {
    const kLo = Math.max(Math.ceil(a), Math.ceil(L));
    const kHi = Math.min(Math.ceil(b) - 1, Math.floor(H));
    if (kLo > kHi) return 0;
    if (law.kind === 'param' && isDiscrete(law.name)) return closedMass(law, kLo, kHi);
    if (law.kind === 'const') return law.value >= kLo - 0.5 && law.value < kHi + 0.5 ? 1 : 0;
    return closedMass(law, kLo - 0.5, nextDown(kHi + 0.5));
  }
  return closedMass(law, Math.max(a, L), Math.min(nextDown(b), H));
}

export type { Law };

export interface SkeletonOptions {
  /** Extra cut points per numeric column (axis bins, tail thresholds, expr constants). */
  edges?: Map<string, number[]>;
  /** Constant lower/upper bounds per column from rules (intersected with min/max). */
}

/** Ancestors of the given columns (including them), by the model's parent lists. */
export function ancestors(model: TableModel, cols: readonly number[]): number[] {
  const seen = new Set<number>();
  const stack = [...cols];
  while (stack.length) {
    const c = stack.pop()!;
    if (seen.has(c)) continue;
    seen.add(c);
    for (const p of model.columns[c].parents) stack.push(p);
  }
  return [...seen].sort((a, b) => a - b);
}

/** Constant bounds on a column: spec min/max ∩ rule bounds that read no other column. */
export function staticBounds(model: TableModel, c: number): { lo: number; hi: number; dynamic?: string } {
  let lo = model.specLo[c];
  let hi = model.specHi[c];
  for (const b of model.bounds[c]) {
    const cols = model.rules[b.rule].columns;
    if (cols.length > 1 || (cols.length === 1 && cols[0] !== model.columns[c].name)) {
      return { lo, hi, dynamic: model.rules[b.rule].name };
    }
    const v = b.fn([]);
    if (b.side === 'lower') lo = Math.max(lo, v);
    else hi = Math.min(hi, v);
  }
  return { lo, hi };
}

function weightsOf(values: CategoryValues): Map<string, number> | string {
  const out = new Map<string, number>();
  if (Array.isArray(values)) {
    for (const v of values) out.set(String(v), 1);
    return out;
  }
  for (const [k, w] of Object.entries(values)) {
    if (typeof w !== 'number') return `the weight of "${k}" is an expression`;
    out.set(k, w);
  }
  return out;
}

/**
 * Build the skeleton over `targets` and their ancestors. Columns fixed by `do:` become one-state
 * variables.
 */
export function buildSkeleton(
  model: TableModel,
  spec: Table,
  targets: readonly number[],
  opts: SkeletonOptions = {},
): SkeletonResult {
  const table = spec;
  const cols = ancestors(model, targets);
  const filters = ruleFilters(table);
  const vars: SkeletonVar[] = [];
  const varOf = new Map<number, number>();
  const names = model.columns.map((c) => c.name);

  // Breaks each column's children read it with.
  const childBreaks = new Map<string, number[]>();
  for (const c of cols) {
    const col = table.columns[names[c]];
    for (const p of col.conditional?.parents ?? []) {
      if (p.breaks) childBreaks.set(p.column, [...(childBreaks.get(p.column) ?? []), ...p.breaks]);
    }
  }

  // Variables.
  for (const c of cols) {
    const name = names[c];
    const col = table.columns[name];
    const integer = col.type === 'integer';
    if (name in model.interventions) {
      const v = model.interventions[name];
      vars.push({
        column: c,
        name,
        numeric: false,
        integer,
        states: [{ label: valueLabel(v) ?? 'NA', value: v, lo: 0, hi: 0, na: v === null }],
      });
      varOf.set(c, vars.length - 1);
      continue;
    }
    if (col.expr !== undefined) return { ok: false, reason: `"${name}" is derived by an expression` };
    if (col.type === 'id' || col.faker)
      return { ok: false, reason: `"${name}" is not a modelled column (${col.type})` };
    const canMiss =
      (col.missing !== undefined && col.missing !== 0) ||
      Boolean(
        col.conditional?.rows.some((r) => (r.missing ?? 0) > 0) ||
          (col.conditional?.default?.missing ?? 0) > 0,
      );
    if (typeof col.missing === 'string')
      return { ok: false, reason: `"${name}"'s missing rate is an expression` };
    const levels = discreteLevels(col);
    const na: DiscreteState = { label: 'NA', value: null, lo: 0, hi: 0, na: true };
    if (levels) {
      const states = levels.map((l) => ({ label: l, value: levelValue(col, l), lo: 0, hi: 0, na: false }));
      vars.push({ column: c, name, numeric: false, integer, states: canMiss ? [...states, na] : states });
    } else if (NUMERIC.has(col.type) && (col.dist || col.conditional)) {
      const sb = staticBounds(model, c);
      if (sb.dynamic)
        return {
          ok: false,
          reason: `"${name}" is bounded by rule "${sb.dynamic}", which reads other columns`,
        };
      const edges = [...new Set([...(childBreaks.get(name) ?? []), ...(opts.edges?.get(name) ?? [])])]
        .filter((e) => Number.isFinite(e))
        .sort((a, b) => a - b);
      const cuts = [Number.NEGATIVE_INFINITY, ...edges, Number.POSITIVE_INFINITY];
      const states: DiscreteState[] = [];
      for (let k = 0; k + 1 < cuts.length; k++) {
        states.push({
          label: `[${cuts[k]},${cuts[k + 1]})`,
          value: null,
          lo: cuts[k],
          hi: cuts[k + 1],
          na: false,
        });
      }
      vars.push({ column: c, name, numeric: true, integer, states: canMiss ? [...states, na] : states });
    } else {
      return { ok: false, reason: `"${name}" (${col.type}) has no discrete or distributional mechanism` };
    }
    varOf.set(c, vars.length - 1);
  }
  const card = vars.map((v) => v.states.length);

  // CPTs.
  const cpts: Factor[] = [];
  for (let vi = 0; vi < vars.length; vi++) {
    const v = vars[vi];
    const col = table.columns[v.name];
    if (v.name in model.interventions) {
      cpts.push({ vars: [vi], table: Float64Array.of(1) });
      continue;
    }
    const colMiss = typeof col.missing === 'number' ? col.missing : 0;
    const sb = staticBounds(model, v.column);
    const filter = filters.get(v.name) ?? [];
    const keep = (label: string) =>
      filter.every((f) => !f.excluded.has(label) && (!f.allowed || f.allowed.has(label)));
    /** Distribution over v's states for one mechanism (values/p/dist), or a reason. */
    const dist = (m: {
      values?: CategoryValues;
      dist?: Dist;
      p?: number | string;
      missing?: number;
    }): Float64Array | string => {
      const out = new Float64Array(v.states.length);
      const rowMiss = m.missing ?? 0;
      const naIdx = v.states.findIndex((s) => s.na);
      const pMiss = colMiss + (1 - colMiss) * rowMiss;
      const present = 1 - pMiss;
      if (rowMiss >= 1 && !m.values && !m.dist && m.p === undefined) {
        if (naIdx >= 0) out[naIdx] = 1;
        return out;
      }
      if (m.values) {
        const w = weightsOf(m.values);
        if (typeof w === 'string') return `"${v.name}": ${w}`;
        let total = 0;
        for (const [k, x] of w) if (keep(k)) total += Math.max(0, x);
        v.states.forEach((s, j) => {
          if (s.na) return;
          const x = w.get(s.label);
          if (x !== undefined && keep(s.label) && total > 0) out[j] = (present * Math.max(0, x)) / total;
        });
      } else if (m.p !== undefined) {
        if (typeof m.p !== 'number') return `"${v.name}"'s p is an expression`;
        const t = keep('true');
        const f = keep('false');
        const pt = t && f ? m.p : t ? 1 : 0;
        v.states.forEach((s, j) => {
          if (s.label === 'true') out[j] = present * pt;
          else if (s.label === 'false') out[j] = present * (1 - pt);
        });
      } else if (m.dist) {
        const law = lawOf(m.dist);
        if (typeof law === 'string') return `"${v.name}"'s dist: ${law}`;
        const norm = binMass(law, v.integer, sb.lo, Number.POSITIVE_INFINITY, sb.lo, sb.hi);
        v.states.forEach((s, j) => {
          if (s.na) return;
          out[j] = norm > 0 ? (present * binMass(law, v.integer, s.lo, s.hi, sb.lo, sb.hi)) / norm : 0;
        });
      } else return `"${v.name}" has a state with no values, dist or p`;
      if (naIdx >= 0) out[naIdx] = pMiss;
      return out;
    };
    if (!col.conditional) {
      if (
        v.column !== undefined &&
        model.columns[v.column].parents.length &&
        !col.values &&
        col.p === undefined &&
        !col.dist
      ) {
        return { ok: false, reason: `"${v.name}" has no table-driven mechanism` };
      }
      const d = dist({ values: col.values, dist: col.dist, p: col.p });
      if (typeof d === 'string') return { ok: false, reason: d };
      cpts.push({ vars: [vi], table: d });
      continue;
    }
    const cond = col.conditional;
    const parentVars: number[] = [];
    for (const p of cond.parents) {
      const pc = model.columns.findIndex((x) => x.name === p.column);
      const pv = varOf.get(pc);
      if (pv === undefined)
        return { ok: false, reason: `"${v.name}" reads "${p.column}", which is not in the skeleton` };
      if (vars[pv].numeric && !p.breaks) {
        return { ok: false, reason: `"${v.name}" reads numeric "${p.column}" by its raw value (no breaks)` };
      }
      parentVars.push(pv);
    }
    // Other parents (expression references) make the table non-discrete.
    for (const pc of model.columns[v.column].parents) {
      if (!parentVars.includes(varOf.get(pc)!) && !(col.given ?? []).includes(names[pc])) {
        return { ok: false, reason: `"${v.name}"'s mechanism reads "${names[pc]}" through an expression` };
      }
    }
    const rowOf = conditionalResolver(cond.rows);
    const labelOf = (pv: number, s: DiscreteState, breaks: number[] | undefined): string => {
      if (s.na) return 'NA';
      if (!breaks) return s.label;
      const x = vars[pv].numeric ? s.lo : typeof s.value === 'number' ? s.value : Number(s.value);
      let k = 0;
      while (k < breaks.length && breaks[k] <= x) k++;
      return String(k);
    };
    // Factor over (parents..., v) sorted by variable id.
    const fvars = [...new Set([...parentVars, vi])].sort((a, b) => a - b);
    let size = 1;
    for (const x of fvars) size *= card[x];
    const cpt = new Float64Array(size);
    const assign = new Int32Array(fvars.length);
    const cache = new Map<string, Float64Array>();
    const vPos = fvars.indexOf(vi);
    const st: number[] = new Array(fvars.length);
    {
      let m = 1;
      for (let k = fvars.length - 1; k >= 0; k--) {
        st[k] = m;
        m *= card[fvars[k]];
      }
    }
    // Iterate over parent assignments (all vars except v).
    const others = fvars.map((_, k) => k).filter((k) => k !== vPos);
    const total = others.reduce((m, k) => m * card[fvars[k]], 1);
    for (let t = 0; t < total; t++) {
      let rem = t;
      for (let q = others.length - 1; q >= 0; q--) {
        const k = others[q];
        assign[k] = rem % card[fvars[k]];
        rem = Math.floor(rem / card[fvars[k]]);
      }
      const labels = cond.parents.map((p, pi) => {
        const pv = parentVars[pi];
        return labelOf(pv, vars[pv].states[assign[fvars.indexOf(pv)]], p.breaks);
      });
      const key = stateKey(labels);
      let d = cache.get(key);
      if (!d) {
        const row = rowOf(labels) ?? cond.default;
        if (!row) d = new Float64Array(card[vi]);
        else {
          const r = dist(row);
          if (typeof r === 'string') return { ok: false, reason: r };
          d = r;
        }
        cache.set(key, d);
      }
      let base = 0;
      for (const k of others) base += assign[k] * st[k];
      for (let j = 0; j < card[vi]; j++) cpt[base + j * st[vPos]] = d[j];
    }
    cpts.push({ vars: fvars, table: cpt });
  }
  return { ok: true, skeleton: { vars, varOf, card, cpts } };
}

/** Constants an expression compares columns against: cut points that make it constant on each bin. */
export function comparisonEdges(source: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const add = (col: string, c: number) => out.set(col, [...(out.get(col) ?? []), c, nextUpSafe(c)]);
  const walk = (e: ReturnType<typeof parseExpression>): void => {
    if (e.kind === 'binary' && ['<', '<=', '>', '>=', '==', '!='].includes(e.op)) {
      if (e.left.kind === 'ident' && e.right.kind === 'num') add(e.left.name, e.right.value);
      if (e.right.kind === 'ident' && e.left.kind === 'num') add(e.right.name, e.left.value);
    }
    if (e.kind === 'binary') {
      walk(e.left);
      walk(e.right);
    } else if (e.kind === 'unary') walk(e.arg);
    else if (e.kind === 'cond') {
      walk(e.test);
      walk(e.then);
      walk(e.else);
    } else if (e.kind === 'in') {
      walk(e.arg);
      for (const x of e.list) walk(x);
    } else if (e.kind === 'call') for (const a of e.args) walk(a);
  };
  walk(parseExpression(source));
  return out;
}

function nextUpSafe(x: number): number {
  return -nextDown(-x);
}

export { collectRefs };
