/**
 * The blocks of a relational run, in output order: plain root blocks, or — with a coverage plan —
 * the free root blocks followed by each cell's chunks (src/coverage/relational.ts). Built the same
 * way in the calling thread and in every worker, so a block's rows depend only on its number.
 */
import type { EntityTaskStats, RelationalCoverage } from '../coverage/relational.js';
import { drawEntityBlock, ROOT_BLOCK, type TableRows } from '../model/entities.js';
import type { RelationalModel } from '../model/relational.js';

export interface EntityRun {
  blocks: number;
  /** Draw block b: each table's rows, and (coverage runs) what it adds to the summary. */
  draw(b: number): { rows: Map<string, TableRows>; stats?: EntityTaskStats };
  /** Root entities of the free part done once block b is written (progress). */
  rootsDone(b: number): number;
}

export function entityRun(
  rm: RelationalModel,
  seed: number,
  roots: number,
  cov: RelationalCoverage | undefined,
): EntityRun {
  if (!cov) {
    const span = (b: number) => ({
      start: b * ROOT_BLOCK,
      count: Math.min(ROOT_BLOCK, roots - b * ROOT_BLOCK),
    });
    return {
      blocks: Math.ceil(roots / ROOT_BLOCK),
      draw: (b) => {
        const { start, count } = span(b);
        return { rows: drawEntityBlock(rm, seed, b, start, count) };
      },
      rootsDone: (b) => span(b).start + span(b).count,
    };
  }
  return {
    blocks: cov.tasks.length,
    draw: (b) => {
      const c = cov.conditions(cov.tasks[b]);
      const rows = drawEntityBlock(rm, seed, c.block, c.start, c.roots, c.cond);
      return { rows, stats: cov.tally(rows) };
    },
    rootsDone: (b) => {
      const t = cov.tasks[b];
      return t.kind === 'free' ? t.start + t.count : roots;
    },
  };
}
