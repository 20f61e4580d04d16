/** Lognormal: exp of a normal; truncated on the log scale (see ../normal.ts). */
import { lognormalMass, NormalPlanMemo, sampleLognormal } from '../normal.js';
import { phi, probit } from '../special.js';
import { parametric } from './law.js';

export const lognormal = parametric({
  name: 'lognormal',
  doc: 'Lognormal: log(X) is normal with mean meanlog and standard deviation sdlog.',
  params: {
    meanlog: { doc: 'Mean of log(X).', range: 'real', synonyms: ['mu', 'loc', 'mean'] },
    sdlog: {
      doc: 'Standard deviation of log(X), > 0.',
      range: 'positive',
      synonyms: ['sigma', 'std', 'stdev', 'stddev', 'sdev', 'scale', 'sd'],
    },
  },
  example: { meanlog: 10, sdlog: 0.5 },
  cdf: (p, x) => (x <= 0 ? 0 : phi((Math.log(x) - p.meanlog) / p.sdlog)),
  quantile: (p, q) => Math.exp(p.meanlog + p.sdlog * probit(q)),
  mass: (p, lo, hi) => lognormalMass(p.meanlog, p.sdlog, lo, hi),
  sampler({ meanlog, sdlog }) {
    const memo = new NormalPlanMemo();
    return (r, g, lo, hi) => sampleLognormal(g, meanlog(r), sdlog(r), lo, hi, memo);
  },
});
