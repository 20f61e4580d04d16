/**
 * Candidate generation for one cell: each candidate starts from one real example of the cell
 * (round robin, so every example seeds as many candidates) and runs the recipe's chain. Every
 * applied operator is recorded with its parameters and its novelty — how far it moved the text
 * (`novelty` below) — so a candidate says what was done to it and how much each step changed.
 */
import { type Stream, streamFor } from '../../random/stream.js';
import type { OperatorStep } from '../types.js';
import { type CorpusProfile, wordPairs } from './corpus.js';
import { labelAffinity } from './neighbour.js';
import { AUGMENT_OPERATORS, type AugmentRecipe } from './ops.js';
import { CLOSED_CLASS, tagTokens } from './pos.js';
import { detokenize, isWord, tokenize } from './tokens.js';
import type { CellContext, CellExample, OpParams } from './types.js';
import type { LexicalDatabase } from './wordnet.js';

export interface Candidate {
  /** Index of the candidate within its cell (stable for a seed). */
  index: number;
  text: string;
  label: string;
  /** The real example it started from, then any it borrowed from. */
  sources: string[];
  operators: OperatorStep[];
  seed_stream: string;
  /** Operator steps undone because they made a word pair no real text has. */
  unattested: string[];
}

/** Document frequencies of lower-case word tokens over a corpus. */
export interface CorpusStats {
  docs: number;
  df: ReadonlyMap<string, number>;
}

export function corpusStats(texts: readonly string[]): CorpusStats {
  const df = new Map<string, number>();
  for (const t of texts)
    for (const w of new Set(
      tokenize(t)
        .filter(isWord)
        .map((x) => x.toLowerCase()),
    ))
      df.set(w, (df.get(w) ?? 0) + 1);
  return { docs: texts.length, df };
}

/** Words in at least `minDocs` texts of the corpus: its attested vocabulary. */
export function attestedVocabulary(stats: CorpusStats, minDocs = 2): Set<string> {
  return new Set([...stats.df].filter(([, c]) => c >= minDocs).map(([w]) => w));
}

/**
 * The cell's salient words: the `k` open-class words with the highest share-in-cell × idf
 * (idf over the corpus), among those in at least two examples (or the one example).
 */
export function salientWords(
  examples: readonly CellExample[],
  stats: CorpusStats | null,
  k = 3,
): Set<string> {
  const cdf = new Map<string, number>();
  for (const e of examples)
    for (const w of new Set(e.tokens.filter(isWord).map((t) => t.toLowerCase())))
      if (!CLOSED_CLASS.has(w)) cdf.set(w, (cdf.get(w) ?? 0) + 1);
  const need = Math.min(2, examples.length);
  const N = stats?.docs ?? examples.length;
  return new Set(
    [...cdf]
      .filter(([, c]) => c >= need)
      .map(([w, c]) => ({ w, s: (c / examples.length) * Math.log((1 + N) / (1 + (stats?.df.get(w) ?? c))) }))
      .sort((a, b) => b.s - a.s || (a.w < b.w ? -1 : 1))
      .slice(0, k)
      .map((x) => x.w),
  );
}

export interface CellCorpus {
  /** Attested vocabulary (see CellContext.vocabulary). */
  vocabulary?: ReadonlySet<string>;
  /** Document frequencies for the salient words' idf. */
  stats?: CorpusStats | null;
  /** Word pairs, generic words and frames of the real corpus. */
  profile?: CorpusProfile;
}

export function cellContext(
  label: string,
  rows: readonly { id: string; text: string }[],
  lexicon: LexicalDatabase,
  corpus: CellCorpus = {},
): CellContext {
  const examples: CellExample[] = rows.map((r) => {
    const tokens = tokenize(r.text);
    return { id: r.id, text: r.text, tokens, tags: tagTokens(lexicon, tokens) };
  });
  const profile = corpus.profile;
  return {
    label,
    examples,
    lexicon,
    vocabulary: corpus.vocabulary,
    salient: salientWords(examples, corpus.stats ?? null),
    corpus: profile,
    affinity: profile ? labelAffinity(label, examples, profile.labelWords, profile.generic) : undefined,
  };
}

