/**
 * One evaluate section is one record: its name and place in the report, how to compute it, the
 * summary keys it owns (each with its meaning in words), the value it leaves in the report when it
 * does not run, and what the report shows of it (`present`, as data: presentation.ts). Adding a
 * section is one file declaring it with `defineSection`, plus its test: `npm run sections:index`
 * lists it in registry.generated.ts (CI checks that file is current), and src/report draws its
 * `present` blocks in Markdown and HTML. Sections without `present` have their own renderer in
 * src/report/sections/, which the compiler requires.
 *
 * "Not applicable" (no --target, too few rows, a numeric target...) is a typed outcome,
 * `{ status: 'skipped', reason }`, returned by the section; an exception thrown by a section is a
 * bug or bad input and propagates — it is never reported as "skipped".
 */
import type { Value } from '../expr/index.js';
import type { RawTable } from '../io/index.js';
import type { TypedTable } from '../ml/index.js';
import type { Column, CoveragePlan } from '../spec/index.js';
import type { Presentation } from './presentation.js';
import type { RelationalInputs } from './relational/inputs.js';
import type { ColumnInfo, Metric, PrivacySection, ReportWarning, Skipped } from './types.js';

export interface Computed<T> {
  status: 'ok';
  value: T;
  /** Figures inside the section that could not be computed, with reasons. */
  skipped?: Skipped[];
  warnings?: ReportWarning[];
}

export interface NotApplicable {
  status: 'skipped';
  reason: string;
  /**
   * Nothing was asked for (no --sensitive columns, no coverage plan, no free-text column): the
   * section stays out of the "not computed" list. Summary keys it owns are listed all the same.
   */
  quiet?: boolean;
}

export type Outcome<T> = Computed<T> | NotApplicable;

export function ok<T>(value: T, more: { skipped?: Skipped[]; warnings?: ReportWarning[] } = {}): Computed<T> {
  return { status: 'ok', value, ...more };
}

export function skip(reason: string): NotApplicable {
  return { status: 'skipped', reason };
}

/** Not requested by the inputs: no entry in the "not computed" list. */
export function notRequested(reason: string): NotApplicable {
  return { status: 'skipped', reason, quiet: true };
}

/** The spec table being checked (rules, coverage) and its rows as expression values. */
export interface SpecTable {
  name: string;
  columns: Record<string, Column>;
  rules: readonly { name: string; check: string }[];
  plan: CoveragePlan | undefined;
  /** Column-major expression values of the synthetic table (computed once, on first use). */
  values(): Value[][];
}

/** What the rules section found on the synthetic rows: rows breaking at least one rule, of all rows. */
export interface RulesOutcome {
  violating: number;
  rows: number;
  /** Rules the spec table declares. */
  rules: number;
}

/** The utility models' test rows and predictions, which the bias section reads. */
export interface UtilityModels {
  test: TypedTable;
  yTest: Int32Array;
  predTstr: Int32Array;
  predTrtr: Int32Array;
}

export interface SectionContext {
  /** Typed tables holding only the columns the tabular sections judge (no ID or free-text columns). */
  real: TypedTable;
  synthetic: TypedTable;
  holdout: TypedTable | undefined;
  /** The tables as given (every column, text values), for sections that read raw text. */
  raw: { real: RawTable; synthetic: RawTable; holdout: RawTable | undefined };
  /** Every shared column with its role (value, id, text). */
  columns: readonly ColumnInfo[];
  target: string | undefined;
  sensitive: readonly string[];
  trivariate: boolean;
  spec: SpecTable | undefined;
  /** Table sets with their keys, foreign keys and sequences (`--real DIR`), for the relational section. */
  relational?: RelationalInputs;
  /** `signal` cancels the run (`run.aborted`); sections that run long pass it on (neighbour searches). */
  opts: { seed: number; reps: number; level: number; signal?: AbortSignal };
  /**
   * What earlier sections leave for later ones (the registry order runs utility before bias, and
   * privacy and rules before the audit, which reads their figures instead of computing them again).
   */
  shared: { utility?: UtilityModels; privacy?: PrivacySection; rules?: RulesOutcome };
}

/** A summary key's meaning in words and where its figure comes from in the section's output. */
export interface SummaryField<T> {
  label: string;
  read(out: T): Metric | number | null | undefined;
}

/**
 * A section: `run` computes a result R (the report value, or more — the rules section also carries
 * the any-rule violation rate); `output` gives the value stored under the section's name in the
 * report; summary keys read R.
 */
export interface Section<T, K extends string = never, R = NonNullable<T>, N extends string = string> {
  /** The key of the section's value in the JSON report (snake_case); also its `--sections` toggle. */
  readonly name: N;
  /**
   * Place in the run and the report, ascending (fidelity 10, utility 60, bias 70...): a section that
   * reads another's results (`ctx.shared`) comes after it. Unique; leave gaps.
   */
  readonly order: number;
  /** What the section judges, in words (progress lines, report headings). */
  readonly title: string;
  /** The report value when the section does not run (`null`, or `[]` for lists). */
  readonly empty: T;
  /** Summary keys this section owns, in report order. Stable: never renamed, never removed. */
  readonly summary: { readonly [key in K]: SummaryField<R> };
  run(ctx: SectionContext): Outcome<R> | Promise<Outcome<R>>;
  output(result: R): NonNullable<T>;
  /**
   * What the Markdown and HTML reports show of the section's value, as data. Optional only for
   * sections with their own renderer in src/report/sections/ (the compiler requires one of the two).
   */
  present?(value: NonNullable<T>): Presentation;
}

/**
 * Declares a section, inferring its report type (from `empty`), its result type (from `run`: give
 * `run` a typed parameter, `ctx: SectionContext`, so TypeScript infers it before reading `summary`)
 * and the literal names of its summary keys.
 */
export function defineSection<T, K extends string = never, R = never, N extends string = string>(
  s: Presented<Section<T, K, R, N>>,
): Presented<Section<T, K, R, N>>;
export function defineSection<T, K extends string = never, R = never, N extends string = string>(
  s: Section<T, K, R, N>,
): Section<T, K, R, N>;
export function defineSection<T, K extends string, R, N extends string>(
  s: Section<T, K, R, N>,
): Section<T, K, R, N> {
  return s;
}

/** A section that says what the report shows of it (so src/report needs no renderer for it). */
export type Presented<S extends Section<unknown, string, unknown, string>> = S & {
  present(value: NonNullable<S['empty']>): Presentation;
};

/** Whether a module export is a section record (what scripts/sections-index.ts collects). */
export function isSection(v: unknown): v is Section<unknown, string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const s = v as Partial<Section<unknown, string, unknown>>;
  return typeof s.name === 'string' && typeof s.order === 'number' && typeof s.run === 'function';
}
