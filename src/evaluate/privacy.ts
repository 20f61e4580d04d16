/**
 * Overlap and privacy: identical-match share (vs the holdout's own share as the baseline), distance
 * to closest record (Gower), DCR share, NNDR and a distance-based membership-inference attack; and
 * the near-copy warning (issue 13.6), raised with or without --gate when the synthetic rows match
 * the training rows far more often than a fresh real sample does.
 *
 * Sampling (documented in docs/evaluate-json.md):
 *  - at most 10,000 synthetic rows (seeded) are queried; every training/holdout row is searched;
 *  - with a holdout, training rows are subsampled to the holdout's size so that, for a synthetic
 *    row unrelated to either, "closer to train" and "closer to holdout" are equally likely (share 0.5);
 *  - membership inference: up to 2,000 members (train) and as many non-members (holdout), each scored
 *    by −(distance to the nearest synthetic row); AUC 0.5 = no leak.
 * Exact nearest neighbours come from src/ml (chunked, bounded memory).
 */
import { gowerSpace, nearestNeighbours, rocAuc, sampleIndices, type TypedTable } from '../ml/index.js';
import { nameMap } from '../names.js';
import { streamFor } from '../random/stream.js';
import { meanMetric, metricFrom, quantileSorted } from './bootstrap.js';
import { dcrFarAbove, farAbove, percent } from './near-copy.js';
import { defineSection, ok, type SectionContext } from './section.js';
import { rowKeys, takeTableRows } from './table-utils.js';
import type { Histogram, Metric, PrivacySection, ReportWarning, Skipped } from './types.js';

export interface PrivacyOptions {
  seed: number;
  reps: number;
  level: number;
  maxSynthetic?: number;
  maxMembers?: number;
  /** Cancels neighbour searches on worker threads. */
  signal?: AbortSignal;
}

function identicalShare(query: TypedTable, reference: ReadonlySet<string>): Float64Array {
  const keys = rowKeys(query);
  const out = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = reference.has(keys[i]) ? 1 : 0;
  return out;
}

/** 1 for each row equal to another row of the same table (leave-one-out identical match). */
function duplicatedRows(keys: readonly string[]): Float64Array {
  const count = new Map<string, number>();
  for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
  return Float64Array.from(keys, (k) => ((count.get(k) ?? 0) > 1 ? 1 : 0));
}

function distanceSummary(
  d: Float64Array,
  edges: number[],
): { quantiles: Record<string, number>; histogram: Histogram } {
  const sorted = Float64Array.from(d).sort();
  const quantiles: Record<string, number> = nameMap();
  for (const p of [0.01, 0.05, 0.25, 0.5, 0.75, 0.95])
    quantiles[`p${Math.round(p * 100)}`] = quantileSorted(sorted, p);
  const counts = new Array<number>(edges.length - 1).fill(0);
  const top = edges[edges.length - 1];
  const nb = counts.length;
  for (const v of d) {
    const b = top > 0 ? Math.min(nb - 1, Math.floor((v / top) * nb)) : 0;
    counts[b]++;
  }
  return { quantiles, histogram: { edges, counts } };
}

function histogramEdges(max: number, bins = 20): number[] {
  const top = max > 0 ? max : 1;
  return Array.from({ length: bins + 1 }, (_, i) => (top * i) / bins);
}