/** Every word pair of `after` that `before` did not have occurs in some real text. */
export function pairsAttested(pairs: ReadonlySet<string>, before: string, after: string): boolean {
  const had = new Set(wordPairs(before));
  for (const p of wordPairs(after)) if (!had.has(p) && !pairs.has(p)) return false;
  return true;
}

/** The candidate still contains one of the cell's salient words (true when the cell has none). */
export function keepsSalient(cell: CellContext, text: string): boolean {
  if (cell.salient.size === 0) return true;
  for (const t of tokenize(text)) if (cell.salient.has(t.toLowerCase())) return true;
  return false;
}

function choose(weights: Readonly<Record<string, number>>, st: Stream): string {
  const entries = Object.entries(weights).filter(([, w]) => w > 0);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  if (total <= 0) return 'none';
  let u = st.nextFloat() * total;
  for (const [k, w] of entries) {
    u -= w;
    if (u < 0) return k;
  }
  return entries[entries.length - 1][0];
}

/**
 * How far an operator moved the text: 1 − Jaccard similarity of the word 1- and 2-gram sets
 * (lower case) before and after. Cheap enough for every step of every candidate; the final
 * candidate's distance to the nearest real example is measured on the embedding at selection.
 */
export function novelty(before: readonly string[], after: readonly string[]): number {
  const grams = (ts: readonly string[]) => {
    const w = ts.filter(isWord).map((t) => t.toLowerCase());
    const s = new Set(w);
    for (let i = 0; i + 1 < w.length; i++) s.add(`${w[i]} ${w[i + 1]}`);
    return s;
  };
  const a = grams(before);
  const b = grams(after);
  let inter = 0;
  for (const g of a) if (b.has(g)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 0 : 1 - inter / union;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** One candidate (or null when no operator applied). */
export function makeCandidate(
  cell: CellContext,
  index: number,
  recipe: AugmentRecipe,
  seed: number,
): Candidate | null {
  const names = ['augment', cell.label, 'candidate', index] as const;
  const st = streamFor(seed, ...names);
  const source = cell.examples[index % cell.examples.length];
  let tokens: readonly string[] = source.tokens;
  let text = source.text;
  const operators: OperatorStep[] = [];
  const sources = [source.id];
  const steps: [string, OpParams][] = [];
  const structural = choose(recipe.structural, st);
  if (structural !== 'none') steps.push([structural, {}]);
  if (st.nextFloat() < recipe.frame) steps.push(['frame', {}]);
  if (recipe.neighbour > 0 && st.derive('neighbour-draw').nextFloat() < recipe.neighbour)
    steps.push(['neighbour', { rate: recipe.rates.neighbour }]);
  const lexical = choose(recipe.lexical, st);
  if (lexical !== 'none')
    steps.push([lexical, { rate: lexical === 'synonym' ? recipe.rates.synonym : recipe.rates.eda }]);
  if (st.nextFloat() < recipe.register)
    steps.push(['register', { typo_rate: recipe.rates.typo, styles: recipe.register_styles.join(',') }]);
  const unattested: string[] = [];
  const pairs = cell.corpus?.pairs;
  for (const [name, params] of steps) {
    const op = AUGMENT_OPERATORS.get(name)!;
    const r = op(tokens, source, cell, st.derive(name), params);
    if (!r) continue;
    const next = detokenize(r.tokens);
    if (next === text) continue;
    if (pairs && !pairsAttested(pairs, text, next)) {
      unattested.push(name);
      continue;
    }
    operators.push({ op: name, params: { ...r.params, novelty: round3(novelty(tokens, r.tokens)) } });
    for (const b of r.borrowed ?? []) if (!sources.includes(b)) sources.push(b);
    tokens = r.tokens;
    text = next;
  }
  if (!operators.length) return null;
  return {
    index,
    text,
    label: cell.label,
    sources,
    operators,
    seed_stream: `${seed}/${names.join('/')}`,
    unattested,
  };
}
