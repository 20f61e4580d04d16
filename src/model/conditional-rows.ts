/**
 * Which row of a conditional table applies to a parent state. A row's `when` gives one label per
 * parent; the label `"*"` matches any state of that parent (missing included; `"\\*"` is the state
 * `*` itself, see whenLabel). A row without
 * wildcards applies to exactly its state and always wins; otherwise the first wildcard row, in
 * file order, that matches does; otherwise none (the table's default applies).
 *
 * An entry may also be a list of labels (`[a, b]`, or bin indices `["0", "1", "2"]`): it matches
 * any of them, and the row is read like a wildcard row (first match in file order). A fitted
 * context-specific table (fit/tree.ts) is such a decision list: each leaf of a tree over parent
 * conditions is one row, in the order that makes first-match read the tree.
 *
 * Wildcards let a fitted model say "every state of BILL_AMT6 under PAY_0 = 2 and PAY_AMT4 in
 * bin 3 alike" in one row instead of one copy per state (the Taiwan model was 18 MB of such
 * copies). Shared by the sampler and by coverage's exact probabilities, so both read a table
 * the same way.
 */

import { ANY_STATE, MISSING_STATE, MISSING_WHEN, type WhenEntry, whenLabels } from '../spec/when.js';

// The labels themselves are read by the spec checks too (an unknown state is refused there).
export {
  ANY_STATE,
  MISSING_STATE,
  MISSING_WHEN,
  type WhenEntry,
  whenLabel,
  whenLabels,
} from '../spec/when.js';

/** How to write a parent state as a `when` entry (the inverse of `whenLabel`). */
export function labelToWhen(label: string): string {
  if (label === MISSING_STATE) return MISSING_WHEN;
  return label === ANY_STATE || label === MISSING_WHEN || label.startsWith('\\') ? `\\${label}` : label;
}

/** Parent-state labels joined into one map key. */
export const stateKey = (labels: readonly string[]): string =>
  labels.length === 1 ? labels[0] : labels.join('\u0001');

/** Wildcard lookups remembered per state, up to this many states (then computed each time). */
const MEMO_LIMIT = 200_000;

export function conditionalResolver<R extends { when: readonly WhenEntry[] }>(
  rows: readonly R[],
): (labels: readonly string[]) => R | undefined {
  const exact = new Map<string, R>();
  // null: any state; a set: any of its labels (a one-label entry of a wildcard row is a set of one)
  const wild: { row: R; labels: (ReadonlySet<string> | null)[] }[] = [];
  for (const row of rows) {
    const labels = row.when.map(whenLabels);
    if (labels.every((l) => l !== null && l.length === 1) && !row.when.some(Array.isArray))
      exact.set(stateKey(labels.map((l) => (l as string[])[0])), row);
    else wild.push({ row, labels: labels.map((l) => (l === null ? null : new Set(l))) });
  }
  if (wild.length === 0) return (labels) => exact.get(stateKey(labels));
  const memo = new Map<string, R | undefined>();
  return (labels) => {
    const key = stateKey(labels);
    const hit = exact.get(key);
    if (hit) return hit;
    if (memo.has(key)) return memo.get(key);
    let found: R | undefined;
    for (const w of wild) {
      let ok = true;
      for (let i = 0; i < labels.length; i++) {
        const l = w.labels[i];
        if (l !== null && !l.has(labels[i])) {
          ok = false;
          break;
        }
      }
      if (ok) {
        found = w.row;
        break;
      }
    }
    if (memo.size < MEMO_LIMIT) memo.set(key, found);
    return found;
  };
}

/**
 * `conditionalResolver` for parents with a known list of states (coverage's discrete skeleton):
 * `labels[i][s]` is parent i's state s as a label, and the resolver takes a configuration as state
 * indices. Same answers as `conditionalResolver` (exact rows win, the last of equal ones as in its
 * map; then the first matching wildcard row in file order), without building a key string per
 * configuration: each (parent, state) holds the set of rows it matches as bits in priority order,
 * and a configuration's row is the first bit of their AND. (A fitted Adult age table has 12,096
 * parent configurations; the string keys and their garbage were most of the skeleton's cost.)
 */
