import { type ErrorCode, exitStatus } from './error-codes.js';

export { type ErrorCode, exitStatus };

/**
 * The one error type users see. Every message names the place (file:line:col and/or a spec path)
 * and, where we know it, the fix. The CLI prints `format()` and exits 2 (bad input), or 1 when the
 * cause is the machine rather than the input (`isEnvironmentError`; each code's status is in
 * src/error-codes.ts).
 */
export interface ErrorPlace {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted path inside a spec/plan, e.g. `tables.customer.columns.age.dist`. */
  path?: string;
}

export class StrataError extends Error {
  readonly place: ErrorPlace;
  readonly hint?: string;
  /** A stable code scripts can test, e.g. `spec.unknown_distribution` (all in src/error-codes.ts). */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, place: ErrorPlace = {}, hint?: string) {
    super(message);
    this.name = 'StrataError';
    this.code = code;
    this.place = place;
    this.hint = hint;
  }

  /** `spec.yaml:12:5 tables.customer.columns.age.dist: unknown distribution "normall" — did you mean "normal"?` */
  format(): string {
    const { file, line, column, path } = this.place;
    let where = '';
    if (file) where += file;
    if (file && line !== undefined) where += `:${line}${column !== undefined ? `:${column}` : ''}`;
    if (path) where += `${where ? ' ' : ''}${path}`;
    const msg = `${where ? `${where}: ` : ''}${this.message}`;
    return this.hint ? `${msg} — ${this.hint}` : msg;
  }
}

export function isStrataError(e: unknown): e is StrataError {
  return e instanceof StrataError;
}

/**
 * The error of a run cancelled through its `AbortSignal` (`run.aborted`, exit status 1). The
 * signal's reason, when there is one, is the `cause`.
 */
export function abortError(signal?: AbortSignal): StrataError {
  const err = new StrataError(
    'run.aborted',
    'the run was cancelled',
    {},
    'nothing was written; run it again to finish',
  );
  if (signal?.reason !== undefined) Object.defineProperty(err, 'cause', { value: signal.reason });
  return err;
}

/** Throws `run.aborted` when `signal` has fired. Long runs call it between blocks and steps. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/**
 * Let pending events run (a timer or another task may abort the signal), then `throwIfAborted`.
 * A CPU-bound run that never awaits cannot see an abort: it calls this between its steps.
 */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  throwIfAborted(signal);
}

/**
 * Whether the cause is the environment (disk, I/O, network, provider, cancellation) rather than
 * the input: the catalogue's exit status 1 for the code (src/error-codes.ts).
 */
export function isEnvironmentError(e: StrataError): boolean {
  return exitStatus(e.code) === 1;
}
