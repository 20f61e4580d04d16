/**
 * A coverage run: N rows made of (N − Q) unconstrained model rows followed by Σ n_k rows drawn
 * inside each component k (a plan cell or a tail region) by conditioning by construction:
 * exact posterior sampling of the discrete skeleton (bucket elimination, once per component), then
 * numeric columns drawn truncated to their sampled bin, then forward sampling of the rest with the
 * rules enforced as `sampleBlock` does. A residual-rule failure redraws the whole row (bounded).
 *
 * Forbidden cells get no row: a row that falls in one (a free row or a tail row) is redrawn, so the
 * run's population is the model conditioned on "not forbidden", p' = p(· | ¬F).
 *
 * Weights: the run is a mixture q = (N−Q)/N · p' + Σ n_k/N · p'(· | k), so a row x has
 * q/p' = (N−Q)/N + Σ_{k ∋ x} n_k / (N · P'(k)) and `_weight` = p'/q, whose expectation under q is
 * exactly 1 (so no second pass is needed to normalise; the realised mean is 1 up to noise).
 *
 * The run is a list of block tasks. Preparation (thresholds, probabilities, quotas: the costly part)
 * happens once; its numbers (`resolution`) let a worker thread rebuild the same run cheaply and
 * draw any block, and a block's rows, weights and statistics depend only on its task, so the bytes
 * and the summary are the same for any worker count.
 */

import type { ErrorCode, StrataError } from '../errors.js';
import type { Value } from '../expr/index.js';
import { BLOCK_ROWS, type Block, type RowFilter, sampleBlock } from '../model/block.js';
import { nextUp, type TableModel } from '../model/compile.js';
import { pathError } from '../model/context.js';
import { COVERAGE_COLUMNS } from '../spec/output-columns.js';
import type { Scenario, Spec, Tail } from '../spec/schema.js';
import { columnJoint, regionPosterior } from './column-joint.js';
import { buildSkeleton, comparisonEdges, type Skeleton, valueLabel } from './discrete.js';
import { drawComponentBlock, type Forbidden, MIN_ACCEPTANCE, pilotResidual } from './draw.js';
import { cellTests, type Evidence, evidenceFor, type RowTest } from './evidence.js';
import { explainEmpty } from './explain.js';
import { eliminate, type Posterior } from './infer.js';
import { pilotQuantile, pilotShares } from './pilot.js';
import { type CompiledPlan, cellQuotas, compilePlan, type PlanCell, raiseFromReal } from './plan.js';
import { compileChecked, modelCdfBelow, modelQuantileExact } from './quantile.js';
import type { RealShares } from './real.js';
import { applyScenario } from './scenario.js';
import { fitTailGpd, type GpdTail } from './tail.js';
import {
  extrapolationCap,
  parseTailRegion,
  type ResolvedTail,
  restoreTail,
  type TailResolution,
} from './tail-region.js';

export { COVERAGE_COLUMNS };

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
  /** Tails: the region, `column` in [lo, hi). */
  region?: { column: string; lo: number; hi: number };
  /** Tails with extrapolation: values are drawn below this cap (see `extrapolationCap`). */
  cap?: number;
  /** Tails with extrapolation: the fitted peaks-over-threshold tail (u0, P(X ≥ u0), σ, ξ). */
  gpd?: { threshold: number; exceed: number; sigma: number; xi: number };
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
  /** Cells removed by `forbid:`; no output row falls in one. */
  forbidden: { key: string; by: string }[];
  /** P(a row of the model falls in a forbidden cell); weights recover the model given ¬forbidden. */
  forbiddenProbability: number;
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
  error?: (path: (string | number)[], code: ErrorCode, message: string, hint?: string) => StrataError;
  /**
   * Real cell shares from the plan's `real:` file (`readRealShares`): quotas are raised with
   * `raiseFromReal` where real data under-represents a cell. Read by the caller because it is I/O.
   */
  real?: RealShares;
  /** A prepared run's numbers (`CoverageRun.resolution`): rebuild it without solving anything again. */
  resolved?: CoverageResolution;
}

/** The numbers preparation found: enough to rebuild the run (in a worker) without re-solving. */
export interface CoverageResolution {
  tails: TailResolution[];
  components: {
    key: string;
    probability: number;
    allowed: number;
    quota: number;
    empty?: string;
    realShare?: number;
    raisedFrom?: number;
  }[];
  forbiddenProbability: number;
}

