/**
 * Overlap and privacy: identical-match share (vs the holdout's own share as the baseline), distance
 * to closest record (Gower), DCR share, NNDR and a distance-based membership-inference attack.
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
import { streamFor } from '../random/stream.js';
import { meanMetric, metricFrom, quantileSorted } from './bootstrap.js';
import { rowKeys, takeTableRows } from './table-utils.js';
import type { Histogram, Metric, PrivacySection, Skipped } from './types.js';

export interface PrivacyOptions {
  seed: number;
  reps: number;
  level: number;
  maxSynthetic?: number;
  maxMembers?: number;
  /** Cancels neighbour searches on worker threads. */
  signal?: AbortSignal;
}

function identicalShare(query: TypedTable, reference: TypedTable): Float64Array {
  const set = new Set(rowKeys(reference));
  const keys = rowKeys(query);
  const out = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = set.has(keys[i]) ? 1 : 0;
  return out;
}

function distanceSummary(
  d: Float64Array,
  edges: number[],
): { quantiles: Record<string, number>; histogram: Histogram } {
  const sorted = Float64Array.from(d).sort();
  const quantiles: Record<string, number> = {};
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

  const identical = meanMetric(
    identicalShare(syn, train),
    seed,
    'identical',
    reps,
    level,
    'no synthetic rows',
  );
  const identicalHold = holdout
    ? meanMetric(identicalShare(holdout, train), seed, 'identical-holdout', reps, level, 'empty holdout')
    : { value: null, reason: noHold };

  if (syn.rowCount === 0 || train.rowCount < 2) {
    const reason = syn.rowCount === 0 ? 'no synthetic rows' : 'fewer than 2 training rows';
    for (const m of ['dcr_share', 'nndr_median', 'membership_inference_auc'])
      skipped.push({ metric: m, reason });
    return {
      section: {
        identical_match_share: identical,
        identical_match_share_holdout: identicalHold,
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
