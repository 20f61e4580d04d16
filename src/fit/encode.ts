/**
 * Turn typed columns into integer-coded network nodes.
 *
 * Every modelled column becomes a node with `card` states coded 0..card-1 per row (missing is its
 * own last state). Categorical columns code their (pooled) values; numeric columns code quantile
 * bins whose cut points are the `breaks` the engine uses to discretise the column as a parent.
 * Rare categories (< minCount rows) are pooled into `(other)` here, before anything else sees
 * the data, so no later stage can leak them.
 */
import { cleanValue, type InferredColumn, numericValues } from '../data/infer.js';
import { MISSING_STATE } from '../model/conditional-rows.js';

export const OTHER = '(other)';
/** The state label of a missing value (never a value's text: a category "NA" is its own state). */
export { MISSING_STATE };

export interface NodeColumn {
  name: string;
  info: InferredColumn;
  /** discrete: modelled by value tables; numeric: by quantile knots per parent state. */
  role: 'discrete' | 'numeric';
  /** Per-row state code; missing rows get `card - 1` when `hasMissing`. */
  codes: Int32Array;
  card: number;
  hasMissing: boolean;
  /** The `when` label of each state (values, bin indices "0".."k", or "NA"). */
  stateLabels: string[];
  /** discrete: the value of each non-missing state (pooled rare values are `(other)`). */
  labels: string[];
  /** numeric: cut points of the states (state i = [breaks[i-1], breaks[i])). */
  breaks: number[];
  /** numeric: the values (NaN = missing); epoch ms for datetimes. */
  values: Float64Array;
  /** How many distinct values were pooled into `(other)`. */
  pooled: number;
}

export interface EncodeOptions {
  minCount: number;
  /** Maximum number of bins for numeric columns in structure learning. */
  maxBins?: number;
  /** Integer columns with at most this many distinct values (each seen ≥ minCount times) are discrete. */
  maxIntegerLevels?: number;
}

/** Is this inferred column modelled in the network? (ids, free text, empty columns are not.) */
export function isModelled(info: InferredColumn): boolean {
  return info.kind !== 'id' && info.kind !== 'text' && info.kind !== 'empty';
}

/** Number of structure bins for n rows: fewer bins for small tables keep the counts reliable. */
export function binCount(n: number, maxBins = 8): number {
  return Math.max(2, Math.min(maxBins, Math.floor(Math.log2(Math.max(n, 2))) - 4));
}

/**
 * Cut points that split sorted values into about `bins` groups of equal size, never splitting a
 * tie; with `isolate`, a tie group holding at least half a bin's share (a point mass: 92% zeros, 8% of bills at
 * exactly 0 between the negative and positive ones) gets a bin of its own, so a child can tell
 * "exactly 0" from "close to 0".
 */
export function quantileBreaks(sorted: Float64Array, bins: number, isolate = true): number[] {
  const n = sorted.length;
  const breaks: number[] = [];
  if (n === 0) return breaks;
  const tieEnd = (i: number) => {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    return j;
  };
  let start = 0;
  let remainingBins = bins;
  while (start < n && remainingBins > 1) {
    const target = (n - start) / remainingBins;
    const big = Math.max(2, target / 2);
    let end: number;
    const first = tieEnd(start);
    if (isolate && first - start >= big) end = first;
    else {
      end = start + Math.max(1, Math.round(target));
      // A big tie group starting inside this bin starts the next one instead.
      for (let i = first; i < Math.min(end, n); ) {
        const j = tieEnd(i);
        if (isolate && j - i >= big) {
          end = i;
          break;
        }
        i = j;
      }
      if (end >= n) break;
      // Move the cut to the end of the tie group containing sorted[end - 1].
      while (end < n && sorted[end] === sorted[end - 1]) end++;
    }
    if (end >= n) break;
    breaks.push(sorted[end]);
    start = end;
    remainingBins--;
  }
  return breaks;
}

