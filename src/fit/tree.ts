/**
 * Context-specific tables: a small decision tree over parent conditions per child, instead of a
 * table over the full cross-product of parent states. Each split sends a set of one parent's
 * states one way and the rest the other; each leaf is one distribution of the child. So a child
 * can depend on parent B only where parent A = x, and use more parents without thinning every
 * cell (Adult's full tables made a 1 MB model file).
 *
 * Pure functions over integer codes (the same codes as heldout.ts): grown greedily, best gain
 * first, a split kept only when its gain in log-likelihood beats a BIC penalty and both sides
 * keep `minLeaf` rows. Deterministic: no randomness, ties broken by parent order and state order.
 * Our own code (not a CART library): the splits have to be sets of parent *states* so a leaf
 * reads as a `when` row of the model file (tree-rows.ts), and no package offers that.
 */
import type { Coded } from './heldout.js';

/** A parent of the tree: its codes, and whether its states are ordered (numeric bins). */
export interface TreeParent extends Coded {
  /** States 0..card-1 are bins in value order (a missing state, if any, is the last code). */
  ordered: boolean;
}

export interface TreeOptions {
  /** Fewest rows a leaf may have. */
  minLeaf: number;
  /** Most leaves (default 96). */
  maxLeaves?: number;
  /** Pseudo-rows of each leaf's prior, its parent node's distribution (default 2). */
  alpha?: number;
  /**
   * Penalty per extra leaf in nats; default BIC, (r − 1)/2 · ln n (r = child states seen, n rows).
   */
  penalty?: number;
  /** Multiplier of the penalty (default 1). */
  penaltyScale?: number;
}

export type TreeNode =
  | { kind: 'leaf'; rows: Int32Array; dist: Float64Array }
  | {
      kind: 'split';
      /** Index into the parents. */
      parent: number;
      /** The states of that parent that go to `inside` (the others go to `outside`). */
      states: number[];
      /** Log-likelihood gain of the split on the rows it was grown on (nats). */
      gain: number;
      inside: TreeNode;
      outside: TreeNode;
      rows: Int32Array;
      dist: Float64Array;
    };

interface Split {
  parent: number;
  states: number[];
  gain: number;
}

/**
 * x ln x for the whole counts 0..n, so a split's log-likelihood costs table reads instead of a
 * logarithm per cell (the structure search grows thousands of trees: measured on Adult, the
 * logarithms were most of a tree's time). Grown on demand; shared, read-only between growths.
 */
let xLogXTable = new Float64Array([0, 0]);
function xLogXUpTo(n: number): Float64Array {
  if (n < xLogXTable.length) return xLogXTable;
  const t = new Float64Array(Math.max(n + 1, 2 * xLogXTable.length));
  for (let x = 1; x < t.length; x++) t[x] = x * Math.log(x);
  xLogXTable = t;
  return t;
}

/** Σ n_k ln(n_k / n) = Σ n_k ln n_k − n ln n of a vector of whole counts (xlx: xLogXUpTo(n)). */
function logLik(counts: Float64Array, off: number, r: number, xlx: Float64Array): number {
  let n = 0;
  let ll = 0;
  for (let k = 0; k < r; k++) {
    const c = counts[off + k];
    n += c;
    ll += xlx[c];
  }
  return ll - xlx[n];
}

/** The best split of `rows` over one parent (or undefined): thresholds (ordered), one-vs-rest, and class-sorted groupings. */
function bestSplitOn(
  child: Coded,
  parent: TreeParent,
  pi: number,
  rows: Int32Array,
  minLeaf: number,
  xlx: Float64Array,
): Split | undefined {
  const r = child.card;
  const q = parent.card;
  const counts = new Float64Array(q * r);
  const n = new Float64Array(q);
  for (const i of rows) {
    counts[parent.codes[i] * r + child.codes[i]]++;
    n[parent.codes[i]]++;
  }
  const total = new Float64Array(r);
  for (let s = 0; s < q; s++) for (let k = 0; k < r; k++) total[k] += counts[s * r + k];
  const base = logLik(total, 0, r, xlx);
  const seen: number[] = [];
  for (let s = 0; s < q; s++) if (n[s] > 0) seen.push(s);
  if (seen.length < 2) return undefined;
  let best: Split | undefined;
  const left = new Float64Array(r);
  const right = new Float64Array(r);
  // Score the split that sends the first `cut` states of `order` inside.
  const scan = (order: readonly number[], onlyPrefix1: boolean) => {
    left.fill(0);
    let nl = 0;
    for (let c = 1; c < order.length; c++) {
      const s = order[c - 1];
      for (let k = 0; k < r; k++) left[k] += counts[s * r + k];
      nl += n[s];
      if (onlyPrefix1 && c > 1) return;
      const nr = rows.length - nl;
      if (nl < minLeaf || nr < minLeaf) continue;
      for (let k = 0; k < r; k++) right[k] = total[k] - left[k];
      const gain = logLik(left, 0, r, xlx) + logLik(right, 0, r, xlx) - base;
      if (!best || gain > best.gain + 1e-9) best = { parent: pi, states: order.slice(0, c), gain };
    }
  };
  if (parent.ordered) {
    // Value order of the bins; the missing state (last code) is tried on its own below.
    scan(seen, false);
  }
  // One state against the rest (a category, a point mass, missing): no order to build.
  const nAll = rows.length;
  for (const s of seen) {
    const nl = n[s];
    if (nl < minLeaf || nAll - nl < minLeaf) continue;
    for (let k = 0; k < r; k++) {
      left[k] = counts[s * r + k];
      right[k] = total[k] - left[k];
    }
    const gain = logLik(left, 0, r, xlx) + logLik(right, 0, r, xlx) - base;
    if (!best || gain > best.gain + 1e-9) best = { parent: pi, states: [s], gain };
  }
  if (!parent.ordered) {
    // States sorted by the share of each of the child's three commonest values: the ordering that
    // makes the best binary grouping a prefix for a two-valued child (Breiman et al. 1984).
    const top = Array.from({ length: r }, (_, k) => k)
      .sort((a, b) => total[b] - total[a] || a - b)
      .slice(0, 3);
    for (const k of top) {
      const order = [...seen].sort((a, b) => counts[a * r + k] / n[a] - counts[b * r + k] / n[b] || a - b);
      scan(order, false);
    }
    // States sorted by the child's mean code: for a numeric child (codes are its bins in value
    // order) the grouping that separates low from high values, e.g. ages by education.
    const mean = new Float64Array(q);
    for (const s of seen) {
      let t = 0;
      for (let k = 0; k < r; k++) t += k * counts[s * r + k];
      mean[s] = t / n[s];
    }
    scan(
      [...seen].sort((a, b) => mean[a] - mean[b] || a - b),
      false,
    );
  }
  return best;
}

