/**
 * Phrase recombination across real examples of the same intent, aligned on shared n-grams: two
 * examples that share an anchor (a bigram, or one content word) are cut there and joined — the
 * head of one with the tail of the other (one-point), or one example with the stretch of the other
 * that lies between two shared anchors (two-point: a phrase swap). "i lost my card on the bus" ×
 * "someone took my card yesterday" on "my card" → "i lost my card yesterday".
 */
import type { Stream } from '../../random/stream.js';
import { CLOSED_CLASS } from './pos.js';
import { isWord } from './tokens.js';
import type { AugmentOperator } from './types.js';

export interface Anchor {
  /** Start in a, start in b, length in tokens. */
  i: number;
  j: number;
  n: number;
}

const low = (t: string) => t.toLowerCase();

/** Shared n-grams of a and b usable as cut points: length ≥ 2, or one word that is not closed-class. */
export function sharedAnchors(a: readonly string[], b: readonly string[], maxN = 3): Anchor[] {
  const out: Anchor[] = [];
  const la = a.map(low);
  const lb = b.map(low);
  for (let i = 0; i < la.length; i++) {
    if (!isWord(la[i])) continue;
    for (let j = 0; j < lb.length; j++) {
      if (la[i] !== lb[j]) continue;
      let n = 1;
      while (n < maxN && i + n < la.length && j + n < lb.length && la[i + n] === lb[j + n]) n++;
      if (n >= 2 || !CLOSED_CLASS.has(la[i])) out.push({ i, j, n });
    }
  }
  return out;
}

const wordCount = (ts: readonly string[]) => ts.filter(isWord).length;

function pick<T>(xs: readonly T[], st: Stream): T {
  return xs[st.nextInt(xs.length)];
}

export const recombine: AugmentOperator = (tokens, source, cell, st, p) => {
  const others = cell.examples.filter((e) => e.id !== source.id);
  if (!others.length) return null;
  const minShare = Number(p.min_length_ratio ?? 0.5);
  const lenA = wordCount(tokens);
  // try a few partners in seeded order; the first that yields a new, plausible-length text wins
  for (let attempt = 0; attempt < 4; attempt++) {
    const b = pick(others, st);
    const anchors = sharedAnchors(tokens, b.tokens);
    if (!anchors.length) continue;
    const twoPoint = anchors.length >= 2 && st.nextFloat() < Number(p.two_point ?? 0.5);
    let out: string[];
    let anchorText: string;
    let mode: string;
    if (twoPoint) {
      const sorted = [...anchors].sort((x, y) => x.i - y.i || x.j - y.j);
      const k = st.nextInt(sorted.length - 1);
      const s = sorted[k];
      const e = sorted.slice(k + 1).find((x) => x.i >= s.i + s.n && x.j >= s.j + s.n);
      if (!e) continue;
      out = [...tokens.slice(0, s.i + s.n), ...b.tokens.slice(s.j + s.n, e.j), ...tokens.slice(e.i)];
      anchorText = `${tokens.slice(s.i, s.i + s.n).join(' ')}…${tokens.slice(e.i, e.i + e.n).join(' ')}`;
      mode = 'two-point';
    } else {
      const a = pick(anchors, st);
      out = [...tokens.slice(0, a.i + a.n), ...b.tokens.slice(a.j + a.n)];
      anchorText = tokens.slice(a.i, a.i + a.n).join(' ');
      mode = 'one-point';
    }
    const n = wordCount(out);
    const lowOut = out.map(low).join(' ');
    if (
      n < Math.max(2, minShare * Math.min(lenA, wordCount(b.tokens))) ||
      lowOut === tokens.map(low).join(' ') ||
      lowOut === b.tokens.map(low).join(' ')
    )
      continue;
    return { tokens: out, params: { with: b.id, anchor: anchorText, mode }, borrowed: [b.id] };
  }
  return null;
};
