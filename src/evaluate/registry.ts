/**
 * The evaluate sections, in the order they run and are reported (their `order`: bias reads the
 * utility models, so utility comes first). The table itself is generated (registry.generated.ts,
 * by scripts/sections-index.ts, checked in CI) from the modules that declare a section with
 * `defineSection`: adding a section is its own file plus its test, and the script. The report
 * types (`SectionOutputs`, `SummaryKey`) are generated from the records too and written out
 * (report-types.generated.ts), so the API report (etc/strata.api.md) shows the JSON contract in
 * full; the compiler holds the records to them below, and behaviour.test.ts holds the stable keys.
 */
import { SECTIONS } from './registry.generated.js';
import type { SectionOutputs, SummaryKey } from './report-types.generated.js';
import type { Section } from './section.js';
import type { ColumnInfo, ReportWarning, Skipped } from './types.js';

export type { SectionOutputs, SummaryKey };
export { SECTIONS };

// Each record sits under its own name, and its empty value and output are SectionOutputs' (both
// files are generated from the records; the compiler holds them together, key for key).
const recordsMatchOutputs: {
  readonly [N in keyof SectionOutputs]: {
    readonly name: N;
    readonly empty: SectionOutputs[N];
    output(result: never): NonNullable<SectionOutputs[N]>;
  };
} = SECTIONS;
void recordsMatchOutputs;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameSections: Same<keyof SectionOutputs, keyof typeof SECTIONS> = true;
void sameSections;

export type SectionName = keyof SectionOutputs;
export const SECTION_NAMES = Object.keys(SECTIONS) as SectionName[];

/** The summary keys the records declare: exactly SummaryKey (generated from them), no more, no fewer. */
type DeclaredKey = {
  [N in SectionName]: Extract<keyof (typeof SECTIONS)[N]['summary'], string>;
}[SectionName];
const declaredKeysAreSummaryKeys: Same<DeclaredKey, SummaryKey> = true;
void declaredKeysAreSummaryKeys;
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
