/**
 * Runs the blocks of entities of generateTables, in this thread or on worker threads, handing
 * each block's per-table bytes to `consume` in block order (awaited: a slow disk slows drawing).
 *
 * Child tables' sequential ids need the row counts of every earlier block, so a worker draws a
 * block, replies with its counts, and formats it when this thread sends the offsets (known as
 * soon as the earlier blocks are drawn, not written). Blocks in flight are bounded (3 per worker).
 */
import { Worker } from 'node:worker_threads';
import { StrataError } from '../errors.js';
import { drawEntityBlock, ROOT_BLOCK } from '../model/entities.js';
import type { RelationalModel } from '../model/relational.js';
import { formatTables } from './tables-format.js';
import type { TablesTask, TablesWorkerSetup } from './tables-worker.js';
import { deserialiseError, type SerialisedError } from './tasks.js';

export type ConsumeBlock = (payloads: Uint8Array[], block: number, rootsDone: number) => Promise<void>;

type Reply =
  | { ready: true }
  | { block: number; counts?: number[]; payloads?: Uint8Array[]; error?: SerialisedError };

function startWorker(setup: TablesWorkerSetup): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 24 };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./tables-worker.js', import.meta.url), { workerData: setup, resourceLimits });
  }
  // From TypeScript sources (tests, tsx): register tsx inside the worker first (see generate.ts).
  const entry = new URL('./tables-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: setup, resourceLimits });
}

/** Returns the rows written per table (rm.tables order). */
export async function runEntityBlocks(
  rm: RelationalModel,
  setup: TablesWorkerSetup,
  roots: number,
  workers: number,
  consume: ConsumeBlock,
): Promise<number[]> {
  const blocks = Math.ceil(roots / ROOT_BLOCK);
  const span = (b: number) => ({
    start: b * ROOT_BLOCK,
    count: Math.min(ROOT_BLOCK, roots - b * ROOT_BLOCK),
  });
  const offsets = rm.tables.map(() => 0);
  if (workers <= 1 || blocks <= 1) {
    for (let b = 0; b < blocks; b++) {
      const { start, count } = span(b);
      const rows = drawEntityBlock(rm, setup.seed, b, start, count);
      const payloads = formatTables(rm, rows, offsets, setup.format);
      rm.tables.forEach((t, k) => {
        offsets[k] += rows.get(t.name)!.count;
      });
      await consume(payloads, b, start + count);
    }
    return offsets;
  }
  const pool = Array.from({ length: workers }, () => startWorker(setup));
  const window = workers * 3;
  const owner = new Map<number, Worker>();
  const counts = new Map<number, number[]>();
  const ready = new Map<number, Uint8Array[]>();
  let next = 0; // next block to draw
  let offsetFor = 0; // next block whose offsets are sent
  let written = 0; // next block to write
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      let writing = false;
      const fail = (e: Error) => {
        if (!failed) {
          failed = true;
          reject(e);
        }
      };
      const handOut = () => {
        while (!failed && next < blocks && next - written < window) {
          const w = pool[next % pool.length];
          owner.set(next, w);
          w.postMessage({ kind: 'draw', block: next, ...span(next) } satisfies TablesTask);
          next++;
        }
      };
      const sendOffsets = () => {
        while (counts.has(offsetFor)) {
          const c = counts.get(offsetFor)!;
          counts.delete(offsetFor);
          owner
            .get(offsetFor)!
            .postMessage({ kind: 'format', block: offsetFor, offsets: [...offsets] } satisfies TablesTask);
          c.forEach((n, k) => {
            offsets[k] += n;
          });
          offsetFor++;
        }
      };
      const flush = async () => {
        if (writing) return;
        writing = true;
        try {
          while (!failed && ready.has(written)) {
            const p = ready.get(written)!;
            ready.delete(written);
            owner.delete(written);
            const { start, count } = span(written);
            await consume(p, written, start + count);
            written++;
            handOut();
          }
          if (!failed && written === blocks) resolve();
        } catch (e) {
          fail(e as Error);
        } finally {
          writing = false;
        }
        if (!failed && ready.has(written)) void flush();
      };
      for (const w of pool) {
        w.on('message', (msg: Reply) => {
          if ('ready' in msg) return;
          if (msg.error) return fail(deserialiseError(msg.error));
          if (msg.counts) {
            counts.set(msg.block, msg.counts);
            return sendOffsets();
          }
          ready.set(msg.block, msg.payloads!);
          void flush();
        });
        w.on('error', (e) => {
          fail(
            (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new StrataError(
                  'generate.worker_memory',
                  'a generation worker ran out of memory',
                  {},
                  'use fewer --workers',
                )
              : e,
          );
        });
      }
      handOut();
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return offsets;
}
