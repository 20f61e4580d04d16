/**
 * Structure learning over integer-coded nodes.
 *
 * - `hillClimb`: greedy hill climbing on BIC with add / remove / reverse moves, bounded parents,
 *   an acyclicity check per move and every knowledge constraint checked before a move is scored.
 * - `privBayesStructure`: the differentially private greedy of PrivBayes (Zhang et al. 2017):
 *   nodes are added one at a time and each (node, parent set) pair is chosen by the exponential
 *   mechanism on mutual information, spending epsilon / (d − 1) per choice.
 * Hand-written because no JS package learns Bayesian-network structure.
 */
import { shuffleInPlace } from '../random/shuffle.js';
import type { Stream } from '../random/stream.js';
import type { Constraints } from './knowledge.js';
import { mutualInformation, type SufficientStats } from './stats.js';
import { runSteps, type Steps } from './steps.js';

export interface SearchOptions {
  maxParents: number;
  /** Per-node override of maxParents (e.g. the target gets more). */
  maxParentsOf?: (node: number) => number;
  maxIterations?: number;
  /** Non-improving moves tried after a local optimum (default max(10, d)). */
  tabuSteps?: number;
}

/** Is `to` reachable from `from` following child links (parents[child] holds parents)? */
export function reachable(
  parents: readonly number[][],
  from: number,
  to: number,
  skipEdge?: [number, number],
): boolean {
  const d = parents.length;
  // children lists built on the fly: small d, cheap.
  const seen = new Uint8Array(d);
  const stack = [from];
  seen[from] = 1;
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (v === to) return true;
    for (let c = 0; c < d; c++) {
      if (seen[c]) continue;
      if (!parents[c].includes(v)) continue;
      if (skipEdge && skipEdge[0] === v && skipEdge[1] === c) continue;
      seen[c] = 1;
      stack.push(c);
    }
  }
  return false;
}

/**
 * Hill climbing on BIC with a tabu phase: after a local optimum it keeps taking the best move to
 * a graph not visited before (even if worse) for up to `tabuSteps` moves, and returns the best
 * graph seen. This escapes the classic trap where a child was wired as a parent early on.
 * Returns parents[node] (sorted).
 */
export function hillClimb(stats: SufficientStats, c: Constraints, opts: SearchOptions): number[][] {
  const start: number[][] = Array.from({ length: c.d }, () => []);
  for (const [from, to] of c.required) if (!start[to].includes(from)) start[to].push(from);
  return climb(stats, c, opts, start);
}

function hillClimbFrom(
  stats: SufficientStats,
  c: Constraints,
  opts: SearchOptions,
  order: readonly number[],
): number[][] {
  const start: number[][] = Array.from({ length: c.d }, () => []);
  for (const [from, to] of c.required) if (!start[to].includes(from)) start[to].push(from);
  return climb(stats, c, opts, start, order);
}

function totalScore(stats: SufficientStats, parents: readonly number[][]): number {
  return parents.reduce((s, ps, v) => s + stats.bic(v, ps), 0);
}

/**
 * Hill climbing with random restarts: after the first climb, reverse or drop a few random
 * non-required edges of the best graph and climb again; keep the best-scoring graph. Wrongly
 * oriented edges found early (a child wired as a parent) are the usual trap this escapes.
 */
export function hillClimbRestarts(
  stats: SufficientStats,
  c: Constraints,
  opts: SearchOptions & { restarts: number; stream: Stream },
): number[][] {
  return runSteps(hillClimbRestartSteps(stats, c, opts));
}

