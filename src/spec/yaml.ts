/**
 * The one YAML reader and writer of Strata: specs and fitted models, knowledge files, gate files,
 * text plans and template sets all come through here, with the same rules:
 * - YAML 1.2 core schema (JSON is YAML too), merge keys (`<<`), no duplicate keys;
 * - no custom or language tags (`!foo`, `!!binary`, `!!js/function`): data only;
 * - bounded alias expansion: anchors and aliases may add at most MAX_ALIAS_NODES values, so a
 *   "billion laughs" file fails at once with a clear error instead of eating memory; at most
 *   MAX_ALIASES alias uses (the `yaml` package's guard) and MAX_DEPTH levels of nesting;
 * - every problem has a line and column.
 *
 * Two libraries, each for what it does best: `yaml` keeps every node's position (errors, and
 * locating spec paths for later messages) but reads about 2 MB/s (Taiwan's 9.4 MB fitted model:
 * 4.4 s of a 5.9 s load); js-yaml reads a valid file about 7× faster without positions. A valid
 * file needs no positions, so `readYamlFast` tries js-yaml first and gives up (undefined) on any
 * problem; the positioned `YamlDocument` then finds and places it. Both give the same values on
 * valid input (yaml.test.ts checks a corpus of scalars, the examples and fitted models).
 */
import { CORE_SCHEMA, load as jsYamlLoad } from 'js-yaml';
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  visit,
  type YAMLError,
} from 'yaml';
import type { ErrorCode } from '../error-codes.js';
import { StrataError } from '../errors.js';
import { dottedPath } from './path.js';

/** Alias uses allowed in one file (the `yaml` package's count, as specs always had). */
export const MAX_ALIASES = 1000;
/** Values that aliases may add to a file beyond those written in it. */
export const MAX_ALIAS_NODES = 100_000;
/** Levels of nesting (a spec needs about 10). */
export const MAX_DEPTH = 200;

export type YamlPath = readonly (string | number)[];

export interface YamlPosition {
  line: number;
  column: number;
}

/** What is wrong with a YAML text, before any schema looks at it. */
export interface YamlProblem {
  kind: 'syntax' | 'duplicate_key' | 'limit' | 'tag';
  message: string;
  hint: string;
  /** 0-based character offset the problem is about. */
  offset: number;
}

const DOCUMENT_OPTIONS = { prettyErrors: false, uniqueKeys: true, merge: true } as const;
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

const HINTS: Record<string, string> = {
  BAD_INDENT: 'check the indentation and that every [ and { is closed',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MISSING_CHAR: 'a closing quote, bracket or brace is missing',
  BAD_DQ_ESCAPE: 'inside "double quotes" write a backslash as \\\\, or use single quotes',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; check for a missing ":" or an unclosed quote above',
  MULTIPLE_DOCS: 'a file holds one document; remove the extra "---"',
  BLOCK_AS_IMPLICIT_KEY: 'check for a missing ":" or wrong indentation',
  UNEXPECTED_TOKEN: 'check the punctuation here (JSON is also accepted)',
  RESOURCE_EXHAUSTION: `nest at most ${MAX_DEPTH} levels deep`,
};

/**
 * The plain data of a valid YAML text without positions (the fast path), or undefined when the
 * text has any problem — a syntax error, a duplicate key, a tag, a merge key, too many aliases —
 * and must be read with `YamlDocument`, which reports it with its place.
 */
