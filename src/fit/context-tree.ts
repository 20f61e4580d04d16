/**
 * When a child's mechanism is a context-specific tree (tree.ts) instead of its full conditional
 * table: when the tree predicts held-out rows at least as well (heldout.ts' split and scoring
 * for both), within `TREE_TOLERANCE`. A discrete child is scored on its own states, a numeric
 * child on its 16 scoring bins (point masses apart), as every other mechanism choice in fit.
 */
import { buildBackoff } from './backoff.js';
import type { NodeColumn } from './encode.js';
import { type Coded, configs, heldOutLogLik, jointState, scoringCodes } from './heldout.js';
import { growTree, heldOutTreeLogLiks, leavesOf, type TreeNode, type TreeParent } from './tree.js';

/**
 * Nats per row the tree may lose to the full table and still be taken: the spread of the
 * held-out estimate (the refine loop's significance threshold is 0.002). The tree is a far
 * smaller, more readable file for the same fit.
 */
export const TREE_TOLERANCE = 0.001;

/** Fractions of the BIC penalty per leaf tried (the one that predicts held-out rows best is used). */
const PENALTY_SCALES = [1, 0.5, 0.25, 0.125, 0.0625];

export interface ContextTree {
  tree: TreeNode;
  leaves: number;
  /** Held-out log-likelihood per row of the tree minus the full table's (nats). */
  gain: number;
  /** The codes the tree was grown on (the child's, or its scoring bins). */
  child: Coded;
  /**
   * What `gain` is over: the full table on the same parents (default), or, for a tree offered
   * every upstream column (upstream-trees.ts), the mechanism the child's parent set gave it.
   */
  over?: 'table' | 'upstream';
}

export interface ContextTreeOptions {
  /** Fewest rows per leaf (also the privacy floor k). */
  minLeaf: number;
  maxLeaves?: number;
  /** Rare-state threshold k of the full table the tree is compared with (default 5). */
  minCount?: number;
  /** Take the tree whatever the held-out comparison says (tests, `--tree always`). */
  force?: boolean;
}

export function treeParents(nodes: readonly NodeColumn[], parents: readonly number[]): TreeParent[] {
  return parents.map((p) => ({
    codes: nodes[p].codes,
    card: nodes[p].card,
    ordered: nodes[p].role === 'numeric',
  }));
}

/** The tree of node `v` given `parents`, or undefined when the full table predicts better. */
export function chooseContextTree(
  nodes: readonly NodeColumn[],
  v: number,
  parents: readonly number[],
  opts: ContextTreeOptions,
): ContextTree | undefined {
  if (parents.length === 0) return undefined;
  const child = scoringCodes(nodes[v]);
  const tp = treeParents(nodes, parents);
  const { logLik, scale } = bestPenalty(child, tp, opts);
  // The table as fit writes it: own rows for ≥ k-row states, smoothed toward the back-off, and
  // the back-off (a wildcard row) for the others; one parent: heldout.ts' smoothed table.
  // (numeric children: own knots from 20 rows, shrunk by 10 pseudo-rows, as params.ts writes them)
  const numeric = nodes[v].role === 'numeric';
  const table =
    parents.length >= 2
      ? heldOutBackoffLogLik(child, tp, numeric ? opts.minLeaf : (opts.minCount ?? 5), numeric ? 10 : 2)
      : heldOutLogLik(child, tp);
  const gain = logLik - table;
  if (!opts.force && gain < -TREE_TOLERANCE) return undefined;
  const tree = growTree(child, tp, { minLeaf: opts.minLeaf, maxLeaves: opts.maxLeaves, penaltyScale: scale });
  const leaves = leavesOf(tree).length;
  // A tree with a leaf per parent state says what the table says, less plainly.
  if (!opts.force && leaves >= configs(tp, child.codes.length).q) return undefined;
  return { tree, leaves, gain, child };
}

/**
 * The penalty per leaf, BIC or the fraction of it whose tree predicts held-out rows best, and
 * that tree's held-out log-likelihood per row.
 */
function bestPenalty(
  child: Coded,
  tp: readonly TreeParent[],
  opts: { minLeaf: number; maxLeaves?: number },
): { logLik: number; scale: number } {
  let best: { logLik: number; scale: number } | undefined;
  const held = heldOutTreeLogLiks(
    child,
    tp,
    { minLeaf: opts.minLeaf, maxLeaves: opts.maxLeaves },
    PENALTY_SCALES,
  );
  for (const { scale, logLik } of held) if (!best || logLik > best.logLik + 1e-6) best = { logLik, scale };
  return best as { logLik: number; scale: number };
}

