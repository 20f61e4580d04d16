/**
 * The relational section's report shape (docs/evaluate-json.md, "relational"): keys, foreign keys,
 * children per parent, order relations between datetime columns, and sequences. Every figure is
 * measured real vs synthetic, and real vs holdout when a holdout is given (the ceiling).
 */
import type { Metric } from '../types.js';

/** Where a key, foreign key or order column came from. */
export type LinkSource = 'spec' | 'option' | 'detected';

export interface KeyReport {
  table: string;
  column: string;
  source: LinkSource;
  /** Share of synthetic rows whose key is present and appears once. */
  unique_share: Metric;
  unique_share_holdout?: Metric;
  duplicates: number;
  missing: number;
}

/** Counts per bin (children per parent, gaps) in real and synthetic, for charts. */
export interface CountHistogram {
  labels: string[];
  real: number[];
  synthetic: number[];
}

export interface ForeignKeyReport {
  child: string;
  column: string;
  parent: string;
  parent_column: string;
  source: LinkSource;
  /** Share of synthetic child rows with a present foreign key that names an existing parent row. */
  integrity: Metric;
  integrity_holdout?: Metric;
  /** Synthetic child rows naming a missing parent. */
  orphans: number;
  /** Synthetic child rows with no foreign key. */
  missing: number;
  /** 1 − TVD of the number of children per parent row (parents with zero children included). */
  children_per_parent: Metric;
  children_per_parent_holdout?: Metric;
  histogram: CountHistogram;
  /**
   * Mean 1 − TVD over the (parent value column, child value column) pairs, each child row joined to
   * its parent row (accuracy bins of the real join, as the bivariate accuracy); null with a reason
   * when either table has no value column.
   */
  parent_child_pairs: Metric;
  parent_child_pairs_holdout?: Metric;
  /**
   * Mean over the same pairs of 1 − |D(synthetic) − D(real)|, D = TVD between the pair's joint
   * distribution on the join and the product of its two marginals (0 = independent): the pairs'
   * dependence alone, not each column's own distribution (which the tables' accuracy judges).
   */
  parent_child_dependence: Metric;
  parent_child_dependence_holdout?: Metric;
  /** Pairs judged: the parent's value columns × the child's. */
  pairs_judged: number;
  /** The pairs with the lowest synthetic figure (up to 5), lowest first. */
  worst_pairs: ParentChildPair[];
}

/** One (parent column, child column) pair on the join: 1 − TVD of its joint distribution. */
export interface ParentChildPair {
  parent_column: string;
  child_column: string;
  accuracy: number | null;
  accuracy_holdout?: number | null;
  dependence: number | null;
  dependence_holdout?: number | null;
}

/**
 * An order `left op right` between two datetime columns that holds on every real row where both
 * are present: within a row (`row`), between a parent row and its children (`parent`, left is
 * `PARENT.col`), or between consecutive rows of a sequence (`previous`, left is `prev.col`).
 */
export interface OrderRelationReport {
  kind: 'row' | 'parent' | 'previous';
  table: string;
  left: string;
  op: '<' | '<=';
  right: string;
  /** Real rows (or row pairs) on which the relation was found to hold. */
  real_checked: number;
  /** Synthetic rows (or pairs) where both sides are present. */
  checked: number;
  violations: number;
  rate: Metric;
  violations_holdout?: number;
  rate_holdout?: Metric;
}

/**
 * A rule of the spec (or fitted model) given with `--spec`, checked on one table's rows with the
 * names it reads across rows (`parent.x`, `T.x`, `prev.x`, `first.x`, `index`, `remaining`,
 * aggregates over children) resolved through the foreign keys and the sequence order.
 */
export interface RelationalRuleReport {
  table: string;
  name: string;
  check: string;
  /** The rule reads another row (a parent, an ancestor, the previous or first row, children) or the row's position. */
  across: boolean;
  /** Synthetic rows with every value the rule reads present. */
  checked: number;
  violations: number;
  /** Synthetic rows where a value it reads is missing (e.g. `prev.x` on a sequence's first row). */
  not_evaluable: number;
  /** violations / checked. */
  rate: Metric;
  /** Row numbers (1-based, file order) of the first violating synthetic rows. */
  examples: number[];
  /** The same rule on the real rows (a fitted model's rules hold on all of them). */
  violations_real: number;
  violations_holdout?: number;
  rate_holdout?: Metric;
  /** Set when the rule cannot be compiled against the table (e.g. it names a column the file lacks). */
  error?: string;
}

