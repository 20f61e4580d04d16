/**
 * Parent states of a categorical child that the data cannot tell apart, merged into one table
 * row (an agglomerative, bottom-up merge; Adult `marital_status` given Private / Husband / Male
 * is "Married-civ-spouse ≈ 1" in each of 8 hours bins, written 8 times before).
 *
 * Every group is a product of state sets, one per parent, so it is written as one row whose
 * `when` lists the sets (the format context-specific trees already use: sampling, coverage,
 * `--do` and complete() read it unchanged). Two groups are candidates when their sets agree on
 * all parents but one: their union is again a product, and it holds exactly the states of the
 * two groups (never a state that had no row of its own, which keeps its back-off row or the
 * default). Unlike a top-down tree, which splits on what helps most and lumps the rest, this
 * keeps every distinction the data support.
 *
 * The test of a merge is the likelihood-ratio test of homogeneity on the raw counts of the two
 * groups: G² = 2 Σ c log(c / (n·q̂)), q̂ the pooled law, with (values seen in either) − 1 degrees
 * of freedom; the pair with the largest p-value is merged first, and merging stops when every
 * candidate pair differs at level `alpha`. Pure functions.
 */
import { gammaSf } from '../random/special.js';

export interface MergeInput {
  /** Per written state: its code per parent (table parent order). */
  codes: readonly (readonly number[])[];
  /** Per written state: the raw count of each child value. */
  counts: readonly ArrayLike<number>[];
}

export interface MergedGroup {
  /** Per parent: the codes the group covers (ascending). */
  sets: number[][];
  /** Indices (into the input) of the states merged into the group, ascending. */
  members: number[];
}

interface Group {
  sets: number[][];
  members: number[];
  counts: Float64Array;
  n: number;
  alive: boolean;
}

/** The G² statistic and p-value of "two count vectors share one law". */
export function homogeneityTest(a: ArrayLike<number>, b: ArrayLike<number>): { g2: number; p: number } {
  let na = 0;
  let nb = 0;
  for (let k = 0; k < a.length; k++) {
    na += a[k];
    nb += b[k];
  }
  const n = na + nb;
  if (!(na > 0 && nb > 0)) return { g2: 0, p: 1 };
  let g2 = 0;
  let seen = 0;
  for (let k = 0; k < a.length; k++) {
    const t = a[k] + b[k];
    if (!(t > 0)) continue;
    seen++;
    if (a[k] > 0) g2 += a[k] * Math.log((a[k] * n) / (na * t));
    if (b[k] > 0) g2 += b[k] * Math.log((b[k] * n) / (nb * t));
  }
  g2 = Math.max(0, 2 * g2);
  const df = seen - 1;
  return { g2, p: df <= 0 ? 1 : gammaSf(g2 / 2, df / 2) };
}

/** Binary max-heap of candidate merges (largest p first; ties: smaller G², then lower ids). */
class CandidateHeap {
  private items: { p: number; g2: number; a: number; b: number }[] = [];
  get size(): number {
    return this.items.length;
  }
  private better(i: number, j: number): boolean {
    const x = this.items[i];
    const y = this.items[j];
    if (x.p !== y.p) return x.p > y.p;
    if (x.g2 !== y.g2) return x.g2 < y.g2;
    return x.a !== y.a ? x.a < y.a : x.b < y.b;
  }
  push(c: { p: number; g2: number; a: number; b: number }): void {
    const it = this.items;
    it.push(c);
    let i = it.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.better(i, up)) break;
      [it[i], it[up]] = [it[up], it[i]];
      i = up;
    }
  }
  pop(): { p: number; g2: number; a: number; b: number } | undefined {
    const it = this.items;
    if (it.length === 0) return undefined;
    const top = it[0];
    const last = it.pop()!;
    if (it.length > 0) {
      it[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < it.length && this.better(l, m)) m = l;
        if (r < it.length && this.better(r, m)) m = r;
        if (m === i) break;
        [it[i], it[m]] = [it[m], it[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Merge the states (see the module comment) until every pair of groups that could be merged
 * differs at level `alpha` (0 = no merging). Groups come back in the order of their first member.
 */
export function mergeStates(input: MergeInput, alpha: number): MergedGroup[] {
  const m = input.codes[0]?.length ?? 0;
  const groups: Group[] = input.codes.map((c, i) => {
    const counts = Float64Array.from(input.counts[i]);
    return {
      sets: c.map((x) => [x]),
      members: [i],
      counts,
      n: counts.reduce((s, x) => s + x, 0),
      alive: true,
    };
  });
  if (alpha > 0 && m > 0) {
    // Per parent i: groups keyed by their sets on every other parent (the candidates for a merge on i).
    const buckets = Array.from({ length: m }, () => new Map<string, Set<number>>());
    const keyOf = (g: Group, i: number) => g.sets.map((s, k) => (k === i ? '' : s.join(','))).join('|');
    const heap = new CandidateHeap();
    const consider = (a: number, b: number) => {
      const t = homogeneityTest(groups[a].counts, groups[b].counts);
      if (t.p >= alpha) heap.push({ ...t, a: Math.min(a, b), b: Math.max(a, b) });
    };
    const enter = (id: number) => {
      for (let i = 0; i < m; i++) {
        const key = keyOf(groups[id], i);
        let bucket = buckets[i].get(key);
        if (!bucket) {
          bucket = new Set();
          buckets[i].set(key, bucket);
        }
        for (const other of bucket) consider(other, id);
        bucket.add(id);
      }
    };
    const leave = (id: number) => {
      groups[id].alive = false;
      for (let i = 0; i < m; i++) buckets[i].get(keyOf(groups[id], i))?.delete(id);
    };
    for (let id = 0; id < groups.length; id++) enter(id);
    for (let c = heap.pop(); c; c = heap.pop()) {
      const a = groups[c.a];
      const b = groups[c.b];
      if (!a.alive || !b.alive) continue;
      leave(c.a);
      leave(c.b);
      const counts = a.counts.map((x, k) => x + b.counts[k]);
      groups.push({
        sets: a.sets.map((s, k) =>
          s.join() === b.sets[k].join() ? s : [...s, ...b.sets[k]].sort((x, y) => x - y),
        ),
        members: [...a.members, ...b.members].sort((x, y) => x - y),
        counts,
        n: a.n + b.n,
        alive: true,
      });
      enter(groups.length - 1);
    }
  }
  return groups
    .filter((g) => g.alive)
    .sort((x, y) => x.members[0] - y.members[0])
    .map((g) => ({ sets: g.sets, members: g.members }));
}
