/** Worker entry for nearestNeighbours: searches query chunks sent by the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { type PreparedSide, type SearchPlan, searchRange } from './neighbours-core.js';

interface Job {
  plan: SearchPlan;
  ref: PreparedSide;
  query: PreparedSide;
  k: number;
  excludeSelf: boolean;
  indexBuf: SharedArrayBuffer;
  distBuf: SharedArrayBuffer;
}

const job = workerData as Job;
const outIndex = new Int32Array(job.indexBuf);
const outDist = new Float64Array(job.distBuf);

parentPort?.on('message', (m: { start: number; end: number }) => {
  searchRange(job.plan, job.ref, job.query, job.k, job.excludeSelf, m.start, m.end, outIndex, outDist);
  parentPort?.postMessage('done');
});
parentPort?.postMessage('ready');
