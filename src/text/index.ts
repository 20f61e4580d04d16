/**
 * Text coverage: plan → generate → diversify → verify → dedup → echo control → audit.
 *
 * This file is text's public face, re-exported as `text` from src/index.ts (the package API;
 * etc/strata.api.md): the library calls behind `strata text plan | generate | dedup | audit` and
 * the types they take and return (and those behind `strata text augment | prove | redteam`). Code
 * inside src/ imports the module it needs.
 */

export {
  type AuditInput,
  type AuditOptions,
  type AuditRow,
  auditTexts,
  type CellCount,
  TEXT_SUMMARY_KEYS,
  type TextAuditReport,
  type TextSummaryKey,
} from './audit.js';
export {
  type AugmentOptions,
  type AugmentProvenance,
  type AugmentRecord,
  type AugmentResult,
  type AugmentRow,
  augmentTexts,
  type LabelReport,
  type LlmCandidates,
} from './augment/augment.js';
export { type AugmentFileOptions, augmentFile } from './augment/files.js';
export type { AugmentRecipe, AugmentRecipeInput } from './augment/ops.js';
export type { GainPoint } from './augment/select.js';
export type { LexicalDatabase, SynonymFilter, WordPos } from './augment/wordnet.js';
export {
  type DedupScope,
  type DedupStage,
  dedupTexts,
  type FunnelItem,
  type FunnelOptions,
  type FunnelStats,
  type Rejection,
} from './dedup/funnel.js';
export type { ShingleKind } from './dedup/minhash.js';
export type { ClassRecall, DownstreamResult, Figure, LabelledText } from './downstream.js';
export type { BatchStats } from './echo.js';
export {
  type AuditFilesOptions,
  auditFiles,
  checkTextGates,
  type DedupFileOptions,
  dedupFile,
  readTextGates,
} from './files.js';
export {
  defaultCassettePath,
  type GenerateFileOptions,
  type GenerateFileResult,
  generateFromPlan,
} from './generate.js';
export {
  type PipelineEvent,
  type PipelineOptions,
  type PipelineResult,
  runTextPipeline,
  type VerifyRejection,
} from './pipeline.js';
export { buildPlan, formatPlan, type Plan, type PlannedCell } from './plan.js';
export {
  createProvider,
  type LoadedPlan,
  type LoadPlanOptions,
  loadPlan,
  type Notify,
  type ProviderChoice,
} from './plan-load.js';
export type { PlanInput, PlanSpec } from './plan-schema.js';
export type { ClassWeighting } from './prove/classifiers.js';
export type { ClassChange, Comparison } from './prove/compare.js';
export { type ProveFilesOptions, proveFiles } from './prove/files.js';
export {
  type Baseline,
  type ProveOptions,
  type ProveReport,
  type ProveSummary,
  proveTexts,
  type Run,
  realOnlyBaseline,
} from './prove/prove.js';
export { proveHtml, proveText, writeProveReport } from './prove/report.js';
export type { ReplayMode, ReplayProvider } from './providers/replay.js';
export type { GenerateRequest, GenerateResult, TextProvider, Usage } from './providers/types.js';
export type { TextRow } from './records.js';
export { auditRedteamPack, type CategoryAudit, type RedteamAudit } from './redteam/audit.js';
export { type RedteamFilesOptions, redteamFiles } from './redteam/files.js';
export {
  buildRedteamPack,
  type RedteamCell,
  type RedteamItem,
  type RedteamOptions,
  type RedteamPack,
} from './redteam/pack.js';
export { promptfooTests } from './redteam/promptfoo.js';
export {
  builtinSeeds,
  type RedteamSeed,
  type Register,
  type SeedSet,
  type Strategy,
} from './redteam/seeds.js';
export { auditHtml, auditText, writeAuditReport } from './report.js';
export type { Cell, OperatorStep, Provenance, TextRecord } from './types.js';
export type { Labeller, LabelResult } from './verify.js';
