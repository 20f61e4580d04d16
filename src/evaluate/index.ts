/**
 * `evaluate()`: one call that judges synthetic data against real data (and optionally a holdout and
 * a spec) and returns a versioned, documented report (docs/evaluate-json.md). Tables come in already
 * loaded; the CLI (src/cli/evaluate.ts) does the I/O.
 */
import { StrataError } from '../errors.js';
import type { RawTable } from '../io/index.js';
import { alignTables, type RawLike, type TypedTable } from '../ml/index.js';
import { didYouMean, type Spec } from '../spec/index.js';
import { columnRoles } from './columns.js';
import {
  type EvaluationReport,
  SECTION_NAMES,
  type SectionName,
  SUMMARY_KEYS,
  type Summary,
  type SummaryKey,
  sectionFor,
} from './registry.js';
import type { SectionContext, SpecTable } from './section.js';
import { pickTable, specValues } from './spec-checks.js';
import { type TableInput, toRawTable } from './tables.js';
import type { Metric, ReportWarning, Skipped } from './types.js';

export { checkGates, type Gate, type GateFailure, type Gates, parseGates } from './gates.js';
export {
  type EvaluationReport,
  SECTION_NAMES,
  SECTIONS,
  type SectionName,
  type SectionOutputs,
  SUMMARY_FIELDS,
  SUMMARY_KEYS,
  type Summary,
  type SummaryKey,
} from './registry.js';
export type { Outcome, Section, SectionContext } from './section.js';
export type { CellValue, TableInput } from './tables.js';
export type { TextColumnReport, TextSection } from './text-columns.js';
export * from './types.js';

/** Sections to run (all by default); `knnCoverage` is the older spelling of `knn_coverage`. */
export type EvaluateSections = Partial<Record<SectionName, boolean>> & { knnCoverage?: boolean };

/** Progress of one evaluation: each section starts, then ends with its wall time. */
export interface EvaluateProgress {
  section: SectionName | 'prepare';
  /** What the section judges, in words. */
  title: string;
  /** 1-based position among the steps that run, and their count. */
  step: number;
  steps: number;
  phase: 'start' | 'end';
  ms?: number;
}

export interface EvaluateInput {
  /** Tables as read by io.readTable, or typed values such as generateRows() output. */
  real: TableInput;
  synthetic: TableInput;
  holdout?: TableInput;
  spec?: Spec;
  /** Spec table to check rules/coverage against (default: the only table, or the one named like the file). */
  table?: string;
  target?: string;
  sensitive?: string[];
  seed?: number;
  trivariate?: boolean;
  /** Bootstrap replicates (default 100). */
  bootstrapReps?: number;
  sections?: EvaluateSections;
  /** Called after each section with its wall time (for benchmarks). */
  onSection?: (name: string, ms: number) => void;
  /** Called as each step starts and ends (the CLI's progress line). */
  onProgress?: (p: EvaluateProgress) => void;
}

const VERSION = 'strata-evaluate/1';

function project(t: RawTable, columns: string[]): RawLike {
  const idx = columns.map((c) => t.columns.indexOf(c));
  return { columns, rowCount: t.rowCount, data: idx.map((i) => t.data[i]) };
}

function checkColumn(name: string, columns: string[], flag: string): void {
  if (columns.includes(name)) return;
  const dym = didYouMean(name, columns);
  throw new StrataError(
    'evaluate.unknown_column',
    `${flag} names column "${name}", which the real data does not have${dym ? ` — did you mean "${dym}"?` : ''}`,
    { path: flag },
    `columns: ${columns.join(', ')}`,
  );
}

/** Columns shared by real and synthetic (and holdout); provenance columns (leading "_") are left out. */
function sharedColumns(real: RawTable, others: [string, RawTable | undefined][]): string[] {
  const cols = real.columns.filter((c) => !c.startsWith('_'));
  for (const [label, t] of others) {
    if (!t) continue;
    const absent = cols.filter((c) => !t.columns.includes(c));
    if (absent.length) {
      throw new StrataError(
        'evaluate.columns',
        `the ${label} data lacks column${absent.length > 1 ? 's' : ''} ${absent.map((a) => `"${a}"`).join(', ')} that the real data has`,
        { file: t.source },
        `compare tables with the same columns (real: ${real.source})`,
      );
    }
  }
  return cols;
}

function keepColumns(t: TypedTable, keep: ReadonlySet<string>): TypedTable {
  return { rowCount: t.rowCount, columns: t.columns.filter((c) => keep.has(c.name)) };
}

function specTable(spec: Spec, name: string, synthetic: RawTable): SpecTable {
  const tspec = spec.tables[name];
  let values: ReturnType<typeof specValues> | undefined;
  return {
    name,
    columns: tspec.columns,
    rules: tspec.rules ?? [],
    plan: spec.coverage && Object.hasOwn(spec.coverage, name) ? spec.coverage[name] : undefined,
    values: () => {
      values ??= specValues(synthetic, tspec.columns);
      return values;
    },
  };
}

function figure(m: Metric | number | null | undefined): { value: number | null; reason?: string } {
  if (m === null || m === undefined) return { value: null };
  if (typeof m === 'number') return { value: Number.isFinite(m) ? m : null };
  return { value: m.value, reason: m.reason };
}

