/** Gamma (shape, scale): Marsaglia–Tsang untruncated, inverse CDF when truncated (see ../gamma.ts). */
import { gammaMass, sampleGamma } from '../gamma.js';
import { gammaCdf, gammaQuantile } from '../special.js';
import { PlanMemo } from '../truncate.js';
import { parametric } from './law.js';

export const gamma = parametric({
  name: 'gamma',
  doc: 'Gamma with a shape and a scale (mean shape × scale).',
  params: {
    shape: { doc: 'Shape, > 0.', range: 'positive', synonyms: ['k', 'alpha', 'a'] },
    scale: { doc: 'Scale, > 0.', range: 'positive', synonyms: ['theta'] },
  },
  example: { shape: 2, scale: 1500 },
  cdf: (p, x) => gammaCdf(x / p.scale, p.shape),
  quantile: (p, q) => p.scale * gammaQuantile(q, p.shape),
  mass: (p, lo, hi) => gammaMass(p.shape, p.scale, lo, hi),
  sampler({ shape, scale }) {
    const memo = new PlanMemo();
    return (r, g, lo, hi) => sampleGamma(g, shape(r), scale(r), lo, hi, memo);
  },
});
