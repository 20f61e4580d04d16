/**
 * Reading a spec: YAML or JSON text → every problem with its place, or a validated Spec with its
 * source positions and a content hash. All issues are collected; nothing stops at the first.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import canonicalize from 'canonicalize';
import type { ErrorCode } from '../error-codes.js';
import { StrataError } from '../errors.js';
import { keyPaths, nullPrototypeCopy, nullPrototypes, PROTO_STAND_IN } from '../names.js';
import { seedProblem } from '../random/seed.js';
import { checkTableColumns } from './check-columns.js';
import { checkDist, distPaths } from './check-dist.js';
import { checkReferences } from './check-references.js';
import { checkRelational } from './check-relational.js';
import { readDateBreaks, readDateLaws } from './date-laws.js';
import { IssueCollector, SpecError } from './issues.js';
import { dottedPath, isPlainMap, type SpecPath } from './path.js';
import { Spec } from './schema.js';
import { ObjectSpecSource, type SpecSource } from './source.js';
import { readYamlFast, YamlDocument, type YamlProblem } from './yaml.js';
import { translateIssues } from './zod-issues.js';

export interface LoadedSpec {
  spec: Spec;
  source: SpecSource;
  /** sha256 hex of the canonical JSON (RFC 8785) of the parsed spec, first 16 chars. */
  hash: string;
}

export interface SpecCheck {
  /** Present only when there are no issues. */
  spec?: Spec;
  source: SpecSource;
  /** In file order. */
  issues: StrataError[];
}

/** The code of each kind of YAML problem in a spec file. */
const YAML_CODES = {
  syntax: 'spec.yaml_syntax',
  duplicate_key: 'spec.duplicate_key',
  limit: 'spec.yaml',
  tag: 'spec.yaml',
} as const satisfies Record<YamlProblem['kind'], ErrorCode>;

/**
 * Specs that came out of the checks below (from a file or an object). Library entry points take
 * a `Spec` object and check it exactly like a file unless it is one of these, so a spec loaded
 * from a file is not checked twice (a fitted model can be megabytes). A WeakSet: it holds nothing
 * alive.
 */
const CHECKED = new WeakSet<object>();

/** Check a spec text without throwing: the parsed spec when valid, otherwise every issue. */
export function checkSpecText(text: string, file: string): SpecCheck {
  const fast = fastCheck(text, file);
  if (fast) return fast;
  const source = new YamlDocument(file, text);
  const c = new IssueCollector(source);
  const done = (spec?: Spec): SpecCheck => {
    const issues = c.sorted();
    if (issues.length) return { source, issues };
    if (spec) CHECKED.add(spec);
    return { spec, source, issues };
  };

  const problems = source.problems();
  for (const p of problems) c.issues.push(yamlIssue(source, p));
  if (problems.some((p) => p.kind !== 'duplicate_key')) return done();

  if (source.empty) {
    c.report(
      [],
      'spec.empty',
      'the spec is empty',
      'start with "strata: 1" and a "tables:" map (see examples/)',
    );
    return done();
  }
  const read = source.value();
  if ('problem' in read) {
    c.issues.push(yamlIssue(source, read.problem));
    return done();
  }
  const raw = read.value;
  if (!isPlainMap(raw)) {
    c.report(
      [],
      'spec.not_a_map',
      'a spec must be a map with "strata: 1" and "tables:"',
      'start with "strata: 1" and a "tables:" map',
    );
    return done();
  }

  return done(validate(c, raw));
}

/** Every check after the YAML syntax; the spec when the schema accepts it (other issues in `c`). */
function validate(c: IssueCollector, input: Record<string, unknown>): Spec | undefined {
  // Every map keyed by user names is read through null-prototype objects (src/names.ts).
  const raw = nullPrototypeCopy(input);
  for (const path of keyPaths(raw, PROTO_STAND_IN)) {
    c.report(path, 'spec.reserved_name', 'a name may not start with a NUL character', 'remove the "\\0"');
  }
  const dists = distPaths(raw);
  readDateLaws(c, raw, dists);
  readDateBreaks(c, raw);
  for (const path of dists) checkDist(c, raw, path);
  const distKeys = new Set(dists.map((p) => dottedPath(p)));
  const underDist = (path: SpecPath) => path.some((_, i) => distKeys.has(dottedPath(path.slice(0, i + 1))));
  // The seed has its own rule and code (src/random/seed.ts), reported here instead of by the schema.
  const seedIssue = raw.seed === undefined ? undefined : seedProblem(raw.seed);
  if (seedIssue) c.report(['seed'], 'seed.invalid', `seed ${seedIssue}`, 'e.g. seed: 42');
  const skip = (path: SpecPath) => (path.length === 1 && path[0] === 'seed') || underDist(path);

  // The schema would drop `__proto__` keys: it reads them under a stand-in (src/names.ts).
  const parsed = Spec.safeParse(nullPrototypeCopy(raw, ['__proto__', PROTO_STAND_IN]));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      (issue as { path: PropertyKey[] }).path = issue.path.map((seg) =>
        seg === PROTO_STAND_IN ? '__proto__' : seg,
      );
    }
  }
  if (!parsed.success) translateIssues({ collector: c, raw, skip }, Spec, [], parsed.error.issues);

  if (isPlainMap(raw.tables)) {
    for (const [t, table] of Object.entries(raw.tables)) {
      if (t === '')
        c.report(['tables', t], 'spec.empty_name', 'a table name may not be empty', 'give the table a name');
      if (isPlainMap(table) && isPlainMap(table.columns)) checkTableColumns(c, t, table.columns);
    }
  }
  checkReferences(c, raw);
  checkRelational(c, raw);
  return parsed.success ? nullPrototypeCopy(parsed.data, [PROTO_STAND_IN, '__proto__']) : undefined;
}