export async function evaluate(input: EvaluateInput): Promise<EvaluationReport> {
  const seed = input.seed ?? 42;
  const reps = input.bootstrapReps ?? 100;
  const level = 0.95;
  const rawReal = toRawTable(input.real, 'real');
  const rawSyn = toRawTable(input.synthetic, 'synthetic');
  const rawHold = input.holdout ? toRawTable(input.holdout, 'holdout') : undefined;
  const toggles = input.sections ?? {};
  const on = (name: SectionName) =>
    toggles[name] ?? (name === 'knn_coverage' ? toggles.knnCoverage : undefined) ?? true;
  const running = SECTION_NAMES.filter(on);
  const steps = running.length + 1;
  const timings: Record<string, number> = {};
  const skipped: Skipped[] = [];
  const warnings: ReportWarning[] = [];

  const columns = sharedColumns(rawReal, [
    ['synthetic', rawSyn],
    ['holdout', rawHold],
  ]);
  if (input.target) checkColumn(input.target, columns, '--target');
  for (const s of input.sensitive ?? []) checkColumn(s, columns, '--sensitive');
  const specName = input.spec ? pickTable(input.spec, input.table, rawSyn.name) : undefined;

  input.onProgress?.({ section: 'prepare', title: 'reading the tables', step: 1, steps, phase: 'start' });
  const t0 = performance.now();
  const aligned = alignTables(project(rawReal, columns), [
    project(rawSyn, columns),
    ...(rawHold ? [project(rawHold, columns)] : []),
  ]);
  const roles = columnRoles(
    aligned.reference.columns,
    input.spec && specName ? input.spec.tables[specName].columns : undefined,
    new Set([...(input.target ? [input.target] : []), ...(input.sensitive ?? [])]),
  );
  timings.prepare = Math.round(performance.now() - t0);
  input.onSection?.('prepare', timings.prepare);
  input.onProgress?.({
    section: 'prepare',
    title: 'reading the tables',
    step: 1,
    steps,
    phase: 'end',
    ms: timings.prepare,
  });
  const judged = new Set(roles.filter((c) => c.role === 'value').map((c) => c.name));
  for (const c of roles)
    if (c.role !== 'value')
      skipped.push({
        metric: `columns.${c.name}`,
        reason: `${c.role_reason}: left out of fidelity, detection, MMD, privacy, utility and kNN coverage${c.role === 'text' ? ' (judged as text in the text section)' : ''}`,
      });

  const ctx: SectionContext = {
    real: keepColumns(aligned.reference, judged),
    synthetic: keepColumns(aligned.others[0], judged),
    holdout: rawHold ? keepColumns(aligned.others[1], judged) : undefined,
    raw: { real: rawReal, synthetic: rawSyn, holdout: rawHold },
    columns: roles,
    target: input.target,
    sensitive: input.sensitive ?? [],
    trivariate: input.trivariate ?? false,
    spec: input.spec && specName ? specTable(input.spec, specName, rawSyn) : undefined,
    opts: { seed, reps, level },
    shared: {},
  };

  const summary = Object.fromEntries(SUMMARY_KEYS.map((k) => [k, null])) as Summary;
  const reasons = new Map<SummaryKey, string>();
  const outputs: Record<string, unknown> = {};
  for (const name of SECTION_NAMES) {
    const section = sectionFor(name);
    outputs[name] = section.empty;
    const keys = Object.keys(section.summary) as SummaryKey[];
    if (!on(name)) {
      for (const k of keys) reasons.set(k, `${name} section not run`);
      continue;
    }
    const step = running.indexOf(name) + 2;
    input.onProgress?.({ section: name, title: section.title, step, steps, phase: 'start' });
    const s0 = performance.now();
    const outcome = await section.run(ctx);
    const ms = Math.round(performance.now() - s0);
    input.onSection?.(name, ms);
    input.onProgress?.({ section: name, title: section.title, step, steps, phase: 'end', ms });
    if (outcome.status === 'skipped') {
      // a section nothing asked for (no --sensitive, no plan) leaves no trace in the report
      if (!outcome.quiet) {
        timings[name] = ms;
        skipped.push({ metric: name, reason: outcome.reason });
      }
      for (const k of keys) reasons.set(k, outcome.reason);
      continue;
    }
    timings[name] = ms;
    outputs[name] = section.output(outcome.value);
    skipped.push(...(outcome.skipped ?? []));
    warnings.push(...(outcome.warnings ?? []));
    for (const k of keys) {
      const f = figure(section.summary[k].read(outcome.value));
      summary[k] = f.value;
      if (f.value === null) reasons.set(k, f.reason ?? 'not computed');
    }
  }
  for (const k of SUMMARY_KEYS)
    if (summary[k] === null && !skipped.some((x) => x.metric === k))
      skipped.push({ metric: k, reason: reasons.get(k) ?? 'not computed' });

  return {
    schema_version: 1,
    generated_by: VERSION,
    inputs: {
      real_rows: rawReal.rowCount,
      synthetic_rows: rawSyn.rowCount,
      holdout_rows: rawHold ? rawHold.rowCount : null,
      columns: roles,
      target: input.target ?? null,
      sensitive: input.sensitive ?? [],
      spec_table: specName ?? null,
    },
    config: { seed, bootstrap_reps: reps, ci_level: level },
    summary,
    ...(outputs as Pick<EvaluationReport, SectionName>),
    warnings,
    skipped,
    timings_ms: timings,
  };
}
