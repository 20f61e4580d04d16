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
export {
  type AugmentOptions,
  type AugmentRecord,
  type AugmentResult,
  augmentTexts,
  type LabelReport,
  type LlmCandidates,
} from './augment/augment.js';
export { type AugmentFileOptions, augmentFile } from './augment/files.js';
export { AUGMENT_OPERATORS, AugmentRecipe, DEFAULT_RECIPE } from './augment/ops.js';
export { type GainPoint, type Selection, selectForCoverage, selectRandom } from './augment/select.js';
export { type CentroidVerifier, centroidVerifier } from './augment/verifier.js';
export { type LexicalDatabase, tableLexicon, WordNet } from './augment/wordnet.js';
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
export { type AuditFilesOptions, auditFiles, type DedupFileOptions, dedupFile } from './files.js';
export { type GenerateFileOptions, generateFromPlan } from './generate.js';
export { normalizeText, words } from './normalize.js';
export {
  type PipelineEvent,
  type PipelineOptions,
  type PipelineResult,
  runTextPipeline,
  type VerifyRejection,
} from './pipeline.js';
export { buildPlan, expandPersonas, formatPlan, type Plan, type PlannedCell } from './plan.js';
export {
  createLabeller,
  createProvider,
  type LoadedPlan,
  loadPlan,
  loadTemplateSet,
  parsePlanSpec,
} from './plan-load.js';
export { type PlanInput, PlanSpec, ProviderConfig } from './plan-schema.js';
export {
  logisticRegression,
  naiveBayes,
  TEXT_CLASSIFIERS,
  type TextClassifier,
} from './prove/classifiers.js';
export { type Comparison, comparePredictions } from './prove/compare.js';
export { type ProveFilesOptions, proveFiles } from './prove/files.js';
export { type ProveReport, type ProveSummary, proveTexts, realOnlyBaseline } from './prove/prove.js';
export { proveHtml, proveText, writeProveReport } from './prove/report.js';
export { createLimiter, postJson, retryAfterMs } from './providers/http.js';
export { ollamaProvider } from './providers/ollama.js';
export { openAiProvider } from './providers/openai.js';
export {
  type CassetteEntry,
  loadCassette,
  type ReplayMode,
  type ReplayProvider,
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
export { auditRedteamPack, type RedteamAudit } from './redteam/audit.js';
export { redteamFiles } from './redteam/files.js';
export { loadJailbreakTemplates, loadXstest } from './redteam/load.js';
export { buildRedteamPack, type RedteamItem, type RedteamPack } from './redteam/pack.js';
export { promptfooTests } from './redteam/promptfoo.js';
export { builtinSeeds } from './redteam/seeds.js';
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
