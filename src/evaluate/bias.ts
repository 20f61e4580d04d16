/**
 * Bias: for a sensitive column, P(target | group) in real vs synthetic data, the demographic-parity
 * gap (max − min over groups of P(target = positive | group)) in each, the equalized-odds gaps of the
 * TRTR and TSTR models on the test set, and whether the synthetic data amplifies the gap: amplified
 * when the bootstrap interval of (synthetic gap − real gap) lies entirely above 0.
 * The positive class is the rarest class of the real data. Groups with fewer than 10 rows in a table
 * are left out of that table's gap (too noisy).
 */
import type { TypedColumn, TypedTable } from '../ml/index.js';
import { nameMap } from '../names.js';
import { streamFor } from '../random/stream.js';
import { accuracyBinner } from './binning.js';
import { metricFrom, multinomialCounts, percentileInterval } from './bootstrap.js';
import {
  defineSection,
  notRequested,
  type Outcome,
  ok,
  type SectionContext,
  skip,
  type UtilityModels,
} from './section.js';
import type { BiasGroup, BiasSection, Metric, Skipped } from './types.js';

export interface BiasOptions {
  seed: number;
  reps: number;
  level: number;
}

const MIN_GROUP = 10;

function groupsOf(col: TypedColumn, ref: TypedColumn): { codes: Int32Array; labels: string[] } {
  if (col.kind === 'categorical') {
    const labels = [...col.levels, '(missing)'];
    const codes = Int32Array.from(col.codes, (c) => (c < 0 ? col.levels.length : c));
    return { codes, labels };
  }
  const b = accuracyBinner(ref);
  return { codes: b.apply(col), labels: b.labels };
}

/** DP gap with optional row weights; NaN when fewer than 2 groups qualify. */
function dpGap(g: Int32Array, y: Int32Array, nGroups: number, pos: number, w?: Int32Array): number {
  const n = new Float64Array(nGroups);
  const p = new Float64Array(nGroups);
  for (let i = 0; i < g.length; i++) {
    if (y[i] < 0) continue;
    const wi = w ? w[i] : 1;
    n[g[i]] += wi;
    if (y[i] === pos) p[g[i]] += wi;
  }
  return rateRange(p, n);
}

/** max − min of num/den over the groups with den ≥ MIN_GROUP; NaN when fewer than 2 qualify. */
function rateRange(num: Float64Array, den: Float64Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  let cnt = 0;
  for (let k = 0; k < den.length; k++) {
    if (den[k] < MIN_GROUP) continue;
    const r = num[k] / den[k];
    lo = Math.min(lo, r);
    hi = Math.max(hi, r);
    cnt++;
  }
  return cnt >= 2 ? hi - lo : Number.NaN;
}

/** Equalized-odds gap: the larger of the TPR and FPR ranges over groups (positive class vs rest). */
function eoGap(
  g: Int32Array,
  y: Int32Array,
  pred: Int32Array,
  nGroups: number,
  pos: number,
  w?: Int32Array,
): number {
  const tp = new Float64Array(nGroups);
  const P = new Float64Array(nGroups);
  const fp = new Float64Array(nGroups);
  const N = new Float64Array(nGroups);
  for (let i = 0; i < g.length; i++) {
    const wi = w ? w[i] : 1;
    if (y[i] === pos) {
      P[g[i]] += wi;
      if (pred[i] === pos) tp[g[i]] += wi;
    } else {
      N[g[i]] += wi;
      if (pred[i] === pos) fp[g[i]] += wi;
    }
  }
  const a = rateRange(tp, P);
  const b = rateRange(fp, N);
  if (Number.isNaN(a) && Number.isNaN(b)) return Number.NaN;
  return Math.max(Number.isNaN(a) ? 0 : a, Number.isNaN(b) ? 0 : b);
}

/** A column known to be there (target and sensitive columns are checked before any section runs). */
function codesOf(t: TypedTable, name: string): TypedColumn {
  const c = t.columns.find((x) => x.name === name);
  if (!c) throw new Error(`internal: column "${name}" not found`);
  return c;
}

