/**
 * Quantile-knot models of numeric values: point masses (atoms) plus a continuous part described
 * by knots at equally spaced probabilities (the `empirical` distribution of the spec).
 *
 * Ties in integer / rounded data are spread evenly over their rounding interval before the
 * quantiles are taken ("dequantisation"), so rounding the generated values gives back the
 * observed frequencies instead of piling mass on the knots. Pure functions.
 */

export interface EmpiricalModel {
  /** Point masses: value → probability (of the non-missing values). */
  atoms: Map<number, number>;
  /** Probability of the continuous part (1 − Σ atoms − Σ offsets). */
  contMass: number;
  /** Anchored models only ("parent + residual"): point masses at anchor + key. */
  offsets?: Map<number, number>;
  /** Anchored models with a copy parent only: the probability of repeating its value exactly. */
  copied?: number;
  /** Quantile knots of the continuous part (≥ 2, non-decreasing), or null when it is empty. */
  knots: number[] | null;
}

/** How a column's values were rounded: the width of the interval a recorded value stands for. */
export interface Granularity {
  width: number;
  /** `centre`: value ± width/2 (integers, decimals); `floor`: [value, value + width) (dates). */
  anchor: 'centre' | 'floor';
  lo: number;
  hi: number;
}

/** Spread each tie group evenly over its rounding interval; input sorted ascending. */
export function dequantise(sorted: readonly number[], g: Granularity): Float64Array {
  const out = new Float64Array(sorted.length);
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const c = j - i;
    for (let t = 0; t < c; t++) {
      const off = g.width === 0 ? 0 : g.width * ((t + 0.5) / c - (g.anchor === 'centre' ? 0.5 : 0));
      out[i + t] = sorted[i] + off;
    }
    i = j;
  }
  return out;
}

/** Linear-interpolated quantile (type 7) of sorted data. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 1) return sorted[0];
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Number of knots for a continuous part of m values: more data, finer quantiles. */
export function knotCount(m: number, maxKnots = 121): number {
  // 4√m: skewed states (bill amounts) need dense knots, or linear interpolation over a long gap
  // spreads the top interval's mass far up the tail (Taiwan BILL_AMT univariate 0.96 → 0.98 with
  // 2√m → 4√m). At most m/4 knots, so every knot still summarises several rows in small states.
  return Math.max(5, Math.min(maxKnots, Math.round(4 * Math.sqrt(m)), Math.floor(m / 4)));
}

/**
 * Knots at p = i/(k−1) of sorted (dequantised) values, clamped to the granularity's bounds.
 *
 * The two end knots are not the extremes: linear interpolation spreads the last interval's mass
 * evenly up to its end, so with a heavy tail (one bill of 900k above a top decile near 200k) the
 * interval's mean lands far above the data's. The end knot is placed so that the interval's mean
 * is the mean of the values in it (2·mean − inner knot, kept between the inner knot and the
 * extreme). Along a chain of tied columns the old extremes compounded: Taiwan's BILL_AMT2 median
 * was 6% high per link in-sample.
 */
export function knotsOf(deq: ArrayLike<number>, k: number, g: Granularity): number[] {
  const knots: number[] = [];
  for (let i = 0; i < k; i++) {
    const q = quantileSorted(deq, i / (k - 1));
    knots.push(Math.min(g.hi, Math.max(g.lo, q)));
  }
  const n = deq.length;
  if (k >= 3 && n >= 2 * k) {
    const inner = knots[k - 2];
    let sum = 0;
    let c = 0;
    for (let i = n - 1; i >= 0 && deq[i] >= inner; i--) {
      sum += deq[i];
      c++;
    }
    if (c > 0) knots[k - 1] = Math.min(knots[k - 1], Math.max(inner, 2 * (sum / c) - inner));
    const innerLo = knots[1];
    sum = 0;
    c = 0;
    for (let i = 0; i < n && deq[i] <= innerLo; i++) {
      sum += deq[i];
      c++;
    }
    if (c > 0) knots[0] = Math.max(knots[0], Math.min(innerLo, 2 * (sum / c) - innerLo));
  }
  return knots;
}

