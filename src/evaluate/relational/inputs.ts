/** What the relational figures read: the table sets, their links, the spec, and the typed tables. */
import type { TypedTable } from '../../ml/index.js';
import type { Spec } from '../../spec/schema.js';
import type { Links } from './links.js';
import type { TableSet } from './tables.js';

export interface RelationalInputs {
  real: TableSet;
  synthetic: TableSet;
  holdout?: TableSet;
  links: Links;
  /** The spec or fitted model (`--spec`): its tables' rules are checked across tables and time. */
  spec?: Spec;
}

/** One table's value columns typed for the binned metrics, levels aligned to the real table's (typed-tables.ts). */
export interface TypedSet {
  real: TypedTable;
  synthetic: TypedTable;
  holdout?: TypedTable;
}
