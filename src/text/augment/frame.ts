/**
 * Re-framing from the corpus: one run of generic words of the example — its opening, a stretch
 * between two content words, or its close (corpus.ts) — is replaced by a run of the same kind
 * that another real text (any other label) has, provided the word pairs at both joins occur in
 * some real text. The content words are the example's own, so the intent stays, while the framing
 * is one real users wrote:
 *
 *   "How do I get a disposable virtual card?"  opening "How do I get a" → "is there a"
 *   → "is there a disposable virtual card?"
 *
 * Runs are drawn in proportion to how many real texts have them (a few tries until the joins are
 * attested); a run equal to the one replaced is not drawn.
 */
import { words } from '../normalize.js';
import { genericRuns } from './corpus.js';
import { isWord } from './tokens.js';
import type { AugmentOperator } from './types.js';

const TRIES = 8;

// words only: a run that differs in case or punctuation alone is no new framing
const low = (ts: readonly string[]) => words(ts.join(' ')).join(' ');

export const frame: AugmentOperator = (tokens, _source, cell, st) => {
  const corpus = cell.corpus;
  if (!corpus) return null;
  const runs = genericRuns(tokens, corpus.generic);
  if (!runs.length) return null;
  const pairs = corpus.pairs;
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const run = runs[st.nextInt(runs.length)];
    const list = corpus.frames.get(run.kind)!;
    if (!list.length) return null;
    const f = list[st.nextInt(list.length)];
    if (f.label === cell.label || low(f.tokens) === low(tokens.slice(run.start, run.end))) continue;
    let insert = [...f.tokens];
    const after = tokens.slice(run.end);
    // the run that opened the sentence is replaced: a content word now first keeps its case; a
    // replaced opening's capital stays with the new opening, as written
    if (run.kind !== 'head' && insert.length && isWord(insert[0]) && insert[0] !== 'I')
      insert = [insert[0].toLowerCase(), ...insert.slice(1)];
    const out = [...tokens.slice(0, run.start), ...insert, ...after];
    if (pairs) {
      // joins: the last word before the run with the run's first, the run's last with the next
      const left = words(tokens.slice(Math.max(0, run.start - 1), run.start).join(' '));
      const right = words(after.slice(0, 1).join(' '));
      const mid = words(insert.join(' '));
      if (!mid.length) continue;
      if (left.length && !pairs.has(`${left[left.length - 1]} ${mid[0]}`)) continue;
      if (right.length && !pairs.has(`${mid[mid.length - 1]} ${right[0]}`)) continue;
    }
    return {
      tokens: out,
      params: {
        kind: run.kind,
        replaced: tokens.slice(run.start, run.end).join(' '),
        frame: f.tokens.join(' '),
      },
    };
  }
  return null;
};
