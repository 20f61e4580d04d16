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
import { StrataError } from '../errors.js';
import { compileExpression, parseExpression } from '../expr/index.js';
import { nextDown, type TableModel } from '../model/compile.js';
import { MISSING_STATE, stateResolver } from '../model/conditional-rows.js';
import { toNumber } from '../model/params.js';
import { analyseRule, collectRefs } from '../model/rules.js';
import { parseIsoDate, type Value } from '../model/values.js';
import { nameMap } from '../names.js';
import { type FixedLaw, lawOfDist } from '../random/index.js';
import type { CategoryValues, Column, Dist, Table } from '../spec/schema.js';
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
  /** Numeric variables: the column's law as a mixture over its parents' states (see `MixtureForm`). */
  mix?: MixtureForm;
}

/** One law of a numeric column's mixture: `present` of its mass is the law truncated to the bounds. */
export interface MixtureLaw {
  law?: Law;
  present: number;
  /** The law's mass inside the column's bounds (the truncation normaliser). */
  norm: number;
}

/**
 * A numeric column's law in piecewise form: parent assignment t (mixed radix over `parents`, ascending
 * variable ids, last fastest) uses `laws[index[t]]`. With P(parents) this gives the column's exact
 * CDF at any x, without re-cutting and re-eliminating the skeleton for each x.
 */
