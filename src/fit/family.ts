/**
 * Families of numeric columns on one scale, and their summary as a parent expression.
 *
 * A panel written as columns (a client's bill or payment for each of six months) carries a level
 * that persists across every member: a client who pays about 5,000 pays about 5,000 in month 1
 * and in month 6. A network whose numeric children follow one earlier member (a month-to-month
 * chain) loses it, link by link: on Taiwan, PAY_AMT2 × PAY_AMT6 reached bivariate 0.869 against a
 * bootstrap ceiling of 0.973 (bench/pair-gap.ts, stop 24). The mean of the members already drawn
 * is a parent that keeps the level (anchor.ts weighs it against the one-parent tie, held out).
 *
 * Members are found from the data, never by name: numeric columns drawn before the child (its
 * ancestors), never missing, of the child's kind, whose inner quantiles (10%–90% spread) are
 * within a factor of `maxScaleRatio` of the child's, rank-correlated with the child and, on
 * average, with each other. Pure functions over the encoded nodes.
 */
import { binCount, type NodeColumn, quantileBreaks, recodeNumericNode } from './encode.js';
import { type Coded, heldOutLogLik, scoringCodes } from './heldout.js';
import { rankCorrelation } from './refine.js';

/** A family summary: the expression the model file carries and its value on every row. */
export interface FamilySummary {
  /** Node indices of the members, in the order the expression sums them. */
  members: number[];
  /** `(a + b + c) / 3` with quoted names. */
  expr: string;
  values: Float64Array;
}

export interface FamilyOptions {
  /** Least |rank correlation| of a member with the child (default 0.3). */
  minCorrelation?: number;
  /** Least mean |rank correlation| of a member with the other members (default 0.3). */
  minMutual?: number;
  /** Largest ratio of two members' 10%–90% spreads (default 4). */
  maxScaleRatio?: number;
  /** Most members (the most correlated with the child are kept; default 12). */
  maxMembers?: number;
}

const timeLike = (k: string): boolean => k === 'datetime' || k === 'date';

/** The 10% and 90% quantiles of the present values. */
function spreadOf(values: Float64Array): { lo: number; hi: number } {
  const s = values.filter((x) => !Number.isNaN(x)).sort();
  if (s.length === 0) return { lo: 0, hi: 0 };
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
  return { lo: at(0.1), hi: at(0.9) };
}

/** Whether two spreads are on one scale: widths within `ratio` and overlapping ranges. */
function sameScale(a: { lo: number; hi: number }, b: { lo: number; hi: number }, ratio: number): boolean {
  const wa = a.hi - a.lo;
  const wb = b.hi - b.lo;
  if (!(wa > 0 && wb > 0)) return false;
  if (Math.max(wa, wb) / Math.min(wa, wb) > ratio) return false;
  return a.lo <= b.hi && b.lo <= a.hi;
}

/**
 * The family of `v` among `upstream` (columns drawn before it) and the mean of its members as a
 * summary; undefined when fewer than two members qualify (one member is a plain parent, which
 * anchor.ts already weighs).
 */
