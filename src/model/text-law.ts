/**
 * The text law: how a `type: string` column with `text:` is drawn (the spec construct in
 * src/spec/schema.ts `TextLaw`; learned by src/fit/text-law.ts).
 *
 * Why a Markov chain and not a neural model: the model file must stay a file an expert reads and
 * edits. A chain over words (or characters, for short names) is a list of contexts and what may
 * follow each, with real counts; deleting a row, a unit or a common value does what it says.
 *
 * A draw, given the parent value (if `by:` names one):
 *  1. with the weight of the state's rows (against `prior` pseudo-rows of the whole column) the
 *     state's own figures are used, else the column's;
 *  2. a common value (seen in ≥ k real rows, like a category) against `rows` for the chain;
 *  3. the chain: the opening (the state's `start`, or the chain's start contexts), then one unit at
 *     a time after the last `order` units, each weight times the state's `boost` of that unit,
 *     until "" (the end) or `max_units`; before `min_units` units the end is not drawn where the
 *     context can go on (a code of fixed length keeps its length), and a draw that still stops
 *     short (a context it cannot go on from) is drawn again like a copy. With `lengths`, the draw
 *     picks its length first (by the real counts) and the chain goes on, never ending, until it:
 *     an order-1 word chain over notes ends wherever a word ended a note, so its draws were mostly
 *     1–3 words against real 3–8. `logProb` ignores min_units and lengths.
 * The guard (privacy): a chain draw equal to a rare real value, or sharing an `ngram`-unit run with
 * one, is redrawn, up to `tries` times; then the first of those draws that is not a whole real
 * value is taken; if all were, up to 10 × `tries` more draws for one that is not; then the value
 * is missing (null). Membership is read from a Bloom filter of the rare values and their n-grams
 * (false positives only cause redraws; the file holds no real text). Common values are not
 * guarded: they are seen in ≥ k rows, as a category's values are.
 * Every draw reads only the row's stream, so output is the same for any number of workers.
 */
import type { Stream } from '../random/stream.js';
import type { TextByState, TextLaw } from '../spec/schema.js';

/** Default longest text in units; default pseudo-rows of the whole column behind a state. */
export const DEFAULT_MAX_UNITS = 100;
export const DEFAULT_PRIOR = 2;
/** Draws past `tries` allowed for a value that is not a whole rare real value. */
export const EXACT_TRIES_FACTOR = 10;

// ---------------------------------------------------------------------------------------------
// Units

export function unitsOf(unit: TextLaw['unit'], text: string): string[] {
  if (unit === 'char') return Array.from(text);
  const t = text.trim();
  return t === '' ? [] : t.split(/\s+/);
}

export function joinUnits(unit: TextLaw['unit'], units: readonly string[]): string {
  return units.join(unit === 'word' ? ' ' : '');
}

/** The context key of the `order` units before position `end`. */
export function contextKey(
  unit: TextLaw['unit'],
  units: readonly string[],
  end: number,
  order: number,
): string {
  return joinUnits(unit, units.slice(Math.max(0, end - order), end));
}

// ---------------------------------------------------------------------------------------------
// Bloom filter (the guard): FNV-1a with two seeds, double hashing.