/**
 * The fast path for valid specs: read without positions (yaml.ts: js-yaml, 7× faster; a fitted
 * model of several MB took seconds to read with positions) and checked as usual. Any problem — a
 * YAML error, a duplicate key, an alias flood, an invalid spec — returns undefined and the slow
 * path reports it with positions, exactly as before. Positions asked for later (a compile error
 * of a valid spec) parse the text then.
 */
function fastCheck(text: string, file: string): SpecCheck | undefined {
  const raw = readYamlFast(text);
  if (!isPlainMap(raw)) return undefined;
  // Issues found here are thrown away and found again with places by the slow path, so this
  // collector places nothing: placing them would parse the text with positions twice.
  const c = new IssueCollector(new ObjectSpecSource());
  const spec = validate(c, raw);
  if (!spec || c.issues.length > 0) return undefined;
  CHECKED.add(spec);
  return { spec, source: new YamlDocument(file, text), issues: [] };
}

/**
 * Check a spec given as an object (library use) exactly as a file is checked: the same schema,
 * the same checks, the same messages and codes, placed by spec path (an object has no lines).
 */
export function checkSpecObject(value: unknown): SpecCheck {
  const source = new ObjectSpecSource();
  const c = new IssueCollector(source);
  let spec: Spec | undefined;
  if (!isPlainMap(value)) {
    c.report(
      [],
      'spec.not_a_map',
      'a spec must be a map with "strata: 1" and "tables:"',
      'start with "strata: 1" and a "tables:" map',
    );
  } else {
    spec = validate(c, value);
  }
  const issues = c.sorted();
  if (issues.length || !spec) return { source, issues };
  CHECKED.add(spec);
  return { spec, source, issues };
}

/**
 * The checked form of a `Spec` object handed to a library entry point: itself when it came from
 * the checks (parseSpecText, loadSpec, a fit), otherwise the result of checking it like a file.
 * Throws a SpecError listing every problem, each placed by spec path.
 */
export function checkedSpec(value: unknown, label = 'the Spec object'): Spec {
  if (typeof value === 'object' && value !== null && CHECKED.has(value)) return value as Spec;
  const { spec, issues } = checkSpecObject(value);
  if (!spec || issues.length) throw new SpecError(label, issues);
  return spec;
}

/** Record that `spec` was built by Strata from checked parts (a fit's output, a scenario's rewrite). */
export function markChecked(spec: Spec): Spec {
  nullPrototypes(spec);
  CHECKED.add(spec);
  return spec;
}

/** A YAML problem of a spec file as an issue placed at its line, column and spec path. */
function yamlIssue(source: YamlDocument, p: YamlProblem): StrataError {
  const pos = source.positionOf(p.offset);
  const path = source.pathAt(p.offset);
  const message = p.kind === 'duplicate_key' ? `duplicate key "${String(path[path.length - 1])}"` : p.message;
  return new StrataError(
    YAML_CODES[p.kind],
    message,
    { file: source.file, line: pos.line, column: pos.column, path: dottedPath(path) || undefined },
    p.hint,
  );
}

/** sha256 hex of the canonical JSON of a spec, first 16 chars. */
export function specHash(spec: Spec): string {
  const json = canonicalize(spec);
  return createHash('sha256')
    .update(json ?? '')
    .digest('hex')
    .slice(0, 16);
}

/** Parse and validate YAML or JSON; throws a SpecError listing every problem. */
export function parseSpecText(text: string, file: string): LoadedSpec {
  const { spec, source, issues } = checkSpecText(text, file);
  if (!spec || issues.length) throw new SpecError(file, issues);
  return { spec, source, hash: specHash(spec) };
}

/** Read a spec file; a missing or unreadable file is a StrataError naming the path. */
export async function loadSpec(path: string): Promise<LoadedSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new StrataError(
        'spec.not_found',
        'spec file not found',
        { file: path },
        'check the path (it is relative to the current directory)',
      );
    }
    if (code === 'EISDIR') {
      throw new StrataError(
        'spec.not_a_file',
        'is a directory, not a spec file',
        { file: path },
        'give the path of a .yaml or .json file',
      );
    }
    throw new StrataError(
      'spec.unreadable',
      `cannot read spec file (${code ?? (e as Error).message})`,
      { file: path },
      'check that the file exists and you may read it',
    );
  }
  return parseSpecText(text, path);
}
