/**
 * The columns Strata adds to generated rows beside the spec's own: per-row provenance
 * (`--provenance`) and coverage bookkeeping. One home for the names, so a reader that leaves them
 * out (evaluate) leaves out exactly these — never a user's column that merely starts with "_"
 * (`__proto__`, `_id`, `_score`), which a "leading underscore" test dropped silently.
 */

/**
 * Per-row provenance: the spec's hash, the row's random stream (seed/table/block/row), rule
 * redraws, then the run id and the row's block and index in that block, which is what
 * `strata ledger check-row` needs to redraw the row alone (blocks are the unit of determinism).
 */
export const PROVENANCE_COLUMNS = [
  '_spec_hash',
  '_stream',
  '_rule_retries',
  '_run_id',
  '_block',
  '_row',
] as const;

/** Coverage bookkeeping: the row's plan cell, its design weight, its scenario, extrapolated tail. */
export const COVERAGE_COLUMNS = ['_cell', '_weight', '_scenario', '_extrapolated'] as const;

/** Every column name Strata adds to its output. */
export const ADDED_COLUMNS: ReadonlySet<string> = new Set<string>([
  ...PROVENANCE_COLUMNS,
  ...COVERAGE_COLUMNS,
]);
