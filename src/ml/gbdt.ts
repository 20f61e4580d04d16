/**
 * Histogram gradient-boosted trees (LightGBM-style), binary logloss and multiclass softmax.
 *
 * Written here because the npm options fail at our sizes (measured: ml-cart is O(n²), 98 s on 10k
 * rows; ml-random-forest crashes at 10k rows and ml-xgboost (wasm) at 100k). Design:
 * - features are binned once (≤ maxBins quantile bins, bin 0 = missing; see binning.ts);
 * - a node's histogram is built by one pass over its rows; the larger child's histogram is the
 *   parent's minus the smaller child's (the subtraction trick), so each level costs about half a pass;
 * - numeric splits scan bin prefixes with missing values tried on both sides (learned default
 *   direction); categorical splits are one-vs-rest for few categories, else a prefix of categories
 *   sorted by gradient/hessian ratio (Fisher's optimal partition for a convex loss);
 * - leaf-wise (best gain first) or depth-wise growth, bounded by maxLeaves and maxDepth;
 * - shrinkage, L2 on leaf values, seeded row subsampling, optional early stopping on a held-out part.
 */
import { StrataError } from '../errors.js';
import { streamFor } from '../random/stream.js';
import { applyBins, type BinMapper, fitBinMappers } from './binning.js';
import type { FeatureMatrix } from './features.js';

export interface GbdtOptions {
  rounds?: number;
  learningRate?: number;
  maxDepth?: number;
  maxLeaves?: number;
  minLeaf?: number;
  maxBins?: number;
  l2?: number;
  subsample?: number;
  seed?: number;
  earlyStopping?: { validFraction: number; patience: number };
  /** 'leaf' (default): split the leaf with the best gain first; 'depth': level by level. */
  growth?: 'leaf' | 'depth';
}

export interface GbdtModel {
  nClasses: number;
  /** rows × nClasses, row-major. */
  predictProba(X: FeatureMatrix): Float64Array;
  /** Total gain per feature, sums to 1 (all zeros when no split was made). */
  featureImportance(): Float64Array;
}

interface Tree {
  feature: Int32Array; // -1 for a leaf
  left: Int32Array;
  right: Int32Array;
  /** Offset into `goesLeft` of the node's bin → left? table. */
  setOffset: Int32Array;
  goesLeft: Uint8Array;
  value: Float64Array;
}

interface Split {
  gain: number;
  feature: number;
  /** Bin → 1 when it goes left (bin 0 = missing, so this also holds the default direction). */
  leftBins: Uint8Array;
  leftG: number;
  leftH: number;
  leftC: number;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  g: number;
  h: number;
  depth: number;
  hist: Float64Array | null;
  split: Split | null;
}

const MIN_HESS = 1e-3;
const MIN_GAIN = 1e-10;
const MAX_ONE_HOT = 4;
const CAT_SMOOTH = 10;

interface Resolved {
  rounds: number;
  learningRate: number;
  maxDepth: number;
  maxLeaves: number;
  minLeaf: number;
  maxBins: number;
  l2: number;
  subsample: number;
  seed: number;
  growth: 'leaf' | 'depth';
}

function resolve(o: GbdtOptions): Resolved {
  const r: Resolved = {
    rounds: o.rounds ?? 100,
    learningRate: o.learningRate ?? 0.1,
    maxDepth: o.maxDepth ?? 6,
    maxLeaves: o.maxLeaves ?? 31,
    minLeaf: o.minLeaf ?? 20,
    maxBins: o.maxBins ?? 64,
    l2: o.l2 ?? 1,
    subsample: o.subsample ?? 1,
    seed: o.seed ?? 0,
    growth: o.growth ?? 'leaf',
  };
  const bad = (path: string, msg: string) =>
    new StrataError('ml.gbdt_option', `${path} ${msg}`, { path: `gbdt.${path}` }, 'fix the option value');
  if (!(r.rounds >= 1)) throw bad('rounds', `must be ≥ 1, got ${r.rounds}`);
  if (!(r.learningRate > 0)) throw bad('learningRate', `must be > 0, got ${r.learningRate}`);
  if (!(r.maxDepth >= 1)) throw bad('maxDepth', `must be ≥ 1, got ${r.maxDepth}`);
  if (!(r.maxLeaves >= 2)) throw bad('maxLeaves', `must be ≥ 2, got ${r.maxLeaves}`);
  if (!(r.minLeaf >= 1)) throw bad('minLeaf', `must be ≥ 1, got ${r.minLeaf}`);
  if (!(r.maxBins >= 2 && r.maxBins <= 255)) throw bad('maxBins', `must be in 2..255, got ${r.maxBins}`);
  if (!(r.l2 >= 0)) throw bad('l2', `must be ≥ 0, got ${r.l2}`);
  if (!(r.subsample > 0 && r.subsample <= 1)) throw bad('subsample', `must be in (0, 1], got ${r.subsample}`);
  return r;
}

