/**
 * Text plans: axes × values, persona expansion, forbidden combinations, per-cell quotas, t-wise
 * cover when the full product is too large, and quotas raised for cells the real log
 * under-represents. Cells, constraints and quotas come from the plan vocabulary shared with tabular
 * plans (coverage/cells.ts); personas and the real log are text's own. Pure: the caller reads files
 * (see plan-load.ts).
 */

import {
  buildCellSet,
  cellQuota,
  checkCellQuotas,
  compileConstraints,
  type PlanErrorKind,
  type PlanErrors,
  removedBy,
} from '../coverage/cells.js';
import { type ErrorCode, StrataError } from '../errors.js';
import { shuffleInPlace } from '../random/shuffle.js';
import { streamFor } from '../random/stream.js';
import { dottedPath } from '../spec/path.js';
import { strengthOf } from '../spec/plan-vocabulary.js';
import type { PlanSpec } from './plan-schema.js';
import { type Cell, cellKey } from './types.js';

export interface PlannedCell {
  key: string;
  cell: Cell;
  quota: number;
  /** Real rows whose label equals this cell's value on the `real.axis` (when a real log is given). */
  real_count?: number;
}

export interface Plan {
  name: string;
  seed: number;
  axes: { name: string; values: string[] }[];
  cells: PlannedCell[];
  mode: 'full' | 't-wise';
  strength?: number;
  /** Size of the full product and how many of its combinations are forbidden (full mode). */
  product: number;
  forbidden: number;
  /** t-wise mode: tuples covered and tuples no valid row can contain. */
  tuples?: number;
  infeasible_tuples?: number;
  total_quota: number;
}

/** Largest number of personas a plan may expand to (after `count`); above it the plan is refused. */
export const MAX_PERSONAS = 10_000;

/** How many personas `seeds × attributes` makes, counted without expanding them. */
export function personaCount(p: NonNullable<PlanSpec['personas']>): number {
  return Math.max(1, p.seeds.length) * Object.values(p.attributes).reduce((m, v) => m * v.length, 1);
}

/** The persona at mixed-radix position `i` of seeds × attributes (the order `expandPersonas` lists). */
function personaAt(p: NonNullable<PlanSpec['personas']>, i: number): string {
  const attrs = Object.entries(p.attributes);
  const parts: string[] = [];
  let rem = i;
  for (let a = attrs.length - 1; a >= 0; a--) {
    const [name, values] = attrs[a];
    parts.unshift(`${name}: ${values[rem % values.length]}`);
    rem = Math.floor(rem / values.length);
  }
  const s = p.seeds.length ? p.seeds[rem] : '';
  const c = parts.join(', ');
  return s && c ? `${s} (${c})` : s || c;
}

/**
 * Persona axis values from seeds × attribute combinations, optionally a seeded sample of `count`.
 * The combinations are counted first: more than MAX_PERSONAS kept is refused with the count, and a
 * `count` sample of a larger space is drawn without listing the space.
 */
export function expandPersonas(p: NonNullable<PlanSpec['personas']>, seed: number): string[] {
  const total = personaCount(p);
  const keep = Math.min(total, p.count ?? total);
  if (keep > MAX_PERSONAS || !Number.isSafeInteger(total)) {
    const sizes = Object.entries(p.attributes).map(([k, v]) => `${v.length} ${k}`);
    throw new StrataError(
      'text.plan_personas',
      `persona expansion makes ${Number.isSafeInteger(total) ? total : 'more than 2^53'} personas (${Math.max(1, p.seeds.length)} seeds × ${sizes.join(' × ') || '1'}), more than ${MAX_PERSONAS}`,
      { path: p.count === undefined ? 'personas.attributes' : 'personas.count' },
      `set personas.count to at most ${MAX_PERSONAS} to keep a seeded sample, or give fewer attribute values`,
    );
  }
  if (total > MAX_PERSONAS) {
    // Floyd's sampling of `keep` distinct positions out of `total`, then listed in order.
    const st = streamFor(seed, 'personas', 'sample');
    const chosen = new Set<number>();
    for (let j = total - keep; j < total; j++) {
      const t = st.nextInt(j + 1);
      chosen.add(chosen.has(t) ? j : t);
    }
    return [...chosen].sort((a, b) => a - b).map((i) => personaAt(p, i));
  }
  let out = Array.from({ length: total }, (_, i) => personaAt(p, i)).filter((x) => x.length > 0);
  if (p.count !== undefined && p.count < out.length) {
    const idx = out.map((_, i) => i);
    shuffleInPlace(idx, streamFor(seed, 'personas'));
    out = idx
      .slice(0, p.count)
      .sort((a, b) => a - b)
      .map((i) => out[i]);
  }
  return out;
}

/** Text plan error codes (stable) for the shared plan machinery's problems. */
const CODES: Record<PlanErrorKind, ErrorCode> = {
  constraint: 'text.plan_forbid',
  unknown_axis: 'text.plan_quota',
  too_many_cells: 'text.plan_too_many_cells',
};