function fnv(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche (murmur3 fmix32): neighbouring strings spread over the whole filter
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export class Bloom {
  constructor(
    readonly bits: Uint8Array,
    readonly size: number,
    readonly hashes: number,
  ) {}

  static empty(size: number, hashes: number): Bloom {
    return new Bloom(new Uint8Array(Math.ceil(size / 8)), size, hashes);
  }

  static fromLines(lines: readonly string[], size: number, hashes: number): Bloom {
    const bytes = Buffer.from(lines.join(''), 'base64');
    const bits = new Uint8Array(Math.ceil(size / 8));
    bits.set(bytes.subarray(0, bits.length));
    return new Bloom(bits, size, hashes);
  }

  private *positions(key: string): Generator<number> {
    const a = fnv(key, 0);
    const b = fnv(key, 0x9e3779b9) | 1;
    for (let i = 0; i < this.hashes; i++) yield ((a + Math.imul(i, b)) >>> 0) % this.size;
  }

  add(key: string): void {
    for (const p of this.positions(key)) this.bits[p >>> 3] |= 1 << (p & 7);
  }

  has(key: string): boolean {
    for (const p of this.positions(key)) if ((this.bits[p >>> 3] & (1 << (p & 7))) === 0) return false;
    return true;
  }

  /** Base64 in lines of `width` characters (the model file's lines stay short). */
  toLines(width = 76): string[] {
    const b64 = Buffer.from(this.bits).toString('base64');
    const out: string[] = [];
    for (let i = 0; i < b64.length; i += width) out.push(b64.slice(i, i + width));
    return out;
  }
}

/** Bloom keys: a whole value, and a run of `ngram` units. */
export const valueKey = (text: string): string => `=${text}`;
export const gramKey = (gram: string): string => `~${gram}`;

/** Every `n`-unit run of a text, as keys. */
export function gramKeys(unit: TextLaw['unit'], units: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= units.length; i++) out.push(gramKey(joinUnits(unit, units.slice(i, i + n))));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Compiled law

interface Choice {
  units: string[];
  weights: Float64Array;
  total: number;
}

function choice(next: readonly string[], n: readonly number[]): Choice {
  const weights = Float64Array.from(next, (_, i) => n[i] ?? 0);
  let total = 0;
  for (const w of weights) total += w;
  return { units: [...next], weights, total };
}

interface CompiledState {
  rows: number;
  start?: Choice;
  boost?: Map<string, number>;
  common?: Choice;
  commonTotal: number;
}

export interface CompiledTextLaw {
  readonly law: TextLaw;
  /** Draw one text for a parent value (undefined: no parent). */
  sample(parent: string | undefined, rng: Stream): string | null;
  /** Natural log of the probability of `text` given the parent (floored per step at `FLOOR`). */
  logProb(parent: string | undefined, text: string): number;
}

/** Log-probability floor of one step the law cannot make (an unseen unit or context). */
export const FLOOR = Math.log(1e-6);

/** A context's choice with the end ("") left out: drawn while the text is shorter than `min_units`. */
function withoutEnd(c: Choice): Choice | undefined {
  const i = c.units.indexOf('');
  if (i < 0) return c;
  if (c.units.length === 1) return undefined;
  const weights = Float64Array.from(c.weights);
  weights[i] = 0;
  const total = c.total - c.weights[i];
  return total > 0 ? { units: c.units, weights, total } : undefined;
}

function pick(c: Choice, rng: Stream, boost?: ReadonlyMap<string, number>): number {
  if (!boost) {
    let u = rng.nextFloat() * c.total;
    for (let i = 0; i < c.weights.length; i++) {
      u -= c.weights[i];
      if (u < 0) return i;
    }
    return c.weights.length - 1;
  }
  let total = 0;
  for (let i = 0; i < c.weights.length; i++) total += c.weights[i] * (boost.get(c.units[i]) ?? 1);
  let u = rng.nextFloat() * total;
  for (let i = 0; i < c.weights.length; i++) {
    u -= c.weights[i] * (boost.get(c.units[i]) ?? 1);
    if (u < 0) return i;
  }
  return c.weights.length - 1;
}

function probOf(c: Choice, unit: string, boost?: ReadonlyMap<string, number>): number {
  const i = c.units.indexOf(unit);
  if (i < 0) return 0;
  if (!boost) return c.weights[i] / c.total;
  let total = 0;
  for (let k = 0; k < c.weights.length; k++) total += c.weights[k] * (boost.get(c.units[k]) ?? 1);
  return (c.weights[i] * (boost.get(unit) ?? 1)) / total;
}

function compileState(s: TextByState): CompiledState {
  const common = s.common ? choice(s.common.values, s.common.n) : undefined;
  return {
    rows: s.rows,
    start: s.start ? choice(s.start.next, s.start.n) : undefined,
    boost: s.boost ? new Map(s.boost.units.map((u, i) => [u, s.boost!.x[i] ?? 1])) : undefined,
    common,
    commonTotal: common?.total ?? 0,
  };
}

/** The first entry of `list` seen before (undefined: all distinct). */
function repeated<T>(list: readonly T[]): T | undefined {
  const seen = new Set<T>();
  for (const x of list) {
    if (seen.has(x)) return x;
    seen.add(x);
  }
  return undefined;
}

/**
 * Parallel lists of the law that disagree in length, and repeated contexts or units (a hand edit),
 * as `path: message` (empty: sound).
 */
export function textLawProblems(law: TextLaw): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const pair = (path: (string | number)[], a: unknown[], b: unknown[], an: string, bn: string) => {
    if (a.length !== b.length)
      out.push({ path, message: `${an} has ${a.length} entries but ${bn} has ${b.length}` });
  };
  // A repeated context or unit is a hand edit gone wrong: the chain keeps the first context and
  // would split one unit's weight over two entries, so the file would not say what is drawn.
  const firstAfter = new Map<string, number>();
  // Weights that sum to 0 leave nothing to draw (the pick fell on the last entry every time).
  const none = (path: (string | number)[], n: readonly number[], what: string) => {
    if (n.length > 0 && !n.some((x) => x > 0))
      out.push({
        path,
        message: `every weight in ${what} is 0, so nothing can be drawn: give at least one a count above 0`,
      });
  };
  law.states.forEach((s, i) => {
    pair(['states', i], s.next, s.n, 'next', 'n');
    none(['states', i, 'n'], s.n, 'n');
    const before = firstAfter.get(s.after);
    if (before !== undefined)
      out.push({
        path: ['states', i, 'after'],
        message: `after "${s.after}" is also states[${before}]'s context: merge the two states into one`,
      });
    else firstAfter.set(s.after, i);
    const dup = repeated(s.next);
    if (dup !== undefined)
      out.push({
        path: ['states', i, 'next'],
        message: `next lists "${dup}" twice: list each unit once, with its weight`,
      });
  });
  if (law.lengths) {
    none(['lengths', 'n'], law.lengths.n, 'lengths.n');
    const dup = repeated(law.lengths.units);
    if (dup !== undefined)
      out.push({
        path: ['lengths', 'units'],
        message: `units lists ${dup} twice: list each length once, with its count`,
      });
  }
  if (law.common) pair(['common'], law.common.values, law.common.n, 'values', 'n');
  if (law.lengths) pair(['lengths'], law.lengths.units, law.lengths.n, 'units', 'n');
  law.by?.states.forEach((s, i) => {
    if (s.start) pair(['by', 'states', i, 'start'], s.start.next, s.start.n, 'next', 'n');
    if (s.boost) pair(['by', 'states', i, 'boost'], s.boost.units, s.boost.x, 'units', 'x');
    if (s.common) pair(['by', 'states', i, 'common'], s.common.values, s.common.n, 'values', 'n');
  });
  if (law.min_units !== undefined && law.max_units !== undefined && law.min_units > law.max_units)
    out.push({
      path: ['min_units'],
      message: `min_units ${law.min_units} is above max_units ${law.max_units}`,
    });
  if (law.guard && law.guard.bits > Math.ceil((law.guard.bloom.join('').length * 6) / 8) * 8)
    out.push({ path: ['guard', 'bloom'], message: `the bloom lines hold fewer than ${law.guard.bits} bits` });
  return out;
}

