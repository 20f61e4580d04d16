/**
 * nearestNeighbours vs bruteForceNeighbours: 10,000 queries × 50,000 references × 15 mixed columns
 * (9 numeric, 6 categorical, 5% missing, correlated so neighbours are meaningful). Median of 3 runs
 * each, speed-up ratio and peak RSS. Run: npx tsx bench/neighbours.bench.ts [queries] [references]
 */
import { performance } from 'node:perf_hooks';
import { bruteForceNeighbours, gowerSpace, nearestNeighbours } from '../src/ml/index.js';
import type { TypedTable } from '../src/ml/typed-table.js';
import { streamFor } from '../src/random/stream.js';

const nQuery = Number(process.argv[2] ?? 10_000);
const nRef = Number(process.argv[3] ?? 50_000);
const reps = Number(process.argv[4] ?? 3);

/** Rows driven by 3 latent factors so columns correlate, like real tabular data. */
function table(n: number, seed: number): TypedTable {
  const s = streamFor(seed, 'bench', 'neighbours');
  const gauss = () => Math.sqrt(-2 * Math.log(s.nextOpen())) * Math.cos(2 * Math.PI * s.nextFloat());
  const latent = Array.from({ length: 3 }, () => new Float64Array(n));
  for (const l of latent) for (let i = 0; i < n; i++) l[i] = gauss();
  const columns: TypedTable['columns'] = [];
  for (let j = 0; j < 9; j++) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = latent[j % 3][i] * (1 + j) + 0.5 * gauss();
      values[i] = s.nextFloat() < 0.05 ? Number.NaN : j % 3 === 2 ? Math.round(v * 3) : v;
    }
    columns.push({ name: `n${j}`, kind: 'numeric', values, integer: j % 3 === 2 });
  }
  for (let j = 0; j < 6; j++) {
    const levels = Array.from({ length: 2 + j * 3 }, (_, t) => `l${t}`);
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const z = latent[j % 3][i] + 0.7 * gauss();
      const c = Math.min(levels.length - 1, Math.max(0, Math.floor(((z + 2.5) / 5) * levels.length)));
      codes[i] = s.nextFloat() < 0.05 ? -1 : c;
    }
    columns.push({ name: `c${j}`, kind: 'categorical', codes, levels });
  }
  return { rowCount: n, columns };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const ref = table(nRef, 1);
const query = table(nQuery, 2);
const space = gowerSpace(ref);
let peak = process.memoryUsage().rss;
const sampleRss = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);

async function time(f: () => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await f();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

const fast1 = await time(() => nearestNeighbours(query, ref, 1, { space, workers: 0 }));
const fastW = await time(() => nearestNeighbours(query, ref, 1, { space, workers: 2 }));
const fast5 = await time(() => nearestNeighbours(query, ref, 5, { space, workers: 0 }));
const brute = await time(() => bruteForceNeighbours(query, ref, 1, space));
// Exactness check on the benchmark data itself.
const a = await nearestNeighbours(query, ref, 1, { space });
const b = bruteForceNeighbours(query, ref, 1, space);
let mismatches = 0;
for (let i = 0; i < nQuery; i++)
  if (a.index[i] !== b.index[i] || a.distance[i] !== b.distance[i]) mismatches++;
clearInterval(sampleRss);
peak = Math.max(peak, process.memoryUsage().rss);

const fmt = (xs: number[]) => `${median(xs).toFixed(2)} s (runs ${xs.map((x) => x.toFixed(2)).join(', ')})`;
console.log(`neighbours: ${nQuery} queries × ${nRef} references × 15 mixed columns`);
console.log(`  bruteForceNeighbours k=1:            ${fmt(brute)}`);
console.log(
  `  nearestNeighbours k=1, 1 thread:     ${fmt(fast1)}  speed-up ${(median(brute) / median(fast1)).toFixed(1)}×`,
);
console.log(
  `  nearestNeighbours k=1, 2 workers:    ${fmt(fastW)}  speed-up ${(median(brute) / median(fastW)).toFixed(1)}×`,
);
console.log(`  nearestNeighbours k=5, 1 thread:     ${fmt(fast5)}`);
console.log(`  mismatches vs brute force: ${mismatches}`);
console.log(`  peak RSS: ${(peak / 2 ** 20).toFixed(0)} MiB`);
