/**
 * A synthpop-style sequential CART synthesizer, used only as a reference measured in the same run
 * as `strata fit` (bench/fit.bench.ts). It is not part of Strata and not exported: it copies
 * observed values, keeps no rules, coverage or readable model, and exists so the benchmark can
 * print Strata's figures beside a well-known, strong, copy-prone baseline (the anchor:
 * synthpop CART reaches 0.990 accuracy on Adult but a DCR share of 0.551).
 *
 * Method (after synthpop's default `cart` method, written from its description, not its code):
 * columns are visited in file order; the first is drawn from its observed values; every later
 * column is drawn from a leaf of a tree grown on all columns before it, and a leaf yields one of
 * its training values at random. Numeric targets split on the variance of their ranks, categorical
 * targets on Gini impurity. Features are numbers, or categories coded by frequency rank (an
 * ordinal shortcut synthpop does not take; it only narrows which splits are found). Splits are
 * searched over at most 32 quantile thresholds per feature. Missing values are their own value.
 * Own code, because no maintained npm package grows CART trees for this use.
 */
import type { RawTable } from '../../src/io/index.js';
import type { Stream } from '../../src/random/stream.js';

export interface CartOptions {
  /** Fewest training rows in a leaf (synthpop's minbucket, default 5). */
  minLeaf?: number;
  /** Deepest split level (default 30: in practice only minLeaf stops growth). */
  maxDepth?: number;
  /** Candidate thresholds per feature (default 32). */
  thresholds?: number;
}

type Tree = { feature: number; threshold: number; left: Tree; right: Tree } | { rows: number[] };

const MISSING = Number.NEGATIVE_INFINITY;

interface Encoded {
  values: Float64Array;
  decode: (v: number) => string | null;
  categorical: boolean;
}

function encodeColumn(raw: readonly (string | null)[]): Encoded {
  const numeric = raw.every((v) => v === null || v.trim() === '' || Number.isFinite(Number(v)));
  if (numeric) {
    return {
      values: Float64Array.from(raw, (v) => (v === null || v.trim() === '' ? MISSING : Number(v))),
      decode: (v) => (v === MISSING ? null : String(v)),
      categorical: false,
    };
  }
  const freq = new Map<string, number>();
  for (const v of raw) if (v !== null) freq.set(v, (freq.get(v) ?? 0) + 1);
  const labels = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
  const code = new Map(labels.map((k, i) => [k, i]));
  return {
    values: Float64Array.from(raw, (v) => (v === null ? MISSING : (code.get(v) ?? MISSING))),
    decode: (v) => (v === MISSING ? null : labels[v]),
    categorical: true,
  };
}

function thresholdsOf(v: Float64Array, k: number): number[] {
  const sorted = Float64Array.from(v).sort();
  const cuts = new Set<number>();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  if (distinct.length <= k) {
    for (let i = 1; i < distinct.length; i++) cuts.add(distinct[i]);
  } else {
    for (let q = 1; q < k; q++) cuts.add(sorted[Math.floor((q * sorted.length) / k)]);
  }
  // a threshold t sends x < t left; the smallest value never separates anything
  cuts.delete(sorted[0]);
  return [...cuts].sort((a, b) => a - b);
}

/** Mid-ranks in [0, 1]: the regression target of a numeric column. */
function ranks(v: Float64Array): Float64Array {
  const order = Array.from(v.keys()).sort((a, b) => v[a] - v[b]);
  const r = new Float64Array(v.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && v[order[j]] === v[order[i]]) j++;
    for (let k = i; k < j; k++) r[order[k]] = (i + j - 1) / 2 / Math.max(1, v.length - 1);
    i = j;
  }
  return r;
}

interface Grower {
  X: Float64Array[];
  cuts: number[][];
  minLeaf: number;
  maxDepth: number;
}

/** Impurity × count of a set of rows: rank variance (numeric) or Gini (categorical). */
type Impurity = (stats: Float64Array, n: number) => number;

