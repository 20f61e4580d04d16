/**
 * A coverage run: N rows made of (N − Q) unconstrained model rows followed by Σ n_k rows drawn
 * inside each component k (a plan cell or a tail region) by conditioning by construction:
 * exact posterior sampling of the discrete skeleton (bucket elimination, once per component), then
 * numeric columns drawn truncated to their sampled bin, then forward sampling of the rest with the
 * rules enforced as `sampleBlock` does. A residual-rule failure redraws the whole row (bounded).
 *
 * Weights: the run is a mixture q = (N−Q)/N · p + Σ n_k/N · p(· | k), so a row x has
 * q/p = (N−Q)/N + Σ_{k ∋ x} n_k / (N · P(k)) and `_weight` = p/q, whose expectation under q is
 * exactly 1 (so no second pass is needed to normalise; the realised mean is 1 up to noise).
 */
import { StrataError } from '../errors.js';
import { compileExpression, parseExpression, type Value } from '../expr/index.js';
import { BLOCK_ROWS, type Block, sampleBlock } from '../model/block.js';
import { nextDown, nextUp, rowRange, type TableModel } from '../model/compile.js';
import { type Stream, streamFor } from '../random/stream.js';
import type { Scenario, Spec, Table, Tail } from '../spec/schema.js';
import { buildSkeleton, comparisonEdges, type Skeleton, valueLabel } from './discrete.js';
import { eliminate, type Factor, type Posterior } from './infer.js';
import { type CompiledPlan, cellQuotas, compilePlan, type PlanCell, raiseFromReal } from './plan.js';
import { compileChecked, modelCdfBelow, modelQuantileExact } from './quantile.js';
import type { RealShares } from './real.js';
import { applyScenario } from './scenario.js';
import { fitTailGpd, type GpdTail } from './tail.js';

/** Row redraws (posterior + forward) before a cell row is declared infeasible. */
const MAX_ROW_TRIES = 1000;
/** Forward draws of the pilot used when exact conditioning is impossible. */
const PILOT_ROWS = 4000;
/** Rejection sampling stops when acceptance falls below this share (after PILOT_ROWS draws). */
const MIN_ACCEPTANCE = 0.001;

export const COVERAGE_COLUMNS = ['_cell', '_weight', '_scenario', '_extrapolated'] as const;

export interface ComponentReport {
  key: string;
  kind: 'cell' | 'tail';
  labels?: Record<string, string>;
  /** Model probability of the region (tails with extrapolation: under the POT-extended model). */
  probability: number;
  quota: number;
  /** Rows drawn inside this component (natural draws landing here are counted in `delivered`). */
  drawn: number;
  delivered: number;
  /**
   * exact: posterior sampling; rejection: stratified rejection (cells whose columns cannot be
   * discretised); truncated: tails on such columns — the other columns are drawn forward and the
   * tail column truncated to the region (its parents are not conditioned on the tail).
   */
  method: 'exact' | 'rejection' | 'truncated';
  /** Row draws spent (≥ drawn; redraws after residual-rule failures included). */
  draws: number;
  empty?: string;
  /** Plan cells, when the plan has `real:`: the cell's share of the real rows. */
  realShare?: number;
  /** Set when `real:` raised this cell's quota: the quota before raising. */
  raisedFrom?: number;
}

export interface CoverageSummary {
  table: string;
  rows: number;
  unconstrained: number;
  /** Rows drawn under each scenario with a share (weight 0: off-model). */
  scenarios: { name: string; rows: number }[];
  components: ComponentReport[];
  forbidden: { key: string; by: string }[];
  /** Cells reported infeasible (only with allowEmptyCells). */
  empty: { key: string; reason: string }[];
  effectiveSampleSize: number;
  weightMean: number;
  extrapolated: number;
  exactReason?: string;
  /** The plan's `real:` data: file, real rows, and the keys of the cells whose quotas it raised. */
  real?: { source: string; rows: number; raised: string[] };
}

export interface CoverageOptions {
  allowEmptyCells?: boolean;
  /** Name recorded in `_scenario` for the run's own rows (e.g. `--scenario NAME`). */
  scenario?: string;
  /** Spec path -> placed error (from the generate locator). */
  error?: (path: (string | number)[], code: string, message: string, hint?: string) => StrataError;
  /**
   * Real cell shares from the plan's `real:` file (`readRealShares`): quotas are raised with
   * `raiseFromReal` where real data under-represents a cell. Read by the caller because it is I/O.
   */
  real?: RealShares;
}

interface Evidence {
  masks: Map<number, Uint8Array>;
  factors: Factor[];
}

interface Component {
  key: string;
  kind: 'cell' | 'tail';
  cell?: PlanCell;
  tail?: ResolvedTail;
  evidence?: Evidence;
  posterior?: Posterior;
  probability: number;
  quota: number;
  method: 'exact' | 'rejection' | 'truncated';
  skeleton?: Skeleton;
  /** Why exact conditioning is impossible (rejection / truncated components). */
  exactReason?: string;
  realShare?: number;
  raisedFrom?: number;
  contains(row: readonly Value[]): boolean;
  report: ComponentReport;
}

