/**
 * `evaluate()`: one call that judges synthetic data against real data (and optionally a holdout and
 * a spec) and returns a versioned, documented report (docs/evaluate-json.md). Tables come in already
 * loaded; the CLI (src/cli/evaluate.ts) does the I/O.
 */
import { checkpoint } from '../errors.js';
import type { Spec } from '../spec/index.js';
import { prepare, setApart } from './prepare.js';
import { type EvaluationReport, SECTION_NAMES, type SectionName } from './registry.js';
import type { RelationalInputs } from './relational/inputs.js';
import { type LinkOptions, resolveLinks } from './relational/links.js';
import { runSections } from './run-sections.js';
import { type TableInput, toRawTable } from './tables.js';

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
export type { LinkOptions } from './relational/links.js';
export type * from './relational/types.js';
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
  /**
   * Several tables linked by keys (one per name), judged by the relational section; keys, foreign
   * keys and sequence orders not stated here come from `spec` or are detected.
   */
  relational?: RelationalTablesInput;
  /** Called after each section with its wall time (for benchmarks). */
  onSection?: (name: string, ms: number) => void;
  /** Called as each step starts and ends (the CLI's progress line). */
  onProgress?: (p: EvaluateProgress) => void;
  /**
   * Cancels the evaluation with `run.aborted`: looked at before each section and inside the
   * neighbour searches (on workers); an abort is never reported as a skipped section.
   */
  signal?: AbortSignal;
}

/** Table sets by table name, with what the caller states about their links. */
export interface RelationalTablesInput extends Omit<LinkOptions, 'spec'> {
  real: ReadonlyMap<string, TableInput>;
  synthetic: ReadonlyMap<string, TableInput>;
  holdout?: ReadonlyMap<string, TableInput>;
}

function relationalInputs(r: RelationalTablesInput, spec: Spec | undefined): RelationalInputs {
  const raw = (set: ReadonlyMap<string, TableInput>, label: string) =>
    new Map([...set].map(([name, t]) => [name, { ...toRawTable(t, `${label} ${name}`), name }] as const));
  const real = raw(r.real, 'real');
  return {
    real,
    synthetic: raw(r.synthetic, 'synthetic'),
    holdout: r.holdout ? raw(r.holdout, 'holdout') : undefined,
    spec,
    links: resolveLinks(real, {
      keys: r.keys,
      refs: r.refs,
      orders: r.orders,
      entities: r.entities,
      spec,
    }),
  };
}

const VERSION = 'strata-evaluate/1';

export async function evaluate(input: EvaluateInput): Promise<EvaluationReport> {
  const raw = {
    real: toRawTable(input.real, 'real'),
    synthetic: toRawTable(input.synthetic, 'synthetic'),
    holdout: input.holdout ? toRawTable(input.holdout, 'holdout') : undefined,
  };
  // plain-object: fixed keys (section names)
  const toggles = input.sections ?? {};
  const on = (name: SectionName) =>
    toggles[name] ?? (name === 'knn_coverage' ? toggles.knnCoverage : undefined) ?? true;
  const steps = SECTION_NAMES.filter(on).length + 1;
  const first = {
    section: 'prepare',
    title: 'typing the columns, finding IDs and free text',
    step: 1,
    steps,
  } as const;
  await checkpoint(input.signal);
  input.onProgress?.({ ...first, phase: 'start' });
  const t0 = performance.now();
  const { ctx, specName } = prepare(input, raw);
  if (input.relational) ctx.relational = relationalInputs(input.relational, input.spec);
  const prepareMs = Math.round(performance.now() - t0);
  input.onSection?.('prepare', prepareMs);
  input.onProgress?.({ ...first, phase: 'end', ms: prepareMs });
  const run = await runSections(ctx, on, {
    onSection: input.onSection,
    onProgress: input.onProgress,
    firstStep: 1,
    steps,
  });
  const { seed, reps, level } = ctx.opts;
  return {
    schema_version: 1,
    generated_by: VERSION,
    inputs: {
      real_rows: raw.real.rowCount,
      synthetic_rows: raw.synthetic.rowCount,
      holdout_rows: raw.holdout ? raw.holdout.rowCount : null,
      columns: [...ctx.columns],
      target: input.target ?? null,
      sensitive: input.sensitive ?? [],
      spec_table: specName ?? null,
    },
    config: { seed, bootstrap_reps: reps, ci_level: level },
    summary: run.summary,
    ...run.values,
    warnings: run.warnings,
    skipped: [...setApart(ctx.columns), ...run.skipped],
    timings_ms: { prepare: prepareMs, ...run.timings },
  };
}
