/**
 * Rows drawn from a fitted model in memory, on this thread, for the refine loop's judge. The
 * verbs are peers (fit may not import sample), so this is the model layer's block kernel
 * directly: the same draws `strata generate` makes for these blocks with this seed (no coverage
 * plan, no workers), datetimes written as the generator writes them.
 */
import { BLOCK_ROWS, sampleBlock } from '../model/block.js';
import { compileTable } from '../model/compile.js';
import { formatDate } from '../model/values.js';
import type { Spec } from '../spec/schema.js';

export interface DrawnTable {
  name: string;
  columns: string[];
  rowCount: number;
  /** Column-major cells. */
  data: (string | number | boolean | null)[][];
}

export function drawRows(spec: Spec, table: string, rows: number, seed: number): DrawnTable {
  const model = compileTable(spec, table);
  const data: (string | number | boolean | null)[][] = model.columns.map(() => []);
  for (let start = 0, index = 0; start < rows; start += BLOCK_ROWS, index++) {
    const block = sampleBlock(model, seed, index, start, Math.min(BLOCK_ROWS, rows - start));
    model.columns.forEach((col, c) => {
      const out = data[c];
      for (const v of block.values[c]) {
        const cell =
          col.kind === 'datetime' && typeof v === 'number' ? formatDate(v, col.format ?? 'iso') : v;
        out.push(typeof cell === 'number' && !Number.isFinite(cell) ? null : cell);
      }
    });
  }
  return { name: table, columns: model.columns.map((c) => c.name), rowCount: rows, data };
}
