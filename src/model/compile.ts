/**
 * Compile one table of a spec into a sampling model: the causal DAG in a draw order, one mechanism
 * per column, truncation bounds and value restrictions derived from rules, and the residual rule
 * checks with the columns to resample when they fail.
 */
import { type CompiledExpr, compileExpression, type Expr, parseExpression, truthy } from '../expr/index.js';
import { nameMap } from '../names.js';
import { lawOfDist } from '../random/index.js';
import type { Column, Spec, Table } from '../spec/schema.js';
import { type Locator, type ModelContext, makeErrorFactory } from './context.js';
import { descendants, topoOrder } from './dag.js';
import {
  boundOf,
  compileMechanism,
  interventionMechanism,
  interventionProblem,
  interventionValue,
  isNumericType,
  type Sampler,
  type ValueFilter,
} from './mechanisms.js';
import { compileOther, type ValueWriter } from './other.js';
import { compileParam, toNumber } from './params.js';
import { analyseRule, type BoundPart, collectRefs } from './rules.js';
import type { Value } from './values.js';

export type OutputKind = 'integer' | 'number' | 'string' | 'boolean' | 'datetime';

export interface ColumnInfo {
  name: string;
  index: number;
  type: Column['type'];
  parents: number[];
  /** Output kind (Parquet schema) */
  kind: OutputKind;
  /** Output format for datetimes. */
  format?: string;
  /** Decimals kept by `number` columns (values are already rounded to them). */
  decimals?: number;
}

export interface DynamicBound {
  side: 'lower' | 'upper';
  strict: boolean;
  fn: (row: readonly Value[]) => number;
  rule: number;
}

export interface ResidualCheck {
  rule: number;
  check: (row: readonly Value[]) => boolean;
  /** Row indices to redraw when the check fails, in draw order. */
  resample: number[];
}

export interface RuleInfo {
  name: string;
  check: string;
  columns: string[];
  enforcement: ('bound' | 'set' | 'residual')[];
}

export interface TableModel {
  table: string;
  columns: ColumnInfo[];
  /** Draw order (column indices). */
  order: number[];
  samplers: Sampler[];
  specLo: Float64Array;
  specHi: Float64Array;
  bounds: DynamicBound[][];
  /** For a column with dynamic bounds: what to redraw (in order, ending with the column) when its bounds are infeasible. */
  boundRetry: number[][];
  residuals: ResidualCheck[];
  rules: RuleInfo[];
  /** Columns fixed by intervention. */
  interventions: Record<string, Value>;
  /** Context slots the table reads (row indices ≥ columns.length; see CompileOptions.context), ascending. */
  contextUsed: number[];
  /**
   * How each column is written, where that is not the value drawn: a category's pooled state
   * (`other:`, other.ts) becomes a fresh value. Applied by `writeRow` as a finished row is output.
   */
  writers: (ValueWriter | undefined)[];
}

/**
 * Solves `quantile(col, p)` for a column without a closed form (a fitted conditional table: a
 * mixture over parent states). The model layer cannot do it alone — it needs exact inference,
 * which lives in `coverage/` — so the caller passes a solver in (`coverage`'s `compileModel` does).
 * Returns undefined when the column cannot be solved.
 */
export type QuantileSolver = (spec: Spec, table: string, column: string, p: number) => number | undefined;

export interface CompileOptions {
  /** Interventions: column -> value (replaces the column's mechanism). */
  do?: Record<string, string | number | boolean>;
  locator?: Locator;
  /** quantile() of columns with conditional tables; without it such a call is an error. */
  quantile?: QuantileSolver;
  /**
   * Names of context slots (relational tables: `parent.x`, `prev.x`, `T.x`, `index`, aggregate
   * keys), placed in the row after the table's columns. They are fixed inputs set before a row
   * is drawn — never drawn, never output — so rules against them become truncation bounds.
   */
  context?: readonly string[];
}

function outputKind(col: Column): OutputKind {
  switch (col.type) {
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'datetime':
    case 'date':
      return 'datetime';
    case 'id':
      return col.id === 'uuid' || col.prefix ? 'string' : 'integer';
    default:
      return 'string';
  }
}

/** Scratch for nextUp: the double's bits as two 32-bit words (a typed array and a BigInt per call took 4 s of a fitted model's tail fit). */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LOW = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 0 : 1; // little-endian: low word first

