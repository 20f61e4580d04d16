/**
 * The tree pass of structure search: after the BIC passes (search.ts), children that fit writes as
 * context-specific trees (tree.ts, `--tables`) may take more parents, each chosen by the held-out
 * log-likelihood of the mechanism fit would write for that parent set (mechanism-score.ts), not by
 * BIC of the full cross-product. A tree spends leaves only where a parent matters (B only when
 * A = x), so a parent BIC refuses because it would thin every cell can still be worth a few leaves.
 *
 * Greedy forward selection: every round scores, for each tree child, its `candidates` most
 * informative non-parents (mutual information of the codes: a cheap screen, since each score grows
 * a tree) and adds the one edge that gains most held out, while one gains more than the
 * per-parent charge. Only additions: the BIC graph's edges stay. Acyclic, knowledge obeyed,
 * deterministic (ties by node order; no randomness).
 */
import { codeMutualInformation } from './backoff.js';
import type { Constraints } from './knowledge.js';
import type { MechanismStats } from './mechanism-score.js';
import { reachable } from './search.js';
import type { Steps } from './steps.js';

export interface TreePassOptions {
  /** Children whose parents the pass may extend (those fit writes as trees). */
  children: readonly number[];
  /** Most parents per child after the pass. */
  maxParentsOf: (v: number) => number;
  /** Non-parents scored per child and round, the most informative first (default 6). */
  candidates?: number;
}

export interface TreeEdge {
  from: number;
  to: number;
  /** Held-out gain of the child (nats per row), before the per-parent charge. */
  gain: number;
}

/**
 * Extend `parents` (not modified) with the edges the tree pass takes; returns the new graph and
 * the edges added, in the order taken.
 */
export function* treeParentSteps(
  stats: MechanismStats,
  c: Constraints,
  parents: readonly (readonly number[])[],
  opts: TreePassOptions,
): Steps<{ parents: number[][]; added: TreeEdge[] }> {
  const g = parents.map((ps) => [...ps]);
  const added: TreeEdge[] = [];
  const d = g.length;
  const mi = new Map<number, number>();
  const miOf = (v: number, u: number) => {
    const k = v * d + u;
    let x = mi.get(k);
    if (x === undefined) {
      x = codeMutualInformation(stats.codes[u], stats.cards[u], stats.codes[v], stats.cards[v]);
      mi.set(k, x);
    }
    return x;
  };
  const width = opts.candidates ?? 6;
  for (;;) {
    yield;
    let best: { from: number; to: number; delta: number } | undefined;
    for (const v of opts.children) {
      if (c.fixed.has(v) || g[v].length >= opts.maxParentsOf(v)) continue;
      const pool: number[] = [];
      for (let u = 0; u < d; u++)
        if (u !== v && !g[v].includes(u) && c.allowed(u, v) && !reachable(g, v, u)) pool.push(u);
      pool.sort((a, b) => miOf(v, b) - miOf(v, a) || a - b);
      const now = stats.bic(v, g[v]);
      for (const u of pool.slice(0, width)) {
        const delta = stats.bic(v, [...g[v], u]) - now;
        if (delta > 0 && (!best || delta > best.delta + 1e-9)) best = { from: u, to: v, delta };
      }
    }
    if (!best) break;
    const before = stats.perRow(best.to, g[best.to]);
    g[best.to] = [...g[best.to], best.from].sort((a, b) => a - b);
    added.push({ from: best.from, to: best.to, gain: stats.perRow(best.to, g[best.to]) - before });
  }
  return { parents: g, added };
}
