/**
 * "Did you mean" suggestions, by Damerau-Levenshtein distance (optimal string alignment: insert,
 * delete, substitute, swap two neighbours), shared with the expression language.
 */

import { osaDistance as editDistance } from '../expr/names.js';

export { editDistance };

/**
 * The closest candidate, if it is close enough to be a plausible typo: at most a third of the
 * longer word's length (at least 1, at most 3 edits). Case differences alone always match.
 * Ties go to the earlier candidate, so callers control preference by order.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(word.length, c.length) / 3)));
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `"a", "b" and "c"` */
export function quotedList(words: readonly string[], last = 'and'): string {
  const q = words.map((w) => `"${w}"`);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} ${last} ${q[q.length - 1]}`;
}
