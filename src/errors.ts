/**
 * The one error type users see. Every message names the place (file:line:col and/or a spec path)
 * and, where we know it, the fix. The CLI prints `format()` and exits 2 (bad input), or 1 when the
 * cause is the machine rather than the input (`isEnvironmentError`: disk full, an I/O failure).
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
  /** A stable code scripts can test, e.g. `spec.unknown_distribution`. */
  readonly code: string;

  constructor(code: string, message: string, place: ErrorPlace = {}, hint?: string) {
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

/** Codes whose cause is the environment (disk, file system), not the input: the CLI exits 1 for them. */
const ENVIRONMENT_CODES: ReadonlySet<string> = new Set(['io.disk_full', 'io.write']);

export function isEnvironmentError(e: StrataError): boolean {
  return ENVIRONMENT_CODES.has(e.code);
}
