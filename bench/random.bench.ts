/**
 * Sampler throughput: draws/s for every law, untruncated (the hot path) and truncated (inverse CDF),
 * beside a Math.random()-based Box–Muller baseline measured in the same run.
 *
 *   node --import tsx bench/random.bench.ts
 */
import { Bench } from 'tinybench';
import {
  AliasTable,
  Empirical,
  type Stream,
  sampleBeta,
  sampleBinomial,
  sampleExponential,
  sampleGamma,
  sampleLognormal,
  sampleNormal,
  samplePoisson,
  sampleUniform,
  streamFor,
} from '../src/random/index.js';

const DRAWS = 1000; // per task iteration
const s: Stream = streamFor(1, 'bench');
let sink = 0;

/** Baseline only: the one place Math.random appears, to compare against the seeded samplers. */
function boxMullerBaseline(): number {
  const u = 1 - Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}

const alias = new AliasTable(Array.from({ length: 100 }, (_, i) => 1 + (i % 7)));
const empirical = new Empirical(
  Array.from({ length: 101 }, (_, i) => i * i),
  [{ value: 0, prob: 0.2 }],
);

const tasks: [string, () => number][] = [
  ['baseline Box–Muller (Math.random)', boxMullerBaseline],
  ['stream.nextFloat', () => s.nextFloat()],
  ['normal', () => sampleNormal(s, 0, 1)],
  ['normal [−1, 2]', () => sampleNormal(s, 0, 1, -1, 2)],
  ['normal [8, ∞)', () => sampleNormal(s, 0, 1, 8)],
  ['lognormal', () => sampleLognormal(s, 0, 1)],
  ['lognormal [1, 3]', () => sampleLognormal(s, 0, 1, 1, 3)],
  ['uniform', () => sampleUniform(s, 0, 10)],
  ['uniform [2, 3]', () => sampleUniform(s, 0, 10, 2, 3)],
  ['exponential', () => sampleExponential(s, 2)],
  ['exponential [1, 3]', () => sampleExponential(s, 2, 1, 3)],
  ['gamma(0.5)', () => sampleGamma(s, 0.5, 1)],
  ['gamma(3)', () => sampleGamma(s, 3, 1)],
  ['gamma(3) [1, 4]', () => sampleGamma(s, 3, 1, 1, 4)],
  ['beta(2, 5)', () => sampleBeta(s, 2, 5)],
  ['beta(0.5, 0.5)', () => sampleBeta(s, 0.5, 0.5)],
  ['beta(2, 5) [0.2, 0.4]', () => sampleBeta(s, 2, 5, 0.2, 0.4)],
  ['poisson(4)', () => samplePoisson(s, 4)],
  ['poisson(500)', () => samplePoisson(s, 500)],
  ['poisson(4) [2, 6]', () => samplePoisson(s, 4, 2, 6)],
  ['poisson(500) [480, 520]', () => samplePoisson(s, 500, 480, 520)],
  ['binomial(20, 0.3)', () => sampleBinomial(s, 20, 0.3)],
  ['binomial(1000, 0.3)', () => sampleBinomial(s, 1000, 0.3)],
  ['binomial(1000, 0.3) [280, 320]', () => sampleBinomial(s, 1000, 0.3, 280, 320)],
  ['alias table (100)', () => alias.sample(s)],
  ['empirical (101 knots + atom)', () => empirical.sample(s)],
  ['empirical [10, 50]', () => empirical.sample(s, 10, 50)],
];

const bench = new Bench({ time: 300, warmup: true });
for (const [name, f] of tasks) {
  bench.add(name, () => {
    let acc = 0;
    for (let i = 0; i < DRAWS; i++) acc += f();
    sink += acc;
  });
}
await bench.run();

const rows = bench.tasks.map((t) => {
  const r = t.result as { throughput?: { mean: number } } | undefined;
  const perSec = (r?.throughput?.mean ?? 0) * DRAWS;
  return { sampler: t.name, 'Mdraws/s': (perSec / 1e6).toFixed(2) };
});
console.table(rows);
if (Number.isNaN(sink)) console.log('(a sampler produced NaN)');
