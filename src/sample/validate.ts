/**
 * `validateSpec`: what `strata validate` checks beyond the schema — every table compiled (causal
 * DAG, mechanisms, expressions, rule analysis) — as data a caller can read. A problem throws the
 * same placed `StrataError` that generating would.
 */
import { compileModel } from '../coverage/quantile.js';
import type { LoadedSpec } from '../spec/index.js';

export interface RuleCheck {
  name: string;
  /** How the rule is held on every row: truncated draws, restricted categories, or redraws. */
  enforcement: ('bound' | 'set' | 'residual')[];
}

export interface TableCheck {
  table: string;
  /** Column names in declaration order. */
  columns: string[];
  /** Column names in the order they are drawn (parents first). */
  drawOrder: string[];
  rules: RuleCheck[];
}

export interface SpecValidation {
  /** The spec's content hash (as in LoadedSpec and `--provenance`). */
  hash: string;
  tables: TableCheck[];
}

export function validateSpec(loaded: LoadedSpec): SpecValidation {
  const locator = { file: loaded.source.file, locate: loaded.source.locate.bind(loaded.source) };
  const tables = Object.keys(loaded.spec.tables).map((table): TableCheck => {
    const m = compileModel(loaded.spec, table, { locator });
    return {
      table,
      columns: m.columns.map((c) => c.name),
      drawOrder: m.order.map((i) => m.columns[i].name),
      rules: m.rules.map((r) => ({ name: r.name, enforcement: [...new Set(r.enforcement)] })),
    };
  });
  return { hash: loaded.hash, tables };
}
