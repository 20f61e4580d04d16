/**
 * Exact inference over a small discrete network: bucket (variable) elimination that keeps its
 * buckets, so that after one elimination per evidence set we can draw any number of exact
 * posterior samples by walking the buckets backwards. The cost of a posterior draw is the sum of
 * the variables' state counts — it does not depend on how rare the evidence is.
 *
 * Written here because no npm package does exact Bayesian-network inference with posterior
 * sampling.
 */
import type { Stream } from '../random/stream.js';

/** A non-negative table over variables `vars` (ascending ids); the last variable varies fastest. */
export interface Factor {
  vars: number[];
  table: Float64Array;
}

function strides(vars: readonly number[], card: readonly number[]): number[] {
  const s = new Array<number>(vars.length);
  let m = 1;
  for (let k = vars.length - 1; k >= 0; k--) {
    s[k] = m;
    m *= card[vars[k]];
  }
  return s;
}

/**
 * Product of factors over the union of their variables. The output is walked like an odometer and
 * each factor's index is moved by its stride when a variable steps (not recomputed per entry: that
 * was most of the time of a fitted model's eliminations).
 */
export function multiply(fs: readonly Factor[], card: readonly number[]): Factor {
  const vars = [...new Set(fs.flatMap((f) => f.vars))].sort((a, b) => a - b);
  const nv = vars.length;
  const nf = fs.length;
  let size = 1;
  for (const v of vars) size *= card[v];
  const table = new Float64Array(size);
  const cards = Int32Array.from(vars, (v) => card[v]);
  const step = factorSteps(fs, vars, card);
  const tables = fs.map((f) => f.table);
  const idx = new Int32Array(nf);
  const assign = new Int32Array(nv);
  for (let i = 0; i < size; i++) {
    let p = 1;
    for (let j = 0; j < nf; j++) {
      p *= tables[j][idx[j]];
      if (p === 0) break;
    }
    table[i] = p;
    for (let k = nv - 1; k >= 0; k--) {
      const base = k * nf;
      if (++assign[k] < cards[k]) {
        for (let j = 0; j < nf; j++) idx[j] += step[base + j];
        break;
      }
      assign[k] = 0;
      const back = cards[k] - 1;
      for (let j = 0; j < nf; j++) idx[j] -= back * step[base + j];
    }
  }
  return { vars, table };
}

/**
 * Σ_v Π fs: the product of the factors with `v` summed out, without building the product (which
 * reached 2.9M entries on a fitted Adult model). Same odometer walk as `multiply`, `v` fastest.
 */
export function multiplySumOut(fs: readonly Factor[], v: number, card: readonly number[]): Factor {
  const outVars = [...new Set(fs.flatMap((f) => f.vars))].filter((x) => x !== v).sort((a, b) => a - b);
  const walk = [...outVars, v];
  const nv = walk.length;
  const nf = fs.length;
  let outSize = 1;
  for (const x of outVars) outSize *= card[x];
  const cards = Int32Array.from(walk, (x) => card[x]);
  const step = factorSteps(fs, walk, card);
  const tables = fs.map((f) => f.table);
  const idx = new Int32Array(nf);
  const assign = new Int32Array(nv);
  const table = new Float64Array(outSize);
  const inner = card[v];
  for (let o = 0; o < outSize; o++) {
    let sum = 0;
    for (let i = 0; i < inner; i++) {
      let p = 1;
      for (let j = 0; j < nf; j++) {
        p *= tables[j][idx[j]];
        if (p === 0) break;
      }
      sum += p;
      for (let k = nv - 1; k >= 0; k--) {
        const base = k * nf;
        if (++assign[k] < cards[k]) {
          for (let j = 0; j < nf; j++) idx[j] += step[base + j];
          break;
        }
        assign[k] = 0;
        const back = cards[k] - 1;
        for (let j = 0; j < nf; j++) idx[j] -= back * step[base + j];
      }
    }
    table[o] = sum;
  }
  return { vars: outVars, table };
}

/** Sum a variable out of a factor. */
export function sumOut(f: Factor, v: number, card: readonly number[]): Factor {
  const k = f.vars.indexOf(v);
  if (k < 0) return f;
  const vars = f.vars.filter((x) => x !== v);
  const st = strides(f.vars, card);
  const inner = st[k];
  const n = card[v];
  const outer = f.table.length / (inner * n);
  const table = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const base = o * inner * n + j * inner;
      for (let i = 0; i < inner; i++) table[o * inner + i] += f.table[base + i];
    }
  }
  return { vars, table };
}

/** Greedy min-fill elimination order (ties: min degree, then lowest id). */
export function eliminationOrder(
  nVars: number,
  factors: readonly Factor[],
  keep?: ReadonlySet<number>,
): number[] {
  const adj = Array.from({ length: nVars }, () => new Set<number>());
  for (const f of factors) for (const a of f.vars) for (const b of f.vars) if (a !== b) adj[a].add(b);
  // Variables in `keep` are never eliminated (a marginal over them is wanted): the order is chosen
  // knowing they stay, which keeps the intermediate factors small.
  const left = new Set(Array.from({ length: nVars }, (_, i) => i).filter((v) => !keep?.has(v)));
  const order: number[] = [];
  while (left.size) {
    let best = -1;
    let bestFill = Number.POSITIVE_INFINITY;
    let bestDeg = Number.POSITIVE_INFINITY;
    for (const v of left) {
      const nb = [...adj[v]];
      let fill = 0;
      for (let i = 0; i < nb.length; i++)
        for (let j = i + 1; j < nb.length; j++) if (!adj[nb[i]].has(nb[j])) fill++;
      if (fill < bestFill || (fill === bestFill && nb.length < bestDeg)) {
        best = v;
        bestFill = fill;
        bestDeg = nb.length;
      }
    }
    const nb = [...adj[best]];
    for (const a of nb) {
      for (const b of nb) if (a !== b) adj[a].add(b);
      adj[a].delete(best);
    }
    left.delete(best);
    order.push(best);
  }
  return order;
}

