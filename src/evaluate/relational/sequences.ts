/**
 * Sequence fidelity of one table: rows per entity, the gap between consecutive rows' order values
 * (binned as the accuracy bins of fidelity), next-state distributions of categorical columns and
 * lag-1 autocorrelation of numeric columns, within entities.
 */
import type { RawTable } from '../../io/index.js';
import { inferKinds, levelKey } from '../../ml/index.js';
import { accuracyBinner } from '../binning.js';
import { pearson, tvComplement } from '../column-metrics.js';
import type { Metric } from '../types.js';
import { countAccuracy } from './integrity.js';
import type { SequenceLink } from './links.js';
import { type Sequenced, sequenced } from './order.js';
import { columnOf, datetimeColumns, orderValues } from './tables.js';
import type { CountHistogram } from './types.js';

/** Categorical columns with more real levels than this are not read as states. */
const MAX_STATES = 50;
/**
 * Fewer real consecutive pairs than this leave a dynamic figure null: on the MIMIC-III demo split,
 * ICU stays (≈ 1 per admission, 5 consecutive pairs) gave a holdout ceiling of 0.0 for gaps and 0.2
 * for transitions — noise, not a bar a generator can be held to.
 */
export const MIN_PAIRS = 20;
const FEW = `fewer than ${MIN_PAIRS} consecutive real rows within entities`;

function lengths(seq: Sequenced): number[] {
  const out: number[] = [];
  for (let p = 0; p < seq.rows.length; p++) {
    if (seq.starts[p]) out.push(0);
    out[out.length - 1]++;
  }
  return out;
}

/** Gaps between consecutive rows' order values, divided by `unit` (a day in ms for datetimes). */
function gaps(seq: Sequenced, unit = 1): Float64Array {
  const out: number[] = [];
  for (let p = 1; p < seq.rows.length; p++) {
    if (seq.starts[p]) continue;
    const g = seq.order[seq.rows[p]] - seq.order[seq.rows[p - 1]];
    if (!Number.isNaN(g)) out.push(g / unit);
  }
  return Float64Array.from(out);
}

export function lengthAccuracy(real: Sequenced, other: Sequenced): Metric {
  return countAccuracy(lengths(real), lengths(other), 'no sequence in one of the tables').accuracy;
}

/**
 * 1 − TVD of the gaps on the accuracy bins of the real gaps (quantile bins: the figure does not
 * depend on `unit`, only the histogram's labels do — days read better than milliseconds).
 */
export function gapAccuracy(
  real: Sequenced,
  other: Sequenced,
  unit = 1,
): { accuracy: Metric; histogram: CountHistogram | null } {
  return binnedAccuracy(gaps(real, unit), gaps(other, unit));
}

/** 1 − TVD of two samples on the accuracy bins of the real one, with the histogram. */
function binnedAccuracy(
  gr: Float64Array,
  go: Float64Array,
): { accuracy: Metric; histogram: CountHistogram | null } {
  if (gr.length < MIN_PAIRS) return { accuracy: { value: null, reason: FEW }, histogram: null };
  if (go.length === 0)
    return {
      accuracy: { value: null, reason: 'no two consecutive rows in the compared table' },
      histogram: null,
    };
  const col = (values: Float64Array) => ({ name: 'gap', kind: 'numeric' as const, values, integer: false });
  const binner = accuracyBinner(col(gr));
  const br = binner.apply(col(gr));
  const bo = binner.apply(col(go));
  const count = (codes: Int32Array) => {
    const h = new Array<number>(binner.nBins).fill(0);
    for (const c of codes) h[c]++;
    return h;
  };
  return {
    accuracy: { value: tvComplement(br, bo, binner.nBins) },
    histogram: { labels: binner.labels, real: count(br), synthetic: count(bo) },
  };
}

/** Step-to-step changes x_t − x_{t−1} of a numeric column within entities. */
function steps(t: RawTable, seq: Sequenced, column: string): Float64Array {
  const v = orderValues(columnOf(t, column) ?? []);
  const out: number[] = [];
  for (let p = 1; p < seq.rows.length; p++) {
    if (seq.starts[p]) continue;
    const d = v[seq.rows[p]] - v[seq.rows[p - 1]];
    if (!Number.isNaN(d)) out.push(d);
  }
  return Float64Array.from(out);
}