function nextUp(x: number): number {
  if (x === Number.POSITIVE_INFINITY || Number.isNaN(x)) return x;
  if (x === 0) return Number.MIN_VALUE;
  F64[0] = x;
  // One unit in the last place away from zero for x > 0, towards zero for x < 0 (bits as a 64-bit integer).
  if (x > 0) {
    if (U32[LOW] === 0xffffffff) {
      U32[LOW] = 0;
      U32[1 - LOW]++;
    } else U32[LOW]++;
  } else if (U32[LOW] === 0) {
    U32[LOW] = 0xffffffff;
    U32[1 - LOW]--;
  } else U32[LOW]--;
  return F64[0];
}
function nextDown(x: number): number {
  return -nextUp(-x);
}

export function compileTable(spec: Spec, tableName: string, opts: CompileOptions = {}): TableModel {
  const table: Table | undefined = spec.tables[tableName];
  const errs = makeErrorFactory(opts.locator);
  if (!table) {
    throw errs.error(
      ['tables'],
      'model.unknown_table',
      `no table "${tableName}"`,
      `tables are: ${Object.keys(spec.tables).join(', ')}`,
    );
  }
  const names = Object.keys(table.columns);
  const n = names.length;
  const columnIndex = new Map(names.map((name, i) => [name, i]));
  const context = opts.context ?? [];
  context.forEach((name, j) => {
    if (!columnIndex.has(name)) columnIndex.set(name, n + j);
  });
  /** A column of the table (not a context slot). */
  const own = (i: number | undefined): i is number => i !== undefined && i < n;
  const tpath = (...p: (string | number)[]) => ['tables', tableName, ...p];

  const ctx: ModelContext = {
    tableName,
    columnIndex,
    ...errs,
    quantile: (column, p) => modelQuantile(column, p),
  };

  // Interventions.
  const interventions: Record<string, Value> = nameMap();
  for (const [k, v] of Object.entries(opts.do ?? {})) {
    const col = table.columns[k];
    if (!col) {
      throw errs.error(
        tpath('columns'),
        'model.unknown_column',
        `--do names unknown column "${k}"`,
        `columns are: ${names.join(', ')}`,
      );
    }
    const value = interventionValue(col, v);
    const bad = interventionProblem(col, v, value);
    if (bad)
      throw errs.error(tpath('columns', k), 'model.bad_do', `--do ${k}=${v}: ${bad.message}`, bad.hint);
    interventions[k] = value;
  }

  // Column facts for rule analysis.
  const truncatable = new Set<string>();
  const discrete = new Set<string>();
  for (const [n, c] of Object.entries(table.columns)) {
    if (n in interventions || c.expr !== undefined || c.type === 'id') continue;
    const condDist = c.conditional?.rows.every((r) => r.dist || r.missing === 1);
    if (isNumericType(c.type) && (c.dist || condDist)) truncatable.add(n);
    const condValues = c.conditional?.rows.every((r) => r.values || r.p !== undefined);
    if (c.values || c.p !== undefined || condValues) discrete.add(n);
  }

  // Parse rules.
  const rules = table.rules ?? [];
  const parsed: { expr: Expr; refs: string[] }[] = rules.map((r, i) => {
    try {
      const expr = parseExpression(r.check);
      const refs = collectRefs(expr);
      for (const ref of refs) {
        if (!columnIndex.has(ref)) {
          // Let the compiler produce the did-you-mean message.
          compileExpression(r.check, { columns: columnIndex, quantile: () => 0 });
        }
      }
      return { expr, refs };
    } catch (e) {
      throw errs.wrapExprError(e, tpath('rules', i, 'check'), r.check);
    }
  });

  // Mechanism parents (declared `given` plus identifiers used), needed before orienting bounds.
  const declaredParents: number[][] = names.map((n) => {
    const c = table.columns[n];
    const out = new Set<number>();
    (c.given ?? []).forEach((g, gi) => {
      const idx = columnIndex.get(g);
      if (idx !== undefined && !own(idx)) return; // a context slot: a fixed input, not a DAG edge
      if (idx === undefined) {
        throw errs.error(
          tpath('columns', n, 'given', gi),
          'model.unknown_column',
          `given names unknown column "${g}"`,
        );
      }
      out.add(idx);
    });
    return [...out];
  });

  // Compile mechanisms first without rule filters to learn expression references, then recompile
  // with filters once rules are analysed (cheap: compilation is linear in the spec).
  const specLo = new Float64Array(names.length).fill(Number.NEGATIVE_INFINITY);
  const specHi = new Float64Array(names.length).fill(Number.POSITIVE_INFINITY);
  names.forEach((n, i) => {
    const c = table.columns[n];
    const lo = boundOf(ctx, c.min, tpath('columns', n, 'min'));
    const hi = boundOf(ctx, c.max, tpath('columns', n, 'max'));
    if (lo !== undefined) specLo[i] = lo;
    if (hi !== undefined) specHi[i] = hi;
    if (lo !== undefined && hi !== undefined && lo > hi) {
      throw errs.error(
        tpath('columns', n, 'min'),
        'model.min_above_max',
        `min ${c.min} is above max ${c.max}`,
        'swap them',
      );
    }
  });

  const compileAll = (filters: Map<string, ValueFilter>) =>
    names.map((n, i) => {
      if (n in interventions) return interventionMechanism(interventions[n]);
      return compileMechanism(ctx, n, table.columns[n], tpath('columns', n), filters.get(n), {
        lo: specLo[i],
        hi: specHi[i],
      });
    });

  let mechanisms = compileAll(new Map());
  const parents: number[][] = names.map((n, i) => {
    if (n in interventions) return [];
    const set = new Set(declaredParents[i]);
    for (const r of mechanisms[i].refs) {
      const idx = columnIndex.get(r);
      if (own(idx) && idx !== i) set.add(idx);
      if (idx === i) {
        throw errs.error(
          tpath('columns', n),
          'model.self_reference',
          `column "${n}" refers to itself`,
          'use a parent column instead',
        );
      }
    }
    return [...set];
  });

  const dagOrder = topoOrder(names.length, parents);
  if ('cycle' in dagOrder) {
    const cyc = dagOrder.cycle.map((i) => names[i]);
    throw errs.error(
      tpath('columns', cyc[0], 'given'),
      'model.cycle',
      `causal cycle: ${cyc.join(' → ')}`,
      'a column cannot (indirectly) cause itself: remove one of these given edges',
    );
  }
  const basePos = new Int32Array(names.length);
  dagOrder.order.forEach((c, p) => {
    basePos[c] = p;
  });

  // Analyse rules; orient bounds so the bound side is drawn after everything it reads.
  const filters = new Map<string, ValueFilter>();
  const bounds: DynamicBound[][] = names.map(() => []);
  const extraParents: number[][] = names.map(() => []);
  const residualParts: { rule: number; expr: Expr; refs: string[] }[] = [];
  const ruleInfo: RuleInfo[] = rules.map((r, i) => ({
    name: r.name,
    check: r.check,
    columns: parsed[i].refs,
    enforcement: [],
  }));
  const withExtra = () => parents.map((p, i) => [...new Set([...p, ...extraParents[i]])]);

  rules.forEach((r, ri) => {
    const { expr, refs } = parsed[ri];
    if (refs.length === 0) {
      const v = compileExpression(expr, { columns: columnIndex, quantile: ctx.quantile }).evaluate([]);
      if (!truthy(v)) {
        throw errs.error(
          tpath('rules', ri, 'check'),
          'model.rule_never_holds',
          `rule "${r.name}" can never hold (it is always false)`,
          'fix the rule',
        );
      }
      return;
    }
    const { parts, boundOptions } = analyseRule(expr, { truncatable, discrete });
    for (const part of parts) {
      if (part.kind === 'set') {
        // plain-object: fixed keys (a filter record)
        const f = filters.get(part.column) ?? {};
        const vals = new Set(part.values);
        if (part.negated) f.excluded = new Set([...(f.excluded ?? []), ...vals]);
        else f.allowed = f.allowed ? new Set([...f.allowed].filter((v) => vals.has(v))) : vals;
        filters.set(part.column, f);
        ruleInfo[ri].enforcement.push('set');
      } else if (part.kind === 'residual') {
        residualParts.push({ rule: ri, expr: part.expr, refs: part.refs });
        ruleInfo[ri].enforcement.push('residual');
      }
    }
    for (const options of boundOptions) {
      const sorted = [...options].sort(
        (a, b) => basePos[columnIndex.get(b.column)!] - basePos[columnIndex.get(a.column)!],
      );
      let chosen: BoundPart | undefined;
      for (const cand of sorted) {
        const x = columnIndex.get(cand.column)!;
        const add = cand.otherRefs.map((r) => columnIndex.get(r)).filter(own);
        const trial = withExtra();
        trial[x] = [...new Set([...trial[x], ...add])];
        if ('order' in topoOrder(names.length, trial)) {
          extraParents[x].push(...add);
          chosen = cand;
          break;
        }
      }
      if (!chosen) {
        const c = options[0];
        const expr0: Expr = {
          kind: 'binary',
          op: c.side === 'upper' ? (c.strict ? '<' : '<=') : c.strict ? '>' : '>=',
          left: { kind: 'ident', name: c.column, start: 0, end: 0 },
          right: c.other,
          start: 0,
          end: 0,
        };
        residualParts.push({ rule: ri, expr: expr0, refs: [c.column, ...c.otherRefs] });
        ruleInfo[ri].enforcement.push('residual');
        continue;
      }
      const x = columnIndex.get(chosen.column)!;
      let fn: (row: readonly Value[]) => number;
      try {
        const compiled = compileExpression(chosen.other, { columns: columnIndex, quantile: ctx.quantile });
        fn = (row) => toNumber(compiled.evaluate(row as never));
      } catch (e) {
        throw errs.wrapExprError(e, tpath('rules', ri, 'check'), r.check);
      }
      bounds[x].push({ side: chosen.side, strict: chosen.strict, fn, rule: ri });
      ruleInfo[ri].enforcement.push('bound');
    }
  });

  if (filters.size) mechanisms = compileAll(filters);

  const finalOrder = topoOrder(names.length, withExtra());
  if (!('order' in finalOrder)) throw new Error('internal: rule orientation produced a cycle');
  const order = finalOrder.order;
  const pos = new Int32Array(names.length);
  order.forEach((c, p) => {
    pos[c] = p;
  });
  const children: number[][] = names.map(() => []);
  withExtra().forEach((ps, c) => {
    for (const p of ps) children[p].push(c);
  });
  const redrawable = (i: number) => !(names[i] in interventions) && table.columns[names[i]].type !== 'id';
  const byOrder = (a: number, b: number) => pos[a] - pos[b];

  // Columns to redraw when a column's dynamic bounds leave it no value: the bounds' inputs, the
  // column's own parents (`storetime` uniform on charttime + 1–30 min has no mass below
  // `parent.outtime` once charttime is past it: redrawing charttime meets the window by the joint
  // law conditioned on the rule; redrawing storetime alone never can) and everything downstream of
  // them that is drawn before the column, then the column.
  const boundRetry = names.map((_, x) => {
    if (!bounds[x].length) return [];
    const set = new Set<number>();
    const add = (i: number) => {
      if (i === x || !own(i)) return;
      set.add(i);
      for (const d of descendants(i, children)) if (pos[d] < pos[x]) set.add(d);
    };
    for (const b of bounds[x]) for (const r of ruleInfo[b.rule].columns) add(columnIndex.get(r)!);
    for (const p of parents[x]) add(p);
    return [...set].filter(redrawable).sort(byOrder).concat([x]);
  });

  const residuals: ResidualCheck[] = residualParts.map((rp) => {
    let compiled: CompiledExpr;
    try {
      compiled = compileExpression(rp.expr, { columns: columnIndex, quantile: ctx.quantile });
    } catch (e) {
      throw errs.wrapExprError(e, tpath('rules', rp.rule, 'check'), rules[rp.rule].check);
    }
    const refIdx = rp.refs.map((r) => columnIndex.get(r)!);
    const set = new Set<number>();
    for (const i of refIdx) {
      if (!own(i)) continue;
      set.add(i);
      for (const d of descendants(i, children)) set.add(d);
    }
    const resample = [...set].filter(redrawable).sort(byOrder);
    if (resample.length === 0) {
      throw errs.error(
        tpath('rules', rp.rule, 'check'),
        'model.rule_unenforceable',
        `rule "${rules[rp.rule].name}" only reads fixed columns (${rp.refs.join(', ')}), so it cannot be enforced by redrawing`,
        'check the --do values against this rule',
      );
    }
    return {
      rule: rp.rule,
      // SQL CHECK semantics: a rule over a missing value is not violated.
      check: (row) => {
        for (const i of refIdx) if (row[i] === null) return true;
        return truthy(compiled.evaluate(row as never));
      },
      resample,
    };
  });

  const samplers = mechanisms.map((m) => m.sample);
  const writers = names.map((n, i) => {
    const c = table.columns[n];
    if (!c.other) return undefined;
    return compileOther(ctx, c, c.other, tpath('columns', n, 'other'), (row, g) =>
      samplers[i](row as Value[], g, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0),
    );
  });

  const columns: ColumnInfo[] = names.map((n, i) => {
    const c = table.columns[n];
    return {
      name: n,
      index: i,
      type: c.type,
      parents: parents[i],
      kind: outputKind(c),
      format: c.format ?? (c.type === 'date' ? 'date' : c.type === 'datetime' ? 'iso' : undefined),
      decimals: c.type === 'number' ? (c.decimals ?? 2) : c.type === 'integer' ? 0 : undefined,
    };
  });

  // Context slots read by a mechanism, a rule or a given: the kernel sets only these per row.
  const usedSet = new Set<number>();
  const useName = (r: string) => {
    const i = columnIndex.get(r);
    if (i !== undefined && !own(i)) usedSet.add(i);
  };
  for (const m of mechanisms) m.refs.forEach(useName);
  for (const p of parsed) p.refs.forEach(useName);
  for (const c of Object.values(table.columns)) (c.given ?? []).forEach(useName);
  const contextUsed = [...usedSet].sort((a, b) => a - b);

  return {
    table: tableName,
    columns,
    contextUsed,
    order,
    samplers,
    specLo,
    specHi,
    bounds,
    boundRetry,
    residuals,
    rules: ruleInfo,
    interventions,
    writers,
  };

  /** quantile(col, p) under the model, for columns whose distribution is known in closed form. */
  function modelQuantile(column: string, p: number): number {
    const c = table!.columns[column];
    if (!c)
      throw errs.error(
        tpath('columns'),
        'model.unknown_column',
        `quantile() names unknown column "${column}"`,
      );
    if (!(p >= 0 && p <= 1))
      throw errs.error(
        tpath('columns', column),
        'model.bad_quantile',
        `quantile probability ${p} is not in [0, 1]`,
      );
    const i = columnIndex.get(column)!;
    const lo = specLo[i];
    const hi = specHi[i];
    const found = c.dist ? lawOfDist(c.dist) : undefined;
    if (found) {
      // Every parameter by name; all must be constants (numbers, dates, constant expressions).
      const { law, params } = found;
      const values: Record<string, number> = nameMap();
      let constant = true;
      for (const key of Object.keys(law.params)) {
        if (params[key] === undefined) continue;
        const cp = compileParam(
          ctx,
          params[key] as number | string,
          tpath('columns', column, 'dist', law.name, key),
        );
        if (cp.constant === undefined) constant = false;
        else values[key] = cp.constant;
      }
      const fixed = constant ? law.fixed(params, values) : undefined;
      if (fixed !== undefined && typeof fixed !== 'string') {
        // Under the column's min/max: the quantile of the truncated law.
        const a = Number.isFinite(lo) ? fixed.cdf(lo) : 0;
        const b = Number.isFinite(hi) ? fixed.cdf(hi) : 1;
        return fixed.quantile(a + p * (b - a));
      }
    }
    // Fitted children (conditional tables): the exact mixture over parent states (src/coverage).
    if (c.conditional && opts.quantile) {
      const q = opts.quantile(spec, tableName, column, p);
      if (q !== undefined && Number.isFinite(q)) return q;
    }
    throw errs.error(
      tpath('columns', column),
      'model.quantile_unavailable',
      `quantile(${column}, ${p}) needs "${column}" to have a distribution with constant parameters or an empirical table (not tied to a parent)`,
      'use a number instead, or give the column an empirical dist',
    );
  }
}

