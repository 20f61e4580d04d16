/**
 * Drawing the rows of one coverage component (a plan cell or a tail) block by block. A block's rows
 * depend only on (seed, table, component key, block number), so any thread can draw any block.
 *
 *  - exact: the skeleton's states from the component's posterior, numeric columns truncated to
 *    their drawn bin, every other column forward with rule bounds; a failed residual rule redraws
 *    the whole row (bounded);
 *  - truncated: tails on columns that cannot be discretised, drawn forward with the tail column
 *    truncated to the region;
 *  - rejection: forward blocks from the component's own streams, keeping the rows inside it.
 *
 * Rows in a forbidden plan cell are redrawn like rows that break a rule (forbidden means 0 rows).
 */
import { StrataError } from '../errors.js';
import type { Value } from '../expr/index.js';
import { type Block, sampleBlock, writeRow, writeStreams } from '../model/block.js';
import { nextDown, rowRange, type TableModel } from '../model/compile.js';
import { type Stream, streamFor } from '../random/stream.js';
import type { Skeleton } from './discrete.js';
import type { Posterior } from './infer.js';
import type { ResolvedTail } from './tail-region.js';

/** Row redraws (posterior + forward) before a cell row is declared infeasible. */
const MAX_ROW_TRIES = 1000;
/** Rejection sampling stops when acceptance falls below this share (after MIN_TRIES draws). */
export const MIN_ACCEPTANCE = 0.001;
const MIN_TRIES = 4000;

/** What drawing needs to know about a component. */
export interface Drawable {
  key: string;
  method: 'exact' | 'rejection' | 'truncated';
  skeleton?: Skeleton;
  posterior?: Posterior;
  tail?: ResolvedTail;
  contains(row: readonly Value[]): boolean;
}

/** A row in a forbidden plan cell (redrawn wherever it comes up). */
export type Forbidden = ((row: readonly Value[]) => boolean) | undefined;

export interface Streams {
  post: Stream;
  cols: Stream[];
}

export function componentStreams(model: TableModel, seed: number, key: string, block: number): Streams {
  return {
    post: streamFor(seed, model.table, 'cover', key, block, '#posterior'),
    cols: model.columns.map((c) => streamFor(seed, model.table, 'cover', key, block, c.name)),
  };
}

const isBad = (v: Value) => typeof v === 'number' && Number.isNaN(v);

/** Scratch for rowRange (rows are drawn one at a time, never re-entrantly). */
const RANGE = new Float64Array(2);

type Attempt = { ok: boolean; rule?: number; extrapolated?: boolean };

/**
 * One attempt at a row inside a component (exact path): returns ok, or the rule that failed.
 * Missing values inside a present-state bin are redrawn (bounded) since the state says "present".
 */
export function drawCellRow(
  model: TableModel,
  c: Drawable,
  rngs: Streams,
  st: Int32Array,
  row: Value[],
  rowNo: number,
  forbidden: Forbidden,
): Attempt {
  const skeleton = c.skeleton!;
  c.posterior!.sample(rngs.post, st);
  const { order, samplers, bounds, residuals } = model;
  let extrapolated = false;
  for (let k = 0; k < order.length; k++) {
    const col = order[k];
    const v = skeleton.varOf.get(col);
    rowRange(model, col, row, RANGE);
    let lo = RANGE[0];
    let hi = RANGE[1];
    if (v !== undefined) {
      const sv = skeleton.vars[v];
      const state = sv.states[st[v]];
      if (!sv.numeric || state.na) {
        row[col] = state.value;
        continue;
      }
      const tail = c.tail;
      if (tail?.gpd && tail.column === col) {
        // Tail rows with extrapolation: the value comes from the POT model beyond max(lo, u0), under the cap.
        const x = tail.gpd.sampleAbove(
          rngs.cols[col],
          Math.max(tail.lo, tail.gpd.threshold),
          Math.min(tail.hi, tail.cap ?? Number.POSITIVE_INFINITY),
        );
        row[col] = x;
        extrapolated = x > tail.observedMax;
        continue;
      }
      lo = Math.max(lo, state.lo);
      hi = Math.min(hi, nextDown(state.hi));
      if (tail && tail.column === col) {
        lo = Math.max(lo, tail.lo);
        hi = Math.min(hi, nextDown(tail.hi));
      }
      let x: Value = null;
      for (let t = 0; t < 200 && x === null; t++) x = samplers[col](row, rngs.cols[col], lo, hi, rowNo);
      if (x === null || isBad(x)) return { ok: false };
      row[col] = x;
      continue;
    }
    if (lo > hi) return { ok: false, rule: bounds[col][0]?.rule };
    const x = samplers[col](row, rngs.cols[col], lo, hi, rowNo);
    if (isBad(x)) return { ok: false, rule: bounds[col][0]?.rule };
    row[col] = x;
  }
  for (const r of residuals) if (!r.check(row)) return { ok: false, rule: r.rule };
  if (forbidden?.(row)) return { ok: false };
  return { ok: true, extrapolated };
}

/** A forward row with one column truncated to [lo, hi] (tails on non-discretisable columns). */
function drawForwardRow(
  model: TableModel,
  rngs: Streams,
  row: Value[],
  rowNo: number,
  tail: ResolvedTail,
  forbidden: Forbidden,
): Attempt {
  const { order, samplers, residuals } = model;
  const band = tail.column;
  for (let k = 0; k < order.length; k++) {
    const col = order[k];
    rowRange(model, col, row, RANGE);
    let lo = RANGE[0];
    let hi = RANGE[1];
    if (col === band) {
      lo = Math.max(lo, tail.lo);
      hi = Math.min(hi, nextDown(tail.hi));
    }
    if (lo > hi) return { ok: false };
    let x: Value = samplers[col](row, rngs.cols[col], lo, hi, rowNo);
    for (let t = 0; t < 200 && col === band && x === null; t++)
      x = samplers[col](row, rngs.cols[col], lo, hi, rowNo);
    if (x === null ? col === band : isBad(x)) return { ok: false };
    row[col] = x;
  }
  for (const r of residuals) if (!r.check(row)) return { ok: false };
  if (forbidden?.(row)) return { ok: false };
  return { ok: true };
}

