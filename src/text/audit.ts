/**
 * `strata text audit`: per-cell counts vs plan, diversity (distinct-n, compression, self-similarity,
 * Vendi), kNN coverage/density of real by synthetic, leakage (nearest-real similarity), near-duplicate
 * share, and the downstream real-only vs real + synthetic classifier test. JSON shape:
 * `{ schema_version: 1, kind: 'text-audit', summary: {stable keys → number | null}, metrics: {same keys →
 * { value, ci?, reason? }}, … }` like `strata evaluate`.
 */
import type { GateFailure } from '../evaluate/gates.js';
import { bootstrapCI, sampleIndices, stratifiedFolds } from '../ml/index.js';
import { parseSeed } from '../random/seed.js';
import { dedupTexts } from './dedup/funnel.js';
import {
  compressionRatio,
  distinctN,
  knnCoverageDensity,
  nearestSimilarities,
  quantile,
  selfSimilarity,
  vendiScore,
} from './diversity.js';
import { type DownstreamResult, downstreamTest, type Figure, type LabelledText } from './downstream.js';
import { embedText } from './embed.js';
import type { Plan } from './plan.js';

/** Stable summary keys: never renamed, never removed. */
export const TEXT_SUMMARY_KEYS = [
  'cells_total',
  'cells_filled',
  'distinct_2',
  'vendi',
  'knn_coverage',
  'near_duplicate_share',
  'nearest_real_similarity_p95',
] as const;
export type TextSummaryKey = (typeof TEXT_SUMMARY_KEYS)[number];

export interface AuditRow {
  text: string;
  label: string | null;
  /** Plan cell key of a synthetic row (when known). */
  cell?: string | null;
}

export interface AuditInput {
  real: readonly AuditRow[];
  synthetic: readonly AuditRow[];
  /** A real test split; when absent, a seeded stratified 20% of `real` is held out. */
  test?: readonly AuditRow[];
  plan?: Plan;
}

export interface AuditOptions {
  seed?: number;
  /** Rows sampled for the pairwise figures (kNN, leakage, self-similarity); default 2000. */
  sample?: number;
  /** Rows sampled for the Vendi score (an n×n eigenproblem); default 1000, at most 2000. */
  vendiSample?: number;
  k?: number;
  downstream?: boolean;
  reps?: number;
  /** Class weighting of the downstream classifiers (default none). */
  classWeight?: 'balanced' | null;
}

export interface CellCount {
  key: string;
  quota: number | null;
  synthetic: number;
  real: number | null;
  filled: boolean;
}

export interface TextAuditReport {
  schema_version: 1;
  kind: 'text-audit';
  summary: Record<TextSummaryKey, number | null>;
  metrics: Record<TextSummaryKey, Figure> & {
    distinct_1: Figure;
    distinct_3: Figure;
    distinct_2_real: Figure;
    compression_ratio: Figure;
    compression_ratio_real: Figure;
    self_similarity: Figure;
    self_similarity_real: Figure;
    vendi_real: Figure;
    knn_density: Figure;
  };
  cells: CellCount[];
  downstream: DownstreamResult | { reason: string };
  counts: { real: number; synthetic: number; test: number };
  config: { seed: number; sample: number; vendi_sample: number; k: number };
  /** With `--gate GATE.yaml`: the gate file and every summary figure that failed it (empty: passed). */
  gate?: { file: string; failures: GateFailure<TextSummaryKey>[] };
}

