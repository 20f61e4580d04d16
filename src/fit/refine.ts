/**
 * Finer parent states for strongly dependent numeric pairs.
 *
 * Structure learning discretises a numeric parent into a few quantile bins (≤ 8) so that BIC
 * counts stay reliable. For a numeric child that is nearly a function of a numeric parent
 * (Taiwan's monthly bill amounts, BILL_AMT2 ≈ BILL_AMT1), those few bins blur the pair: inside a
 * wide parent bin the child is drawn from the whole bin's spread. The spec cannot say
 * "parent + empirical residual" (empirical knots are constants), so the faithful mechanism it
 * can express is a conditional table on *finer* quantile bins of that one parent, chosen so every
 * state still holds enough rows for its own knots. Pure functions.
 */
import { type NodeColumn, quantileBreaks, recodeNumericNode } from './encode.js';

/** Mid-ranks (ties share their average rank) of the values at the given rows. */
function midRanks(values: Float64Array, rows: readonly number[]): Float64Array {
  const order = [...rows.keys()].sort((a, b) => values[rows[a]] - values[rows[b]]);
  const ranks = new Float64Array(rows.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    const v = values[rows[order[i]]];
    while (j < order.length && values[rows[order[j]]] === v) j++;
    const r = (i + j - 1) / 2;
    for (let t = i; t < j; t++) ranks[order[t]] = r;
    i = j;
  }
  return ranks;
}

/**
 * Spearman rank correlation of two numeric columns over the rows where both are present
 * (NaN = missing); 0 when fewer than 3 such rows or either side is constant.
 * Hand-written: a few lines over typed arrays; no stats package here works on them directly.
 */
export function rankCorrelation(a: Float64Array, b: Float64Array): number {
  const rows: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) rows.push(i);
  if (rows.length < 3) return 0;
  const ra = midRanks(a, rows);
  const rb = midRanks(b, rows);
  const m = rows.length;
  const mean = (m - 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < m; i++) {
    const x = ra[i] - mean;
    const y = rb[i] - mean;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** The same numeric node re-coded on `bins` quantile bins (missing stays its own last state). */
export function refineNumericNode(node: NodeColumn, bins: number): NodeColumn {
  const present = node.values.filter((v) => !Number.isNaN(v)).sort();
  return recodeNumericNode(node, quantileBreaks(present, bins));
}

export interface RefineOptions {
  /** |Spearman| from which a numeric parent counts as strongly dependent (default 0.7). */
  minCorrelation?: number;
  /** Rows wanted per parent state of the child's table (default 60). */
  rowsPerState?: number;
  /** Most bins of the refined parent (default 32). */
  maxBins?: number;
}

/**
 * Parents of a numeric child as the child's table should see them: the numeric parent with the
 * strongest rank correlation (if ≥ minCorrelation) gets as many quantile bins as the data support
 * given the other parents' effective number of states (exp of their joint entropy), capped at
 * maxBins; the others are unchanged. Returns the (possibly) replaced nodes and which parent was
 * refined (−1: none).
 */
export function refineParents(
  nodes: readonly NodeColumn[],
  child: number,
  parents: readonly number[],
  opts: RefineOptions = {},
): { nodes: readonly NodeColumn[]; refined: number; correlation: number } {
  const none = { nodes, refined: -1, correlation: 0 };
  const c = nodes[child];
  if (c.role !== 'numeric') return none;
  let best = -1;
  let bestRho = 0;
  for (const p of parents) {
    if (nodes[p].role !== 'numeric') continue;
    const rho = Math.abs(rankCorrelation(c.values, nodes[p].values));
    if (rho > bestRho) {
      bestRho = rho;
      best = p;
    }
  }
  if (best < 0 || bestRho < (opts.minCorrelation ?? 0.7)) return none;
  // Effective number of joint states of the other parents: exp(entropy), so a few big states
  // count as few even when the product of cardinalities is large.
  const others = parents.filter((p) => p !== best);
  const n = c.values.length;
  const configCounts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let cfg = 0;
    for (const p of others) cfg = cfg * nodes[p].card + nodes[p].codes[i];
    configCounts.set(cfg, (configCounts.get(cfg) ?? 0) + 1);
  }
  let h = 0;
  for (const k of configCounts.values()) h -= (k / n) * Math.log(k / n);
  let present = 0;
  for (const x of c.values) if (!Number.isNaN(x)) present++;
  const bins = Math.min(opts.maxBins ?? 32, Math.floor(present / (Math.exp(h) * (opts.rowsPerState ?? 60))));
  const current = nodes[best].card - (nodes[best].hasMissing ? 1 : 0);
  if (bins <= current) return none;
  const out = nodes.slice();
  out[best] = refineNumericNode(nodes[best], bins);
  return { nodes: out, refined: best, correlation: bestRho };
}

/**
 * Cut points of a numeric parent at which a discrete child changes value, when the child is
 * (nearly) a function of the parent — an age band derived from the age (insurance fraud:
 * AgeOfPolicyHolder "31 to 35" ⇔ Age 26..35). Quantile bins do not fall on the band edges, so
 * inside a bin that straddles one the child is drawn regardless of the exact parent value and
 * rows like (Age 34, "36 to 40") appear. Per parent value seen in ≥ minCount rows the child's
 * most frequent value is taken; runs of equal values become states. Used when those values
 * account for ≥ `minPurity` of the rows and the runs are fewer than `maxStates`; else null.
 */
export function functionalBreaks(
  parent: NodeColumn,
  child: NodeColumn,
  minCount: number,
  minPurity = 0.98,
  maxStates = 64,
): number[] | null {
  if (parent.role !== 'numeric' || child.role !== 'discrete') return null;
  const byValue = new Map<number, Map<number, number>>();
  for (let i = 0; i < parent.values.length; i++) {
    const x = parent.values[i];
    if (Number.isNaN(x)) continue;
    let m = byValue.get(x);
    if (!m) {
      m = new Map();
      byValue.set(x, m);
    }
    m.set(child.codes[i], (m.get(child.codes[i]) ?? 0) + 1);
  }
  const values = [...byValue.keys()].sort((a, b) => a - b);
  let total = 0;
  let pure = 0;
  const runs: { start: number; mode: number }[] = [];
  for (const x of values) {
    const m = byValue.get(x)!;
    let n = 0;
    let best = -1;
    let bestN = 0;
    for (const [code, c] of m) {
      n += c;
      if (c > bestN || (c === bestN && code < best)) {
        best = code;
        bestN = c;
      }
    }
    if (n < minCount) continue;
    total += n;
    pure += bestN;
    if (runs.length === 0 || runs[runs.length - 1].mode !== best) runs.push({ start: x, mode: best });
  }
  if (total === 0 || pure / total < minPurity || runs.length < 2 || runs.length > maxStates) return null;
  return runs.slice(1).map((r) => r.start);
}
