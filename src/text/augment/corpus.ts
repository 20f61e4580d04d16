/**
 * What the real corpus (every label) tells the operators about how its users write:
 *
 * - **Attested word pairs.** Every adjacent pair of normalised words (`words()`, as the TF-IDF
 *   features and distinct-2 see them) in some real text. An operator step that creates a pair no
 *   real text has is refused when `attestedPairs` is on (candidates.ts; off by default: on Banking77 it
 *   cut synthetic distinct-2 from 0.415 to 0.213): measured on Banking77 and HWU64 (10 rarest intents
 *   cut to 5 rows), 29–55 % of the word pairs an EDA swap made, and 16.8 % / 22.5 % of the rare
 *   classes' naive-Bayes term mass, sat on n-grams no real text has — mass a real test message
 *   never meets, taken from the words it does use.
 * - **Generic words** — words that do not tell the label: closed-class words (negations
 *   excepted: "not" tells "card not working" from "card working"), and words found in texts of at
 *   least min(3, K) labels of which no label holds more than max(0.2, 2/K) of their texts (K
 *   labels).
 * - **Frames.** Every maximal run of generic words in a real text — its opening ("how can i get
 *   a", "is there a way to"), a stretch between two content words ("by the", "on my"), its close
 *   ("as well?", "please") — is how users frame a request, whatever the request. The `frame`
 *   operator swaps a run of a cell's example for a run of the same kind from the corpus. On the
 *   same cuts, 47–72 % of the term occurrences that real rows of a rare intent add beyond its 5
 *   kept rows were generic words and generic word pairs: framing, which the corpus has.
 */
import { hashRange } from '../embed.js';
import { words } from '../normalize.js';
import { CLOSED_CLASS } from './pos.js';
import { isWord, tokenize } from './tokens.js';

export type RunKind = 'head' | 'middle' | 'tail';

export interface Frame {
  /** The run's tokens as written in the real text. */
  tokens: readonly string[];
  /** The real text's label (a frame from the cell's own label is no news). */
  label: string;
}

