/**
 * Parameters of one node given its parents, written as a spec column:
 *  - categorical children: a conditional probability table per observed parent state, shrunk
 *    toward the child's marginal (smoothing that keeps rare-but-real states instead of
 *    flattening them toward uniform);
 *  - numeric children: per parent state, atoms + quantile knots, shrunk toward the marginal for
 *    small states. States with fewer than `minState` rows are not written at all: they fall to
 *    the `default` (the marginal), so no table row describes a handful of real people.
 * With differential privacy every count table (all cells, empty or not) gets Laplace noise first.
 */

import { ANY_STATE, labelToWhen } from '../model/conditional-rows.js';
import { nameMap } from '../names.js';
import type { Stream } from '../random/stream.js';
import type { Column, ConditionalRow, Dist } from '../spec/schema.js';
import { type Anchor, chooseAnchor, exprName } from './anchor.js';
import { proposeAtomStates } from './atom-states.js';
import { buildBackoff, type Backoff as CategoricalBackoff, codeMutualInformation } from './backoff.js';
import { compactLaw } from './compact-law.js';
import { type ContextTree, chooseContextTree, growBestTree, treeParents } from './context-tree.js';
import {
  type EmpiricalModel,
  empiricalFromHistogram,
  empiricalFromValues,
  frequentValues,
  type Granularity,
  knotCount,
  mixToward,
  shrinkToward,
  thinKnots,
} from './empirical.js';
import { MISSING_STATE, type NodeColumn, numberLabel, quantileBreaks, recodeNumericNode } from './encode.js';
import { type FamilyParent, familyParent } from './family.js';
import { scoringCodes } from './heldout.js';
import { mergeStates } from './merge-states.js';
import { buildNumericBackoff, type NumericBackoff } from './numeric-backoff.js';
import { noisyCounts } from './privacy.js';
import { functionalBreaks, type RefineOptions, refineParents } from './refine.js';
import { roundLaw, roundShare } from './row-precision.js';
import type { TreeNode } from './tree.js';
import { treeRows } from './tree-rows.js';

/** How a child's conditional table is written (ParamOptions.tables). */
export type TableKind = 'auto' | 'all' | 'always' | 'never';
// plain-object: fixed keys (every TableKind, which the compiler checks)
const TABLE_KIND_SET: Record<TableKind, true> = { auto: true, all: true, always: true, never: true };
export const isTableKind = (s: string): s is TableKind => Object.hasOwn(TABLE_KIND_SET, s);

export interface ParamOptions {
  /** Rare-value threshold k: states with fewer rows get no row of their own (a wildcard back-off row or the default). */
  minCount: number;
  /** Numeric children: states with fewer non-missing rows use the marginal (default 20). */
  minNumericState?: number;
  /** Pseudo-count of the shrinkage toward the marginal (default 2 for tables, 10 for knots). */
  smoothing?: number;
  knotShrink?: number;
  /** Categorical children: pseudo-count of each back-off level's prior (default 4). */
  backoffAlpha?: number;
  /** Point masses: values with at least this share of the non-missing values (default 0.03). */
  atomShare?: number;
  /** Differential privacy: Laplace scale on every count and the stream for the noise. */
  dp?: { scale: number; stream: Stream };
  /** Finer bins of a strongly dependent numeric parent (see refine.ts); false = off. */
  refine?: RefineOptions | false;
  /** "Parent + residual" for numeric children that track a numeric parent (see chooseAnchor); false = off. */
  anchor?: false;
  /** Point masses of numeric parents as states of their own where that wins held out (atom-states.ts); false = off. */
  atomStates?: false;
  /**
   * Context-specific tables (context-tree.ts): 'auto' (default) = a tree of parent conditions
   * for a numeric child where it predicts held-out rows as well as the full table; 'all' = for
   * categorical children too; 'always'; 'never' = full tables.
   * Never under DP (the tree's choice of splits reads the exact counts).
   */
  tables?: TableKind;
  /**
   * Numeric laws of rounded data are written with the atoms and knots their rows support: a
   * number is written when it buys more than lawPenalty × BIC's ln(n)/2 in log-likelihood
   * (compact-law.ts). Default LAW_PENALTY; 0 = off (every atom kept, knots only thinned).
   */
  lawPenalty?: number;
  /**
   * Categorical children's full tables: parent states whose counts a likelihood-ratio test at
   * this level cannot tell apart share one row (merge-states.ts). Default MERGE_ALPHA; 0 = off.
   */
  mergeAlpha?: number;
  /**
   * Numeric children: the parents were chosen from every column upstream (upstream-trees.ts), so
   * the tree over them is written directly, with ≥ `minLeaf` rows per leaf; no full table is
   * built (it could not be). `gain` (nats per held-out row over the parent-set mechanism) goes
   * into the column's comment.
   */
  upstream?: { minLeaf: number; maxLeaves?: number; gain: number };
  /**
   * Numeric children: the columns drawn before this one (its ancestors). Those on the child's
   * scale that move with it form its family, whose mean is offered as a tied parent (family.ts,
   * anchor.ts); absent = none.
   */
  drawnBefore?: readonly number[];
}

/**
 * Level of the test that keeps two parent states apart (ParamOptions.mergeAlpha). Measured on
 * the Adult bench (detection AUC, medians of 3 generation seeds; main 0.598, range 0.595–0.603):
 * 0.05 → 0.600, 0.001 → 0.603, 1e-12 → 0.611; German 0.577 → 0.578 / 0.575 / 0.624. The default
 * is the level that stays inside main's seed spread on both (docs/fit.md).
 */
export const MERGE_ALPHA = 0.05;

/**
 * Most parent states a numeric child's full table may have: beyond it the child is written as a
 * tree directly (a hand-edited or refined model whose child reads many upstream columns: the
 * table's per-state arrays would not fit in memory, and it could hold no more than a tree).
 */
const MAX_TABLE_STATES = 1 << 22;

