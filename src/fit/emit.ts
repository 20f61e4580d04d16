/**
 * Write a fitted spec as YAML a person can read and edit: the `yaml` package's Document API,
 * a header comment saying what was learned, one comment line per column, and compact flow style
 * for short lists and value tables.
 */
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  visit,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Spec } from '../spec/schema.js';

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

const allScalars = (items: readonly unknown[]): boolean =>
  items.every((it) => {
    if (isScalar(it)) return true;
    const pair = it as Pair;
    return pair && isScalar(pair.value);
  });

/** A single-table spec, or a relational one (tables with `parent`, `count`, `sequence`). */
export type EmittedSpec = Spec | { tables: Record<string, { columns: Record<string, unknown> }> };

export function specToYaml(spec: EmittedSpec, opts: EmitOptions): string {
  const doc = new Document(spec);
  doc.commentBefore = opts.header.map((l) => ` ${l}`).join('\n');
  // Short scalar-only collections in flow style: `when: [1, Male]`, `values: { a: 0.7, b: 0.3 }`.
  visit(doc, {
    Seq(_, node) {
      if (allScalars(node.items)) node.flow = true;
    },
    Map(_, node) {
      if (node.items.length > 0 && node.items.length <= 60 && allScalars(node.items)) {
        const keys = node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
        // Keep column definitions and the top-level sections in block style.
        if (!keys.includes('type') && !keys.includes('strata') && !keys.includes('source')) node.flow = true;
      }
    },
  });
  for (const [table, comments] of Object.entries(opts.columnComments)) {
    const cols = doc.getIn(['tables', table, 'columns']) as YAMLMap | undefined;
    if (!cols || !isMap(cols)) continue;
    for (const pair of cols.items) {
      const key = pair.key as Node;
      const name = isScalar(key) ? String(key.value) : '';
      const c = comments[name];
      if (c && isScalar(key)) key.commentBefore = ` ${c}`;
    }
  }
  for (const [table, comments] of Object.entries(opts.tableComments ?? {})) {
    const t = doc.getIn(['tables', table]) as YAMLMap | undefined;
    if (!t || !isMap(t)) continue;
    for (const pair of t.items) {
      const key = pair.key as Node;
      const c = isScalar(key) ? comments[String(key.value)] : undefined;
      if (c && isScalar(key)) key.commentBefore = ` ${c}`;
    }
  }
  for (const [table, comments] of Object.entries(opts.ruleComments ?? {})) {
    const rules = doc.getIn(['tables', table, 'rules']) as YAMLSeq | undefined;
    if (!rules || !isSeq(rules)) continue;
    rules.items.forEach((item, i) => {
      if (comments[i] && isMap(item)) (item as YAMLMap).commentBefore = ` ${comments[i]}`;
    });
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