/** `hillClimbRestarts`, yielding after each climb (fit's cancellation points). */
export function* hillClimbRestartSteps(
  stats: SufficientStats,
  c: Constraints,
  opts: SearchOptions & { restarts: number; stream: Stream },
): Steps<number[][]> {
  let best = hillClimb(stats, c, opts);
  let bestScore = totalScore(stats, best);
  const limit = (v: number) => opts.maxParentsOf?.(v) ?? opts.maxParents;
  for (let r = 0; r < opts.restarts; r++) {
    yield;
    // Visiting order decides which of two equally good orientations is taken first.
    const order = Array.from({ length: c.d }, (_, i) => i);
    shuffleInPlace(order, opts.stream);
    if (r % 2 === 1) {
      const cand = hillClimbFrom(stats, c, opts, order);
      const s = totalScore(stats, cand);
      if (s > bestScore + 1e-9) {
        best = cand;
        bestScore = s;
      }
      continue;
    }
    const g = best.map((ps) => [...ps]);
    const edges: [number, number][] = [];
    g.forEach((ps, to) => {
      for (const from of ps) if (!c.isRequired(from, to) && !c.fixed.has(to)) edges.push([from, to]);
    });
    if (edges.length === 0) break;
    const k = 1 + opts.stream.nextInt(Math.max(1, Math.ceil(edges.length / 2)));
    for (let i = 0; i < k; i++) {
      const [from, to] = edges[opts.stream.nextInt(edges.length)];
      if (!g[to].includes(from)) continue;
      g[to] = g[to].filter((p) => p !== from);
      const canReverse =
        !c.fixed.has(from) && c.allowed(to, from) && g[from].length < limit(from) && !reachable(g, from, to);
      if (canReverse && opts.stream.nextFloat() < 0.7) g[from].push(to);
    }
    const cand = climb(stats, c, opts, g, order);
    const s = totalScore(stats, cand);
    if (s > bestScore + 1e-9) {
      best = cand;
      bestScore = s;
    }
  }
  return best;
}

function climb(
  stats: SufficientStats,
  c: Constraints,
  opts: SearchOptions,
  start: number[][],
  order: readonly number[] = Array.from({ length: start.length }, (_, i) => i),
): number[][] {
  const d = c.d;
  const limit = (v: number) => opts.maxParentsOf?.(v) ?? opts.maxParents;
  const parents: number[][] = start.map((ps) => [...ps]);
  const score = parents.map((ps, v) => stats.bic(v, ps));
  const maxIter = opts.maxIterations ?? 10 * d * d;
  const tabuSteps = opts.tabuSteps ?? Math.max(10, d);
  const keyOf = (ps: readonly number[]) => [...ps].sort((a, b) => a - b).join(',');
  const keys = parents.map(keyOf);
  const graphKey = (changes: [number, string][]) => {
    const k = [...keys];
    for (const [v, s] of changes) k[v] = s;
    return k.join(';');
  };
  const visited = new Set<string>([keys.join(';')]);
  let best = { total: score.reduce((a, b) => a + b, 0), parents: parents.map((p) => [...p]) };
  let sinceBest = 0;
  for (let iter = 0; iter < maxIter && sinceBest <= tabuSteps; iter++) {
    let bestDelta = Number.NEGATIVE_INFINITY;
    let apply: (() => void) | null = null;
    const consider = (delta: number, changes: [number, number[], number][]) => {
      if (!(delta > bestDelta)) return;
      const key = graphKey(changes.map(([v, ps]) => [v, keyOf(ps)]));
      if (visited.has(key)) return;
      bestDelta = delta;
      apply = () => {
        for (const [v, ps, s] of changes) {
          parents[v] = ps;
          score[v] = s;
          keys[v] = keyOf(ps);
        }
        visited.add(key);
      };
    };
    for (const to of order) {
      if (c.fixed.has(to)) continue;
      for (const from of order) {
        if (from === to) continue;
        const has = parents[to].includes(from);
        if (!has) {
          // add from → to
          if (parents[to].length >= limit(to) || !c.allowed(from, to)) continue;
          if (reachable(parents, to, from)) continue;
          const np = [...parents[to], from];
          const s = stats.bic(to, np);
          consider(s - score[to], [[to, np, s]]);
        } else {
          if (c.isRequired(from, to)) continue;
          // remove from → to
          const np = parents[to].filter((p) => p !== from);
          const sNew = stats.bic(to, np);
          consider(sNew - score[to], [[to, np, sNew]]);
          // reverse: to → from
          if (c.fixed.has(from) || parents[from].length >= limit(from) || !c.allowed(to, from)) continue;
          if (reachable(parents, from, to, [from, to])) continue;
          const npFrom = [...parents[from], to];
          const sFrom = stats.bic(from, npFrom);
          consider(sNew - score[to] + sFrom - score[from], [
            [to, np, sNew],
            [from, npFrom, sFrom],
          ]);
        }
      }
    }
    if (!apply) break;
    (apply as () => void)();
    const total = score.reduce((a, b) => a + b, 0);
    if (total > best.total + 1e-9) {
      best = { total, parents: parents.map((p) => [...p]) };
      sinceBest = 0;
    } else sinceBest++;
  }
  return best.parents.map((ps) => [...ps].sort((a, b) => a - b));
}

