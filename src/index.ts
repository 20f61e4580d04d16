/**
 * Strata's library API: everything the CLI does is callable from code.
 * describe (spec) → learn (fit) → generate (sample) → judge (evaluate).
 */
export { StrataError, isStrataError } from './errors.js';
export * from './spec/index.js';
export { compileTable, type TableModel, type CompileOptions } from './model/compile.js';
export * from './sample/index.js';
export { runDemo, type DemoStep } from './cli/demo.js';
