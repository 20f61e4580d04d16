/**
 * Checks against a spec: rule violations per rule (with example rows) and delivered vs required
 * counts per declared coverage cell. Rows are read from the raw synthetic table and converted to
 * expression values by the spec's column types (number/integer → number, boolean → boolean,
 * datetime/date → epoch ms, everything else → string; missing → null).
 * A rule is "not evaluable" on a row where a column it references is missing or where its result is
 * null (expression comparisons with null are false, which would otherwise read as a violation);
 * such rows are counted separately, not as violations.
 */
import { compileExpression, truthy, type Value } from '../expr/index.js';
import type { RawTable } from '../io/index.js';
import type { Column, CoverageAxis, CoveragePlan, Spec } from '../spec/index.js';
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

interface Axis {
  name: string;
  domain: string[];
  label(i: number): string | null;
}

function labelOf(v: Value): string | null {
  if (v === null) return null;
  return typeof v === 'string' ? v : String(v);
}

function buildAxis(a: CoverageAxis, raw: RawTable, values: Value[][], columns: Record<string, Column>): Axis {
  const colIdx = (name: string) => {
    const i = raw.columns.indexOf(name);
    if (i < 0)
      throw new Error(`coverage axis names column "${name}", which the synthetic data does not have`);
    return i;
  };
  const observed = (f: (i: number) => string | null) => {
    const s = new Set<string>();
    for (let i = 0; i < raw.rowCount; i++) {
      const l = f(i);
      if (l !== null) s.add(l);
    }
    return [...s].sort();
  };
  const declared = (name: string): string[] | undefined => {
    const col = columns[name];
    if (!col) return undefined;
    if (col.type === 'boolean') return ['true', 'false'];
    if (col.values) return Array.isArray(col.values) ? col.values.map(String) : Object.keys(col.values);
    return undefined;
  };
  if (typeof a === 'string') {
    const c = colIdx(a);
    const label = (i: number) => labelOf(values[c][i]);
    return { name: a, domain: declared(a) ?? observed(label), label };
  }
  if (a.expr) {
    const map = new Map(raw.columns.map((n, i) => [n, i] as [string, number]));
    const compiled = compileExpression(a.expr, { columns: map });
    const row: Value[] = new Array(raw.columns.length).fill(null);
    const cache: (string | null)[] = new Array(raw.rowCount);
    for (let i = 0; i < raw.rowCount; i++) {
      for (let c = 0; c < row.length; c++) row[c] = values[c][i];
      cache[i] = labelOf(compiled.evaluate(row));
    }
    const label = (i: number) => cache[i];
    return { name: a.name, domain: a.values ? a.values.map(String) : observed(label), label };
  }
  const colName = a.column ?? a.name;
  const c = colIdx(colName);
  if (a.bins && a.bins.length >= 2) {
    const bins = a.bins;
    const names = a.labels ?? bins.slice(0, -1).map((b, k) => `[${b},${bins[k + 1]})`);
    const label = (i: number) => {
      const v = values[c][i];
      if (typeof v !== 'number') return null;
      for (let k = 0; k < bins.length - 1; k++) if (v >= bins[k] && v < bins[k + 1]) return names[k];
      return null;
    };
    return { name: a.name, domain: names, label };
  }
  const label = (i: number) => labelOf(values[c][i]);
  return {
    name: a.name,
    domain: a.values ? a.values.map(String) : (declared(colName) ?? observed(label)),
    label,
  };
}

const MAX_CELLS = 20_000;

export function checkCoverage(
  table: string,
  plan: CoveragePlan,
  raw: RawTable,
  values: Value[][],
  columns: Record<string, Column>,
): CoverageSection {
  const axes = plan.axes.map((a) => buildAxis(a, raw, values, columns));
  let total = 1;
  for (const a of axes) total *= Math.max(1, a.domain.length);
  if (total > MAX_CELLS)
    throw new Error(`the coverage plan has ${total} cells (more than ${MAX_CELLS}); narrow the axes`);
  const axisIndex = new Map(axes.map((a, i) => [a.name, i] as [string, number]));
  const forbids = (plan.forbid ?? []).map((f) => compileExpression(f, { columns: axisIndex }));
  const counts = new Map<string, number>();
  let outside = 0;
  for (let i = 0; i < raw.rowCount; i++) {
    const labels = axes.map((a) => a.label(i));
    if (labels.some((l, k) => l === null || !axes[k].domain.includes(l))) {
      outside++;
      continue;
    }
    const key = labels.join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const cells: CoverageCell[] = [];
  const idx = new Array<number>(axes.length).fill(0);
  const minPer = plan.min_per_cell ?? 0;
  for (let t = 0; t < total; t++) {
    const labs = axes.map((a, k) => a.domain[idx[k]]);
    const labels: Record<string, string> = {};
    axes.forEach((a, k) => {
      labels[a.name] = labs[k];
    });
    const forbidden = forbids.some((f) => truthy(f.evaluate(labs)));
    let required = forbidden ? 0 : minPer;
    for (const c of plan.cells ?? []) {
      if (Object.entries(c.when).every(([k, v]) => labels[k] === String(v))) required = forbidden ? 0 : c.min;
    }
    const delivered = counts.get(labs.join('\u0001')) ?? 0;
    cells.push({
      labels,
      required,
      delivered,
      forbidden,
      met: forbidden ? delivered === 0 : delivered >= required,
    });
    for (let k = axes.length - 1; k >= 0; k--) {
      idx[k]++;
      if (idx[k] < axes[k].domain.length) break;
      idx[k] = 0;
    }
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