/** Build a model from raw values (no NaN) given the column's atom set. */
export function empiricalFromValues(
  values: readonly number[],
  atomSet: ReadonlySet<number>,
  g: Granularity,
  maxKnots?: number,
): EmpiricalModel {
  const m = values.length;
  const atoms = new Map<number, number>();
  const cont: number[] = [];
  for (const v of values) {
    if (atomSet.has(v)) atoms.set(v, (atoms.get(v) ?? 0) + 1);
    else cont.push(v);
  }
  for (const [a, c] of atoms) atoms.set(a, c / m);
  cont.sort((a, b) => a - b);
  const contMass = cont.length / m;
  if (cont.length === 0) return { atoms, contMass: 0, knots: null };
  // Tie groups closer together than the rounding width overlap once spread (an anchored child's
  // offsets 0.1 apart, width 1), so the spread values are sorted again: knotsOf reads quantiles of
  // sorted data, and unsorted it wrote decreasing knots the model compiler rejects.
  const deq = dequantise(cont, g).sort();
  return { atoms, contMass, knots: knotsOf(deq, knotCount(cont.length, maxKnots), g) };
}

/**
 * Build a model from a histogram: atom counts plus counts of contiguous bins [edges[b], edges[b+1]]
 * with uniform mass inside each bin (used for the differentially private path, where only
 * noisy counts may be used).
 */
export function empiricalFromHistogram(
  atomValues: readonly number[],
  atomCounts: ArrayLike<number>,
  edges: readonly number[],
  binCounts: ArrayLike<number>,
  maxKnots = 41,
): EmpiricalModel | null {
  let atomTotal = 0;
  for (let i = 0; i < atomValues.length; i++) atomTotal += atomCounts[i];
  let binTotal = 0;
  for (let i = 0; i < binCounts.length; i++) binTotal += binCounts[i];
  const total = atomTotal + binTotal;
  if (!(total > 0)) return null;
  const atoms = new Map<number, number>();
  atomValues.forEach((a, i) => {
    if (atomCounts[i] > 0) atoms.set(a, atomCounts[i] / total);
  });
  if (!(binTotal > 0)) return { atoms, contMass: 0, knots: null };
  const k = knotCount(binTotal, maxKnots);
  const knots: number[] = [];
  let b = 0;
  let cum = 0;
  for (let i = 0; i < k; i++) {
    const target = (i / (k - 1)) * binTotal;
    while (b < binCounts.length - 1 && cum + binCounts[b] < target) {
      cum += binCounts[b];
      b++;
    }
    const inBin = binCounts[b] > 0 ? Math.min(1, Math.max(0, (target - cum) / binCounts[b])) : 0;
    knots.push(edges[b] + inBin * (edges[b + 1] - edges[b]));
  }
  for (let i = 1; i < knots.length; i++) if (knots[i] < knots[i - 1]) knots[i] = knots[i - 1];
  return { atoms, contMass: binTotal / total, knots };
}

/** Quantile of knots at probability p (linear between knots). */
export function knotQuantile(knots: readonly number[], p: number): number {
  return quantileSorted(knots, Math.min(1, Math.max(0, p)));
}

/**
 * Shrink a state's model toward the marginal with weight w on the state (w → 1 for large states):
 * atom probabilities and continuous mass are mixed; continuous quantiles are averaged.
 */
export function shrinkToward(state: EmpiricalModel, marginal: EmpiricalModel, w: number): EmpiricalModel {
  const atoms = mixMaps(state.atoms, marginal.atoms, w)!;
  const offsets = mixMaps(state.offsets, marginal.offsets, w);
  const copied = mixCopied(state, marginal, w);
  const cs = w * state.contMass;
  const cm = (1 - w) * marginal.contMass;
  const contMass = cs + cm;
  let knots: number[] | null = null;
  if (state.knots && marginal.knots && contMass > 0) {
    const ws = cs / contMass;
    const k = state.knots.length;
    knots = state.knots.map((x, i) => ws * x + (1 - ws) * knotQuantile(marginal.knots!, i / (k - 1)));
  } else knots = state.knots ?? marginal.knots;
  return withCopied(offsets ? { atoms, contMass, knots, offsets } : { atoms, contMass, knots }, copied);
}

