/**
 * Strata's library API: everything the CLI does is callable from code.
 * describe (spec) → learn (fit) → generate (sample) → judge (evaluate).
 */

export { type DemoStep, runDemo } from './cli/demo.js';
export { isStrataError, StrataError } from './errors.js';
export { type CompileOptions, compileTable, type TableModel } from './model/compile.js';
export * from './sample/index.js';
export * from './spec/index.js';
