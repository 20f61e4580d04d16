/** Exponential: closed-form inverse; truncated draws by memorylessness (see ../elementary.ts). */
import { exponentialCdf, exponentialMass, exponentialQuantile, sampleExponential } from '../elementary.js';
import { parametric } from './law.js';

export const exponential = parametric({
  name: 'exponential',
  doc: 'Exponential with a rate (mean 1/rate).',
  params: { rate: { doc: 'Rate, > 0 (the mean is 1/rate).', range: 'positive', synonyms: ['lambda'] } },
  example: { rate: 0.1 },
  cdf: (p, x) => exponentialCdf(p.rate, x),
  quantile: (p, q) => exponentialQuantile(p.rate, q),
  mass: (p, lo, hi) => exponentialMass(p.rate, lo, hi),
  sampler:
    ({ rate }) =>
    (r, g, lo, hi) =>
      sampleExponential(g, rate(r), lo, hi),
});
