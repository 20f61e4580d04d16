/**
 * Numeric children on their whole upstream context: after structure search, a numeric child fit
 * writes as a context-specific tree (tree.ts) may read *every* column before it in a topological
 * order of the learned graph, not just the 3–6 parents a parent-set search affords. The tree
 * spends leaves only where a column matters, so it can split age by occupation under one
 * education and by workclass under another, which no full table over those columns could hold
 * (its cells would thin out). On Adult the pairs the detection classifier finds are age and
 * hours_per_week against categories that are not their parents (docs/fit.md "Where the targets
 * stand"); a parent-set search cannot give them the whole occupation × education × workclass
 * context at once.
 *
 * The order puts discrete columns before numeric ones wherever the graph allows (Kahn's
 * algorithm, a discrete node first among those ready, then node order), so a numeric child sees as
 * many categories as the graph leaves upstream of it. Only edges from earlier to later nodes are
 * added, so the order stays topological and the graph acyclic; knowledge (`allowed`) is obeyed
 * and hand-written parent sets are left alone.
 *
 * A child takes its upstream tree when that tree's held-out log-likelihood (heldout.ts' split:
 * every 5th row, its best penalty per leaf) beats the mechanism its parents give it now (the
 * tree pass's score, mechanism-score.ts) by more than `gain` nats per row. Its parents become the
 * columns the tree, grown on all rows, splits on. Leaves hold ≥ `minLeaf` rows: that floor is
 * what keeps generated rows from sitting on real ones (each leaf's law is an empirical law of
 * at least that many rows, shrunk toward the marginal, params.ts).
 * Deterministic: no randomness; ties by node order.
 */
import { growBestTree, treeParents } from './context-tree.js';
import type { NodeColumn } from './encode.js';
import type { Constraints } from './knowledge.js';
import type { MechanismStats } from './mechanism-score.js';
import type { Steps } from './steps.js';
import type { TreeNode } from './tree.js';

export interface UpstreamOptions {
  /** Children that may take an upstream tree (numeric children fit writes as trees). */
  children: readonly number[];
  /** Fewest rows per leaf. */
  minLeaf: number;
  /** Nats per held-out row the upstream tree must gain over the child's current mechanism. */
  minGain: number;
  /** Most leaves of a tree (default 96, as tree.ts). */
  maxLeaves?: number;
}

export interface UpstreamChoice {
  child: number;
  /** Parents the tree splits on (ascending node indices). */
  parents: number[];
  /** Columns the tree was offered (those before the child in the order). */
  offered: number;
  /** Held-out gain over the current mechanism (nats per row). */
  gain: number;
  leaves: number;
}

/**
 * A topological order of `parents` (each node after its parents) that takes a discrete node
 * before a numeric one whenever both are ready, then the lower index.
 */
export function upstreamOrder(
  parents: readonly (readonly number[])[],
  discrete: (v: number) => boolean,
): number[] {
  const d = parents.length;
  const waiting = Int32Array.from(parents, (ps) => ps.length);
  const children: number[][] = Array.from({ length: d }, () => []);
  parents.forEach((ps, v) => {
    for (const p of ps) children[p].push(v);
  });
  const ready: number[] = [];
  for (let v = 0; v < d; v++) if (waiting[v] === 0) ready.push(v);
  const order: number[] = [];
  while (ready.length > 0) {
    let bi = 0;
    for (let i = 1; i < ready.length; i++) {
      const a = ready[i];
      const b = ready[bi];
      if (discrete(a) !== discrete(b) ? discrete(a) : a < b) bi = i;
    }
    const v = ready.splice(bi, 1)[0];
    order.push(v);
    for (const c of children[v]) if (--waiting[c] === 0) ready.push(c);
  }
  if (order.length !== d) throw new Error('internal: upstreamOrder on a cyclic graph');
  return order;
}

/**
 * `c` with every edge from a numeric node to a discrete one refused, unless required: a search
 * under it leaves every category upstream of every numeric column, so each numeric child can be
 * offered all of them (hand-written parent sets are `c.fixed` and not searched).
 */
export function categoriesFirst(c: Constraints, discrete: (v: number) => boolean): Constraints {
  return {
    d: c.d,
    required: c.required,
    fixed: c.fixed,
    isRequired: (from, to) => c.isRequired(from, to),
    allowed: (from, to) => c.allowed(from, to) && (c.isRequired(from, to) || discrete(from) || !discrete(to)),
  };
}

/** The parents a tree splits on (indices into the parents it was grown on), ascending. */
export function splitParents(tree: TreeNode): number[] {
  const used = new Set<number>();
  const walk = (t: TreeNode) => {
    if (t.kind === 'leaf') return;
    used.add(t.parent);
    walk(t.inside);
    walk(t.outside);
  };
  walk(tree);
  return [...used].sort((a, b) => a - b);
}

/**
 * Give each of `opts.children` whose upstream tree wins held out the columns that tree splits
 * on as parents. Returns the new graph (`parents` is not modified) and the choices, in the order
 * the children were visited.
 */
export function* upstreamTreeSteps(
  stats: MechanismStats,
  nodes: readonly NodeColumn[],
  c: Constraints,
  parents: readonly (readonly number[])[],
  opts: UpstreamOptions,
): Steps<{ parents: number[][]; chosen: UpstreamChoice[] }> {
  const g = parents.map((ps) => [...ps]);
  const order = upstreamOrder(g, (v) => nodes[v].role === 'discrete');
  const eligible = new Set(opts.children);
  const chosen: UpstreamChoice[] = [];
  for (let k = 0; k < order.length; k++) {
    const v = order[k];
    if (!eligible.has(v) || c.fixed.has(v)) continue;
    yield;
    const offered = order
      .slice(0, k)
      .filter((u) => g[v].includes(u) || c.allowed(u, v))
      .sort((a, b) => a - b);
    if (offered.length <= g[v].length) continue;
    const tp = treeParents(nodes, offered);
    const child = stats.scoringOf(v);
    const treeOpts = { minLeaf: opts.minLeaf, maxLeaves: opts.maxLeaves };
    const best = growBestTree(child, tp, treeOpts);
    const gain = best.logLik - stats.perRow(v, g[v]);
    if (!(gain > opts.minGain)) continue;
    const used = splitParents(best.tree).map((i) => offered[i]);
    // Required parents stay, whether or not the tree splits on them.
    const keep = g[v].filter((p) => c.isRequired(p, v));
    const ps = [...new Set([...used, ...keep])].sort((a, b) => a - b);
    if (ps.length === 0) continue;
    g[v] = ps;
    chosen.push({ child: v, parents: ps, offered: offered.length, gain, leaves: best.leaves });
  }
  return { parents: g, chosen };
}
