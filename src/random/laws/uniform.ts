/** Uniform on [min, max): truncation intersects the ranges (see ../elementary.ts). */
import { sampleUniform, uniformCdf, uniformMass, uniformQuantile } from '../elementary.js';
import { type LawIssue, parametric } from './law.js';

export const uniform = parametric({
  name: 'uniform',
  doc: 'Uniform between min and max (datetimes: ISO dates).',
  params: {
    min: { doc: 'Lower end.', range: 'real', synonyms: ['low', 'lower', 'from', 'a'] },
    max: { doc: 'Upper end, > min.', range: 'real', synonyms: ['high', 'upper', 'to', 'b'] },
  },
  example: { min: 0, max: 1 },
  relations(p, show) {
    const out: LawIssue[] = [];
    if (p.min === undefined || p.max === undefined) return out;
    if (p.min > p.max)
      out.push({
        param: 'min',
        code: 'min_above_max',
        message: `uniform min (${show('min')}) is greater than max (${show('max')})`,
        fix: 'swap min and max',
      });
    else if (p.min === p.max)
      out.push({
        param: 'max',
        message: `uniform max (${show('max')}) equals min: the range is empty`,
        fix: 'make max greater than min, or use constant: { value: … }',
      });
    else if (!Number.isFinite(p.max - p.min))
      out.push({
        param: 'max',
        message: `uniform max − min overflows a double (min ${show('min')}, max ${show('max')})`,
        fix: 'narrow the range',
      });
    return out;
  },
  cdf: (p, x) => uniformCdf(p.min, p.max, x),
  quantile: (p, q) => uniformQuantile(p.min, p.max, q),
  mass: (p, lo, hi) => uniformMass(p.min, p.max, lo, hi),
  sampler:
    ({ min, max }) =>
    (r, g, lo, hi) =>
      sampleUniform(g, min(r), max(r), lo, hi),
});
