/**
 * Part of speech for lexical substitution: the lexical database says which parts of speech a word
 * can have; a few context rules pick one; closed-class words (pronouns, determiners, prepositions,
 * auxiliaries…) are never substituted. Ours because the only MIT tagger that installs here
 * (en-pos 1.0.16) tagged "my transfer" and "my pin" as verbs on Banking77 samples — the context
 * rule "after a determiner or possessive → noun" gets those right, and a wrong guess only costs a
 * substitution (the sense filter and the cell verifier stand behind it).
 */
import { isWord } from './tokens.js';
import { type Lemma, type LexicalDatabase, lemmasOf, WORD_POS, type WordPos } from './wordnet.js';

export const CLOSED_CLASS: ReadonlySet<string> = new Set(
  (
    'a an the this that these those my your his her its our their me you him us them i we they he she it ' +
    'mine yours ours theirs myself yourself what which who whom whose when where why how whether if then ' +
    'and or but nor so because as than though although while of to in on at by for with from into onto ' +
    'about over under after before between through during without within against among up down out off ' +
    'is am are was were be been being do does did done have has had having can could will would shall ' +
    'should may might must not no yes please ok okay there here some any all each every both either ' +
    "neither much many more most few less least other another such own same just also too very don't " +
    "can't won't isn't aren't wasn't didn't doesn't haven't hasn't i'm i've i'd i'll you're it's let's"
  ).split(' '),
);

const DETERMINERS = new Set(
  'a an the this that these those my your his her its our their some any no every each another'.split(' '),
);
const VERB_CONTEXT = new Set(
  "to can could will would shall should may might must do does did don't can't won't please i you we they let's".split(
    ' ',
  ),
);

export interface Tagged {
  pos: WordPos;
  lemma: Lemma;
}

/** Parts of speech the word can have, each with its lemma (base forms first). */
function candidates(db: LexicalDatabase, word: string): { pos: WordPos; lemma: Lemma; tagged: number }[] {
  const out: { pos: WordPos; lemma: Lemma; tagged: number }[] = [];
  for (const pos of WORD_POS) {
    const ls = lemmasOf(db, word, pos);
    if (ls.length) out.push({ pos, lemma: ls[0], tagged: db.senses(ls[0].lemma, pos)?.tagged ?? 0 });
  }
  return out;
}

/** A part of speech and lemma per token, or null (punctuation, closed class, unknown word). */
export function tagTokens(db: LexicalDatabase, tokens: readonly string[]): (Tagged | null)[] {
  const out: (Tagged | null)[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i].toLowerCase();
    if (!isWord(t) || CLOSED_CLASS.has(t) || /\d/.test(t) || t.length < 3) {
      out.push(null);
      continue;
    }
    const cs = candidates(db, t);
    if (cs.length === 0) {
      out.push(null);
      continue;
    }
    const prev = i > 0 ? tokens[i - 1].toLowerCase() : '';
    let want: WordPos | null = null;
    if (DETERMINERS.has(prev)) want = cs.some((c) => c.pos === 'n') ? 'n' : 'a';
    else if (VERB_CONTEXT.has(prev)) want = 'v';
    else if (t.endsWith('ly')) want = 'r';
    const chosen =
      cs.find((c) => c.pos === want) ??
      [...cs].sort((a, b) => b.tagged - a.tagged || WORD_POS.indexOf(a.pos) - WORD_POS.indexOf(b.pos))[0];
    out.push({ pos: chosen.pos, lemma: chosen.lemma });
  }
  return out;
}
