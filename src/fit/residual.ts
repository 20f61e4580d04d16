/**
 * Residual edges: dependencies the learned graph fails to reproduce, found by simulating it.
 *
 * A score (BIC or leave-one-out) weighs a parent by its average information, so a pair whose
 * dependence lives in a few rare cells — teenagers with a Bachelor's degree, capital gains and
 * losses in the same row, a 5th–6th grade schooling and the native country — is never wired,
 * and the generator fills those near-empty cells at the rate the rest of the graph implies.
 * A classifier telling real from synthetic rows finds exactly those cells. Here the graph is
 * sampled at the code level (ancestral sampling from its count tables, small states backed off
 * as the model file does), every non-adjacent pair's total variation distance between the
 * real and the simulated codes is compared with the distance sampling noise alone gives, and
 * the pairs with the largest excess become edges, oriented along a topological order of the
 * graph (so the result stays acyclic) and only where the knowledge allows them.
 * Pure apart from the seeded stream.
 */
import type { Stream } from '../random/stream.js';
import { buildBackoff } from './backoff.js';
import { runSteps, type Steps } from './steps.js';

/** Parents' topological order (parents before children); parents[v] holds v's parents. */
export function topologicalOrder(parents: readonly (readonly number[])[]): number[] {
  const d = parents.length;
  const state = new Uint8Array(d);
  const out: number[] = [];
  const visit = (v: number): void => {
    if (state[v] === 2) return;
    if (state[v] === 1) throw new Error('internal: cycle in the learned graph');
    state[v] = 1;
    for (const p of parents[v]) visit(p);
    state[v] = 2;
    out.push(v);
  };
  for (let v = 0; v < d; v++) visit(v);
  return out;
}

/** Cumulative distribution of a count or probability vector (last entry 1). */
function cumulative(p: ArrayLike<number>): Float64Array {
  const c = new Float64Array(p.length);
  let s = 0;
  for (let k = 0; k < p.length; k++) {
    s += p[k];
    c[k] = s;
  }
  for (let k = 0; k < p.length; k++) c[k] /= s || 1;
  return c;
}

function draw(cdf: Float64Array, u: number): number {
  let k = 0;
  while (k < cdf.length - 1 && u >= cdf[k]) k++;
  return k;
}

/**
 * Ancestral sample of `rows` rows of node codes from the graph's count tables: parent states
 * with ≥ minCount rows use their own counts, smaller ones the back-off of their more informative
 * parents (backoff.ts), unseen ones the marginal — the estimator the model file uses.
 */
export function sampleCodes(
  codes: readonly Int32Array[],
  cards: readonly number[],
  parents: readonly (readonly number[])[],
  minCount: number,
  rows: number,
  stream: Stream,
  /** Per-family conditional tables kept between calls (the residual search re-simulates often). */
  cache: Map<string, (cfg: number) => Float64Array> = new Map(),
): Int32Array[] {
  const out = codes.map(() => new Int32Array(rows));
  for (const v of topologicalOrder(parents)) {
    const ps = parents[v];
    const family = `${v}|${ps.join(',')}`;
    let cdfOf = cache.get(family);
    if (!cdfOf) {
      cdfOf = conditionalTables(codes, cards, v, ps, minCount);
      cache.set(family, cdfOf);
    }
    const s = stream.derive('node', String(v));
    const col = out[v];
    for (let i = 0; i < rows; i++) {
      let cfg = 0;
      for (const p of ps) cfg = cfg * cards[p] + out[p][i];
      col[i] = draw(cdfOf(cfg), s.nextFloat());
    }
  }
  return out;
}

