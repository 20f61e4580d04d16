/**
 * Worker entry: compiles the table model once, then draws and formats blocks on request.
 * Blocks are independent (their streams depend only on seed, table, column and block index), so
 * any worker can draw any block and the output is the same.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileChecked } from '../coverage/quantile.js';
import { prepareCoverage } from '../coverage/run.js';
import { type BlockTask, runBlockTask, serialiseError, type WorkerSetup } from './tasks.js';

const setup = workerData as WorkerSetup;
const model = compileChecked(setup.spec, setup.table, { do: setup.do });
// Coverage runs are rebuilt from the main thread's numbers (nothing is solved again).
const cov = setup.coverage
  ? prepareCoverage(setup.spec, setup.table, model, setup.coverage.rows, setup.seed, {
      resolved: setup.coverage.resolution,
      scenario: setup.coverage.scenario,
    })
  : undefined;

const encoder = new TextEncoder();

// Tell the pool this worker can take blocks: until now the main thread drew them.
parentPort!.postMessage({ ready: true });

parentPort!.on('message', (task: BlockTask) => {
  try {
    const { payload, stats, nonFinite } = runBlockTask(model, setup, task, cov);
    // Bytes are transferred, and text encoded here first: the main thread then neither copies nor encodes.
    const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
    if (bytes instanceof Uint8Array) {
      parentPort!.postMessage({ index: task.index, payload: bytes, stats, nonFinite }, [
        bytes.buffer as ArrayBuffer,
      ]);
      return;
    }
    parentPort!.postMessage({ index: task.index, payload, stats, nonFinite });
  } catch (e) {
    parentPort!.postMessage({ index: task.index, error: serialiseError(e) });
  }
});
