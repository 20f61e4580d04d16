/**
 * Compile a coverage plan: axes → levels, cells (full product or a t-wise covering array), forbidden
 * combinations, and per-cell quotas. The keys shared with text plans (strategy, max_cells,
 * min_per_cell, cells, forbid, require, the map form of axes) are read by coverage/cells.ts; this
 * file adds what is tabular — axes that read columns, and `target`.
 *
 * Axes:
 *  - a column name (or `{ name, column }`) of a discrete column: its levels (the `values` keys, the
 *    union over conditional rows, true/false for booleans), or the axis' `values:` subset;
 *  - a numeric column with `bins: [b0, b1, ..., bk]`: levels `[b0,b1)` ... (or `labels:`);
 *  - `expr:` a derived label: levels from `values:`, else the string literals at the leaves of a
 *    ternary chain (`age < 25 ? 'young' : age < 65 ? 'adult' : 'senior'`).
 *
 * Quotas (see docs/coverage.md): `min_per_cell` (default 0), overridden per cell by `cells:
 * [{ when, min }]` (last match wins), then raised by `target`:
 *  - `uniform` (default): the quota as written;
 *  - `model`: max(quota, round(N · P(cell)));
 *  - `floor(p)`: max(quota, ceil(p · N)).
 */

import type { ErrorCode, StrataError } from '../errors.js';
import { compileExpression, type Expr, parseExpression, type Value } from '../expr/index.js';
import { pathError } from '../model/context.js';
import { stateOfValue } from '../model/other.js';
import { collectRefs } from '../model/rules.js';
import { nameMap } from '../names.js';
import { axisList, type Strategy } from '../spec/plan-vocabulary.js';
import type { Column, CoverageAxis, CoveragePlan } from '../spec/schema.js';
import {
  buildCellSet,
  cellQuota,
  checkCellQuotas,
  compileConstraints,
  type PlanErrorKind,
  type PlanErrors,
  removedBy,
} from './cells.js';
import { discreteLevels, valueLabel } from './discrete.js';

export interface PlanAxis {
  name: string;
  kind: 'column' | 'bins' | 'expr';
  /** The column read (column and bins axes). */
  column?: string;
  levels: string[];
  /** bins axes: ascending cut points. */
  bins?: number[];
  expr?: string;
  /** Columns the axis reads. */
  refs: string[];
  /** Label of a row (values indexed by the column index map given to compilePlan), or null. */
  label(row: readonly Value[]): string | null;
}

export interface PlanCell {
  /** `race=White|sex=Male` */
  key: string;
  labels: Record<string, string>;
  /** Level index per axis. */
  level: number[];
  /** Quota before `target` (min_per_cell or a per-cell override). */
  min: number;
}

export type Target = { kind: 'uniform' } | { kind: 'model' } | { kind: 'floor'; p: number };

export interface CompiledPlan {
  table: string;
  axes: PlanAxis[];
  /** As written, or `pairwise` when no strategy was written and the product exceeds max_cells. */
  strategy: Strategy;
  /** Cells to fill (forbidden ones removed). */
  cells: PlanCell[];
  /** Cells removed by `forbid:`, with the expression that removed them. */
  forbidden: (PlanCell & { by: string })[];
  target: Target;
  /** The plan cell a row falls in (forbidden cells and unlisted covering-array cells: undefined). */
  cellOf(row: readonly Value[]): PlanCell | undefined;
  /** The `forbid:` expression that is true for a row's labels, if any (such rows are never output). */
  forbiddenBy(row: readonly Value[]): string | undefined;
}

export interface PlanOptions {
  table: string;
  /** Column name -> row index for the rows `label` / `cellOf` will see. */
  columnIndex: ReadonlyMap<string, number>;
  /** Place errors: spec path -> error. */
  error?: (path: (string | number)[], code: ErrorCode, message: string, hint?: string) => StrataError;
  /** Levels of columns that have no declared levels (e.g. observed values in evaluation). */
  observedLevels?: (column: string) => string[] | undefined;
}

/** Default `max_cells` of a tabular plan (text plans: 2,000). */
export const MAX_CELLS = 100_000;

/** String literals at the leaves of a ternary chain. */
function ternaryLeaves(e: Expr, out: string[] = []): string[] {
  if (e.kind === 'cond') {
    ternaryLeaves(e.then, out);
    ternaryLeaves(e.else, out);
  } else if (e.kind === 'str' && !out.includes(e.value)) out.push(e.value);
  return out;
}

export function parseTarget(t: string | undefined, err: (msg: string) => StrataError): Target {
  if (t === undefined || t === 'uniform') return { kind: 'uniform' };
  if (t === 'model') return { kind: 'model' };
  const m = /^floor\(\s*([0-9.eE+-]+)\s*\)$/.exec(t);
  if (m) {
    const p = Number(m[1]);
    if (p >= 0 && p <= 1) return { kind: 'floor', p };
  }
  throw err(`unknown target "${t}"`);
}

