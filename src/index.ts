/**
 * Strata's library API: everything the CLI does is callable from code.
 * describe (spec: loadSpec, checkSpecText, validateSpec) → learn (fitFile, fitTable) → generate
 * (generateRows, generateToFile; createSampler for records on demand; relational: generateTables) → judge (evaluate, evaluateFiles, checkGates, renderHtml...), plus
 * the `coverage` and `text` namespaces (curated in their folders' index.ts) and readTable.
 *
 * This list is curated: what a user calls, and the types those calls take and return. Internals
 * (the block kernel, samplers, writers, ml, random streams...) stay inside the package. The
 * surface is recorded in etc/strata.api.md; `npm run check:api` (CI) fails when it changes
 * without that file being updated (`npm run api:update`), so every change to it is deliberate.
 * Exports are sorted by module path (biome).
 */

export * as coverage from './coverage/index.js';
export type { InferredColumn, InferredKind, RawColumns } from './data/infer.js';
export { ERROR_CODES, type ErrorCode, type ErrorCodeInfo, isErrorCode } from './error-codes.js';
export { type ErrorPlace, isStrataError, StrataError } from './errors.js';
export { checkGates, type Gate, type GateFailure, type Gates, parseGates } from './evaluate/gates.js';
export {
  type EvaluateInput,
  type EvaluateProgress,
  type EvaluateSections,
  evaluate,
  type RelationalTablesInput,
} from './evaluate/index.js';
export {
  type EvaluationReport,
  type SectionName,
  SUMMARY_FIELDS,
  SUMMARY_KEYS,
  type Summary,
  type SummaryKey,
} from './evaluate/registry.js';
export type { LinkOptions } from './evaluate/relational/links.js';
export type {
  CountHistogram,
  EntityDetectionReport,
  EntityTimeline,
  ForeignKeyReport,
  KeyReport,
  Lag1Report,
  LinkSource,
  OrderRelationReport,
  ParentChildPair,
  RelationalRuleReport,
  RelationalSection,
  RelationalTableInfo,
  SequenceReport,
  StepReport,
  TransitionReport,
} from './evaluate/relational/types.js';
export type * from './evaluate/report-types.generated.js';
export type { CellValue, TableInput } from './evaluate/tables.js';
export type {
  BiasGroup,
  BiasSection,
  ClassifierScores,
  ColumnInfo,
  ColumnReport,
  ColumnRole,
  CoverageCell,
  CoverageSection,
  DetectionSection,
  FidelitySection,
  Histogram,
  KnnCoverageSection,
  Metric,
  MmdSection,
  PairReport,
  PrivacySection,
  ReportWarning,
  RuleReport,
  Skipped,
  UtilitySection,
} from './evaluate/types.js';
export { type FitFileOptions, fitFile } from './fit/file.js';
export { type FitOptions, type FitResult, type FittedColumn, fitTable, fitTableAsync } from './fit/fit.js';
export type { Edge } from './fit/graph.js';
export { type Knowledge, loadKnowledge, parseKnowledgeText } from './fit/knowledge.js';
export type { TableKind } from './fit/params.js';
export type { BudgetSplit } from './fit/privacy.js';
export {
  explainRefine,
  type RefinedFitResult,
  type RefineFitOptions,
  type RefineLoopOptions,
  refineFitTable,
} from './fit/refine-loop.js';
export type { StoredType } from './io/cell-text.js';
export type { OutputFormat } from './io/format.js';
export type { NaOptions, NaTokenUse } from './io/na-values.js';
export { readTable } from './io/read-table.js';
export type { RawTable, ReadOptions } from './io/table.js';
export type { Locator } from './model/context.js';
export { type EvaluateFilesOptions, type EvaluateFilesResult, evaluateFiles } from './report/files.js';
export { renderHtml } from './report/html.js';
export { renderMarkdown } from './report/markdown.js';
export type { Cell } from './sample/format.js';
export {
  type GenerateOptions,
  type GenerateResult,
  generateRows,
  generateToFile,
} from './sample/generate.js';
export {
  type GenerateTablesOptions,
  type GenerateTablesResult,
  generateTables,
  generateTablesDuckDb,
  generateTablesInMemory,
  type TableResult,
  type TablesFormat,
} from './sample/generate-tables.js';
export {
  createSampler,
  type DrawOptions,
  type GivenValue,
  type GivenValues,
  type ManyOptions,
  type Row,
  type Sampler,
  type SamplerColumn,
  type SamplerOptions,
} from './sample/sampler.js';
export { type RuleCheck, type SpecValidation, type TableCheck, validateSpec } from './sample/validate.js';
export { SpecError } from './spec/issues.js';
export { SPEC_SCHEMA_ID, specJsonSchema } from './spec/json-schema.js';
export {
  checkSpecObject,
  checkSpecText,
  type LoadedSpec,
  loadSpec,
  parseSpecText,
  type SpecCheck,
} from './spec/parse.js';
export type { SpecPath } from './spec/path.js';
export {
  type CategoryValues,
  type Column,
  type ColumnType,
  ColumnTypes,
  type Conditional,
  type ConditionalParent,
  type ConditionalRow,
  type CoverageAxis,
  type CoveragePlan,
  type Dist,
  type DistParams,
  type DistributionName,
  DistributionNames,
  type EmpiricalParams,
  type FitInfo,
  type Param,
  type RefineFigures,
  type RefineStep,
  type RefineTrace,
  type Rule,
  type Scenario,
  type Spec,
  type Table,
  type Tail,
} from './spec/schema.js';
export type { SpecPosition, SpecSource } from './spec/source.js';
export * as text from './text/index.js';
