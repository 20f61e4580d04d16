/**
 * Text normalisation for dedup and n-gram statistics: Unicode NFKC, lower case, punctuation to
 * spaces, whitespace collapsed. Two texts that differ only in case, punctuation or spacing
 * normalise to the same string (the "exact" stage of the dedup funnel).
 */
export function normalizeText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Word tokens of the normalised text. */
export function words(s: string): string[] {
  const n = normalizeText(s);
  return n.length === 0 ? [] : n.split(' ');
}
