/** Shapes shared by the augmentation operators. */
import type { Stream } from '../../random/stream.js';
import type { CorpusProfile } from './corpus.js';
import type { Tagged } from './pos.js';
import type { LexicalDatabase } from './wordnet.js';

/** One real example of a cell, tokenised and tagged once. */
export interface CellExample {
  id: string;
  text: string;
  tokens: readonly string[];
  /** Part of speech and lemma per token (null: not substitutable). */
  tags: readonly (Tagged | null)[];
}

/** Everything an operator may read about the cell it augments. */
export interface CellContext {
  label: string;
  examples: readonly CellExample[];
  lexicon: LexicalDatabase;
  /**
   * Words attested in the real corpus (lower case). When given, substitutes, inserted words and
   * register markers must consist of attested words: the corpus says which of WordNet's synonyms
   * its users actually write ("alarm" → "consternation" is refused in a home-assistant corpus).
   */
  vocabulary?: ReadonlySet<string>;
  /**
   * The cell's salient words (lower case): the few that most set it apart from the corpus. Word
   * deletion never removes them, and a candidate that has none of them left is refused.
   */
  salient: ReadonlySet<string>;
  /**
   * How the real corpus (every label) writes: attested word pairs (an operator step that makes a
   * pair no real text has is refused), generic words and frames (the `frame` operator).
   */
  corpus?: CorpusProfile;
  /**
   * Sibling labels: the few other labels whose real texts' content-word counts are closest (cosine)
   * to the cell's examples', with that cosine. The neighbour operator draws its fillers from them.
   */
  affinity?: ReadonlyMap<string, number>;
}

/** Every word of a phrase is attested (or no vocabulary was given). */
export function attested(cell: CellContext, phrase: string): boolean {
  const v = cell.vocabulary;
  if (!v) return true;
  for (const w of phrase.toLowerCase().split(/[^\p{L}\p{N}']+/u)) if (w && !v.has(w)) return false;
  return true;
}

export type OpParams = Record<string, string | number | boolean>;

export interface OpOutput {
  tokens: string[];
  /** What the operator did (recorded in provenance). */
  params: OpParams;
  /** Ids of other real examples the output borrowed from (recombination, grammar). */
  borrowed?: string[];
}

/**
 * An augmentation operator: from one source (the tokens so far and the real example they came
 * from) to a new token list, or null when it does not apply (nothing to substitute, no shared
 * n-gram…). Seeded: the same stream gives the same output.
 */
export type AugmentOperator = (
  tokens: readonly string[],
  source: CellExample,
  cell: CellContext,
  st: Stream,
  params: OpParams,
) => OpOutput | null;