/** w·a + (1 − w)·b of the copy masses; undefined when neither side has one. */
function mixCopied(a: EmpiricalModel, b: EmpiricalModel, w: number): number | undefined {
  if (a.copied === undefined && b.copied === undefined) return undefined;
  return w * (a.copied ?? 0) + (1 - w) * (b.copied ?? 0);
}

const withCopied = (m: EmpiricalModel, copied: number | undefined): EmpiricalModel =>
  copied === undefined ? m : { ...m, copied };

/** w·a + (1 − w)·b over the union of keys; undefined when both are absent. */
function mixMaps(
  a: ReadonlyMap<number, number> | undefined,
  b: ReadonlyMap<number, number> | undefined,
  w: number,
): Map<number, number> | undefined {
  if (!a && !b) return undefined;
  const out = new Map<number, number>();
  for (const [k, p] of b ?? []) out.set(k, (1 - w) * p);
  for (const [k, p] of a ?? []) out.set(k, (out.get(k) ?? 0) + w * p);
  return out;
}

/** CDF of the piecewise-linear quantile function given by knots (equal probability steps). */
export function knotCdf(knots: readonly number[], x: number): number {
  const k = knots.length;
  if (x < knots[0]) return 0;
  if (x >= knots[k - 1]) return 1;
  let lo = 0;
  let hi = k - 1;
  // largest i with knots[i] <= x
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (knots[mid] <= x) lo = mid;
    else hi = mid;
  }
  const span = knots[lo + 1] - knots[lo];
  const f = span > 0 ? (x - knots[lo]) / span : 1;
  return (lo + f) / (k - 1);
}

/**
 * Shrink a state's model toward a target by *mixing* (weight w on the state): the result is the
 * distribution of "with probability w draw from the state, else from the target", re-expressed
 * as atoms + quantile knots (the mixture CDF inverted by bisection at the knot probabilities).
 * Unlike averaging quantiles (`shrinkToward`), a mixture never moves a state's mass to values
 * neither side has: a state of small values stays small instead of being pulled to the middle.
 * `maxKnots` caps the knots taken from the target (never below the state's own count).
 */
export function mixToward(
  state: EmpiricalModel,
  target: EmpiricalModel,
  w: number,
  maxKnots = Number.POSITIVE_INFINITY,
): EmpiricalModel {
  const atoms = mixMaps(state.atoms, target.atoms, w)!;
  const offsets = mixMaps(state.offsets, target.offsets, w);
  const copied = mixCopied(state, target, w);
  const cs = state.knots ? w * state.contMass : 0;
  const ct = target.knots ? (1 - w) * target.contMass : 0;
  const contMass = cs + ct;
  const model = (knots: number[] | null, c: number): EmpiricalModel =>
    withCopied(offsets ? { atoms, contMass: c, knots, offsets } : { atoms, contMass: c, knots }, copied);
  if (!(contMass > 0)) return model(null, 0);
  if (cs === 0) return model(target.knots, contMass);
  if (ct === 0) return model(state.knots, contMass);
  const sk = state.knots!;
  const tk = target.knots!;
  const ws = cs / contMass;
  const cdf = (x: number) => ws * knotCdf(sk, x) + (1 - ws) * knotCdf(tk, x);
  const lo0 = Math.min(sk[0], tk[0]);
  const hi0 = Math.max(sk[sk.length - 1], tk[tk.length - 1]);
  // As many knots as the larger side has, at most `maxKnots` (a state of 30 rows mixed toward a
  // wide group need not inherit the group's 121 knots: see knotCount).
  const k = Math.max(sk.length, Math.min(tk.length, maxKnots));
  const knots: number[] = [lo0];
  for (let i = 1; i < k - 1; i++) {
    const p = i / (k - 1);
    let lo = knots[i - 1];
    let hi = hi0;
    for (let it = 0; it < 60 && hi - lo > 1e-9 * (1 + Math.abs(hi)); it++) {
      const mid = (lo + hi) / 2;
      if (cdf(mid) < p) lo = mid;
      else hi = mid;
    }
    knots.push(hi);
  }
  knots.push(hi0);
  return model(knots, contMass);
}