export function computeBias(
  real: TypedTable,
  syn: TypedTable,
  sensitive: string,
  target: string,
  utility: UtilityModels | undefined,
  opts: BiasOptions,
): Outcome<BiasSection> {
  const tReal = codesOf(real, target);
  const tSyn = codesOf(syn, target);
  if (tReal.kind !== 'categorical' || tSyn.kind !== 'categorical')
    return skip(`target "${target}" is numeric; bias needs a categorical target`);
  const classes = tReal.levels;
  const counts = new Array<number>(classes.length).fill(0);
  for (const c of tReal.codes) if (c >= 0) counts[c]++;
  let pos = -1;
  for (let k = 0; k < classes.length; k++) if (counts[k] > 0 && (pos < 0 || counts[k] < counts[pos])) pos = k;
  if (pos < 0) return skip(`target "${target}" has no values in the real data`);
  const sRealCol = codesOf(real, sensitive);
  const gr = groupsOf(sRealCol, sRealCol);
  const gs = groupsOf(codesOf(syn, sensitive), sRealCol);
  const nG = gr.labels.length;
  const groups: BiasGroup[] = [];
  for (let k = 0; k < nG; k++) {
    const pr: Record<string, number | null> = nameMap();
    const ps: Record<string, number | null> = nameMap();
    let nr = 0;
    let ns = 0;
    const cr = new Array<number>(classes.length).fill(0);
    const cs = new Array<number>(classes.length).fill(0);
    for (let i = 0; i < gr.codes.length; i++)
      if (gr.codes[i] === k && tReal.codes[i] >= 0) {
        nr++;
        cr[tReal.codes[i]]++;
      }
    for (let i = 0; i < gs.codes.length; i++)
      if (gs.codes[i] === k && tSyn.codes[i] >= 0) {
        ns++;
        cs[tSyn.codes[i]]++;
      }
    if (nr === 0 && ns === 0) continue;
    classes.forEach((c, j) => {
      pr[c] = nr ? cr[j] / nr : null;
      ps[c] = ns ? cs[j] / ns : null;
    });
    groups.push({ group: gr.labels[k], rows_real: nr, rows_synthetic: ns, p_real: pr, p_synthetic: ps });
  }
  const st = streamFor(opts.seed, 'evaluate', 'bias', sensitive);
  const reps = opts.reps;
  const rr = new Float64Array(reps);
  const rs = new Float64Array(reps);
  const diff = new Float64Array(reps);
  const wR = new Int32Array(real.rowCount);
  const wS = new Int32Array(syn.rowCount);
  for (let r = 0; r < reps; r++) {
    multinomialCounts(real.rowCount, st, wR);
    multinomialCounts(syn.rowCount, st, wS);
    rr[r] = dpGap(gr.codes, tReal.codes, nG, pos, wR);
    rs[r] = dpGap(gs.codes, tSyn.codes, nG, pos, wS);
    diff[r] = rs[r] - rr[r];
  }
  const gapR = dpGap(gr.codes, tReal.codes, nG, pos);
  const gapS = dpGap(gs.codes, tSyn.codes, nG, pos);
  const few = `fewer than 2 groups of "${sensitive}" have at least ${MIN_GROUP} rows`;
  let eoTrtr: Metric = { value: null, reason: 'needs --target utility models' };
  let eoTstr: Metric = { value: null, reason: 'needs --target utility models' };
  if (utility) {
    const gt = groupsOf(codesOf(utility.test, sensitive), sRealCol);
    const stt = streamFor(opts.seed, 'evaluate', 'bias', sensitive, 'eo');
    const n = utility.yTest.length;
    const w = new Int32Array(n);
    const a = new Float64Array(reps);
    const b = new Float64Array(reps);
    for (let r = 0; r < reps; r++) {
      multinomialCounts(n, stt, w);
      a[r] = eoGap(gt.codes, utility.yTest, utility.predTrtr, nG, pos, w);
      b[r] = eoGap(gt.codes, utility.yTest, utility.predTstr, nG, pos, w);
    }
    eoTrtr = metricFrom(eoGap(gt.codes, utility.yTest, utility.predTrtr, nG, pos), a, few, opts.level);
    eoTstr = metricFrom(eoGap(gt.codes, utility.yTest, utility.predTstr, nG, pos), b, few, opts.level);
  }
  const ci = percentileInterval(diff, opts.level);
  let amplified: boolean | null = null;
  let why = few;
  if (Number.isFinite(gapR) && Number.isFinite(gapS) && ci) {
    amplified = ci[0] > 0;
    const d = (gapS - gapR).toFixed(3);
    why = amplified
      ? `synthetic gap exceeds real gap by ${d} (95% CI of the difference [${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}] is above 0)`
      : `no clear amplification: difference ${d}, 95% CI [${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}] includes or is below 0`;
  }
  return ok({
    column: sensitive,
    positive_class: classes[pos],
    groups,
    demographic_parity_gap_real: metricFrom(gapR, rr, few, opts.level),
    demographic_parity_gap_synthetic: metricFrom(gapS, rs, few, opts.level),
    equalized_odds_gap_trtr: eoTrtr,
    equalized_odds_gap_tstr: eoTstr,
    amplified,
    amplified_reason: why,
  });
}

export const biasSection = defineSection({
  name: 'bias',
  order: 70,
  title: 'bias: P(target | group) per sensitive column',
  empty: [] as BiasSection[],
  summary: {},
  run(ctx: SectionContext) {
    if (ctx.sensitive.length === 0) return notRequested('no --sensitive columns');
    const target = ctx.target;
    if (!target) return skip('needs --target to measure P(target | group)');
    const out: BiasSection[] = [];
    const skipped: Skipped[] = [];
    for (const s of ctx.sensitive) {
      const b = computeBias(ctx.real, ctx.synthetic, s, target, ctx.shared.utility, ctx.opts);
      if (b.status === 'ok') out.push(b.value);
      else skipped.push({ metric: `bias.${s}`, reason: b.reason });
    }
    return ok(out, { skipped });
  },
  output: (b) => b,
});