export interface NodeFit {
  column: Column;
  /** One-line human summary of what was learned (written as a YAML comment). */
  summary: string;
  /** Parent states written as their own rows. */
  states: number;
  /** Written as a context-specific tree (context-tree.ts), not a full table. */
  tree?: true;
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
};
const pct = (x: number): string => `${x < 0.001 && x > 0 ? '<0.1' : (100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;

/** Rounding interval of the recorded values (see empirical.ts' dequantisation). */
export function granularityOf(node: NodeColumn): Granularity {
  const { info } = node;
  const lo = info.min ?? Number.NEGATIVE_INFINITY;
  const hi = info.max ?? Number.POSITIVE_INFINITY;
  if (info.kind === 'integer') return { width: 1, anchor: 'centre', lo, hi };
  if (info.kind === 'number') return { width: 10 ** -(info.decimals ?? 0), anchor: 'centre', lo, hi };
  if (info.kind === 'date') return { width: 86_400_000, anchor: 'floor', lo, hi: hi + 86_399_999 };
  return { width: 0, anchor: 'centre', lo, hi };
}

/**
 * Decimals of the knots written to the file: one more than the data has. Knots of rounded data
 * are quantiles of dequantised values (spread over each rounding interval), so a tenth of the
 * rounding step is all they carry; more digits only lengthen the file (Adult: 3 → 1 decimal).
 */
function knotDigits(node: NodeColumn): number {
  if (node.info.kind === 'datetime' || node.info.kind === 'date') return 0;
  if (node.info.kind === 'number') return Math.min(12, (node.info.decimals ?? 0) + 1);
  return 1;
}

/**
 * How far (in probability) a written knot table's CDF may stray from the fitted one: 0.5%,
 * below what the accuracy measures resolve (measured in docs/fit.md).
 */
const KNOT_TOLERANCE = 0.005;

/** Significant digits of the probabilities written to the file. */
const PROB_DIGITS = 4;
/**
 * Point masses below this probability are not written (their mass goes back to the rest of the
 * row, proportionally). A state mixed toward its back-off inherits every atom of the wider group
 * at a tiny weight (Adult hours_per_week: "36": 0.000001); such atoms change no frequency anyone
 * can measure and were most of the file.
 */
export const MIN_ATOM_PROBABILITY = 5e-4;

/** A probability floored to PROB_DIGITS significant digits (so point masses still sum to ≤ 1). */
function prob(p: number): number {
  if (!(p > 0)) return 0;
  const f = 10 ** (PROB_DIGITS - 1 - Math.floor(Math.log10(p)));
  return Math.min(1, Math.floor(p * f * (1 + 1e-12)) / f);
}

/**
 * A category law as written: with `n` (the rows it stands for) each probability carries the digits
 * n resolves and the row sums to 1 (row-precision.ts); without, PROB_DIGITS significant digits.
 */
function valuesObject(
  labels: readonly string[],
  probs: ArrayLike<number>,
  n?: number,
): Record<string, number> {
  const out: Record<string, number> = nameMap();
  const rounded =
    n === undefined
      ? undefined
      : roundLaw(
          Array.from(labels, (_, i) => probs[i]),
          n,
        );
  labels.forEach((l, i) => {
    if (rounded) {
      if (rounded[i] > 0) out[l] = rounded[i];
      return;
    }
    const p = round(probs[i], 6);
    if (p > 0) out[l] = Number(p.toPrecision(PROB_DIGITS));
  });
  if (Object.keys(out).length === 0) out[labels[0]] = 1;
  return out;
}

/** Point masses as written: ascending keys, probabilities × `scale`, those below the floor left out. */
function probabilityMap(m: ReadonlyMap<number, number>, scale = 1): Record<string, number> | undefined {
  const out: Record<string, number> = nameMap();
  let any = false;
  for (const [a, p] of [...m].sort((x, y) => x[0] - y[0])) {
    if (p < MIN_ATOM_PROBABILITY) continue;
    const q = prob(p * scale);
    if (q > 0) {
      out[numberLabel(a)] = q;
      any = true;
    }
  }
  return any ? out : undefined;
}

/** Total probability of the point masses below the floor (they are not written). */
function droppedMass(...maps: (ReadonlyMap<number, number> | undefined)[]): number {
  let t = 0;
  for (const m of maps) for (const p of m?.values() ?? []) if (p < MIN_ATOM_PROBABILITY) t += p;
  return t;
}

/** Multiplier of BIC's price per written number of a numeric law (compact-law.ts). */
export const LAW_PENALTY = 0.1;

/** How a law is written: the rows it stands for and the price per number (ParamOptions.lawPenalty). */
interface LawSize {
  rows: number;
  penalty: number;
}

/**
 * The spec's empirical dist of a model; `anchor` for an anchored model (see chooseAnchor). Laws
 * of rounded data are first compacted (compact-law.ts): point masses a law of `size.rows` rows
 * cannot tell from its neighbours are folded into the continuous part, and the knots thinned.
 */
function empiricalDist(
  m0: EmpiricalModel,
  node: NodeColumn,
  fallbackKnots: number[],
  size: LawSize,
  anchor?: { shift: string; continuous: 'value' | 'offset'; slope: number; copy?: string },
): Dist {
  const digits = knotDigits(node);
  const g = granularityOf(node);
  const compact = !anchor && g.width > 0 && size.penalty > 0;
  const m = !compact
    ? m0
    : compactLaw(m0, {
        n: size.rows,
        penalty: size.penalty,
        width: g.width,
        anchor: g.anchor,
      });
  const given = m.knots ?? fallbackKnots;
  // Thinned to the knots the shape needs (within half a knot step of the given table's CDF);
  // a compacted law already is.
  const thin = !compact && given.length > 5 ? thinKnots(given, KNOT_TOLERANCE, anchor ? 0 : g.width) : given;
  let knots = thin.map((k) => round(k, digits));
  if (knots.length < 2) knots = [knots[0], knots[0]];
  const dropped = droppedMass(m.atoms, anchor ? m.offsets : undefined);
  const scale = dropped > 0 && dropped < 1 ? 1 / (1 - dropped) : 1;
  const atoms = probabilityMap(m.atoms, scale);
  const offsets = anchor && m.offsets ? probabilityMap(m.offsets, scale) : undefined;
  // The copy's mass, written like a point mass (0 when the state has none).
  const copied = anchor?.copy === undefined ? undefined : prob((m.copied ?? 0) * scale);
  return {
    empirical: {
      knots,
      ...(atoms ? { atoms } : {}),
      ...(anchor ? { shift: anchor.shift } : {}),
      ...(offsets ? { offsets } : {}),
      ...(anchor?.continuous === 'offset' ? { continuous: 'offset' as const } : {}),
      ...(anchor?.continuous === 'offset' && anchor.slope !== 1 ? { slope: anchor.slope } : {}),
      ...(anchor?.copy !== undefined && copied !== undefined ? { copy: anchor.copy, copied } : {}),
    },
  };
}

/** Mixed-radix parent configuration of every row. */
function configIndex(
  nodes: readonly NodeColumn[],
  parents: readonly number[],
): { cfg: Int32Array; q: number } {
  const n = nodes[0].codes.length;
  const cfg = new Int32Array(n);
  let q = 1;
  for (const p of parents) {
    const { codes, card } = nodes[p];
    for (let i = 0; i < n; i++) cfg[i] = cfg[i] * card + codes[i];
    q *= card;
  }
  return { cfg, q };
}

/** The code of a back-off row's wildcard parent (any state) in merge-states' sets. */
const WILD = -1;

/** A parent configuration's state code per parent (the inverse of configIndex's radix). */
function configCodes(nodes: readonly NodeColumn[], parents: readonly number[], j: number): number[] {
  const codes: number[] = new Array(parents.length);
  for (let k = parents.length - 1; k >= 0; k--) {
    const card = nodes[parents[k]].card;
    codes[k] = j % card;
    j = Math.floor(j / card);
  }
  return codes;
}

/**
 * The `when` of a merged row (merge-states.ts): per parent its one state, `"*"` when the set holds
 * every state of the parent, or the list of its states.
 */
function setsWhen(
  nodes: readonly NodeColumn[],
  parents: readonly number[],
  sets: readonly number[][],
): ConditionalRow['when'] {
  return sets.map((set, k) => {
    const node = nodes[parents[k]];
    if (set[0] === WILD) return ANY_STATE;
    if (set.length === 1) return labelToWhen(node.stateLabels[set[0]]);
    if (set.length === node.card) return ANY_STATE;
    return set.map((c) => labelToWhen(node.stateLabels[c]));
  });
}

function decodeConfig(nodes: readonly NodeColumn[], parents: readonly number[], j: number): string[] {
  const labels: string[] = new Array(parents.length);
  for (let k = parents.length - 1; k >= 0; k--) {
    const node = nodes[parents[k]];
    // a category whose value is "*" is written escaped, so it is not read as "any state"
    labels[k] = labelToWhen(node.stateLabels[j % node.card]);
    j = Math.floor(j / node.card);
  }
  return labels;
}

function baseColumn(node: NodeColumn): Column {
  const { info } = node;
  if (node.role === 'discrete') return { type: info.kind === 'integer' ? 'integer' : 'category' };
  const col: Column = { type: info.kind as 'integer' | 'number' | 'datetime' | 'date' };
  if (info.kind === 'datetime' || info.kind === 'date') {
    col.format = info.format;
    col.min = new Date(info.min!).toISOString();
    col.max = new Date(info.max!).toISOString();
    if (info.kind === 'date') {
      col.min = col.min.slice(0, 10);
      col.max = col.max.slice(0, 10);
    }
  } else {
    col.min = info.min;
    col.max = info.max;
  }
  if (info.kind === 'number') col.decimals = info.decimals;
  return col;
}

/** Fit one node's mechanism given its parents (node indices). */
export function fitNode(
  nodes: readonly NodeColumn[],
  v: number,
  parents: readonly number[],
  opts: ParamOptions,
): NodeFit {
  const node = nodes[v];
  return node.role === 'discrete'
    ? fitDiscrete(nodes, v, parents, opts)
    : fitNumeric(nodes, v, parents, opts);
}

function parentSpecs(nodes: readonly NodeColumn[], parents: readonly number[]) {
  return parents.map((p) =>
    nodes[p].role === 'numeric'
      ? { column: nodes[p].name, breaks: nodes[p].breaks }
      : { column: nodes[p].name },
  );
}

/**
 * Numeric parents re-coded with their point masses as states of their own, where that wins on
 * held-out likelihood (atom-states.ts); the note says which, for the column's comment.
 */
function withAtomStates(
  nodes: readonly NodeColumn[],
  v: number,
  parents: readonly number[],
  opts: ParamOptions,
): { nodes: readonly NodeColumn[]; note: string } {
  if (opts.dp || opts.atomStates === false || parents.length === 0) return { nodes, note: '' };
  const found = proposeAtomStates(nodes, v, parents);
  if (found.length === 0) return { nodes, note: '' };
  const out = nodes.slice();
  for (const c of found) out[c.parent] = c.node;
  const what = found
    .map((c) => `${nodes[c.parent].name} = ${c.atoms.map(numberLabel).join(', ')}`)
    .join('; ');
  return {
    nodes: out,
    note: `; own parent states for ${what} (+${found.reduce((t, c) => t + c.gain, 0).toFixed(3)} nats/row held out)`,
  };
}

function fitDiscrete(
  allNodes: readonly NodeColumn[],
  v: number,
  parents: readonly number[],
  opts: ParamOptions,
): NodeFit {
  // A numeric parent the child is a function of (an age band of the age) is cut at the child's
  // band edges for this table instead of at its quantile bins.
  let nodes = allNodes;
  if (!opts.dp && opts.refine !== false)
    for (const p of parents) {
      const breaks = functionalBreaks(nodes[p], nodes[v], opts.minCount);
      if (!breaks) continue;
      if (nodes === allNodes) nodes = allNodes.slice();
      (nodes as NodeColumn[])[p] = recodeNumericNode(nodes[p], breaks);
    }
  const atomStates = withAtomStates(nodes, v, parents, opts);
  nodes = atomStates.nodes;
  const node = nodes[v];
  const r = node.card;
  const { cfg, q } = configIndex(nodes, parents);
  let counts: Float64Array = new Float64Array(q * r);
  for (let i = 0; i < cfg.length; i++) counts[cfg[i] * r + node.codes[i]]++;
  if (opts.dp) counts = noisyCounts(counts, opts.dp.scale, opts.dp.stream.derive('params', node.name));
  const marg = new Float64Array(r);
  for (let j = 0; j < q; j++) for (let k = 0; k < r; k++) marg[k] += counts[j * r + k];
  const total = marg.reduce((a, b) => a + b, 0) || 1;
  for (let k = 0; k < r; k++) marg[k] /= total;
  const labels = node.labels;
  // n: the rows the law stands for (its digits, row-precision.ts); the missing share is rounded alike
  const split = (p: ArrayLike<number>, n?: number) => {
    const miss = node.hasMissing ? p[r - 1] : 0;
    const present = Array.from({ length: labels.length }, (_, k) => p[k] / (1 - miss || 1));
    return {
      values: valuesObject(labels, present, n === undefined ? undefined : n * (1 - miss)),
      missing: n === undefined ? miss : roundShare(miss, n),
    };
  };
  const col = baseColumn(node);
  const def = split(marg, opts.dp ? undefined : total);
  const top = Object.entries(def.values)
    .slice(0, 3)
    .map(([k, p]) => `${k} ${pct(p)}`)
    .join(', ');
  let summary = `${labels.length} values (${top}${labels.length > 3 ? ', …' : ''})`;
  if (node.pooled > 0)
    summary +=
      node.info.kind === 'integer'
        ? `; ${node.pooled} rare value(s) merged into the nearest kept value`
        : `; ${node.pooled} rare value(s) pooled into "(other)"`;
  if (def.missing > 0) summary += `; ${pct(def.missing)} missing`;
  if (parents.length === 0) {
    col.values = def.values;
    if (def.missing > 0) col.missing = round(def.missing, 6);
    return { column: col, summary, states: 0 };
  }
  const tree = contextTree(nodes, v, parents, opts);
  if (tree) {
    const rows = treeRows(
      tree.tree,
      parents.map((p) => nodes[p].stateLabels),
      (leaf) => {
        const s = split(leaf.dist, leaf.rows.length);
        return node.hasMissing
          ? { values: s.values, missing: round(s.missing, 6), n: leaf.rows.length }
          : { values: s.values, n: leaf.rows.length };
      },
    );
    col.given = parents.map((p) => nodes[p].name);
    col.conditional = { parents: parentSpecs(nodes, parents), rows };
    summary += `; ${treeNote(tree)}${atomStates.note}`;
    return { column: col, summary, states: rows.length, tree: true };
  }
  const smoothing = opts.smoothing ?? 2;
  // Without DP, states are smoothed toward the child given their more informative parents
  // (backoff.ts); under DP only the noisy table is used, so toward its marginal.
  const backoff =
    opts.dp || parents.length < 2
      ? undefined
      : buildBackoff({
          child: node.codes,
          r,
          parents: parents.map((p) => ({ codes: nodes[p].codes, card: nodes[p].card })),
          alpha: opts.backoffAlpha ?? 4,
        });
  // Every state with ≥ k rows: its raw counts (the merge test) and its smoothed pseudo-counts.
  const states: { j: number; n: number; raw: Float64Array; pseudo: Float64Array }[] = [];
  for (let j = 0; j < q; j++) {
    let nj = 0;
    for (let k = 0; k < r; k++) nj += counts[j * r + k];
    if (nj < opts.minCount) continue;
    const prior = backoff?.priorOf(j) ?? marg;
    const raw = counts.slice(j * r, (j + 1) * r);
    const pseudo = new Float64Array(r);
    for (let k = 0; k < r; k++) pseudo[k] = raw[k] + smoothing * prior[k];
    states.push({ j, n: nj, raw, pseudo });
  }
  // States the data cannot tell apart share one row (merge-states.ts); not under DP (noisy counts).
  const alpha = opts.dp ? 0 : (opts.mergeAlpha ?? MERGE_ALPHA);
  const groups = mergeStates(
    { codes: states.map((st) => configCodes(nodes, parents, st.j)), counts: states.map((st) => st.raw) },
    alpha,
  );
  const rows: ConditionalRow[] = [];
  for (const g of groups) {
    const pseudo = new Float64Array(r);
    let nj = 0;
    for (const i of g.members) {
      nj += states[i].n;
      for (let k = 0; k < r; k++) pseudo[k] += states[i].pseudo[k];
    }
    const sum = pseudo.reduce((a, b) => a + b, 0);
    const s = split(
      pseudo.map((x) => x / sum),
      opts.dp ? undefined : nj,
    );
    const when =
      g.members.length === 1
        ? decodeConfig(nodes, parents, states[g.members[0]].j)
        : setsWhen(nodes, parents, g.sets);
    const row: ConditionalRow = { when, values: s.values };
    if (node.hasMissing) row.missing = round(s.missing, 6);
    row.n = Math.round(nj);
    rows.push(row);
  }
  if (backoff)
    rows.push(
      ...backedOffRows(nodes, parents, backoff, counts, r, opts.minCount, node.hasMissing, split, alpha),
    );
  col.given = parents.map((p) => nodes[p].name);
  col.conditional = {
    parents: parentSpecs(nodes, parents),
    rows,
    default: node.hasMissing
      ? { values: def.values, missing: round(def.missing, 6) }
      : { values: def.values },
  };
  const merged =
    groups.length < states.length
      ? ` in ${groups.length} row${groups.length === 1 ? '' : 's'} (states alike at α = ${alpha} merged)`
      : '';
  summary += `; ${states.length} parent states${merged}${atomStates.note}`;
  return { column: col, summary, states: rows.length };
}

/** The child's context-specific tree, when it is to be used (see ParamOptions.tables). */
function contextTree(
  nodes: readonly NodeColumn[],
  v: number,
  parents: readonly number[],
  opts: ParamOptions,
): ContextTree | undefined {
  if (opts.dp || opts.tables === 'never' || parents.length === 0) return undefined;
  // Categorical children: only when asked ('all'). Their trees win held out too, but cost
  // Adult's detection AUC (3 generation seeds: numeric trees 0.605, all trees 0.611, full
  // tables 0.600; DCR share 0.517 / 0.501 / 0.529; model 0.28 / 0.10 / 1.01 MB).
  if (nodes[v].role === 'discrete' && opts.tables !== 'all' && opts.tables !== 'always') return undefined;
  return chooseContextTree(nodes, v, parents, {
    minLeaf: Math.max(opts.minCount, opts.minNumericState ?? 20),
    minCount: opts.minCount,
    force: opts.tables === 'always',
  });
}

const treeNote = (t: ContextTree): string => {
  const gain = Number.isFinite(t.gain)
    ? ` (${t.gain >= 0 ? '+' : ''}${t.gain.toFixed(4)} nats/row held out over ${t.over === 'upstream' ? 'its parent-set mechanism' : 'the full table'})`
    : '';
  const what = t.over === 'upstream' ? ' chosen from the columns upstream' : '';
  return `a tree of ${t.leaves} parent condition${t.leaves === 1 ? '' : 's'}${what}${gain}`;
};

/**
 * Rows for the small states of a categorical child (fewer than k rows, or none): every value of
 * the least informative parent under each state of the other parents that holds ≥ k rows gets
 * a row with that state's backed-off distribution. Such a row uses no count of its own state,
 * and all values of the last parent are written alike (seen or not), so the file says nothing
 * about which rare combination exists — only that the ≥ k-row state of the others does. Without
 * them, small states fall to the global default, and the generator pairs, say, a 17-year-old
 * with a Master's degree at the marginal rate.
 */
function backedOffRows(
  nodes: readonly NodeColumn[],
  parents: readonly number[],
  backoff: CategoricalBackoff,
  counts: Float64Array,
  r: number,
  minCount: number,
  hasMissing: boolean,
  split: (p: ArrayLike<number>, n?: number) => { values: Record<string, number>; missing: number },
  alpha: number,
): ConditionalRow[] {
  const m = parents.length;
  const last = backoff.order[m - 1];
  const kept: { pre: CategoricalBackoff['prefixes'][number]; codes: number[] }[] = [];
  const code = new Array<number>(m);
  for (const pre of backoff.prefixes) {
    if (pre.n < minCount) continue;
    for (let k = 0; k < m - 1; k++) code[backoff.order[k]] = pre.codes[k];
    const when = wildcardWhen(nodes, parents, code, last, (j) => {
      let nj = 0;
      for (let c = 0; c < r; c++) nj += counts[j * r + c];
      return nj < minCount;
    });
    if (!when) continue;
    // the wildcard parent's code is WILD for every row, so rows differing in one other parent pair up
    kept.push({ pre, codes: code.map((c, k) => (k === last ? WILD : c)) });
  }
  // Back-off rows the data cannot tell apart are merged like full states (merge-states.ts): the
  // union of two products that differ in one parent is a product, and it covers only states
  // that used one of the two rows.
  const groups = mergeStates(
    { codes: kept.map((x) => x.codes), counts: kept.map((x) => x.pre.counts) },
    alpha,
  );
  return groups.map((g) => {
    const law = new Float64Array(r);
    let n = 0;
    for (const i of g.members) {
      const { pre } = kept[i];
      n += pre.n;
      for (let k = 0; k < r; k++) law[k] += pre.dist[k] * pre.n;
    }
    const s = split(
      law.map((x) => x / n),
      n,
    );
    const row: ConditionalRow = { when: setsWhen(nodes, parents, g.sets), values: s.values };
    if (hasMissing) row.missing = round(s.missing, 6);
    return row;
  });
}

/**
 * The `when` of a back-off row: the other parents' state as in `code`, and `"*"` (any state) for
 * parent `last` — or undefined when no state of `last` needs it (`small(j)` false for all). One
 * wildcard row replaces a copy per state of `last`; states with their own row still use it, since
 * an exact row wins over a wildcard (model/conditional-rows.ts).
 */
function wildcardWhen(
  nodes: readonly NodeColumn[],
  parents: readonly number[],
  code: number[],
  last: number,
  small: (config: number) => boolean,
): ConditionalRow['when'] | undefined {
  const configOf = (x: number) => {
    code[last] = x;
    let j = 0;
    for (let k = 0; k < parents.length; k++) j = j * nodes[parents[k]].card + code[k];
    return j;
  };
  let any = false;
  for (let x = 0; x < nodes[parents[last]].card && !any; x++) any = small(configOf(x));
  if (!any) return undefined;
  const when = decodeConfig(nodes, parents, configOf(0));
  when[last] = ANY_STATE;
  return when;
}

/**
 * Point masses of a numeric column: every value seen at least max(k, 10) times (such a value
 * identifies nobody, like a kept category), so recorded values such as capital gains of exactly
 * 7688 or 40 hours a week come back exactly instead of being smeared by interpolation. When a
 * column has very many such values, only those with at least `share` of the rows are kept.
 */
export function atomSetOf(node: NodeColumn, share: number, minCount: number, maxAtoms = 150): Set<number> {
  return frequentValues(node.values, share, minCount, node.info.kind === 'datetime' ? 0 : maxAtoms);
}

function describeNumeric(node: NodeColumn, m: EmpiricalModel, missing: number): string {
  const fmt = (x: number) =>
    node.info.kind === 'datetime' || node.info.kind === 'date'
      ? new Date(x).toISOString().slice(0, node.info.kind === 'date' ? 10 : 19)
      : numberLabel(round(x, 6));
  const parts: string[] = [];
  for (const [a, p] of [...m.atoms].sort((x, y) => y[1] - x[1]).slice(0, 3))
    parts.push(`${pct(p)} ${a === 0 ? 'zeros' : `at ${fmt(a)}`}`);
  if (m.knots && m.contMass > 0)
    parts.push(
      `${m.atoms.size > 0 ? 'continuous part ' : ''}${fmt(m.knots[0])}..${fmt(m.knots[m.knots.length - 1])}`,
    );
  if (missing > 0) parts.push(`${pct(missing)} missing`);
  return `${node.info.kind}; ${parts.join('; ')}`;
}

/**
 * Parents of a numeric child from most to least informative: the refined parent (finer bins of
 * a strongly rank-correlated parent, see refine.ts) first, then by mutual information.
 */
function informativeOrder(
  nodes: readonly NodeColumn[],
  v: number,
  parents: readonly number[],
  refined: number,
  anchor?: Anchor,
): number[] {
  // An anchored child's tables describe its offset from the anchor, so the parents that tell
  // most about the offset (a payment status: bills of "paid duly" accounts reset, revolving ones
  // grow) come first, not the anchor's own bins (Taiwan BILL_AMT2 in-sample, status "paid duly":
  // median 2,500 against 2,005 real when small states backed off to the anchor bin).
  const child = anchor ?? nodes[v];
  const mi = parents.map((p) =>
    p === refined && !anchor
      ? Number.POSITIVE_INFINITY
      : codeMutualInformation(nodes[p].codes, nodes[p].card, child.codes, child.card),
  );
  return parents.map((_, i) => i).sort((a, b) => mi[b] - mi[a] || a - b);
}

/**
 * A numeric child, with its family's level as one more parent where that wins held out
 * (family.ts): the mean of the columns on its scale drawn before it, binned, written as a
 * conditional parent `expr` over them.
 */
function fitNumeric(
  allNodes: readonly NodeColumn[],
  v: number,
  parents: readonly number[],
  opts: ParamOptions,
): NodeFit {
  const family =
    opts.drawnBefore && !opts.dp
      ? familyParent(allNodes, v, parents, opts.drawnBefore, (c) => exprName(c.name))
      : undefined;
  if (!family) return fitNumericOn(allNodes, v, parents, opts);
  const nf = fitNumericOn([...allNodes, family.node], v, [...parents, allNodes.length], opts);
  return withFamilyParent(nf, family, allNodes);
}

/** The fitted column with the family parent written as an `expr` over its members (in `given`). */
function withFamilyParent(nf: NodeFit, family: FamilyParent, nodes: readonly NodeColumn[]): NodeFit {
  const name = family.node.name;
  // A tie to the level (anchor.ts reads the summary as a numeric parent, `shift` or `copy`) names
  // it as a column; it is written as the expression it is.
  const col = readAsExpression(nf.column, exprName(name), `(${name})`) as Column;
  const used = col.conditional?.parents.some((p) => p.column === name) ?? false;
  if (col.given) {
    const given = col.given.filter((x) => x !== name);
    if (used)
      for (const m of family.summary.members) if (!given.includes(nodes[m].name)) given.push(nodes[m].name);
    col.given = given;
  }
  if (col.conditional)
    col.conditional = {
      ...col.conditional,
      parents: col.conditional.parents.map((p) =>
        p.column === name ? { expr: name, ...(p.breaks ? { breaks: p.breaks } : {}) } : p,
      ),
    };
  return {
    ...nf,
    column: col,
    summary: used
      ? `${nf.summary.split(exprName(name)).join(`(${name})`)}; level of ${family.summary.members.length} columns on its scale as a parent (+${family.gain.toFixed(3)} nats/row held out)`
      : nf.summary,
  };
}

/** `value` with every occurrence of `token` in its strings replaced by `expr` (a deep copy). */
function readAsExpression(value: unknown, token: string, expr: string): unknown {
  if (typeof value === 'string') return value.split(token).join(expr);
  if (Array.isArray(value)) return value.map((x) => readAsExpression(x, token, expr));
  if (value === null || typeof value !== 'object') return value;
  // Own properties defined, not assigned: a key such as `__proto__` (a state label) stays a key.
  const out = {};
  for (const [k, x] of Object.entries(value))
    Object.defineProperty(out, k, {
      value: readAsExpression(x, token, expr),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

function fitNumericOn(
  allNodes: readonly NodeColumn[],
  v: number,
  parents: readonly number[],
  opts: ParamOptions,
): NodeFit {
  if (!opts.dp && opts.tables !== 'never' && parents.length > 0) {
    let space = 1;
    for (const p of parents) space *= allNodes[p].card;
    if (opts.upstream || space > MAX_TABLE_STATES) return upstreamFit(allNodes, v, parents, opts);
  }
  // Under DP the per-state histograms are noisy counts: more states, more noise; keep the bins.
  const refined =
    opts.dp || opts.refine === false ? undefined : refineParents(allNodes, v, parents, opts.refine);
  const atomStates = withAtomStates(refined?.nodes ?? allNodes, v, parents, opts);
  const nodes = atomStates.nodes;
  const node = nodes[v];
  const g = granularityOf(node);
  // Under DP every atom is one more noisy cell per parent state: keep only the big point masses.
  const atomSet = atomSetOf(node, opts.atomShare ?? 0.03, opts.minCount, opts.dp ? 0 : 150);
  const atomValues = [...atomSet].sort((a, b) => a - b);
  const minState = Math.max(opts.minNumericState ?? 20, opts.minCount);
  const { cfg, q } = configIndex(nodes, parents);
  const n = cfg.length;
  const col = baseColumn(node);

  // Per-state models (and the marginal) from raw values, or from noisy histograms under DP.
  const models: (EmpiricalModel | null)[] = new Array(q).fill(null);
  const stateN = new Float64Array(q);
  const stateMissing = new Float64Array(q);
  let marginal: EmpiricalModel;
  let plainMarginal: EmpiricalModel;
  let marginalMissing: number;
  let backoff: NumericBackoff | undefined;
  let anchor: Anchor | undefined;
  if (!opts.dp) {
    // Rows (not values) per parent state, so the same groups serve the plain and the anchored fit.
    const groups: number[][] = Array.from({ length: q }, () => []);
    let missingAll = 0;
    const present: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = node.values[i];
      stateN[cfg[i]]++;
      if (Number.isNaN(x)) {
        stateMissing[cfg[i]]++;
        missingAll++;
      } else {
        groups[cfg[i]].push(i);
        present.push(i);
      }
    }
    const plainFit = (rows: readonly number[]) =>
      empiricalFromValues(
        rows.map((i) => node.values[i]),
        atomSet,
        g,
      );
    // Each state's plain model, fitted once: the anchor choice scores it, and it is the state's
    // model when no anchor is taken.
    const plainModels =
      parents.length > 0 ? groups.map((rows) => (rows.length >= minState ? plainFit(rows) : null)) : [];
    anchor =
      parents.length > 0 && opts.anchor !== false
        ? chooseAnchor(nodes, v, parents, groups, atomSet, g, plainModels)
        : undefined;
    const fitRows = anchor?.fit ?? plainFit;
    // Not anchored: a context-specific tree where it predicts as well as the full table.
    const tree = anchor ? undefined : contextTree(nodes, v, parents, opts);
    if (tree)
      return numericTreeFit(node, col, nodes, parents, tree, plainFit, present, missingAll / n, {
        shrinkK: opts.knotShrink ?? 10,
        minState,
        note: atomStates.note,
        penalty: opts.lawPenalty ?? LAW_PENALTY,
      });
    marginal = present.length > 0 ? fitRows(present) : { atoms: new Map(), contMass: 0, knots: null };
    plainMarginal = anchor ? (present.length > 0 ? plainFit(present) : marginal) : marginal;
    marginalMissing = n > 0 ? missingAll / n : 0;
    if (parents.length > 0) {
      if (parents.length >= 2)
        backoff = buildNumericBackoff({
          groups,
          stateN,
          stateMissing,
          cards: parents.map((p) => nodes[p].card),
          order: informativeOrder(nodes, v, parents, refined?.refined ?? -1, anchor),
          marginal,
          marginalMissing,
          fit: fitRows,
          minState,
          minCount: opts.minCount,
          shrinkK: opts.knotShrink ?? 10,
        });
      for (let j = 0; j < q; j++) {
        if (groups[j].length >= minState) models[j] = anchor ? anchor.fit(groups[j]) : plainModels[j];
      }
    }
  } else {
    // Histogram cells per state: atoms, fine bins of the continuous part, missing.
    const cont = node.values.filter((x) => !Number.isNaN(x) && !atomSet.has(x)).sort();
    const inner = quantileBreaks(cont, 16);
    const edges = cont.length > 0 ? [cont[0], ...inner, cont[cont.length - 1]] : [0, 0];
    const A = atomValues.length;
    const B = edges.length - 1;
    const cells = A + B + 1;
    const atomIndex = new Map(atomValues.map((a, i) => [a, i]));
    let counts: Float64Array = new Float64Array(q * cells);
    for (let i = 0; i < n; i++) {
      const x = node.values[i];
      let c: number;
      if (Number.isNaN(x)) c = A + B;
      else if (atomIndex.has(x)) c = atomIndex.get(x)!;
      else {
        let b = 0;
        while (b < inner.length && x >= inner[b]) b++;
        c = A + b;
      }
      counts[cfg[i] * cells + c]++;
    }
    counts = noisyCounts(counts, opts.dp.scale, opts.dp.stream.derive('params', node.name));
    const margCounts = new Float64Array(cells);
    for (let j = 0; j < q; j++) for (let c = 0; c < cells; c++) margCounts[c] += counts[j * cells + c];
    const fromCells = (arr: Float64Array) =>
      empiricalFromHistogram(atomValues, arr.subarray(0, A), edges, arr.subarray(A, A + B)) ?? {
        atoms: new Map<number, number>(),
        contMass: 1,
        knots: [edges[0], edges[edges.length - 1]],
      };
    marginal = fromCells(margCounts);
    plainMarginal = marginal;
    const mt = margCounts.reduce((a, b) => a + b, 0);
    marginalMissing = mt > 0 ? margCounts[A + B] / mt : 0;
    if (parents.length > 0)
      for (let j = 0; j < q; j++) {
        const slice = counts.subarray(j * cells, (j + 1) * cells);
        const tot = slice.reduce((a, b) => a + b, 0);
        stateN[j] = tot;
        stateMissing[j] = slice[A + B];
        if (tot - slice[A + B] >= minState) models[j] = fromCells(new Float64Array(slice));
      }
  }
  const fallbackKnots = marginal.knots ?? (anchor ? [0, 0] : [node.info.min ?? 0, node.info.max ?? 0]);
  const penalty = opts.lawPenalty ?? LAW_PENALTY;
  const presentN = node.values.reduce((s, x) => (Number.isNaN(x) ? s : s + 1), 0);
  const shift = anchor
    ? {
        shift: anchor.shift,
        continuous: anchor.continuous,
        slope: anchor.slope,
        ...(anchor.copy ? { copy: anchor.copy.name } : {}),
      }
    : undefined;
  let summary = describeNumeric(node, plainMarginal, marginalMissing);
  if (anchor) summary += `; ${anchor.describe}`;
  if (parents.length === 0) {
    col.dist = empiricalDist(marginal, node, fallbackKnots, { rows: presentN, penalty });
    if (marginalMissing > 0) col.missing = round(marginalMissing, 6);
    return { column: col, summary, states: 0 };
  }
  // Anchored states are not shrunk: their offsets scale with the anchor's level, and mixing in a
  // wider group's offsets gives near-zero bills far jumps (Taiwan detection AUC 0.787 → 0.766
  // without it). Own knots still need ≥ minState rows.
  const shrinkK = anchor ? 0 : (opts.knotShrink ?? 10);
  const rows: ConditionalRow[] = [];
  for (let j = 0; j < q; j++) {
    const m = models[j];
    const present = stateN[j] - stateMissing[j];
    const w = present / (present + shrinkK);
    let model: EmpiricalModel;
    const missing = stateN[j] > 0 ? stateMissing[j] / stateN[j] : 0;
    if (backoff) {
      // Mixed toward the state's back-off (its distribution given its more informative parents,
      // numeric-backoff.ts). States too small for their own knots take the back-off as is: it is
      // learned from a larger group, so it describes no handful of people, yet keeps the other
      // parents' effect instead of falling to the global default. The wildcard row below says
      // that once for every such state of its prefix (a row per state repeated the same table:
      // 40% of the rows of Adult's numeric columns).
      if (!m) continue;
      // Knots for the state's rows plus the back-off's pseudo-rows (knotCount), not the wider
      // group's own count: the file holds a table per state.
      model = mixToward(m, backoff.priorOf(j).model, w, knotCount(present + shrinkK));
    } else {
      if (!m) continue;
      model = shrinkToward(m, marginal, w);
    }
    const row: ConditionalRow = {
      when: decodeConfig(nodes, parents, j),
      dist: empiricalDist(model, node, fallbackKnots, { rows: present + shrinkK, penalty }, shift),
    };
    if (node.hasMissing) row.missing = round(missing, 6);
    row.n = Math.round(stateN[j]);
    rows.push(row);
  }
  if (backoff) {
    // States without knots of their own (small or unseen) under a ≥ k-row state of the more
    // informative parents: every value of the least informative parent alike (as backedOffRows
    // for categories); a state's own row wins over this wildcard row.
    const mParents = parents.length;
    const last = backoff.order[mParents - 1];
    const code = new Array<number>(mParents);
    for (const pre of backoff.prefixes) {
      if (pre.state.n < opts.minCount || !pre.state.informative) continue;
      for (let k = 0; k < mParents - 1; k++) code[backoff.order[k]] = pre.codes[k];
      const when = wildcardWhen(nodes, parents, code, last, (j) => models[j] === null);
      if (!when) continue;
      const dist = empiricalDist(pre.state.model, node, fallbackKnots, { rows: pre.state.n, penalty }, shift);
      const row: ConditionalRow = { when, dist };
      if (node.hasMissing) row.missing = round(pre.state.missing, 6);
      rows.push(row);
    }
  }
  col.given = parents.map((p) => nodes[p].name);
  const def: { dist: Dist; missing?: number } = {
    dist: empiricalDist(marginal, node, fallbackKnots, { rows: presentN, penalty }, shift),
  };
  if (node.hasMissing) def.missing = round(marginalMissing, 6);
  col.conditional = { parents: parentSpecs(nodes, parents), rows, default: def };
  const fine =
    refined && refined.refined >= 0
      ? `; ${nodes[refined.refined].card} finer bins of ${nodes[refined.refined].name} (rank correlation ${refined.correlation.toFixed(2)})`
      : '';
  return {
    column: col,
    summary: `${summary}; ${rows.length} parent states${fine}${atomStates.note}`,
    states: rows.length,
  };
}

/**
 * A numeric child whose parents are its upstream context (ParamOptions.upstream): the tree with
 * the penalty per leaf that predicts held-out rows best, written as numericTreeFit writes a tree.
 * No anchor, finer parent bins or point-mass parent states: each builds a table over the parents.
 */
function upstreamFit(
  nodes: readonly NodeColumn[],
  v: number,
  parents: readonly number[],
  opts: ParamOptions,
): NodeFit {
  const node = nodes[v];
  const g = granularityOf(node);
  const atomSet = atomSetOf(node, opts.atomShare ?? 0.03, opts.minCount);
  const minState = Math.max(opts.minNumericState ?? 20, opts.minCount);
  const minLeaf = Math.max(opts.upstream?.minLeaf ?? minState, opts.minCount);
  const present: number[] = [];
  for (let i = 0; i < node.values.length; i++) if (!Number.isNaN(node.values[i])) present.push(i);
  const plainFit = (rows: readonly number[]) =>
    empiricalFromValues(
      rows.map((i) => node.values[i]),
      atomSet,
      g,
    );
  const child = scoringCodes(node);
  const best = growBestTree(child, treeParents(nodes, parents), {
    minLeaf,
    maxLeaves: opts.upstream?.maxLeaves,
  });
  const tree: ContextTree = {
    tree: best.tree,
    leaves: best.leaves,
    gain: opts.upstream?.gain ?? Number.NaN,
    child,
    over: 'upstream',
  };
  const n = node.values.length;
  return numericTreeFit(
    node,
    baseColumn(node),
    nodes,
    parents,
    tree,
    plainFit,
    present,
    n > 0 ? 1 - present.length / n : 0,
    {
      shrinkK: opts.knotShrink ?? 10,
      minState,
      note: '',
      penalty: opts.lawPenalty ?? LAW_PENALTY,
      towardParentNode: true,
    },
  );
}

/** The split node above each node of a tree (the root has none). */
function parentNodes(tree: TreeNode): Map<TreeNode, TreeNode> {
  const out = new Map<TreeNode, TreeNode>();
  const walk = (t: TreeNode) => {
    if (t.kind === 'leaf') return;
    out.set(t.inside, t);
    out.set(t.outside, t);
    walk(t.inside);
    walk(t.outside);
  };
  walk(tree);
  return out;
}

/**
 * A numeric child's context-specific tree: each leaf's knots from its own rows, shrunk toward the
 * marginal by `shrinkK` pseudo-rows (as the table's states are); leaves are ≥ minState rows.
 */
function numericTreeFit(
  node: NodeColumn,
  col: Column,
  nodes: readonly NodeColumn[],
  parents: readonly number[],
  tree: ContextTree,
  plainFit: (rows: readonly number[]) => EmpiricalModel,
  present: readonly number[],
  marginalMissing: number,
  o: { shrinkK: number; minState: number; note: string; penalty: number; towardParentNode?: boolean },
): NodeFit {
  const marginal = present.length > 0 ? plainFit(present) : { atoms: new Map(), contMass: 0, knots: null };
  const fallbackKnots = marginal.knots ?? [node.info.min ?? 0, node.info.max ?? 0];
  // An upstream tree's leaves are mixed toward the law of the node above them (a mixture, as the
  // back-off rows are: mixToward), not averaged toward the marginal's quantiles: its leaves are
  // small and many, and quantile averaging pulls a leaf of young people's ages toward the
  // middle (a fixture leaf of 166 rows had its median moved from 100 to 105 by 10 pseudo-rows).
  const above = o.towardParentNode ? parentNodes(tree.tree) : undefined;
  const lawOf = new Map<TreeNode, EmpiricalModel>();
  const nodeLaw = (t: TreeNode): EmpiricalModel => {
    let m = lawOf.get(t);
    if (!m) {
      const own = Array.from(t.rows).filter((i) => !Number.isNaN(node.values[i]));
      m = own.length > 0 ? plainFit(own) : marginal;
      lawOf.set(t, m);
    }
    return m;
  };
  const rows = treeRows(
    tree.tree,
    parents.map((p) => nodes[p].stateLabels),
    (leaf) => {
      const own = Array.from(leaf.rows).filter((i) => !Number.isNaN(node.values[i]));
      const w = own.length / (own.length + o.shrinkK);
      const up = above?.get(leaf);
      const model =
        own.length < o.minState
          ? up
            ? nodeLaw(up)
            : marginal
          : up
            ? mixToward(plainFit(own), nodeLaw(up), w, knotCount(own.length + o.shrinkK))
            : shrinkToward(plainFit(own), marginal, w);
      const rows = own.length >= o.minState ? own.length + o.shrinkK : present.length;
      const dist = empiricalDist(model, node, fallbackKnots, { rows, penalty: o.penalty });
      const out: Omit<ConditionalRow, 'when'> = { dist };
      if (node.hasMissing) out.missing = round((leaf.rows.length - own.length) / leaf.rows.length, 6);
      out.n = leaf.rows.length;
      return out;
    },
  );
  col.given = parents.map((p) => nodes[p].name);
  col.conditional = { parents: parentSpecs(nodes, parents), rows };
  return {
    column: col,
    summary: `${describeNumeric(node, marginal, marginalMissing)}; ${treeNote(tree)}${o.note}`,
    states: rows.length,
    tree: true,
  };
}

export { MISSING_STATE };