/** State index of x given ascending breaks (state i = [breaks[i-1], breaks[i])). */
export function binOf(x: number, breaks: readonly number[]): number {
  let lo = 0;
  let hi = breaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x >= breaks[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Canonical label of a numeric value as the engine prints it ("-0" → "0", no trailing zeros). */
export function numberLabel(v: number): string {
  return String(v === 0 ? 0 : v);
}

/** A numeric node coded on the given cut points: state = bin index, missing its own last state. */
function numericNode(
  info: InferredColumn,
  values: Float64Array,
  hasMissing: boolean,
  breaks: number[],
): NodeColumn {
  const states = breaks.length + 1;
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++)
    codes[i] = Number.isNaN(values[i]) ? states : binOf(values[i], breaks);
  const stateLabels = Array.from({ length: states }, (_, i) => String(i));
  if (hasMissing) stateLabels.push(MISSING_STATE);
  return {
    name: info.name,
    info,
    role: 'numeric',
    codes,
    card: states + (hasMissing ? 1 : 0),
    hasMissing,
    stateLabels,
    labels: [],
    breaks,
    values,
    pooled: 0,
  };
}

/** The same numeric node re-coded on other cut points (finer bins, band edges). */
export function recodeNumericNode(node: NodeColumn, breaks: number[]): NodeColumn {
  return { ...numericNode(node.info, node.values, node.hasMissing, breaks), pooled: node.pooled };
}

/** Encode one column as a network node. */
export function encodeColumn(
  info: InferredColumn,
  raw: readonly (string | null)[],
  opts: EncodeOptions,
): NodeColumn {
  const n = raw.length;
  const maxLevels = opts.maxIntegerLevels ?? 20;
  const codes = new Int32Array(n);
  if (info.kind === 'integer' || info.kind === 'number' || info.kind === 'datetime' || info.kind === 'date') {
    const values = numericValues(info, raw);
    const counts = new Map<number, number>();
    let missing = 0;
    for (const v of values) {
      if (Number.isNaN(v)) missing++;
      else counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    // Integer codes with few levels (payment status −2..8, a 1–4 rating) are categories. Levels
    // seen in fewer than k rows are merged into the nearest kept level, as rare categories are
    // pooled: allowed when they hold under 1% of the rows, so the column's shape is kept.
    const present = n - missing;
    const kept = [...counts].filter(([, c]) => c >= opts.minCount).map(([v]) => v);
    const rareRows = [...counts].filter(([, c]) => c < opts.minCount).reduce((t, [, c]) => t + c, 0);
    const fewLevels =
      info.kind === 'integer' && counts.size <= maxLevels && kept.length >= 2 && rareRows <= 0.01 * present;
    if (fewLevels) {
      const levels = kept.sort((a, b) => a - b);
      const index = new Map(levels.map((v, i) => [v, i]));
      const nearest = (x: number): number => {
        let best = 0;
        for (let k = 1; k < levels.length; k++)
          if (Math.abs(levels[k] - x) < Math.abs(levels[best] - x)) best = k;
        return best;
      };
      for (const v of counts.keys()) if (!index.has(v)) index.set(v, nearest(v));
      const hasMissing = missing > 0;
      for (let i = 0; i < n; i++) codes[i] = Number.isNaN(values[i]) ? levels.length : index.get(values[i])!;
      const labels = levels.map(numberLabel);
      return {
        name: info.name,
        info,
        role: 'discrete',
        codes,
        card: levels.length + (hasMissing ? 1 : 0),
        hasMissing,
        stateLabels: hasMissing ? [...labels, MISSING_STATE] : labels,
        labels,
        breaks: [],
        values,
        pooled: counts.size - levels.length,
      };
    }
    const sortedPresent = values.filter((v) => !Number.isNaN(v)).sort();
    // Structure bins keep point masses with their neighbours (isolating them changed Adult's learned
    // graph for the worse: detection AUC 0.596 → 0.606); the child tables' finer bins
    // (refine.ts) isolate them.
    const breaks = quantileBreaks(sortedPresent, binCount(sortedPresent.length, opts.maxBins), false);
    return numericNode(info, values, missing > 0, breaks);
  }

  // Categorical (category, boolean): pool rare values.
  const cleaned = raw.map(cleanValue);
  const counts = new Map<string, number>();
  for (const v of cleaned) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  const kept = [...counts.entries()].filter(([, c]) => c >= opts.minCount).map(([v]) => v);
  const pooled = counts.size - kept.length;
  // Frequent values first (readable model files), ties by value for determinism.
  kept.sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  const labels = pooled > 0 ? [...kept, OTHER] : kept;
  const index = new Map(kept.map((v, i) => [v, i]));
  let hasMissing = false;
  for (let i = 0; i < n; i++) {
    const v = cleaned[i];
    if (v === null) {
      hasMissing = true;
      codes[i] = -1;
    } else codes[i] = index.get(v) ?? kept.length;
  }
  const card = labels.length + (hasMissing ? 1 : 0);
  if (hasMissing) for (let i = 0; i < n; i++) if (codes[i] === -1) codes[i] = labels.length;
  return {
    name: info.name,
    info,
    role: 'discrete',
    codes,
    card: Math.max(card, 1),
    hasMissing,
    stateLabels: hasMissing ? [...labels, MISSING_STATE] : labels,
    labels,
    breaks: [],
    values: new Float64Array(0),
    pooled,
  };
}
