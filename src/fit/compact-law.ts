/**
 * The smallest written form of a numeric law of rounded data (integers, decimals, dates) that
 * says what its rows can support: which point masses stay point masses, and how many quantile
 * knots the rest needs.
 *
 * A leaf of 83 rows mixed toward its back-off inherited every point mass of the wider group
 * (Adult `hours_per_week`: 27 atoms, `"16": 0.00068`, i.e. a twentieth of a row), and an integer
 * column whose every value is frequent (`age`) was written as 70 atoms. For rounded data a point
 * mass at `a` and the same mass spread evenly over a's rounding cell give the same rounded
 * values, so any atom may be folded into the continuous part without changing a cell's
 * probability; the continuous part is then re-expressed with as few knots as keep its CDF, at
 * every cell edge, within `tol` (in probability of the whole law). Kept atoms are exact.
 *
 * `tol` is chosen by the caller from the rows the law stands for (lawTolerance): a fraction of
 * the sampling spread of the law's own empirical CDF, so a small leaf gets few knots and the
 * marginal of 30,000 rows keeps its detail. Pure functions.
 */
import { type EmpiricalModel, knotCdf, leftCdf } from './empirical.js';

export interface CompactOptions {
  /** Largest CDF difference allowed at a cell edge, in probability of the whole law. */
  tol: number;
  /** Rounding width of the data (> 0; the caller does not compact unrounded data). */
  width: number;
  /** `centre`: a value stands for value ± width/2; `floor`: [value, value + width). */
  anchor: 'centre' | 'floor';
}

/** Written size of one point mass relative to one knot (`"40": 0.3959, ` against `77.6, `). */
const ATOM_COST = 2.5;

/** Knot counts tried, smallest first (as thinKnots). */
const KNOT_COUNTS = [2, 3, 5, 7, 9, 13, 17, 21, 25, 33, 41, 49, 65, 81, 97, 121];

/** Numbers of kept atoms tried (largest first in probability), besides all of them. */
const KEPT_COUNTS = [0, 1, 2, 3, 4, 6, 8, 11, 16, 23, 32, 45, 64, 90, 128];

/**
 * Tolerance for a law standing for `n` rows: `scale`/√n (a fraction of the sampling spread of
 * an empirical CDF), never below `floor`.
 */
export function lawTolerance(n: number, scale: number, floor: number): number {
  return n > 0 ? Math.max(floor, scale / Math.sqrt(n)) : floor;
}

/** The law with the fewest written numbers whose cell probabilities stay within `o.tol`. */
export function compactLaw(m: EmpiricalModel, o: CompactOptions): EmpiricalModel {
  if (!(o.width > 0) || m.offsets) return m;
  const atoms = [...m.atoms].filter(([, p]) => p > 0).sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  const counts = [...KEPT_COUNTS.filter((c) => c < atoms.length), atoms.length];
  let best: { model: EmpiricalModel; cost: number } | undefined;
  for (const kept of counts) {
    const knots = continuousKnots(m, atoms.slice(kept), o);
    if (!knots) continue;
    const cost = ATOM_COST * kept + (knots.knots?.length ?? 0);
    if (!best || cost < best.cost)
      best = {
        cost,
        model: { atoms: new Map(atoms.slice(0, kept)), contMass: knots.mass, knots: knots.knots },
      };
  }
  return best?.model ?? m;
}

/** A piecewise-linear CDF (unnormalised): breakpoints with the value just left and right of each. */
interface Cdf {
  x: number[];
  left: number[];
  right: number[];
  total: number;
}

/**
 * Fewest knots for the continuous part plus the `moved` atoms spread over their cells, within
 * tolerance at every cell edge; the original knots when nothing is moved and no fewer will do;
 * undefined when atoms are moved and no knot count tried keeps the tolerance.
 */
function continuousKnots(
  m: EmpiricalModel,
  moved: readonly (readonly [number, number])[],
  o: CompactOptions,
): { knots: number[] | null; mass: number } | undefined {
  const cdf = mergedCdf(m, moved, o);
  if (!(cdf.total > 0)) return { knots: null, mass: 0 };
  const first = cdf.x[0];
  const last = cdf.x[cdf.x.length - 1];
  const checks = checkPoints(cdf, first, last, o);
  const lo = checks.map((x) => evalCdf(cdf, x, 'left') / cdf.total);
  const hi = checks.map((x) => evalCdf(cdf, x, 'right') / cdf.total);
  const rel = o.tol / cdf.total;
  const fits = (t: readonly number[]) => {
    for (let i = 0; i < checks.length; i++)
      if (knotCdf(t, checks[i]) < lo[i] - rel || leftCdf(t, checks[i]) > hi[i] + rel) return false;
    return true;
  };
  const own = moved.length === 0 ? m.knots : null;
  for (const k of KNOT_COUNTS) {
    if (own && k >= own.length) break;
    const t = Array.from({ length: k }, (_, j) => quantileOf(cdf, j / (k - 1)));
    if (fits(t)) return { knots: t, mass: cdf.total };
  }
  return own ? { knots: [...own], mass: cdf.total } : undefined;
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

/** The CDF at v (just left of v, or at v), linear between breakpoints. */
function evalCdf(c: Cdf, v: number, side: 'left' | 'right'): number {
  const n = c.x.length;
  if (v < c.x[0]) return 0;
  if (v > c.x[n - 1]) return c.total;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (c.x[mid] <= v) lo = mid;
    else hi = mid;
  }
  if (c.x[lo] === v) return side === 'left' ? c.left[lo] : c.right[lo];
  if (c.x[hi] === v) return side === 'left' ? c.left[hi] : c.right[hi];
  const f = (v - c.x[lo]) / (c.x[hi] - c.x[lo]);
  return c.right[lo] + f * (c.left[hi] - c.right[lo]);
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

/**
 * Where the CDFs are compared: every cell edge between the ends when there are at most 400 cells
 * (only a cell's mass survives rounding), else every breakpoint and the midpoints between them.
 */
function checkPoints(c: Cdf, first: number, last: number, o: CompactOptions): number[] {
  const out: number[] = [];
  if ((last - first) / o.width <= 400) {
    const offset = o.anchor === 'centre' ? o.width / 2 : 0;
    for (let e = Math.floor((first - offset) / o.width) * o.width + offset; e <= last + 1e-9; e += o.width)
      if (e >= first - 1e-9) out.push(e);
    return out;
  }
  for (let i = 0; i < c.x.length; i++) {
    out.push(c.x[i]);
    if (i + 1 < c.x.length) out.push((c.x[i] + c.x[i + 1]) / 2);
  }
  return out;
}
