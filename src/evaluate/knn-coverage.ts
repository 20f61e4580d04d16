/**
 * kNN precision/recall-style coverage and density of the real data by the synthetic data
 * (Naeem et al. 2020, "Reliable Fidelity and Diversity Metrics for Generative Models"), k = 5, on
 * seeded samples of at most 2,000 rows per side, Gower distance with ranges from the real data.
 *  - coverage = share of real rows whose k-NN ball (radius = distance to the k-th nearest other real
 *    row) contains at least one synthetic row;
 *  - density = (1 / (k·M)) Σ_synthetic Σ_real 1[d(s, r) ≤ radius(r)].
 * Coverage uses src/ml's exact neighbour search. Density needs a radius count over every
 * (synthetic, real) pair, which the neighbour API does not offer, so it is a small pairwise loop
 * here over the bounded samples, using the same Gower definition as src/ml.
 */
import { gowerSpace, nearestNeighbours, sampleIndices, type TypedTable } from '../ml/index.js';
import { streamFor } from '../random/stream.js';
import { metricFrom, multinomialCounts } from './bootstrap.js';
import { defineSection, ok, type SectionContext } from './section.js';
import { takeTableRows } from './table-utils.js';
import type { KnnCoverageSection } from './types.js';

export async function computeKnnCoverage(
  real: TypedTable,
  syn: TypedTable,
  opts: {
    seed: number;
    reps: number;
    level: number;
    k?: number;
    maxPerSide?: number;
    signal?: AbortSignal;
  },
): Promise<KnnCoverageSection> {
  const k = opts.k ?? 5;
  const cap = opts.maxPerSide ?? 2000;
  const nR = Math.min(real.rowCount, cap);
  const nS = Math.min(syn.rowCount, cap);
  if (nR <= k || nS < 1) {
    const reason = `needs more than ${k} real rows and at least 1 synthetic row`;
    return {
      k,
      coverage: { value: null, reason },
      density: { value: null, reason },
      rows_per_side: Math.min(nR, nS),
    };
  }
  const R =
    nR < real.rowCount ? takeTableRows(real, sampleIndices(real.rowCount, nR, opts.seed ^ 0x6e1)) : real;
  const S = nS < syn.rowCount ? takeTableRows(syn, sampleIndices(syn.rowCount, nS, opts.seed ^ 0x6e2)) : syn;
  const space = gowerSpace(real);
  const self = await nearestNeighbours(R, R, k, { space, excludeSelf: true, signal: opts.signal });
  const radius = new Float64Array(nR);
  for (let i = 0; i < nR; i++) radius[i] = self.distance[i * k + k - 1];
  const toSyn = await nearestNeighbours(R, S, 1, { space, signal: opts.signal });
  const covered = new Float64Array(nR);
  for (let i = 0; i < nR; i++) covered[i] = toSyn.distance[i] <= radius[i] ? 1 : 0;

  // density: per synthetic row, how many real balls contain it
  const inBalls = new Float64Array(nS);
  const cols = R.columns.length;
  for (let j = 0; j < nS; j++) {
    let count = 0;
    for (let i = 0; i < nR; i++) {
      let d = 0;
      for (let c = 0; c < cols; c++) {
        const a = R.columns[c];
        const b = S.columns[c];
        if (a.kind === 'numeric' && b.kind === 'numeric') {
          const x = a.values[i];
          const y = b.values[j];
          const mx = Number.isNaN(x);
          const my = Number.isNaN(y);
          if (mx || my) d += mx && my ? 0 : 1;
          else {
            const range = space.numericRanges[c];
            d += range > 0 ? Math.min(1, Math.abs(x - y) / range) : x === y ? 0 : 1;
          }
        } else if (a.kind === 'categorical' && b.kind === 'categorical') {
          const x = a.codes[i];
          const y = b.codes[j];
          d += x === y ? 0 : 1;
        }
      }
      if (d / cols <= radius[i] + 1e-12) count++;
    }
    inBalls[j] = count;
  }
  const st = streamFor(opts.seed, 'evaluate', 'knn-coverage');
  const reps = opts.reps;
  const rc = new Float64Array(reps);
  const rd = new Float64Array(reps);
  const wr = new Int32Array(nR);
  const ws = new Int32Array(nS);
  let cov = 0;
  let den = 0;
  for (const v of covered) cov += v;
  for (const v of inBalls) den += v;
  for (let r = 0; r < reps; r++) {
    multinomialCounts(nR, st, wr);
    multinomialCounts(nS, st, ws);
    let a = 0;
    let b = 0;
    for (let i = 0; i < nR; i++) a += wr[i] * covered[i];
    for (let j = 0; j < nS; j++) b += ws[j] * inBalls[j];
    rc[r] = a / nR;
    rd[r] = b / (k * nS);
  }
  return {
    k,
    coverage: metricFrom(cov / nR, rc, 'undefined', opts.level),
    density: metricFrom(den / (k * nS), rd, 'undefined', opts.level),
    rows_per_side: Math.min(nR, nS),
  };
}

export const knnCoverageSection = defineSection({
  name: 'knn_coverage',
  order: 100,
  title: 'kNN coverage and density (Naeem et al. 2020)',
  empty: null as KnnCoverageSection | null,
  summary: {},
  run: async (ctx: SectionContext) => ok(await computeKnnCoverage(ctx.real, ctx.synthetic, ctx.opts)),
  output: (k) => k,
  present: (k) => ({
    heading: 'kNN coverage and density',
    blocks: [
      {
        kind: 'figures',
        items: [
          { label: 'Coverage: real neighbourhoods reached (1 = all)', value: k.coverage },
          { label: 'Density: about 1 when synthetic rows crowd where real rows do', value: k.density },
        ],
      },
      {
        kind: 'note',
        tone: 'muted',
        text: `Coverage is the share of real rows whose neighbourhood (out to their ${k.k}th nearest real row) holds a synthetic row. Naeem et al. 2020, ${k.rows_per_side} rows per side.`,
      },
    ],
  }),
});