/** Which rows a block task draws: unconstrained rows, a component's, or a scenario's. */
export interface CoveragePart {
  kind: 'free' | 'component' | 'scenario';
  /** Component or scenario number. */
  which: number;
  /** Block number within the part (its streams). */
  sub: number;
}

export interface CoverageTask {
  index: number;
  start: number;
  count: number;
  part: CoveragePart;
}

/** What a block adds to the summary (summed in block order, so any worker count gives the same). */
export interface BlockStats {
  rows: number;
  sw: number;
  sw2: number;
  extrapolated: number;
  /** Per component: rows falling in it, rows drawn for it, row draws spent. */
  delivered: number[];
  drawn: number[];
  draws: number[];
}

export interface CoverageRun {
  summary: CoverageSummary;
  /** The blocks of the run, in output order. */
  tasks: CoverageTask[];
  /** Draw one block (any order, any thread): rows with the extra columns, and its statistics. */
  draw(task: CoverageTask): { block: Block; stats: BlockStats };
  /** Add a block's statistics to `summary`; call in block order. */
  record(stats: BlockStats): void;
  /** Blocks in output order, drawn in this thread and recorded. */
  blocks(): Generator<Block>;
  /** Numbers to rebuild this run elsewhere (`CoverageOptions.resolved`). */
  resolution: CoverageResolution;
  /** Extra column names appended to each row. */
  extraColumns: readonly string[];
}

interface Component {
  key: string;
  kind: 'cell' | 'tail';
  cell?: PlanCell;
  tail?: ResolvedTail;
  evidence?: Evidence;
  posterior?: Posterior;
  /** P(k) under the model. */
  probability: number;
  /** P(k and not forbidden) under the model. */
  allowed: number;
  quota: number;
  method: 'exact' | 'rejection' | 'truncated';
  skeleton?: Skeleton;
  /** Why exact conditioning is impossible (rejection / truncated components). */
  exactReason?: string;
  empty?: string;
  realShare?: number;
  raisedFrom?: number;
  contains(row: readonly Value[]): boolean;
}

/**
 * An extrapolating tail's probability under the POT-extended model:
 * P_ext(region) = P(X ≥ u0) · (S_gpd(lo − u0) − S_gpd(min(hi, cap) − u0)); `allowed` keeps its
 * share of the model's.
 */