interface Bucket {
  v: number;
  f: Factor;
  st: number[];
  at: number;
}

/** The result of eliminating every variable: P(evidence) and a posterior sampler. */
export class Posterior {
  private readonly buckets: Bucket[];
  private readonly weights: Float64Array;

  constructor(
    /** Normaliser: the product of all factors summed over everything (P(evidence) for CPTs × indicators). */
    readonly z: number,
    buckets: { v: number; f: Factor }[],
    private readonly card: readonly number[],
  ) {
    this.buckets = buckets.map((b) => ({ ...b, st: strides(b.f.vars, card), at: b.f.vars.indexOf(b.v) }));
    this.weights = new Float64Array(Math.max(1, ...card));
  }

  /** Draw one joint assignment (state index per variable) from the posterior into `out`. */
  sample(rng: Stream, out: Int32Array): void {
    const w = this.weights;
    for (let b = this.buckets.length - 1; b >= 0; b--) {
      const { v, f, st, at } = this.buckets[b];
      let base = 0;
      for (let k = 0; k < f.vars.length; k++) if (k !== at) base += out[f.vars[k]] * st[k];
      const n = this.card[v];
      let sum = 0;
      for (let j = 0; j < n; j++) {
        w[j] = f.table[base + j * st[at]];
        sum += w[j];
      }
      let u = rng.nextFloat() * sum;
      let pick = n - 1;
      for (let j = 0; j < n; j++) {
        u -= w[j];
        if (u < 0) {
          pick = j;
          break;
        }
      }
      // A zero-weight pick can only happen through rounding at the end of the table: step back.
      while (pick > 0 && w[pick] === 0) pick--;
      out[v] = pick;
    }
  }
}

/** Eliminate all variables of `factors` (cards per variable id); returns Z and the posterior sampler. */
export function eliminate(
  factors: readonly Factor[],
  card: readonly number[],
  order?: readonly number[],
): Posterior {
  const ord = order ?? eliminationOrder(card.length, factors);
  let pool = [...factors];
  const buckets: { v: number; f: Factor }[] = [];
  for (const v of ord) {
    const mine = pool.filter((f) => f.vars.includes(v));
    if (!mine.length) {
      // A variable no factor mentions: uniform (never happens for a complete network).
      buckets.push({ v, f: { vars: [v], table: new Float64Array(card[v]).fill(1) } });
      continue;
    }
    pool = pool.filter((f) => !f.vars.includes(v));
    const f = multiply(mine, card);
    buckets.push({ v, f });
    pool.push(sumOut(f, v, card));
  }
  let z = 1;
  for (const f of pool) z *= f.table[0];
  return new Posterior(z, buckets, card);
}

/** Marginal of one variable under the factors (normalised; all zeros when Z = 0). */
export function marginal(factors: readonly Factor[], card: readonly number[], v: number): Float64Array {
  const order = eliminationOrder(card.length, factors).filter((x) => x !== v);
  let pool = [...factors];
  for (const x of order) {
    const mine = pool.filter((f) => f.vars.includes(x));
    if (!mine.length) continue;
    pool = pool.filter((f) => !f.vars.includes(x));
    pool.push(sumOut(multiply(mine, card), x, card));
  }
  const f = multiply(pool, card);
  const out = new Float64Array(card[v]);
  let s = 0;
  if (f.vars.length === 0) return out.fill(1 / card[v]);
  for (let j = 0; j < card[v]; j++) s += f.table[j];
  for (let j = 0; j < card[v]; j++) out[j] = s > 0 ? f.table[j] / s : 0;
  return out;
}

/**
 * A factor with some variables fixed to one state each (`fixed[v]` ≥ 0; −1 = free): the slice over
 * its free variables. Observed variables leave every factor this way before elimination, so the
 * elimination only ever walks the unobserved part of the network.
 */
export function restrict(f: Factor, fixed: Int32Array, card: readonly number[]): Factor {
  let any = false;
  for (const v of f.vars) if (fixed[v] >= 0) any = true;
  if (!any) return f;
  const st = strides(f.vars, card);
  const free: number[] = [];
  const freeSt: number[] = [];
  let base = 0;
  f.vars.forEach((v, k) => {
    if (fixed[v] >= 0) base += fixed[v] * st[k];
    else {
      free.push(v);
      freeSt.push(st[k]);
    }
  });
  let size = 1;
  for (const v of free) size *= card[v];
  const table = new Float64Array(size);
  const assign = new Int32Array(free.length);
  let idx = base;
  for (let i = 0; i < size; i++) {
    table[i] = f.table[idx];
    for (let k = free.length - 1; k >= 0; k--) {
      if (++assign[k] < card[free[k]]) {
        idx += freeSt[k];
        break;
      }
      idx -= (card[free[k]] - 1) * freeSt[k];
      assign[k] = 0;
    }
  }
  return { vars: free, table };
}

/**
 * step[k * nf + j]: how far factor j's flat index moves when variable order[k] steps up by one
 * (0 when factor j does not hold it).
 */
function factorSteps(fs: readonly Factor[], order: readonly number[], card: readonly number[]): Int32Array {
  const nf = fs.length;
  const step = new Int32Array(order.length * nf);
  fs.forEach((f, j) => {
    const st = strides(f.vars, card);
    f.vars.forEach((x, q) => {
      step[order.indexOf(x) * nf + j] = st[q];
    });
  });
  return step;
}
