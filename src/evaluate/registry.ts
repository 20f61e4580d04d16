/**
 * The evaluate sections, in the order they run and are reported (bias reads the utility models, so
 * utility comes first). Adding a section: one file declaring it with `defineSection` (compute,
 * summary keys with their meaning, empty value), one line here, and its renderer in
 * src/report/sections/ — whose table is keyed by `SectionName`, so the compiler rejects a section
 * without a renderer. The report type, the summary keys and the gate keys all follow from this table.
 */
import { biasSection } from './bias.js';
import { coverageSection } from './coverage-check.js';
import { detectionSection } from './detection.js';
import { fidelitySection } from './fidelity.js';
import { knnCoverageSection } from './knn-coverage.js';
import { mmdSection } from './mmd.js';
import { privacySection } from './privacy.js';
import { rulesSection } from './rules.js';
import type { Section } from './section.js';
import { textSection } from './text-columns.js';
import type { ColumnInfo, ReportWarning, Skipped } from './types.js';
import { utilitySection } from './utility.js';

export const SECTIONS = {
  fidelity: fidelitySection,
  text: textSection,
  detection: detectionSection,
  mmd: mmdSection,
  privacy: privacySection,
  utility: utilitySection,
  bias: biasSection,
  rules: rulesSection,
  coverage: coverageSection,
  knn_coverage: knnCoverageSection,
} as const;

export type SectionName = keyof typeof SECTIONS;
export const SECTION_NAMES = Object.keys(SECTIONS) as SectionName[];

/** The report value of each section (null, or [] for bias, when it did not run). */
export type SectionOutputs = { [N in SectionName]: (typeof SECTIONS)[N]['empty'] };

/** The stable summary keys scripts and `--gate` rely on: never renamed, never removed. */
export type SummaryKey = {
  [N in SectionName]: Extract<keyof (typeof SECTIONS)[N]['summary'], string>;
}[SectionName];
export type Summary = Record<SummaryKey, number | null>;

/** Every section erased to one shape, for the loop that runs them (run-sections.ts). */
export type AnySection = Section<unknown, string, unknown>;

function sectionOf(name: SectionName): AnySection {
  return SECTIONS[name] as unknown as AnySection;
}

/** Summary keys in report order, with the section that owns each and its meaning in words. */
export const SUMMARY_FIELDS: readonly { key: SummaryKey; section: SectionName; label: string }[] =
  SECTION_NAMES.flatMap((section) =>
    Object.entries(sectionOf(section).summary).map(([key, f]) => ({
      key: key as SummaryKey,
      section,
      label: f.label,
    })),
  );
export const SUMMARY_KEYS: readonly SummaryKey[] = SUMMARY_FIELDS.map((f) => f.key);

export function sectionFor(name: SectionName): AnySection {
  return sectionOf(name);
}

/** The JSON report (docs/evaluate-json.md). Section keys come from the registry above. */
export type EvaluationReport = {
  schema_version: 1;
  generated_by: string;
  inputs: {
    real_rows: number;
    synthetic_rows: number;
    holdout_rows: number | null;
    /** Every shared column, with its role (value, id, text) and why. */
    columns: ColumnInfo[];
    target: string | null;
    sensitive: string[];
    spec_table: string | null;
  };
  config: { seed: number; bootstrap_reps: number; ci_level: number };
  summary: Summary;
  /** Near-copy warnings and the like: printed on stderr and atop both reports, with or without --gate. */
  warnings: ReportWarning[];
  skipped: Skipped[];
  timings_ms: Record<string, number>;
} & SectionOutputs;