function extrapolatedProbability(c: Component, t: ResolvedTail, gpd: GpdTail): void {
  const top = Math.min(t.hi, t.cap ?? Number.POSITIVE_INFINITY);
  const ratio = c.probability > 0 ? c.allowed / c.probability : 0;
  c.probability =
    gpd.exceed *
    Math.max(0, gpd.survival(Math.max(0, t.lo - gpd.threshold)) - gpd.survival(top - gpd.threshold));
  c.allowed = c.probability * ratio;
  if (!(c.posterior!.z > 0)) c.probability = c.allowed = 0;
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

/** Build a coverage run for a table, or throw `coverage.infeasible` naming every empty cell. */
export function prepareCoverage(
  spec: Spec,
  tableName: string,
  model: TableModel,
  rows: number,
  seed: number,
  opts: CoverageOptions = {},
): CoverageRun {
  const err = opts.error ?? pathError;
  const table = spec.tables[tableName];
  const resolved = opts.resolved;
  const columnIndex = new Map(model.columns.map((c, i) => [c.name, i] as [string, number]));
  const planSpec = spec.coverage?.[tableName];
  const plan: CompiledPlan | undefined = planSpec
    ? compilePlan(planSpec, table.columns, { table: tableName, columnIndex, error: err })
    : undefined;
  const forbidden: Forbidden = plan?.forbidden.length
    ? (row) => plan.forbiddenBy(row) !== undefined
    : undefined;

  // Tails: thresholds (quantile() against the model), and the fitted tail when extrapolating.
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
  const modelMax = (c: number) =>
    modelQuantileExact(model, table, c, 1 - 1e-12) ?? pilotQuantile(model, seed, c, 1);
  const tailSpecs = (spec.tails ?? [])
    .map((t, index) => ({ t, index }))
    .filter(({ t }) => tailTable(spec, t) === tableName);
  const tails: ResolvedTail[] = tailSpecs.map(({ t, index }, k) => {
    const integer = (c: number) => model.columns[c].type === 'integer';
    if (resolved) return restoreTail(t, resolved.tails[k], integer(resolved.tails[k].column));
    const region = parseTailRegion(t, model, quantileFn, (m) =>
      err(
        ['tails', index, 'when'],
        'coverage.bad_tail',
        `tail "${t.name}": ${m}`,
        'write e.g. "amount > quantile(amount, 0.999)"',
      ),
    );
    // The model's largest value: needed to extrapolate beyond it (else only to explain an empty region).
    const observedMax = t.extrapolate ? modelMax(region.column) : Number.NaN;
    const r: TailResolution = { index, ...region, observedMax };
    // Beyond the data, the tail rows' parents are those of the model's top millionth (a band with
    // mass, where the largest value alone may have none).
    if (t.extrapolate) r.top = modelQuantileExact(model, table, region.column, 1 - 1e-6) ?? observedMax;
    const gpd = t.extrapolate
      ? fitTailGpd(model, table, region.column, (x) => modelCdfBelow(model, table, region.column, x))
      : undefined;
    if (gpd) {
      r.gpd = { threshold: gpd.threshold, exceed: gpd.exceed, sigma: gpd.sigma, xi: gpd.xi };
      r.cap = extrapolationCap(gpd, observedMax);
    }
    return restoreTail(t, r, integer(region.column));
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
  const notForbidden: RowTest | undefined = forbidden && {
    refs: [...targets],
    test: (row) => !forbidden(row),
  };

  // P(forbidden): exact on the skeleton, else from the pilot.
  let pForbidden = resolved?.forbiddenProbability ?? 0;
  if (!resolved && plan && forbidden) {
    if (skeleton) {
      for (const cell of plan.forbidden) {
        const t = cellTests(plan, cell, columnIndex);
        pForbidden += eliminate(
          [...skeleton.cpts, ...evidenceFor(model, skeleton, t.constraints, t.exprs).factors],
          skeleton.card,
        ).z;
      }
    } else pForbidden = pilotShares(model, seed, [(row) => forbidden(row)])[0];
  }
  if (forbidden && !(pForbidden < 1)) {
    throw err(
      ['coverage', tableName, 'forbid'],
      'coverage.all_forbidden',
      'every row the model can draw falls in a forbidden cell',
      'remove or narrow a forbid: expression',
    );
  }

  const comps: Component[] = [];
  const exact = (c: Omit<Component, 'posterior' | 'probability' | 'allowed'> & { evidence: Evidence }) => {
    const post = eliminate([...c.skeleton!.cpts, ...c.evidence.factors], c.skeleton!.card);
    return { ...c, posterior: post, probability: post.z, allowed: post.z };
  };

  // Plan cells.
  if (plan) {
    const built: Component[] = plan.cells.map((cell) => {
      const contains = (row: readonly Value[]) => plan.cellOf(row) === cell;
      if (!skeleton)
        return {
          key: cell.key,
          kind: 'cell',
          cell,
          method: 'rejection',
          exactReason,
          quota: 0,
          probability: 0,
          allowed: 0,
          contains,
        };
      const t = cellTests(plan, cell, columnIndex);
      return exact({
        key: cell.key,
        kind: 'cell',
        cell,
        skeleton,
        method: 'exact',
        quota: 0,
        contains,
        evidence: evidenceFor(model, skeleton, t.constraints, t.exprs),
      });
    });
    if (!skeleton && !resolved) {
      const shares = pilotShares(
        model,
        seed,
        built.map((c) => c.contains),
      );
      built.forEach((c, i) => {
        c.probability = shares[i];
        c.allowed = shares[i];
      });
    }
    const probs = built.map((c) => c.probability);
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
    const key = `tail:${t.spec.name}`;
    const quota = Math.round(t.spec.share * rows);
    const inRegion = (row: readonly Value[]) => {
      const v = row[t.column];
      return typeof v === 'number' && v >= t.lo && v < t.hi;
    };
    // With extrapolation the tail rows' parents are conditioned on the top of the observed support.
    const evLo = t.gpd
      ? Math.max(
          t.gpd.threshold,
          t.lo < t.observedMax ? t.lo : Math.min(t.top ?? t.observedMax, t.observedMax),
        )
      : t.lo;
    const evHi = t.gpd ? Number.POSITIVE_INFINITY : t.hi;
    // Without forbidden cells to condition on as well, the posterior comes from the column's joint
    // form (one elimination per column, shared with its quantiles and other tails on it).
    const cj = notForbidden && skeleton ? undefined : columnJoint(model, table, t.column);
    const post = cj && regionPosterior(cj, evLo, evHi);
    if (cj && post && post.z > 0) {
      const c: Component = {
        key,
        kind: 'tail',
        tail: t,
        method: 'exact',
        quota,
        contains: inRegion,
        skeleton: cj.skeleton,
        posterior: post,
        probability: post.z,
        allowed: forbidden ? post.z * (1 - pForbidden) : post.z, // the plan is not exact: assume independence
      };
      if (t.gpd) extrapolatedProbability(c, t, t.gpd);
      comps.push(c);
      continue;
    }
    // Otherwise (and to explain an empty region) each tail has its own skeleton: the tail column's
    // ancestors (and, with forbidden cells, the columns the plan reads), cut at the region's edges.
    const xs = [t.lo, t.hi].filter(Number.isFinite);
    if (t.gpd) xs.push(t.gpd.threshold);
    if (Number.isFinite(t.observedMax)) xs.push(t.observedMax, nextUp(t.observedMax));
    if (t.top !== undefined && Number.isFinite(t.top)) xs.push(t.top);
    const tailEdges = new Map([[model.columns[t.column].name, xs]]);
    let tsk = buildSkeleton(model, table, [t.column], { edges: tailEdges });
    let joint = false;
    if (tsk.ok && notForbidden && skeleton) {
      const both = new Map(edges);
      for (const [c, e] of tailEdges) both.set(c, [...(both.get(c) ?? []), ...e]);
      const j = buildSkeleton(model, table, [t.column, ...targets], { edges: both });
      if (j.ok) {
        tsk = j;
        joint = true;
      }
    }
    if (!tsk.ok) {
      const c: Component = {
        exactReason: tsk.reason,
        key,
        kind: 'tail',
        tail: t,
        method: 'truncated',
        quota,
        probability: 0,
        allowed: 0,
        contains: inRegion,
      };
      if (!resolved) {
        const [p, a] = pilotShares(model, seed, [inRegion, (row) => inRegion(row) && !forbidden?.(row)]);
        c.probability = p;
        c.allowed = a;
      }
      comps.push(c);
      continue;
    }
    const region = {
      column: t.column,
      test: (_l: string | null, lo: number, hi: number) =>
        Number.isNaN(hi) ? lo >= evLo && lo < evHi : lo >= evLo && hi <= evHi,
    };
    const c = exact({
      skeleton: tsk.skeleton,
      key,
      kind: 'tail',
      tail: t,
      method: 'exact',
      quota,
      contains: inRegion,
      evidence: evidenceFor(model, tsk.skeleton, [region], joint && notForbidden ? [notForbidden] : []),
    });
    // P(region) without the forbidden-cell evidence (the posterior above draws rows outside them).
    if (joint)
      c.probability = eliminate(
        [...tsk.skeleton.cpts, ...evidenceFor(model, tsk.skeleton, [region], []).factors],
        tsk.skeleton.card,
      ).z;
    else if (forbidden) c.allowed = c.probability * (1 - pForbidden); // the plan is not exact: assume independence
    if (t.gpd) extrapolatedProbability(c, t, t.gpd);
    comps.push(c);
  }

  // Infeasible components: before any row is written.
  const empty: { key: string; reason: string }[] = [];
  const infeasible: { key: string; reason: string }[] = [];
  comps.forEach((c, k) => {
    if (resolved) {
      const r = resolved.components[k];
      Object.assign(c, { probability: r.probability, allowed: r.allowed, quota: r.quota, empty: r.empty });
      if (r.realShare !== undefined) c.realShare = r.realShare;
      if (r.raisedFrom !== undefined) c.raisedFrom = r.raisedFrom;
      if (r.empty !== undefined) empty.push({ key: c.key, reason: r.empty });
      return;
    }
    let reason: string | undefined;
    if (c.tail && Number.isNaN(c.tail.observedMax) && !(c.allowed > 0))
      c.tail.observedMax = modelMax(c.tail.column);
    if (!(c.allowed > 0)) reason = explainEmpty(c, model, table, c.skeleton, c.exactReason);
    else if (c.tail?.gpd && c.tail.cap !== undefined && c.tail.lo >= c.tail.cap)
      reason = explainEmpty(c, model, table, c.skeleton, c.exactReason);
    else if (c.method === 'rejection' && c.quota > 0 && c.allowed < MIN_ACCEPTANCE)
      reason = `P(cell) ≈ ${c.allowed} from the pilot, too rare to fill by rejection (it needs ${MIN_ACCEPTANCE}), and exact conditioning is impossible because ${c.exactReason}`;
    if (!reason && c.quota > 0 && c.method === 'exact') reason = pilotResidual(c, model, seed, forbidden);
    if (!reason) return;
    if (opts.allowEmptyCells) {
      empty.push({ key: c.key, reason });
      c.quota = 0;
      c.empty = reason;
    } else infeasible.push({ key: c.key, reason });
  });
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

  const resolution: CoverageResolution = {
    tails: tails.map((t) => ({
      index: t.index,
      column: t.column,
      lo: t.lo,
      hi: t.hi,
      observedMax: t.observedMax,
      ...(t.top !== undefined ? { top: t.top } : {}),
      ...(t.gpd
        ? {
            gpd: { threshold: t.gpd.threshold, exceed: t.gpd.exceed, sigma: t.gpd.sigma, xi: t.gpd.xi },
            cap: t.cap,
          }
        : {}),
    })),
    components: comps.map((c) => ({
      key: c.key,
      probability: c.probability,
      allowed: c.allowed,
      quota: c.quota,
      empty: c.empty,
      realShare: c.realShare,
      raisedFrom: c.raisedFrom,
    })),
    forbiddenProbability: pForbidden,
  };
  const reports: ComponentReport[] = comps.map((c) => ({
    key: c.key,
    kind: c.kind,
    labels: c.cell?.labels,
    probability: c.probability,
    quota: c.quota,
    drawn: 0,
    delivered: 0,
    method: c.method,
    draws: 0,
    empty: c.empty,
    ...(c.tail
      ? { region: { column: model.columns[c.tail.column].name, lo: c.tail.lo, hi: c.tail.hi } }
      : {}),
    ...(c.tail?.gpd
      ? {
          cap: c.tail.cap,
          gpd: {
            threshold: c.tail.gpd.threshold,
            exceed: c.tail.gpd.exceed,
            sigma: c.tail.gpd.sigma,
            xi: c.tail.gpd.xi,
          },
        }
      : {}),
    ...(c.realShare !== undefined ? { realShare: c.realShare } : {}),
    // An empty cell (allowEmptyCells) has quota 0: it was not raised.
    ...(c.raisedFrom !== undefined && c.quota > 0 ? { raisedFrom: c.raisedFrom } : {}),
  }));
  const summary: CoverageSummary = {
    table: tableName,
    rows: total,
    unconstrained: free,
    scenarios: scenarios.map((sc) => ({ name: sc.name, rows: sc.rows })),
    components: reports,
    forbidden: plan?.forbidden.map((f) => ({ key: f.key, by: f.by })) ?? [],
    forbiddenProbability: pForbidden,
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
            raised: comps.filter((c) => c.quota > 0 && c.raisedFrom !== undefined).map((c) => c.key),
          },
        }
      : {}),
  };

  // Block tasks, in output order: free rows, each component's rows, each scenario's rows.
  const tasks: CoverageTask[] = [];
  let start = 0;
  const addPart = (kind: CoveragePart['kind'], which: number, n: number) => {
    for (let done = 0, sub = 0; done < n; sub++) {
      const count = Math.min(BLOCK_ROWS, n - done);
      tasks.push({ index: tasks.length, start, count, part: { kind, which, sub } });
      start += count;
      done += count;
    }
  };
  addPart('free', 0, free);
  comps.forEach((c, k) => {
    addPart('component', k, c.quota);
  });
  scenarios.forEach((sc, k) => {
    addPart('scenario', k, sc.rows);
  });

  // Weights: q/p' of a row depends only on its plan cell, the tails it falls in and whether it was
  // extrapolated, so it is computed once per such combination.
  const cellComp = new Map<PlanCell, number>();
  comps.forEach((c, k) => {
    if (c.cell) cellComp.set(c.cell, k);
  });
  const tailComps = comps.map((c, k) => (c.kind === 'tail' ? k : -1)).filter((k) => k >= 0);
  const share = (c: Component) =>
    c.quota > 0 && c.allowed > 0 ? (c.quota * (1 - pForbidden)) / (modelRows * c.allowed) : 0;
  const weightMemo = new Map<number, number>();
  // Tail t adds tailBit[t] to a row's key, above every plan cell number.
  const tailBit = tailComps.map((_, t) => (comps.length + 1) * 2 ** t);
  const filter: RowFilter | undefined = forbidden && {
    refuses: forbidden,
    collapse: (tries) =>
      err(
        ['coverage', tableName, 'forbid'],
        'coverage.forbidden_collapse',
        `${tries} draws in a row fell in forbidden cells`,
        'the forbidden cells hold nearly all of the model: remove or narrow a forbid: expression',
      ),
  };

  const draw = (task: CoverageTask): { block: Block; stats: BlockStats } => {
    const { part } = task;
    const stats: BlockStats = {
      rows: task.count,
      sw: 0,
      sw2: 0,
      extrapolated: 0,
      delivered: new Array(comps.length).fill(0),
      drawn: new Array(comps.length).fill(0),
      draws: new Array(comps.length).fill(0),
    };
    let b: Block;
    let extrap: Uint8Array | undefined;
    let fixedCell: string | undefined;
    let scenario: string | null = opts.scenario ?? null;
    if (part.kind === 'free') {
      b = sampleBlock(model, seed, part.sub, task.start, task.count, filter);
    } else if (part.kind === 'component') {
      const c = comps[part.which];
      const r = drawComponentBlock(model, c, seed, part.sub, task.index, task.start, task.count, forbidden);
      b = r.block;
      extrap = r.extrap;
      fixedCell = c.key;
      stats.drawn[part.which] = task.count;
      stats.draws[part.which] = r.draws;
    } else {
      const sc = scenarios[part.which];
      b = sampleBlock(sc.model, seed, part.sub, task.start, task.count, filter);
      scenario = sc.name;
    }
    b.index = task.index;
    const onModel = scenario === (opts.scenario ?? null);
    const n = b.count;
    const cells: (string | null)[] = new Array(n);
    const weights: number[] = new Array(n);
    const scen: (string | null)[] = new Array(n).fill(scenario);
    const ex: boolean[] = new Array(n);
    const row: Value[] = new Array(model.columns.length);
    const hits = new Int32Array(tailComps.length);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < row.length; c++) row[c] = b.values[c][i];
      const e = extrap ? extrap[i] === 1 : false;
      const pc = plan?.cellOf(row);
      cells[i] = fixedCell ?? pc?.key ?? null;
      ex[i] = e;
      if (e) stats.extrapolated++;
      if (!onModel) {
        weights[i] = 0;
        continue;
      }
      // The components the row falls in: its plan cell, then each tail it is inside. The weight
      // depends on nothing else, so it is computed once per combination (key: cell, tails, extrapolated).
      const ck = pc ? cellComp.get(pc) : undefined;
      let key = ck === undefined ? 0 : ck + 1;
      let inTails = 0;
      if (ck !== undefined) stats.delivered[ck]++;
      for (let t = 0; t < tailComps.length; t++) {
        const k = tailComps[t];
        if (!comps[k].contains(row)) continue;
        stats.delivered[k]++;
        hits[inTails++] = k;
        key += tailBit[t];
      }
      if (e) key = -key - 1;
      let w = weightMemo.get(key);
      if (w === undefined) {
        let ratio = e ? 0 : free / modelRows;
        if (ck !== undefined) ratio += share(comps[ck]);
        for (let t = 0; t < inTails; t++) ratio += share(comps[hits[t]]);
        w = ratio > 0 ? Number((1 / ratio).toPrecision(8)) : 0;
        weightMemo.set(key, w);
      }
      weights[i] = w;
      stats.sw += w;
      stats.sw2 += w * w;
    }
    b.extra = { names: [...COVERAGE_COLUMNS], values: [cells, weights, scen, ex] };
    return { block: b, stats };
  };

  let sw = 0;
  let sw2 = 0;
  let n = 0;
  const record = (s: BlockStats) => {
    sw += s.sw;
    sw2 += s.sw2;
    n += s.rows;
    summary.extrapolated += s.extrapolated;
    reports.forEach((r, k) => {
      r.delivered += s.delivered[k];
      r.drawn += s.drawn[k];
      r.draws += s.draws[k];
    });
    summary.effectiveSampleSize = sw2 > 0 ? (sw * sw) / sw2 : 0;
    summary.weightMean = n ? sw / n : 0;
  };

  function* blocks(): Generator<Block> {
    for (const t of tasks) {
      const { block, stats } = draw(t);
      record(stats);
      yield block;
    }
  }
  return { summary, tasks, draw, record, blocks, resolution, extraColumns: COVERAGE_COLUMNS };
}

export { valueLabel };
