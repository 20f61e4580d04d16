/**
 * Draw one block of rows from a compiled table model.
 *
 * Blocks are the unit of determinism: block b of table t always uses the streams
 * (seed, t, column, b), whatever worker draws it, so output is byte-identical for any worker count.
 */
import { StrataError } from '../errors.js';
import { type Stream, streamFor } from '../random/stream.js';
import { isFree, rowRange, type TableModel } from './compile.js';
import type { Value } from './values.js';

export const BLOCK_ROWS = 8192;

/** Per-row redraws before a rule is declared infeasible for that row. */
const MAX_ROW_RETRIES = 1000;
/** Acceptance below this share over at least MIN_CHECKS checks stops the run. */
const MIN_ACCEPTANCE = 0.01;
const MIN_CHECKS = 2000;

export interface Block {
  index: number;
  start: number;
  count: number;
  /** values[column][row], in declaration order. */
  values: Value[][];
  /** Redraws each row needed to satisfy the rules. */
  retries: Int32Array;
  /** Extra output columns appended after the table's (coverage: _cell, _weight, ...). */
  extra?: { names: string[]; values: (string | number | boolean | null)[][] };
}

/**
 * The write streams of a block: for each column with a writer (`other:`), a stream named by the
 * block's stream names plus `#write`; undefined elsewhere. Apart from the drawing streams, so the
 * other values of a row do not change when a column gains `other:`.
 */
export function writeStreams(
  model: TableModel,
  seed: number,
  ...names: (string | number)[]
): (Stream | undefined)[] {
  return model.columns.map((c, i) =>
    model.writers[i] ? streamFor(seed, model.table, ...names, c.name, '#write') : undefined,
  );
}

/** Copy a finished row into output position `i`, each value as its column writes it. */
export function writeRow(
  model: TableModel,
  row: readonly Value[],
  values: Value[][],
  i: number,
  streams: readonly (Stream | undefined)[],
): void {
  const { writers } = model;
  for (let c = 0; c < values.length; c++) {
    const w = writers[c];
    values[c][i] = w ? w(row[c], row, streams[c]!) : row[c];
  }
}

export interface RuleStats {
  checks: Float64Array;
  failures: Float64Array;
}

function isBad(v: Value): boolean {
  return typeof v === 'number' && Number.isNaN(v);
}

function describeRow(model: TableModel, row: readonly Value[], cols: readonly number[]): string {
  return cols.map((c) => `${model.columns[c].name}=${row[c] === null ? 'null' : String(row[c])}`).join(', ');
}

export function ruleCollapseError(
  model: TableModel,
  rule: number,
  checks: number,
  failures: number,
): StrataError {
  const r = model.rules[rule];
  const rate = checks > 0 ? (100 * (checks - failures)) / checks : 0;
  return new StrataError(
    'generate.rule_infeasible',
    `rule "${r.name}" (${r.check}) holds on only ${rate.toFixed(2)}% of draws (${checks - failures} of ${checks}) over columns ${r.columns.join(', ')}`,
    { path: `tables.${model.table}.rules.${r.name}` },
    rate === 0
      ? 'the rule looks impossible under the model: check its bounds against the columns\u2019 min/max, values and --do settings'
      : 'the rule is nearly impossible under the model: loosen it, or change the distributions so it is likely',
  );
}

/**
 * Rows the caller refuses (coverage: rows in a forbidden plan cell): such a row is drawn again from
 * its first column on, like a row that breaks a rule; `collapse` is thrown after MAX_ROW_RETRIES.
 */
export interface RowFilter {
  refuses(row: readonly Value[]): boolean;
  collapse(tries: number): Error;
}

/**
 * Draw rows [start, start+count) of the table. `stats` accumulates rule checks across blocks of
 * one worker; collapse of a rule's acceptance raises an error naming it.
 */
