/**
 * Family score of the tree pass of structure search (fit.ts): the held-out log-likelihood of the
 * mechanism fit would write for (child, parents) — a context-specific tree (tree.ts) or the full
 * table backed off as params.ts writes it, whichever context-tree.ts would choose — instead of
 * BIC of the full cross-product. BIC charges every combination of parent states, so a child
 * never gets a parent that only matters under one state of another (its cells thin out), even
 * when a tree would spend a few leaves on it. Scored this way a parent is taken when the
 * mechanism that will be written predicts rows it was not fitted on better with it.
 *
 * Scores are per-row held-out log-likelihoods (heldout.ts' split: every 5th row) times the row
 * count, minus `perParent` nats per row per parent (the noise floor of the held-out estimate),
 * so the hill climber's sums and differences read as nats. Cached per (child, parent set):
 * the climber asks the same families many times.
 */

import { heldOutBackoffLogLik, heldOutTreeScore, treeParents } from './context-tree.js';
import type { NodeColumn } from './encode.js';
import { type Coded, heldOutLogLik, scoringCodes } from './heldout.js';
import { chooseSmoothing } from './smoothing.js';
import { SufficientStats } from './stats.js';

export interface MechanismScoreOptions {
  /** Rare-state threshold k of the written tables. */
  minCount: number;
  /** Fewest rows per leaf and per numeric table state (params.ts: max(k, 20)). */
  minLeaf: number;
  /** Children fit writes as a tree where it wins (`--tables`); the others are scored as tables. */
  treeChild: (v: number) => boolean;
  /**
   * The parents each child has before the pass (the BIC graph). A tree child's parents beyond
   * them are kept only where fit writes a tree (fit.ts drops them otherwise), so a larger set is
   * scored by its tree alone; the child's own set by the better of tree and table, as fit would
   * write it. Absent: tree and table for every set.
   */
  baseParents?: readonly (readonly number[])[];
  /**
   * Nats per row each parent must gain held out to be taken: about the spread of the estimate
   * on a fifth of the rows (the refine loop's significance threshold is 0.002).
   */
  perParent: number;
  /** Categorical tables are scored with their smoothing chosen held out (smoothing.ts), as written. */
  heldOutSmoothing?: boolean;
}

export class MechanismStats extends SufficientStats {
  private readonly cache = new Map<string, number>();
  private readonly scoring: Coded[];

  constructor(
    private readonly nodes: readonly NodeColumn[],
    private readonly opts: MechanismScoreOptions,
  ) {
    super(
      nodes.map((x) => x.codes),
      nodes.map((x) => x.card),
      1,
    );
    this.scoring = nodes.map(scoringCodes);
  }

  /** The codes node `v` is scored on (heldout.ts' scoringCodes). */
  scoringOf(v: number): Coded {
    return this.scoring[v];
  }

  /** Held-out log-likelihood per row of the mechanism fit would write (no per-parent charge). */
  perRow(child: number, parents: readonly number[]): number {
    const sorted = [...parents].sort((a, b) => a - b);
    const key = `${child}|${sorted.join(',')}`;
    let s = this.cache.get(key);
    if (s === undefined) {
      s = this.score(child, sorted);
      this.counted++;
      this.cache.set(key, s);
    }
    return s;
  }

  private score(child: number, parents: readonly number[]): number {
    const c = this.scoring[child];
    if (parents.length === 0) return heldOutLogLik(c, []);
    const tp = treeParents(this.nodes, parents);
    const numeric = this.nodes[child].role === 'numeric';
    const table = () =>
      !numeric && this.opts.heldOutSmoothing
        ? chooseSmoothing(c, tp, this.opts.minCount).logLik
        : parents.length >= 2
          ? heldOutBackoffLogLik(c, tp, numeric ? this.opts.minLeaf : this.opts.minCount, numeric ? 10 : 2)
          : heldOutLogLik(c, tp);
    if (!this.opts.treeChild(child)) return table();
    const tree = heldOutTreeScore(c, tp, { minLeaf: this.opts.minLeaf });
    const base = this.opts.baseParents?.[child];
    const isBase = !base || (base.length === parents.length && base.every((p) => parents.includes(p)));
    return isBase ? Math.max(table(), tree) : tree;
  }

  /** The family's score in nats: n × (held-out log-likelihood per row − perParent × parents). */
  override bic(child: number, parents: readonly number[]): number {
    return this.n * (this.perRow(child, parents) - this.opts.perParent * parents.length);
  }
}