export function compileTextLaw(law: TextLaw): CompiledTextLaw {
  const { unit, order } = law;
  const maxUnits = law.max_units ?? DEFAULT_MAX_UNITS;
  const minUnits = law.min_units ?? 0;
  const prior = law.by?.prior ?? DEFAULT_PRIOR;
  const chain = new Map<string, Choice>();
  for (const s of law.states) if (!chain.has(s.after)) chain.set(s.after, choice(s.next, s.n));
  // the same contexts without the end, for draws shorter than min_units (built on first use)
  const going = new Map<string, Choice | undefined>();
  const goOn = (ctx: string, c: Choice) => {
    if (!going.has(ctx)) going.set(ctx, withoutEnd(c));
    return going.get(ctx) ?? c;
  };
  const common = law.common ? choice(law.common.values, law.common.n) : undefined;
  const commonTotal = common?.total ?? 0;
  const byState = new Map<string, CompiledState>();
  for (const s of law.by?.states ?? []) byState.set(String(s.when), compileState(s));
  const guard = law.guard;
  const bloom = guard ? Bloom.fromLines(guard.bloom, guard.bits, guard.hashes) : undefined;

  const lengths = law.lengths
    ? choice(
        law.lengths.units.map((u) => String(u)),
        law.lengths.n,
      )
    : undefined;

  /** Units of one chain draw (opening from `start` when given). */
  const drawChain = (rng: Stream, start: Choice | undefined, boost: Map<string, number> | undefined) => {
    const units: string[] = [];
    // with a length law, the draw's length first: the chain goes on until it, then stops
    const length = lengths ? Math.min(maxUnits, Number(lengths.units[pick(lengths, rng)])) : maxUnits;
    const atLeast = lengths ? Math.max(minUnits, length) : minUnits;
    if (start) {
      const opening = start.units[pick(start, rng)];
      if (opening === '') return units;
      units.push(...unitsOf(unit, opening));
    }
    while (units.length < length) {
      const key = contextKey(unit, units, units.length, order);
      let c = chain.get(key);
      if (!c) break;
      if (units.length < atLeast) c = goOn(key, c);
      const next = c.units[pick(c, rng, boost)];
      if (next === '') break;
      units.push(next);
    }
    return units;
  };

  const copies = (text: string, units: string[]): 'exact' | 'gram' | undefined => {
    if (!bloom || !guard) return undefined;
    if (bloom.has(valueKey(text))) return 'exact';
    for (const k of gramKeys(unit, units, guard.ngram)) if (bloom.has(k)) return 'gram';
    return undefined;
  };

  const guarded = (rng: Stream, start: Choice | undefined, boost: Map<string, number> | undefined) => {
    const tries = guard?.tries ?? 1;
    let fallback: string | undefined;
    for (let t = 0; t < tries; t++) {
      const units = drawChain(rng, start, boost);
      if (units.length === 0 || units.length < minUnits) continue;
      const text = joinUnits(unit, units);
      const copy = copies(text, units);
      if (!copy) return text;
      if (copy === 'gram' && fallback === undefined) fallback = text;
    }
    if (fallback !== undefined) return fallback;
    for (let t = 0; t < tries * EXACT_TRIES_FACTOR; t++) {
      const units = drawChain(rng, start, boost);
      if (units.length === 0 || units.length < minUnits) continue;
      const text = joinUnits(unit, units);
      if (copies(text, units) !== 'exact') return text;
    }
    return null;
  };

  const sample = (parent: string | undefined, rng: Stream): string | null => {
    const st = parent === undefined ? undefined : byState.get(parent);
    // the state's own figures with weight rows / (rows + prior), else the whole column's
    const own = st !== undefined && rng.nextFloat() * (st.rows + prior) < st.rows;
    const cTotal = own ? st.commonTotal : commonTotal;
    const rest = own ? Math.max(0, st.rows - st.commonTotal) : law.rows;
    const c = own ? st.common : common;
    if (c && rng.nextFloat() * (cTotal + rest) < cTotal) return c.units[pick(c, rng)];
    return guarded(rng, own ? st.start : undefined, st?.boost);
  };

  /** Probability of the chain producing `units` (the guard's redraws are not counted). */
  const chainLog = (units: string[], start: Choice | undefined, boost: Map<string, number> | undefined) => {
    let lp = 0;
    let from = 0;
    if (start) {
      const len = Math.min(order, units.length);
      const opening = joinUnits(unit, units.slice(0, len));
      const p = probOf(start, opening);
      if (p === 0) return FLOOR * (units.length + 1);
      lp += Math.log(p);
      from = len;
    }
    for (let i = from; i <= units.length; i++) {
      const c = chain.get(contextKey(unit, units, i, order));
      const p = c ? probOf(c, i < units.length ? units[i] : '', boost) : 0;
      lp += p > 0 ? Math.log(p) : FLOOR;
    }
    return lp;
  };

  /** log(e^a + e^b), exact when either is −∞. */
  const logAdd = (a: number, b: number) => {
    const m = Math.max(a, b);
    return m === Number.NEGATIVE_INFINITY ? m : m + Math.log(Math.exp(a - m) + Math.exp(b - m));
  };
  const logMixture = (text: string, units: string[], st: CompiledState | undefined, own: boolean) => {
    const cTotal = own && st ? st.commonTotal : commonTotal;
    const rest = own && st ? Math.max(0, st.rows - st.commonTotal) : law.rows;
    const c = own && st ? st.common : common;
    const total = cTotal + rest;
    if (total <= 0) return Number.NEGATIVE_INFINITY;
    const pc = c ? probOf(c, text) : 0;
    const fromCommon = pc > 0 ? Math.log((cTotal / total) * pc) : Number.NEGATIVE_INFINITY;
    const fromChain =
      rest > 0
        ? Math.log(rest / total) + chainLog(units, own ? st?.start : undefined, st?.boost)
        : Number.NEGATIVE_INFINITY;
    return logAdd(fromCommon, fromChain);
  };

  const logProb = (parent: string | undefined, text: string): number => {
    const units = unitsOf(unit, text);
    const st = parent === undefined ? undefined : byState.get(parent);
    const lp = st
      ? logAdd(
          Math.log(st.rows / (st.rows + prior)) + logMixture(text, units, st, true),
          Math.log(prior / (st.rows + prior)) + logMixture(text, units, st, false),
        )
      : logMixture(text, units, undefined, false);
    return Number.isFinite(lp) ? lp : FLOOR * (units.length + 1);
  };

  return { law, sample, logProb };
}
