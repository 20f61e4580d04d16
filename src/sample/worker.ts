/**
 * Worker entry: compiles the table model once, then draws and formats blocks on request.
 * Blocks are independent (their streams depend only on seed, table, column and block index), so
 * any worker can draw any block and the output is the same.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileTable } from '../model/compile.js';
import { type BlockTask, runBlockTask, serialiseError, type WorkerSetup } from './tasks.js';

const setup = workerData as WorkerSetup;
const model = compileTable(setup.spec, setup.table, { do: setup.do });

parentPort!.on('message', (task: BlockTask) => {
  try {
    parentPort!.postMessage({ index: task.index, payload: runBlockTask(model, setup, task) });
  } catch (e) {
    parentPort!.postMessage({ index: task.index, error: serialiseError(e) });
  }
});
