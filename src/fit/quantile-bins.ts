/**
 * Bins at quantiles of a sample, for laws fitted per bin of a size or a room (count-rate.ts,
 * room-gaps.ts). Unlike encode.ts quantileBreaks (which isolates ties over a sorted typed
 * array for parent states), these are plain cut points at k-quantiles.
 */

/** Cut points at k-quantiles of xs (distinct, strictly ascending). */
export function quantileCuts(xs: readonly number[], k: number): number[] {
  const s = [...xs].sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 1; i < k; i++) {
    const q = s[Math.floor((i * s.length) / k)];
    if (out.length === 0 || q > out[out.length - 1]) out.push(q);
  }
  return out;
}

/** The bin of x: the number of cut points at or below it. */
export function binOf(breaks: readonly number[], x: number): number {
  let k = 0;
  while (k < breaks.length && breaks[k] <= x) k++;
  return k;
}
