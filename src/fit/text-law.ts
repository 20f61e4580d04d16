/**
 * Learn a text law (the spec's `text:`, drawn by src/model/text-law.ts) from a free-text or
 * high-cardinality string column: names, models, notes, utterances.
 *
 * Choices, and why:
 *  - Units: words when values have ≥ 3 words on average (the evaluator's own line between text
 *    and names, src/evaluate/columns.ts), else characters. A word chain over one- or two-word
 *    names can only recombine whole real words, so most of its draws are real values; a character
 *    chain makes new names that read like the real ones.
 *  - Order: 1 word of context, 3 characters. A second word of context multiplies the contexts
 *    (most seen once at these sizes) and mostly replays real phrases, which the guard then rejects.
 *  - Size caps keep the file reviewable: at most MAX_TRANSITIONS (context, unit) entries (the most
 *    frequent; the rest were mostly seen once), MAX_COMMON common values of ≤ MAX_COMMON_CHARS
 *    characters, MAX_STATES parent states with ≤ MAX_PER_STATE openings, boosts and common values.
 *  - What the file may hold, as for categories: every word of a word chain is seen in ≥ k real
 *    texts (rarer words are left out of the texts before counting: a surname in a note is not
 *    written); every step (context → unit) and every state opening in ≥ MIN_STEP_ROWS texts, so
 *    no step belongs to one real row.
 *  - Common values: values seen in ≥ k rows (the fit's rare-value threshold) are written whole with
 *    their counts, as a category's values are; the chain draws the rest.
 *  - One category parent, when it wins on held-out likelihood (80/20 split, seeded): its states
 *    change the opening, boost the units typical of the state (lift over the column, smoothed) and
 *    carry their own common values (intent → utterance, make → car name).
 *  - Guard: a Bloom filter of the rare real values and their GUARD_NGRAM-unit runs; a draw that hits
 *    it is redrawn up to GUARD_TRIES times (then see src/model/text-law.ts).
 */
import { cleanValue } from '../data/infer.js';
import { TEXT_MEAN_WORDS } from '../evaluate/columns.js';
import {
  Bloom,
  compileTextLaw,
  contextKey,
  DEFAULT_PRIOR,
  FLOOR,
  gramKeys,
  joinUnits,
  unitsOf,
  valueKey,
} from '../model/text-law.js';
import type { Stream } from '../random/stream.js';
import type { TextByState, TextLaw, TextState } from '../spec/schema.js';

export const MAX_TRANSITIONS = 8000;
export const MAX_COMMON = 50;
export const MAX_COMMON_CHARS = 40;
export const MAX_STATES = 100;
export const MAX_PER_STATE = 40;
export const GUARD_TRIES = 10;
/** Real texts a step of the chain (or a state's opening) must be seen in. */
export const MIN_STEP_ROWS = 2;
export const GUARD_NGRAM = { word: 6, char: 16 } as const;
const ORDER = { word: 1, char: 3 } as const;
/** Largest Bloom filter (bits): 16 KB, about 230 base64 lines. */
const MAX_BLOOM_BITS = 1 << 17;
/** Pseudo-occurrences of the column's unit shares behind a state's unit counts (boost smoothing). */
const BOOST_PSEUDO = 5;
const MIN_BOOST = 1.25;
const HELD_OUT = 0.2;

export interface TextParentCandidate {
  name: string;
  values: readonly (string | null)[];
}

export interface FittedTextLaw {
  law: TextLaw;
  /** The parent chosen on held-out likelihood, if any. */
  parent?: string;
  summary: string;
}

interface Texts {
  /** Row index of each present value. */
  rows: number[];
  values: string[];
}

function presentTexts(values: readonly (string | null)[], rows?: readonly number[]): Texts {
  const out: Texts = { rows: [], values: [] };
  for (const i of rows ?? values.keys()) {
    const v = cleanValue(values[i]);
    if (v !== null) {
      out.rows.push(i);
      out.values.push(v);
    }
  }
  return out;
}

