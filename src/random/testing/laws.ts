/** Test helpers: a law from the registry, fixed with parameters given by name. */
import { type FixedLaw, fixLaw } from '../laws/index.js';

export type Params = Readonly<Record<string, number>>;

/** The named law with these parameters; throws (failing the test) when they are invalid. */
export function law(name: string, params: Params): FixedLaw {
  const f = fixLaw(name, params);
  if (typeof f === 'string') throw new Error(`${name}(${JSON.stringify(params)}): ${f}`);
  return f;
}

/** CDF of the law truncated to [lo, hi], from masses (each taken on its precise side). */
export function truncatedCdf(f: FixedLaw, lo: number, hi: number): (x: number) => number {
  const total = f.mass(lo, hi);
  return (x) => (x <= lo ? 0 : x >= hi ? 1 : f.mass(lo, x) / total);
}
