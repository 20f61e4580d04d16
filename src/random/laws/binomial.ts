/** Binomial counts: inversion / BTRS, truncated by construction (see ../discrete.ts). */
import { binomialCdf, binomialMass, binomialQuantile, sampleBinomial } from '../discrete.js';
import { parametric } from './law.js';

export const binomial = parametric({
  name: 'binomial',
  doc: 'Binomial: successes in n trials, each with probability p.',
  discrete: true,
  params: {
    n: { doc: 'Number of trials, a whole number ≥ 0.', range: 'count', synonyms: ['trials', 'size'] },
    p: { doc: 'Success probability in [0, 1].', range: 'probability', synonyms: ['prob', 'probability'] },
  },
  example: { n: 10, p: 0.3 },
  cdf: (p, x) => binomialCdf(p.n, p.p, x),
  quantile: (p, q) => binomialQuantile(p.n, p.p, q),
  mass: (p, lo, hi) => binomialMass(p.n, p.p, lo, hi),
  sampler:
    ({ n, p }) =>
    (r, g, lo, hi) =>
      sampleBinomial(g, n(r), p(r), lo, hi),
});
