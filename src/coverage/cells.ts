/**
 * The cell machinery of the shared plan vocabulary (src/spec/plan-vocabulary.ts), used by tabular
 * plans (coverage/plan.ts) and text plans (text/plan.ts): constraints (`forbid` / `require`, as
 * expressions or maps), the cell set (full product or t-wise covering array, with `max_cells`), and
 * per-cell quotas (`min_per_cell`, `cells: [{ when, min }]`). Pure: levels in, level rows out.
 * Each domain keeps its own error codes (stable for scripts) through `PlanErrors`.
 */
import type { StrataError } from '../errors.js';
import { compileExpression, parseExpression, truthy, type Value } from '../expr/index.js';
import { collectRefs } from '../model/rules.js';
import {
  type AxisValue,
  type CellQuota,
  type Constraint,
  HARD_MAX_CELLS,
  type Strategy,
  strengthOf,
} from '../spec/plan-vocabulary.js';
import { coveringArray } from './covering.js';

export type PlanPath = (string | number)[];

export type PlanErrorKind = 'constraint' | 'unknown_axis' | 'too_many_cells';

/** Builds the domain's error for a problem at a plan path. */
export type PlanErrors = (kind: PlanErrorKind, path: PlanPath, message: string, hint?: string) => StrataError;

/** A partial cell: one label per axis, null where the axis is not assigned yet. */
export type Labels = readonly (string | null)[];

export interface CompiledConstraint {
  /** `forbid` or `require`. */
  key: 'forbid' | 'require';
  /** The entry as written (a map is shown as `a == 'x' and b == 'y'`). */
  source: string;
  /** Axes it reads. */
  refs: number[];
  /** True when the cell must be removed; a partial cell missing one of `refs` is never removed. */
  removes(labels: Labels): boolean;
}

const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function compileOne(
  key: 'forbid' | 'require',
  entry: Constraint,
  i: number,
  axisIndex: ReadonlyMap<string, number>,
  fail: PlanErrors,
): CompiledConstraint {
  const axes = [...axisIndex.keys()];
  const unknown = (name: string, path: PlanPath) =>
    fail('constraint', path, `${key} names "${name}", which is not an axis`, `axes are: ${axes.join(', ')}`);
  let holds: (labels: Labels) => boolean;
  let refs: number[];
  let source: string;
  if (typeof entry === 'string') {
    source = entry;
    const bad = (e: unknown) =>
      fail(
        'constraint',
        [key, i],
        `${key} "${entry}": ${e instanceof Error ? e.message : String(e)}`,
        `${key} expressions read axis names, e.g. "segment == 'business' and age_band == 'young'"`,
      );
    let parsed: ReturnType<typeof parseExpression>;
    try {
      parsed = parseExpression(entry);
    } catch (e) {
      throw bad(e);
    }
    refs = collectRefs(parsed).map((r) => {
      const k = axisIndex.get(r);
      if (k === undefined) throw unknown(r, [key, i]);
      return k;
    });
    let compiled: ReturnType<typeof compileExpression>;
    try {
      compiled = compileExpression(parsed, { columns: axisIndex });
    } catch (e) {
      throw bad(e);
    }
    holds = (labels) => truthy(compiled.evaluate(labels as Value[]));
  } else {
    const pairs = Object.entries(entry).map(([name, v]: [string, AxisValue]) => {
      const k = axisIndex.get(name);
      if (k === undefined) throw unknown(name, [key, i, name]);
      return [k, String(v)] as const;
    });
    refs = pairs.map(([k]) => k);
    source = pairs.map(([k, v]) => `${axes[k]} == ${quote(v)}`).join(' and ');
    holds = (labels) => pairs.every(([k, v]) => labels[k] === v);
  }
  const assigned = (labels: Labels) => refs.every((k) => labels[k] !== null);
  return {
    key,
    source,
    refs,
    removes:
      key === 'forbid'
        ? (labels) => assigned(labels) && holds(labels)
        : (labels) => assigned(labels) && !holds(labels),
  };
}

/** Compile `forbid:` and `require:` against the axis names. */
export function compileConstraints(
  forbid: readonly Constraint[] | undefined,
  require: readonly Constraint[] | undefined,
  axisNames: readonly string[],
  fail: PlanErrors,
): CompiledConstraint[] {
  const axisIndex = new Map(axisNames.map((n, i) => [n, i] as [string, number]));
  return [
    ...(forbid ?? []).map((f, i) => compileOne('forbid', f, i, axisIndex, fail)),
    ...(require ?? []).map((r, i) => compileOne('require', r, i, axisIndex, fail)),
  ];
}