interface ResolvedTail {
  spec: Tail;
  index: number;
  column: number;
  lo: number;
  hi: number;
  gpd?: GpdTail;
  observedMax: number;
}

export interface CoverageRun {
  summary: CoverageSummary;
  /** Blocks in output order; each carries the extra columns. */
  blocks(): Generator<Block>;
  /** Extra column names appended to each row. */
  extraColumns: readonly string[];
}

/** Whether a spec asks for coverage on this table. */
export function wantsCoverage(spec: Spec, table: string): boolean {
  return Boolean(
    spec.coverage?.[table] ||
      (spec.tails ?? []).some((t) => tailTable(spec, t) === table) ||
      (spec.scenarios ?? []).some((s) => s.share !== undefined && scenarioTable(spec, s) === table),
  );
}

function scenarioTable(spec: Spec, s: Scenario): string | undefined {
  return s.table ?? (Object.keys(spec.tables).length === 1 ? Object.keys(spec.tables)[0] : undefined);
}

function tailTable(spec: Spec, t: Tail): string | undefined {
  return t.table ?? (Object.keys(spec.tables).length === 1 ? Object.keys(spec.tables)[0] : undefined);
}

function defaultError(path: (string | number)[], code: string, message: string, hint?: string): StrataError {
  return new StrataError(code, message, { path: path.join('.') }, hint);
}