export function stateResolver<R extends { when: readonly WhenEntry[] }>(
  rows: readonly R[],
  labels: readonly (readonly string[])[],
): (states: ArrayLike<number>) => R | undefined {
  const n = labels.length;
  const exact: R[] = [];
  const wild: R[] = [];
  for (const row of rows) {
    const ls = row.when.map(whenLabels);
    if (ls.every((l) => l !== null && l.length === 1) && !row.when.some(Array.isArray)) exact.push(row);
    else wild.push(row);
  }
  const order = [...exact.reverse(), ...wild];
  const words = Math.max(1, Math.ceil(order.length / 32));
  const bits = labels.map((states) => states.map(() => new Uint32Array(words)));
  order.forEach((row, r) => {
    if (row.when.length !== n) return; // matches no configuration
    for (let i = 0; i < n; i++) {
      const l = whenLabels(row.when[i]);
      labels[i].forEach((label, s) => {
        if (l === null || l.includes(label)) bits[i][s][r >> 5] |= 1 << (r & 31);
      });
    }
  });
  return (states) => {
    for (let w = 0; w < words; w++) {
      let acc = 0xffffffff;
      for (let i = 0; i < n && acc !== 0; i++) acc &= bits[i][states[i]][w];
      if (acc !== 0) return order[w * 32 + 31 - Math.clz32(acc & -acc)];
    }
    return undefined;
  };
}

/** The state of a numeric parent with cut points `breaks`: how many of them are ≤ x. */
export function binIndex(breaks: Float64Array, x: number): number {
  let lo = 0;
  let hi = breaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (breaks[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Dense per-state memo up to this many parent states; a Map beyond it. */
const DENSE_LIMIT = 1 << 20;

/**
 * The sampler's lookup: the row for the parents' values in `r` (at `parentIdx`), computed on
 * integer state codes instead of joined label strings (the string keys were a third of the time
 * of a Taiwan-sized model, with their garbage). Same answers as `conditionalResolver` on the
 * labels MISSING_STATE (missing), the bin index for a parent with `breaks`, and `String(value)` otherwise.
 * Undefined when the parents have too many label combinations to number exactly.
 */
export function indexedResolver<R extends { when: readonly WhenEntry[] }>(
  rows: readonly R[],
  breaks: readonly (Float64Array | undefined)[],
  toNumber: (v: string | number | boolean) => number,
): ((r: readonly unknown[], parentIdx: readonly number[]) => R | undefined) | undefined {
  const n = breaks.length;
  const codes = breaks.map(() => new Map<string, number>());
  for (const row of rows) {
    row.when.forEach((w, i) => {
      for (const l of whenLabels(w) ?? []) if (i < n && !codes[i].has(l)) codes[i].set(l, codes[i].size);
    });
  }
  // code `size` = a label no row names (it can still match a wildcard)
  const radix = codes.map((m) => m.size + 1);
  const total = radix.reduce((a, b) => a * b, 1);
  if (total > 2 ** 48) return undefined;
  const resolve = conditionalResolver(rows);
  const UNNAMED = '\u0000';
  const labelOf = codes.map((m) => {
    const a = new Array<string>(m.size + 1).fill(UNNAMED);
    for (const [l, c] of m) a[c] = l;
    return a;
  });
  const binCode = breaks.map((b, i) =>
    b
      ? Int32Array.from({ length: b.length + 1 }, (_, k) => codes[i].get(String(k)) ?? codes[i].size)
      : undefined,
  );
  const naCode = codes.map((m) => m.get(MISSING_STATE) ?? m.size);
  const valueCode = breaks.map(() => new Map<unknown, number>());
  const rowIndex = new Map<R, number>();
  rows.forEach((row, i) => {
    if (!rowIndex.has(row)) rowIndex.set(row, i);
  });
  const dense = total <= DENSE_LIMIT ? new Int32Array(total).fill(-2) : undefined;
  const sparse = dense ? undefined : new Map<number, number>();
  const labels = new Array<string>(n);
  const slotOf = (j: number): number => {
    let rest = j;
    for (let i = n - 1; i >= 0; i--) {
      labels[i] = labelOf[i][rest % radix[i]];
      rest = Math.floor(rest / radix[i]);
    }
    const row = resolve(labels);
    return row === undefined ? -1 : (rowIndex.get(row) ?? -1);
  };
  return (r, parentIdx) => {
    let j = 0;
    for (let i = 0; i < n; i++) {
      const v = r[parentIdx[i]] as string | number | boolean | null;
      let c: number;
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) c = naCode[i];
      else {
        const b = breaks[i];
        if (b) {
          c = (binCode[i] as Int32Array)[binIndex(b, typeof v === 'number' ? v : toNumber(v))];
        } else {
          const known = valueCode[i].get(v);
          if (known === undefined) {
            c = codes[i].get(String(v)) ?? codes[i].size;
            if (valueCode[i].size < 100_000) valueCode[i].set(v, c);
          } else c = known;
        }
      }
      j = j * radix[i] + c;
    }
    let s: number;
    if (dense) {
      s = dense[j];
      if (s === -2) {
        s = slotOf(j);
        dense[j] = s;
      }
    } else {
      const m = sparse as Map<number, number>;
      const known = m.get(j);
      if (known === undefined) {
        s = slotOf(j);
        if (m.size < MEMO_LIMIT) m.set(j, s);
      } else s = known;
    }
    return s < 0 ? undefined : rows[s];
  };
}