export interface MixtureForm {
  parents: number[];
  index: Int32Array;
  laws: MixtureLaw[];
  /** The column's constant bounds (spec min/max ∩ rule bounds). */
  lo: number;
  hi: number;
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

/** A column's law with every parameter fixed (from the law registry). */
type Law = FixedLaw;

/**
 * Laws by the spec's dist object: a fitted table's rows each hold an empirical quantile table, and
 * building one (checks, atom CDFs) cost ~1 ms; every skeleton of the same spec reads the same rows.
 */
const lawCache = new WeakMap<Dist, Law | string>();

function lawOf(dist: Dist): Law | string {
  let law = lawCache.get(dist);
  if (law === undefined) {
    law = makeLaw(dist);
    lawCache.set(dist, law);
  }
  return law;
}

/** The fixed law of a dist with literal parameters (numbers, ISO dates; read by name), or why it has none. */
function makeLaw(dist: Dist): Law | string {
  const found = lawOfDist(dist);
  if (!found) return 'its dist names no known distribution';
  const { law, params } = found;
  const values: Record<string, number> = nameMap();
  for (const key of Object.keys(law.params)) {
    const v = params[key];
    if (v === undefined) continue;
    const x = typeof v === 'string' ? (parseIsoDate(v) ?? v) : v;
    if (typeof x !== 'number') return `its ${law.name} parameter ${key} ("${String(v)}") is an expression`;
    values[key] = x;
  }
  return law.fixed(params, values);
}

/** P(lo ≤ X ≤ hi) for a law (closed interval). */
function closedMass(law: Law, lo: number, hi: number): number {
  if (!(lo <= hi)) return 0;
  const m = law.mass(lo, hi);
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
    if (law.discrete) return closedMass(law, kLo, kHi);
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
function staticBounds(model: TableModel, c: number): { lo: number; hi: number; dynamic?: string } {
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
      if (p.breaks && p.column !== undefined)
        childBreaks.set(p.column, [...(childBreaks.get(p.column) ?? []), ...p.breaks]);
    }
  }
  // Integer parents that a child reads through a formula are cut at every value, so that each of
  // their states is one number the formula can be evaluated at.
  // A numeric parent that the formulas only compare with constants (`x < 13.5 ? 1 : 0`) is cut at
  // those constants instead: the formulas are constant on each of its bins.
  const pointParents = new Set<number>();
  const comparedOnly = new Set<string>(); // `${child}:${parent}`
  const formulaEdges = new Map<string, number[]>();
  for (const c of cols) {
    const col = table.columns[names[c]];
    if (col.conditional || !hasFormula(col)) continue;
    const sources = formulaSources(col);
    for (const p of model.columns[c].parents) {
      const pcol = table.columns[names[p]];
      if (NUMERIC.has(pcol.type) && sources.every((src) => onlyCompared(src, names[p]))) {
        comparedOnly.add(`${c}:${p}`);
        for (const src of sources) {
          const e = comparisonEdges(src).get(names[p]) ?? [];
          formulaEdges.set(names[p], [...(formulaEdges.get(names[p]) ?? []), ...e]);
        }
      } else pointParents.add(p);
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
      const points: number[] = [];
      if (pointParents.has(c)) {
        if (!integer || !(sb.hi - sb.lo <= MAX_POINT_STATES))
          return {
            ok: false,
            reason: `a formula reads "${name}", which is not an integer column with at most ${MAX_POINT_STATES} values (give it min and max)`,
          };
        for (let k = Math.ceil(sb.lo); k <= Math.floor(sb.hi) + 1; k++) points.push(k);
      }
      const edges = [
        ...new Set([
          ...(childBreaks.get(name) ?? []),
          ...(opts.edges?.get(name) ?? []),
          ...(formulaEdges.get(name) ?? []),
          ...points,
        ]),
      ]
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
  // A variable's CPT depends only on its own states and its parents' (same model): reuse it across
  // skeletons (a quantile's, a tail's, a cell's), keyed by those states.
  let cptStore = cptCache.get(model);
  if (!cptStore) {
    cptStore = new Map();
    cptCache.set(model, cptStore);
  }
  const sig = (x: SkeletonVar) => `${x.column}:${x.states.map((st) => st.label).join(',')}`;
  const keys = vars.map((x) =>
    [
      sig(x),
      ...model.columns[x.column].parents.map((p) => (varOf.has(p) ? sig(vars[varOf.get(p)!]) : '-')),
    ].join('|'),
  );
  for (let vi = 0; vi < vars.length; vi++) {
    const v = vars[vi];
    const hit = cptStore.get(keys[vi]);
    if (hit) {
      cpts.push({ vars: hit.columns.map((c) => varOf.get(c)!), table: hit.table });
      if (hit.mix) v.mix = { ...hit.mix.form, parents: hit.mix.parentColumns.map((c) => varOf.get(c)!) };
      continue;
    }
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
    // Numeric columns: the law behind each distinct parent configuration (the mixture form).
    const laws: MixtureLaw[] = [];
    /** Distribution over v's states for one mechanism (values/p/dist), or a reason. */
    const dist = (m: Mechanism): Float64Array | string => {
      const out = new Float64Array(v.states.length);
      const rowMiss = m.missing ?? 0;
      const naIdx = v.states.findIndex((s) => s.na);
      const pMiss = colMiss + (1 - colMiss) * rowMiss;
      const present = 1 - pMiss;
      if (rowMiss >= 1 && !m.values && !m.dist && m.p === undefined) {
        if (naIdx >= 0) out[naIdx] = 1;
        laws.push({ present: 0, norm: 0 });
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
        laws.push({ law, present: norm > 0 ? present : 0, norm });
        v.states.forEach((s, j) => {
          if (s.na) return;
          out[j] = norm > 0 ? (present * binMass(law, v.integer, s.lo, s.hi, sb.lo, sb.hi)) / norm : 0;
        });
      } else return `"${v.name}" has a state with no values, dist or p`;
      if (naIdx >= 0) out[naIdx] = pMiss;
      return out;
    };
    const mixOf = (parents: number[], index: Int32Array): MixtureForm | undefined =>
      v.numeric ? { parents, index, laws, lo: sb.lo, hi: sb.hi } : undefined;
    if (!col.conditional) {
      const parentCols = model.columns[v.column].parents;
      if (parentCols.length && !col.values && col.p === undefined && !col.dist) {
        return { ok: false, reason: `"${v.name}" has no table-driven mechanism` };
      }
      const plain = { values: col.values, dist: col.dist, p: col.p };
      if (!parentCols.length || !hasFormula(col)) {
        const d = dist(plain);
        if (typeof d === 'string') return { ok: false, reason: d };
        if (laws.length) v.mix = mixOf([], Int32Array.of(0));
        cpts.push({ vars: [vi], table: d });
        continue;
      }
      // Formulas of parents: evaluated at each parent configuration, which gives a constant mechanism.
      const f = formulaCpt(model, vars, varOf, vi, plain, dist, (p) => comparedOnly.has(`${v.column}:${p}`));
      if (typeof f === 'string') return { ok: false, reason: f };
      v.mix = mixOf(
        f.cpt.vars.filter((x) => x !== vi),
        f.lawIndex,
      );
      cpts.push(f.cpt);
      continue;
    }
    const cond = col.conditional;
    const parentVars: number[] = [];
    for (const p of cond.parents) {
      if (p.column === undefined)
        return { ok: false, reason: `"${v.name}" is conditional on an expression (${p.expr})` };
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
    const labelOf = (pv: number, s: DiscreteState, breaks: number[] | undefined): string => {
      if (s.na) return MISSING_STATE;
      if (!breaks) return s.label;
      const x = vars[pv].numeric ? s.lo : typeof s.value === 'number' ? s.value : Number(s.value);
      let k = 0;
      while (k < breaks.length && breaks[k] <= x) k++;
      return String(k);
    };
    // Factor over (parents..., v) sorted by variable id.
    const fvars = [...new Set([...parentVars, vi])].sort((a, b) => a - b);
    // Each parent's states as the table's labels, and the row of a configuration of them.
    const rowOf = stateResolver(
      cond.rows,
      cond.parents.map((p, pi) =>
        vars[parentVars[pi]].states.map((s) => labelOf(parentVars[pi], s, p.breaks)),
      ),
    );
    const parentPos = parentVars.map((pv) => fvars.indexOf(pv));
    const parentStates = new Int32Array(parentVars.length);
    // One law per conditional row, not per parent configuration: the mechanism depends only on the
    // row. (Per configuration, age on the fitted Adult model held 12,096 copies of 17 laws: the
    // skeleton cost ~0.4 s to build and each CDF evaluation of a quantile summed over all of them.)
    const byRow = new Map<object | undefined, Hit>();
    const pickRow = (assign: Int32Array): Hit | string => {
      for (let pi = 0; pi < parentPos.length; pi++) parentStates[pi] = assign[parentPos[pi]];
      const row = rowOf(parentStates) ?? cond.default;
      let hit = byRow.get(row);
      if (!hit) {
        const at = laws.length;
        if (!row) {
          hit = { d: new Float64Array(card[vi]), law: at };
          laws.push({ present: 0, norm: 0 });
        } else {
          const r = dist(row);
          if (typeof r === 'string') return r;
          if (laws.length === at) laws.push({ present: 0, norm: 0 }); // values / p rows
          hit = { d: r, law: at };
        }
        byRow.set(row, hit);
      }
      return hit;
    };
    const filled = fillConditional(fvars, card, vi, pickRow);
    if (typeof filled === 'string') return { ok: false, reason: filled };
    const { cpt, lawIndex } = filled;
    v.mix = mixOf(
      fvars.filter((x) => x !== vi),
      lawIndex,
    );
    cpts.push({ vars: fvars, table: cpt });
  }
  cpts.forEach((f, vi) => {
    const mix = vars[vi].mix;
    cptStore.set(keys[vi], {
      columns: f.vars.map((x) => vars[x].column),
      table: f.table,
      mix: mix && { form: mix, parentColumns: mix.parents.map((x) => vars[x].column) },
    });
  });
  return { ok: true, skeleton: { vars, varOf, card, cpts } };
}

/** A conditional row's distribution over a variable's states, and its law's number. */
type Hit = { d: Float64Array; law: number };

/**
 * A conditional table over `fvars` (ascending, last fastest) for variable `vi`: each parent
 * configuration's distribution from `pick` (the parents' states are at their positions in
 * `assign`), and which law it uses. A small function of its own so that V8 optimises the loop: inside
 * `buildSkeleton` it ran at ~4 µs per configuration (48 ms for the fitted Adult age table).
 */
function fillConditional(
  fvars: readonly number[],
  card: readonly number[],
  vi: number,
  pick: (assign: Int32Array) => Hit | string,
): { cpt: Float64Array; lawIndex: Int32Array } | string {
  const n = fvars.length;
  const vPos = fvars.indexOf(vi);
  const st = new Int32Array(n);
  let size = 1;
  for (let k = n - 1; k >= 0; k--) {
    st[k] = size;
    size *= card[fvars[k]];
  }
  const cpt = new Float64Array(size);
  const cards = Int32Array.from(fvars, (x) => card[x]);
  const states = card[vi];
  const vStep = st[vPos];
  const lawIndex = new Int32Array(size / states);
  const assign = new Int32Array(n);
  let base = 0;
  for (let t = 0; t < lawIndex.length; t++) {
    const hit = pick(assign);
    if (typeof hit === 'string') return hit;
    lawIndex[t] = hit.law;
    const d = hit.d;
    for (let j = 0; j < states; j++) cpt[base + j * vStep] = d[j];
    // Next parent configuration: an odometer over every position but v's, last fastest.
    for (let k = n - 1; k >= 0; k--) {
      if (k === vPos) continue;
      if (++assign[k] < cards[k]) {
        base += st[k];
        break;
      }
      assign[k] = 0;
      base -= (cards[k] - 1) * st[k];
    }
  }
  return { cpt, lawIndex };
}

/** CPTs by model and by the states of a variable and its parents (see buildSkeleton). */
const cptCache = new WeakMap<
  TableModel,
  Map<
    string,
    { columns: number[]; table: Float64Array; mix?: { form: MixtureForm; parentColumns: number[] } }
  >
>();

/** A column's own mechanism (values / p / dist, parameters numbers or formulas). */
type Mechanism = { values?: CategoryValues; dist?: Dist; p?: number | string; missing?: number };

/** Integer parents read through a formula are cut at every value; more values than this are refused. */
const MAX_POINT_STATES = 2000;
/** Parent configurations a formula column may be evaluated at. */
const MAX_FORMULA_CONFIGS = 100_000;

/** Whether a column's values / p / dist parameters hold a formula (not a number or an ISO date). */
function hasFormula(col: Column): boolean {
  const isFormula = (x: unknown) => typeof x === 'string' && parseIsoDate(x) === undefined;
  if (isFormula(col.p)) return true;
  if (col.values && !Array.isArray(col.values) && Object.values(col.values).some(isFormula)) return true;
  if (!col.dist) return false;
  const params = Object.values(col.dist)[0] as Record<string, unknown> | undefined;
  return Boolean(params && Object.entries(params).some(([k, x]) => k !== 'shift' && isFormula(x)));
}

/**
 * The CPT of a column whose parameters are formulas of its parents: each parent configuration
 * gives the parents one value each (categories, booleans, integers cut at every value), the
 * formulas are evaluated there, and the resulting constant mechanism gives the row of the CPT.
 */
function formulaCpt(
  model: TableModel,
  vars: readonly SkeletonVar[],
  varOf: ReadonlyMap<number, number>,
  vi: number,
  m: Mechanism,
  dist: (m: Mechanism) => Float64Array | string,
  compared: (parentColumn: number) => boolean,
): { cpt: Factor; lawIndex: Int32Array } | string {
  const v = vars[vi];
  /** The value a formula reads for a parent state: its one value, or (compared-only parents) any point of its bin. */
  const valueAt = (x: SkeletonVar, s: DiscreteState): Value | undefined =>
    pointValue(x, s) ?? (compared(x.column) ? binPoint(x, s) : undefined);
  const parentVars = model.columns[v.column].parents.map((p) => varOf.get(p)!);
  // States outside a parent's bounds have probability 0: no formula is evaluated there.
  const outside = (x: SkeletonVar, s: DiscreteState) => {
    if (!x.numeric || s.na) return false;
    const b = staticBounds(model, x.column);
    return s.hi <= Math.ceil(b.lo) || s.lo > Math.floor(b.hi);
  };
  for (const pv of parentVars) {
    const pvar = vars[pv];
    if (pvar.states.some((s) => !s.na && !outside(pvar, s) && valueAt(pvar, s) === undefined))
      return `"${v.name}" reads "${pvar.name}" through a formula, and "${pvar.name}" is not a category, boolean or integer (nor only compared with constants)`;
  }
  const columns = new Map(model.columns.map((c, i) => [c.name, i] as [string, number]));
  const compiled = new Map<string, (row: Value[]) => number>();
  const formula = (
    x: number | string | undefined,
  ): ((row: Value[]) => number) | number | undefined | string => {
    if (typeof x !== 'string') return x;
    const date = parseIsoDate(x);
    if (date !== undefined) return date;
    let f = compiled.get(x);
    if (!f) {
      try {
        const e = compileExpression(x, { columns });
        f = (row) => toNumber(e.evaluate(row));
      } catch (e) {
        if (!(e instanceof StrataError)) throw e;
        return `"${v.name}"'s formula "${x}" cannot be read here: ${e.message}`;
      }
      compiled.set(x, f);
    }
    return f;
  };
  // Resolve every formula once (compile), then evaluate per configuration.
  const at = (row: Value[]): Mechanism | string => {
    const num = (x: number | string | undefined) => {
      const f = formula(x);
      return typeof f === 'function' ? f(row) : f;
    };
    const out: Mechanism = { missing: m.missing };
    if (m.values && !Array.isArray(m.values)) {
      const w: Record<string, number> = nameMap();
      for (const [k, x] of Object.entries(m.values)) {
        const n = num(x);
        if (typeof n === 'string') return n;
        w[k] = n as number;
      }
      out.values = w;
    } else out.values = m.values;
    if (m.p !== undefined) {
      const n = num(m.p);
      if (typeof n === 'string') return n;
      out.p = n;
    }
    if (m.dist) {
      const name = Object.keys(m.dist)[0];
      const params = (m.dist as Record<string, Record<string, number | string>>)[name];
      const r: Record<string, number> = nameMap();
      for (const [k, x] of Object.entries(params)) {
        const n = num(x);
        if (typeof n === 'string') return n;
        if (!Number.isFinite(n))
          return `"${v.name}"'s ${name} ${k} is not a finite number for some parent values`;
        r[k] = n as number;
      }
      out.dist = { [name]: r } as Dist;
    }
    return out;
  };
  const fvars = [...new Set([...parentVars, vi])].sort((a, b) => a - b);
  const card = vars.map((x) => x.states.length);
  const others = fvars.filter((x) => x !== vi);
  const total = others.reduce((s, x) => s * card[x], 1);
  if (total > MAX_FORMULA_CONFIGS)
    return `"${v.name}"'s formulas would be evaluated at ${total} parent configurations (more than ${MAX_FORMULA_CONFIGS})`;
  const cpt = new Float64Array(total * card[vi]);
  const lawIndex = new Int32Array(total);
  const row: Value[] = new Array(model.columns.length).fill(null);
  const vPos = fvars.indexOf(vi);
  const st: number[] = new Array(fvars.length);
  for (let k = fvars.length - 1, s = 1; k >= 0; k--) {
    st[k] = s;
    s *= card[fvars[k]];
  }
  let lawsSeen = 0;
  for (let t = 0; t < total; t++) {
    let rem = t;
    let base = 0;
    let impossible = false;
    for (let q = others.length - 1; q >= 0; q--) {
      const x = others[q];
      const j = rem % card[x];
      rem = Math.floor(rem / card[x]);
      const s = vars[x].states[j];
      if (outside(vars[x], s)) impossible = true;
      row[vars[x].column] = s.na ? null : (valueAt(vars[x], s) ?? null);
      base += j * st[fvars.indexOf(x)];
    }
    lawIndex[t] = lawsSeen++;
    if (impossible) {
      dist({ missing: 1 }); // a placeholder law (the row of the CPT is never reached)
      continue;
    }
    const mech = at(row);
    if (typeof mech === 'string') return mech;
    const d = dist(mech);
    if (typeof d === 'string') return d;
    for (let j = 0; j < card[vi]; j++) cpt[base + j * st[vPos]] = d[j];
  }
  return { cpt: { vars: fvars, table: cpt }, lawIndex };
}

/** A point inside a numeric bin (the bin's lower edge when finite). */
function binPoint(v: SkeletonVar, s: DiscreteState): number {
  if (Number.isFinite(s.lo)) return v.integer ? Math.ceil(s.lo) : s.lo;
  if (Number.isFinite(s.hi)) return v.integer ? Math.ceil(s.hi) - 1 : nextDown(s.hi);
  return 0;
}

/** The formula strings of a column's values / p / dist parameters. */
function formulaSources(col: Column): string[] {
  const all: unknown[] = [col.p];
  if (col.values && !Array.isArray(col.values)) all.push(...Object.values(col.values));
  if (col.dist) all.push(...Object.values(Object.values(col.dist)[0] as Record<string, unknown>));
  return all.filter((x): x is string => typeof x === 'string' && parseIsoDate(x) === undefined);
}

/** Whether every use of column `name` in `source` is a comparison with a number literal. */
function onlyCompared(source: string, name: string): boolean {
  let ok = true;
  const cmp = new Set(['<', '<=', '>', '>=', '==', '!=']);
  const walk = (e: ReturnType<typeof parseExpression>): void => {
    if (!ok) return;
    if (e.kind === 'ident') {
      if (e.name === name) ok = false;
      return;
    }
    if (e.kind === 'binary' && cmp.has(e.op)) {
      const isCol = (x: typeof e.left) => x.kind === 'ident' && x.name === name;
      if ((isCol(e.left) && e.right.kind === 'num') || (isCol(e.right) && e.left.kind === 'num')) return;
    }
    for (const k of ['left', 'right', 'arg', 'test', 'then', 'else'] as const) {
      const x = (e as Record<string, unknown>)[k];
      if (x && typeof x === 'object') walk(x as ReturnType<typeof parseExpression>);
    }
    for (const k of ['args', 'list'] as const) {
      const xs = (e as Record<string, unknown>)[k];
      if (Array.isArray(xs)) for (const x of xs) walk(x as ReturnType<typeof parseExpression>);
    }
  };
  try {
    walk(parseExpression(source));
  } catch (e) {
    if (e instanceof StrataError) return false; // not an expression we can read: not exact
    throw e;
  }
  return ok;
}

/** The one value a state stands for (categories, booleans, integers cut at every value), if any. */
function pointValue(v: SkeletonVar, s: DiscreteState): Value | undefined {
  if (!v.numeric) return s.value;
  return v.integer && s.hi - s.lo === 1 && Number.isInteger(s.lo) ? s.lo : undefined;
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