/** Parse a tail condition: one numeric column against constants (`x > e`, `x >= e and x < f`). */
function parseTailRegion(
  t: Tail,
  model: TableModel,
  quantile: (col: string, p: number) => number,
  err: (m: string) => StrataError,
): { column: number; lo: number; hi: number } {
  const idx = new Map(model.columns.map((c, i) => [c.name, i] as [string, number]));
  let column: number | undefined;
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  const visit = (e: ReturnType<typeof parseExpression>): void => {
    if (e.kind === 'binary' && e.op === 'and') {
      visit(e.left);
      visit(e.right);
      return;
    }
    if (e.kind !== 'binary' || !['<', '<=', '>', '>='].includes(e.op)) {
      throw err('a tail condition is comparisons of one numeric column with constants, joined by and');
    }
    let op = e.op;
    let colE = e.left;
    let other = e.right;
    if (colE.kind !== 'ident') {
      colE = e.right;
      other = e.left;
      op = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const)[op as '<'];
    }
    if (colE.kind !== 'ident') throw err('one side of each comparison must be a column');
    const c = idx.get(colE.name);
    if (c === undefined) throw err(`unknown column "${colE.name}"`);
    if (column !== undefined && column !== c) throw err('a tail condition reads one column only');
    column = c;
    let v: number;
    try {
      const ce = compileExpression(other, { columns: new Map(), quantile });
      v = Number(ce.evaluate([]));
    } catch (e) {
      if (e instanceof StrataError && e.code.startsWith('model.')) throw e;
      throw err(
        `the bound must be a constant or quantile(col, p): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (!Number.isFinite(v)) throw err('the bound is not a finite number');
    if (op === '>') lo = Math.max(lo, nextUp(v));
    else if (op === '>=') lo = Math.max(lo, v);
    else if (op === '<') hi = Math.min(hi, v);
    else hi = Math.min(hi, nextUp(v));
  };
  visit(parseExpression(t.when));
  return { column: column!, lo, hi };
}

/** Build a coverage run for a table, or throw `coverage.infeasible` naming every empty cell. */
export function prepareCoverage(
  spec: Spec,
  tableName: string,
  model: TableModel,
  rows: number,
  seed: number,
  opts: CoverageOptions = {},
): CoverageRun {
  const err = opts.error ?? defaultError;
  const table = spec.tables[tableName];
  const columnIndex = new Map(model.columns.map((c, i) => [c.name, i] as [string, number]));
  const planSpec = spec.coverage?.[tableName];
  const plan: CompiledPlan | undefined = planSpec
    ? compilePlan(planSpec, table.columns, { table: tableName, columnIndex, error: err })
    : undefined;

  // Tails: resolve thresholds (quantile() against the model).
  const quantileFn = (col: string, p: number) => {
    const c = columnIndex.get(col);
    if (c === undefined)
      throw err(
        ['tables', tableName, 'columns'],
        'model.unknown_column',
        `quantile() names unknown column "${col}"`,
      );
    return modelQuantileExact(model, table, c, p) ?? pilotQuantile(model, seed, c, p);
  };
  const tails: ResolvedTail[] = [];
  (spec.tails ?? []).forEach((t, index) => {
    if (tailTable(spec, t) !== tableName) return;
    const region = parseTailRegion(t, model, quantileFn, (m) =>
      err(
        ['tails', index, 'when'],
        'coverage.bad_tail',
        `tail "${t.name}": ${m}`,
        'write e.g. "amount > quantile(amount, 0.999)"',
      ),
    );
    const observedMax =
      modelQuantileExact(model, table, region.column, 1 - 1e-12) ??
      pilotQuantile(model, seed, region.column, 1);
    const rt: ResolvedTail = { spec: t, index, ...region, observedMax };
    if (t.extrapolate)
      rt.gpd = fitTailGpd(model, table, region.column, (x) => modelCdfBelow(model, table, region.column, x));
    tails.push(rt);
  });

  // The plan's skeleton: every column its axes read, cut at the axes' bins and expr constants.
  const targets = new Set<number>();
  const edges = new Map<string, number[]>();
  const addEdges = (col: string, xs: number[]) => edges.set(col, [...(edges.get(col) ?? []), ...xs]);
  for (const a of plan?.axes ?? []) {
    for (const r of a.refs) targets.add(columnIndex.get(r)!);
    if (a.bins && a.column) addEdges(a.column, a.bins);
    if (a.expr) for (const [c, xs] of comparisonEdges(a.expr)) addEdges(c, xs);
  }
  const sk = plan ? buildSkeleton(model, table, [...targets], { edges }) : undefined;
  const skeleton = sk?.ok ? sk.skeleton : undefined;
  const exactReason = sk && !sk.ok ? sk.reason : undefined;

  // Components.
  const comps: Component[] = [];
  const empty: { key: string; reason: string }[] = [];
  const infeasible: { key: string; reason: string }[] = [];
  const evidenceFor = (
    constraints: { column: number; test: (label: string | null, lo: number, hi: number) => boolean }[],
    exprs: { refs: number[]; test: (row: Value[]) => boolean }[],
    s: Skeleton,
  ): Evidence => {
    const masks = new Map<number, Uint8Array>();
    const factors: Factor[] = [];
    for (const c of constraints) {
      const v = s.varOf.get(c.column)!;
      const st = s.vars[v].states;
      const m = masks.get(v) ?? new Uint8Array(st.length).fill(1);
      st.forEach((x, j) => {
        const ok = s.vars[v].numeric
          ? !x.na && c.test(null, x.lo, x.hi)
          : c.test(x.na ? null : x.label, typeof x.value === 'number' ? x.value : Number.NaN, Number.NaN);
        if (!ok) m[j] = 0;
      });
      masks.set(v, m);
    }
    for (const e of exprs) {
      const vs = [...new Set(e.refs.map((c) => s.varOf.get(c)!))].sort((a, b) => a - b);
      let size = 1;
      for (const v of vs) size *= s.card[v];
      const table = new Float64Array(size);
      const row: Value[] = new Array(model.columns.length).fill(null);
      for (let t = 0; t < size; t++) {
        let rem = t;
        for (let k = vs.length - 1; k >= 0; k--) {
          const v = vs[k];
          const j = rem % s.card[v];
          rem = Math.floor(rem / s.card[v]);
          const st = s.vars[v].states[j];
          const integer = s.vars[v].integer;
          row[s.vars[v].column] = st.na
            ? null
            : !s.vars[v].numeric
              ? st.value
              : Number.isFinite(st.lo)
                ? integer
                  ? Math.ceil(st.lo)
                  : st.lo
                : Number.isFinite(st.hi)
                  ? integer
                    ? Math.ceil(st.hi) - 1
                    : nextDown(st.hi)
                  : 0;
        }
        table[t] = e.test(row) ? 1 : 0;
      }
      factors.push({ vars: vs, table });
    }
    for (const [v, m] of masks) factors.push({ vars: [v], table: Float64Array.from(m) });
    return { masks, factors };
  };

  const finishExact = (
    c: Omit<Component, 'posterior' | 'probability' | 'report'> & { evidence: Evidence },
  ): Component => {
    const post = eliminate([...c.skeleton!.cpts, ...c.evidence.factors], c.skeleton!.card);
    return { ...c, posterior: post, probability: post.z, report: undefined as never };
  };

  // Plan cells.
  if (plan) {
    const probs: number[] = [];
    const built: Component[] = [];
    for (const cell of plan.cells) {
      const contains = (row: readonly Value[]) => plan.cellOf(row) === cell;
      if (skeleton) {
        const constraints: Parameters<typeof evidenceFor>[0] = [];
        const exprs: Parameters<typeof evidenceFor>[1] = [];
        plan.axes.forEach((a, k) => {
          const level = a.levels[cell.level[k]];
          if (a.kind === 'column') {
            constraints.push({ column: columnIndex.get(a.column!)!, test: (l) => l === level });
          } else if (a.kind === 'bins') {
            const col = columnIndex.get(a.column!)!;
            const labels = a.levels;
            const bi = labels.indexOf(level);
            const blo = a.bins![bi];
            const bhi = a.bins![bi + 1];
            constraints.push({
              column: col,
              test: (l, lo, hi) =>
                l === null && !Number.isNaN(lo) && Number.isNaN(hi)
                  ? false
                  : Number.isNaN(hi)
                    ? lo >= blo && lo < bhi
                    : lo >= blo && hi <= bhi,
            });
          } else {
            const refs = a.refs.map((r) => columnIndex.get(r)!);
            exprs.push({ refs, test: (row) => a.label(row) === level });
          }
        });
        built.push(
          finishExact({
            key: cell.key,
            kind: 'cell',
            cell,
            skeleton,
            method: 'exact',
            quota: 0,
            contains,
            evidence: evidenceFor(constraints, exprs, skeleton),
          }),
        );
      } else {
        built.push({
          key: cell.key,
          kind: 'cell',
          cell,
          method: 'rejection',
          exactReason,
          quota: 0,
          probability: 0,
          contains,
          report: undefined as never,
        });
      }
    }
    if (!skeleton) pilotProbabilities(model, seed, built);
    for (const c of built) probs.push(c.probability);
    const planned = cellQuotas(plan, rows, probs);
    const realShares = opts.real ? built.map((c) => opts.real!.shares.get(c.key) ?? 0) : undefined;
    const quotas = realShares ? raiseFromReal(planned, realShares, probs, rows) : planned;
    built.forEach((c, i) => {
      c.quota = quotas[i];
      if (realShares) {
        c.realShare = realShares[i];
        if (quotas[i] > planned[i]) c.raisedFrom = planned[i];
      }
      comps.push(c);
    });
  }

  // Tails.
  for (const t of tails) {
    const share = t.spec.share;
    const key = `tail:${t.spec.name}`;
    const inRegion = (row: readonly Value[]) => {
      const v = row[t.column];
      return typeof v === 'number' && v >= t.lo && v < t.hi;
    };
    // Each tail has its own skeleton: the tail column's ancestors, cut at the region's edges.
    const xs = [t.lo, t.hi].filter(Number.isFinite);
    if (t.gpd) xs.push(t.gpd.threshold);
    if (Number.isFinite(t.observedMax)) xs.push(t.observedMax, nextUp(t.observedMax));
    const tsk = buildSkeleton(model, table, [t.column], {
      edges: new Map([[model.columns[t.column].name, xs]]),
    });
    if (!tsk.ok) {
      const c: Component = {
        exactReason: tsk.reason,
        key,
        kind: 'tail',
        tail: t,
        method: 'truncated',
        quota: Math.round(share * rows),
        probability: 0,
        contains: inRegion,
        report: undefined as never,
      };
      pilotProbabilities(model, seed, [c]);
      comps.push(c);
      continue;
    }
    // With extrapolation the tail rows' parents are conditioned on the top of the observed support.
    const evLo = t.gpd ? Math.max(t.gpd.threshold, Math.min(t.lo, t.observedMax)) : t.lo;
    const evHi = t.gpd ? Number.POSITIVE_INFINITY : t.hi;
    const c = finishExact({
      skeleton: tsk.skeleton,
      key,
      kind: 'tail',
      tail: t,
      method: 'exact',
      quota: Math.round(share * rows),
      contains: inRegion,
      evidence: evidenceFor(
        [
          {
            column: t.column,
            test: (_l, lo, hi) => (Number.isNaN(hi) ? lo >= evLo && lo < evHi : lo >= evLo && hi <= evHi),
          },
        ],
        [],
        tsk.skeleton,
      ),
    });
    if (t.gpd) {
      // P_ext(region) = P(X ≥ u0) · S_gpd(lo − u0) (mass beyond the threshold under the POT model).
      c.probability = t.gpd.exceed * t.gpd.survival(Math.max(0, t.lo - t.gpd.threshold));
      if (!(c.posterior!.z > 0)) c.probability = 0;
    }
    comps.push(c);
  }

  // Infeasible components: before any row is written.
  for (const c of comps) {
    let reason: string | undefined;
    if (!(c.probability > 0)) reason = explainEmpty(c, model, table, c.skeleton, c.exactReason);
    if (!reason && c.quota > 0 && c.method === 'exact') reason = pilotResidual(c, model, c.skeleton!, seed);
    if (reason) {
      if (opts.allowEmptyCells) {
        empty.push({ key: c.key, reason });
        c.report = undefined as never;
        c.quota = 0;
        (c as { empty?: string }).empty = reason;
      } else infeasible.push({ key: c.key, reason });
    }
  }
  if (infeasible.length) {
    const tailBad = infeasible.some((i) => i.key.startsWith('tail:'));
    throw err(
      planSpec ? ['coverage', tableName] : ['tails'],
      'coverage.infeasible',
      `${infeasible.length} coverage cell${infeasible.length > 1 ? 's are' : ' is'} infeasible:\n${infeasible.map((i) => `  ${i.key}: ${i.reason}`).join('\n')}`,
      `fix the plan or the rules, or pass --allow-empty-cells (allowEmptyCells: true) to continue without ${infeasible.length > 1 ? 'them' : 'it'}${tailBad ? '; for a tail beyond the data, set extrapolate: true' : ''}`,
    );
  }

  // Scenarios with a share: their rows come from the intervened / shifted model, weight 0 (they are
  // not draws of the model), and the model part of the run is the other N − S rows.
  const scenarios = (spec.scenarios ?? [])
    .filter((sc) => sc.share !== undefined && scenarioTable(spec, sc) === tableName)
    .map((sc) => {
      const applied = applyScenario(spec, tableName, sc.name);
      const sm = compileChecked(applied.spec, tableName, {
        do: { ...(model.interventions as Record<string, string | number | boolean>), ...applied.do },
      });
      return {
        name: sc.name,
        rows: Math.round(sc.share! * rows),
        model: { ...sm, table: `${tableName}#scenario:${sc.name}` },
      };
    });
  const S = scenarios.reduce((t, sc) => t + sc.rows, 0);
  const Q = comps.reduce((s, c) => s + c.quota, 0);
  const total = Math.max(rows, Q + S);
  const free = total - Q - S;
  const modelRows = total - S;
  for (const c of comps) {
    c.report = {
      key: c.key,
      kind: c.kind,
      labels: c.cell?.labels,
      probability: c.probability,
      quota: c.quota,
      drawn: 0,
      delivered: 0,
      method: c.method,
      draws: 0,
      empty: (c as { empty?: string }).empty,
      ...(c.realShare !== undefined ? { realShare: c.realShare } : {}),
      // An empty cell (allowEmptyCells) has quota 0: it was not raised.
      ...(c.raisedFrom !== undefined && c.quota > 0 ? { raisedFrom: c.raisedFrom } : {}),
    };
  }
  const summary: CoverageSummary = {
    table: tableName,
    rows: total,
    unconstrained: free,
    scenarios: scenarios.map((sc) => ({ name: sc.name, rows: sc.rows })),
    components: comps.map((c) => c.report),
    forbidden: plan?.forbidden.map((f) => ({ key: f.key, by: f.by })) ?? [],
    empty,
    effectiveSampleSize: 0,
    weightMean: 0,
    extrapolated: 0,
    exactReason,
    ...(plan && opts.real
      ? {
          real: {
            source: opts.real.source,
            rows: opts.real.rows,
            raised: comps.filter((c) => c.report.raisedFrom !== undefined).map((c) => c.key),
          },
        }
      : {}),
  };

  // A row's plan cell is found once (cellOf), tails are tested directly.
  const cellComp = new Map<PlanCell, Component>();
  for (const c of comps) if (c.cell) cellComp.set(c.cell, c);
  const tailComps = comps.filter((c) => c.kind === 'tail');
  const share = (c: Component) =>
    c.quota > 0 && c.probability > 0 ? c.quota / (modelRows * c.probability) : 0;
  /** q/p of a row, counting it as delivered to the components it falls in. */
  const ratioOf = (row: readonly Value[], extrapolated: boolean): number => {
    let s = extrapolated ? 0 : free / modelRows;
    const pc = plan?.cellOf(row);
    const comp = pc ? cellComp.get(pc) : undefined;
    if (comp) {
      s += share(comp);
      comp.report.delivered++;
    }
    for (const t of tailComps) {
      if (!t.contains(row)) continue;
      s += share(t);
      t.report.delivered++;
    }
    return s;
  };
  let sw = 0;
  let sw2 = 0;
  let n = 0;
  const finishBlock = (
    b: Block,
    cellOf: (i: number, row: Value[]) => string | null,
    extrap: Uint8Array | undefined,
    scenario: string | null = opts.scenario ?? null,
  ): Block => {
    const cells: (string | null)[] = new Array(b.count);
    const weights: number[] = new Array(b.count);
    const scen: (string | null)[] = new Array(b.count).fill(scenario);
    const ex: boolean[] = new Array(b.count);
    const row: Value[] = new Array(model.columns.length);
    for (let i = 0; i < b.count; i++) {
      for (let c = 0; c < row.length; c++) row[c] = b.values[c][i];
      const e = extrap ? extrap[i] === 1 : false;
      const ratio = scenario !== null && scenario !== opts.scenario ? 0 : ratioOf(row, e);
      const w = ratio > 0 ? 1 / ratio : 0;
      cells[i] = cellOf(i, row);
      weights[i] = Number(w.toPrecision(8));
      ex[i] = e;
      sw += w;
      sw2 += w * w;
      n++;
      if (e) summary.extrapolated++;
    }
    summary.effectiveSampleSize = sw2 > 0 ? (sw * sw) / sw2 : 0;
    summary.weightMean = n ? sw / n : 0;
    b.extra = { names: [...COVERAGE_COLUMNS], values: [cells, weights, scen, ex] };
    return b;
  };

  function* blocks(): Generator<Block> {
    let index = 0;
    for (let start = 0; start < free; start += BLOCK_ROWS, index++) {
      const count = Math.min(BLOCK_ROWS, free - start);
      const b = sampleBlock(model, seed, index, start, count);
      yield finishBlock(b, (_i, row) => plan?.cellOf(row)?.key ?? null, undefined);
    }
    let start = free;
    for (const c of comps) {
      for (let done = 0, cb = 0; done < c.quota; cb++) {
        const count = Math.min(BLOCK_ROWS, c.quota - done);
        const { block, extrap } = drawComponentBlock(model, c.skeleton, c, seed, cb, index++, start, count);
        start += count;
        done += count;
        c.report.drawn += count;
        yield finishBlock(block, () => c.key, extrap);
      }
    }
    for (const sc of scenarios) {
      for (let done = 0, sb = 0; done < sc.rows; sb++) {
        const count = Math.min(BLOCK_ROWS, sc.rows - done);
        const b = sampleBlock(sc.model, seed, sb, start, count);
        b.index = index++;
        start += count;
        done += count;
        yield finishBlock(b, (_i, row) => plan?.cellOf(row)?.key ?? null, undefined, sc.name);
      }
    }
  }
  return { summary, blocks, extraColumns: COVERAGE_COLUMNS };
}

