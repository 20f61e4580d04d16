/**
 * Distributional-neighbour substitution: a content word of the example is replaced by a word that
 * real texts of *other* labels write between the same two words (its two-sided context in the
 * corpus), drawn only from sibling labels — the few labels whose real texts use the cell's
 * content words most alike (`labelAffinity`) — in proportion to occurrence × affinity:
 *
 *   "turn on the lights in the kitchen"  ("in the _ ." — "in the balcony ." is real, label lights_off)
 *   → "turn on the lights in the balcony"
 *
 * Why: a rare intent's real users write words its few examples lack. On the stop-23 cuts (10
 * rarest intents kept to 5 rows), WordNet synonyms of the examples' words — even with every sense
 * allowed — were 0–1 % of those new word occurrences, while 19–30 % of the new content-word
 * occurrences were words other labels write in a two-sided context one of the 5 examples has
 * (room names, devices, merchants, card kinds…): slot fillers the corpus already holds.
 *
 * The word pairs at both joins are real by construction (the filler stood between the same two
 * words), so the selection's penalty on unattested pairs does not fight it. Salient words (the
 * intent's anchors), closed-class and generic words are never replaced; fillers must be attested
 * (CellContext.vocabulary), open-class, not generic, and new to the example; the cell verifier
 * still has to assign the result to its label (augment.ts).
 */
import type { Stream } from '../../random/stream.js';
import { contextKey } from './corpus.js';
import { touched } from './lexical.js';
import { CLOSED_CLASS } from './pos.js';
import { isWord, matchCase } from './tokens.js';
import { type AugmentOperator, attested, type CellContext } from './types.js';

/** Lower-case word tokens with their token positions. */
function wordPositions(tokens: readonly string[]): { i: number; w: string }[] {
  const out: { i: number; w: string }[] = [];
  tokens.forEach((t, i) => {
    if (isWord(t)) out.push({ i, w: t.toLowerCase() });
  });
  return out;
}

/** An open-class, non-generic word: one that can carry what the text is about. */
function isContent(w: string, generic: ReadonlySet<string>): boolean {
  return !CLOSED_CLASS.has(w) && !generic.has(w) && w.length > 1 && !/^\d+$/.test(w);
}

/**
 * The cell's sibling labels with their weight: cosine between the counts of content words in the
 * cell's examples and in the other label's real texts, the `top` highest (ties by name); labels
 * that share no content word are never siblings.
 */
export function labelAffinity(
  label: string,
  examples: readonly { tokens: readonly string[] }[],
  labelWords: ReadonlyMap<string, ReadonlyMap<string, number>>,
  generic: ReadonlySet<string>,
  top = SIBLINGS,
): Map<string, number> {
  const own = new Map<string, number>();
  for (const e of examples)
    for (const t of e.tokens) {
      const w = t.toLowerCase();
      if (isWord(t) && isContent(w, generic)) own.set(w, (own.get(w) ?? 0) + 1);
    }
  let ownNorm = 0;
  for (const c of own.values()) ownNorm += c * c;
  ownNorm = Math.sqrt(ownNorm);
  const all: [string, number][] = [];
  if (ownNorm === 0) return new Map();
  for (const [other, counts] of labelWords) {
    if (other === label) continue;
    let dot = 0;
    let norm = 0;
    for (const [w, c] of counts) {
      if (!isContent(w, generic)) continue;
      norm += c * c;
      const o = own.get(w);
      if (o) dot += o * c;
    }
    if (dot > 0) all.push([other, dot / (ownNorm * Math.sqrt(norm))]);
  }
  return new Map(all.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top));
}

/**
 * Fillers come from the cell's this-many closest labels only. Measured on the stop-23 cuts (10
 * rarest intents at 5 rows; share of offered filler words that the cut-away real rows of the intent
 * use): any label 8 / 6 / 10 % (Banking77 / HWU64 / CLINC150), the 5 closest labels 13 / 17 / 42 %.
 */
export const SIBLINGS = 5;

function draw(options: readonly { w: number }[], st: Stream): number {
  let total = 0;
  for (const o of options) total += o.w;
  let u = st.nextFloat() * total;
  for (let k = 0; k < options.length; k++) {
    u -= options[k].w;
    if (u < 0) return k;
  }
  return options.length - 1;
}

/** Fillers of the slot at word index k from sibling labels, weighted by occurrence × affinity. */
function slotOptions(
  ws: readonly { i: number; w: string }[],
  k: number,
  cell: CellContext,
): { word: string; label: string; w: number }[] {
  const corpus = cell.corpus!;
  const list = corpus.contexts.get(
    contextKey(k > 0 ? ws[k - 1].w : '', k + 1 < ws.length ? ws[k + 1].w : ''),
  );
  if (!list) return [];
  const present = new Set(ws.map((x) => x.w));
  const byWord = new Map<string, { word: string; label: string; w: number; a: number }>();
  for (const f of list) {
    if (f.label === cell.label || present.has(f.word) || !isContent(f.word, corpus.generic)) continue;
    if (!attested(cell, f.word)) continue;
    const a = cell.affinity?.get(f.label) ?? 0;
    if (a <= 0) continue;
    const hit = byWord.get(f.word);
    if (!hit) byWord.set(f.word, { word: f.word, label: f.label, w: a, a });
    else {
      hit.w += a;
      // provenance names the closest label the filler came from
      if (a > hit.a) {
        hit.label = f.label;
        hit.a = a;
      }
    }
  }
  return [...byWord.values()];
}

export const neighbour: AugmentOperator = (tokens, _source, cell, st, p) => {
  if (!cell.corpus) return null;
  const generic = cell.corpus.generic;
  const ws = wordPositions(tokens);
  const slots: { k: number; options: { word: string; label: string; w: number }[] }[] = [];
  for (let k = 0; k < ws.length; k++) {
    const w = ws[k].w;
    if (!isContent(w, generic) || cell.salient.has(w)) continue;
    const options = slotOptions(ws, k, cell);
    if (options.length) slots.push({ k, options });
  }
  if (!slots.length) return null;
  const n = touched(Number(p.rate ?? 0.2), slots.length);
  const out = [...tokens];
  const swaps: string[] = [];
  // n distinct slots, seeded; substitutions never sit next to each other (each keeps its real context)
  const order = slots.map((_, j) => j);
  for (let j = 0; j < order.length; j++) {
    const r = j + st.nextInt(order.length - j);
    [order[j], order[r]] = [order[r], order[j]];
  }
  const used = new Set<number>();
  for (const j of order) {
    if (swaps.length >= n) break;
    const { k, options } = slots[j];
    if (used.has(k - 1) || used.has(k + 1)) continue;
    const o = options[draw(options, st)];
    const i = ws[k].i;
    out[i] = matchCase(tokens[i], o.word);
    used.add(k);
    swaps.push(`${tokens[i]}>${out[i]}@${o.label}`);
  }
  return { tokens: out, params: { swaps: swaps.join(';') } };
};