/**
 * Log-probability of a recorded value under a model, for comparing two models of the same data:
 * an atom's probability, or the continuous part's density × the rounding width (so atoms and
 * the continuous part are on one scale). Values outside the knots get a floor of 1e-12.
 */
export function logProbability(model: EmpiricalModel, x: number, width: number): number {
  const a = model.atoms.get(x);
  if (a !== undefined && a > 0) return Math.log(a);
  return continuousLogProbability(model, x, width);
}

/** `logProbability` of the continuous part alone (x is not read as a point mass). */
export function continuousLogProbability(model: EmpiricalModel, x: number, width: number): number {
  const k = model.knots;
  if (!k || !(model.contMass > 0) || x < k[0] || x > k[k.length - 1]) return Math.log(1e-12);
  let lo = 0;
  let hi = k.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (k[mid] <= x) lo = mid;
    else hi = mid;
  }
  // Tied knots (a jump): the tie's probability spread over one rounding width.
  const span = Math.max(k[hi] - k[lo], width);
  const p = (model.contMass * Math.min(1, width / span)) / (k.length - 1);
  return Math.log(Math.max(p, 1e-12));
}

/**
 * Values frequent enough to be point masses: seen at least max(k, 10) times (such a value
 * identifies nobody, like a kept category); when more than `maxAtoms` qualify, only those holding
 * at least `share` of the values.
 */
export function frequentValues(
  values: Iterable<number>,
  share: number,
  minCount: number,
  maxAtoms: number,
): Set<number> {
  const counts = new Map<number, number>();
  let m = 0;
  for (const x of values) {
    if (Number.isNaN(x)) continue;
    m++;
    counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  const floor = Math.max(minCount, 10);
  const frequent = [...counts].filter(([, c]) => c >= floor);
  if (frequent.length <= maxAtoms) return new Set(frequent.map(([x]) => x));
  return new Set(frequent.filter(([, c]) => c >= share * m).map(([x]) => x));
}

/**
 * Fewest equally spaced knots (never more than given) whose CDF stays within `tol` of the given
 * table's: checked at the given knots, or — for rounded data (`width` > 0) on a grid of at most
 * 400 cells — at the rounding cells' edges, since only a cell's mass survives the rounding (an
 * integer age's dequantised quantile function bends at every integer; the thinned one need not).
 * A smooth state needs a dozen knots where its back-off mixture inherited 121.
 */
export function thinKnots(knots: readonly number[], tol: number, width = 0): number[] {
  const K = knots.length;
  if (K <= 5) return [...knots];
  const first = knots[0];
  const last = knots[K - 1];
  let points: number[];
  if (width > 0 && (last - first) / width <= 400) {
    points = [];
    for (let b = Math.floor(first / width) * width + width / 2; b < last; b += width) points.push(b);
  } else points = [...knots];
  const origLo = points.map((x) => leftCdf(knots, x));
  const origHi = points.map((x) => knotCdf(knots, x));
  const fits = (k: number): number[] | null => {
    const t = Array.from({ length: k }, (_, j) => knotQuantile(knots, j / (k - 1)));
    for (let i = 0; i < points.length; i++) {
      // The CDF is right-continuous; at a tie (a jump) its left limit is what may not exceed.
      if (knotCdf(t, points[i]) < origLo[i] - tol || leftCdf(t, points[i]) > origHi[i] + tol) return null;
    }
    return t;
  };
  for (const k of [5, 7, 9, 13, 17, 21, 25, 33, 41, 49, 65, 81, 97]) {
    if (k >= K) break;
    const t = fits(k);
    if (t) return t;
  }
  return [...knots];
}

/** P(X < x) under the knots' piecewise-linear quantile function. */
export function leftCdf(knots: readonly number[], x: number): number {
  const k = knots.length;
  if (x <= knots[0]) return 0;
  if (x > knots[k - 1]) return 1;
  // smallest i with knots[i] >= x
  let lo = 0;
  let hi = k - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (knots[mid] >= x) hi = mid;
    else lo = mid;
  }
  const span = knots[hi] - knots[hi - 1];
  const f = span > 0 ? (x - knots[hi - 1]) / span : 1;
  return (hi - 1 + f) / (k - 1);
}