/** The child's distribution per parent configuration, as the model file estimates it (lazy). */
function conditionalTables(
  codes: readonly Int32Array[],
  cards: readonly number[],
  v: number,
  ps: readonly number[],
  minCount: number,
): (cfg: number) => Float64Array {
  const n = codes[0]?.length ?? 0;
  const r = cards[v];
  const y = codes[v];
  const counts = new Map<number, Float64Array>();
  const marg = new Float64Array(r);
  for (let i = 0; i < n; i++) {
    let cfg = 0;
    for (const p of ps) cfg = cfg * cards[p] + codes[p][i];
    let c = counts.get(cfg);
    if (!c) {
      c = new Float64Array(r);
      counts.set(cfg, c);
    }
    c[y[i]]++;
    marg[y[i]]++;
  }
  const backoff =
    ps.length >= 2
      ? buildBackoff({
          child: y,
          r,
          parents: ps.map((p) => ({ codes: codes[p], card: cards[p] })),
          alpha: 4,
        })
      : undefined;
  const margCdf = cumulative(marg);
  const cdfs = new Map<number, Float64Array>();
  const cdfOf = (cfg: number): Float64Array => {
    let c = cdfs.get(cfg);
    if (c) return c;
    const cnt = counts.get(cfg);
    const total = cnt ? cnt.reduce((a, b) => a + b, 0) : 0;
    if (cnt && total >= minCount) c = cumulative(cnt);
    else {
      const prior = backoff?.priorOf(cfg);
      c = prior ? cumulative(prior) : margCdf;
    }
    cdfs.set(cfg, c);
    return c;
  };
  return cdfOf;
}

/**
 * Total variation distance between the real and simulated (a, b) tables minus what sampling
 * noise alone gives: Σ_cells √(p/(π n)) for two samples of n rows (E|X − Y| of two binomial
 * proportions, halved for the TVD), with p the cell's pooled share.
 */
export function pairExcess(
  realA: Int32Array,
  realB: Int32Array,
  synA: Int32Array,
  synB: Int32Array,
  cardA: number,
  cardB: number,
): number {
  const n = realA.length;
  const m = synA.length;
  const real = new Float64Array(cardA * cardB);
  const syn = new Float64Array(cardA * cardB);
  for (let i = 0; i < n; i++) real[realA[i] * cardB + realB[i]]++;
  for (let i = 0; i < m; i++) syn[synA[i] * cardB + synB[i]]++;
  let tvd = 0;
  let noise = 0;
  const h = 2 / (1 / n + 1 / m);
  for (let c = 0; c < real.length; c++) {
    const pr = real[c] / n;
    const ps = syn[c] / m;
    tvd += Math.abs(pr - ps) / 2;
    noise += Math.sqrt((pr * n + ps * m) / (n + m) / (Math.PI * h));
  }
  return tvd - noise;
}

export interface ResidualOptions {
  minCount: number;
  stream: Stream;
  /** Excess TVD a pair needs to become an edge (default 0.02). */
  threshold?: number;
  /** At most this many edges (default ⌈d / 4⌉). */
  maxEdges?: number;
  /** A child takes residual edges only while it has fewer parents than this (default 5). */
  maxParentsOf?: (child: number) => number;
  /** May the edge from → to exist (knowledge)? */
  allowed: (from: number, to: number) => boolean;
  /** Pairs considered at all (default: every pair). */
  eligible?: (a: number, b: number) => boolean;
}

export interface ResidualEdge {
  from: number;
  to: number;
  /** Excess TVD of the pair before the edge. */
  excess: number;
}

/** Is `target` an ancestor of `v` (or v itself)? */
function isAncestor(parents: readonly (readonly number[])[], target: number, v: number): boolean {
  const seen = new Uint8Array(parents.length);
  const stack = [v];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x === target) return true;
    if (seen[x]) continue;
    seen[x] = 1;
    for (const p of parents[x]) stack.push(p);
  }
  return false;
}

/** Excess TVD of every pair (a < b at a·d + b) of real vs simulated codes. */
function excesses(
  codes: readonly Int32Array[],
  cards: readonly number[],
  syn: readonly Int32Array[],
): Float64Array {
  const d = codes.length;
  const ex = new Float64Array(d * d);
  for (let a = 0; a < d; a++)
    for (let b = a + 1; b < d; b++)
      ex[a * d + b] = pairExcess(codes[a], codes[b], syn[a], syn[b], cards[a], cards[b]);
  return ex;
}