/** Everything one tree fit needs, allocated once per training run. */
class TreeBuilder {
  readonly nFeat: number;
  readonly binOffset: Int32Array;
  readonly totalBins: number;
  private readonly tmp: Int32Array;
  /** Spare histogram buffers, reused across nodes and trees to spare the garbage collector. */
  private readonly pool: Float64Array[] = [];

  constructor(
    /** Row-major bins, rows × nFeat. */
    private readonly bins: Uint8Array,
    private readonly mappers: readonly BinMapper[],
    private readonly opt: Resolved,
    n: number,
  ) {
    this.nFeat = mappers.length;
    this.binOffset = new Int32Array(this.nFeat + 1);
    for (let f = 0; f < this.nFeat; f++) this.binOffset[f + 1] = this.binOffset[f] + mappers[f].nBins;
    this.totalBins = this.binOffset[this.nFeat];
    this.tmp = new Int32Array(n);
  }

  private histogram(rows: Int32Array, start: number, end: number, grad: Float64Array, hess: Float64Array) {
    const hist = this.pool.pop() ?? new Float64Array(this.totalBins * 3);
    hist.fill(0);
    const F = this.nFeat;
    const bins = this.bins;
    const off = this.binOffset;
    // One pass over the node's rows, all features per row: a row's bins are contiguous.
    for (let t = start; t < end; t++) {
      const r = rows[t];
      const g = grad[r];
      const h = hess[r];
      const rb = r * F;
      for (let f = 0; f < F; f++) {
        const k = (off[f] + bins[rb + f]) * 3;
        hist[k] += g;
        hist[k + 1] += h;
        hist[k + 2] += 1;
      }
    }
    return hist;
  }

  private score(g: number, h: number): number {
    return (g * g) / (h + this.opt.l2);
  }

