/**
 * Fisher–Yates shuffle driven by a seeded stream: from the last slot down, swap slot i with a
 * uniform slot j ≤ i (one `nextInt(i + 1)` per slot). One copy for every consumer, so two
 * shuffles with the same stream state give the same order.
 */
import type { Stream } from './stream.js';

/** Shuffle `a` in place (arrays and typed arrays alike). */
export function shuffleInPlace<T>(a: { length: number; [i: number]: T }, s: Stream): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = s.nextInt(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