export async function computePrivacy(
  train: TypedTable,
  syn: TypedTable,
  holdout: TypedTable | undefined,
  opts: PrivacyOptions,
): Promise<{ section: PrivacySection; skipped: Skipped[] }> {
  const skipped: Skipped[] = [];
  const { seed, reps, level } = opts;
  const noHold = 'needs --holdout (a real sample not used for training)';

  const trainKeys = rowKeys(train);
  const trainSet = new Set(trainKeys);
  const identical = meanMetric(
    identicalShare(syn, trainSet),
    seed,
    'identical',
    reps,
    level,
    'no synthetic rows',
  );
  const identicalHold = holdout
    ? meanMetric(identicalShare(holdout, trainSet), seed, 'identical-holdout', reps, level, 'empty holdout')
    : { value: null, reason: noHold };
  const identicalTrain = meanMetric(
    duplicatedRows(trainKeys),
    seed,
    'identical-train',
    reps,
    level,
    'no training rows',
  );

  if (syn.rowCount === 0 || train.rowCount < 2) {
    const reason = syn.rowCount === 0 ? 'no synthetic rows' : 'fewer than 2 training rows';
    for (const m of ['dcr_share', 'nndr_median', 'membership_inference_auc'])
      skipped.push({ metric: m, reason });
    return {
      section: {
        identical_match_share: identical,
        identical_match_share_holdout: identicalHold,
        identical_match_share_train: identicalTrain,
        dcr_share: { value: null, reason },
        dcr_train: null,
        dcr_holdout: null,
        nndr_median: { value: null, reason },
        membership_inference_auc: { value: null, reason },
        synthetic_rows_sampled: 0,
      },
      skipped,
    };
  }

  const maxSyn = opts.maxSynthetic ?? 10_000;
  const synIdx = syn.rowCount > maxSyn ? sampleIndices(syn.rowCount, maxSyn, seed ^ 0x5a17) : null;
  const synSample = synIdx ? takeTableRows(syn, synIdx) : syn;
  const trainRef =
    holdout && train.rowCount > holdout.rowCount && holdout.rowCount >= 2
      ? takeTableRows(train, sampleIndices(train.rowCount, holdout.rowCount, seed ^ 0x7a11))
      : train;
  const space = gowerSpace(train);
  const nnTrain = await nearestNeighbours(synSample, trainRef, Math.min(2, trainRef.rowCount), {
    space,
    signal: opts.signal,
  });
  const k = nnTrain.k;
  const m = synSample.rowCount;
  const dT = new Float64Array(m);
  const nndr = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    dT[i] = nnTrain.distance[i * k];
    const d2 = k > 1 ? nnTrain.distance[i * k + 1] : Number.NaN;
    nndr[i] = dT[i] === 0 ? 0 : dT[i] / d2;
  }
  let dH: Float64Array | null = null;
  let dcrShare: Metric = { value: null, reason: noHold };
  if (holdout && holdout.rowCount > 0) {
    const nnHold = await nearestNeighbours(synSample, holdout, 1, { space, signal: opts.signal });
    dH = Float64Array.from(nnHold.distance);
    const contrib = new Float64Array(m);
    for (let i = 0; i < m; i++) contrib[i] = dT[i] < dH[i] ? 1 : dT[i] === dH[i] ? 0.5 : 0;
    dcrShare = meanMetric(contrib, seed, 'dcr-share', reps, level, 'no synthetic rows');
  } else skipped.push({ metric: 'dcr_share', reason: noHold });

  let maxD = 0;
  for (const v of dT) maxD = Math.max(maxD, v);
  if (dH) for (const v of dH) maxD = Math.max(maxD, v);
  const edges = histogramEdges(maxD);

  const sortedNndr = Float64Array.from(nndr.filter((v) => Number.isFinite(v))).sort();
  const nndrStream = streamFor(seed, 'evaluate', 'privacy', 'nndr');
  const nndrReps = new Float64Array(reps);
  const nn = sortedNndr.length;
  const tmp = new Float64Array(nn);
  for (let r = 0; r < reps && nn > 0; r++) {
    for (let i = 0; i < nn; i++) tmp[i] = sortedNndr[nndrStream.nextInt(nn)];
    tmp.sort();
    nndrReps[r] = quantileSorted(tmp, 0.5);
  }
  const nndrMedian =
    nn > 0
      ? metricFrom(quantileSorted(sortedNndr, 0.5), nndrReps, 'undefined')
      : { value: null, reason: 'fewer than 2 training rows' };

  let mia: Metric = { value: null, reason: noHold };
  if (holdout && holdout.rowCount >= 2) {
    const size = Math.min(opts.maxMembers ?? 2000, train.rowCount, holdout.rowCount);
    const members = takeTableRows(train, sampleIndices(train.rowCount, size, seed ^ 0x3e3b));
    const nonMembers = takeTableRows(holdout, sampleIndices(holdout.rowCount, size, seed ^ 0x4e4b));
    const nnM = await nearestNeighbours(members, syn, 1, { space, signal: opts.signal });
    const nnN = await nearestNeighbours(nonMembers, syn, 1, { space, signal: opts.signal });
    const scores = new Float64Array(2 * size);
    const labels = new Int32Array(2 * size);
    for (let i = 0; i < size; i++) {
      scores[i] = -nnM.distance[i];
      labels[i] = 1;
      scores[size + i] = -nnN.distance[i];
    }
    const est = rocAuc(scores, labels);
    const st = streamFor(seed, 'evaluate', 'privacy', 'mia');
    const out = new Float64Array(reps);
    const s2 = new Float64Array(2 * size);
    const l2 = new Int32Array(2 * size);
    for (let r = 0; r < reps; r++) {
      // stratified resample: members and non-members separately
      for (let i = 0; i < size; i++) {
        const a = st.nextInt(size);
        const b = size + st.nextInt(size);
        s2[i] = scores[a];
        l2[i] = 1;
        s2[size + i] = scores[b];
        l2[size + i] = 0;
      }
      out[r] = rocAuc(s2, l2);
    }
    mia = metricFrom(est, out, 'undefined AUC');
  } else skipped.push({ metric: 'membership_inference_auc', reason: noHold });

  return {
    section: {
      identical_match_share: identical,
      identical_match_share_holdout: identicalHold,
      identical_match_share_train: identicalTrain,
      dcr_share: dcrShare,
      dcr_train: distanceSummary(dT, edges),
      dcr_holdout: dH ? distanceSummary(dH, edges) : null,
      nndr_median: nndrMedian,
      membership_inference_auc: mia,
      synthetic_rows_sampled: m,
    },
    skipped,
  };
}