const totalExcess = (ex: Float64Array): number => ex.reduce((s, x) => s + Math.max(0, x), 0);

/**
 * Edges for the non-adjacent pairs the graph reproduces worst (see the module comment), one at
 * a time: simulate, wire the worst pair, simulate again, and keep the edge only when the excess
 * summed over *all* pairs fell — an edge that mends its pair but blurs others (a numeric child
 * split so finely that its tie to the target is smoothed away) is dropped. Simulations share
 * their random numbers (common random numbers), so the comparison is not drowned in noise.
 * The edge goes into the end with fewer parents (ties: the later one in topological order)
 * when that keeps the graph acyclic and the knowledge allows it, else the other way.
 */
export function residualEdges(
  codes: readonly Int32Array[],
  cards: readonly number[],
  parents: readonly (readonly number[])[],
  opts: ResidualOptions,
): ResidualEdge[] {
  return runSteps(residualEdgeSteps(codes, cards, parents, opts));
}

/** `residualEdges`, yielding after each round (fit's cancellation points). */
export function* residualEdgeSteps(
  codes: readonly Int32Array[],
  cards: readonly number[],
  parents: readonly (readonly number[])[],
  opts: ResidualOptions,
): Steps<ResidualEdge[]> {
  const d = codes.length;
  if (d < 2 || codes[0].length === 0) return [];
  const rows = codes[0].length;
  const cache = new Map<string, (cfg: number) => Float64Array>();
  const simulate = (graph: readonly (readonly number[])[]) =>
    excesses(
      codes,
      cards,
      sampleCodes(codes, cards, graph, opts.minCount, rows, opts.stream.derive('sim'), cache),
    );
  let g = parents.map((ps) => [...ps]);
  let ex = simulate(g);
  let total = totalExcess(ex);
  const threshold = opts.threshold ?? 0.025;
  const maxEdges = opts.maxEdges ?? Math.ceil(d / 2);
  const cap = opts.maxParentsOf ?? (() => 5);
  const added: ResidualEdge[] = [];
  const skipped = new Set<number>();
  for (let round = 0; added.length < maxEdges && round < 4 * maxEdges; round++) {
    yield;
    const rank = new Int32Array(d);
    topologicalOrder(g).forEach((v, i) => {
      rank[v] = i;
    });
    let best: ResidualEdge | null = null;
    let bestPair = -1;
    for (let a = 0; a < d; a++)
      for (let b = a + 1; b < d; b++) {
        const excess = ex[a * d + b];
        if (excess <= threshold || (best && excess <= best.excess)) continue;
        if (g[a].includes(b) || g[b].includes(a) || skipped.has(a * d + b)) continue;
        if (opts.eligible && !opts.eligible(a, b)) continue;
        // preferred orientation first
        const into =
          g[a].length !== g[b].length ? (g[a].length < g[b].length ? a : b) : rank[a] > rank[b] ? a : b;
        const other = into === a ? b : a;
        const ok = (from: number, to: number) =>
          g[to].length < cap(to) && opts.allowed(from, to) && !isAncestor(g, to, from);
        if (ok(other, into)) best = { from: other, to: into, excess };
        else if (ok(into, other)) best = { from: into, to: other, excess };
        else skipped.add(a * d + b);
        if (best && best.excess === excess) bestPair = a * d + b;
      }
    if (!best) break;
    const next = g.map((ps) => [...ps]);
    next[best.to].push(best.from);
    const nextEx = simulate(next);
    const nextTotal = totalExcess(nextEx);
    skipped.add(bestPair);
    if (nextTotal >= total) continue;
    g = next;
    ex = nextEx;
    total = nextTotal;
    added.push(best);
  }
  return added;
}
