/**
 * Coverage: decide what must be present before generating, then fill every declared cell by
 * conditioning by construction (exact inference over the discrete skeleton), with weights that
 * recover the model's distribution. See docs/coverage.md.
 *
 * This file is coverage's public face, re-exported as `coverage` from src/index.ts (the package
 * API; etc/strata.api.md). Plans and tails run inside `generateRows`/`generateToFile`; what a
 * user calls directly is listed here. Code inside src/ imports the module it needs.
 */

export { type CoverageFromDataOptions, coverageFromData } from './from-data.js';
export type { RelationalCellReport, RelationalCoverageSummary } from './relational.js';
export type { ComponentReport, CoverageSummary } from './run.js';
export { type AppliedScenario, applyScenario } from './scenario.js';