function distOf(
  child: Coded,
  rows: Int32Array,
  prior: Float64Array | undefined,
  alpha: number,
): Float64Array {
  const r = child.card;
  const d = new Float64Array(r);
  for (const i of rows) d[child.codes[i]]++;
  const m = rows.length;
  for (let k = 0; k < r; k++)
    d[k] = prior ? (d[k] + alpha * prior[k]) / (m + alpha) : m > 0 ? d[k] / m : 1 / r;
  return d;
}

/** How many of the child's states occur among `rows`. */
function valuesSeen(child: Coded, rows: Int32Array): number {
  const c = new Uint8Array(child.card);
  for (const i of rows) c[child.codes[i]] = 1;
  let seen = 0;
  for (const x of c) seen += x;
  return seen;
}

/** BIC's penalty per extra leaf: (r − 1)/2 · ln n for r child states seen in n rows. */
const bicPenalty = (seenValues: number, n: number): number =>
  (Math.max(1, seenValues - 1) / 2) * Math.log(Math.max(2, n));

/**
 * Grow the tree of `child` given `parents` on `rows` (all rows when absent). The root's
 * distribution is the rows' own frequencies; every other node's is shrunk toward its parent
 * node's by `alpha` pseudo-rows.
 */
export function growTree(
  child: Coded,
  parents: readonly TreeParent[],
  opts: TreeOptions,
  rows?: Int32Array,
): TreeNode {
  const all = rows ?? Int32Array.from({ length: child.codes.length }, (_, i) => i);
  const alpha = opts.alpha ?? 2;
  const maxLeaves = opts.maxLeaves ?? 96;
  const seenValues = valuesSeen(child, all);
  const penalty = (opts.penaltyScale ?? 1) * (opts.penalty ?? bicPenalty(seenValues, all.length));
  const xlx = xLogXUpTo(all.length);
  const root: TreeNode = { kind: 'leaf', rows: all, dist: distOf(child, all, undefined, alpha) };
  // Leaves that may still split, each with its best split (best-first growth up to maxLeaves).
  type Open = { node: TreeNode & { kind: 'leaf' }; split: Split; set: (n: TreeNode) => void };
  const open: Open[] = [];
  const consider = (node: TreeNode & { kind: 'leaf' }, set: (n: TreeNode) => void) => {
    let best: Split | undefined;
    parents.forEach((p, pi) => {
      const s = bestSplitOn(child, p, pi, node.rows, opts.minLeaf, xlx);
      if (s && (!best || s.gain > best.gain + 1e-9)) best = s;
    });
    if (best && best.gain > penalty) open.push({ node, split: best, set });
  };
  let result: TreeNode = root;
  consider(root, (n) => {
    result = n;
  });
  let leaves = 1;
  while (open.length > 0 && leaves < maxLeaves) {
    let bi = 0;
    for (let i = 1; i < open.length; i++) if (open[i].split.gain > open[bi].split.gain + 1e-9) bi = i;
    const { node, split, set } = open.splice(bi, 1)[0];
    const p = parents[split.parent];
    const inSet = new Uint8Array(p.card);
    for (const s of split.states) inSet[s] = 1;
    const a: number[] = [];
    const b: number[] = [];
    for (const i of node.rows) (inSet[p.codes[i]] ? a : b).push(i);
    // The shorter list of states is written (tree-rows.ts); the other side is "the rest".
    const outStates: number[] = [];
    for (let s = 0; s < p.card; s++) if (!inSet[s]) outStates.push(s);
    const flip = outStates.length < split.states.length && b.length > 0;
    const insideRows = Int32Array.from(flip ? b : a);
    const outsideRows = Int32Array.from(flip ? a : b);
    const inside: TreeNode & { kind: 'leaf' } = {
      kind: 'leaf',
      rows: insideRows,
      dist: distOf(child, insideRows, node.dist, alpha),
    };
    const outside: TreeNode & { kind: 'leaf' } = {
      kind: 'leaf',
      rows: outsideRows,
      dist: distOf(child, outsideRows, node.dist, alpha),
    };
    const splitNode: TreeNode = {
      kind: 'split',
      parent: split.parent,
      states: flip ? outStates : [...split.states].sort((x, y) => x - y),
      gain: split.gain,
      inside,
      outside,
      rows: node.rows,
      dist: node.dist,
    };
    set(splitNode);
    leaves++;
    consider(inside, (n) => {
      splitNode.inside = n;
    });
    consider(outside, (n) => {
      splitNode.outside = n;
    });
  }
  return result;
}

