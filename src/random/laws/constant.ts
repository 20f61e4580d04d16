/** A constant: every draw is the value (NaN when the bounds exclude it). */
import { parametric } from './law.js';

export const constant = parametric({
  name: 'constant',
  doc: 'Always the same value (a number, a date, or an expression of parents).',
  params: { value: { doc: 'The value.', range: 'real' } },
  example: { value: 0 },
  cdf: (p, x) => (Number.isNaN(x) ? Number.NaN : x >= p.value ? 1 : 0),
  quantile: (p, q) => (q >= 0 && q <= 1 ? p.value : Number.NaN),
  mass: (p, lo, hi) => (p.value >= lo && p.value <= hi ? 1 : 0),
  sampler:
    ({ value }) =>
    (r, _g, lo, hi) => {
      const x = value(r);
      return x >= lo && x <= hi ? x : Number.NaN;
    },
});
