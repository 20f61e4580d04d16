/**
 * A fitted column with its mechanism taken off (law, categories, conditional table, parents,
 * probability, missing rate — and, when asked, its min/max), keeping type, format and the rest:
 * the shell a law-writing module (step-laws, interval-laws) fills with its own mechanism.
 */
import type { Column } from '../spec/schema.js';

export function withoutMechanism(base: Column, dropBounds = false): Column {
  const { dist: _d, values: _v, conditional: _c, given: _g, p: _p, missing: _m, ...kept } = base;
  if (!dropBounds) return kept;
  const { min: _min, max: _max, ...unbounded } = kept;
  return unbounded;
}