function countOf(values: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** Entries by count (descending), ties by text, so the file is the same on every run. */
function byCount(m: ReadonlyMap<string, number>): [string, number][] {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

type Units = (text: string) => string[];

/**
 * The words seen in at least `minRows` texts (a rarer word is left out of every text, as a rare
 * category is pooled): the file holds no word that only a few rows use, such as a surname.
 */
function wordUnits(texts: readonly string[], minRows: number): Units {
  const rows = new Map<string, number>();
  for (const t of texts) for (const u of new Set(unitsOf('word', t))) rows.set(u, (rows.get(u) ?? 0) + 1);
  return (t) => unitsOf('word', t).filter((u) => (rows.get(u) ?? 0) >= minRows);
}

function chainStates(
  texts: readonly string[],
  units: Units,
  unit: TextLaw['unit'],
  order: number,
): TextState[] {
  const counts = new Map<string, Map<string, number>>();
  const rows = new Map<string, number>();
  for (const t of texts) {
    const us = units(t);
    const seen = new Set<string>();
    for (let i = 0; i <= us.length; i++) {
      const ctx = contextKey(unit, us, i, order);
      const row = counts.get(ctx) ?? new Map<string, number>();
      counts.set(ctx, row);
      const next = i < us.length ? us[i] : '';
      row.set(next, (row.get(next) ?? 0) + 1);
      seen.add(`${ctx}\u0000${next}`);
    }
    for (const k of seen) rows.set(k, (rows.get(k) ?? 0) + 1);
  }
  // Only steps seen in ≥ MIN_STEP_ROWS texts (no step of the chain belongs to one real row), then
  // the MAX_TRANSITIONS most frequent.
  const all: [string, string, number][] = [];
  for (const [ctx, row] of counts)
    for (const [next, n] of row)
      if ((rows.get(`${ctx}\u0000${next}`) ?? 0) >= MIN_STEP_ROWS) all.push([ctx, next, n]);
  all.sort((a, b) => b[2] - a[2] || cmp(a[0], b[0]) || cmp(a[1], b[1]));
  const kept = new Map<string, [string, number][]>();
  for (const [ctx, next, n] of all.slice(0, MAX_TRANSITIONS)) {
    const row = kept.get(ctx) ?? [];
    kept.set(ctx, row);
    row.push([next, n]);
  }
  return [...kept.keys()].sort(cmp).map((after) => {
    const row = kept.get(after)!;
    return { after, next: row.map((e) => e[0]), n: row.map((e) => e[1]) };
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function commonOf(counts: ReadonlyMap<string, number>, minCount: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [v, n] of byCount(counts)) {
    if (out.size >= MAX_COMMON || n < minCount) break;
    if (v.length <= MAX_COMMON_CHARS) out.set(v, n);
  }
  return out;
}

function pairs(m: ReadonlyMap<string, number>, limit: number): { keys: string[]; n: number[] } {
  const top = byCount(m).slice(0, limit);
  return { keys: top.map((e) => e[0]), n: top.map((e) => e[1]) };
}

/** The `by:` states of one parent over the given rows. */
function parentStates(
  texts: Texts,
  units: Units,
  parent: readonly (string | null)[],
  common: ReadonlyMap<string, number>,
  unit: TextLaw['unit'],
  order: number,
): TextByState[] {
  const groups = new Map<string, string[]>();
  for (let k = 0; k < texts.rows.length; k++) {
    const p = cleanValue(parent[texts.rows[k]]);
    if (p === null) continue;
    const g = groups.get(p) ?? [];
    groups.set(p, g);
    g.push(texts.values[k]);
  }
  // unit shares of the whole column (chain texts only), for the boosts
  const unitCount = new Map<string, number>();
  let unitTotal = 0;
  if (unit === 'word')
    for (const v of texts.values)
      if (!common.has(v))
        for (const u of units(v)) {
          unitCount.set(u, (unitCount.get(u) ?? 0) + 1);
          unitTotal++;
        }
  const sizes = new Map([...groups].map(([k, g]) => [k, g.length]));
  return byCount(sizes)
    .slice(0, MAX_STATES)
    .map(([when, rows]) => {
      const g = groups.get(when)!;
      const state: TextByState = { when, rows };
      const commonHere = countOf(g.filter((v) => common.has(v)));
      if (commonHere.size > 0) {
        const c = pairs(commonHere, MAX_PER_STATE);
        state.common = { values: c.keys, n: c.n };
      }
      const rest = g.filter((v) => !common.has(v));
      if (rest.length > 0) {
        const openings = countOf(rest.map((v) => joinUnits(unit, units(v).slice(0, order))));
        for (const [k, n] of openings) if (n < MIN_STEP_ROWS || k === '') openings.delete(k);
        if (openings.size > 0) {
          const s = pairs(openings, MAX_PER_STATE);
          state.start = { next: s.keys, n: s.n };
        }
      }
      if (unit === 'word' && unitTotal > 0) {
        const here = countOf(rest.flatMap((v) => units(v)));
        let hereTotal = 0;
        for (const n of here.values()) hereTotal += n;
        // lifts above MIN_BOOST (typical of the state) and below 1 / MIN_BOOST (rare in it), ranked
        // by the evidence behind them: the larger of seen and expected count times |log lift|
        const lifts: [string, number, number][] = [];
        for (const [u, total] of unitCount) {
          const n = here.get(u) ?? 0;
          const share = total / unitTotal;
          const expected = share * hereTotal;
          if (Math.max(n, expected) < 2) continue;
          const lift = (n + BOOST_PSEUDO * share) / (hereTotal + BOOST_PSEUDO) / share;
          if (lift >= MIN_BOOST || lift <= 1 / MIN_BOOST)
            lifts.push([u, Math.round(lift * 100) / 100, Math.max(n, expected) * Math.abs(Math.log(lift))]);
        }
        lifts.sort((a, b) => b[2] - a[2] || cmp(a[0], b[0]));
        const top = lifts.slice(0, MAX_PER_STATE);
        if (top.length > 0) state.boost = { units: top.map((e) => e[0]), x: top.map((e) => e[1]) };
      }
      return state;
    });
}

function guardOf(counts: ReadonlyMap<string, number>, minCount: number, unit: TextLaw['unit']) {
  const ngram = GUARD_NGRAM[unit];
  const keys = new Set<string>();
  for (const [v, n] of counts) {
    if (n >= minCount) continue;
    keys.add(valueKey(v));
    for (const k of gramKeys(unit, unitsOf(unit, v), ngram)) keys.add(k);
  }
  if (keys.size === 0) return undefined;
  let bits = 64;
  while (bits < keys.size * 10 && bits < MAX_BLOOM_BITS) bits *= 2;
  const hashes = Math.max(1, Math.min(8, Math.round((bits / keys.size) * Math.LN2)));
  const bloom = Bloom.empty(bits, hashes);
  for (const k of keys) bloom.add(k);
  return { tries: GUARD_TRIES, ngram, hashes, bits, bloom: bloom.toLines() };
}

/**
 * The lengths, in words, of the texts the chain stands for, each seen in ≥ MIN_STEP_ROWS of them
 * (a length only one text has is left out, as its steps are), written when the chain drawn to a
 * length scores the texts better than the chain ending where it draws "": a bag of words ends
 * anywhere (its draws were mostly 1–3 words against real 3–8), while a grammar's texts end at
 * their last phrase, which the chain knows. Log-likelihood over the chain's own texts, with the
 * length's probability added and each step's end left out. Word chains only: a character chain
 * ends where names end, and a length forced on it cuts words.
 */
function lengthLaw(
  texts: readonly string[],
  states: readonly TextState[],
  units: Units,
  order: number,
): TextLaw['lengths'] {
  const counts = new Map<number, number>();
  for (const t of texts) {
    const k = unitsOf('word', t).length;
    if (k > 0) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const kept = [...counts].filter(([, n]) => n >= MIN_STEP_ROWS).sort((a, b) => a[0] - b[0]);
  if (kept.length === 0) return undefined;
  const keptTotal = kept.reduce((s, [, n]) => s + n, 0);
  const lengthP = new Map(kept.map(([k, n]) => [k, n / keptTotal]));
  const chain = new Map(states.map((st) => [st.after, st]));
  let free = 0;
  let fixed = 0;
  for (const t of texts) {
    const u = units(t);
    fixed += Math.log(lengthP.get(unitsOf('word', t).length) ?? Math.exp(FLOOR));
    for (let k = 0; k <= u.length; k++) {
      const st = chain.get(contextKey('word', u, k, order));
      const total = st ? st.n.reduce((a, b) => a + b, 0) : 0;
      const w = (x: string) => (st ? (st.n[st.next.indexOf(x)] ?? 0) : 0);
      const next = k < u.length ? u[k] : '';
      const pFree = total > 0 ? w(next) / total : 0;
      free += pFree > 0 ? Math.log(pFree) : FLOOR;
      if (k === u.length) continue;
      const pFixed = total - w('') > 0 ? w(next) / (total - w('')) : 0;
      fixed += pFixed > 0 ? Math.log(pFixed) : FLOOR;
    }
  }
  return fixed > free ? { units: kept.map(([k]) => k), n: kept.map(([, n]) => n) } : undefined;
}

/** The law from `texts` (with `parent`'s states when given). */
function buildLaw(
  texts: Texts,
  minCount: number,
  unit: TextLaw['unit'],
  parent?: TextParentCandidate,
): TextLaw {
  const order = ORDER[unit];
  const counts = countOf(texts.values);
  const common = commonOf(counts, minCount);
  let commonRows = 0;
  for (const n of common.values()) commonRows += n;
  const chainTexts = texts.values.filter((v) => !common.has(v));
  const source = chainTexts.length > 0 ? chainTexts : texts.values;
  const units: Units = unit === 'word' ? wordUnits(source, minCount) : (t) => unitsOf(unit, t);
  let states = chainStates(source, units, unit, order);
  // too few texts share a step: the chain only opens and ends (the common values carry the column)
  if (states.length === 0) states = [{ after: '', next: [''], n: [1] }];
  let maxUnits = 1;
  for (const v of texts.values) maxUnits = Math.max(maxUnits, unitsOf(unit, v).length);
  const law: TextLaw = { unit, order, max_units: maxUnits, rows: texts.values.length - commonRows, states };
  const lengths =
    unit === 'word' && chainTexts.length > 0 ? lengthLaw(chainTexts, states, units, order) : undefined;
  if (lengths) law.lengths = lengths;
  if (common.size > 0) {
    const c = pairs(common, MAX_COMMON);
    law.common = { values: c.keys, n: c.n };
  }
  if (parent)
    law.by = {
      column: parent.name,
      prior: DEFAULT_PRIOR,
      states: parentStates(texts, units, parent.values, common, unit, order),
    };
  const guard = guardOf(counts, minCount, unit);
  if (guard) law.guard = guard;
  return law;
}

/** Learn the text law of one column; `candidates` are category columns it may depend on. */
export function fitTextLaw(
  values: readonly (string | null)[],
  candidates: readonly TextParentCandidate[],
  opts: { minCount: number; stream: Stream },
): FittedTextLaw {
  const all = presentTexts(values);
  let words = 0;
  for (const v of all.values) words += unitsOf('word', v).length;
  const unit: TextLaw['unit'] =
    all.values.length > 0 && words / all.values.length >= TEXT_MEAN_WORDS ? 'word' : 'char';

  // held-out choice of the parent (none, or one category column)
  let parent: TextParentCandidate | undefined;
  let gain = 0;
  if (candidates.length > 0 && all.values.length >= 50) {
    const rng = opts.stream.derive('held-out');
    const train: number[] = [];
    const test: number[] = [];
    for (const i of all.rows) (rng.nextFloat() < HELD_OUT ? test : train).push(i);
    const trainTexts = presentTexts(values, train);
    const testTexts = presentTexts(values, test);
    const score = (p?: TextParentCandidate) => {
      const law = compileTextLaw(buildLaw(trainTexts, opts.minCount, unit, p));
      let ll = 0;
      for (let k = 0; k < testTexts.rows.length; k++) {
        const pv = p ? cleanValue(p.values[testTexts.rows[k]]) : null;
        ll += law.logProb(pv ?? undefined, testTexts.values[k]);
      }
      return ll / Math.max(1, testTexts.rows.length);
    };
    const base = score();
    for (const c of candidates) {
      const s = score(c) - base;
      if (s > gain) {
        gain = s;
        parent = c;
      }
    }
  }
  const law = buildLaw(all, opts.minCount, unit, parent);
  let transitions = 0;
  for (const s of law.states) transitions += s.next.length;
  const summary = [
    `text law: ${unit} chain (order ${law.order}, ${law.states.length} contexts, ${transitions} transitions)`,
    law.common ? `${law.common.values.length} common values (seen in ≥ ${opts.minCount} rows)` : '',
    parent ? `given ${parent.name} (held-out log-likelihood +${gain.toFixed(2)} nats per text)` : '',
    law.guard
      ? `guard: redraws a copy of a rare value or a ${law.guard.ngram}-${unit} run, ≤ ${law.guard.tries} tries`
      : '',
  ]
    .filter((x) => x !== '')
    .join('; ');
  return { law, ...(parent ? { parent: parent.name } : {}), summary };
}
