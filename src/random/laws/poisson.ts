/** Poisson counts: inversion / PTRS, truncated by construction (see ../discrete.ts). */
import { poissonCdf, poissonMass, poissonQuantile, samplePoisson } from '../discrete.js';
import { parametric } from './law.js';

export const poisson = parametric({
  name: 'poisson',
  doc: 'Poisson counts with mean lambda.',
  discrete: true,
  params: { lambda: { doc: 'Mean count, ≥ 0.', range: 'nonnegative', synonyms: ['mu', 'mean', 'rate'] } },
  example: { lambda: 3 },
  cdf: (p, x) => poissonCdf(p.lambda, x),
  quantile: (p, q) => poissonQuantile(p.lambda, q),
  mass: (p, lo, hi) => poissonMass(p.lambda, lo, hi),
  sampler:
    ({ lambda }) =>
    (r, g, lo, hi) =>
      samplePoisson(g, lambda(r), lo, hi),
});