/** PrivBayes' sensitivity of mutual information for n rows (Zhang et al., Lemma 4.1). */
export function miSensitivity(n: number): number {
  return (2 / n) * Math.log((n + 1) / 2) + ((n - 1) / n) * Math.log((n + 1) / (n - 1));
}

function combinations(items: readonly number[], k: number): number[][] {
  const out: number[][] = [];
  const pick: number[] = [];
  const rec = (start: number) => {
    if (pick.length === k) {
      out.push([...pick]);
      return;
    }
    for (let i = start; i < items.length; i++) {
      pick.push(items[i]);
      rec(i + 1);
      pick.pop();
    }
  };
  rec(0);
  return out;
}

/**
 * PrivBayes structure: epsilon-DP (for the structure choice) greedy network construction.
 * Knowledge is honoured by only offering candidate pairs that satisfy it: required / fixed
 * parents are always in the set, disallowed parents never are.
 */
export function privBayesStructure(
  stats: SufficientStats,
  c: Constraints,
  opts: SearchOptions & { epsilon: number; stream: Stream },
): number[][] {
  const d = c.d;
  const limit = (v: number) => opts.maxParentsOf?.(v) ?? opts.maxParents;
  const parents: number[][] = Array.from({ length: d }, () => []);
  const requiredOf = (v: number) => c.required.filter(([, to]) => to === v).map(([from]) => from);
  const chosen: number[] = [];
  const inNet = new Uint8Array(d);
  const perChoice = d > 1 ? opts.epsilon / (d - 1) : opts.epsilon;
  const sens = miSensitivity(Math.max(stats.n, 2));
  const ready = (v: number) => !inNet[v] && requiredOf(v).every((p) => inNet[p]);
  // First node: uniformly among nodes whose required parents are none (no budget spent).
  const firsts = Array.from({ length: d }, (_, v) => v).filter((v) => requiredOf(v).length === 0);
  const first = firsts[opts.stream.nextInt(firsts.length)];
  chosen.push(first);
  inNet[first] = 1;
  while (chosen.length < d) {
    const cands: { v: number; ps: number[]; score: number }[] = [];
    for (let v = 0; v < d; v++) {
      if (!ready(v)) continue;
      const req = requiredOf(v);
      const fixed = c.fixed.get(v);
      if (fixed) {
        cands.push({ v, ps: [...fixed], score: 0 });
        continue;
      }
      const pool = chosen.filter((p) => c.allowed(p, v) && !req.includes(p));
      const k = Math.max(0, Math.min(limit(v), req.length + pool.length) - req.length);
      for (const extra of combinations(pool, k)) {
        const ps = [...req, ...extra];
        if (stats.cells(v, ps) === Number.POSITIVE_INFINITY) continue;
        cands.push({ v, ps, score: 0 });
      }
      if (k === 0 && cands.every((x) => x.v !== v)) cands.push({ v, ps: req, score: 0 });
    }
    if (cands.length === 0)
      throw new Error('privBayesStructure: no candidate (knowledge should have been checked)');
    let maxS = Number.NEGATIVE_INFINITY;
    for (const cand of cands) {
      cand.score = (perChoice * mutualInformation(stats.counts(cand.v, cand.ps))) / (2 * sens);
      if (cand.score > maxS) maxS = cand.score;
    }
    let total = 0;
    const w = cands.map((cand) => {
      const x = Math.exp(cand.score - maxS);
      total += x;
      return x;
    });
    let u = opts.stream.nextFloat() * total;
    let pick = cands.length - 1;
    for (let i = 0; i < w.length; i++) {
      u -= w[i];
      if (u < 0) {
        pick = i;
        break;
      }
    }
    const { v, ps } = cands[pick];
    parents[v] = [...ps].sort((a, b) => a - b);
    chosen.push(v);
    inNet[v] = 1;
  }
  return parents;
}