/** The near-copy warning, when the identical-match share or the DCR share is far above its baseline. */
export function nearCopyWarnings(p: PrivacySection, withHoldout: boolean): ReportWarning[] {
  const base = withHoldout ? p.identical_match_share_holdout : p.identical_match_share_train;
  const why: string[] = [];
  if (farAbove(p.identical_match_share, base)) {
    why.push(
      `${percent(p.identical_match_share.value)} of synthetic rows are identical to a training row, against ${percent(base.value)} ${withHoldout ? 'of holdout rows (a fresh real sample)' : 'of training rows that equal another training row'}`,
    );
  }
  if (withHoldout && dcrFarAbove(p.dcr_share)) {
    why.push(
      `${percent(p.dcr_share.value)} of synthetic rows are closer to a training row than to any holdout row (50% expected)`,
    );
  }
  if (why.length === 0) return [];
  return [
    {
      code: 'near_copy',
      section: 'privacy',
      message: `the synthetic data looks like a near-copy of the training data: ${why.join('; ')}. Check that the synthetic file is not the real one, and whether the generator memorised rows.`,
    },
  ];
}

export const privacySection = defineSection({
  name: 'privacy',
  order: 50,
  title: 'privacy: overlap with the training rows',
  empty: null as PrivacySection | null,
  summary: {
    dcr_share: {
      label: 'DCR share (synthetic rows closer to train than to holdout; 0.5 ideal)',
      read: (p) => p.dcr_share,
    },
    identical_match_share: {
      label: 'Identical-match share (synthetic rows equal to a training row)',
      read: (p) => p.identical_match_share,
    },
    identical_match_share_holdout: {
      label: 'Identical-match share of the holdout (the baseline)',
      read: (p) => p.identical_match_share_holdout,
    },
  },
  async run(ctx: SectionContext) {
    const p = await computePrivacy(ctx.real, ctx.synthetic, ctx.holdout, ctx.opts);
    ctx.shared.privacy = p.section;
    return ok(p.section, {
      skipped: p.skipped,
      warnings: nearCopyWarnings(p.section, ctx.holdout !== undefined && ctx.holdout.rowCount > 0),
    });
  },
  output: (p) => p,
});
