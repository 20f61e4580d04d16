/**
 * Strata's random layer: seeded streams and distributions truncated by construction.
 * Every sampler is a pure function of (stream state, parameters, bounds) and returns NaN for invalid
 * parameters or a truncation range with (numerically) zero mass.
 */

export { AliasTable } from './alias.js';
export { sampleBinomial, samplePoisson } from './discrete.js';
export { sampleExponential, sampleUniform } from './elementary.js';
export { AnchoredEmpirical, type Atom, atomsFromRecord, Empirical } from './empirical.js';
export { sampleBeta, sampleGamma } from './gamma.js';
export {
  type AnyLaw,
  type Dist,
  type Draw,
  EmpiricalParams,
  type FixedLaw,
  fixLaw,
  LAW_ALIASES,
  LAW_NAMES,
  LAWS,
  type Law,
  type LawIssue,
  type LawName,
  type Literal,
  lawNamed,
  lawOfDist,
  type ParamDecl,
  ParamValue,
} from './laws/index.js';
export { NormalPlanMemo, sampleLognormal, sampleNormal, standardNormal } from './normal.js';
export { shuffleInPlace } from './shuffle.js';
export * from './stream.js';
export { PlanMemo } from './truncate.js';