export interface TransitionReport {
  column: string;
  /** 1 − TVD of next-state rows, averaged over real states weighted by how often real rows leave them. */
  accuracy: Metric;
  accuracy_holdout?: Metric;
}

export interface Lag1Report {
  column: string;
  real: number | null;
  synthetic: number | null;
  /** |synthetic − real| lag-1 autocorrelation within entities. */
  difference: number | null;
  difference_holdout?: number | null;
}

export interface StepReport {
  column: string;
  /** 1 − TVD of the step-to-step change x_t − x_{t−1} within entities (accuracy bins of the real steps). */
  accuracy: Metric;
  accuracy_holdout?: Metric;
}

export interface SequenceReport {
  table: string;
  /** Column grouping rows into entities (the foreign key or the spec's `sequence.entity`); null = one sequence. */
  entity: string | null;
  order: string;
  source: LinkSource;
  /** 1 − TVD of rows per entity. */
  length: Metric;
  length_holdout?: Metric;
  /** 1 − TVD of the binned gap between consecutive rows' order values (bins as accuracy bins). */
  gap: Metric;
  gap_holdout?: Metric;
  gap_histogram: CountHistogram | null;
  /** The histogram's gap unit: `days` when the order column holds datetimes, else the order column's own. */
  gap_unit: 'days' | 'order';
  transitions: TransitionReport[];
  /** One per numeric non-id column, as `lag1`. */
  steps: StepReport[];
  lag1: Lag1Report[];
}

export interface RelationalTableInfo {
  name: string;
  rows_real: number;
  rows_synthetic: number;
  rows_holdout: number | null;
  /** The table's own fidelity (mean 1 − TVD over its value columns / column pairs); absent when it has none. */
  accuracy_univariate?: Metric;
  accuracy_bivariate?: Metric;
  accuracy_univariate_holdout?: Metric;
  accuracy_bivariate_holdout?: Metric;
}

/** A few real and synthetic entities' events in time, for the report's timeline chart. */
export interface EntityTimeline {
  /** `days` (the tables' times are datetimes; t = days since the entity's first event) or `order` (the order column's own unit). */
  unit: 'days' | 'order';
  /** A panel's first numeric column, drawn as each entity's trajectory (`value` on its events); null for a tree. */
  value_column: string | null;
  events: {
    source: 'real' | 'synthetic';
    /** 0-based index of the entity among those drawn from its source. */
    entity: number;
    table: string;
    t: number;
    value?: number | null;
  }[];
}

/**
 * Per-entity detection: can the detection classifier tell real entities from synthetic ones by
 * features of their whole history (children per table, first/last/mean values, gaps, category
 * shares)? One per entity root: a table other tables hang under (a tree) or a panel.
 */
export interface EntityDetectionReport {
  table: string;
  /** The root's key column (tree) or the panel's entity column. */
  entity: string;
  kind: 'tree' | 'panel';
  /** Tables whose rows make up an entity's history (the root first). */
  tables: string[];
  entities_real: number;
  entities_synthetic: number;
  entities_holdout: number | null;
  /** Features per entity. */
  features: number;
  /** Cross-validated AUC, real (0) vs synthetic (1) entities; 0.5 = indistinguishable. */
  auc: Metric;
  /** The holdout's entities against the real training entities: the ceiling. */
  auc_holdout?: Metric;
  /** Entities per side the classifier saw (balanced by subsampling). */
  rows_per_side: number;
  /** Features that give synthetic entities away, by share of split gain (top 10). */
  importances: { feature: string; importance: number }[];
  timeline: EntityTimeline | null;
}

export interface RelationalSection {
  tables: RelationalTableInfo[];
  keys: KeyReport[];
  foreign_keys: ForeignKeyReport[];
  order_relations: OrderRelationReport[];
  /** Rules of the spec given with `--spec`, every table's (empty without a spec). */
  rules: RelationalRuleReport[];
  sequences: SequenceReport[];
  entities: EntityDetectionReport[];
}
