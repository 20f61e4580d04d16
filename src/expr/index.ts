/**
 * The safe expression language used throughout specs: parse once, compile to closures, evaluate
 * per row. No eval, no property access: identifiers resolve only through the scope's column map.
 * Syntax and semantics: ./README.md.
 */
export type { BinaryOp, Expr, UnaryOp, Value } from './ast.js';
export { MAX_NESTING_DEPTH, MAX_SOURCE_LENGTH } from './ast.js';
export type { CompiledExpr, CompileScope } from './compile.js';
export { compileExpression } from './compile.js';
export type { ExprErrorCode } from './error.js';
export { ExprError, formatExprError } from './error.js';
export { FUNCTIONS } from './functions.js';
export { AGGREGATES, aggregateKey, referencedNames } from './names.js';
export { parseExpression } from './parser.js';
export { printExpression, printName, printString } from './print.js';
export { MAX_STRING_LENGTH, truthy } from './values.js';
