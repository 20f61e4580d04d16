/**
 * Held-out log-likelihood of a child given parent states: the yardstick every proposed
 * mechanism (atom-states.ts, regression.ts, …) is chosen by, so a richer table wins only where it
 * predicts rows it was not fitted on. Pure functions over integer codes.
 *
 * Every `folds`-th row (by index, so deterministic and seed-free) is held out; the table is
 * fitted on the others with a Dirichlet prior of `alpha` pseudo-rows spread by the child's
 * marginal (as the written tables are shrunk), and scored on the held-out rows.
 */
import { type NodeColumn, quantileBreaks, recodeNumericNode } from './encode.js';

export interface Coded {
  codes: Int32Array;
  card: number;
}

/** Mean held-out log-likelihood per row (nats) of `child` given the joint state of `parents`. */
export function heldOutLogLik(child: Coded, parents: readonly Coded[], folds = 5, alpha = 2): number {
  const n = child.codes.length;
  const r = child.card;
  const { cfg, q } = configs(parents, n);
  const counts = new Float64Array(q * r);
  const totals = new Float64Array(q);
  const marg = new Float64Array(r);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (i % folds === 0) continue;
    counts[cfg[i] * r + child.codes[i]]++;
    totals[cfg[i]]++;
    marg[child.codes[i]]++;
    m++;
  }
  let ll = 0;
  let h = 0;
  for (let i = 0; i < n; i += folds) {
    const k = child.codes[i];
    const prior = (marg[k] + 0.5) / (m + 0.5 * r);
    ll += Math.log((counts[cfg[i] * r + k] + alpha * prior) / (totals[cfg[i]] + alpha));
    h++;
  }
  return h > 0 ? ll / h : 0;
}

/**
 * The codes a child is scored on: a discrete child's own states; a numeric child's 16 quantile
 * bins with point masses in bins of their own (so "exactly 0" is told from "close to 0").
 */
export function scoringCodes(node: NodeColumn): Coded {
  if (node.role === 'discrete') return node;
  const present = node.values.filter((v) => !Number.isNaN(v)).sort();
  return recodeNumericNode(node, quantileBreaks(present, 16, true));
}

/** Row i's joint state over `parents` in mixed radix (first parent most significant). */
export function jointState(parents: readonly Coded[], i: number): number {
  let c = 0;
  for (const p of parents) c = c * p.card + p.codes[i];
  return c;
}

/** Joint state index of each row over `parents` (dense, in order of first appearance). */
export function configs(parents: readonly Coded[], n: number): { cfg: Int32Array; q: number } {
  const index = new Map<number, number>();
  const cfg = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = jointState(parents, i);
    let j = index.get(c);
    if (j === undefined) {
      j = index.size;
      index.set(c, j);
    }
    cfg[i] = j;
  }
  return { cfg, q: index.size };
}

/**
 * Mean log-likelihood per row (nats) of `child` on the rows from `nTrain` on (the refine loop's
 * validation part), fitted on rows [0, nTrain): the table on `base` parents is shrunk toward the
 * child's marginal, and the table on `base` + `extra` toward the base table, each by `alpha`
 * pseudo-rows; a state of `base` + `extra` seen in fewer than `minState` training rows uses the
 * base table alone. That is the back-off the written tables use (no row of its own under k rows,
 * a prior of 4 pseudo-rows), so an extra parent wins only where it predicts beyond what the
 * current parents already say. `extra` empty scores the base table.
 */
export function splitLogLik(
  child: Coded,
  base: readonly Coded[],
  extra: readonly Coded[],
  nTrain: number,
  alpha = 4,
  minState = 5,
): number {
  const n = child.codes.length;
  const r = child.card;
  const b = configs(base, n);
  const f = configs([...base, ...extra], n);
  const cb = new Float64Array(b.q * r);
  const tb = new Float64Array(b.q);
  const cf = new Float64Array(f.q * r);
  const tf = new Float64Array(f.q);
  const marg = new Float64Array(r);
  for (let i = 0; i < nTrain; i++) {
    const k = child.codes[i];
    cb[b.cfg[i] * r + k]++;
    tb[b.cfg[i]]++;
    cf[f.cfg[i] * r + k]++;
    tf[f.cfg[i]]++;
    marg[k]++;
  }
  let ll = 0;
  for (let i = nTrain; i < n; i++) {
    const k = child.codes[i];
    const prior = (marg[k] + 0.5) / (nTrain + 0.5 * r);
    const pBase = (cb[b.cfg[i] * r + k] + alpha * prior) / (tb[b.cfg[i]] + alpha);
    const t = tf[f.cfg[i]];
    ll += Math.log(
      extra.length === 0 || t < minState ? pBase : (cf[f.cfg[i] * r + k] + alpha * pBase) / (t + alpha),
    );
  }
  return n > nTrain ? ll / (n - nTrain) : 0;
}
