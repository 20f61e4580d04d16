/**
 * The written form of a numeric law of rounded data (integers, decimals, dates) with as many
 * numbers as its rows support: which point masses stay point masses, and how many quantile knots
 * the rest needs.
 *
 * A leaf of 83 rows mixed toward its back-off inherited every point mass of the wider group
 * (Adult `hours_per_week`: 27 atoms, `"16": 0.00068`, a twentieth of a row), and an integer
 * column whose every value is frequent (`age`) was written as 70 atoms. For rounded data a point
 * mass at `a` and the same mass spread evenly over a's rounding cell give the same rounded
 * values, so any atom may be folded into the continuous part; the continuous part is then
 * re-expressed with k knots at equal probability steps. Of the candidates (the j most probable
 * atoms kept exactly, k knots) the one with the least penalised divergence is written:
 *
 *   n · KL(fitted cells ‖ written cells) + penalty · ln(n)/2 · (written numbers)
 *
 * i.e. BIC with the fitted law as the data: a number is written when it buys more than BIC's
 * price in log-likelihood of the law's n rows. A spike of 5 rows in a leaf of 83 stays an
 * atom (folding it costs ~8 nats); an atom of a twentieth of a row does not. Cells are the data's
 * rounding cells, grouped into at most 400 bins over a long range. Pure functions.
 */
import { type EmpiricalModel, knotCdf, leftCdf } from './empirical.js';

export interface CompactOptions {
  /** Rows the law stands for (its own plus any pseudo-rows of shrinkage). */
  n: number;
  /** Multiplier of BIC's ln(n)/2 per written number (1 = BIC; 0 = the closest law tried). */
  penalty: number;
  /** Rounding width of the data (> 0; unrounded data is not compacted). */
  width: number;
  /** `centre`: a value stands for value ± width/2; `floor`: [value, value + width). */
  anchor: 'centre' | 'floor';
}

/** Written size of one point mass relative to one knot (`"40": 0.3959, ` against `77.6, `). */
const ATOM_COST = 2.5;

/** Knot counts tried. */
const KNOT_COUNTS = [2, 3, 5, 7, 9, 13, 17, 21, 25, 33, 41, 49, 65, 81, 97, 121];

/** Numbers of kept atoms tried (the most probable first), besides all of them. */
const KEPT_COUNTS = [0, 1, 2, 3, 4, 6, 8, 11, 16, 23, 32, 45, 64, 90, 128];

/** Most bins the divergence is measured on. */
const MAX_BINS = 400;

/** The candidate law with the least penalised divergence from `m` (see the module comment). */
export function compactLaw(m: EmpiricalModel, o: CompactOptions): EmpiricalModel {
  if (!(o.width > 0) || m.offsets || !(o.n > 1)) return m;
  const atoms = [...m.atoms].filter(([, p]) => p > 0).sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  const edges = binEdges(m, o);
  if (!edges) return m;
  const target = cellProbabilities(m, edges);
  const price = (o.penalty * Math.log(o.n)) / 2;
  const score = (c: EmpiricalModel, numbers: number) =>
    o.n * divergence(target, cellProbabilities(c, edges)) + price * numbers;
  const own = atoms.length * ATOM_COST + (m.knots && m.contMass > 0 ? m.knots.length : 0);
  let best = { model: m, score: score(m, own) };
  const counts = [...KEPT_COUNTS.filter((c) => c < atoms.length), atoms.length];
  for (const kept of counts) {
    if (price * ATOM_COST * kept >= best.score) break;
    const keep = new Map(atoms.slice(0, kept));
    const cdf = mergedCdf(m, atoms.slice(kept), o);
    if (!(cdf.total > 0)) {
      const c = { atoms: keep, contMass: 0, knots: null };
      const sc = score(c, ATOM_COST * kept);
      if (sc < best.score) best = { model: c, score: sc };
      continue;
    }
    for (const k of KNOT_COUNTS) {
      if (price * (ATOM_COST * kept + k) >= best.score) break;
      const knots = Array.from({ length: k }, (_, j) => quantileOf(cdf, j / (k - 1)));
      const c = { atoms: keep, contMass: cdf.total, knots };
      const sc = score(c, ATOM_COST * kept + k);
      if (sc < best.score) best = { model: c, score: sc };
    }
  }
  return best.model;
}

/**
 * Edges of the bins the divergence is measured on: the rounding cells over the law's range, or
 * groups of whole cells when there are more than MAX_BINS; undefined for an empty law.
 */
