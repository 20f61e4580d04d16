/**
 * Write a fitted spec as YAML a person can read and edit: a header comment saying what was
 * learned, one comment line per column, and compact flow style for short lists and value tables.
 */
import type { Spec } from '../spec/schema.js';
import { toYaml } from '../spec/yaml.js';

export interface EmitOptions {
  /** Comment above the document. */
  header: string[];
  /** Table name → column name → one-line summary. */
  columnComments: Record<string, Record<string, string>>;
}

export function specToYaml(spec: Spec, opts: EmitOptions): string {
  return toYaml(spec, {
    header: opts.header,
    // Short scalar-only collections in flow style: `when: [1, Male]`, `values: {a: 0.7, b: 0.3}`;
    // column definitions and the top-level sections stay in block style.
    flow: ({ kind, keys }) =>
      kind === 'seq' ||
      (keys.length > 0 &&
        keys.length <= 60 &&
        !keys.includes('type') &&
        !keys.includes('strata') &&
        !keys.includes('source')),
    keyComments: Object.entries(opts.columnComments).map(([table, comments]) => ({
      map: ['tables', table, 'columns'],
      comments: new Map(Object.entries(comments)),
    })),
  });
}
