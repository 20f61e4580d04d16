/**
 * The evaluate sections, in the order they run and are reported (bias reads the utility models, so
 * utility comes first). Adding a section: one file declaring it with `defineSection` (compute,
 * summary keys with their meaning, empty value), one line here, and its renderer in
 * src/report/sections/ — whose table is keyed by `SectionName`, so the compiler rejects a section
 * without a renderer. The report type (`SectionOutputs`, `SummaryKey`) is written out below as the
 * public JSON contract; the compiler holds this table to it both ways.
 */
import { biasSection } from './bias.js';
import { coverageSection } from './coverage-check.js';
import { detectionSection } from './detection.js';
import { fidelitySection } from './fidelity.js';
import { knnCoverageSection } from './knn-coverage.js';
import { mmdSection } from './mmd.js';
import { privacySection } from './privacy.js';
import { relationalSection } from './relational/section.js';
import type { RelationalSection } from './relational/types.js';
import { rulesSection } from './rules.js';
import type { Section } from './section.js';
import { type TextSection, textSection } from './text-columns.js';
import type {
  BiasSection,
  ColumnInfo,
  CoverageSection,
  DetectionSection,
  FidelitySection,
  KnnCoverageSection,
  MmdSection,
  PrivacySection,
  ReportWarning,
  RuleReport,
  Skipped,
  UtilitySection,
} from './types.js';
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
  relational: relationalSection,
} as const satisfies {
  [N in keyof SectionOutputs]: {
    readonly empty: SectionOutputs[N];
    output(result: never): NonNullable<SectionOutputs[N]>;
  };
};

/**
 * Each section's value in the report (null, or [] for bias, when it did not run). Written out, not
 * derived from SECTIONS, because it is the public JSON contract (etc/strata.api.md); the
 * `satisfies` above makes the compiler hold SECTIONS to it, key for key and type for type.
 */
export interface SectionOutputs {
  fidelity: FidelitySection | null;
  text: TextSection | null;
  detection: DetectionSection | null;
  mmd: MmdSection | null;
  privacy: PrivacySection | null;
  utility: UtilitySection | null;
  bias: BiasSection[];
  rules: RuleReport[] | null;
  coverage: CoverageSection | null;
  knn_coverage: KnnCoverageSection | null;
  relational: RelationalSection | null;
}

export type SectionName = keyof SectionOutputs;
export const SECTION_NAMES = Object.keys(SECTIONS) as SectionName[];

/** The stable summary keys scripts and `--gate` rely on: never renamed, never removed. */
export type SummaryKey =
  | 'accuracy_univariate'
  | 'accuracy_bivariate'
  | 'accuracy_univariate_holdout'
  | 'accuracy_bivariate_holdout'
  | 'detection_auc'
  | 'mmd'
  | 'mmd_p_value'
  | 'dcr_share'
  | 'identical_match_share'
  | 'identical_match_share_holdout'
  | 'tstr_auc'
  | 'trtr_auc'
  | 'rule_violation_rate'
  | 'table_accuracy_univariate_min'
  | 'key_uniqueness_min'
  | 'fk_integrity_min'
  | 'children_tvd_min'
  | 'order_violations_max'
  | 'order_violation_rate_max'
  | 'sequence_length_tvd_min'
  | 'sequence_gap_tvd_min'
  | 'transition_tvd_min'
  | 'step_change_tvd_min'
  | 'lag1_autocorrelation_diff_max'
  | 'entity_detection_auc_max';
export type Summary = Record<SummaryKey, number | null>;

/** The summary keys the sections declare: exactly SummaryKey (checked below), no more, no fewer. */
type DeclaredKey = {
  [N in SectionName]: Extract<keyof (typeof SECTIONS)[N]['summary'], string>;
}[SectionName];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const declaredKeysAreSummaryKeys: Same<DeclaredKey, SummaryKey> = true;
void declaredKeysAreSummaryKeys;

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

/** The JSON report (docs/evaluate-json.md). */
export interface EvaluationReport extends SectionOutputs {
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
}