const fail: PlanErrors = (kind, path, message, hint) =>
  new StrataError(CODES[kind], message, { path: dottedPath(path) }, hint);

/** Build the cell table. `realLabels` are the label values of the real log (one per row). */
export function buildPlan(spec: PlanSpec, realLabels?: readonly string[]): Plan {
  const axes = Object.entries(spec.axes).map(([name, values]) => ({ name, values: [...new Set(values)] }));
  if (spec.personas) {
    if (axes.some((a) => a.name === spec.personas!.axis))
      throw new StrataError(
        'text.plan_personas',
        `axis "${spec.personas.axis}" is defined twice`,
        { path: 'personas.axis' },
        'remove it from axes: or rename the persona axis',
      );
    const values = expandPersonas(spec.personas, spec.seed);
    if (values.length === 0)
      throw new StrataError(
        'text.plan_personas',
        'persona expansion produced no personas',
        { path: 'personas' },
        'give seeds: or attributes:',
      );
    axes.push({ name: spec.personas.axis, values });
  }
  if (axes.length === 0)
    throw new StrataError('text.plan_axes', 'a plan needs at least one axis', { path: 'axes' });
  const names = axes.map((a) => a.name);
  const constraints = compileConstraints(spec.forbid, spec.require, names, fail);
  checkCellQuotas(spec.cells, names, fail);
  const labelsOf = (level: ArrayLike<number>) =>
    axes.map((a, k) => (level[k] >= 0 ? a.values[level[k]] : null));
  const set = buildCellSet(
    axes.map((a) => a.values.length),
    {
      strategy: spec.strategy,
      maxCells: spec.max_cells,
      removedBy: (level) => removedBy(constraints, labelsOf(level)),
      fail,
    },
  );
  let cells: PlannedCell[] = set.rows.map((r) => {
    const cell: Record<string, string> = {};
    names.forEach((n, a) => {
      cell[n] = axes[a].values[r[a]];
    });
    return { key: cellKey(cell, names), cell, quota: cellQuota(cell, spec.min_per_cell, spec.cells) };
  });
  if (spec.real && realLabels) cells = applyRealFrequencies(cells, spec.real, realLabels, names);
  const strength = strengthOf(set.strategy);
  return {
    name: spec.name,
    seed: spec.seed,
    axes,
    cells,
    ...(strength === null
      ? { mode: 'full' as const }
      : { mode: 't-wise' as const, strength, tuples: set.tuples, infeasible_tuples: set.infeasible }),
    product: set.product,
    forbidden: set.removed.length,
    total_quota: cells.reduce((s, c) => s + c.quota, 0),
  };
}

/**
 * Raise quotas where the real log is thin: for each value v of the real axis, the deficit
 * target − count(v) is spread over the cells with that value (capped by max_quota); a cell never
 * gets less than its plan quota.
 */
function applyRealFrequencies(
  cells: PlannedCell[],
  real: NonNullable<PlanSpec['real']>,
  labels: readonly string[],
  names: string[],
): PlannedCell[] {
  if (!names.includes(real.axis))
    throw new StrataError(
      'text.plan_real',
      `real.axis "${real.axis}" is not an axis`,
      { path: 'real.axis' },
      `axes are: ${names.join(', ')}`,
    );
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const target = real.target ?? Math.max(0, ...counts.values());
  const cellsPer = new Map<string, number>();
  for (const c of cells) cellsPer.set(c.cell[real.axis], (cellsPer.get(c.cell[real.axis]) ?? 0) + 1);
  return cells.map((c) => {
    const v = c.cell[real.axis];
    const n = counts.get(v) ?? 0;
    let extra = Math.ceil(Math.max(0, target - n) / cellsPer.get(v)!);
    if (real.max_quota !== undefined) extra = Math.min(extra, real.max_quota);
    return { ...c, quota: Math.max(c.quota, extra), real_count: n };
  });
}

/** The cell table as aligned text (what `strata text plan` prints). */
export function formatPlan(plan: Plan): string {
  const names = plan.axes.map((a) => a.name);
  const hasReal = plan.cells.some((c) => c.real_count !== undefined);
  const header = [...names, ...(hasReal ? ['real'] : []), 'quota'];
  const body = plan.cells.map((c) => [
    ...names.map((n) => c.cell[n]),
    ...(hasReal ? [String(c.real_count ?? 0)] : []),
    String(c.quota),
  ]);
  const widths = header.map((h, i) => Math.min(48, Math.max(h.length, ...body.map((r) => r[i].length))));
  const fmt = (r: string[]) =>
    r.map((v, i) => (v.length > 48 ? `${v.slice(0, 45)}...` : v).padEnd(widths[i])).join('  ');
  const lines = [
    `plan ${plan.name}: ${plan.cells.length} cells (${plan.mode}${plan.strength ? `, strength ${plan.strength}` : ''}), ${plan.total_quota} samples; product ${plan.product}, forbidden ${plan.forbidden}${plan.infeasible_tuples ? `, infeasible tuples ${plan.infeasible_tuples}` : ''}`,
    fmt(header),
    ...body.map(fmt),
  ];
  return `${lines.join('\n')}\n`;
}
