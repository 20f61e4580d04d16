/**
 * How strongly a categorical child's table is smoothed, chosen by held-out likelihood: each parent
 * state's counts get `smoothing` pseudo-rows of its back-off (the child given its more informative
 * parents, backoff.ts; one parent: the child's marginal), and the number of pseudo-rows is the one
 * of SMOOTHING_GRID whose table predicts held-out rows best (heldout.ts' split: every 5th row).
 *
 * A fixed 2 pseudo-rows under-smooths a child of many values: measured on the bench's Adult
 * subset, native_country given (race, income) scores −0.5659 nats per held-out row at 2 and
 * −0.5613 at 100; given (race, education) −0.5674 at 2 but −0.5485 at 100, so education, which
 * separates Mexico's 5th–6th graders (73 training rows, 6 in a synthetic sample), only wins as a
 * parent once the table is smoothed (bench/adult-detect-diagnose.ts, detect-regions.ts).
 * Pure function of the codes.
 */
import { heldOutBackoffLogLiks } from './context-tree.js';
import { type Coded, heldOutLogLik } from './heldout.js';

/** Pseudo-rows tried, smallest first (2 was the fixed value before). */
export const SMOOTHING_GRID: readonly number[] = [2, 5, 10, 20, 50, 100];

/** A larger smoothing is taken only when it gains more than this (nats per held-out row). */
const MIN_GAIN = 1e-4;

export interface Smoothing {
  /** Pseudo-rows of the back-off per parent state. */
  smoothing: number;
  /** Held-out log-likelihood per row with it (nats). */
  logLik: number;
}

/**
 * The smoothing of SMOOTHING_GRID that predicts held-out rows of `child` given `parents` best
 * (a table with no parents has nothing to smooth: the first of the grid).
 */
export function chooseSmoothing(child: Coded, parents: readonly Coded[], minCount: number): Smoothing {
  const scores =
    parents.length === 0
      ? [heldOutLogLik(child, [])]
      : parents.length === 1
        ? SMOOTHING_GRID.map((a) => heldOutLogLik(child, parents, 5, a))
        : heldOutBackoffLogLiks(child, parents, minCount, SMOOTHING_GRID);
  let best = 0;
  for (let j = 1; j < scores.length; j++) if (scores[j] > scores[best] + MIN_GAIN) best = j;
  return { smoothing: SMOOTHING_GRID[best], logLik: scores[best] };
}