/**
 * The tree of `child` given `parents` with the penalty per leaf that predicts held-out rows best,
 * grown on all rows, with that held-out log-likelihood per row: no comparison with a full table
 * (upstream-trees.ts offers a child every column before it, whose full table could not be built).
 */
export function growBestTree(
  child: Coded,
  parents: readonly TreeParent[],
  opts: { minLeaf: number; maxLeaves?: number },
): { tree: TreeNode; leaves: number; logLik: number; scale: number } {
  const { logLik, scale } = bestPenalty(child, parents, opts);
  const tree = growTree(child, parents, {
    minLeaf: opts.minLeaf,
    maxLeaves: opts.maxLeaves,
    penaltyScale: scale,
  });
  return { tree, leaves: leavesOf(tree).length, logLik, scale };
}

/**
 * Held-out log-likelihood per row (nats) of the tree `chooseContextTree` would grow for `child`
 * given `parents` (its best penalty), on the same rows and floor as heldOutBackoffLogLik: the
 * tree pass of structure search scores parent sets by it (mechanism-score.ts).
 */
export function heldOutTreeScore(
  child: Coded,
  parents: readonly TreeParent[],
  opts: { minLeaf: number; maxLeaves?: number },
): number {
  return bestPenalty(child, parents, opts).logLik;
}

/**
 * Mean held-out log-likelihood per row (nats) of the full table as fit writes it (params.ts):
 * a state seen in ≥ `minCount` training rows gets its counts smoothed toward its back-off
 * (backoff.ts, `smoothing` pseudo-rows); another state reads its back-off row (the distribution given all
 * but the least informative parent, when that state has ≥ `minCount` rows), else the marginal.
 * Split and floor as heldOutTreeLogLik, so the two are compared on the same rows.
 */
export function heldOutBackoffLogLik(
  child: Coded,
  parents: readonly Coded[],
  minCount: number,
  smoothing = 2,
  folds = 5,
): number {
  return heldOutBackoffLogLiks(child, parents, minCount, [smoothing], folds)[0];
}

/**
 * heldOutBackoffLogLik for each of several `smoothings` (pseudo-rows toward the back-off), from
 * one pass over the counts: smoothing.ts picks a categorical child's smoothing by it.
 */
export function heldOutBackoffLogLiks(
  child: Coded,
  parents: readonly Coded[],
  minCount: number,
  smoothings: readonly number[],
  folds = 5,
): number[] {
  const n = child.codes.length;
  const r = child.card;
  const train: number[] = [];
  for (let i = 0; i < n; i++) if (i % folds !== 0) train.push(i);
  const sub = (c: Int32Array) => Int32Array.from(train, (i) => c[i]);
  const bo = buildBackoff({
    child: sub(child.codes),
    r,
    parents: parents.map((p) => ({ codes: sub(p.codes), card: p.card })),
    alpha: 4,
  });
  const cfgOf = (i: number) => jointState(parents, i);
  const counts = new Map<number, Float64Array>();
  const marg = new Float64Array(r);
  for (const i of train) {
    const c = cfgOf(i);
    let a = counts.get(c);
    if (!a) {
      a = new Float64Array(r + 1);
      counts.set(c, a);
    }
    a[child.codes[i]]++;
    a[r]++;
    marg[child.codes[i]]++;
  }
  const prefixKey = (codes: readonly number[]) => codes.join(',');
  const prefix = new Map<string, Float64Array>();
  for (const p of bo.prefixes) if (p.n >= minCount) prefix.set(prefixKey(p.codes), p.dist);
  const m = parents.length;
  const margP = Float64Array.from(marg, (x) => x / (train.length || 1));
  const ll = new Float64Array(smoothings.length);
  let h = 0;
  for (let i = 0; i < n; i += folds) {
    const k = child.codes[i];
    const c = cfgOf(i);
    const own = counts.get(c);
    const floor = (marg[k] + 0.5) / (train.length + 0.5 * r);
    if (own && own[r] >= minCount) {
      const prior = bo.priorOf(c) ?? margP;
      smoothings.forEach((a, j) => {
        const p = (own[k] + a * prior[k]) / (own[r] + a);
        ll[j] += Math.log((p * 1000 + floor) / 1001);
      });
    } else {
      const d = prefix.get(prefixKey(bo.order.slice(0, m - 1).map((o) => parents[o].codes[i])));
      const p = Math.log((((d ?? margP)[k] as number) * 1000 + floor) / 1001);
      for (let j = 0; j < ll.length; j++) ll[j] += p;
    }
    h++;
  }
  return Array.from(ll, (x) => (h > 0 ? x / h : 0));
}
