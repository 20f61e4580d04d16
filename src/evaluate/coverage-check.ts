/**
 * Delivered vs required rows per cell of the spec's coverage plan, with cells from the plan compiler
 * (src/coverage/plan.ts), so evaluation checks exactly the cells generation filled.
 */
import { compilePlan } from '../coverage/plan.js';
import { isStrataError } from '../errors.js';
import type { Value } from '../expr/index.js';
import type { RawTable } from '../io/index.js';
import { nameMap } from '../names.js';
import { axisList, type Column, type CoverageAxis, type CoveragePlan } from '../spec/index.js';
import { defineSection, notRequested, type Outcome, ok, type SectionContext, skip } from './section.js';
import type { CoverageCell, CoverageSection } from './types.js';

function labelOf(v: Value): string | null {
  if (v === null) return null;
  return typeof v === 'string' ? v : String(v);
}

const MAX_CELLS = 20_000;

export function checkCoverage(
  table: string,
  plan: CoveragePlan,
  raw: RawTable,
  values: Value[][],
  columns: Record<string, Column>,
): Outcome<CoverageSection> {
  // Cells come from the coverage plan compiler (product or t-wise covering array, bins, expr axes,
  // forbid, per-cell quotas and target), so evaluation checks exactly the cells generation filled.
  const columnIndex = new Map(raw.columns.map((n, i) => [n, i] as [string, number]));
  for (const a of axisList<CoverageAxis>(plan.axes, (a) => a)) {
    const name = typeof a === 'string' ? a : a.expr ? undefined : (a.column ?? a.name);
    if (name !== undefined && !columnIndex.has(name))
      return skip(`coverage axis names column "${name}", which the synthetic data does not have`);
  }
  const row: Value[] = new Array(raw.columns.length).fill(null);
  const fill = (i: number) => {
    for (let c = 0; c < row.length; c++) row[c] = values[c][i];
  };
  const observed = (column: string): string[] => {
    const c = columnIndex.get(column)!;
    const set = new Set<string>();
    for (let i = 0; i < raw.rowCount; i++) {
      const l = labelOf(values[c][i]);
      if (l !== null) set.add(l);
    }
    return [...set].sort();
  };
  // Columns the synthetic data has but the spec does not declare are typed by their values.
  const cols: Record<string, Column> = Object.assign(nameMap<Column>(), columns);
  for (const n of raw.columns) cols[n] ??= { type: 'string' };
  let compiled: ReturnType<typeof compilePlan>;
  try {
    compiled = compilePlan(plan, cols, { table, columnIndex, observedLevels: observed });
  } catch (e) {
    // A plan the compiler refuses is bad input with a message of its own (a StrataError); any other
    // exception is a bug and propagates.
    if (isStrataError(e)) return skip(`the coverage plan cannot be checked: ${e.message}`);
    throw e;
  }
  const { axes } = compiled;
  if (compiled.strategy === 'product') {
    let total = 1;
    for (const a of axes) total *= Math.max(1, a.levels.length);
    if (total > MAX_CELLS)
      return skip(`the coverage plan has ${total} cells (more than ${MAX_CELLS}); narrow the axes`);
  }
  const levelSets = axes.map((a) => new Set(a.levels));
  const counts = new Map<string, number>();
  let outside = 0;
  for (let i = 0; i < raw.rowCount; i++) {
    fill(i);
    const labs = axes.map((a) => a.label(row));
    if (labs.some((l, k) => l === null || !levelSets[k].has(l))) {
      outside++;
      continue;
    }
    const key = axes.map((a, k) => `${a.name}=${labs[k]}`).join('|');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const n = raw.rowCount;
  const quota = (min: number) =>
    compiled.target.kind === 'floor' ? Math.max(min, Math.ceil(compiled.target.p * n)) : min;
  const cells: CoverageCell[] = [];
  for (const c of compiled.cells) {
    const delivered = counts.get(c.key) ?? 0;
    const required = quota(c.min);
    cells.push({ labels: c.labels, required, delivered, forbidden: false, met: delivered >= required });
  }
  for (const c of compiled.forbidden) {
    const delivered = counts.get(c.key) ?? 0;
    cells.push({ labels: c.labels, required: 0, delivered, forbidden: true, met: delivered === 0 });
  }
  let ess: number | null = null;
  const wi = raw.columns.indexOf('_weight');
  if (wi >= 0) {
    let s = 0;
    let s2 = 0;
    for (const v of raw.data[wi]) {
      const w = Number(v);
      if (Number.isFinite(w)) {
        s += w;
        s2 += w * w;
      }
    }
    ess = s2 > 0 ? (s * s) / s2 : null;
  }
  return ok({
    table,
    axes: axes.map((a) => a.name),
    cells,
    cells_required: cells.filter((c) => !c.forbidden && c.required > 0).length,
    cells_met: cells.filter((c) => !c.forbidden && c.required > 0 && c.met).length,
    empty_cells: cells.filter((c) => !c.forbidden && c.delivered === 0).length,
    rows_outside_cells: outside,
    effective_sample_size: ess,
  });
}

export const coverageSection = defineSection({
  name: 'coverage',
  order: 90,
  title: 'coverage: rows per cell of the plan',
  empty: null as CoverageSection | null,
  summary: {},
  run(ctx: SectionContext) {
    const spec = ctx.spec;
    if (!spec) return notRequested('needs --spec with a coverage plan');
    if (!spec.plan) return notRequested(`the spec declares no coverage plan for table "${spec.name}"`);
    return checkCoverage(spec.name, spec.plan, ctx.raw.synthetic, spec.values(), spec.columns);
  },
  output: (c) => c,
});