  private bestSplit(hist: Float64Array, G: number, H: number, C: number): Split | null {
    let best: Split | null = null;
    const parent = this.score(G, H);
    const minLeaf = this.opt.minLeaf;
    const consider = (f: number, gain: number, leftBins: Uint8Array, lg: number, lh: number, lc: number) => {
      if (gain > MIN_GAIN && (best === null || gain > best.gain)) {
        best = { gain, feature: f, leftBins, leftG: lg, leftH: lh, leftC: lc };
      }
    };
    for (let f = 0; f < this.nFeat; f++) {
      const base = this.binOffset[f] * 3;
      const nb = this.mappers[f].nBins;
      const mg = hist[base];
      const mh = hist[base + 1];
      const mc = hist[base + 2];
      if (!this.mappers[f].categorical) {
        // Scan thresholds; missing goes right (pass 0) or left (pass 1). Without missing values
        // in the node, one pass suffices and unseen missing values follow the larger child.
        let bestGain = 0;
        let bestT = -1;
        let bestMissLeft = false;
        let bl = [0, 0, 0];
        for (let pass = 0; pass < (mc > 0 ? 2 : 1); pass++) {
          let lg = pass ? mg : 0;
          let lh = pass ? mh : 0;
          let lc = pass ? mc : 0;
          for (let t = 1; t < nb - 1; t++) {
            const k = base + t * 3;
            lg += hist[k];
            lh += hist[k + 1];
            lc += hist[k + 2];
            if (lc < minLeaf || lh < MIN_HESS) continue;
            const rc = C - lc;
            const rh = H - lh;
            if (rc < minLeaf) break;
            if (rh < MIN_HESS) continue;
            const gain = this.score(lg, lh) + this.score(G - lg, rh) - parent;
            if (gain > bestGain) {
              bestGain = gain;
              bestT = t;
              bestMissLeft = pass === 1;
              bl = [lg, lh, lc];
            }
          }
        }
        if (bestT > 0 && (best === null || bestGain > (best as Split).gain)) {
          const leftBins = new Uint8Array(nb);
          for (let t = 1; t <= bestT; t++) leftBins[t] = 1;
          leftBins[0] = mc > 0 ? (bestMissLeft ? 1 : 0) : bl[2] >= C - bl[2] ? 1 : 0;
          consider(f, bestGain, leftBins, bl[0], bl[1], bl[2]);
        }
        continue;
      }
      // Categorical.
      const cats: number[] = [];
      for (let t = 1; t < nb; t++) if (hist[base + t * 3 + 2] > 0) cats.push(t);
      if (cats.length < 2 && !(cats.length === 1 && mc > 0)) continue;
      let orders: number[][];
      if (cats.length <= MAX_ONE_HOT) {
        orders = cats.map((c) => [c]);
      } else {
        const sorted = cats
          .slice()
          .sort(
            (a, b) =>
              hist[base + a * 3] / (hist[base + a * 3 + 1] + CAT_SMOOTH) -
                hist[base + b * 3] / (hist[base + b * 3 + 1] + CAT_SMOOTH) || a - b,
          );
        orders = [];
        for (let t = 1; t < sorted.length; t++) orders.push(sorted.slice(0, t));
      }
      for (const leftCats of orders) {
        let cg = 0;
        let ch = 0;
        let cc = 0;
        for (const c of leftCats) {
          cg += hist[base + c * 3];
          ch += hist[base + c * 3 + 1];
          cc += hist[base + c * 3 + 2];
        }
        for (let pass = 0; pass < (mc > 0 ? 2 : 1); pass++) {
          const lg = cg + (pass ? mg : 0);
          const lh = ch + (pass ? mh : 0);
          const lc = cc + (pass ? mc : 0);
          const rc = C - lc;
          const rh = H - lh;
          if (lc < minLeaf || rc < minLeaf || lh < MIN_HESS || rh < MIN_HESS) continue;
          const gain = this.score(lg, lh) + this.score(G - lg, rh) - parent;
          if (best === null || gain > (best as Split).gain) {
            const leftBins = new Uint8Array(nb);
            for (const c of leftCats) leftBins[c] = 1;
            leftBins[0] = mc > 0 ? pass : lc >= rc ? 1 : 0;
            consider(f, gain, leftBins, lg, lh, lc);
          }
        }
      }
    }
    return best;
  }

  /** Stable in-place partition of rows[start, end) by the split; returns the first right index. */
  private partition(rows: Int32Array, start: number, end: number, split: Split): number {
    const F = this.nFeat;
    const f = split.feature;
    const b = this.bins;
    const lb = split.leftBins;
    let w = start;
    let r = 0;
    const tmp = this.tmp;
    for (let t = start; t < end; t++) {
      const row = rows[t];
      if (lb[b[row * F + f]]) rows[w++] = row;
      else tmp[r++] = row;
    }
    rows.set(tmp.subarray(0, r), w);
    return w;
  }

