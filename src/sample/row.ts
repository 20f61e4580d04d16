/**
 * One row again: redraw the row at (block, index in block) of a generate run and format it as that
 * run wrote it. Blocks are the unit of determinism, so only the rows of that block up to this one
 * are drawn (a plain run); a coverage run draws that one planned block (its tasks are drawn in any
 * order, on any thread).
 */
import { BLOCK_ROWS, type Block, sampleBlock } from '../model/block.js';
import { blockToColumns, blockToJsonl, type Cell, outputColumns } from './format.js';
import { type GenerateOptions, prepare } from './generate.js';
import { csvPayload } from './tasks.js';

export interface RowAt {
  /** Block index (the `_block` provenance column). */
  block: number;
  /** Row within the block (the `_row` provenance column). */
  row: number;
}

export interface DrawnRow {
  columns: string[];
  /** Cells as a Parquet file holds them (datetimes as epoch ms). */
  cells: Cell[];
  /** The CSV line and the JSON line of the row, newline included. */
  csv: string;
  jsonl: string;
}

/** Row `i` of a block as a one-row block. */
function oneRow(b: Block, i: number): Block {
  return {
    index: b.index,
    start: b.start + i,
    count: 1,
    values: b.values.map((col) => [col[i]]),
    retries: Int32Array.of(b.retries[i]),
    ...(b.extra ? { extra: { names: b.extra.names, values: b.extra.values.map((x) => [x[i]]) } } : {}),
  };
}

export class RowNotFound extends Error {}

/** A run's output columns and a way to redraw any of its rows. */
export interface RowDrawer {
  /** The columns the run wrote, in order (a headerless CSV's cells are read by these). */
  columns: string[];
  draw(at: RowAt): DrawnRow;
}

/** Prepare the run `opts` describes (the same options the run was given) to redraw its rows. */
export async function rowDrawer(opts: GenerateOptions): Promise<RowDrawer> {
  const { seed, model, cov } = await prepare(opts);
  const provenance = Boolean(opts.provenance);
  const draw = (at: RowAt): DrawnRow => {
    let block: Block | undefined;
    if (cov) {
      const task = cov.tasks[at.block];
      if (task) block = cov.draw(task).block;
    } else {
      block = sampleBlock(model, seed, at.block, at.block * BLOCK_ROWS, at.row + 1);
    }
    if (!block || at.row >= block.count)
      throw new RowNotFound(`the run has no row ${at.row} in block ${at.block}`);
    const b = oneRow(block, at.row);
    const prov = provenance
      ? { specHash: opts.specHash ?? '', seed, runId: opts.runId ?? '', firstRow: at.row }
      : undefined;
    // For Parquet: blockToColumns keeps datetimes as epoch ms, as the sink receives them.
    const cells = blockToColumns(model, b, prov).map((c) => c[0]);
    return {
      columns: outputColumns(model, provenance, b.extra?.names ?? []),
      cells,
      csv: new TextDecoder().decode(csvPayload(model, b, prov)),
      jsonl: blockToJsonl(model, b, prov),
    };
  };
  return { columns: outputColumns(model, provenance, cov ? cov.extraColumns : []), draw };
}

/** Redraw one row of the run `opts` describes (the same options the run was given). */
export async function drawRow(opts: GenerateOptions, at: RowAt): Promise<DrawnRow> {
  return (await rowDrawer(opts)).draw(at);
}