/** The leaf a row's parent codes reach. */
export function leafOf(
  tree: TreeNode,
  parents: readonly TreeParent[],
  i: number,
): TreeNode & { kind: 'leaf' } {
  let t = tree;
  while (t.kind === 'split') t = t.states.includes(parents[t.parent].codes[i]) ? t.inside : t.outside;
  return t;
}

/** The leaves in reading order (inside before outside), which is the order tree-rows.ts writes. */
export function leavesOf(tree: TreeNode): (TreeNode & { kind: 'leaf' })[] {
  if (tree.kind === 'leaf') return [tree];
  return [...leavesOf(tree.inside), ...leavesOf(tree.outside)];
}

/**
 * Mean held-out log-likelihood per row (nats) of the tree, on the rows heldout.ts holds out
 * (every `folds`-th row), grown on the others: the yardstick it is compared with the full table by.
 */
export function heldOutTreeLogLik(
  child: Coded,
  parents: readonly TreeParent[],
  opts: TreeOptions,
  folds = 5,
): { logLik: number; leaves: number } {
  const n = child.codes.length;
  const train: number[] = [];
  for (let i = 0; i < n; i++) if (i % folds !== 0) train.push(i);
  const tree = growTree(child, parents, opts, Int32Array.from(train));
  // Scored as heldout.ts scores the full table: a floor from the training marginal.
  const r = child.card;
  const marg = new Float64Array(r);
  for (const i of train) marg[child.codes[i]]++;
  let ll = 0;
  let h = 0;
  for (let i = 0; i < n; i += folds) {
    const leaf = leafOf(tree, parents, i);
    const k = child.codes[i];
    const floor = (marg[k] + 0.5) / (train.length + 0.5 * r);
    ll += Math.log((leaf.dist[k] * 1000 + floor) / 1001);
    h++;
  }
  return { logLik: h > 0 ? ll / h : 0, leaves: leavesOf(tree).length };
}

/**
 * `heldOutTreeLogLik` for several penalty scales from one growth. Growth is best-first, so the
 * tree a penalty P grows is the part of the tree grown with the smallest penalty whose splits (and
 * their ancestors') gained more than P: one growth, pruned per scale, scores them all (the
 * structure search scores thousands of parent sets this way, mechanism-score.ts).
 */
export function heldOutTreeLogLiks(
  child: Coded,
  parents: readonly TreeParent[],
  opts: Omit<TreeOptions, 'penaltyScale'>,
  scales: readonly number[],
  folds = 5,
): { scale: number; logLik: number; leaves: number }[] {
  const n = child.codes.length;
  const train: number[] = [];
  for (let i = 0; i < n; i++) if (i % folds !== 0) train.push(i);
  const rows = Int32Array.from(train);
  const smallest = Math.min(...scales);
  const tree = growTree(child, parents, { ...opts, penaltyScale: smallest }, rows);
  const base = opts.penalty ?? bicPenalty(valuesSeen(child, rows), rows.length);
  const r = child.card;
  const marg = new Float64Array(r);
  for (const i of train) marg[child.codes[i]]++;
  return scales.map((scale) => {
    const penalty = scale * base;
    let ll = 0;
    let h = 0;
    for (let i = 0; i < n; i += folds) {
      let t = tree;
      while (t.kind === 'split' && t.gain > penalty)
        t = t.states.includes(parents[t.parent].codes[i]) ? t.inside : t.outside;
      const k = child.codes[i];
      const floor = (marg[k] + 0.5) / (train.length + 0.5 * r);
      ll += Math.log((t.dist[k] * 1000 + floor) / 1001);
      h++;
    }
    const leaves = (t: TreeNode): number =>
      t.kind === 'split' && t.gain > penalty ? leaves(t.inside) + leaves(t.outside) : 1;
    return { scale, logLik: h > 0 ? ll / h : 0, leaves: leaves(tree) };
  });
}