export function familySummary(
  nodes: readonly NodeColumn[],
  v: number,
  upstream: readonly number[],
  name: (node: NodeColumn) => string,
  opts: FamilyOptions = {},
): FamilySummary | undefined {
  const child = nodes[v];
  if (child.role !== 'numeric' || timeLike(child.info.kind)) return undefined;
  const minCorr = opts.minCorrelation ?? 0.3;
  const minMutual = opts.minMutual ?? 0.3;
  const ratio = opts.maxScaleRatio ?? 4;
  const childSpread = spreadOf(child.values);
  const scored: { u: number; rho: number }[] = [];
  for (const u of upstream) {
    const node = nodes[u];
    if (u === v || node.role !== 'numeric' || node.hasMissing || node.info.kind !== child.info.kind) continue;
    if (!sameScale(childSpread, spreadOf(node.values), ratio)) continue;
    const rho = Math.abs(rankCorrelation(child.values, node.values));
    if (rho >= minCorr) scored.push({ u, rho });
  }
  scored.sort((a, b) => b.rho - a.rho || a.u - b.u);
  const candidates = scored.slice(0, opts.maxMembers ?? 12).map((s) => s.u);
  if (candidates.length < 2) return undefined;
  // Mutual correlation: a member must move with the others, not only with the child (a limit
  // that bounds every bill is not one of the bills).
  const corr = candidates.map((a) =>
    candidates.map((b) => (a === b ? 1 : Math.abs(rankCorrelation(nodes[a].values, nodes[b].values)))),
  );
  const members = candidates
    .filter((_, i) => {
      const others = corr[i].filter((_, j) => j !== i);
      return others.reduce((s, x) => s + x, 0) / others.length >= minMutual;
    })
    .sort((a, b) => a - b);
  if (members.length < 2) return undefined;
  const k = members.length;
  const expr = `(${members.map((u) => name(nodes[u])).join(' + ')}) / ${k}`;
  const values = new Float64Array(child.values.length);
  for (let i = 0; i < values.length; i++) {
    // Summed in the expression's order, so the engine computes the same value.
    let s = nodes[members[0]].values[i];
    for (let t = 1; t < k; t++) s += nodes[members[t]].values[i];
    values[i] = s / k;
  }
  return { members, expr, values };
}

/** A family summary as a parent node of the child's table (see familyParent). */
export interface FamilyParent {
  summary: FamilySummary;
  /** The summary binned on its quantiles; its name is the summary's expression. */
  node: NodeColumn;
  /** Held-out log-likelihood gain of the child, nats per row. */
  gain: number;
}

/**
 * Held-out gain (nats per row, heldout.ts) the family's level must bring as one more parent of
 * the child's table: it multiplies the table's states, so it must predict rows it was not fitted
 * on, as a point-mass state must (atom-states.ts).
 */
export const MIN_FAMILY_GAIN = 0.005;

/**
 * The family summary of `v` binned as a parent, when it raises the child's held-out
 * log-likelihood given `parents` by more than `minGain`; undefined otherwise.
 */
export function familyParent(
  nodes: readonly NodeColumn[],
  v: number,
  parents: readonly number[],
  upstream: readonly number[],
  name: (node: NodeColumn) => string,
  opts: FamilyOptions & { minGain?: number } = {},
): FamilyParent | undefined {
  const summary = familySummary(nodes, v, upstream, name, opts);
  if (!summary) return undefined;
  const first = nodes[summary.members[0]];
  const sorted = Float64Array.from(summary.values).sort();
  const base: NodeColumn = {
    ...first,
    name: summary.expr,
    info: { ...first.info, name: summary.expr },
    values: summary.values,
    hasMissing: false,
  };
  const child = scoringCodes(nodes[v]);
  const given: Coded[] = parents.map((p) => nodes[p]);
  const plain = heldOutLogLik(child, given);
  // The structure search's bin count, or twice it: a level read finer is worth more states where
  // the family is tight (held out decides; a 6-column panel: +0.030 nats/row at 8 bins, +0.081 at 16).
  let best: FamilyParent | undefined;
  for (const bins of [binCount(sorted.length), 2 * binCount(sorted.length)]) {
    const node = recodeNumericNode(base, quantileBreaks(sorted, bins, true));
    if (node.card < 2) continue;
    const gain = heldOutLogLik(child, [...given, node]) - plain;
    if (gain > (opts.minGain ?? MIN_FAMILY_GAIN) && (!best || gain > best.gain))
      best = { summary, node, gain };
  }
  return best;
}

/** Every ancestor of `v` in a graph given as parent lists (the columns drawn before it). */
export function ancestorsOf(parents: readonly (readonly number[])[], v: number): number[] {
  const seen = new Set<number>();
  const stack = [...parents[v]];
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    stack.push(...parents[u]);
  }
  return [...seen].sort((a, b) => a - b);
}