/** The constraint that removes a (partial) cell, as `forbid: …` / `require: …`, or undefined. */
export function removedBy(constraints: readonly CompiledConstraint[], labels: Labels): string | undefined {
  for (const c of constraints)
    if (c.removes(labels)) return c.key === 'forbid' ? c.source : `require: ${c.source}`;
  return undefined;
}

export interface CellSetOptions {
  /** As written; undefined lets `maxCells` decide (product, or pairwise above it). */
  strategy?: Strategy;
  maxCells: number;
  /**
   * The constraint that removes a (partial) level row (-1 = unassigned), or undefined: usually
   * `(level) => removedBy(constraints, labels of level)`.
   */
  removedBy(level: ArrayLike<number>): string | undefined;
  fail: PlanErrors;
}

export interface CellSet {
  /** The strategy used (`pairwise` when an unstated strategy met a product above `max_cells`). */
  strategy: Strategy;
  /** True when `strategy` was not written and the product exceeded `max_cells`. */
  autoCover: boolean;
  /** Level index per axis of every kept cell. */
  rows: Int32Array[];
  /** Full product only: the cells constraints removed, with the constraint. */
  removed: { level: Int32Array; by: string }[];
  /** Size of the full product. */
  product: number;
  /** t-wise: tuples covered, and tuples no valid cell can contain. */
  tuples?: number;
  infeasible?: number;
}

/** Product of the t largest sizes: no t-wise cover has fewer rows. */
function coverLowerBound(sizes: readonly number[], t: number): number {
  return [...sizes]
    .sort((a, b) => b - a)
    .slice(0, t)
    .reduce((m, s) => m * s, 1);
}

/**
 * The cells of a plan, counted before anything is expanded: a product above `max_cells` (or a cover
 * whose smallest possible size is above HARD_MAX_CELLS) is refused with its count.
 */
export function buildCellSet(sizes: readonly number[], o: CellSetOptions): CellSet {
  const product = sizes.reduce((m, s) => m * s, 1);
  const autoCover = o.strategy === undefined && product > o.maxCells;
  const strategy: Strategy = o.strategy ?? (autoCover ? 'pairwise' : 'product');
  const t = strengthOf(strategy);
  const allowed = (level: ArrayLike<number>) => o.removedBy(level) === undefined;
  if (t === null) {
    if (product > o.maxCells)
      throw o.fail(
        'too_many_cells',
        ['axes'],
        `the plan has ${product} cells (${sizes.join(' × ')}), more than max_cells = ${o.maxCells}`,
        `use strategy: pairwise or 3-wise, fewer levels, or raise max_cells (at most ${HARD_MAX_CELLS})`,
      );
    const rows: Int32Array[] = [];
    const removed: { level: Int32Array; by: string }[] = [];
    for (let code = 0; code < product; code++) {
      const r = new Int32Array(sizes.length);
      let rem = code;
      for (let k = sizes.length - 1; k >= 0; k--) {
        r[k] = rem % sizes[k];
        rem = Math.floor(rem / sizes[k]);
      }
      const by = o.removedBy(r);
      if (by === undefined) rows.push(r);
      else removed.push({ level: r, by });
    }
    return { strategy, autoCover, rows, removed, product };
  }
  const lower = coverLowerBound(sizes, t);
  if (lower > HARD_MAX_CELLS)
    throw o.fail(
      'too_many_cells',
      ['axes'],
      `a ${strategy} cover of these axes (${sizes.join(' × ')}) needs at least ${lower} cells, more than ${HARD_MAX_CELLS}`,
      'use fewer levels on the largest axes, or a lower strength',
    );
  const res = coveringArray(sizes, t, allowed);
  return {
    strategy,
    autoCover,
    rows: res.rows,
    removed: [],
    product,
    tuples: res.tuples,
    infeasible: res.infeasible,
  };
}

/** Check that every `cells[].when` names axes; `path` is where the list sits (`cells`). */
export function checkCellQuotas(
  overrides: readonly CellQuota[] | undefined,
  axisNames: readonly string[],
  fail: PlanErrors,
  listKey = 'cells',
): void {
  (overrides ?? []).forEach((c, i) => {
    for (const k of Object.keys(c.when))
      if (!axisNames.includes(k))
        throw fail(
          'unknown_axis',
          [listKey, i, 'when', k],
          `${listKey}[${i}] names "${k}", which is not an axis`,
          `axes are: ${axisNames.join(', ')}`,
        );
  });
}

/** The quota of a cell: `min_per_cell`, then the last `cells:` entry whose `when` matches. */
export function cellQuota(
  labels: Readonly<Record<string, string>>,
  minPerCell: number,
  overrides: readonly CellQuota[] | undefined,
): number {
  let min = minPerCell;
  for (const c of overrides ?? [])
    if (Object.entries(c.when).every(([k, v]) => labels[k] === String(v))) min = c.min;
  return min;
}