export function readYamlFast(text: string): unknown {
  // alias tokens (*name after a separator); a quoted "*" is not one
  const aliases = text.match(/(?:^|[\s[{,:-])\*[^\s,[\]{}]+/g);
  if (aliases && aliases.length > MAX_ALIASES) return undefined;
  let value: unknown;
  try {
    value = jsYamlLoad(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  return expansionProblem(value, text.length) === undefined ? value : undefined;
}

/**
 * A YAML text parsed with positions: its problems, its value, and where a path is in the text.
 * Parsed the first time anything is asked, so a file read by the fast path never pays for it.
 */
export class YamlDocument {
  private parsed: { doc: Document.Parsed; lines: LineCounter } | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  private get state(): { doc: Document.Parsed; lines: LineCounter } {
    if (!this.parsed) {
      const lines = new LineCounter();
      let doc: Document.Parsed;
      try {
        doc = parseDocument(this.text, { ...DOCUMENT_OPTIONS, lineCounter: lines });
      } catch (e) {
        // a deeper recursion than the parser guards against; an empty document carries the error
        doc = parseDocument('', DOCUMENT_OPTIONS);
        doc.errors.push({
          code: 'RESOURCE_EXHAUSTION',
          message: (e as Error).message,
          pos: [0, 1],
        } as YAMLError);
      }
      this.parsed = { doc, lines };
    }
    return this.parsed;
  }

  /** Whether the text holds no value (empty, or only comments). */
  get empty(): boolean {
    return this.state.doc.contents === null || this.text.trim() === '';
  }

  /**
   * Syntax errors, duplicate keys and tags, in file order. An unclosed quote swallows the rest of
   * the file, so the errors that follow from it are left out (they add only noise).
   */
  problems(): YamlProblem[] {
    const { doc } = this.state;
    const unclosed = doc.errors.filter((e) => e.code === 'MISSING_CHAR' && /quote/i.test(e.message));
    const out: YamlProblem[] = [];
    for (const e of doc.errors) {
      if (unclosed.length && !unclosed.includes(e) && unclosed.some((u) => u.pos[0] === e.pos[0])) continue;
      out.push(unclosed.includes(e) ? this.unclosedQuote(e) : yamlError(e));
    }
    if (out.length === 0) out.push(...this.tagProblems());
    return out.sort((a, b) => a.offset - b.offset);
  }

  /** The plain data, or the limit it breaks. Only for a text without `problems()`. */
  value(): { value: unknown } | { problem: YamlProblem } {
    const { doc } = this.state;
    const firstAlias = () => {
      let at = 0;
      visit(doc, {
        Alias(_k, node) {
          at = node.range?.[0] ?? 0;
          return visit.BREAK;
        },
      });
      return at;
    };
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      return {
        problem: {
          kind: 'limit',
          message: `too many aliases: ${(e as Error).message}`,
          hint: `use at most ${MAX_ALIASES} aliases (*name), or write the values out`,
          offset: firstAlias(),
        },
      };
    }
    const limit = expansionProblem(value, this.text.length);
    if (limit === 'depth')
      return {
        problem: {
          kind: 'limit',
          message: `nested more than ${MAX_DEPTH} levels deep`,
          hint: 'flatten the structure',
          offset: 0,
        },
      };
    if (limit === 'aliases')
      return {
        problem: {
          kind: 'limit',
          message: `aliases expand this file by more than ${MAX_ALIAS_NODES.toLocaleString('en-US')} values`,
          hint: 'anchors that alias other aliases multiply (a "billion laughs"); write the values out instead',
          offset: firstAlias(),
        },
      };
    return { value };
  }

  /** 1-based position of the node at `path`, or of its nearest existing ancestor. */
  locate(path: YamlPath): YamlPosition | undefined {
    return this.position(path, false);
  }

  /** Position of the map key of the last path segment (for "unknown key" messages); else like `locate`. */
  locateKey(path: YamlPath): YamlPosition | undefined {
    return this.position(path, true);
  }

  /** 1-based position of a character offset. */
  positionOf(offset: number): YamlPosition {
    const { line, col } = this.state.lines.linePos(offset);
    return { line, column: col };
  }

  /** The deepest path whose key or value contains `offset` (for placing YAML errors). */
  pathAt(offset: number): (string | number)[] {
    const path: (string | number)[] = [];
    let node: unknown = this.state.doc.contents;
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find((p) => contains(p.key, offset) || contains(p.value, offset));
        if (!pair) return path;
        path.push(keyText(pair));
        if (contains(pair.key, offset)) return path;
        node = pair.value;
      } else if (isSeq(node)) {
        const i = node.items.findIndex((item) => contains(item, offset));
        if (i < 0) return path;
        path.push(i);
        node = node.items[i];
      } else {
        return path;
      }
    }
  }

  private position(path: YamlPath, atKey: boolean): YamlPosition | undefined {
    const { doc } = this.state;
    if (!doc.contents) return { line: 1, column: 1 };
    let step: Step = { node: doc.contents as Node, keyNode: null };
    let best = startOf(step.node);
    for (const seg of path) {
      const next = child(step.node, seg);
      if (!next) break;
      step = next;
      const here =
        atKey && step.keyNode ? startOf(step.keyNode) : (startOf(step.node) ?? startOf(step.keyNode));
      if (here !== undefined) best = here;
    }
    if (!atKey && step.keyNode && isEmptyScalar(step.node)) best = startOf(step.keyNode) ?? best;
    return best === undefined ? undefined : this.positionOf(best);
  }

  private unclosedQuote(e: YAMLError): YamlProblem {
    // yaml notices the missing quote at the end of the file; point at the quote that opens it
    let start: number | undefined;
    visit(this.state.doc, {
      Scalar(_key, node) {
        const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
        if (quoted && node.range && node.range[1] >= e.pos[0]) start = node.range[0];
      },
    });
    return {
      kind: 'syntax',
      message: 'YAML syntax error: this quoted string is never closed',
      hint: 'add the closing quote (it runs to the end of the file)',
      offset: start ?? e.pos[0],
    };
  }

  private tagProblems(): YamlProblem[] {
    const out: YamlProblem[] = [];
    const text = this.text;
    // a node's range starts at its value; its tag is the last "!..." token before it
    const tagStart = (valueAt: number): number => {
      let i = text.lastIndexOf('!', valueAt);
      if (i < 0) return valueAt;
      while (i > 0 && !/[\s[{,]/.test(text[i - 1])) i--;
      return i;
    };
    visit(this.state.doc, {
      Node(_key, node) {
        const tag = (node as { tag?: string }).tag;
        if (tag === undefined || tag === '!' || CORE_TAGS.has(tag)) return;
        out.push({
          kind: 'tag',
          message: `the tag ${tag.replace('tag:yaml.org,2002:', '!!')} is not allowed`,
          hint: 'write plain values: strings, numbers, booleans, lists and maps',
          offset: tagStart((node as Node).range?.[0] ?? 0),
        });
      },
    });
    return out;
  }
}

function yamlError(e: YAMLError): YamlProblem {
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (e.code === 'DUPLICATE_KEY')
    return {
      kind: 'duplicate_key',
      message: 'duplicate key',
      hint: 'each key may appear once in a map; merge the two entries or rename one',
      offset: e.pos[0],
    };
  return {
    kind: e.code === 'RESOURCE_EXHAUSTION' ? 'limit' : 'syntax',
    message:
      e.code === 'RESOURCE_EXHAUSTION'
        ? `the YAML is nested too deeply (${first})`
        : `YAML syntax error: ${first}`,
    hint: HINTS[e.code] ?? 'fix the YAML syntax here (JSON is also accepted)',
    offset: e.pos[0],
  };
}

/**
 * Whether aliases make `value` (a tree whose shared parts are aliases) larger than the text
 * plus MAX_ALIAS_NODES values, or nest it deeper than MAX_DEPTH. Every value takes at least one
 * character of text, so a file without aliases never trips it. Linear in the distinct values:
 * each shared part is sized once.
 */
function expansionProblem(value: unknown, textLength: number): 'aliases' | 'depth' | undefined {
  const sizes = new Map<object, number>();
  let tooDeep = false;
  const size = (v: unknown, depth: number): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = sizes.get(v);
    if (known !== undefined) return known;
    if (depth > MAX_DEPTH) {
      tooDeep = true;
      return 1;
    }
    let n = 1;
    if (Array.isArray(v)) for (const x of v) n += size(x, depth + 1);
    else for (const x of Object.values(v)) n += 1 + size(x, depth + 1);
    sizes.set(v, n);
    return n;
  };
  const total = size(value, 0);
  if (tooDeep) return 'depth';
  return total > textLength + MAX_ALIAS_NODES ? 'aliases' : undefined;
}

type Step = { node: Node | null; keyNode: Node | null };

function child(node: Node | null, seg: string | number): Step | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => keyText(p) === String(seg));
    if (!pair) return undefined;
    return { node: (pair.value as Node | null) ?? null, keyNode: (pair.key as Node | null) ?? null };
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg] as Node | undefined;
    return item ? { node: item, keyNode: null } : undefined;
  }
  return undefined;
}

