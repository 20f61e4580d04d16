/** Text coverage: plan → generate → diversify → verify → dedup → echo control → audit. */

export { type CoveringResult, coveringArray } from '../coverage/covering.js';
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
export { type Calibration, calibrateThreshold, type LabelledPair } from './dedup/calibrate.js';
export {
  createDedupFunnel,
  DedupFunnel,
  type DedupScope,
  type DedupStage,
  dedupTexts,
  type FunnelItem,
  type FunnelOptions,
  type FunnelStats,
  type Rejection,
} from './dedup/funnel.js';
export {
  candidateProbability,
  createMinHasher,
  estimateJaccard,
  LshIndex,
  type MinHasher,
  type MinHashOptions,
  optimalBands,
  type ShingleKind,
} from './dedup/minhash.js';
export { type DiversifyStep, diversify, OPERATORS, type Operator } from './diversify.js';
export {
  compressionRatio,
  distinctN,
  knnCoverageDensity,
  nearestSimilarities,
  selfSimilarity,
  vendiScore,
} from './diversity.js';
export {
  type ClassRecall,
  type DownstreamResult,
  downstreamTest,
  type Figure,
  type LabelledText,
} from './downstream.js';
export { type BatchStats, EchoMonitor, type EchoOptions } from './echo.js';
export { cosine, DenseQuery, embedText, type SparseVec } from './embed.js';
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
export { normalizeText, words } from './normalize.js';
export {
  type PipelineEvent,
  type PipelineOptions,
  type PipelineResult,
  runTextPipeline,
  type VerifyRejection,
} from './pipeline.js';
export {
  buildPlan,
  expandPersonas,
  formatPlan,
  MAX_PERSONAS,
  type Plan,
  type PlannedCell,
  personaCount,
} from './plan.js';
export {
  createLabeller,
  createProvider,
  type LoadedPlan,
  type LoadPlanOptions,
  loadPlan,
  loadTemplateSet,
  type Notify,
  parsePlanSpec,
  warnProcess,
} from './plan-load.js';
export { type PlanInput, PlanSpec, ProviderConfig, TEXT_MAX_CELLS } from './plan-schema.js';
export { createEndpoint, type Endpoint } from './providers/endpoint.js';
export {
  createLimiter,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_RETRY_WAIT_S,
  postJson,
  retryAfterMs,
} from './providers/http.js';
export { ollamaProvider } from './providers/ollama.js';
export { openAiProvider } from './providers/openai.js';
export { createRedactor, printableUrl, type Redact } from './providers/redact.js';
export {
  type CassetteEntry,
  type LoadedCassette,
  loadCassette,
  type ReplayMode,
  type ReplayProvider,
  readCassette,
  replayProvider,
  requestKey,
} from './providers/replay.js';
export {
  parseTemplateSet,
  renderTemplate,
  type TemplateGroup,
  type TemplateSet,
  templateProvider,
} from './providers/template.js';
export type { GenerateRequest, GenerateResult, TextProvider, Usage } from './providers/types.js';
export { readTextRows, type TextRow, writeJsonl } from './records.js';
export { auditHtml, auditText, writeAuditReport } from './report.js';
export { fitTfidf, type TfidfModel } from './tfidf.js';
export { type Cell, cellKey, type OperatorStep, type Provenance, type TextRecord } from './types.js';
export {
  exemplarLabeller,
  keywordLabeller,
  type Labeller,
  llmJudgeLabeller,
  verifySample,
} from './verify.js';
