/**
 * Hierarchical back-off for categorical children: a parent state's distribution is smoothed
 * toward the child's distribution given a *subset* of its parents, not toward the global
 * marginal. Parents are ordered by mutual information with the child; level L is the child given
 * the L most informative parents, and every level is a Dirichlet-smoothed estimate whose prior is
 * the level above it (the recursive smoothing of n-gram language models). A small state of
 * (education, sex, income) thus keeps what education alone says about the child instead of
 * collapsing to the marginal, which is what lets a child carry more parents. Pure functions.
 */

/** Mutual information (nats) between two code columns. */
export function codeMutualInformation(a: Int32Array, ca: number, b: Int32Array, cb: number): number {
  const n = a.length;
  const joint = new Float64Array(ca * cb);
  const pa = new Float64Array(ca);
  const pb = new Float64Array(cb);
  for (let i = 0; i < n; i++) {
    joint[a[i] * cb + b[i]]++;
    pa[a[i]]++;
    pb[b[i]]++;
  }
  let mi = 0;
  for (let x = 0; x < ca; x++)
    for (let y = 0; y < cb; y++) {
      const c = joint[x * cb + y];
      if (c > 0) mi += (c / n) * Math.log((c * n) / (pa[x] * pb[y]));
    }
  return mi;
}

export interface BackoffInput {
  /** Per-row child codes (0..r−1). */
  child: Int32Array;
  r: number;
  /** Per-row codes and cardinalities of the parents, in the table's parent order. */
  parents: readonly { codes: Int32Array; card: number }[];
  /** Pseudo-count of each level's prior (the level above). */
  alpha: number;
}

export interface Backoff {
  /** Parent indices (into `parents`) from most to least informative. */
  order: number[];
  /**
   * The prior of a full parent configuration (mixed radix in the table's parent order): the
   * child's distribution given all but the least informative parent, itself backed off; the
   * marginal when there is a single parent. Undefined for configurations never observed.
   */
  priorOf(config: number): Float64Array | undefined;
  /**
   * The states of all but the least informative parent (level m − 1): the parents' codes in
   * `order[0..m−2]` order, their row count, backed-off distribution and raw child counts. Empty
   * for one parent.
   */
  prefixes: { codes: number[]; n: number; dist: Float64Array; counts: Float64Array }[];
}

/**
 * Build the back-off chain from raw rows. Level 0 is the marginal; level L < m smooths the counts
 * given the L most informative parents toward level L − 1 with pseudo-count alpha.
 */
export function buildBackoff(input: BackoffInput): Backoff {
  const { child, r, parents, alpha } = input;
  const n = child.length;
  const m = parents.length;
  const mi = parents.map((p) => codeMutualInformation(p.codes, p.card, child, r));
  const order = parents.map((_, i) => i).sort((a, b) => mi[b] - mi[a] || a - b);
  const marg = new Float64Array(r);
  for (let i = 0; i < n; i++) marg[child[i]]++;
  for (let k = 0; k < r; k++) marg[k] /= n || 1;

  // key[i]: the row's state at the current level (mixed radix over order[0..L−1]).
  const key = new Float64Array(n);
  let prev = new Map<number, Float64Array>([[0, marg]]);
  let prevKey = new Float64Array(n);
  let prevCounts = new Map<number, Float64Array>();
  for (let L = 1; L < m; L++) {
    const p = parents[order[L - 1]];
    const counts = new Map<number, Float64Array>();
    for (let i = 0; i < n; i++) {
      key[i] = prevKey[i] * p.card + p.codes[i];
      let c = counts.get(key[i]);
      if (!c) {
        c = new Float64Array(r + 1);
        counts.set(key[i], c);
      }
      c[child[i]]++;
      c[r]++;
    }
    const level = new Map<number, Float64Array>();
    for (let i = 0; i < n; i++) {
      if (level.has(key[i])) continue;
      const c = counts.get(key[i])!;
      const prior = prev.get(prevKey[i])!;
      const d = new Float64Array(r);
      for (let k = 0; k < r; k++) d[k] = (c[k] + alpha * prior[k]) / (c[r] + alpha);
      level.set(key[i], d);
    }
    prev = level;
    prevKey = Float64Array.from(key);
    prevCounts = counts;
  }
  const prefixes: Backoff['prefixes'] = [];
  if (m >= 2) {
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      if (seen.has(prevKey[i])) continue;
      seen.add(prevKey[i]);
      const c = prevCounts.get(prevKey[i])!;
      prefixes.push({
        codes: order.slice(0, m - 1).map((o) => parents[o].codes[i]),
        n: c[r],
        dist: prev.get(prevKey[i])!,
        counts: c.slice(0, r),
      });
    }
  }
  // Full configuration (table order) → the row's key at level m − 1.
  const byConfig = new Map<number, Float64Array>();
  for (let i = 0; i < n; i++) {
    let cfg = 0;
    for (const p of parents) cfg = cfg * p.card + p.codes[i];
    if (!byConfig.has(cfg)) byConfig.set(cfg, prev.get(prevKey[i])!);
  }
  return { order, priorOf: (config) => byConfig.get(config), prefixes };
}