  /** Fit one tree to (grad, hess) on rows[0, count); `gains` accumulates per-feature gain. */
  build(rows: Int32Array, count: number, grad: Float64Array, hess: Float64Array, gains: Float64Array): Tree {
    const o = this.opt;
    const feature: number[] = [-1];
    const left: number[] = [-1];
    const right: number[] = [-1];
    const setOffset: number[] = [-1];
    const sets: Uint8Array[] = [];
    const value: number[] = [0];
    let setTotal = 0;

    let G = 0;
    let H = 0;
    for (let t = 0; t < count; t++) {
      G += grad[rows[t]];
      H += hess[rows[t]];
    }
    const rootHist = this.histogram(rows, 0, count, grad, hess);
    const canSplit = (c: number, depth: number) => depth < o.maxDepth && c >= 2 * o.minLeaf;
    const root: Leaf = {
      node: 0,
      start: 0,
      end: count,
      g: G,
      h: H,
      depth: 0,
      hist: rootHist,
      split: canSplit(count, 0) ? this.bestSplit(rootHist, G, H, count) : null,
    };
    const leaves: Leaf[] = [root];
    let nLeaves = 1;
    while (nLeaves < o.maxLeaves) {
      let pick = -1;
      for (let i = 0; i < leaves.length; i++) {
        const s = leaves[i].split;
        if (!s) continue;
        if (pick < 0) {
          pick = i;
          continue;
        }
        const p = leaves[pick];
        const better =
          o.growth === 'depth'
            ? leaves[i].depth < p.depth || (leaves[i].depth === p.depth && s.gain > p.split!.gain)
            : s.gain > p.split!.gain;
        if (better) pick = i;
      }
      if (pick < 0) break;
      const leaf = leaves[pick];
      const s = leaf.split!;
      const mid = this.partition(rows, leaf.start, leaf.end, s);
      const lc = mid - leaf.start;
      const rc = leaf.end - mid;
      // Histogram of the smaller child by a pass; the larger one by subtraction.
      const parentHist = leaf.hist!;
      const smallIsLeft = lc <= rc;
      const small = smallIsLeft
        ? this.histogram(rows, leaf.start, mid, grad, hess)
        : this.histogram(rows, mid, leaf.end, grad, hess);
      for (let k = 0; k < parentHist.length; k++) parentHist[k] -= small[k];
      const lHist = smallIsLeft ? small : parentHist;
      const rHist = smallIsLeft ? parentHist : small;

      gains[s.feature] += s.gain;
      const ln = feature.length;
      const rn = ln + 1;
      feature.push(-1, -1);
      left.push(-1, -1);
      right.push(-1, -1);
      setOffset.push(-1, -1);
      value.push(0, 0);
      feature[leaf.node] = s.feature;
      left[leaf.node] = ln;
      right[leaf.node] = rn;
      setOffset[leaf.node] = setTotal;
      sets.push(s.leftBins);
      setTotal += s.leftBins.length;

      const depth = leaf.depth + 1;
      const lg = s.leftG;
      const lh = s.leftH;
      const rg = leaf.g - lg;
      const rh = leaf.h - lh;
      const lLeaf: Leaf = {
        node: ln,
        start: leaf.start,
        end: mid,
        g: lg,
        h: lh,
        depth,
        hist: lHist,
        split: canSplit(lc, depth) ? this.bestSplit(lHist, lg, lh, lc) : null,
      };
      const rLeaf: Leaf = {
        node: rn,
        start: mid,
        end: leaf.end,
        g: rg,
        h: rh,
        depth,
        hist: rHist,
        split: canSplit(rc, depth) ? this.bestSplit(rHist, rg, rh, rc) : null,
      };
      leaves.splice(pick, 1, lLeaf, rLeaf);
      nLeaves++;
    }
    for (const leaf of leaves) {
      value[leaf.node] = (-leaf.g / (leaf.h + o.l2)) * o.learningRate;
      if (leaf.hist) this.pool.push(leaf.hist);
    }
    const goesLeft = new Uint8Array(setTotal);
    let off = 0;
    for (const s of sets) {
      goesLeft.set(s, off);
      off += s.length;
    }
    return {
      feature: Int32Array.from(feature),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      setOffset: Int32Array.from(setOffset),
      goesLeft,
      value: Float64Array.from(value),
    };
  }
}

