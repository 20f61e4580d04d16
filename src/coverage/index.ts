/**
 * Coverage: decide what must be present before generating, then fill every declared cell by
 * conditioning by construction (exact inference over the discrete skeleton), with weights that
 * recover the model's distribution. See docs/coverage.md.
 */

export {
  buildCellSet,
  type CellSet,
  type CompiledConstraint,
  cellQuota,
  compileConstraints,
  type PlanErrors,
} from './cells.js';
export { buildSkeleton, discreteLevels, type Skeleton } from './discrete.js';
export { type CoverageFromDataOptions, coverageFromData } from './from-data.js';
export { eliminate, type Factor, Posterior } from './infer.js';
export {
  type CompiledPlan,
  cellQuotas,
  compilePlan,
  type PlanAxis,
  type PlanCell,
  raiseFromReal,
} from './plan.js';
export { compileModel, conditionalQuantile, modelCdfBelow, modelQuantileExact } from './quantile.js';
export { type RealShares, rawValue, readRealShares, realCellShares } from './real.js';
export {
  COVERAGE_COLUMNS,
  type ComponentReport,
  type CoverageOptions,
  type CoverageRun,
  type CoverageSummary,
  prepareCoverage,
  wantsCoverage,
} from './run.js';
export { type AppliedScenario, applyScenario } from './scenario.js';
export { fitTailGpd, type GpdTail, pwmFit } from './tail.js';
