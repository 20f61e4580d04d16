/**
 * Worker entry for generateTables: compiles the relational model once, then draws blocks of
 * entities (replying with each table's row count) and formats a drawn block once the main thread
 * sends the id offsets (the rows of earlier blocks), replying with the bytes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareRelationalCoverage } from '../coverage/relational.js';
import type { TableRows } from '../model/entities.js';
import { compileRelational } from '../model/relational.js';
import type { Spec } from '../spec/schema.js';
import { entityRun } from './entity-run.js';
import { formatTables, type TablesFormat } from './tables-format.js';
import { serialiseError } from './tasks.js';

export interface TablesWorkerSetup {
  spec: Spec;
  seed: number;
  format: TablesFormat;
  do: [string, Record<string, string | number | boolean>][];
  roots: number;
  /** Coverage runs: the cells the main thread found feasible (the run is rebuilt without pilots). */
  coverage?: { checked: string[] };
}

export type TablesTask =
  | { kind: 'draw'; block: number }
  | { kind: 'format'; block: number; offsets: number[] };

const setup = workerData as TablesWorkerSetup;
const rm = compileRelational(setup.spec, {
  do: new Map(setup.do),
  localRootIds: setup.coverage !== undefined,
});
const cov = setup.coverage
  ? prepareRelationalCoverage(setup.spec, rm, setup.roots, setup.seed, { checked: setup.coverage.checked })
  : undefined;
const run = entityRun(rm, setup.seed, setup.roots, cov);
const held = new Map<number, Map<string, TableRows>>();

parentPort!.postMessage({ ready: true });
parentPort!.on('message', (task: TablesTask) => {
  try {
    if (task.kind === 'draw') {
      const { rows, stats } = run.draw(task.block);
      held.set(task.block, rows);
      parentPort!.postMessage({
        block: task.block,
        counts: rm.tables.map((t) => rows.get(t.name)!.count),
        stats,
      });
      return;
    }
    const rows = held.get(task.block)!;
    held.delete(task.block);
    const payloads = formatTables(rm, rows, task.offsets, setup.format);
    parentPort!.postMessage(
      { block: task.block, payloads },
      payloads.flatMap((p) => (p instanceof Uint8Array ? [p.buffer as ArrayBuffer] : [])),
    );
  } catch (e) {
    parentPort!.postMessage({ block: task.block, error: serialiseError(e) });
  }
});
