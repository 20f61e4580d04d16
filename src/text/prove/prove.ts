/**
 * `text prove`: does adding the synthetic texts change what classifiers learn, on real test data?
 * Every registered classifier (classifiers.ts) is trained on the real training texts alone and on
 * real + synthetic, with plain and with balanced class weights, and the two are compared on the
 * same real test split (compare.ts). Rare classes default to the `rareCount` smallest in the real
 * training data. The summary is the primary run's (logistic regression, balanced weights): the
 * change of mean rare-class recall with its CI and the change of macro-F1; the verdict line says
 * it in words and how many runs agree.
 */
import { StrataError } from '../../errors.js';
import { parseSeed } from '../../random/seed.js';
import type { Figure, LabelledText } from '../downstream.js';
import type { ClassWeighting, TextClassifier } from './classifiers.js';
import { TEXT_CLASSIFIERS } from './classifiers.js';
import { type Comparison, comparePredictions } from './compare.js';

export interface ProveOptions {
  /** Rare classes by name; default: the `rareCount` smallest classes of the real training data. */
  rare?: readonly string[];
  rareCount?: number;
  classifiers?: readonly string[];
  weightings?: readonly ClassWeighting[];
  reps?: number;
  seed?: number;
  /** Real-only predictions already computed for the same real/test data (the bench reuses them). */
  baseline?: Baseline;
}

export interface Run {
  classifier: string;
  family: string;
  weighting: ClassWeighting;
  comparison: Comparison;
}

export interface ProveSummary {
  rare_recall_delta: number | null;
  rare_recall_delta_ci: [number, number] | null;
  macro_f1_delta: number | null;
  macro_f1_delta_ci: [number, number] | null;
  rare_recall_real_only: number | null;
  rare_recall_augmented: number | null;
  primary: string;
  /** Runs whose rare-recall change CI lies above 0, of all runs. */
  runs_rare_ci_above_zero: number;
  runs: number;
  verdict: string;
}

export interface ProveReport {
  summary: ProveSummary;
  rare: string[];
  labels: string[];
  counts: {
    real: number;
    synthetic: number;
    synthetic_used: number;
    synthetic_unknown_label: number;
    test: number;
    test_unknown_label: number;
  };
  train_counts: { label: string; real: number; synthetic: number }[];
  runs: Run[];
}

/** Real-only predictions per run key, so several synthetic sets can be proved against one baseline. */
export interface Baseline {
  key: string;
  predictions: Map<string, Int32Array>;
}

const runKey = (c: string, w: ClassWeighting) => `${c}/${w}`;

function classifiersOf(names: readonly string[]): TextClassifier[] {
  return names.map((n) => {
    const c = TEXT_CLASSIFIERS.get(n);
    if (!c)
      throw new StrataError(
        'text.prove_classifier',
        `unknown classifier "${n}"`,
        { path: '--classifiers' },
        `use ${[...TEXT_CLASSIFIERS.keys()].join(', ')}`,
      );
    return c;
  });
}

/** The `n` smallest classes of `rows` (ties broken by name). */
export function smallestClasses(rows: readonly LabelledText[], n: number): string[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([l]) => l);
}

function datasetKey(real: readonly LabelledText[], test: readonly LabelledText[], seed: number): string {
  return `${real.length}:${test.length}:${seed}:${real[0]?.text ?? ''}:${test[0]?.text ?? ''}`;
}

export function realOnlyBaseline(
  real: readonly LabelledText[],
  test: readonly LabelledText[],
  opts: Pick<ProveOptions, 'classifiers' | 'weightings' | 'seed'> = {},
): Baseline {
  const seed = parseSeed(opts.seed ?? 1);
  const labels = [...new Set(real.map((r) => r.label))].sort();
  const known = new Set(labels);
  const testRows = test.filter((t) => known.has(t.label));
  const predictions = new Map<string, Int32Array>();
  for (const c of classifiersOf(opts.classifiers ?? [...TEXT_CLASSIFIERS.keys()]))
    for (const w of opts.weightings ?? (['plain', 'balanced'] as const))
      predictions.set(
        runKey(c.name, w),
        c.fitPredict(
          real,
          testRows.map((t) => t.text),
          labels,
          { weighting: w, seed },
        ),
      );
  return { key: datasetKey(real, test, seed), predictions };
}