/**
 * 1 − TVD of the step-to-step change of a numeric column within entities (accuracy bins of the
 * real steps): a row-independent (snapshot) model keeps each value's marginal but not its steps.
 */
export function stepAccuracy(
  real: RawTable,
  realSeq: Sequenced,
  other: RawTable,
  otherSeq: Sequenced,
  column: string,
): Metric {
  return binnedAccuracy(steps(real, realSeq, column), steps(other, otherSeq, column)).accuracy;
}

/** Distinct whole numbers on every row: a row number or id, not a quantity with dynamics. */
export function isIdentifier(col: readonly (string | null)[]): boolean {
  const seen = new Set<number>();
  for (const s of col) {
    const v = s === null ? Number.NaN : Number(s);
    if (!Number.isInteger(v) || seen.has(v)) return false;
    seen.add(v);
  }
  return col.length > 1;
}

/** Columns a sequence's states and autocorrelations are read from (not keys, entity or order). */
export function sequenceColumns(
  real: RawTable,
  link: SequenceLink,
  exclude: ReadonlySet<string>,
): { categorical: string[]; numeric: string[] } {
  const kinds = inferKinds(real);
  const dt = new Set(datetimeColumns(real));
  const categorical: string[] = [];
  const numeric: string[] = [];
  for (const c of real.columns) {
    if (c === link.order || c === link.entity || exclude.has(c) || dt.has(c)) continue;
    if (kinds[c] === 'numeric') {
      if (!isIdentifier(columnOf(real, c) ?? [])) numeric.push(c);
    } else {
      const levels = new Set((columnOf(real, c) ?? []).filter((s) => s !== null));
      if (levels.size > 1 && levels.size <= MAX_STATES) categorical.push(c);
    }
  }
  return { categorical, numeric };
}

function transitionCounts(t: RawTable, seq: Sequenced, column: string): Map<string, Map<string, number>> {
  const col = columnOf(t, column) ?? [];
  const state = (i: number) => {
    const s = col[i];
    return s === null || s === undefined || s.trim() === '' ? '(missing)' : levelKey(s);
  };
  const out = new Map<string, Map<string, number>>();
  for (let p = 1; p < seq.rows.length; p++) {
    if (seq.starts[p]) continue;
    const from = state(seq.rows[p - 1]);
    const to = state(seq.rows[p]);
    const row = out.get(from) ?? new Map<string, number>();
    out.set(from, row);
    row.set(to, (row.get(to) ?? 0) + 1);
  }
  return out;
}

/**
 * 1 − TVD of next-state rows, weighted by how often real rows leave each state (a state the other
 * table never leaves counts as TVD 1). Weighting keeps one-off real states from dominating.
 */
export function transitionAccuracy(
  real: RawTable,
  realSeq: Sequenced,
  other: RawTable,
  otherSeq: Sequenced,
  column: string,
): Metric {
  const r = transitionCounts(real, realSeq, column);
  const o = transitionCounts(other, otherSeq, column);
  let weight = 0;
  let tvd = 0;
  for (const [from, row] of r) {
    const nr = [...row.values()].reduce((s, x) => s + x, 0);
    const orow = o.get(from);
    const no = orow ? [...orow.values()].reduce((s, x) => s + x, 0) : 0;
    let d = 1;
    if (orow && no > 0) {
      d = 0;
      const keys = new Set([...row.keys(), ...orow.keys()]);
      for (const k of keys) d += Math.abs((row.get(k) ?? 0) / nr - (orow.get(k) ?? 0) / no);
      d /= 2;
    }
    tvd += nr * d;
    weight += nr;
  }
  return weight >= MIN_PAIRS ? { value: 1 - tvd / weight } : { value: null, reason: FEW };
}

/** Lag-1 autocorrelation of a numeric column within entities (null when undefined). */
export function lag1(t: RawTable, seq: Sequenced, column: string): number | null {
  const v = orderValues(columnOf(t, column) ?? []);
  const a: number[] = [];
  const b: number[] = [];
  for (let p = 1; p < seq.rows.length; p++) {
    if (seq.starts[p]) continue;
    a.push(v[seq.rows[p - 1]]);
    b.push(v[seq.rows[p]]);
  }
  if (a.length < MIN_PAIRS) return null;
  const r = pearson(Float64Array.from(a), Float64Array.from(b));
  return Number.isFinite(r) ? r : null;
}

export { sequenced };
