/**
 * Runs the blocks of entities of generateTables, in this thread or on worker threads, handing
 * each block's per-table bytes to `consume` in block order (awaited: a slow disk slows drawing).
 *
 * Child tables' sequential ids need the row counts of every earlier block, so a worker draws a
 * block, replies with its counts, and formats it when this thread sends the offsets (known as
 * soon as the earlier blocks are drawn, not written). Blocks in flight are bounded (3 per worker).
 */
import type { Worker } from 'node:worker_threads';
import type { EntityTaskStats } from '../coverage/relational.js';
import { StrataError } from '../errors.js';
import type { RelationalModel } from '../model/relational.js';
import type { EntityRun } from './entity-run.js';
import { drawInOrder, runOrdered, startWorker } from './ordered-blocks.js';
import { formatTables, type TablePayload } from './tables-format.js';
import type { TablesTask, TablesWorkerSetup } from './tables-worker.js';
import { deserialiseError, type SerialisedError } from './tasks.js';

export type ConsumeBlock = (payloads: TablePayload[], block: number, rootsDone: number) => Promise<void>;

type Reply =
  | { ready: true }
  | {
      block: number;
      counts?: number[];
      stats?: EntityTaskStats;
      payloads?: TablePayload[];
      error?: SerialisedError;
    };

/**
 * Returns the rows written per table (rm.tables order). `record` gets each block's coverage
 * statistics in block order.
 */
export async function runEntityBlocks(
  rm: RelationalModel,
  setup: TablesWorkerSetup,
  run: EntityRun,
  workers: number,
  consume: ConsumeBlock,
  record?: (block: number, stats: EntityTaskStats) => void,
): Promise<number[]> {
  const blocks = run.blocks;
  const offsets = rm.tables.map(() => 0);
  const write = (payloads: TablePayload[], b: number) => consume(payloads, b, run.rootsDone(b));
  if (workers <= 1 || blocks <= 1) {
    await drawInOrder(
      blocks,
      (b) => {
        const { rows, stats } = run.draw(b);
        if (stats) record?.(b, stats);
        const payloads = formatTables(rm, rows, offsets, setup.format);
        rm.tables.forEach((t, k) => {
          offsets[k] += rows.get(t.name)!.count;
        });
        return payloads;
      },
      write,
    );
    return offsets;
  }
  const resourceLimits = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 24 };
  const pool = Array.from({ length: workers }, () => startWorker('tables-worker', setup, resourceLimits));
  // A block is formatted by the worker that drew it (it holds the rows), once its offsets are known.
  const owner = new Map<number, Worker>();
  const counts = new Map<number, number[]>();
  const blockStats = new Map<number, EntityTaskStats>();
  let offsetFor = 0; // next block whose offsets are sent
  const sendOffsets = () => {
    while (counts.has(offsetFor)) {
      const c = counts.get(offsetFor)!;
      counts.delete(offsetFor);
      const st = blockStats.get(offsetFor);
      blockStats.delete(offsetFor);
      if (st) record?.(offsetFor, st);
      owner
        .get(offsetFor)!
        .postMessage({ kind: 'format', block: offsetFor, offsets: [...offsets] } satisfies TablesTask);
      owner.delete(offsetFor);
      c.forEach((n, k) => {
        offsets[k] += n;
      });
      offsetFor++;
    }
  };
  await runOrdered<TablePayload[], Reply>({
    blocks,
    window: workers * 3,
    workers: pool,
    handOut: (ctl) => {
      for (let b = ctl.claim(); b !== undefined; b = ctl.claim()) {
        const w = pool[b % pool.length];
        owner.set(b, w);
        w.postMessage({ kind: 'draw', block: b } satisfies TablesTask);
      }
    },
    onMessage: (_w, msg, ctl) => {
      if ('ready' in msg) return;
      if (msg.error) return ctl.fail(deserialiseError(msg.error));
      if (msg.counts) {
        counts.set(msg.block, msg.counts);
        if (msg.stats) blockStats.set(msg.block, msg.stats);
        return sendOffsets();
      }
      ctl.put(msg.block, msg.payloads!);
    },
    write: async (ready, from) => {
      const payloads = ready.get(from)!;
      ready.delete(from);
      await write(payloads, from);
      return from + 1;
    },
    outOfMemory: () =>
      new StrataError(
        'generate.worker_memory',
        'a generation worker ran out of memory',
        {},
        'use fewer --workers',
      ),
  });
  return offsets;
}