const pilotCache = new WeakMap<TableModel, Map<number, Value[][]>>();

/** A seeded forward pilot (streams of negative block indices), memoised per model and seed. */
function pilot(model: TableModel, seed: number): Value[][] {
  let m = pilotCache.get(model);
  if (!m) {
    m = new Map();
    pilotCache.set(model, m);
  }
  let v = m.get(seed);
  if (!v) {
    v = sampleBlock(model, seed, -1, 0, PILOT_ROWS * 5).values;
    m.set(seed, v);
  }
  return v;
}

/** quantile(col, p) from the pilot when the column cannot be discretised (order statistic). */
function pilotQuantile(model: TableModel, seed: number, column: number, p: number): number {
  const xs = pilot(model, seed)
    [column].filter((x): x is number => typeof x === 'number' && !Number.isNaN(x))
    .sort((a, b) => a - b);
  if (!xs.length) return Number.NaN;
  return xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))];
}

/** Rejection-path probabilities: a seeded forward pilot (streams of negative block indices). */
function pilotProbabilities(model: TableModel, seed: number, comps: Component[]): void {
  const values = pilot(model, seed);
  const n = values[0]?.length ?? 0;
  const row: Value[] = new Array(model.columns.length);
  const hits = new Float64Array(comps.length);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < row.length; c++) row[c] = values[c][i];
    comps.forEach((comp, k) => {
      if (comp.contains(row)) hits[k]++;
    });
  }
  comps.forEach((c, k) => {
    c.probability = n ? hits[k] / n : 0;
  });
}

