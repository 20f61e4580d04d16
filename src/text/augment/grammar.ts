/**
 * Template grammars induced from a cell's real examples, instead of written by hand. Words that
 * occur in at least `minSupport` examples of the cell are its anchors; every example becomes a
 * skeleton of anchors (with start ^ and end $), and each gap between two consecutive anchors is a
 * slot whose fillers are what any example of the cell says between the same two anchors (possibly
 * nothing). Generation takes a skeleton and refills its slots, at least one from another example:
 *
 *   "how do i activate my card" , "how can i activate the new card" , "i need to activate my card"
 *   anchors: how i activate my card → skeleton ^ how {do|can} i activate {my|the new} card $ …
 *
 * `templates()` prints the induced grammar in the template provider's `{slot}` style.
 */
import type { Stream } from '../../random/stream.js';
import { isWord } from './tokens.js';
import type { AugmentOperator, CellExample } from './types.js';

const START = '^';
const END = '$';

interface Filler {
  tokens: readonly string[];
  from: string;
}

interface Skeleton {
  from: string;
  /** Anchor surfaces including the ^ and $ sentinels. */
  anchors: string[];
  /** Lower-case anchor keys. */
  keys: string[];
}

export interface CellGrammar {
  readonly anchors: ReadonlySet<string>;
  readonly skeletons: readonly Skeleton[];
  /** Fillers per gap `left␟right` (lower-case anchors). */
  readonly fillers: ReadonlyMap<string, readonly Filler[]>;
  templates(): string[];
}

const gapKey = (l: string, r: string) => `${l}\u241f${r}`;

export function induceGrammar(examples: readonly CellExample[], minSupport = 2): CellGrammar {
  const df = new Map<string, number>();
  for (const e of examples)
    for (const w of new Set(e.tokens.filter(isWord).map((t) => t.toLowerCase())))
      df.set(w, (df.get(w) ?? 0) + 1);
  const anchors = new Set([...df].filter(([, c]) => c >= minSupport).map(([w]) => w));
  const fillers = new Map<string, Filler[]>();
  const skeletons: Skeleton[] = [];
  for (const e of examples) {
    const sk: Skeleton = { from: e.id, anchors: [START], keys: [START] };
    let gap: string[] = [];
    const close = (right: string, surface: string) => {
      const key = gapKey(sk.keys[sk.keys.length - 1], right);
      let list = fillers.get(key);
      if (!list) {
        list = [];
        fillers.set(key, list);
      }
      if (!list.some((f) => f.tokens.join(' ').toLowerCase() === gap.join(' ').toLowerCase()))
        list.push({ tokens: gap, from: e.id });
      sk.anchors.push(surface);
      sk.keys.push(right);
      gap = [];
    };
    for (const t of e.tokens) {
      const l = t.toLowerCase();
      if (anchors.has(l)) close(l, t);
      else gap.push(t);
    }
    close(END, END);
    skeletons.push(sk);
  }
  return {
    anchors,
    skeletons,
    fillers,
    templates() {
      const slotNames = new Map<string, string>();
      return skeletons.map((sk) => {
        const parts: string[] = [];
        for (let k = 1; k < sk.keys.length; k++) {
          const key = gapKey(sk.keys[k - 1], sk.keys[k]);
          const alts = fillers.get(key) ?? [];
          if (alts.length > 1 || alts.some((f) => f.tokens.length)) {
            if (!slotNames.has(key)) slotNames.set(key, `s${slotNames.size + 1}`);
            parts.push(`{${slotNames.get(key)}}`);
          }
          if (sk.keys[k] !== END) parts.push(sk.anchors[k]);
        }
        return parts.join(' ');
      });
    },
  };
}

/** Generate from the source's skeleton with refilled slots; null when no slot has an alternative. */
export function generateFromGrammar(
  g: CellGrammar,
  sourceId: string,
  st: Stream,
): { tokens: string[]; borrowed: string[]; slots: number } | null {
  const sk = g.skeletons.find((s) => s.from === sourceId);
  if (!sk) return null;
  const gaps: { key: string; own: readonly string[] | null }[] = [];
  for (let k = 1; k < sk.keys.length; k++) gaps.push({ key: gapKey(sk.keys[k - 1], sk.keys[k]), own: null });
  const refillable = gaps.map((gp) => (g.fillers.get(gp.key) ?? []).filter((f) => f.from !== sourceId));
  const open = refillable.flatMap((r, k) => (r.length ? [k] : []));
  if (!open.length) return null;
  // refill one chosen slot for sure, every other refillable slot with probability 1/2
  const forced = open[st.nextInt(open.length)];
  const out: string[] = [];
  const borrowed = new Set<string>();
  let slots = 0;
  for (let k = 0; k < gaps.length; k++) {
    const alts = g.fillers.get(gaps[k].key) ?? [];
    const ownFiller = alts.find((f) => f.from === sourceId);
    let fill = ownFiller?.tokens ?? [];
    if (refillable[k].length && (k === forced || st.nextFloat() < 0.5)) {
      const f = refillable[k][st.nextInt(refillable[k].length)];
      fill = f.tokens;
      borrowed.add(f.from);
      slots++;
    }
    out.push(...fill);
    if (sk.keys[k + 1] !== END) out.push(sk.anchors[k + 1]);
  }
  return { tokens: out, borrowed: [...borrowed], slots };
}

export const grammar: AugmentOperator = (_tokens, source, cell, st) => {
  const g = cellGrammar(cell.examples);
  const r = generateFromGrammar(g, source.id, st);
  if (!r) return null;
  const same = r.tokens.join(' ').toLowerCase() === source.tokens.join(' ').toLowerCase();
  if (same || r.tokens.filter(isWord).length < 2) return null;
  return {
    tokens: r.tokens,
    params: { slots_refilled: r.slots, anchors: g.anchors.size },
    borrowed: r.borrowed,
  };
};

const grammars = new WeakMap<readonly CellExample[], CellGrammar>();
/** The induced grammar of a cell, built once per examples array. */
export function cellGrammar(examples: readonly CellExample[]): CellGrammar {
  let g = grammars.get(examples);
  if (!g) {
    g = induceGrammar(examples);
    grammars.set(examples, g);
  }
  return g;
}
