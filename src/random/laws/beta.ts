/** Beta on [0, 1]: from two gammas untruncated, inverse CDF when truncated (see ../gamma.ts). */
import { betaMass, sampleBeta } from '../gamma.js';
import { betaCdf, betaQuantile } from '../special.js';
import { PlanMemo } from '../truncate.js';
import { parametric } from './law.js';

export const beta = parametric({
  name: 'beta',
  doc: 'Beta on [0, 1] with shapes alpha and beta (mean alpha / (alpha + beta)).',
  params: {
    alpha: { doc: 'First shape, > 0.', range: 'positive', synonyms: ['a'] },
    beta: { doc: 'Second shape, > 0.', range: 'positive', synonyms: ['b'] },
  },
  example: { alpha: 2, beta: 5 },
  cdf: (p, x) => betaCdf(x, p.alpha, p.beta),
  quantile: (p, q) => betaQuantile(q, p.alpha, p.beta),
  mass: (p, lo, hi) => betaMass(p.alpha, p.beta, lo, hi),
  sampler({ alpha, beta }) {
    const memo = new PlanMemo();
    return (r, g, lo, hi) => sampleBeta(g, alpha(r), beta(r), lo, hi, memo);
  },
});