function explainEmpty(
  c: Component,
  model: TableModel,
  table: Table,
  skeleton: Skeleton | undefined,
  exactReason: string | undefined,
): string {
  if (c.tail && !c.tail.spec.extrapolate) {
    const t = c.tail;
    return `the region ${model.columns[t.column].name} in [${t.lo}, ${t.hi}) has probability 0 under the model (the model's largest value is ${t.observedMax})`;
  }
  if (c.tail?.gpd && !(c.tail.gpd.exceed > 0)) return 'the fitted tail has no mass beyond the threshold';
  if (!skeleton)
    return `no row of ${PILOT_ROWS} forward draws fell in it, and exact conditioning is impossible because ${exactReason}`;
  // Single-constraint marginals: which evidence alone is impossible, and which rule or table zeroes it.
  const parts: string[] = [];
  for (const [v, mask] of c.evidence!.masks) {
    const vr = skeleton.vars[v];
    const alone = eliminate(
      [...skeleton.cpts, { vars: [v], table: Float64Array.from(mask) }],
      skeleton.card,
    ).z;
    if (alone > 0) continue;
    const labels = vr.states.filter((_, j) => mask[j]).map((s) => s.label);
    const levelsAll = vr.states.map((s) => s.label);
    if (!labels.length) {
      parts.push(`"${vr.name}" has no state matching this cell (its values: ${levelsAll.join(', ')})`);
      continue;
    }
    const rules = (table.rules ?? []).filter((r) => {
      try {
        const refs = new Set<string>();
        const walk = (e: ReturnType<typeof parseExpression>) => {
          if (e.kind === 'ident') refs.add(e.name);
          for (const k of ['left', 'right', 'arg', 'test', 'then', 'else'] as const) {
            const x = (e as Record<string, unknown>)[k];
            if (x && typeof x === 'object') walk(x as ReturnType<typeof parseExpression>);
          }
        };
        walk(parseExpression(r.check));
        return refs.has(vr.name);
      } catch {
        return false;
      }
    });
    const ruleBad = rules.find((r) => {
      const info = model.rules.find((x) => x.name === r.name);
      return info?.enforcement.includes('set');
    });
    if (ruleBad)
      parts.push(`rule "${ruleBad.name}" (${ruleBad.check}) excludes ${vr.name} = ${labels.join('/')}`);
    else
      parts.push(
        `${vr.name} = ${labels.join('/')} has probability 0 under its ${table.columns[vr.name].conditional ? 'conditional table' : 'values'}`,
      );
  }
  if (parts.length) return parts.join('; ');
  const names = [...c.evidence!.masks.keys()].map((v) => skeleton.vars[v].name);
  return `this combination has probability 0 under the model: the conditional tables of ${names.join(', ')} never give it together`;
}