export interface CorpusProfile {
  /** Attested adjacent word pairs, "w1 w2" over `words()`; null: steps are not checked. */
  readonly pairs: ReadonlySet<string> | null;
  /** The same pairs, always collected: the selection scores candidates by them (select.ts). */
  readonly attested: ReadonlySet<string>;
  readonly generic: ReadonlySet<string>;
  /** Generic runs of every real text by kind, one entry per occurrence: frequency-weighted. */
  readonly frames: ReadonlyMap<RunKind, readonly Frame[]>;
  /** Words of every real text by two-sided context, one entry per occurrence (neighbour.ts). */
  readonly contexts: ReadonlyMap<string, readonly ContextFiller[]>;
  /** Per label, how many of its real texts have each word (lower case): label affinity. */
  readonly labelWords: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Adjacent word pairs of a text, as the classifiers' bigram features see them. */
export function wordPairs(text: string): string[] {
  const w = words(text);
  const out: string[] = [];
  for (let i = 0; i + 1 < w.length; i++) out.push(`${w[i]} ${w[i + 1]}`);
  return out;
}

/** Distinct word pairs of a text as 32-bit ids (the selection's new-pair term). */
export function pairIds(text: string): Int32Array {
  return pairProfile(text, null).ids;
}

/**
 * A candidate's word pairs for the selection: the ids of its distinct pairs that some real text has
 * (all of them when `attested` is null), and the share of its distinct pairs that no real text has.
 */
export function pairProfile(
  text: string,
  attested: ReadonlySet<string> | null,
): { ids: Int32Array; unattested: number } {
  const ids = new Set<number>();
  const distinct = new Set(wordPairs(text));
  let missing = 0;
  for (const p of distinct) {
    if (attested && !attested.has(p)) missing++;
    else ids.add(hashRange(p, 0, p.length) | 0);
  }
  return { ids: Int32Array.from(ids), unattested: distinct.size ? missing / distinct.size : 0 };
}

const NEGATIONS = new Set(
  "not no never nor neither without don't can't won't isn't aren't wasn't weren't didn't doesn't haven't hasn't cannot".split(
    ' ',
  ),
);

/** Words that do not tell the label (see the module comment). */
export function genericWords(rows: readonly { text: string; label: string }[]): Set<string> {
  const byWord = new Map<string, Map<string, number>>();
  const labels = new Set<string>();
  for (const r of rows) {
    labels.add(r.label);
    for (const w of new Set(
      tokenize(r.text)
        .filter(isWord)
        .map((t) => t.toLowerCase()),
    )) {
      let m = byWord.get(w);
      if (!m) {
        m = new Map();
        byWord.set(w, m);
      }
      m.set(r.label, (m.get(r.label) ?? 0) + 1);
    }
  }
  const K = labels.size;
  const minLabels = Math.min(3, K);
  const maxShare = Math.max(0.2, 2 / Math.max(1, K));
  const out = new Set<string>([...CLOSED_CLASS].filter((w) => !NEGATIONS.has(w)));
  for (const [w, m] of byWord) {
    if (m.size < minLabels || NEGATIONS.has(w)) continue;
    let total = 0;
    let top = 0;
    for (const c of m.values()) {
      total += c;
      if (c > top) top = c;
    }
    if (top / total <= maxShare) out.add(w);
  }
  return out;
}

export interface Run {
  start: number;
  end: number;
  kind: RunKind;
}

/** Runs longer than this many tokens are not frames (a sentence, not a frame). */
export const MAX_RUN = 8;

/**
 * Maximal runs of generic tokens (punctuation counts as generic) with at least one word, of at most
 * MAX_RUN tokens, in a text that has at least one content word.
 */
export function genericRuns(tokens: readonly string[], generic: ReadonlySet<string>): Run[] {
  const isGeneric = (t: string) => !isWord(t) || generic.has(t.toLowerCase());
  if (tokens.every(isGeneric)) return [];
  const out: Run[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!isGeneric(tokens[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < tokens.length && isGeneric(tokens[j])) j++;
    if (j - i <= MAX_RUN && tokens.slice(i, j).some(isWord))
      out.push({ start: i, end: j, kind: i === 0 ? 'head' : j === tokens.length ? 'tail' : 'middle' });
    i = j;
  }
  return out;
}

/** Context key of a slot: the lower-case words either side ('' at the text's start or end). */
export const contextKey = (left: string, right: string) => `${left}\u241f${right}`;

/** One real occurrence of a word in a context. */
export interface ContextFiller {
  word: string;
  label: string;
}

/** Every two-sided context of every word of the texts (one entry per occurrence). */
export function contextFillers(
  rows: readonly { text: string; label: string }[],
): Map<string, ContextFiller[]> {
  const out = new Map<string, ContextFiller[]>();
  for (const r of rows) {
    const ws = tokenize(r.text)
      .filter(isWord)
      .map((w) => ({ w: w.toLowerCase() }));
    for (let k = 0; k < ws.length; k++) {
      const key = contextKey(k > 0 ? ws[k - 1].w : '', k + 1 < ws.length ? ws[k + 1].w : '');
      let list = out.get(key);
      if (!list) {
        list = [];
        out.set(key, list);
      }
      list.push({ word: ws[k].w, label: r.label });
    }
  }
  return out;
}

export function corpusProfile(
  rows: readonly { text: string; label: string }[],
  opts: { checkPairs?: boolean } = {},
): CorpusProfile {
  const attested = new Set<string>();
  for (const r of rows) for (const p of wordPairs(r.text)) attested.add(p);
  const pairs = (opts.checkPairs ?? true) ? attested : null;
  const generic = genericWords(rows);
  const frames = new Map<RunKind, Frame[]>([
    ['head', []],
    ['middle', []],
    ['tail', []],
  ]);
  for (const r of rows) {
    const t = tokenize(r.text);
    for (const run of genericRuns(t, generic))
      frames.get(run.kind)!.push({ tokens: t.slice(run.start, run.end), label: r.label });
  }
  const labelWords = new Map<string, Map<string, number>>();
  for (const r of rows) {
    let m = labelWords.get(r.label);
    if (!m) {
      m = new Map();
      labelWords.set(r.label, m);
    }
    for (const w of new Set(
      tokenize(r.text)
        .filter(isWord)
        .map((t) => t.toLowerCase()),
    ))
      m.set(w, (m.get(w) ?? 0) + 1);
  }
  return { pairs, attested, generic, frames, contexts: contextFillers(rows), labelWords };
}
