/**
 * When a child's mechanism is a context-specific tree (tree.ts) instead of its full conditional
 * table: when the tree predicts held-out rows at least as well (heldout.ts' split and scoring
 * for both), within `TREE_TOLERANCE`. A discrete child is scored on its own states, a numeric
 * child on its 16 scoring bins (point masses apart), as every other mechanism choice in fit.
 */
import type { NodeColumn } from './encode.js';
import { type Coded, heldOutLogLik, scoringCodes } from './heldout.js';
import { growTree, heldOutTreeLogLik, leavesOf, type TreeNode, type TreeParent } from './tree.js';

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
}

export interface ContextTreeOptions {
  /** Fewest rows per leaf (also the privacy floor k). */
  minLeaf: number;
  maxLeaves?: number;
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
  // The penalty per leaf: BIC, or a fraction of it where that predicts held-out rows better.
  let best: { logLik: number; scale: number } | undefined;
  for (const scale of PENALTY_SCALES) {
    const held = heldOutTreeLogLik(child, tp, {
      minLeaf: opts.minLeaf,
      maxLeaves: opts.maxLeaves,
      penaltyScale: scale,
    });
    if (!best || held.logLik > best.logLik + 1e-6) best = { logLik: held.logLik, scale };
  }
  const { logLik, scale } = best as { logLik: number; scale: number };
  const table = heldOutLogLik(child, tp);
  const gain = logLik - table;
  if (!opts.force && gain < -TREE_TOLERANCE) return undefined;
  const tree = growTree(child, tp, { minLeaf: opts.minLeaf, maxLeaves: opts.maxLeaves, penaltyScale: scale });
  return { tree, leaves: leavesOf(tree).length, gain, child };
}