/** Pilot of up to 200 draws inside the cell: a residual rule that never holds makes it infeasible. */
function pilotResidual(
  c: Component,
  model: TableModel,
  skeleton: Skeleton,
  seed: number,
): string | undefined {
  if (!model.residuals.length) return undefined;
  const rngs = componentStreams(model, seed, `${c.key}#pilot`, 0);
  const st = new Int32Array(skeleton.vars.length);
  const row: Value[] = new Array(model.columns.length).fill(null);
  const fails = new Map<number, number>();
  for (let i = 0; i < 200; i++) {
    const r = drawCellRow(model, skeleton, c, rngs, st, row, 0);
    if (r.ok) return undefined;
    if (r.rule !== undefined) fails.set(r.rule, (fails.get(r.rule) ?? 0) + 1);
  }
  const worst = [...fails.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!worst) return 'no row could be drawn in 200 attempts';
  const rule = model.rules[worst[0]];
  return `rule "${rule.name}" (${rule.check}) failed on all 200 pilot draws inside this cell`;
}

interface Streams {
  post: Stream;
  cols: Stream[];
}

function componentStreams(model: TableModel, seed: number, key: string, block: number): Streams {
  return {
    post: streamFor(seed, model.table, 'cover', key, block, '#posterior'),
    cols: model.columns.map((c) => streamFor(seed, model.table, 'cover', key, block, c.name)),
  };
}

