/**
 * Checks against a spec: rule violations per rule (with example rows) and delivered vs required
 * counts per declared coverage cell. Rows are read from the raw synthetic table and converted to
 * expression values by the spec's column types (number/integer → number, boolean → boolean,
 * datetime/date → epoch ms, everything else → string; missing → null).
 * A rule is "not evaluable" on a row where a column it references is missing or where its result is
 * null (expression comparisons with null are false, which would otherwise read as a violation);
 * such rows are counted separately, not as violations.
 */

import { compilePlan } from '../coverage/plan.js';
import { compileExpression, truthy, type Value } from '../expr/index.js';
import type { RawTable } from '../io/index.js';
import { axisList, type Column, type CoverageAxis, type CoveragePlan, type Spec } from '../spec/index.js';
import { meanMetric } from './bootstrap.js';
import type { CoverageCell, CoverageSection, RuleReport } from './types.js';

type Converter = (s: string | null) => Value;

function converterFor(col: Column | undefined): Converter {
  const t = col?.type;
  if (t === 'integer' || t === 'number') {
    return (s) => {
      if (s === null) return null;
      const v = Number(s);
      return s.trim() !== '' && Number.isFinite(v) ? v : null;
    };
  }
  if (t === 'boolean') {
    return (s) => {
      if (s === null) return null;
      const l = s.trim().toLowerCase();
      if (l === 'true' || l === '1' || l === 'yes') return true;
      if (l === 'false' || l === '0' || l === 'no') return false;
      return null;
    };
  }
  if (t === 'datetime' || t === 'date') {
    return (s) => {
      if (s === null) return null;
      const n = Number(s);
      if (s.trim() !== '' && Number.isFinite(n)) return n;
      const d = Date.parse(s);
      return Number.isFinite(d) ? d : null;
    };
  }
  if (t === undefined) {
    // not declared in the spec: numbers when they parse, strings otherwise
    return (s) => {
      if (s === null) return null;
      const v = Number(s);
      return s.trim() !== '' && Number.isFinite(v) ? v : s;
    };
  }
  return (s) => s;
}

/** Column-major expression values for every column of the raw table. */
export function specValues(raw: RawTable, columns: Record<string, Column>): Value[][] {
  return raw.columns.map((name, c) => {
    const conv = converterFor(columns[name]);
    return raw.data[c].map(conv);
  });
}

export function pickTable(spec: Spec, table: string | undefined, rawName: string): string {
  const names = Object.keys(spec.tables);
  if (table) {
    if (!spec.tables[table])
      throw new Error(`table "${table}" is not in the spec (tables: ${names.join(', ')})`);
    return table;
  }
  if (names.length === 1) return names[0];
  if (spec.tables[rawName]) return rawName;
  throw new Error(`the spec has several tables (${names.join(', ')}); choose one with --table`);
}

export function checkRules(
  raw: RawTable,
  values: Value[][],
  rules: readonly { name: string; check: string }[],
  opts: { seed: number; reps: number; level: number },
): { rules: RuleReport[]; anyViolation: Float64Array } {
  const columns = new Map(raw.columns.map((c, i) => [c, i] as [string, number]));
  const n = raw.rowCount;
  const anyViolation = new Float64Array(n);
  const row: Value[] = new Array(raw.columns.length).fill(null);
  const reports = rules.map((rule): RuleReport => {
    let compiled: ReturnType<typeof compileExpression>;
    try {
      compiled = compileExpression(rule.check, { columns });
    } catch (e) {
      return {
        name: rule.name,
        check: rule.check,
        violations: 0,
        not_evaluable: n,
        rate: { value: null, reason: `rule cannot be compiled: ${(e as Error).message}` },
        examples: [],
        error: (e as Error).message,
      };
    }
    const viol = new Float64Array(n);
    let violations = 0;
    let notEval = 0;
    const examples: RuleReport['examples'] = [];
    const refIdx = compiled.refs.map((name) => columns.get(name) ?? -1).filter((c) => c >= 0);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < row.length; c++) row[c] = values[c][i];
      const v = refIdx.some((c) => row[c] === null) ? null : compiled.evaluate(row);
      if (v === null) {
        notEval++;
        continue;
      }
      if (!truthy(v)) {
        violations++;
        viol[i] = 1;
        anyViolation[i] = 1;
        if (examples.length < 5) {
          const rec: Record<string, string | null> = {};
          for (const name of compiled.refs) rec[name] = raw.data[columns.get(name) ?? 0][i];
          examples.push({ row: i + 1, values: rec });
        }
      }
    }
    return {
      name: rule.name,
      check: rule.check,
      violations,
      not_evaluable: notEval,
      rate: meanMetric(viol, opts.seed, `rule:${rule.name}`, opts.reps, opts.level, 'no synthetic rows'),
      examples,
    };
  });
  return { rules: reports, anyViolation };
}

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
): CoverageSection {
  // Cells come from the coverage plan compiler (product or t-wise covering array, bins, expr axes,
  // forbid, per-cell quotas and target), so evaluation checks exactly the cells generation filled.
  const columnIndex = new Map(raw.columns.map((n, i) => [n, i] as [string, number]));
  for (const a of axisList<CoverageAxis>(plan.axes, (a) => a)) {
    const name = typeof a === 'string' ? a : a.expr ? undefined : (a.column ?? a.name);
    if (name !== undefined && !columnIndex.has(name))
      throw new Error(`coverage axis names column "${name}", which the synthetic data does not have`);
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
  const cols: Record<string, Column> = { ...columns };
  for (const n of raw.columns) cols[n] ??= { type: 'string' };
  const compiled = compilePlan(plan, cols, { table, columnIndex, observedLevels: observed });
  const { axes } = compiled;
  if (compiled.strategy === 'product') {
    let total = 1;
    for (const a of axes) total *= Math.max(1, a.levels.length);
    if (total > MAX_CELLS)
      throw new Error(`the coverage plan has ${total} cells (more than ${MAX_CELLS}); narrow the axes`);
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
  return {
    table,
    axes: axes.map((a) => a.name),
    cells,
    cells_required: cells.filter((c) => !c.forbidden && c.required > 0).length,
    cells_met: cells.filter((c) => !c.forbidden && c.required > 0 && c.met).length,
    empty_cells: cells.filter((c) => !c.forbidden && c.delivered === 0).length,
    rows_outside_cells: outside,
    effective_sample_size: ess,
  };
}
