/** Normal (Gaussian): the ziggurat untruncated, inverse CDF when truncated (see ../normal.ts). */
import { NormalPlanMemo, normalMass, sampleNormal } from '../normal.js';
import { phi, probit } from '../special.js';
import { parametric } from './law.js';

export const normal = parametric({
  name: 'normal',
  doc: 'Normal (Gaussian) with a mean and a standard deviation.',
  params: {
    mean: { doc: 'Mean (the centre).', range: 'real', synonyms: ['mu', 'loc', 'location', 'average'] },
    sd: {
      doc: 'Standard deviation, > 0.',
      range: 'positive',
      synonyms: ['sigma', 'std', 'stdev', 'stddev', 'sdev', 'scale'],
    },
  },
  example: { mean: 41, sd: 13 },
  cdf: (p, x) => phi((x - p.mean) / p.sd),
  quantile: (p, q) => p.mean + p.sd * probit(q),
  mass: (p, lo, hi) => normalMass(p.mean, p.sd, lo, hi),
  sampler({ mean, sd }) {
    const memo = new NormalPlanMemo(); // per column: see NormalPlanMemo
    return (r, g, lo, hi) => sampleNormal(g, mean(r), sd(r), lo, hi, memo);
  },
});