const isBad = (v: Value) => typeof v === 'number' && Number.isNaN(v);

/** Scratch for rowRange (rows are drawn one at a time, never re-entrantly). */
const RANGE = new Float64Array(2);

/**
 * One attempt at a row inside a component (exact path): returns ok, or the rule that failed.
 * Missing values inside a present-state bin are redrawn (bounded) since the state says "present".
 */
function drawCellRow(
  model: TableModel,
  skeleton: Skeleton,
  c: Component,
  rngs: Streams,
  st: Int32Array,
  row: Value[],
  rowNo: number,
): { ok: boolean; rule?: number; extrapolated?: boolean } {
  c.posterior!.sample(rngs.post, st);
  const { order, samplers, bounds, residuals } = model;
  let extrapolated = false;
  for (let k = 0; k < order.length; k++) {
    const col = order[k];
    const v = skeleton.varOf.get(col);
    rowRange(model, col, row, RANGE);
    let lo = RANGE[0];
    let hi = RANGE[1];
    if (v !== undefined) {
      const sv = skeleton.vars[v];
      const state = sv.states[st[v]];
      if (!sv.numeric || state.na) {
        row[col] = state.value;
        continue;
      }
      const tail = c.tail;
      if (tail?.gpd && tail.column === col) {
        // Tail rows with extrapolation: the value comes from the POT model beyond max(lo, u0).
        const x = tail.gpd.sampleAbove(rngs.cols[col], Math.max(tail.lo, tail.gpd.threshold), tail.hi);
        row[col] = x;
        extrapolated = x > tail.observedMax;
        continue;
      }
      lo = Math.max(lo, state.lo);
      hi = Math.min(hi, nextDown(state.hi));
      if (tail && tail.column === col) {
        lo = Math.max(lo, tail.lo);
        hi = Math.min(hi, nextDown(tail.hi));
      }
      let x: Value = null;
      for (let t = 0; t < 200 && x === null; t++) x = samplers[col](row, rngs.cols[col], lo, hi, rowNo);
      if (x === null || isBad(x)) return { ok: false };
      row[col] = x;
      continue;
    }
    if (lo > hi) return { ok: false, rule: bounds[col][0]?.rule };
    const x = samplers[col](row, rngs.cols[col], lo, hi, rowNo);
    if (isBad(x)) return { ok: false, rule: bounds[col][0]?.rule };
    row[col] = x;
  }
  for (const r of residuals) if (!r.check(row)) return { ok: false, rule: r.rule };
  return { ok: true, extrapolated };
}