function compileAxis(
  a: CoverageAxis,
  ai: number,
  cols: Record<string, Column>,
  opts: PlanOptions,
  base: (string | number)[],
): PlanAxis {
  const err = opts.error ?? pathError;
  const path = [...base, 'axes', ai];
  const idx = (col: string, p: (string | number)[]) => {
    const i = opts.columnIndex.get(col);
    if (i === undefined || !cols[col]) {
      throw err(
        p,
        'coverage.unknown_column',
        `coverage axis names unknown column "${col}"`,
        `columns are: ${Object.keys(cols).join(', ')}`,
      );
    }
    return i;
  };
  if (typeof a === 'string' || (!a.expr && !a.bins)) {
    const name = typeof a === 'string' ? a : a.name;
    const column = typeof a === 'string' ? a : (a.column ?? a.name);
    const c = idx(column, typeof a === 'string' ? path : [...path, 'column']);
    const declared = discreteLevels(cols[column]) ?? opts.observedLevels?.(column);
    if (!declared) {
      throw err(
        path,
        'coverage.numeric_axis_needs_bins',
        `axis "${name}": column "${column}" is ${cols[column].type} without a finite set of values`,
        `give the axis bins, e.g. { name: ${name}_band, column: ${column}, bins: [0, 100, 1000] }`,
      );
    }
    let levels = declared;
    if (typeof a !== 'string' && a.values) {
      levels = a.values.map(String);
      const unknown = levels.filter((l) => !declared.includes(l));
      if (unknown.length && discreteLevels(cols[column])) {
        throw err(
          [...path, 'values'],
          'coverage.unknown_level',
          `axis "${name}": ${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not a value of column "${column}"`,
          `its values are: ${declared.join(', ')}`,
        );
      }
    }
    // a written value the column does not list is in its pooled state (`other:`)
    const state = stateOfValue(cols[column]);
    return {
      name,
      kind: 'column',
      column,
      levels,
      refs: [column],
      label: (row) => state(valueLabel(row[c])),
    };
  }
  if (a.bins) {
    const column = a.column ?? a.name;
    const c = idx(column, [...path, 'column']);
    const bins = a.bins;
    if (bins.length < 2 || bins.some((b, k) => k > 0 && !(b > bins[k - 1]))) {
      throw err(
        [...path, 'bins'],
        'coverage.bad_bins',
        `axis "${a.name}": bins must be at least two ascending numbers`,
        'e.g. bins: [0, 1000, 5000]',
      );
    }
    const labels = a.labels ?? bins.slice(0, -1).map((b, k) => `[${b},${bins[k + 1]})`);
    if (labels.length !== bins.length - 1) {
      throw err(
        [...path, 'labels'],
        'coverage.bad_labels',
        `axis "${a.name}": ${bins.length - 1} bins need ${bins.length - 1} labels, got ${labels.length}`,
      );
    }
    const levels = a.values ? a.values.map(String) : labels;
    return {
      name: a.name,
      kind: 'bins',
      column,
      levels,
      bins,
      refs: [column],
      label: (row) => {
        const v = row[c];
        if (typeof v !== 'number') return null;
        for (let k = 0; k + 1 < bins.length; k++) if (v >= bins[k] && v < bins[k + 1]) return labels[k];
        return null;
      },
    };
  }
  const source = a.expr!;
  let parsed: Expr;
  let compiled: ReturnType<typeof compileExpression>;
  try {
    parsed = parseExpression(source);
    compiled = compileExpression(source, { columns: opts.columnIndex });
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    throw err([...path, 'expr'], 'coverage.bad_expr', `axis "${a.name}": ${m}`, 'fix the expression');
  }
  const levels = a.values ? a.values.map(String) : ternaryLeaves(parsed);
  if (!levels.length) {
    throw err(
      [...path, 'values'],
      'coverage.expr_levels',
      `axis "${a.name}": cannot tell which labels the expression produces`,
      'list them with values: [...]',
    );
  }
  return {
    name: a.name,
    kind: 'expr',
    levels,
    expr: source,
    refs: collectRefs(parsed),
    label: (row) => valueLabel(compiled.evaluate(row as Value[]) as Value),
  };
}

export function cellKey(axes: readonly PlanAxis[], level: readonly number[]): string {
  return axes.map((a, k) => `${a.name}=${a.levels[level[k]]}`).join('|');
}

/** Tabular plan error codes (stable) for the shared plan machinery's problems. */
const CODES: Record<PlanErrorKind, ErrorCode> = {
  constraint: 'coverage.bad_forbid',
  unknown_axis: 'coverage.unknown_axis',
  too_many_cells: 'coverage.too_many_cells',
};