/** A component's block: its rows, whether each was extrapolated, and the row draws spent. */
export interface ComponentBlock {
  block: Block;
  extrap: Uint8Array;
  draws: number;
}

/** Block `cellBlock` of component `c` (rows [start, start + count) of the output, block `index`). */
export function drawComponentBlock(
  model: TableModel,
  c: Drawable,
  seed: number,
  cellBlock: number,
  index: number,
  start: number,
  count: number,
  forbidden: Forbidden,
): ComponentBlock {
  const rngs = componentStreams(model, seed, c.key, cellBlock);
  const values: Value[][] = model.columns.map(() => new Array<Value>(count));
  const retries = new Int32Array(count);
  const extrap = new Uint8Array(count);
  const row: Value[] = new Array(model.columns.length).fill(null);
  let draws = 0;
  if (c.method === 'rejection') {
    // Stratified rejection: forward blocks from the cell's own streams, keeping rows inside it.
    let got = 0;
    for (let sub = 0; got < count; sub++) {
      const b = sampleBlock(
        { ...model, table: `${model.table}#${c.key}#${cellBlock}` },
        seed,
        sub,
        start,
        2048,
      );
      for (let i = 0; i < b.count && got < count; i++) {
        draws++;
        for (let k = 0; k < row.length; k++) row[k] = b.values[k][i];
        if (!c.contains(row)) continue;
        for (let k = 0; k < row.length; k++) values[k][got] = row[k];
        retries[got] = b.retries[i];
        got++;
      }
      if (draws >= MIN_TRIES && got / draws < MIN_ACCEPTANCE) {
        throw new StrataError(
          'coverage.acceptance_collapse',
          `cell ${c.key}: only ${got} of ${draws} forward draws (${((100 * got) / draws).toFixed(3)}%) fall in it, and exact conditioning is impossible`,
          { path: `coverage.${model.table}` },
          'make the columns the plan reads discretisable (conditional tables, constant parameters, or formulas of categories and integers), or drop the cell with --allow-empty-cells',
        );
      }
    }
    return { block: { index, start, count, values, retries }, extrap, draws };
  }
  // rows drawn here hold states (a pooled `(other)` too): written as their columns write them
  const written = writeStreams(model, seed, 'cover', c.key, cellBlock);
  const st = c.method === 'exact' ? new Int32Array(c.skeleton!.vars.length) : undefined;
  const attempt = (rowNo: number) =>
    st
      ? drawCellRow(model, c, rngs, st, row, rowNo, forbidden)
      : drawForwardRow(model, rngs, row, rowNo, c.tail!, forbidden);
  for (let i = 0; i < count; i++) {
    let tries = 0;
    let r = attempt(start + i);
    draws++;
    while (!r.ok) {
      if (++tries > MAX_ROW_TRIES) throw collapse(model, c, r.rule);
      r = attempt(start + i);
      draws++;
    }
    writeRow(model, row, values, i, written);
    retries[i] = tries;
    extrap[i] = r.extrapolated ? 1 : 0;
  }
  return { block: { index, start, count, values, retries }, extrap, draws };
}

function collapse(model: TableModel, c: Drawable, ruleIndex: number | undefined): StrataError {
  if (c.method === 'truncated') {
    return new StrataError(
      'coverage.cell_collapse',
      `tail ${c.key}: no valid row in ${MAX_ROW_TRIES} redraws`,
      { path: `tails[${c.tail!.index}]` },
      'check the tail condition against the column\u2019s bounds, rules and forbidden cells',
    );
  }
  const rule = ruleIndex !== undefined ? model.rules[ruleIndex] : undefined;
  return new StrataError(
    'coverage.cell_collapse',
    `${c.tail ? 'tail' : 'cell'} ${c.key}: no valid row in ${MAX_ROW_TRIES} redraws${rule ? `; rule "${rule.name}" (${rule.check}) keeps failing` : ''}`,
    { path: rule ? `tables.${model.table}.rules.${rule.name}` : `coverage.${model.table}` },
    'loosen the rule inside this cell, or drop the cell with --allow-empty-cells',
  );
}

/** Pilot of up to 200 draws inside the cell: a residual rule that never holds makes it infeasible. */
export function pilotResidual(
  c: Drawable,
  model: TableModel,
  seed: number,
  forbidden: Forbidden,
): string | undefined {
  if (!model.residuals.length && !forbidden) return undefined;
  const rngs = componentStreams(model, seed, `${c.key}#pilot`, 0);
  const st = new Int32Array(c.skeleton!.vars.length);
  const row: Value[] = new Array(model.columns.length).fill(null);
  const fails = new Map<number, number>();
  for (let i = 0; i < 200; i++) {
    const r = drawCellRow(model, c, rngs, st, row, 0, forbidden);
    if (r.ok) return undefined;
    if (r.rule !== undefined) fails.set(r.rule, (fails.get(r.rule) ?? 0) + 1);
  }
  const worst = [...fails.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!worst)
    return 'no row could be drawn in 200 attempts (every draw broke a rule or fell in a forbidden cell)';
  const rule = model.rules[worst[0]];
  return `rule "${rule.name}" (${rule.check}) failed on all 200 pilot draws inside this cell`;
}
