/**
 * Strata's library API: everything the CLI does is callable from code.
 * describe (spec) → learn (fit) → generate (sample) → judge (evaluate), plus coverage and text.
 */

export * as coverage from './coverage/index.js';
export { compileModel as compileTable } from './coverage/quantile.js';
export { ERROR_CODES, type ErrorCode, type ErrorCodeInfo, isErrorCode } from './error-codes.js';
export { isStrataError, StrataError } from './errors.js';
export {
  checkGates,
  type EvaluateInput,
  type EvaluationReport,
  evaluate,
  parseGates,
} from './evaluate/index.js';
export * as expr from './expr/index.js';
export {
  type FitFileOptions,
  type FitOptions,
  type FitResult,
  fitFile,
  fitTable,
  fitTableAsync,
} from './fit/index.js';
export * as io from './io/index.js';
export * as ml from './ml/index.js';
export type { CompileOptions, TableModel } from './model/compile.js';
export * as random from './random/index.js';
export {
  type EvaluateFilesOptions,
  type EvaluateFilesResult,
  evaluateFiles,
} from './report/files.js';
export { renderHtml, renderMarkdown } from './report/index.js';
export * from './sample/index.js';
export * from './spec/index.js';
export * as text from './text/index.js';
