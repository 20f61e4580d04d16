/**
 * Where things are in a spec file: maps spec paths to 1-based line/column positions (and back, from
 * a character offset to the deepest spec path), using the `yaml` package's Document + LineCounter.
 */
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
} from 'yaml';
import type { SpecPath } from './path.js';

export interface SpecPosition {
  line: number;
  column: number;
}

export interface SpecSource {
  /** As given by the user (for messages). */
  file: string;
  text: string;
  /**
   * 1-based line/column of the node at a spec path like
   * `['tables','customer','columns','age','dist']`; falls back to the nearest existing ancestor.
   */
  locate(path: SpecPath): SpecPosition | undefined;
}

/** A source that can also point at a map key (what the spec checks report through). */
export interface KeyedSpecSource extends SpecSource {
  locateKey(path: SpecPath): SpecPosition | undefined;
}

/**
 * A spec handed over as an object (library use): no text, no lines; problems are placed by their
 * spec path alone.
 */
export class ObjectSpecSource implements KeyedSpecSource {
  readonly file = '';
  readonly text = '';
  locate(): undefined {
    return undefined;
  }
  locateKey(): undefined {
    return undefined;
  }
}

type Step = { node: Node | null; keyNode: Node | null };

/** Options of the one `yaml` parse whose nodes give positions (shared by parse.ts). */
export const YAML_DOCUMENT_OPTIONS = { prettyErrors: false, uniqueKeys: true, merge: true } as const;

/**
 * A SpecSource backed by a parsed YAML document. `locateKey` points at a map key instead of its
 * value. Without a document (`lazy`), the text is parsed the first time a position is asked
 * for: a valid spec read by the fast path never pays for the position-keeping parse.
 */
export class YamlSpecSource implements KeyedSpecSource {
  private parsed: { doc: Document.Parsed | undefined; lines: LineCounter } | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    doc?: Document.Parsed,
    lines?: LineCounter,
  ) {
    if (lines) this.parsed = { doc, lines };
  }

  static lazy(file: string, text: string): YamlSpecSource {
    return new YamlSpecSource(file, text);
  }

  private get doc(): Document.Parsed | undefined {
    return this.state.doc;
  }

  private get lines(): LineCounter {
    return this.state.lines;
  }

  private get state(): { doc: Document.Parsed | undefined; lines: LineCounter } {
    if (!this.parsed) {
      const lines = new LineCounter();
      this.parsed = {
        doc: parseDocument(this.text, { ...YAML_DOCUMENT_OPTIONS, lineCounter: lines }),
        lines,
      };
    }
    return this.parsed;
  }

  locate(path: SpecPath): SpecPosition | undefined {
    return this.position(path, false);
  }

  /** Position of the key of the last path segment (for "unknown key" messages); else like `locate`. */
  locateKey(path: SpecPath): SpecPosition | undefined {
    return this.position(path, true);
  }

  /** 1-based position of a character offset. */
  positionOf(offset: number): SpecPosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /** The deepest spec path whose key or value contains `offset` (for YAML errors). */
  pathAt(offset: number): (string | number)[] {
    const path: (string | number)[] = [];
    let node: unknown = this.doc?.contents ?? null;
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

  private position(path: SpecPath, atKey: boolean): SpecPosition | undefined {
    if (!this.doc?.contents) return { line: 1, column: 1 };
    let step: Step = { node: this.doc.contents as Node, keyNode: null };
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
}

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
