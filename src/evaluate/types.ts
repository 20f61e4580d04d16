/**
 * The evaluation report: a documented, versioned JSON shape (see docs/evaluate-json.md).
 * Every figure is a `Metric`; a figure that cannot be computed has `value: null` and a `reason`.
 */

/** One figure. `ci` is a percentile bootstrap interval (95% unless `EvaluationReport.config` says otherwise). */
export interface Metric {
  value: number | null;
  ci?: [number, number];
  reason?: string;
}

export interface ColumnReport {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Numeric columns read from ISO dates (bin labels are then dates). */
  temporal?: 'date' | 'datetime';
  /** KSComplement (numeric) or TVComplement (categorical), SDMetrics definitions. */
  shape: Metric & { metric: 'KSComplement' | 'TVComplement' };
  /** 1 − TVD over the 10 accuracy bins (Mostly-AI QA). */
  accuracy: Metric;
  accuracy_holdout?: Metric;
  missing_rate_real: number;
  missing_rate_synthetic: number;
  /** Numeric: share of the real [min, max] range spanned by synthetic values. Categorical: share of real categories present in synthetic. */
  coverage: Metric;
  /** Binned distributions used by the report's overlay charts (accuracy bins). */
  bins: { labels: string[]; real: number[]; synthetic: number[] };
}

export interface PairReport {
  a: string;
  b: string;
  /** CorrelationSimilarity (numeric × numeric) or ContingencySimilarity (otherwise), SDMetrics definitions. */
  similarity: Metric & { metric: 'CorrelationSimilarity' | 'ContingencySimilarity' };
  /** Pearson correlation in real and synthetic (numeric pairs only). */
  correlation_real?: number | null;
  correlation_synthetic?: number | null;
  accuracy: Metric;
  accuracy_holdout?: Metric;
}

export interface FidelitySection {
  columns: ColumnReport[];
  pairs: PairReport[];
  accuracy_univariate: Metric;
  accuracy_bivariate: Metric;
  accuracy_trivariate?: Metric;
  accuracy_univariate_holdout: Metric;
  accuracy_bivariate_holdout: Metric;
  accuracy_trivariate_holdout?: Metric;
  /** Mean KSComplement/TVComplement over columns. */
  column_shapes: Metric;
  /** Mean CorrelationSimilarity/ContingencySimilarity over pairs. */
  column_pair_trends: Metric;
}

export interface DetectionSection {
  /** Cross-validated AUC of a classifier separating real (0) from synthetic (1); 0.5 = indistinguishable. */
  auc: Metric;
  rows_per_side: number;
  folds: number;
  /** Columns that give synthetic data away, by share of total split gain. */
  importances: { column: string; importance: number }[];
}

export interface MmdSection {
  /** Unbiased MMD² with an RBF kernel, median-heuristic bandwidth. */
  mmd2: Metric;
  /**
   * Permutation p-value: the verdict (below 0.01, the tables differ). Besag–Clifford sequential test
   * over up to 1,000 permutations, so p can reach 1/1001.
   */
  p_value: number | null;
  bandwidth: number | null;
  rows_per_side: number;
  /** Permutations drawn (fewer than 1,000 when 20 of them already matched the observed MMD²). */
  permutations: number;
}

export interface Histogram {
  edges: number[];
  counts: number[];
}

export interface PrivacySection {
  identical_match_share: Metric;
  identical_match_share_holdout: Metric;
  /**
   * Share of training rows equal to another training row: the identical-match share a fresh real
   * sample would have, when no holdout is given (the near-copy warning's baseline then).
   */
  identical_match_share_train: Metric;
  dcr_share: Metric;
  /** Distance (Gower) from each sampled synthetic row to its closest training record. */
  dcr_train: { quantiles: Record<string, number>; histogram: Histogram } | null;
  dcr_holdout: { quantiles: Record<string, number>; histogram: Histogram } | null;
  /** Median nearest-neighbour distance ratio (closest / second closest training record). */
  nndr_median: Metric;
  membership_inference_auc: Metric;
  synthetic_rows_sampled: number;
}

export interface ClassifierScores {
  auc: Metric;
  accuracy: Metric;
  macro_f1: Metric;
  per_class_recall: Record<string, number | null>;
  confusion: number[][];
}

export interface UtilitySection {
  target: string;
  classes: string[];
  test_set: 'holdout' | 'real split (30%)';
  test_rows: number;
  tstr: ClassifierScores;
  trtr: ClassifierScores;
  augmented: ClassifierScores;
  rare_classes: string[];
  /** Recall of each rare class, augmented (real + synthetic) minus real alone. */
  rare_recall_change: Record<string, number | null>;
  confusion_change: number[][];
}

export interface BiasGroup {
  group: string;
  rows_real: number;
  rows_synthetic: number;
  /** P(target = class | group) per class. */
  p_real: Record<string, number | null>;
  p_synthetic: Record<string, number | null>;
}

export interface BiasSection {
  column: string;
  positive_class: string;
  groups: BiasGroup[];
  demographic_parity_gap_real: Metric;
  demographic_parity_gap_synthetic: Metric;
  equalized_odds_gap_trtr: Metric;
  equalized_odds_gap_tstr: Metric;
  amplified: boolean | null;
  amplified_reason: string;
}

export interface RuleReport {
  name: string;
  check: string;
  violations: number;
  not_evaluable: number;
  rate: Metric;
  examples: { row: number; values: Record<string, string | null> }[];
  error?: string;
}

export interface CoverageCell {
  labels: Record<string, string>;
  required: number;
  delivered: number;
  forbidden: boolean;
  met: boolean;
}

export interface CoverageSection {
  table: string;
  axes: string[];
  cells: CoverageCell[];
  cells_required: number;
  cells_met: number;
  empty_cells: number;
  rows_outside_cells: number;
  effective_sample_size: number | null;
}

export interface KnnCoverageSection {
  k: number;
  /** Naeem et al. 2020: share of real rows whose k-NN ball contains a synthetic row. */
  coverage: Metric;
  /** Naeem et al. 2020: mean number of real k-NN balls containing a synthetic row, divided by k. */
  density: Metric;
  rows_per_side: number;
}

export interface Skipped {
  metric: string;
  reason: string;
}

/** How evaluate treats a shared column (decided from the real data and the spec, see columns.ts). */
export type ColumnRole = 'value' | 'id' | 'text';

export interface ColumnInfo {
  name: string;
  kind: 'numeric' | 'categorical';
  /**
   * 'value': judged by every tabular section; 'id': an identifier (unique per row, or declared
   * `type: id`); 'text': free text (many distinct strings of several words). ID and text columns are
   * left out of fidelity, detection, MMD, privacy, utility and kNN coverage; text is judged by the
   * `text` section.
   */
  role: ColumnRole;
  /** Why the column is an ID or free text (absent for 'value'). */
  role_reason?: string;
  /** Numeric columns read from ISO dates: values are epoch milliseconds. */
  temporal?: 'date' | 'datetime';
}

/** Something a reader must see even when every gate passes (printed on stderr and atop the reports). */
export interface ReportWarning {
  /** Stable code: 'near_copy' (rows) or 'near_copy_text' (a free-text column). */
  code: 'near_copy' | 'near_copy_text';
  /** The section that raised it. */
  section: string;
  message: string;
}

/** A metric that could not be computed, with its reason. */
export function missing(reason: string): Metric {
  return { value: null, reason };
}
