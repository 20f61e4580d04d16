/**
 * Differential privacy helpers: Laplace noise by inverse CDF on a seeded stream, and the PrivBayes
 * budget split (structure vs parameters). See docs/privacy.md for what is and is not protected.
 */
import type { Stream } from '../random/stream.js';

/** Share of epsilon spent on choosing the structure (PrivBayes' β); the rest goes to the counts. */
export const STRUCTURE_SHARE = 0.3;

export interface BudgetSplit {
  epsilon: number;
  structure: number;
  parameters: number;
}

export function splitBudget(epsilon: number, learnStructure: boolean): BudgetSplit {
  const structure = learnStructure ? epsilon * STRUCTURE_SHARE : 0;
  return { epsilon, structure, parameters: epsilon - structure };
}

/** One Laplace(0, scale) draw by inverse CDF: x = −b·sign(u)·ln(1 − 2|u|), u ∈ (−½, ½). */
export function laplace(s: Stream, scale: number): number {
  const u = s.nextOpen() - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

/**
 * Laplace noise on every cell of a count table (including empty cells, so the set of non-empty
 * cells is not revealed). Post-processing (free under DP): noisy counts below `scale` (the noise
 * level) are set to 0 — plain clamping at 0 would turn the noise of the many empty cells into
 * spurious mass and flatten every distribution toward uniform. Returns a new array.
 */
export function noisyCounts(counts: Float64Array, scale: number, s: Stream): Float64Array {
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const x = counts[i] + laplace(s, scale);
    out[i] = x < scale ? 0 : x;
  }
  return out;
}

/**
 * Laplace scale for the parameter tables: under replace-one neighbouring datasets a row moves one
 * unit between two cells in each of `tables` count tables, so the L1 sensitivity is 2·tables.
 */
export function parameterNoiseScale(tables: number, epsilonParameters: number): number {
  return (2 * tables) / epsilonParameters;
}
