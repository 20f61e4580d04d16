/** The unit of work shared by the in-thread path and the worker path: draw a block and format it. */
import { StrataError } from '../errors.js';
import { type Block, sampleBlock } from '../model/block.js';
import type { TableModel } from '../model/compile.js';
import type { Spec } from '../spec/schema.js';
import { ByteWriter, blockToCsvBytes } from './csv-bytes.js';
import { blockToColumns, blockToJsonl, type Cell, type ProvenanceInfo } from './format.js';
import { type NonFiniteTally, scrubNonFinite } from './non-finite.js';

export type SinkFormat = 'csv' | 'jsonl' | 'parquet' | 'columns';

export interface WorkerSetup {
  spec: Spec;
  table: string;
  seed: number;
  do?: Record<string, string | number | boolean>;
  format: SinkFormat;
  provenance?: ProvenanceInfo;
}

export interface BlockTask {
  index: number;
  start: number;
  count: number;
}

/** UTF-8 bytes (CSV), text (JSON lines) or columns (Parquet / in-memory). */
export type BlockPayload = string | Uint8Array | Cell[][];

/** This thread's CSV buffer, reused for every block it formats. */
const csvWriter = new ByteWriter();

/** A block's CSV bytes, in a fresh array that may be transferred. */
export function csvPayload(model: TableModel, b: Block, prov?: ProvenanceInfo): Uint8Array {
  return blockToCsvBytes(csvWriter, model, b, prov);
}

/** A block in its output form, from a block drawn elsewhere (coverage) or here (runBlockTask). */
export function formatBlock(
  model: TableModel,
  setup: WorkerSetup,
  b: Block,
  tally: NonFiniteTally,
): BlockPayload {
  scrubNonFinite(model, b, tally);
  switch (setup.format) {
    case 'csv':
      return csvPayload(model, b, setup.provenance);
    case 'jsonl':
      return blockToJsonl(model, b, setup.provenance);
    default:
      return blockToColumns(model, b, setup.provenance);
  }
}

/** Draw one block and format it; numbers no format holds become missing, counted in `tally`. */
export function runBlockTask(
  model: TableModel,
  setup: WorkerSetup,
  task: BlockTask,
  tally: NonFiniteTally,
): BlockPayload {
  return formatBlock(model, setup, sampleBlock(model, setup.seed, task.index, task.start, task.count), tally);
}

export interface SerialisedError {
  code?: string;
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