/** A forward row with one column truncated to [lo, hi] (tails on non-discretisable columns). */
function drawForwardRow(
  model: TableModel,
  rngs: Streams,
  row: Value[],
  rowNo: number,
  band: number,
  bandLo: number,
  bandHi: number,
): { ok: boolean } {
  const { order, samplers, residuals } = model;
  for (let k = 0; k < order.length; k++) {
    const col = order[k];
    rowRange(model, col, row, RANGE);
    let lo = RANGE[0];
    let hi = RANGE[1];
    if (col === band) {
      lo = Math.max(lo, bandLo);
      hi = Math.min(hi, bandHi);
    }
    if (lo > hi) return { ok: false };
    let x: Value = samplers[col](row, rngs.cols[col], lo, hi, rowNo);
    for (let t = 0; t < 200 && col === band && x === null; t++)
      x = samplers[col](row, rngs.cols[col], lo, hi, rowNo);
    if (x === null ? col === band : isBad(x)) return { ok: false };
    row[col] = x;
  }
  for (const r of residuals) if (!r.check(row)) return { ok: false };
  return { ok: true };
}

function drawComponentBlock(
  model: TableModel,
  skeleton: Skeleton | undefined,
  c: Component,
  seed: number,
  cellBlock: number,
  index: number,
  start: number,
  count: number,
): { block: Block; extrap: Uint8Array } {
  const rngs = componentStreams(model, seed, c.key, cellBlock);
  const values: Value[][] = model.columns.map(() => new Array<Value>(count));
  const retries = new Int32Array(count);
  const extrap = new Uint8Array(count);
  const row: Value[] = new Array(model.columns.length).fill(null);
  if (c.method === 'truncated') {
    const t = c.tail!;
    for (let i = 0; i < count; i++) {
      let tries = 0;
      let r = drawForwardRow(model, rngs, row, start + i, t.column, t.lo, nextDown(t.hi));
      c.report.draws++;
      while (!r.ok) {
        if (++tries > MAX_ROW_TRIES) {
          throw new StrataError(
            'coverage.cell_collapse',
            `tail ${c.key}: no valid row in ${MAX_ROW_TRIES} redraws`,
            { path: `tails[${t.index}]` },
            'check the tail condition against the column\u2019s bounds and rules',
          );
        }
        r = drawForwardRow(model, rngs, row, start + i, t.column, t.lo, nextDown(t.hi));
        c.report.draws++;
      }
      for (let k = 0; k < row.length; k++) values[k][i] = row[k];
      retries[i] = tries;
    }
  } else if (c.method === 'exact') {
    const st = new Int32Array(skeleton!.vars.length);
    for (let i = 0; i < count; i++) {
      let tries = 0;
      let r = drawCellRow(model, skeleton!, c, rngs, st, row, start + i);
      c.report.draws++;
      while (!r.ok) {
        if (++tries > MAX_ROW_TRIES) {
          const rule = r.rule !== undefined ? model.rules[r.rule] : undefined;
          throw new StrataError(
            'coverage.cell_collapse',
            `cell ${c.key}: no valid row in ${MAX_ROW_TRIES} redraws${rule ? `; rule "${rule.name}" (${rule.check}) keeps failing` : ''}`,
            { path: rule ? `tables.${model.table}.rules.${rule.name}` : `coverage.${model.table}` },
            'loosen the rule inside this cell, or drop the cell with --allow-empty-cells',
          );
        }
        r = drawCellRow(model, skeleton!, c, rngs, st, row, start + i);
        c.report.draws++;
      }
      for (let k = 0; k < row.length; k++) values[k][i] = row[k];
      retries[i] = tries;
      extrap[i] = r.extrapolated ? 1 : 0;
    }
  } else {
    // Stratified rejection: forward blocks from the cell's own streams, keeping rows inside it.
    let got = 0;
    let tried = 0;
    for (let sub = 0; got < count; sub++) {
      const b = sampleBlock(
        { ...model, table: `${model.table}#${c.key}#${cellBlock}` },
        seed,
        sub,
        start,
        2048,
      );
      for (let i = 0; i < b.count && got < count; i++) {
        tried++;
        for (let k = 0; k < row.length; k++) row[k] = b.values[k][i];
        if (!c.contains(row)) continue;
        for (let k = 0; k < row.length; k++) values[k][got] = row[k];
        retries[got] = b.retries[i];
        got++;
      }
      c.report.draws = tried;
      if (tried >= PILOT_ROWS && got / tried < MIN_ACCEPTANCE) {
        throw new StrataError(
          'coverage.acceptance_collapse',
          `cell ${c.key}: only ${got} of ${tried} forward draws (${((100 * got) / tried).toFixed(3)}%) fall in it, and exact conditioning is impossible`,
          { path: `coverage.${model.table}` },
          'make the columns the plan reads discretisable (conditional tables or constant parameters), or drop the cell with --allow-empty-cells',
        );
      }
    }
  }
  return { block: { index, start, count, values, retries }, extrap };
}

export { valueLabel };