function keyText(pair: Pair<unknown, unknown>): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function startOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

function contains(node: unknown, offset: number): boolean {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return !!range && offset >= range[0] && offset < Math.max(range[2], range[0] + 1);
}

/** `key:` with nothing after it parses as an empty null scalar positioned after the colon. */
function isEmptyScalar(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null && !node.source);
}

/**
 * Read a YAML (or JSON) file's text into plain data, for loaders whose files are small (knowledge,
 * gates, text plans): the first problem is a StrataError with the loader's `code`, the file, line
 * and column; `doc` places later (schema) problems. An empty text reads as null.
 */
export function loadYaml(text: string, file: string, code: ErrorCode): { value: unknown; doc: YamlDocument } {
  const doc = new YamlDocument(file, text);
  const fail = (p: YamlProblem): never => {
    const { line, column } = doc.positionOf(p.offset);
    const path = doc.pathAt(p.offset);
    const message =
      p.kind === 'duplicate_key' ? `duplicate key "${String(path[path.length - 1])}"` : p.message;
    throw new StrataError(code, message, { file, line, column, path: dottedPath(path) || undefined }, p.hint);
  };
  const problems = doc.problems();
  if (problems.length > 0) fail(problems[0]);
  if (doc.empty) return { value: null, doc };
  const read = doc.value();
  if ('problem' in read) return fail(read.problem);
  return { value: read.value, doc };
}

