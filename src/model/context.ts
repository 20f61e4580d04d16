/**
 * What the column compilers need to know about the table being compiled, and how they report
 * errors with a place in the spec.
 */
import { type ErrorCode, StrataError } from '../errors.js';

export interface ModelContext {
  tableName: string;
  /** Column name -> index in the row array (declaration order). */
  columnIndex: ReadonlyMap<string, number>;
  /** Resolves `quantile(col, p)` against the model. */
  quantile?: (column: string, p: number) => number;
  /** Build an error placed at a spec path. */
  error(path: readonly (string | number)[], code: ErrorCode, message: string, hint?: string): StrataError;
  /** Re-place an expression error at the spec path holding the expression. */
  wrapExprError(e: unknown, path: readonly (string | number)[], source: string): Error;
}

export function dotted(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

export interface Locator {
  file?: string;
  locate?(path: readonly (string | number)[]): { line: number; column: number } | undefined;
}

export function makeErrorFactory(loc: Locator | undefined): Pick<ModelContext, 'error' | 'wrapExprError'> {
  const error = (path: readonly (string | number)[], code: ErrorCode, message: string, hint?: string) => {
    const pos = loc?.locate?.(path);
    return new StrataError(
      code,
      message,
      { file: loc?.file, line: pos?.line, column: pos?.column, path: dotted(path) },
      hint,
    );
  };
  const wrapExprError = (e: unknown, path: readonly (string | number)[], source: string) => {
    if (e instanceof StrataError) {
      const off = (e as StrataError & { offset?: number }).offset;
      const at = off !== undefined ? ` (at "${source.slice(0, off)}⟨here⟩${source.slice(off)}")` : '';
      return error(path, e.code, `${e.message}${at}`, e.hint);
    }
    return e instanceof Error ? e : new Error(String(e));
  };
  return { error, wrapExprError };
}

/** An error placed by its spec path alone (no file to locate it in): library calls on spec objects. */
export const pathError = makeErrorFactory(undefined).error;