/** Compile a table's coverage plan against its columns. */
export function compilePlan(
  plan: CoveragePlan,
  columns: Record<string, Column>,
  opts: PlanOptions,
): CompiledPlan {
  const err = opts.error ?? pathError;
  const base = ['coverage', opts.table];
  const fail: PlanErrors = (kind, path, message, hint) => err([...base, ...path], CODES[kind], message, hint);
  const axes = axisList<CoverageAxis>(plan.axes, (a) => a).map((a, i) =>
    compileAxis(a, i, columns, opts, base),
  );
  const seen = new Set<string>();
  axes.forEach((a, i) => {
    if (seen.has(a.name))
      throw err(
        [...base, 'axes', i],
        'coverage.duplicate_axis',
        `two axes are named "${a.name}"`,
        'rename one',
      );
    seen.add(a.name);
  });
  const target = parseTarget(plan.target, (m) =>
    err(
      [...base, 'target'],
      'coverage.bad_target',
      m,
      'use uniform, model or floor(p) with p in [0, 1], e.g. floor(0.01)',
    ),
  );
  const names = axes.map((a) => a.name);
  // forbid and require entries; a cell is removed by the first that rejects it.
  const forbids = compileConstraints(plan.forbid, plan.require, names, fail);
  checkCellQuotas(plan.cells, names, fail);
  const sizes = axes.map((a) => a.levels.length);
  const labelsOf = (level: ArrayLike<number>) =>
    axes.map((a, k) => (level[k] >= 0 ? a.levels[level[k]] : null));
  const forbiddenBy = (level: ArrayLike<number>) => removedBy(forbids, labelsOf(level));
  const set = buildCellSet(sizes, {
    strategy: plan.strategy,
    maxCells: plan.max_cells ?? MAX_CELLS,
    removedBy: forbiddenBy,
    fail,
  });
  const toCell = (r: Int32Array): PlanCell => {
    const level = [...r];
    const labels: Record<string, string> = nameMap();
    axes.forEach((a, k) => {
      labels[a.name] = a.levels[level[k]];
    });
    return {
      key: cellKey(axes, level),
      labels,
      level,
      min: cellQuota(labels, plan.min_per_cell ?? 0, plan.cells),
    };
  };
  const cells = set.rows.map(toCell);
  const forbidden = set.removed.map((r) => ({ ...toCell(r.level), by: r.by }));
  // Cells by mixed-radix code of their levels: one Map lookup per axis and one per row.
  const codeOf = (level: readonly number[]) => level.reduce((m, l, k) => m * sizes[k] + l, 0);
  const byCode = new Map(cells.map((c) => [codeOf(c.level), c] as [number, PlanCell]));
  const levelIndex = axes.map((a) => new Map(a.levels.map((l, i) => [l, i] as [string, number])));
  // forbid: verdicts by level code (rows with an unknown level are judged on the axes they have).
  const verdicts = new Map<number, string | null>();
  const level = new Int32Array(axes.length);
  return {
    table: opts.table,
    axes,
    strategy: set.strategy,
    cells,
    forbidden,
    target,
    cellOf(row) {
      let code = 0;
      for (let k = 0; k < axes.length; k++) {
        const l = axes[k].label(row);
        const i = l === null ? undefined : levelIndex[k].get(l);
        if (i === undefined) return undefined;
        code = code * sizes[k] + i;
      }
      return byCode.get(code);
    },
    forbiddenBy(row) {
      if (!forbids.length) return undefined;
      let code = 0;
      let known = true;
      for (let k = 0; k < axes.length; k++) {
        const l = axes[k].label(row);
        const i = l === null ? undefined : levelIndex[k].get(l);
        level[k] = i ?? -1;
        if (i === undefined) known = false;
        else code = code * sizes[k] + i;
      }
      if (!known) return forbiddenBy(level);
      let v = verdicts.get(code);
      if (v === undefined) {
        v = forbiddenBy(level) ?? null;
        verdicts.set(code, v);
      }
      return v ?? undefined;
    },
  };
}

/** Final quota per cell for a run of `rows` rows, given each cell's model probability. */
export function cellQuotas(plan: CompiledPlan, rows: number, prob: readonly number[]): number[] {
  return plan.cells.map((c, i) => {
    const t = plan.target;
    if (t.kind === 'model') return Math.max(c.min, Math.round(rows * prob[i]));
    if (t.kind === 'floor') return Math.max(c.min, Math.ceil(t.p * rows));
    return c.min;
  });
}

/**
 * Raise quotas of cells that real data under-represents: a cell whose real share is below its
 * model share P(cell) gets at least ⌈rows · (P(cell) − real share)⌉ more than its quota would give
 * by natural draws — i.e. quota = max(quota, ⌈rows · P(cell)⌉). Cells absent from the real data
 * are raised to at least ⌈rows / (2 · cells)⌉ (half a uniform share).
 */
export function raiseFromReal(
  quotas: readonly number[],
  realShare: readonly number[],
  prob: readonly number[],
  rows: number,
): number[] {
  const k = quotas.length;
  return quotas.map((q, i) => {
    if (realShare[i] === 0) return Math.max(q, Math.ceil(rows / (2 * k)), Math.ceil(rows * prob[i]));
    if (realShare[i] < prob[i]) return Math.max(q, Math.ceil(rows * prob[i]));
    return q;
  });
}