export { nextDown, nextUp };

/**
 * The truncation range of column `c` for this row, written to out[0] (lo) and out[1] (hi): the
 * column's min/max narrowed by every rule bound whose inputs are present (a missing input leaves
 * the rule unevaluated, as SQL CHECK does). lo > hi means no value can satisfy the bounds.
 */
/** Whether column `c` is drawn on (−∞, ∞) for every row: no min/max, no rule bound (rowRange's answer, known once). */
export function isFree(model: TableModel, c: number): boolean {
  return (
    model.bounds[c].length === 0 &&
    model.specLo[c] === Number.NEGATIVE_INFINITY &&
    model.specHi[c] === Number.POSITIVE_INFINITY
  );
}

export function rowRange(model: TableModel, c: number, row: readonly Value[], out: Float64Array): void {
  let lo = model.specLo[c];
  let hi = model.specHi[c];
  const bs = model.bounds[c];
  for (let k = 0; k < bs.length; k++) {
    const b = bs[k];
    const v = b.fn(row);
    if (Number.isNaN(v)) continue;
    if (b.side === 'lower') {
      const l = b.strict ? nextUp(v) : v;
      if (l > lo) lo = l;
    } else {
      const h = b.strict ? nextDown(v) : v;
      if (h < hi) hi = h;
    }
  }
  out[0] = lo;
  out[1] = hi;
}
