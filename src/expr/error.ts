import { type ErrorPlace, StrataError } from '../errors.js';

export type ExprErrorCode =
  | 'expr.syntax'
  | 'expr.unknown_name'
  | 'expr.unknown_function'
  | 'expr.arity'
  | 'expr.too_complex'
  /** A function argument that must be known at compile time is wrong (bad date literal, quantile misuse). */
  | 'expr.invalid_argument';

/**
 * An error in an expression. `offset` is the 0-based position in the expression source that the
 * message is about; `end` (exclusive) is set when a whole span is at fault (e.g. an unknown name).
 */
export class ExprError extends StrataError {
  readonly offset: number;
  readonly end: number;
  declare readonly code: ExprErrorCode;

  constructor(
    code: ExprErrorCode,
    message: string,
    offset: number,
    hint?: string,
    place: ErrorPlace = {},
    end: number = offset + 1,
  ) {
    super(code, message, place, hint);
    this.name = 'ExprError';
    this.offset = offset;
    this.end = Math.max(end, offset + 1);
  }

  /** The same error, located in a file or spec path (callers know where the expression came from). */
  withPlace(place: ErrorPlace): ExprError {
    return new ExprError(
      this.code,
      this.message,
      this.offset,
      this.hint,
      { ...this.place, ...place },
      this.end,
    );
  }
}

/** `column 14`, or `line 2, column 3` when the source spans several lines (1-based, for people). */
export function describePosition(source: string, offset: number): string {
  const { line, column } = lineAndColumn(source, offset);
  return source.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
}

function lineAndColumn(source: string, offset: number): { line: number; column: number; lineStart: number } {
  const at = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1, lineStart };
}

const WINDOW = 72;

/**
 * The error message, then the offending source line with a caret (`^~~~`) under the offset.
 * Long lines are cut to a window around the offset, marked with `…`.
 */
export function formatExprError(source: string, err: ExprError): string {
  const { lineStart } = lineAndColumn(source, err.offset);
  let lineEnd = source.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = source.length;
  const text = source.slice(lineStart, lineEnd).replace(/[\t\r]/g, ' ');
  const col = Math.max(0, Math.min(err.offset, source.length) - lineStart);
  const width = Math.max(1, Math.min(err.end, lineEnd + 1) - Math.max(err.offset, lineStart));

  let from = 0;
  if (col > WINDOW - 10) from = col - (WINDOW - 20);
  const to = Math.min(text.length, from + WINDOW);
  const prefix = from > 0 ? '…' : '';
  const suffix = to < text.length ? '…' : '';
  const shown = prefix + text.slice(from, to) + suffix;
  const caretAt = prefix.length + col - from;
  const caret = `${' '.repeat(caretAt)}^${'~'.repeat(Math.max(0, Math.min(width, to - col) - 1))}`;
  return `${err.format()}\n  ${shown}\n  ${caret}`;
}
