/**
 * Predictive family score for the fidelity pass of structure learning: the leave-one-out
 * log-likelihood of the child under the estimator the model file actually uses — parent states
 * smoothed toward the child given their more informative parents (backoff.ts), and states with
 * fewer than k rows falling to the marginal (they are not written to the file).
 *
 * BIC charges every parent configuration, seen or not, (r − 1) parameters, so a fourth parent
 * is almost never worth it, even when back-off makes its small states harmless. Leave-one-out
 * likelihood charges a parent set exactly what it costs the generator: rows whose state is too
 * small predict no better than the marginal, and a parent that splits data without information
 * loses likelihood to the smoothing. Closed form (one pass over the rows per family), no folds.
 */
import { codeMutualInformation } from './backoff.js';
import { SufficientStats } from './stats.js';

export interface PredictiveOptions {
  /** States with fewer rows use the marginal, as in the model file (k, default 5). */
  minCount: number;
  /** Pseudo-count of each back-off level (as in params.ts). */
  alpha: number;
  /** Pseudo-count of the final level (the per-state smoothing of params.ts). */
  smoothing: number;
  /** Nats charged per parent state holding ≥ minCount rows (default 0: pure leave-one-out). */
  statePenalty?: number;
  /**
   * Children whose small states take the state of their other parents (categorical children,
   * params.ts' backed-off rows) instead of the marginal, when that state holds ≥ minCount rows.
   */
  backedOff?: (child: number) => boolean;
}

/** Dense counts when the key space is small, a map otherwise. */
class KeyCounts {
  private readonly dense: Float64Array | null;
  private readonly sparse = new Map<number, Float64Array>();
  constructor(
    readonly space: number,
    readonly r: number,
  ) {
    this.dense = space * (r + 1) <= 1 << 16 ? new Float64Array(space * (r + 1)) : null;
  }
  add(key: number, k: number): void {
    if (this.dense) {
      const b = key * (this.r + 1);
      this.dense[b + k]++;
      this.dense[b + this.r]++;
      return;
    }
    let c = this.sparse.get(key);
    if (!c) {
      c = new Float64Array(this.r + 1);
      this.sparse.set(key, c);
    }
    c[k]++;
    c[this.r]++;
  }
  /** Count of child state k in `key`. */
  get(key: number, k: number): number {
    if (this.dense) return this.dense[key * (this.r + 1) + k];
    return this.sparse.get(key)?.[k] ?? 0;
  }
  total(key: number): number {
    return this.get(key, this.r);
  }
  /** Number of keys holding at least `min` rows. */
  statesAtLeast(min: number): number {
    let s = 0;
    if (this.dense) {
      for (let j = 0; j < this.space; j++) if (this.dense[j * (this.r + 1) + this.r] >= min) s++;
    } else for (const c of this.sparse.values()) if (c[this.r] >= min) s++;
    return s;
  }
}

/** Leave-one-out log-likelihood of `child` given `parents` (see the module comment). */
export function looScore(
  codes: readonly Int32Array[],
  cards: readonly number[],
  child: number,
  parents: readonly number[],
  mi: (child: number, parent: number) => number,
  opts: PredictiveOptions,
): number {
  const y = codes[child];
  const r = cards[child];
  const n = y.length;
  if (n < 2) return 0;
  const marg = new Float64Array(r);
  for (let i = 0; i < n; i++) marg[y[i]]++;
  // Level 0: the marginal without the row itself (add-half smoothing keeps it positive).
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = (marg[y[i]] - 1 + 0.5) / (n - 1 + 0.5 * r);
  const m = parents.length;
  if (m === 0) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.log(p[i]);
    return s;
  }
  const order = [...parents].sort((a, b) => mi(child, b) - mi(child, a) || a - b);
  const key = new Float64Array(n);
  const p0 = Float64Array.from(p);
  let space = 1;
  let states = 0;
  const prefixN = new Float64Array(n);
  const backedOff = m >= 2 && (opts.backedOff?.(child) ?? false);
  for (let L = 1; L <= m; L++) {
    const par = order[L - 1];
    const pc = codes[par];
    space *= cards[par];
    for (let i = 0; i < n; i++) key[i] = key[i] * cards[par] + pc[i];
    const counts = new KeyCounts(space, r);
    for (let i = 0; i < n; i++) counts.add(key[i], y[i]);
    const a = L === m ? opts.smoothing : opts.alpha;
    for (let i = 0; i < n; i++) {
      const nj = counts.total(key[i]) - 1;
      if (L === m && nj < opts.minCount) {
        // keep the level m − 1 value when that state is written (backed-off rows)
        if (!(backedOff && prefixN[i] >= opts.minCount)) p[i] = p0[i];
        continue;
      }
      if (L === m - 1) prefixN[i] = nj;
      p[i] = (counts.get(key[i], y[i]) - 1 + a * p[i]) / (nj + a);
    }
    if (L === m) states = counts.statesAtLeast(opts.minCount);
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(p[i]);
  return s - (opts.statePenalty ?? 0) * states;
}

/**
 * Sufficient statistics whose family score is the leave-one-out log-likelihood instead of BIC
 * (the hill climber only asks `bic`); cached per family like the parent class.
 */
export class PredictiveStats extends SufficientStats {
  private readonly cache = new Map<string, number>();
  private readonly miCache = new Map<number, number>();

  constructor(
    codes: readonly Int32Array[],
    cards: readonly number[],
    private readonly opts: PredictiveOptions,
  ) {
    super(codes, cards, 1);
  }

  private mi = (child: number, parent: number): number => {
    const k = child * this.cards.length + parent;
    let v = this.miCache.get(k);
    if (v === undefined) {
      v = codeMutualInformation(this.codes[parent], this.cards[parent], this.codes[child], this.cards[child]);
      this.miCache.set(k, v);
    }
    return v;
  };

  override bic(child: number, parents: readonly number[]): number {
    const sorted = [...parents].sort((a, b) => a - b);
    const key = `${child}|${sorted.join(',')}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const s = looScore(this.codes, this.cards, child, sorted, this.mi, this.opts);
    this.counted++;
    this.cache.set(key, s);
    return s;
  }
}
