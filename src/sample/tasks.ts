/** The unit of work shared by the in-thread path and the worker path: draw a block and format it. */
import type { BlockStats, CoveragePart, CoverageResolution, CoverageRun } from '../coverage/run.js';
import { type ErrorCode, StrataError } from '../errors.js';
import { type Block, sampleBlock } from '../model/block.js';
import type { TableModel } from '../model/compile.js';
import type { Spec } from '../spec/schema.js';
import { ByteWriter, blockToCsvBytes } from './csv-bytes.js';
import { blockToColumns, blockToJsonl, type Cell, type ProvenanceInfo } from './format.js';
import { scrubNonFinite } from './non-finite.js';

export type SinkFormat = 'csv' | 'jsonl' | 'parquet' | 'columns';

export interface WorkerSetup {
  spec: Spec;
  table: string;
  seed: number;
  do?: Record<string, string | number | boolean>;
  format: SinkFormat;
  provenance?: ProvenanceInfo;
  /** Coverage runs: the prepared run's numbers, from which a worker rebuilds it (`prepareCoverage`). */
  coverage?: { rows: number; resolution: CoverageResolution; scenario?: string };
}

export interface BlockTask {
  index: number;
  start: number;
  count: number;
  /** Coverage runs: which rows the block holds. */
  part?: CoveragePart;
}

/**
 * A drawn block: its payload, in coverage runs what it adds to the coverage summary, and per
 * column how many numbers no format holds were written as missing (absent when none; non-finite.ts).
 */
export interface DrawnBlock {
  payload: BlockPayload;
  stats?: BlockStats;
  nonFinite?: number[];
}

/** UTF-8 bytes (CSV), text (JSON lines) or columns (Parquet / in-memory). */
export type BlockPayload = string | Uint8Array | Cell[][];

/** This thread's CSV buffer, reused for every block it formats. */
const csvWriter = new ByteWriter();

/** A block's CSV bytes, in a fresh array that may be transferred. */
export function csvPayload(model: TableModel, b: Block, prov?: ProvenanceInfo): Uint8Array {
  return blockToCsvBytes(csvWriter, model, b, prov);
}

/** Draw a task's block (a coverage block when `cov` is given) and format it for the sink. */
export function runBlockTask(
  model: TableModel,
  setup: WorkerSetup,
  task: BlockTask,
  cov?: CoverageRun,
): DrawnBlock {
  const drawn = cov && task.part ? cov.draw({ ...task, part: task.part }) : undefined;
  const block = drawn ? drawn.block : sampleBlock(model, setup.seed, task.index, task.start, task.count);
  // Numbers no format holds become missing first, so every format writes the same values.
  const nonFinite = scrubNonFinite(model, block);
  return {
    payload: formatBlock(model, setup, block),
    ...(drawn ? { stats: drawn.stats } : {}),
    ...(nonFinite ? { nonFinite } : {}),
  };
}

export function formatBlock(model: TableModel, setup: WorkerSetup, b: Block): BlockPayload {
  switch (setup.format) {
    case 'csv':
      return csvPayload(model, b, setup.provenance);
    case 'jsonl':
      return blockToJsonl(model, b, setup.provenance);
    default:
      return blockToColumns(model, b, setup.provenance);
  }
}

export interface SerialisedError {
  code?: ErrorCode;
  message: string;
  place?: StrataError['place'];
  hint?: string;
}

export function serialiseError(e: unknown): SerialisedError {
  if (e instanceof StrataError) return { code: e.code, message: e.message, place: e.place, hint: e.hint };
  return { message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

export function deserialiseError(s: SerialisedError): Error {
  if (s.code) return new StrataError(s.code, s.message, s.place, s.hint);
  return new Error(s.message);
}
