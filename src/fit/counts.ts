/**
 * Children per parent row: the `count` law of a child table, learned over every parent row
 * (parents without children count 0), possibly `given` a few parent columns.
 *
 * A parent column becomes a `given` of the count only when it wins on held-out likelihood:
 * 5-fold cross-validated log-likelihood of the count's states (values, or quantile bins of a
 * wide count) given the parent state, each state's table smoothed toward the training marginal.
 * Greedy: the best single column, then a second one if it still improves. The law itself is then
 * fitted like any column (params.ts): a value table for few distinct counts, point masses plus
 * quantile knots for wide ones, per parent state.
 */

import { inferTable, type RawColumns } from '../data/infer.js';
import { nameMap } from '../names.js';
import type { Stream } from '../random/stream.js';
import type { Column, Conditional, Dist } from '../spec/schema.js';
import { encodeColumn, isModelled, type NodeColumn } from './encode.js';
import { fitNode } from './params.js';

/** The `count` of a table: a Column-style mechanism without a type. */
export interface CountLaw {
  given?: string[];
  values?: Column['values'];
  dist?: Dist;
  conditional?: Conditional;
  min?: number;
  max?: number;
}

export interface CountFit {
  count: CountLaw;
  /** Parent columns it is given (`parent.x`). */
  given: string[];
  summary: string;
  /** Held-out log-likelihood gain per parent row of the chosen parents over none (nats). */
  gain: number;
  parents: number;
  zeros: number;
  mean: number;
  max: number;
}

export interface CountOptions {
  minCount: number;
  stream: Stream;
  /** At most this many parent columns (default 2). */
  maxGiven?: number;
  folds?: number;
  maxBins?: number;
}

/** Held-out log-likelihood of `child` codes given the parents' configuration (k-fold). */
export function crossValidatedLogLik(
  child: NodeColumn,
  parents: readonly NodeColumn[],
  fold: Int32Array,
  folds: number,
  alpha = 2,
): number {
  const n = child.codes.length;
  const r = child.card;
  const cfg = new Int32Array(n);
  for (const p of parents) for (let i = 0; i < n; i++) cfg[i] = cfg[i] * p.card + p.codes[i];
  let ll = 0;
  for (let f = 0; f < folds; f++) {
    const counts = new Map<number, Float64Array>();
    const marg = new Float64Array(r);
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (fold[i] === f) continue;
      let c = counts.get(cfg[i]);
      if (!c) {
        c = new Float64Array(r + 1);
        counts.set(cfg[i], c);
      }
      c[child.codes[i]]++;
      c[r]++;
      marg[child.codes[i]]++;
      m++;
    }
    // Add-half marginal: a count never seen in training is unlikely, not impossible.
    for (let k = 0; k < r; k++) marg[k] = (marg[k] + 0.5) / (m + 0.5 * r);
    for (let i = 0; i < n; i++) {
      if (fold[i] !== f) continue;
      const c = counts.get(cfg[i]);
      const k = child.codes[i];
      const p = c ? (c[k] + alpha * marg[k]) / (c[r] + alpha) : marg[k];
      ll += Math.log(p);
    }
  }
  return ll;
}

const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;

/**
 * Fit the count law. `context` holds the parent table's columns as the count reads them
 * (`parent.x`), one row per parent row; `counts` the children of each.
 */
export function fitCount(context: RawColumns, counts: Int32Array, opts: CountOptions): CountFit {
  const n = counts.length;
  const raw: RawColumns = {
    name: context.name,
    columns: [...context.columns, 'count'],
    rowCount: n,
    data: [...context.data, Array.from(counts, String)],
  };
  const inferred = inferTable(raw);
  const nodes: NodeColumn[] = [];
  inferred.columns.forEach((info, i) => {
    if (i === inferred.columns.length - 1 || isModelled(info))
      nodes.push(encodeColumn(info, raw.data[i], { minCount: opts.minCount, maxBins: opts.maxBins ?? 8 }));
  });
  const v = nodes.length - 1;
  const countNode = nodes[v];
  const folds = Math.max(2, Math.min(opts.folds ?? 5, n));
  const fold = new Int32Array(n);
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = opts.stream.nextInt(i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  perm.forEach((row, k) => {
    fold[row] = k % folds;
  });
  const chosen: number[] = [];
  const score = (ps: readonly number[]) =>
    crossValidatedLogLik(
      countNode,
      ps.map((p) => nodes[p]),
      fold,
      folds,
    );
  const base = n >= 2 * folds ? score([]) : 0;
  let best = base;
  const maxGiven = n >= 2 * folds ? (opts.maxGiven ?? 2) : 0;
  while (chosen.length < maxGiven) {
    let pick = -1;
    let pickScore = best;
    for (let p = 0; p < v; p++) {
      if (chosen.includes(p) || nodes[p].card < 2) continue;
      const s = score([...chosen, p]);
      if (s > pickScore + 1e-9) {
        pick = p;
        pickScore = s;
      }
    }
    if (pick < 0) break;
    chosen.push(pick);
    best = pickScore;
  }
  chosen.sort((a, b) => a - b);
  const fit = fitNode(nodes, v, chosen, { minCount: opts.minCount });
  // Only the keys a count takes (the column's type, format and decimals are not the count's).
  const col = fit.column;
  const count: CountLaw = {
    ...(col.given ? { given: col.given } : {}),
    ...(col.values !== undefined ? { values: col.values } : {}),
    ...(col.dist ? { dist: col.dist } : {}),
    ...(col.conditional ? { conditional: col.conditional } : {}),
  };
  let zeros = 0;
  let total = 0;
  let max = 0;
  for (const c of counts) {
    if (c === 0) zeros++;
    total += c;
    if (c > max) max = c;
  }
  if (count.dist || count.conditional?.rows.some((r) => r.dist) || count.conditional?.default?.dist) {
    count.min = countNode.info.min ?? 0;
    count.max = countNode.info.max ?? max;
  } else {
    delete count.min;
    delete count.max;
  }
  // Few distinct counts and no parent: a value table reads as the contract's `values: { 0: 0.2, 1: 0.7 }`.
  if (chosen.length === 0) {
    const freq = new Map<number, number>();
    for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
    if (freq.size <= 12 && n > 0) {
      const values: Record<string, number> = nameMap();
      for (const [k, c] of [...freq].sort((a, b) => a[0] - b[0]))
        values[String(k)] = Math.round((c / n) * 1e6) / 1e6;
      for (const k of Object.keys(count)) delete count[k as keyof CountLaw];
      count.values = values;
    }
  }
  const given = chosen.map((p) => nodes[p].name);
  const mean = n > 0 ? total / n : 0;
  let summary = `children per row: mean ${mean.toFixed(2)}, max ${max}, ${pct(n > 0 ? zeros / n : 0)} with none (${n} parent rows)`;
  if (given.length > 0)
    summary += `; given ${given.join(', ')} (held-out log-likelihood +${((best - base) / n).toFixed(3)} nats per parent row)`;
  return {
    count,
    given,
    summary,
    gain: n > 0 ? (best - base) / n : 0,
    parents: n,
    zeros,
    mean,
    max,
  };
}
