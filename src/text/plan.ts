/**
 * Text plans: axes × values, persona expansion, forbidden combinations, per-cell quotas, t-wise
 * cover when the full product is too large, and quotas raised for cells the real log
 * under-represents. Pure: the caller reads files (see plan-load.ts).
 */

import { coveringArray } from '../coverage/covering.js';
import { StrataError } from '../errors.js';
import { compileExpression, referencedNames } from '../expr/index.js';
import { shuffleInPlace } from '../random/shuffle.js';
import { streamFor } from '../random/stream.js';
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

type Partial = (string | null)[];
type Forbid = (row: Partial) => boolean;

/** Persona axis values from seeds × attribute combinations, optionally a seeded sample. */
export function expandPersonas(p: NonNullable<PlanSpec['personas']>, seed: number): string[] {
  const attrs = Object.entries(p.attributes);
  let combos: string[] = [''];
  for (const [name, values] of attrs) {
    const next: string[] = [];
    for (const c of combos) for (const v of values) next.push(c ? `${c}, ${name}: ${v}` : `${name}: ${v}`);
    combos = next;
  }
  const seeds = p.seeds.length ? p.seeds : [''];
  let out: string[] = [];
  for (const s of seeds) for (const c of combos) out.push(s && c ? `${s} (${c})` : s || c);
  out = out.filter((x) => x.length > 0);
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

function compileForbids(spec: PlanSpec, axisNames: string[]): Forbid[] {
  const index = new Map(axisNames.map((n, i) => [n, i]));
  return spec.forbid.map((f, i): Forbid => {
    const path = `forbid[${i}]`;
    if (typeof f === 'string') {
      const refs = referencedNames(f);
      for (const r of refs)
        if (!index.has(r))
          throw new StrataError(
            'text.plan_forbid',
            `unknown axis "${r}" in forbid expression`,
            { path },
            `axes are: ${axisNames.join(', ')}`,
          );
      let compiled: ReturnType<typeof compileExpression>;
      try {
        compiled = compileExpression(f, { columns: index });
      } catch (e) {
        if (e instanceof StrataError) throw new StrataError(e.code, e.message, { path }, e.hint);
        throw e;
      }
      const refIdx = refs.map((r) => index.get(r)!);
      return (row) => {
        for (const k of refIdx) if (row[k] === null) return false;
        const v = compiled.evaluate(row);
        return v === true || (typeof v === 'number' && v !== 0);
      };
    }
    const pairs = Object.entries(f).map(([k, v]) => {
      const a = index.get(k);
      if (a === undefined)
        throw new StrataError(
          'text.plan_forbid',
          `unknown axis "${k}" in forbid`,
          { path: `${path}.${k}` },
          `axes are: ${axisNames.join(', ')}`,
        );
      return [a, v] as const;
    });
    return (row) => pairs.every(([a, v]) => row[a] === v);
  });
}

/** Build the cell table. `realLabels` are the label values of the real log (one per row). */
export function buildPlan(spec: PlanSpec, realLabels?: readonly string[]): Plan {
  const axes = Object.entries(spec.axes).map(([name, values]) => ({ name, values: [...new Set(values)] }));
  if (spec.personas) {
    const values = expandPersonas(spec.personas, spec.seed);
    if (values.length === 0)
      throw new StrataError(
        'text.plan_personas',
        'persona expansion produced no personas',
        { path: 'personas' },
        'give seeds: or attributes:',
      );
    if (axes.some((a) => a.name === spec.personas!.axis))
      throw new StrataError(
        'text.plan_personas',
        `axis "${spec.personas.axis}" is defined twice`,
        { path: 'personas.axis' },
        'remove it from axes: or rename the persona axis',
      );
    axes.push({ name: spec.personas.axis, values });
  }
  if (axes.length === 0)
    throw new StrataError('text.plan_axes', 'a plan needs at least one axis', { path: 'axes' });
  const names = axes.map((a) => a.name);
  const sizes = axes.map((a) => a.values.length);
  const forbids = compileForbids(spec, names);
  const row: Partial = new Array(names.length).fill(null);
  const allowed = (p: Int32Array): boolean => {
    for (let a = 0; a < p.length; a++) row[a] = p[a] < 0 ? null : axes[a].values[p[a]];
    for (const f of forbids) if (f(row)) return false;
    return true;
  };
  const product = sizes.reduce((m, s) => m * s, 1);
  const useCover = spec.cover !== undefined || product > spec.max_cells;
  let rows: Int32Array[] = [];
  let forbidden = 0;
  let plan: Pick<Plan, 'mode' | 'strength' | 'tuples' | 'infeasible_tuples'>;
  if (useCover) {
    const strength = spec.cover?.strength ?? 2;
    const res = coveringArray(sizes, strength, allowed);
    rows = res.rows;
    plan = { mode: 't-wise', strength, tuples: res.tuples, infeasible_tuples: res.infeasible };
  } else {
    const p = new Int32Array(names.length);
    for (let code = 0; code < product; code++) {
      let c = code;
      for (let a = names.length - 1; a >= 0; a--) {
        p[a] = c % sizes[a];
        c = Math.floor(c / sizes[a]);
      }
      if (allowed(p)) rows.push(Int32Array.from(p));
      else forbidden++;
    }
    plan = { mode: 'full' };
  }
  let cells: PlannedCell[] = rows.map((r) => {
    const cell: Record<string, string> = {};
    names.forEach((n, a) => {
      cell[n] = axes[a].values[r[a]];
    });
    return { key: cellKey(cell, names), cell, quota: spec.quota };
  });
  for (const [qi, q] of spec.quotas.entries()) {
    for (const k of Object.keys(q.when))
      if (!names.includes(k))
        throw new StrataError(
          'text.plan_quota',
          `unknown axis "${k}"`,
          { path: `quotas[${qi}].when.${k}` },
          `axes are: ${names.join(', ')}`,
        );
    for (const c of cells) if (Object.entries(q.when).every(([k, v]) => c.cell[k] === v)) c.quota = q.n;
  }
  if (spec.real && realLabels) cells = applyRealFrequencies(cells, spec.real, realLabels, names);
  return {
    name: spec.name,
    seed: spec.seed,
    axes,
    cells,
    ...plan,
    product,
    forbidden,
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