function grow(
  g: Grower,
  y: Float64Array,
  classes: number,
  features: number[],
  rows: number[],
  depth: number,
): Tree {
  if (depth >= g.maxDepth || rows.length < 2 * g.minLeaf) return { rows };
  // stats per bin: [sum, sumsq] for numeric targets, class counts for categorical ones
  const width = classes > 0 ? classes : 2;
  const impurity: Impurity =
    classes > 0
      ? (s, n) => {
          let q = 0;
          for (let c = 0; c < classes; c++) q += s[c] * s[c];
          return n - q / n;
        }
      : (s, n) => s[1] - (s[0] * s[0]) / n;
  const add = (s: Float64Array, off: number, i: number) => {
    if (classes > 0) s[off + y[i]]++;
    else {
      s[off] += y[i];
      s[off + 1] += y[i] * y[i];
    }
  };
  const total = new Float64Array(width);
  for (const i of rows) add(total, 0, i);
  const parent = impurity(total, rows.length);
  let best = { gain: 1e-9 * rows.length, feature: -1, threshold: 0 };
  const left = new Float64Array(width);
  const right = new Float64Array(width);
  for (const f of features) {
    const cuts = g.cuts[f];
    if (cuts.length === 0) continue;
    const bins = cuts.length + 1;
    const stats = new Float64Array(bins * width);
    const counts = new Float64Array(bins);
    const x = g.X[f];
    for (const i of rows) {
      let lo = 0;
      let hi = cuts.length;
      while (lo < hi) {
        const m = (lo + hi) >> 1;
        if (x[i] < cuts[m]) hi = m;
        else lo = m + 1;
      }
      add(stats, lo * width, i);
      counts[lo]++;
    }
    left.fill(0);
    let nl = 0;
    for (let b = 0; b < bins - 1; b++) {
      for (let w = 0; w < width; w++) left[w] += stats[b * width + w];
      nl += counts[b];
      const nr = rows.length - nl;
      if (nl < g.minLeaf || nr < g.minLeaf) continue;
      for (let w = 0; w < width; w++) right[w] = total[w] - left[w];
      const gain = parent - impurity(left, nl) - impurity(right, nr);
      if (gain > best.gain) best = { gain, feature: f, threshold: cuts[b] };
    }
  }
  if (best.feature < 0) return { rows };
  const x = g.X[best.feature];
  const l = rows.filter((i) => x[i] < best.threshold);
  const r = rows.filter((i) => x[i] >= best.threshold);
  return {
    feature: best.feature,
    threshold: best.threshold,
    left: grow(g, y, classes, features, l, depth + 1),
    right: grow(g, y, classes, features, r, depth + 1),
  };
}

/** The sequential trees grown on one training table (grown once, drawn from per seed). */
export interface CartModel {
  train: RawTable;
  enc: Encoded[];
  trees: Tree[];
}

/** Grow the sequential trees on `train`: one per column after the first. */
export function cartFit(train: RawTable, opts: CartOptions = {}): CartModel {
  const enc = train.data.map((col) => encodeColumn(col));
  const X = enc.map((e) => e.values);
  const g: Grower = {
    X,
    cuts: X.map((v) => thresholdsOf(v, opts.thresholds ?? 32)),
    minLeaf: opts.minLeaf ?? 5,
    maxDepth: opts.maxDepth ?? 30,
  };
  const all = Array.from({ length: train.rowCount }, (_, i) => i);
  const trees: Tree[] = enc.map((e, c) => {
    if (c === 0) return { rows: all };
    const features = Array.from({ length: c }, (_, i) => i);
    if (!e.categorical) return grow(g, ranks(e.values), 0, features, all, 0);
    // categorical target: class index = frequency code; missing gets the last class
    const k = Math.max(0, ...Array.from(e.values).filter((v) => v !== MISSING)) + 2;
    const y = Float64Array.from(e.values, (v) => (v === MISSING ? k - 1 : v));
    return grow(g, y, k, features, all, 0);
  });
  return { train, enc, trees };
}

/** Draw `rows` synthetic rows (columns as in the training table) from grown trees. */
export function cartSample(model: CartModel, rows: number, stream: Stream): RawTable {
  const { train, enc, trees } = model;
  const X = enc.map((e) => e.values);
  const out = enc.map(() => new Array<string | null>(rows));
  const row = new Float64Array(enc.length);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < enc.length; c++) {
      let node = trees[c];
      while (!('rows' in node)) node = row[node.feature] < node.threshold ? node.left : node.right;
      const v = X[c][node.rows[stream.nextInt(node.rows.length)]];
      row[c] = v;
      out[c][i] = enc[c].decode(v);
    }
  }
  return { ...train, name: `${train.name}-cart`, source: 'cart baseline', rowCount: rows, data: out };
}

/** Fit the sequential trees on `train` and draw `rows` synthetic rows (columns as in train). */
export function cartSynthesize(
  train: RawTable,
  rows: number,
  stream: Stream,
  opts: CartOptions = {},
): RawTable {
  return cartSample(cartFit(train, opts), rows, stream);
}
