/**
 * The relational section: judges several tables linked by keys (one file per table) — keys,
 * foreign keys, children per parent, temporal order relations and sequences — when `evaluate` is
 * given table sets (`--real DIR --synthetic DIR`). Its summary keys are worst cases over tables so
 * one gate bounds them all.
 */
import { defineSection, notRequested, ok, type SectionContext } from '../section.js';
import type { Metric } from '../types.js';
import { entityDetection } from './entity-detection.js';
import { judgeRelational } from './judge.js';
import { tableFidelity } from './table-fidelity.js';
import { typedTables } from './typed-tables.js';
import type { RelationalSection } from './types.js';

function extreme(
  values: readonly (Metric | number | null | undefined)[],
  pick: 'min' | 'max',
): number | null {
  let out: number | null = null;
  for (const m of values) {
    const v = typeof m === 'number' ? m : (m?.value ?? null);
    if (v === null || !Number.isFinite(v)) continue;
    out = out === null ? v : pick === 'min' ? Math.min(out, v) : Math.max(out, v);
  }
  return out;
}

export const relationalSection = defineSection({
  name: 'relational',
  order: 110,
  title:
    'keys, foreign keys, children per parent, parent–child pairs, order relations, rules and sequences across tables',
  empty: null as RelationalSection | null,
  summary: {
    table_accuracy_univariate_min: {
      label: "Smallest univariate accuracy of a table's own columns, over tables",
      read: (r: RelationalSection) =>
        extreme(
          r.tables.map((t) => t.accuracy_univariate),
          'min',
        ),
    },
    key_uniqueness_min: {
      label: 'Smallest share of synthetic rows with a present, unique key, over key columns',
      read: (r: RelationalSection) =>
        extreme(
          r.keys.map((k) => k.unique_share),
          'min',
        ),
    },
    fk_integrity_min: {
      label:
        'Smallest share of synthetic child rows whose foreign key names an existing parent, over foreign keys',
      read: (r: RelationalSection) =>
        extreme(
          r.foreign_keys.map((f) => f.integrity),
          'min',
        ),
    },
    children_tvd_min: {
      label: 'Smallest 1 − TVD of children per parent row (zero children included), over foreign keys',
      read: (r: RelationalSection) =>
        extreme(
          r.foreign_keys.map((f) => f.children_per_parent),
          'min',
        ),
    },
    parent_child_pairs_min: {
      label:
        'Smallest mean 1 − TVD of (parent column, child column) pairs on the join of child rows to their parent rows, over foreign keys',
      read: (r: RelationalSection) =>
        extreme(
          r.foreign_keys.map((f) => f.parent_child_pairs),
          'min',
        ),
    },
    parent_child_dependence_min: {
      label:
        'Smallest mean 1 − |D(synthetic) − D(real)| of parent–child column pairs on the join, D = TVD from independence, over foreign keys',
      read: (r: RelationalSection) =>
        extreme(
          r.foreign_keys.map((f) => f.parent_child_dependence),
          'min',
        ),
    },
    order_violations_max: {
      label:
        'Largest count of synthetic rows (or row pairs) violating an order between two datetime columns that holds on all real rows',
      read: (r: RelationalSection) =>
        r.order_relations.length
          ? extreme(
              r.order_relations.map((o) => o.violations),
              'max',
            )
          : null,
    },
    order_violation_rate_max: {
      label: 'Largest share of synthetic rows (or row pairs) violating such an order relation',
      read: (r: RelationalSection) =>
        extreme(
          r.order_relations.map((o) => o.rate),
          'max',
        ),
    },
    relational_rule_violations_max: {
      label:
        "Largest count of synthetic rows violating one rule of the spec (--spec), over every table's rules, those reading parent.x, prev.x or children included",
      read: (r: RelationalSection) =>
        r.rules.length
          ? extreme(
              r.rules.filter((x) => !x.error).map((x) => x.violations),
              'max',
            )
          : null,
    },
    relational_rule_violation_rate_max: {
      label:
        "Largest share of checked synthetic rows violating one rule of the spec, over every table's rules",
      read: (r: RelationalSection) =>
        extreme(
          r.rules.map((x) => x.rate),
          'max',
        ),
    },
    sequence_length_tvd_min: {
      label: 'Smallest 1 − TVD of rows per entity, over sequences',
      read: (r: RelationalSection) =>
        extreme(
          r.sequences.map((s) => s.length),
          'min',
        ),
    },
    sequence_gap_tvd_min: {
      label: 'Smallest 1 − TVD of the binned gap between consecutive rows, over sequences',
      read: (r: RelationalSection) =>
        extreme(
          r.sequences.map((s) => s.gap),
          'min',
        ),
    },
    transition_tvd_min: {
      label:
        'Smallest transition-matrix fidelity (1 − weighted mean TVD of next-state rows), over categorical sequence columns',
      read: (r: RelationalSection) =>
        extreme(
          r.sequences.flatMap((s) => s.transitions.map((t) => t.accuracy)),
          'min',
        ),
    },
    step_change_tvd_min: {
      label:
        'Smallest 1 − TVD of the step-to-step change of a numeric column within entities, over numeric sequence columns',
      read: (r: RelationalSection) =>
        extreme(
          r.sequences.flatMap((s) => s.steps.map((t) => t.accuracy)),
          'min',
        ),
    },
    lag1_autocorrelation_diff_max: {
      label: 'Largest |synthetic − real| lag-1 autocorrelation, over numeric sequence columns',
      read: (r: RelationalSection) =>
        extreme(
          r.sequences.flatMap((s) => s.lag1.map((l) => l.difference)),
          'max',
        ),
    },
    entity_detection_auc_max: {
      label:
        'Largest detection AUC on per-entity history features (children per table, first/last/mean values, gaps, category shares), over entity roots',
      read: (r: RelationalSection) =>
        extreme(
          r.entities.map((e) => e.auc),
          'max',
        ),
    },
  },
  run: (ctx: SectionContext) => {
    if (!ctx.relational) return notRequested('not given table sets (--real DIR --synthetic DIR)');
    const typed = typedTables(ctx.relational, ctx.opts.seed);
    const r = judgeRelational(ctx.relational, typed);
    const fidelity = tableFidelity(typed, ctx.opts.seed);
    const entities = entityDetection(ctx.relational, ctx.opts);
    return ok({ ...r, tables: r.tables.map((t) => ({ ...t, ...fidelity.get(t.name) })), entities });
  },
  output: (r: RelationalSection) => r,
});
