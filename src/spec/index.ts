/** Loading and validating Strata specs, with errors that name the place and the fix. */

export { didYouMean } from './did-you-mean.js';
export { CARD_CUSTOMERS_YAML } from './examples.js';
export { SpecError, specError } from './issues.js';
export { SPEC_SCHEMA_ID, specJsonSchema } from './json-schema.js';
export {
  checkedSpec,
  checkSpecObject,
  checkSpecText,
  type LoadedSpec,
  loadSpec,
  parseSpecText,
  type SpecCheck,
  specHash,
} from './parse.js';
export { dottedPath } from './path.js';
export {
  AxisName,
  AxisValue,
  axesOf,
  axisEntries,
  axisList,
  CellMatch,
  CellQuota,
  Constraint,
  HARD_MAX_CELLS,
  LEGACY_PLAN_KEYS,
  type LegacyKeyNotice,
  legacyKeyNotices,
  type NamedValues,
  PLAN_CORE,
  STRATEGIES,
  Strategy,
  strategyOfStrength,
  strengthOf,
} from './plan-vocabulary.js';
export * from './schema.js';
export type { SpecPosition, SpecSource } from './source.js';
