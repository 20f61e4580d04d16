/**
 * `validateSpec`: what `strata validate` checks beyond the schema — every table compiled (causal
 * DAG, mechanisms, expressions, rule analysis) — as data a caller can read. A problem throws the
 * same placed `StrataError` that generating would.
 */
import { compileModel } from '../coverage/quantile.js';
import type { TableModel } from '../model/compile.js';
import { compileRelational } from '../model/relational.js';
import type { LoadedSpec } from '../spec/index.js';
import { isRelational } from '../spec/relational.js';

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
  // A relational spec is compiled as `generate` compiles it: each table with its context slots
  // (parent.x, prev.x, T.x) and its aggregates over child tables (count(T), sum(T.x)). Compiled
  // one table at a time without them, the bundled customer-journey example failed validation.
  if (isRelational(loaded.spec)) {
    const rm = compileRelational(loaded.spec, { locator });
    const tables = rm.tables
      .filter((t) => !t.hidden)
      .map((t) => {
        const check = tableCheck(t.name, t.model);
        // rules over child aggregates hold by redrawing the children (model/entities.ts)
        for (const r of t.lateRules) check.rules.push({ name: r.name, enforcement: ['residual'] });
        return check;
      });
    return { hash: loaded.hash, tables };
  }
  const tables = Object.keys(loaded.spec.tables).map((table) =>
    tableCheck(table, compileModel(loaded.spec, table, { locator })),
  );
  return { hash: loaded.hash, tables };
}

function tableCheck(table: string, m: TableModel): TableCheck {
  return {
    table,
    columns: m.columns.map((c) => c.name),
    drawOrder: m.order.map((i) => m.columns[i].name),
    rules: m.rules.map((r) => ({ name: r.name, enforcement: [...new Set(r.enforcement)] })),
  };
}