export interface YamlWriteOptions {
  /** Comment lines above the document. */
  header?: readonly string[];
  /**
   * Whether a list or map holding only scalars (a list: or lists of scalars) is written in flow
   * style (`[1, Male]`, `[[a, b], "*"]`, `{a: 0.7, b: 0.3}`); `keys` are the map's keys (empty for a list). Default: block style.
   * A map whose values are scalars or such collections is asked with `nested: true` (a table row
   * on one line: `{when: [a, "*"], values: {x: 0.7, y: 0.3}, n: 215}`).
   */
  flow?: (collection: { kind: 'seq' | 'map'; keys: readonly string[]; nested?: true }) => boolean;
  /** A comment line above keys of the map at `map`: key → comment. */
  keyComments?: readonly { map: YamlPath; comments: ReadonlyMap<string, string> }[];
  /** A comment line above items of the list at `seq`, by position (a fitted rule's evidence). */
  itemComments?: readonly { seq: YamlPath; comments: readonly string[] }[];
}

/**
 * YAML text of plain data a person can read and edit: no line folding; an object that appears
 * twice is written once, with an anchor, and aliased (fitted models share bin breaks this way).
 */
export function toYaml(value: unknown, opts: YamlWriteOptions = {}): string {
  // aliasDuplicateObjects: false — an object reused in two places is written twice, never as an
  // anchor and an alias (editing the first would silently edit the second).
  const doc = new Document(value, { aliasDuplicateObjects: false });
  if (opts.header?.length) doc.commentBefore = opts.header.map((l) => ` ${l}`).join('\n');
  const flow = opts.flow;
  if (flow) {
    const scalarsOnly = (items: readonly unknown[]) =>
      items.every((it) => isScalar(it) || isScalar((it as Pair | null)?.value));
    visit(doc, {
      Seq(_, node) {
        // a list of scalars, or of such lists (a `when` of a context-specific table: `[[a, b], "*"]`)
        const flat = node.items.every((it) => isScalar(it) || (isSeq(it) && scalarsOnly(it.items)));
        if (flat && flow({ kind: 'seq', keys: [] })) node.flow = true;
      },
      Map(_, node) {
        const keys = node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
        if (scalarsOnly(node.items)) {
          if (flow({ kind: 'map', keys })) node.flow = true;
          return;
        }
        // one level of flat collections below (a list of lists counts as flat, as for Seq)
        const flat = (v: unknown) =>
          isScalar(v) ||
          (isSeq(v) && v.items.every((it) => isScalar(it) || (isSeq(it) && scalarsOnly(it.items)))) ||
          (isMap(v) && scalarsOnly(v.items));
        if (node.items.every((p) => flat(p.value)) && flow({ kind: 'map', keys, nested: true }))
          node.flow = true;
      },
    });
  }
  for (const { map, comments } of opts.keyComments ?? []) {
    const target = doc.getIn(map);
    if (!isMap(target)) continue;
    for (const pair of target.items) {
      if (!isScalar(pair.key)) continue;
      const c = comments.get(String(pair.key.value));
      if (c !== undefined) pair.key.commentBefore = ` ${c}`;
    }
  }
  for (const { seq, comments } of opts.itemComments ?? []) {
    const target = doc.getIn(seq);
    if (!isSeq(target)) continue;
    target.items.forEach((item, i) => {
      if (comments[i] !== undefined && (isMap(item) || isScalar(item)))
        item.commentBefore = ` ${comments[i]}`;
    });
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