/** Add the tree's output for every row to score[i * stride + cls]. */
function addTree(
  tree: Tree,
  bins: Uint8Array,
  nFeat: number,
  n: number,
  score: Float64Array,
  stride: number,
  cls: number,
) {
  const { feature, left, right, setOffset, goesLeft, value } = tree;
  for (let i = 0; i < n; i++) {
    let node = 0;
    let f = feature[0];
    const rb = i * nFeat;
    while (f >= 0) {
      node = goesLeft[setOffset[node] + bins[rb + f]] ? left[node] : right[node];
      f = feature[node];
    }
    score[i * stride + cls] += value[node];
  }
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Scores (one per class, or one for binary) → probabilities, rows × nClasses. */
function scoresToProba(score: Float64Array, n: number, nClasses: number): Float64Array {
  const out = new Float64Array(n * nClasses);
  if (nClasses === 2) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(score[i]);
      out[i * 2] = 1 - p;
      out[i * 2 + 1] = p;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    let mx = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < nClasses; c++) mx = Math.max(mx, score[i * nClasses + c]);
    let sum = 0;
    for (let c = 0; c < nClasses; c++) {
      const e = Math.exp(score[i * nClasses + c] - mx);
      out[i * nClasses + c] = e;
      sum += e;
    }
    for (let c = 0; c < nClasses; c++) out[i * nClasses + c] /= sum;
  }
  return out;
}

class HistGbdtModel implements GbdtModel {
  constructor(
    readonly nClasses: number,
    private readonly nFeatures: number,
    private readonly mappers: readonly BinMapper[],
    private readonly init: Float64Array,
    /** rounds × treesPerRound, round-major. */
    private readonly trees: Tree[],
    private readonly gains: Float64Array,
  ) {}

  predictProba(X: FeatureMatrix): Float64Array {
    if (X.cols !== this.nFeatures) {
      throw new StrataError(
        'ml.feature_count',
        `model was trained on ${this.nFeatures} features but got ${X.cols}`,
        {},
        'predict with a matrix built the same way as the training matrix',
      );
    }
    const bins = applyBins(X, this.mappers);
    const stride = this.init.length;
    const score = new Float64Array(X.rows * stride);
    for (let i = 0; i < X.rows; i++) for (let c = 0; c < stride; c++) score[i * stride + c] = this.init[c];
    this.trees.forEach((t, k) => {
      addTree(t, bins, X.cols, X.rows, score, stride, k % stride);
    });
    return scoresToProba(score, X.rows, this.nClasses);
  }

  featureImportance(): Float64Array {
    const total = this.gains.reduce((a, b) => a + b, 0);
    return total > 0 ? this.gains.map((g) => g / total) : new Float64Array(this.gains.length);
  }
}

function checkLabels(X: FeatureMatrix, y: Int32Array, nClasses: number): void {
  if (!Number.isInteger(nClasses) || nClasses < 2) {
    throw new StrataError('ml.classes', `need at least 2 classes, got ${nClasses}`, { path: 'nClasses' });
  }
  if (y.length !== X.rows) {
    throw new StrataError('ml.label_count', `got ${y.length} labels for ${X.rows} rows`, { path: 'y' });
  }
  for (let i = 0; i < y.length; i++) {
    if (y[i] < 0 || y[i] >= nClasses) {
      throw new StrataError(
        'ml.label_range',
        `label ${y[i]} is outside 0..${nClasses - 1}`,
        { path: `y[${i}]` },
        'encode labels as 0..nClasses-1',
      );
    }
  }
}

