/**
 * The bytes of one block of entities, per table (CSV or JSON lines), after its child ids are
 * offset. Shared by the in-thread path and the workers of generateTables, so both write the same.
 */
import type { Block } from '../model/block.js';
import { offsetIds, type TableRows } from '../model/entities.js';
import type { RelationalModel } from '../model/relational.js';
import { ByteWriter, writeBlockCsv } from './csv-bytes.js';
import { blockToJsonl } from './format.js';

export type TablesFormat = 'csv' | 'jsonl';

const encoder = new TextEncoder();
const writer = new ByteWriter();

/**
 * `offsets` / `starts`: per table (rm.tables order), the rows that table had in earlier blocks.
 * Returns one payload per table, in rm.tables order (empty when the block has no rows there).
 */
export function formatTables(
  rm: RelationalModel,
  rows: Map<string, TableRows>,
  offsets: readonly number[],
  format: TablesFormat,
): Uint8Array[] {
  offsetIds(
    rm,
    rows,
    new Map(rm.tables.filter((t) => t.localIds).map((t) => [t.name, offsets[rm.tables.indexOf(t)]])),
  );
  return rm.tables.map((t, k) => {
    const r = rows.get(t.name)!;
    if (r.count === 0) return new Uint8Array(0);
    const block: Block = {
      index: 0,
      start: offsets[k],
      count: r.count,
      values: r.values,
      retries: Int32Array.from(r.retries),
    };
    if (format === 'jsonl') return encoder.encode(blockToJsonl(t.model, block));
    writer.pos = 0;
    writeBlockCsv(writer, t.model, block);
    return writer.take();
  });
}
