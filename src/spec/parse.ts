/**
 * Reading a spec: YAML or JSON text → every problem with its place, or a validated Spec with its
 * source positions and a content hash. All issues are collected; nothing stops at the first.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import canonicalize from 'canonicalize';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { type Document, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import { StrataError } from '../errors.js';
import { checkTableColumns } from './check-columns.js';
import { checkDist, distPaths } from './check-dist.js';
import { checkReferences } from './check-references.js';
import { checkRelational } from './check-relational.js';
import { IssueCollector, SpecError } from './issues.js';
import { dottedPath, isPlainMap, type SpecPath } from './path.js';
import { Spec } from './schema.js';
import { ObjectSpecSource, type SpecSource, YAML_DOCUMENT_OPTIONS, YamlSpecSource } from './source.js';
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

const YAML_HINTS: Record<string, string> = {
  BAD_INDENT: 'check the indentation and that every [ and { is closed',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MISSING_CHAR: 'a closing quote, bracket or brace is missing',
  BAD_DQ_ESCAPE: 'inside "double quotes" write a backslash as \\\\, or use single quotes',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; check for a missing ":" or an unclosed quote above',
  MULTIPLE_DOCS: 'a spec file holds one document; remove the extra "---"',
  BLOCK_AS_IMPLICIT_KEY: 'check for a missing ":" or wrong indentation',
  UNEXPECTED_TOKEN: 'check the punctuation here (JSON is also accepted)',
};

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
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...YAML_DOCUMENT_OPTIONS, lineCounter: lines });
  const source = new YamlSpecSource(file, text, doc, lines);
  const c = new IssueCollector(source);
  const done = (spec?: Spec): SpecCheck => {
    const issues = c.sorted();
    if (issues.length) return { source, issues };
    if (spec) CHECKED.add(spec);
    return { spec, source, issues };
  };

  const unclosed = doc.errors.filter((e) => e.code === 'MISSING_CHAR' && /quote/i.test(e.message));
  for (const e of doc.errors) {
    // An unclosed quote swallows the rest of the file; the errors that follow from it add only noise.
    if (unclosed.length && !unclosed.includes(e) && unclosed.some((u) => u.pos[0] === e.pos[0])) continue;
    reportYamlError(c, source, e, unclosed.includes(e) ? openingQuote(doc, e.pos[0]) : undefined);
  }
  if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return done();

  if (doc.contents === null || text.trim() === '') {
    c.report(
      [],
      'spec.empty',
      'the spec is empty',
      'start with "strata: 1" and a "tables:" map (see examples/)',
    );
    return done();
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    c.report([], 'spec.yaml', `cannot read the YAML: ${(e as Error).message}`, 'simplify anchors/aliases');
    return done();
  }
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
function validate(c: IssueCollector, raw: Record<string, unknown>): Spec | undefined {
  const dists = distPaths(raw);
  for (const path of dists) checkDist(c, raw, path);
  const distKeys = new Set(dists.map((p) => dottedPath(p)));
  const underDist = (path: SpecPath) => path.some((_, i) => distKeys.has(dottedPath(path.slice(0, i + 1))));

  const parsed = Spec.safeParse(raw);
  if (!parsed.success) translateIssues({ collector: c, raw, skip: underDist }, Spec, [], parsed.error.issues);

  if (isPlainMap(raw.tables)) {
    for (const [t, table] of Object.entries(raw.tables)) {
      if (isPlainMap(table) && isPlainMap(table.columns)) checkTableColumns(c, t, table.columns);
    }
  }
  checkReferences(c, raw);
  checkRelational(c, raw);
  return parsed.success ? parsed.data : undefined;
}

/** More aliases than this go the slow way, which refuses them by name (as yaml's maxAliasCount). */
const FAST_MAX_ALIASES = 1000;

/**
 * The fast path for valid specs. `yaml` keeps every node's position so that problems can be
 * placed, and reads about 2 MB/s: a fitted model of several MB took seconds (Taiwan's 9.4 MB:
 * 4.4 s of a 5.9 s load). A valid spec needs no positions, so it is read with js-yaml (YAML 1.2
 * core schema, 7× faster; both libraries give the same values on valid input — tested on a corpus
 * of scalars, the examples and fitted models) and checked as usual. Any problem — a YAML error,
 * a duplicate key, an alias flood, an invalid spec — returns undefined and the slow path reports
 * it with positions, exactly as before. Positions asked for later (a compile error of a valid
 * spec) parse the text with `yaml` then.
 */
function fastCheck(text: string, file: string): SpecCheck | undefined {
  // alias tokens (*name after a separator); a quoted "*" is not one
  const aliases = text.match(/(?:^|[\s[{,:-])\*[^\s,[\]{}]+/g);
  if (aliases && aliases.length > FAST_MAX_ALIASES) return undefined;
  let raw: unknown;
  try {
    raw = loadYaml(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (!isPlainMap(raw)) return undefined;
  // Issues found here are thrown away and found again with places by the slow path, so this
  // collector's source has no document: placing them would parse the text with yaml twice.
  const c = new IssueCollector(new YamlSpecSource(file, text, undefined, new LineCounter()));
  const spec = validate(c, raw);
  if (!spec || c.issues.length > 0) return undefined;
  CHECKED.add(spec);
  return { spec, source: YamlSpecSource.lazy(file, text), issues: [] };
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
  CHECKED.add(spec);
  return spec;
}

/** Start offset of the quoted scalar that runs to `offset` (where yaml noticed the missing quote). */
function openingQuote(doc: Document.Parsed, offset: number): number | undefined {
  let start: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (quoted && node.range && node.range[1] >= offset) start = node.range[0];
    },
  });
  return start;
}

function reportYamlError(c: IssueCollector, source: YamlSpecSource, e: YAMLError, quoteStart?: number): void {
  if (quoteStart !== undefined) {
    const pos = source.positionOf(quoteStart);
    const path = source.pathAt(quoteStart);
    c.issues.push(
      new StrataError(
        'spec.yaml_syntax',
        'YAML syntax error: this quoted string is never closed',
        { file: source.file, line: pos.line, column: pos.column, path: dottedPath(path) || undefined },
        'add the closing quote (it runs to the end of the file)',
      ),
    );
    return;
  }
  const offset = e.pos[0];
  const pos = source.positionOf(offset);
  const path = source.pathAt(offset);
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const duplicate = e.code === 'DUPLICATE_KEY';
  const key = path[path.length - 1];
  const issue = new StrataError(
    duplicate ? 'spec.duplicate_key' : 'spec.yaml_syntax',
    duplicate ? `duplicate key "${String(key)}"` : `YAML syntax error: ${first}`,
    { file: source.file, line: pos.line, column: pos.column, path: dottedPath(path) || undefined },
    duplicate
      ? 'each key may appear once in a map; merge the two entries or rename one'
      : (YAML_HINTS[e.code] ?? 'fix the YAML syntax here (JSON is also accepted)'),
  );
  c.issues.push(issue);
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