/** Train a binary (nClasses = 2, logloss) or multiclass (softmax, one tree per class per round) model. */
export function trainGbdt(
  X: FeatureMatrix,
  y: Int32Array,
  nClasses: number,
  opts: GbdtOptions = {},
): GbdtModel {
  checkLabels(X, y, nClasses);
  const o = resolve(opts);
  const n = X.rows;
  const K = nClasses === 2 ? 1 : nClasses; // trees per round
  const mappers = fitBinMappers(X, o.maxBins, o.seed);
  const bins = applyBins(X, mappers);

  // Split off a validation part for early stopping.
  const isValid = new Uint8Array(n);
  const es = opts.earlyStopping;
  if (es && es.validFraction > 0 && es.validFraction < 1) {
    const s = streamFor(o.seed, 'ml', 'gbdt', 'valid');
    for (let i = 0; i < n; i++) isValid[i] = s.nextFloat() < es.validFraction ? 1 : 0;
  }
  const trainIdx: number[] = [];
  const validIdx: number[] = [];
  for (let i = 0; i < n; i++) (isValid[i] ? validIdx : trainIdx).push(i);

  // Initial scores from class priors of the training part.
  const counts = new Float64Array(nClasses);
  for (const i of trainIdx) counts[y[i]]++;
  const init = new Float64Array(K);
  const nt = Math.max(trainIdx.length, 1);
  if (K === 1) {
    const p = Math.min(Math.max(counts[1] / nt, 1e-6), 1 - 1e-6);
    init[0] = Math.log(p / (1 - p));
  } else {
    for (let c = 0; c < K; c++) init[c] = Math.log(Math.max(counts[c] / nt, 1e-6));
  }

  const score = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let c = 0; c < K; c++) score[i * K + c] = init[c];
  const grad = new Float64Array(n * K);
  const hess = new Float64Array(n * K);
  const gradK = new Float64Array(n);
  const hessK = new Float64Array(n);
  const rows = new Int32Array(n);
  const gains = new Float64Array(X.cols);
  const builder = new TreeBuilder(bins, mappers, o, n);
  const trees: Tree[] = [];
  const bagStream = streamFor(o.seed, 'ml', 'gbdt', 'bag');
  const prob = new Float64Array(K === 1 ? 1 : K);

  let bestLoss = Number.POSITIVE_INFINITY;
  let bestRounds = 0;
  let sinceBest = 0;
  const roundGains: Float64Array[] = [];

  for (let round = 0; round < o.rounds; round++) {
    // Gradients of the loss at the current scores.
    for (let i = 0; i < n; i++) {
      if (K === 1) {
        const p = sigmoid(score[i]);
        grad[i] = p - (y[i] === 1 ? 1 : 0);
        hess[i] = Math.max(p * (1 - p), 1e-16);
        continue;
      }
      let mx = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < K; c++) mx = Math.max(mx, score[i * K + c]);
      let sum = 0;
      for (let c = 0; c < K; c++) {
        prob[c] = Math.exp(score[i * K + c] - mx);
        sum += prob[c];
      }
      for (let c = 0; c < K; c++) {
        const p = prob[c] / sum;
        grad[i * K + c] = p - (y[i] === c ? 1 : 0);
        hess[i * K + c] = Math.max(p * (1 - p), 1e-16);
      }
    }
    // Rows in this round's bag.
    let count = 0;
    for (const i of trainIdx) {
      if (o.subsample >= 1 || bagStream.nextFloat() < o.subsample) rows[count++] = i;
    }
    const gainsThisRound = new Float64Array(X.cols);
    for (let c = 0; c < K; c++) {
      for (let i = 0; i < n; i++) {
        gradK[i] = grad[i * K + c];
        hessK[i] = hess[i * K + c];
      }
      const tree = builder.build(rows, count, gradK, hessK, gainsThisRound);
      addTree(tree, bins, X.cols, n, score, K, c);
      trees.push(tree);
    }
    roundGains.push(gainsThisRound);

    if (es && validIdx.length > 0) {
      const loss = validLogLoss(score, y, validIdx, K);
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        bestRounds = round + 1;
        sinceBest = 0;
      } else if (++sinceBest >= es.patience) {
        break;
      }
    } else {
      bestRounds = round + 1;
    }
  }
  trees.length = bestRounds * K;
  for (let r = 0; r < bestRounds; r++) for (let f = 0; f < X.cols; f++) gains[f] += roundGains[r][f];
  return new HistGbdtModel(nClasses, X.cols, mappers, init, trees, gains);
}

function validLogLoss(score: Float64Array, y: Int32Array, idx: readonly number[], K: number): number {
  let loss = 0;
  for (const i of idx) {
    if (K === 1) {
      const p = sigmoid(score[i]);
      loss -= Math.log(Math.max(y[i] === 1 ? p : 1 - p, 1e-15));
      continue;
    }
    let mx = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < K; c++) mx = Math.max(mx, score[i * K + c]);
    let sum = 0;
    for (let c = 0; c < K; c++) sum += Math.exp(score[i * K + c] - mx);
    loss -= score[i * K + y[i]] - mx - Math.log(sum);
  }
  return loss / idx.length;
}
