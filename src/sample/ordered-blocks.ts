/**
 * The ordered block writer of the worker pool, shared by `generate` (one table, generate.ts) and
 * `generateTables` (relational, tables-run.ts): blocks are drawn out of order — on worker threads,
 * and by this thread between writes — and written in block order, one write at a time, with at
 * most `window` blocks drawn but not yet written. Memory does not grow with the row count, and a
 * block's bytes depend only on its index, so the output is the same for any worker count.
 *
 * What a block is, how it is handed out and what a worker replies stay with the caller (the
 * relational pool answers each drawn block with its id offsets before the worker formats it).
 */
import { Worker } from 'node:worker_threads';
import { abortError, checkpoint } from '../errors.js';

/** What the hand-out and message handlers of a pool may do. */
export interface PoolControl<T> {
  /** Whether a block may be handed out now (what `claim` would give one). */
  room(): boolean;
  /** The next block to draw, or undefined when every block is handed out or `window` wait to be written. */
  claim(): number | undefined;
  /** A drawn block: written once every block before it has been. */
  put(block: number, item: T): void;
  /** Stops the run with this error (the first one wins). */
  fail(e: unknown): void;
}

export interface OrderedPoolOptions<T, M> {
  /** Blocks 0 … blocks − 1. */
  blocks: number;
  /** At most this many blocks drawn and not yet written. */
  window: number;
  workers: readonly Worker[];
  signal?: AbortSignal;
  /** Hands blocks out (`claim`): called first, and again after every write. */
  handOut(ctl: PoolControl<T>): void;
  /** A message from a worker. */
  onMessage(worker: Worker, msg: M, ctl: PoolControl<T>): void;
  /**
   * Writes block `from`, taking it out of `ready` (and may take the ready blocks after it too,
   * to join them into one write); returns the next block to write. Awaited: a slow disk slows
   * drawing instead of piling up memory.
   */
  write(ready: Map<number, T>, from: number): Promise<number>;
  /** The error for a worker that ran out of its heap. */
  outOfMemory(): Error;
}

/**
 * Runs the pool until every block is written, or stops at the first error (a worker's, a write's,
 * or the signal's). The workers are terminated either way.
 */
export async function runOrdered<T, M>(o: OrderedPoolOptions<T, M>): Promise<void> {
  const ready = new Map<number, T>();
  let next = 0; // next block to hand out
  let written = 0; // next block to write
  let failed = false;
  let writing = false;
  let onAbort: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (e: unknown) => {
        if (!failed) {
          failed = true;
          reject(e);
        }
      };
      const flush = async () => {
        if (writing) return;
        writing = true;
        try {
          while (!failed && ready.has(written)) {
            written = await o.write(ready, written);
            o.handOut(ctl);
          }
          if (!failed && written === o.blocks) resolve();
        } catch (e) {
          fail(e);
        } finally {
          writing = false;
        }
        if (!failed && ready.has(written)) void flush();
      };
      const room = () => !failed && next < o.blocks && next - written < o.window;
      const ctl: PoolControl<T> = {
        room,
        claim: () => (room() ? next++ : undefined),
        put: (block, item) => {
          ready.set(block, item);
          void flush();
        },
        fail,
      };
      const { signal } = o;
      if (signal) {
        onAbort = () => fail(abortError(signal));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
      }
      if (o.blocks === 0) return resolve();
      for (const w of o.workers) {
        w.on('message', (msg: M) => {
          try {
            o.onMessage(w, msg, ctl);
          } catch (e) {
            fail(e);
          }
        });
        w.on('error', (e) =>
          fail((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? o.outOfMemory() : e),
        );
        w.on('exit', (code) => {
          if (code !== 0 && written < o.blocks)
            fail(new Error(`a generation worker stopped (exit code ${code})`));
        });
      }
      o.handOut(ctl);
    });
  } finally {
    if (onAbort) o.signal?.removeEventListener('abort', onAbort);
    await Promise.all(o.workers.map((w) => w.terminate()));
  }
}

/**
 * The same without workers: block k + 1 is drawn while block k is written (one write in flight,
 * in order). The signal is checked between blocks.
 */
export async function drawInOrder<T>(
  blocks: number,
  draw: (block: number) => T,
  write: (item: T, block: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let pending: Promise<void> | undefined;
  try {
    for (let b = 0; b < blocks; b++) {
      await checkpoint(signal);
      const item = draw(b);
      await pending;
      pending = write(item, b);
    }
    await pending;
  } catch (e) {
    await pending?.catch(() => {}); // the write in flight ends before the error goes up
    throw e;
  }
}

/**
 * Start a worker of this folder (`worker` or `tables-worker`). From compiled JS the worker file
 * runs directly; from TypeScript sources (tests, tsx) a tiny bootstrap registers tsx inside the
 * worker first, because loader flags given through execArgv do not reach worker entry points on
 * Node 20.
 */
export function startWorker(
  name: 'worker' | 'tables-worker',
  workerData: unknown,
  resourceLimits: { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number },
): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData, resourceLimits });
  }
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}