function binEdges(m: EmpiricalModel, o: CompactOptions): number[] | undefined {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const [a] of m.atoms) {
    lo = Math.min(lo, a);
    hi = Math.max(hi, a);
  }
  if (m.knots && m.contMass > 0) {
    lo = Math.min(lo, m.knots[0]);
    hi = Math.max(hi, m.knots[m.knots.length - 1]);
  }
  if (!(hi >= lo)) return undefined;
  const offset = o.anchor === 'centre' ? o.width / 2 : 0;
  const first = Math.floor((lo - offset) / o.width) * o.width + offset;
  const cells = Math.ceil((hi - first) / o.width) + 1;
  const step = o.width * Math.max(1, Math.ceil(cells / MAX_BINS));
  const edges: number[] = [];
  for (let e = first; ; e += step) {
    edges.push(e);
    if (e > hi) break;
  }
  return edges;
}

/** Probability of each bin (edges[b], edges[b+1]] under a law: atoms inside plus the continuous part. */
function cellProbabilities(m: EmpiricalModel, edges: readonly number[]): Float64Array {
  const out = new Float64Array(edges.length - 1);
  if (m.knots && m.contMass > 0) {
    let prev = m.contMass * knotCdf(m.knots, edges[0]);
    for (let b = 0; b < out.length; b++) {
      const cur = m.contMass * knotCdf(m.knots, edges[b + 1]);
      out[b] = cur - prev;
      prev = cur;
    }
  }
  for (const [a, p] of m.atoms) {
    let lo = 0;
    let hi = edges.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] < a) lo = mid;
      else hi = mid;
    }
    out[lo] += p;
  }
  return out;
}

/** KL(p ‖ q) over bins (q floored, so a bin the candidate leaves empty costs much, not infinity). */
function divergence(p: Float64Array, q: Float64Array): number {
  let d = 0;
  for (let b = 0; b < p.length; b++) if (p[b] > 1e-15) d += p[b] * Math.log(p[b] / Math.max(q[b], 1e-9));
  return Math.max(0, d);
}

/** A piecewise-linear CDF (unnormalised): breakpoints with the value just left and right of each. */
interface Cdf {
  x: number[];
  left: number[];
  right: number[];
  total: number;
}

/** Cell of a recorded value. */
function cellOf(a: number, o: CompactOptions): [number, number] {
  return o.anchor === 'centre' ? [a - o.width / 2, a + o.width / 2] : [a, a + o.width];
}

/** CDF of the continuous part (mass contMass) plus each moved atom spread evenly over its cell. */
function mergedCdf(m: EmpiricalModel, moved: readonly (readonly [number, number])[], o: CompactOptions): Cdf {
  const k = m.knots && m.contMass > 0 ? m.knots : null;
  const xs = new Set<number>(k ?? []);
  for (const [a] of moved) for (const e of cellOf(a, o)) xs.add(e);
  const x = [...xs].sort((p, q) => p - q);
  // Cells of distinct recorded values do not overlap: the spread mass below v is the prefix sum
  // of the cells ending before v plus the share of the one holding v.
  const byValue = [...moved].sort((p, q) => p[0] - q[0]);
  const before = [0];
  for (const [, p] of byValue) before.push(before[before.length - 1] + p);
  const spread = (v: number) => {
    let lo = 0;
    let hi = byValue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cellOf(byValue[mid][0], o)[1] <= v) lo = mid + 1;
      else hi = mid;
    }
    if (lo === byValue.length) return before[lo];
    const [c0, c1] = cellOf(byValue[lo][0], o);
    return before[lo] + byValue[lo][1] * Math.min(1, Math.max(0, (v - c0) / (c1 - c0)));
  };
  const left = x.map((v) => (k ? m.contMass * leftCdf(k, v) : 0) + spread(v));
  const right = x.map((v) => (k ? m.contMass * knotCdf(k, v) : 0) + spread(v));
  const total = (k ? m.contMass : 0) + moved.reduce((s, [, p]) => s + p, 0);
  return { x, left, right, total };
}

/** Smallest v with CDF(v) ≥ p·total. */
function quantileOf(c: Cdf, p: number): number {
  const target = p * c.total;
  const n = c.x.length;
  if (target <= c.right[0]) return c.x[0];
  for (let i = 1; i < n; i++) {
    if (c.left[i] >= target) {
      const span = c.left[i] - c.right[i - 1];
      const f = span > 0 ? (target - c.right[i - 1]) / span : 1;
      return c.x[i - 1] + f * (c.x[i] - c.x[i - 1]);
    }
    if (c.right[i] >= target) return c.x[i];
  }
  return c.x[n - 1];
}