function wilson(successes: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.959964;
  const p = successes / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

const num = (v: number): Figure =>
  Number.isFinite(v) ? { value: v } : { value: null, reason: 'not enough rows' };

export async function auditTexts(input: AuditInput, opts: AuditOptions = {}): Promise<TextAuditReport> {
  const seed = parseSeed(opts.seed ?? 1);
  const sample = opts.sample ?? 2000;
  const vendiSample = Math.min(2000, opts.vendiSample ?? 1000);
  const k = opts.k ?? 5;
  const synthTexts = input.synthetic.map((r) => r.text);
  const realTexts = input.real.map((r) => r.text);
  const pick = <T>(xs: readonly T[], m: number, name: number) =>
    Array.from(sampleIndices(xs.length, m, seed + name), (i) => xs[i]);
  const sSample = pick(synthTexts, sample, 1).map((t) => embedText(t));
  const rSample = pick(realTexts, sample, 2).map((t) => embedText(t));

  // cells
  const cells: CellCount[] = [];
  if (input.plan) {
    const counts = new Map<string, number>();
    for (const r of input.synthetic) if (r.cell) counts.set(r.cell, (counts.get(r.cell) ?? 0) + 1);
    for (const c of input.plan.cells) {
      const n = counts.get(c.key) ?? 0;
      cells.push({
        key: c.key,
        quota: c.quota,
        synthetic: n,
        real: c.real_count ?? null,
        filled: n >= c.quota,
      });
    }
  } else {
    const real = new Map<string, number>();
    const syn = new Map<string, number>();
    for (const r of input.real) if (r.label !== null) real.set(r.label, (real.get(r.label) ?? 0) + 1);
    for (const r of input.synthetic) if (r.label !== null) syn.set(r.label, (syn.get(r.label) ?? 0) + 1);
    for (const key of [...new Set([...real.keys(), ...syn.keys()])].sort()) {
      const n = syn.get(key) ?? 0;
      cells.push({ key, quota: null, synthetic: n, real: real.get(key) ?? 0, filled: n > 0 });
    }
  }

  // diversity
  const vS = pick(synthTexts, vendiSample, 3).map((t) => embedText(t));
  const vR = pick(realTexts, vendiSample, 4).map((t) => embedText(t));
  const sizeMatched = pick(realTexts, synthTexts.length, 5);
  const vendi = vS.length ? vendiScore(vS) : Number.NaN;

  // coverage, leakage, near-duplicates
  const knn = knnCoverageDensity(rSample, sSample, k);
  let knnCi: [number, number] | undefined;
  if (Number.isFinite(knn.coverage)) {
    const w = wilson(Math.round(knn.coverage * rSample.length), rSample.length);
    knnCi = w;
  }
  const nearest = nearestSimilarities(sSample, rSample);
  const p95 = quantile(nearest, 0.95);
  const p95ci = nearest.length
    ? bootstrapCI(
        nearest.length,
        (idx) =>
          quantile(
            Array.from(idx, (i) => nearest[i]),
            0.95,
          ),
        { reps: 100, seed },
      )
    : null;
  const dd = await dedupTexts(
    synthTexts.map((text, i) => ({ id: String(i), text })),
    { scope: 'global', minhashThreshold: 0.7, embeddingThreshold: null },
  );
  const nd = dd.rejections.length;

  const cellsFilled = cells.filter((c) => c.filled).length;
  const metrics: TextAuditReport['metrics'] = {
    cells_total: { value: cells.length },
    cells_filled: { value: cellsFilled },
    distinct_2: synthTexts.length
      ? { value: distinctN(synthTexts, 2) }
      : { value: null, reason: 'no synthetic rows' },
    vendi: Number.isFinite(vendi) ? { value: vendi } : { value: null, reason: 'no synthetic rows' },
    knn_coverage: Number.isFinite(knn.coverage)
      ? { value: knn.coverage, ci: knnCi }
      : { value: null, reason: `needs more than k=${k} real rows and at least one synthetic row` },
    near_duplicate_share: synthTexts.length
      ? { value: nd / synthTexts.length, ci: wilson(nd, synthTexts.length) }
      : { value: null, reason: 'no synthetic rows' },
    nearest_real_similarity_p95:
      Number.isFinite(p95) && p95ci
        ? { value: p95, ci: [p95ci.low, p95ci.high] }
        : { value: null, reason: 'no real or synthetic rows' },
    distinct_1: num(distinctN(synthTexts, 1)),
    distinct_3: num(distinctN(synthTexts, 3)),
    distinct_2_real: {
      ...num(distinctN(sizeMatched, 2)),
      reason: 'on a seeded real sample of the synthetic size (distinct-n falls with size)',
    },
    compression_ratio: num(compressionRatio(synthTexts)),
    compression_ratio_real: num(compressionRatio(sizeMatched)),
    self_similarity: num(selfSimilarity(sSample.slice(0, 1000))),
    self_similarity_real: num(selfSimilarity(rSample.slice(0, 1000))),
    vendi_real: vR.length ? { value: vendiScore(vR) } : { value: null, reason: 'no real rows' },
    knn_density: num(knn.density),
  };
  const summary = Object.fromEntries(TEXT_SUMMARY_KEYS.map((key) => [key, metrics[key].value])) as Record<
    TextSummaryKey,
    number | null
  >;

  // downstream
  let downstream: TextAuditReport['downstream'] = { reason: 'turned off' };
  let testCount = 0;
  if (opts.downstream !== false) {
    const labelled = (rows: readonly AuditRow[]): LabelledText[] =>
      rows
        .filter((r): r is AuditRow & { label: string } => r.label !== null && r.label !== '')
        .map((r) => ({ text: r.text, label: r.label }));
    let train = labelled(input.real);
    let test = input.test ? labelled(input.test) : [];
    if (!input.test && train.length) {
      const labels = [...new Set(train.map((t) => t.label))].sort();
      const code = new Map(labels.map((l, i) => [l, i]));
      const folds = stratifiedFolds(Int32Array.from(train.map((t) => code.get(t.label)!)), 5, seed);
      test = train.filter((_, i) => folds[i] === 0);
      train = train.filter((_, i) => folds[i] !== 0);
    }
    testCount = test.length;
    const nLabels = new Set(train.map((t) => t.label)).size;
    if (nLabels < 2 || test.length === 0)
      downstream = {
        reason: 'needs labelled real rows of at least 2 classes and a test split (--label-field, --test)',
      };
    else
      downstream = downstreamTest(train, labelled(input.synthetic), test, {
        seed,
        reps: opts.reps,
        classWeight: opts.classWeight,
      });
  }
  return {
    schema_version: 1,
    kind: 'text-audit',
    summary,
    metrics,
    cells,
    downstream,
    counts: { real: input.real.length, synthetic: input.synthetic.length, test: testCount },
    config: { seed, sample, vendi_sample: vendiSample, k },
  };
}
