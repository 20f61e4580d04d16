/**
 * The expression AST. Every node carries its source span (`start` inclusive, `end` exclusive,
 * 0-based offsets into the source) so errors found after parsing can still point at the text.
 */

/** What an expression evaluates to, and what a row cell holds. Datetimes are epoch ms (numbers). */
export type Value = number | string | boolean | null;

export type UnaryOp = '-' | '+' | 'not';

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'and'
  | 'or';

export type Expr =
  | { kind: 'num'; value: number; start: number; end: number }
  | { kind: 'str'; value: string; start: number; end: number }
  | { kind: 'bool'; value: boolean; start: number; end: number }
  | { kind: 'null'; start: number; end: number }
  /** `qualified`: an unquoted dotted name such as `parent.dob` (a reference to another row). */
  | { kind: 'ident'; name: string; qualified?: boolean; start: number; end: number }
  | { kind: 'unary'; op: UnaryOp; arg: Expr; start: number; end: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; start: number; end: number }
  | { kind: 'in'; negated: boolean; arg: Expr; list: Expr[]; start: number; end: number }
  | { kind: 'cond'; test: Expr; then: Expr; else: Expr; start: number; end: number }
  | { kind: 'call'; name: string; args: Expr[]; start: number; end: number };

/** Keywords of the language; they cannot be plain identifiers (backtick-quote a column named so). */
export const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);

/** Hard limits so that arbitrary input can neither crash nor hang the parser. */
export const MAX_SOURCE_LENGTH = 10_000;
export const MAX_NESTING_DEPTH = 100;
