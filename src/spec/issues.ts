/** Spec problems as StrataErrors that carry their place, and the collector that gathers them. */
import { type ErrorCode, StrataError } from '../errors.js';
import { dottedPath, type SpecPath } from './path.js';
import type { KeyedSpecSource, SpecSource } from './source.js';

/** Every problem found in one spec file; `format()` lists each on its own line, then the count. */
export class SpecError extends StrataError {
  readonly issues: StrataError[];
  /** `N problem(s) in FILE` */
  readonly summary: string;

  constructor(file: string, issues: readonly StrataError[]) {
    const summary = problemCount(issues.length, file);
    // The message carries the full listing too, so an uncaught SpecError still shows every problem.
    super('spec.invalid', [...issues.map((i) => i.format()), summary].join('\n'), { file }, undefined);
    this.name = 'SpecError';
    this.issues = [...issues];
    this.summary = summary;
  }

  override format(): string {
    return [...this.issues.map((i) => i.format()), this.summary].join('\n');
  }
}

function problemCount(n: number, file: string): string {
  return `${n} problem${n === 1 ? '' : 's'} in ${file}`;
}

/** A StrataError placed at `path` in the spec (file:line:col + dotted path). The engine uses this too. */
export function specError(
  source: SpecSource,
  path: SpecPath,
  code: ErrorCode,
  message: string,
  hint?: string,
): StrataError {
  const pos = source.locate(path);
  return new StrataError(
    code,
    message,
    { file: source.file, line: pos?.line, column: pos?.column, path: dottedPath(path) || undefined },
    hint,
  );
}

export interface ReportOptions {
  /** Point at the map key of the last segment of `locateAt` (default: the value). */
  atKey?: boolean;
  /** Locate this path instead of the reported one (e.g. report `…dist`, point at its bad key). */
  locateAt?: SpecPath;
  /**
   * This report says all there is to say about `path`: later reports at the same path are dropped
   * (a knot that is no ISO date is not also "expected a number": the two hints contradict).
   */
  settles?: boolean;
}

/** Gathers issues while a spec is checked; nothing stops at the first problem. */
export class IssueCollector {
  readonly issues: StrataError[] = [];
  /** Dotted paths whose problem has been reported in full (`ReportOptions.settles`). */
  private readonly settled = new Set<string>();

  constructor(readonly source: KeyedSpecSource) {}

  report(path: SpecPath, code: ErrorCode, message: string, hint?: string, opts: ReportOptions = {}): void {
    const dotted = dottedPath(path);
    if (this.settled.has(dotted)) return;
    if (opts.settles) this.settled.add(dotted);
    const at = opts.locateAt ?? path;
    const pos = opts.atKey ? this.source.locateKey(at) : this.source.locate(at);
    this.issues.push(
      new StrataError(
        code,
        message,
        {
          file: this.source.file || undefined,
          line: pos?.line,
          column: pos?.column,
          path: dottedPath(path) || undefined,
        },
        hint,
      ),
    );
  }

  /** Issues in file order, exact duplicates removed. */
  sorted(): StrataError[] {
    const seen = new Set<string>();
    return this.issues
      .map((issue, i) => ({ issue, i }))
      .sort(
        (a, b) =>
          (a.issue.place.line ?? 0) - (b.issue.place.line ?? 0) ||
          (a.issue.place.column ?? 0) - (b.issue.place.column ?? 0) ||
          a.i - b.i,
      )
      .map(({ issue }) => issue)
      .filter((issue) => {
        const key = `${issue.code}|${issue.format()}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  }
}
