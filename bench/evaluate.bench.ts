/**
 * Full evaluation report (all sections, no trivariate) for 50,000 real × 50,000 synthetic rows ×
 * 15 mixed columns (+ a 10,000-row holdout so DCR share / membership inference run), seconds per
 * section and total, peak RSS; plus the nearest-neighbour search alone vs brute force on the same
 * workload shape. Run: npx tsx bench/evaluate.bench.ts
 */

import { mixedTable } from '../src/evaluate/fixtures.js';
import { evaluate } from '../src/evaluate/index.js';
import { takeTableRows } from '../src/evaluate/table-utils.js';
import {
  alignTables,
  bruteForceNeighbours,
  gowerSpace,
  nearestNeighbours,
  sampleIndices,
} from '../src/ml/index.js';
import { renderHtml } from '../src/report/index.js';

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);

const N = Number(process.env.ROWS ?? 50_000);
const t0 = performance.now();
const real = mixedTable(1, N, 'real');
const synthetic = mixedTable(2, N, 'synthetic');
const holdout = mixedTable(3, 10_000, 'holdout');
console.log(
  `generated ${N} + ${N} + 10000 rows × 15 columns in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const t1 = performance.now();
const report = await evaluate({
  real,
  synthetic,
  holdout,
  target: 'label',
  sensitive: ['gender'],
  onSection: (name, ms) => console.log(`  ${name.padEnd(14)} ${(ms / 1000).toFixed(2)} s`),
});
const evalS = (performance.now() - t1) / 1000;
const t2 = performance.now();
const html = await renderHtml(report);
const htmlS = (performance.now() - t2) / 1000;
console.log(
  `evaluate total ${evalS.toFixed(1)} s; HTML report ${htmlS.toFixed(1)} s (${(html.length / 1024).toFixed(0)} KiB)`,
);
console.log('summary', report.summary);

// nearest-neighbour search alone vs brute force (2,000 synthetic queries × 10,000 training rows)
const { reference, others } = alignTables(real, [synthetic]);
const q = takeTableRows(others[0], sampleIndices(N, 2000, 11));
const ref = takeTableRows(reference, sampleIndices(N, 10_000, 12));
const space = gowerSpace(reference);
const a = performance.now();
const fast = await nearestNeighbours(q, ref, 2, { space });
const fastS = (performance.now() - a) / 1000;
const b = performance.now();
const slow = bruteForceNeighbours(q, ref, 2, space);
const slowS = (performance.now() - b) / 1000;
let same = true;
for (let i = 0; i < fast.distance.length; i++)
  if (Math.abs(fast.distance[i] - slow.distance[i]) > 1e-12) same = false;
console.log(
  `neighbours 2000 × 10000: chunked ${fastS.toFixed(2)} s vs brute force ${slowS.toFixed(2)} s (×${(slowS / fastS).toFixed(1)}), identical distances: ${same}`,
);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(
  `total ${(evalS + htmlS).toFixed(1)} s (target ≤ 60 s); peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`,
);
