/**
 * One block of entities, per table, after its child ids are offset: bytes (CSV, JSON lines) or
 * typed columns (Parquet, written by the main thread's sinks). Shared by the in-thread path and
 * the workers of generateTables, so both write the same.
 */
import type { OutputFormat } from '../io/format.js';
import type { Block } from '../model/block.js';
import { offsetIds, rowValues, type TableRows } from '../model/entities.js';
import type { RelationalModel } from '../model/relational.js';
import { ByteWriter, writeColumnsCsv } from './csv-bytes.js';
import { blockToColumns, blockToJsonl, type Cell } from './format.js';

/** The formats of io/format.ts's registry, one file per table. */
export type TablesFormat = OutputFormat;

/** One table's part of a block: bytes, or columns for Parquet; null when the block has no rows there. */
export type TablePayload = Uint8Array | Cell[][] | null;

const encoder = new TextEncoder();
const writer = new ByteWriter();

/**
 * `offsets` / `starts`: per table (rm.tables order), the rows that table had in earlier blocks.
 * Returns one payload per table, in rm.tables order.
 */
export function formatTables(
  rm: RelationalModel,
  rows: Map<string, TableRows>,
  offsets: readonly number[],
  format: TablesFormat,
): TablePayload[] {
  offsetIds(
    rm,
    rows,
    new Map(rm.tables.filter((t) => t.localIds).map((t) => [t.name, offsets[rm.tables.indexOf(t)]])),
  );
  return rm.tables.map((t, k) => {
    const r = rows.get(t.name)!;
    if (r.count === 0) return null;
    if (format === 'csv') {
      writer.pos = 0;
      writeColumnsCsv(writer, t.model, r.columns, r.count);
      return writer.take();
    }
    const block: Block = {
      index: 0,
      start: offsets[k],
      count: r.count,
      values: rowValues(r),
      retries: r.retries.take(),
    };
    if (format === 'parquet') return blockToColumns(t.model, block);
    return encoder.encode(blockToJsonl(t.model, block));
  });
}