const signed = (x: number, d = 3) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(d)}`;
const ci = (f: Figure, d = 2) => (f.ci ? ` [${signed(f.ci[0], d)}, ${signed(f.ci[1], d)}]` : '');

export function verdictLine(c: Comparison): string {
  if (c.rare_recall_delta.value === null) return 'no rare class has test rows: nothing to judge';
  const d = c.rare_recall_delta;
  return `rare-case recall ${signed(d.value!, 2)}${ci(d)} (${c.rare_recall_real_only.value!.toFixed(3)} → ${c.rare_recall_augmented.value!.toFixed(3)}), up on ${c.rare_improved} of ${c.rare_with_test} rare classes; overall macro-F1 ${signed(c.macro_f1_delta.value ?? 0)}${ci(c.macro_f1_delta, 3)}`;
}

export function proveTexts(
  real: readonly LabelledText[],
  synthetic: readonly LabelledText[],
  test: readonly LabelledText[],
  opts: ProveOptions = {},
): ProveReport {
  const seed = parseSeed(opts.seed ?? 1);
  if (real.length === 0 || test.length === 0)
    throw new StrataError('text.prove_empty', 'prove needs real training and test rows', { path: '--real' });
  const labels = [...new Set(real.map((r) => r.label))].sort();
  if (labels.length < 2)
    throw new StrataError('text.prove_classes', 'the real training data has fewer than 2 labels', {
      path: '--label-field',
    });
  const known = new Set(labels);
  const synth = synthetic.filter((s) => known.has(s.label));
  const testRows = test.filter((t) => known.has(t.label));
  const rare = opts.rare ? [...opts.rare] : smallestClasses(real, opts.rareCount ?? 10);
  for (const r of rare)
    if (!known.has(r))
      throw new StrataError('text.prove_rare', `rare class "${r}" is not a label of the real data`, {
        path: '--rare',
      });
  const code = new Map(labels.map((l, i) => [l, i]));
  const y = Int32Array.from(testRows, (t) => code.get(t.label)!);
  const names = opts.classifiers ?? [...TEXT_CLASSIFIERS.keys()];
  const weightings = opts.weightings ?? (['plain', 'balanced'] as const);
  const baseline =
    opts.baseline && opts.baseline.key === datasetKey(real, test, seed)
      ? opts.baseline
      : realOnlyBaseline(real, test, { classifiers: names, weightings, seed });
  const augmented = [...real, ...synth];
  const runs: Run[] = [];
  const rareSet = new Set(rare);
  for (const c of classifiersOf(names))
    for (const w of weightings) {
      const a =
        baseline.predictions.get(runKey(c.name, w)) ??
        c.fitPredict(
          real,
          testRows.map((t) => t.text),
          labels,
          { weighting: w, seed },
        );
      const b = c.fitPredict(
        augmented,
        testRows.map((t) => t.text),
        labels,
        { weighting: w, seed },
      );
      runs.push({
        classifier: c.name,
        family: c.family,
        weighting: w,
        comparison: comparePredictions(y, a, b, labels, rareSet, { reps: opts.reps ?? 1000, seed }),
      });
    }
  const primary = runs.find((r) => r.classifier === 'tfidf-logreg' && r.weighting === 'balanced') ?? runs[0];
  const p = primary.comparison;
  const above = runs.filter((r) => (r.comparison.rare_recall_delta.ci?.[0] ?? 0) > 0).length;
  const count = (rows: readonly LabelledText[]) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(r.label, (m.get(r.label) ?? 0) + 1);
    return m;
  };
  const cr = count(real);
  const cs = count(synth);
  return {
    summary: {
      rare_recall_delta: p.rare_recall_delta.value,
      rare_recall_delta_ci: p.rare_recall_delta.ci ?? null,
      macro_f1_delta: p.macro_f1_delta.value,
      macro_f1_delta_ci: p.macro_f1_delta.ci ?? null,
      rare_recall_real_only: p.rare_recall_real_only.value,
      rare_recall_augmented: p.rare_recall_augmented.value,
      primary: runKey(primary.classifier, primary.weighting),
      runs_rare_ci_above_zero: above,
      runs: runs.length,
      verdict: `${verdictLine(p)} (${runKey(primary.classifier, primary.weighting)}); rare-recall CI above 0 in ${above} of ${runs.length} classifier × weighting runs`,
    },
    rare,
    labels,
    counts: {
      real: real.length,
      synthetic: synthetic.length,
      synthetic_used: synth.length,
      synthetic_unknown_label: synthetic.length - synth.length,
      test: testRows.length,
      test_unknown_label: test.length - testRows.length,
    },
    train_counts: labels.map((l) => ({ label: l, real: cr.get(l) ?? 0, synthetic: cs.get(l) ?? 0 })),
    runs,
  };
}
