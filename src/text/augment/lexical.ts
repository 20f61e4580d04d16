/**
 * Word-level operators: lexical substitution from the lexical database (WordNet by default) and
 * the EDA operations of Wei & Zou 2019 — random swap, random insertion (of a synonym of a word in
 * the text), random deletion — each at a controlled rate `rate` (share of word tokens touched;
 * at least one). Substitution and insertion keep the part of speech and inflection of the word
 * they start from.
 */
import type { Stream } from '../../random/stream.js';
import { type Tagged, tagTokens } from './pos.js';
import { isWord, matchCase } from './tokens.js';
import { type AugmentOperator, attested, type CellContext, type CellExample } from './types.js';
import { inflect } from './wordnet.js';

function tagsFor(
  tokens: readonly string[],
  source: CellExample,
  cell: CellContext,
): readonly (Tagged | null)[] {
  return tokens === source.tokens ? source.tags : tagTokens(cell.lexicon, tokens);
}

/** Inflected synonyms of a tagged token (empty when none survives the filters). */
function substitutes(word: string, tag: Tagged, cell: CellContext): string[] {
  const out: string[] = [];
  for (const syn of cell.lexicon.synonyms(tag.lemma.lemma, tag.pos)) {
    const form = inflect(syn, tag.lemma.suffix, tag.pos);
    if (form && form !== word.toLowerCase() && attested(cell, form)) out.push(matchCase(word, form));
  }
  return out;
}

/** How many of `n` items a rate touches: round(rate·n), at least 1 when n > 0. */
export function touched(rate: number, n: number): number {
  return n === 0 ? 0 : Math.max(1, Math.min(n, Math.round(rate * n)));
}

function sampleWithout(n: number, k: number, st: Stream): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + st.nextInt(n - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k).sort((a, b) => a - b);
}

export const synonym: AugmentOperator = (tokens, source, cell, st, p) => {
  const tags = tagsFor(tokens, source, cell);
  const options: { i: number; subs: string[] }[] = [];
  tags.forEach((t, i) => {
    if (!t) return;
    const subs = substitutes(tokens[i], t, cell);
    if (subs.length) options.push({ i, subs });
  });
  if (!options.length) return null;
  const k = touched(Number(p.rate ?? 0.15), options.length);
  const out = [...tokens];
  const swaps: string[] = [];
  for (const o of sampleWithout(options.length, k, st)) {
    const { i, subs } = options[o];
    const s = subs[st.nextInt(subs.length)];
    swaps.push(`${tokens[i]}>${s}`);
    out[i] = s;
  }
  return { tokens: out, params: { swaps: swaps.join(';') } };
};

export const edaSwap: AugmentOperator = (tokens, _source, _cell, st, p) => {
  const w = tokens.flatMap((t, i) => (isWord(t) ? [i] : []));
  if (w.length < 3) return null;
  const k = touched(Number(p.rate ?? 0.1), w.length);
  const out = [...tokens];
  for (let r = 0; r < k; r++) {
    const a = w[st.nextInt(w.length)];
    let b = w[st.nextInt(w.length)];
    if (a === b) b = w[(w.indexOf(a) + 1) % w.length];
    [out[a], out[b]] = [out[b], out[a]];
  }
  return { tokens: out, params: { swaps: k } };
};

export const edaInsert: AugmentOperator = (tokens, source, cell, st, p) => {
  const tags = tagsFor(tokens, source, cell);
  const pool: string[] = [];
  tags.forEach((t, i) => {
    if (t) for (const s of substitutes(tokens[i], t, cell)) pool.push(s);
  });
  if (!pool.length) return null;
  const nWords = tokens.filter(isWord).length;
  const k = touched(Number(p.rate ?? 0.1), nWords);
  const out = [...tokens];
  const ins: string[] = [];
  for (let r = 0; r < k; r++) {
    const word = pool[st.nextInt(pool.length)].toLowerCase();
    out.splice(st.nextInt(out.length + 1), 0, word);
    ins.push(word);
  }
  return { tokens: out, params: { inserted: ins.join(';') } };
};

export const edaDelete: AugmentOperator = (tokens, _source, cell, st, p) => {
  const rate = Number(p.rate ?? 0.1);
  const nWords = tokens.filter(isWord).length;
  if (nWords < 4) return null;
  const out: string[] = [];
  let dropped = 0;
  const keep = (t: string) => !isWord(t) || cell.salient.has(t.toLowerCase());
  for (const t of tokens) {
    if (!keep(t) && st.nextFloat() < rate && nWords - dropped > 3) dropped++;
    else out.push(t);
  }
  if (dropped === 0) {
    // the rate is a floor of one: drop one (non-salient) word at random
    const w = out.flatMap((t, i) => (keep(t) ? [] : [i]));
    if (!w.length) return null;
    out.splice(w[st.nextInt(w.length)], 1);
    dropped = 1;
  }
  return { tokens: out, params: { deleted: dropped } };
};
