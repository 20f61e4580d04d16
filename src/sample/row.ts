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

/** Redraw one row of the run `opts` describes (the same options the run was given). */
export async function drawRow(opts: GenerateOptions, at: RowAt): Promise<DrawnRow> {
  const { seed, model, cov } = await prepare(opts);
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
  const prov = opts.provenance
    ? { specHash: opts.specHash ?? '', seed, runId: opts.runId ?? '', firstRow: at.row }
    : undefined;
  const columns = outputColumns(model, Boolean(prov), b.extra?.names ?? []);
  // For Parquet: blockToColumns keeps datetimes as epoch ms, as the sink receives them.
  const cells = blockToColumns(model, b, prov).map((c) => c[0]);
  return {
    columns,
    cells,
    csv: new TextDecoder().decode(csvPayload(model, b, prov)),
    jsonl: blockToJsonl(model, b, prov),
  };
}