export function sampleBlock(
  model: TableModel,
  seed: number,
  index: number,
  start: number,
  count: number,
  filter?: RowFilter,
): Block {
  const nCols = model.columns.length;
  const rngs: Stream[] = model.columns.map((c) => streamFor(seed, model.table, c.name, index));
  const written = writeStreams(model, seed, index);
  const values: Value[][] = model.columns.map(() => new Array<Value>(count));
  const retries = new Int32Array(count);
  const row: Value[] = new Array<Value>(nCols).fill(null);
  const { order, samplers, bounds, boundRetry, residuals } = model;
  const checks = new Float64Array(model.rules.length);
  const failures = new Float64Array(model.rules.length);

  const range = new Float64Array(2);
  const free = model.columns.map((_, c) => isFree(model, c));
  const draw = (c: number, rowNo: number): Value => {
    // Constants, not fresh doubles: a double passed to a sampler is boxed on the heap (entities.ts).
    if (free[c]) return samplers[c](row, rngs[c], -Infinity, Infinity, rowNo);
    rowRange(model, c, row, range);
    if (range[0] > range[1]) return Number.NaN;
    return samplers[c](row, rngs[c], range[0], range[1], rowNo);
  };

  const checkCollapse = (rule: number) => {
    if (checks[rule] >= MIN_CHECKS && (checks[rule] - failures[rule]) / checks[rule] < MIN_ACCEPTANCE) {
      throw ruleCollapseError(model, rule, checks[rule], failures[rule]);
    }
  };

  for (let i = 0; i < count; i++) {
    const rowNo = start + i;
    let tries = 0;
    let refused = 0;
    for (;;) {
      for (let k = 0; k < order.length; k++) {
        const c = order[k];
        let v = draw(c, rowNo);
        if (isBad(v)) {
          if (bounds[c].length === 0) {
            throw new StrataError(
              'generate.bad_draw',
              `column "${model.columns[c].name}" could not be drawn for row ${rowNo + 1} (${describeRow(model, row, model.columns[c].parents) || 'no parents'}): its parameters are invalid for these parent values, or its min/max leave no probability`,
              { path: `tables.${model.table}.columns.${model.columns[c].name}` },
              'check the expressions in its dist/values against these parent values (e.g. sd must be > 0)',
            );
          }
          // Bounds from rules are infeasible for this row: redraw the rule's inputs and the column.
          const retry = boundRetry[c];
          while (isBad(v)) {
            for (const b of bounds[c]) {
              checks[b.rule]++;
              failures[b.rule]++;
              checkCollapse(b.rule);
            }
            if (++tries > MAX_ROW_RETRIES)
              throw ruleCollapseError(
                model,
                bounds[c][0].rule,
                checks[bounds[c][0].rule],
                failures[bounds[c][0].rule],
              );
            for (let r = 0; r < retry.length - 1; r++) row[retry[r]] = draw(retry[r], rowNo);
            v = draw(c, rowNo);
          }
        }
        row[c] = v;
      }
      // Residual rules: redraw only the columns a failing rule touches (and their descendants).
      for (let r = 0; r < residuals.length; ) {
        const res = residuals[r];
        checks[res.rule]++;
        let ok = res.check(row);
        if (ok) {
          for (const c of res.resample) if (isBad(row[c])) ok = false;
        }
        if (ok) {
          r++;
          continue;
        }
        failures[res.rule]++;
        checkCollapse(res.rule);
        if (++tries > MAX_ROW_RETRIES)
          throw ruleCollapseError(model, res.rule, checks[res.rule], failures[res.rule]);
        for (const c of res.resample) row[c] = draw(c, rowNo);
        r = 0; // a redraw may break a rule that held before: check all again
      }
      if (filter?.refuses(row)) {
        if (++refused > MAX_ROW_RETRIES) throw filter.collapse(refused);
        continue;
      }
      break;
    }
    writeRow(model, row, values, i, written);
    retries[i] = tries;
  }
  return { index, start, count, values, retries };
}
