/**
 * Write a fitted spec as YAML a person can read and edit: the one YAML writer (spec/yaml.ts),
 * a header comment saying what was learned, one comment line per column, and compact flow style
 * for short lists and value tables. No anchors or aliases (a shared table edited in one place
 * would silently change another), and no line longer than `MAX_LINE` characters: long flow
 * collections and comments are wrapped onto continuation lines.
 */
import type { Spec } from '../spec/schema.js';
import { toYaml } from '../spec/yaml.js';
import { withIsoDates } from './emit-dates.js';

export interface EmitOptions {
  /** Comment above the document. */
  header: string[];
  /** Table name → column name → one-line summary. */
  columnComments: Record<string, Record<string, string>>;
  /** Table name → table-level key (`count`, `parent`, `sequence`) → one-line comment. */
  tableComments?: Record<string, Record<string, string>>;
  /** Table name → one comment per rule, in order (e.g. how many rows checked it). */
  ruleComments?: Record<string, string[]>;
}

/** Longest line the emitter writes. */
export const MAX_LINE = 200;

/** A single-table spec, or a relational one (tables with `parent`, `count`, `sequence`). */
export type EmittedSpec = Spec | { tables: Record<string, { columns: Record<string, unknown> }> };

export function specToYaml(spec: EmittedSpec, opts: EmitOptions): string {
  // Dates as ISO text, not epoch milliseconds (emit-dates.ts).
  const text = toYaml(withIsoDates(spec), {
    header: opts.header,
    // Scalar-only collections in flow style: `when: [1, Male]`, `values: {a: 0.7, b: 0.3}`;
    // column definitions and the top-level sections stay in block style. Long ones stay in flow
    // style and are wrapped below.
    // A conditional row of a category law (`when`, `values`, `missing`, `n`) is one flow map: one
    // line per row where it fits (wrapYaml continues a longer one), instead of three.
    flow: ({ kind, keys, nested }) =>
      kind === 'seq' ||
      (nested
        ? keys.includes('when') && keys.includes('values')
        : keys.length > 0 && !keys.includes('type') && !keys.includes('strata') && !keys.includes('source')),
    keyComments: [
      ...Object.entries(opts.columnComments).map(([table, comments]) => ({
        map: ['tables', table, 'columns'],
        comments: new Map(Object.entries(comments)),
      })),
      ...Object.entries(opts.tableComments ?? {}).map(([table, comments]) => ({
        map: ['tables', table],
        comments: new Map(Object.entries(comments)),
      })),
    ],
    itemComments: Object.entries(opts.ruleComments ?? {}).map(([table, comments]) => ({
      seq: ['tables', table, 'rules'],
      comments,
    })),
  });
  return wrapYaml(text, MAX_LINE);
}

/** Wrap every line longer than `max`: comments at word breaks, flow collections after a comma. */
export function wrapYaml(text: string, max = MAX_LINE): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.length <= max) out.push(line);
    else if (/^\s*#/.test(line)) out.push(...wrapComment(line, max));
    else out.push(...wrapFlow(line, max));
  }
  return out.join('\n');
}

function wrapComment(line: string, max: number): string[] {
  const indent = /^\s*/.exec(line)![0];
  const words = line
    .slice(indent.length + 1)
    .trim()
    .split(/\s+/);
  const out: string[] = [];
  let cur = `${indent}#`;
  for (const w of words) {
    if (cur.length + 1 + w.length > max && cur.length > indent.length + 1) {
      out.push(cur);
      cur = `${indent}#  `;
    }
    cur += ` ${w}`;
  }
  out.push(cur);
  return out;
}

/**
 * Break a line holding a flow collection after commas (outside quoted strings), continuation
 * lines indented two past the line's block indentation (its leading spaces and `- ` markers), so
 * YAML reads the same value. A line without a flow collection (a long plain scalar) is left as is.
 */
function wrapFlow(line: string, max: number): string[] {
  const lead = /^(\s*(?:- )*)/.exec(line)![1].length;
  const indent = ' '.repeat(lead + 2);
  // Break points: just after ", " at any depth inside a flow collection, outside quotes.
  const breaks: number[] = [];
  let depth = 0;
  let quote: '"' | "'" | null = null;
  for (let i = lead; i < line.length; i++) {
    const ch = line[i];
    if (quote === '"') {
      if (ch === '\\') i++;
      else if (ch === '"') quote = null;
    } else if (quote === "'") {
      if (ch === "'") {
        if (line[i + 1] === "'") i++;
        else quote = null;
      }
    } else if (ch === '"' || ch === "'") {
      if (depth > 0 || /[\s:[{,]/.test(line[i - 1] ?? ' ')) quote = ch;
    } else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth > 0 && line[i + 1] === ' ') breaks.push(i + 1);
    else if (ch === '#' && depth === 0 && line[i - 1] === ' ') break;
  }
  if (breaks.length === 0) return [line];
  const out: string[] = [];
  let start = 0;
  let prefix = '';
  let lastFit = -1;
  for (const b of breaks) {
    if (prefix.length + (b - start) > max && lastFit > start) {
      out.push(prefix + line.slice(start, lastFit));
      start = lastFit + 1; // skip the space after the comma
      prefix = indent;
    }
    lastFit = b;
  }
  if (prefix.length + (line.length - start) > max && lastFit > start) {
    out.push(prefix + line.slice(start, lastFit));
    start = lastFit + 1;
    prefix = indent;
  }
  out.push(prefix + line.slice(start));
  return out;
}
