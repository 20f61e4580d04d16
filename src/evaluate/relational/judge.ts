/**
 * The relational figures for one real table set against a synthetic one (and a holdout, the
 * ceiling): keys, foreign keys with children per parent, order relations, sequences.
 */
import type { RawTable } from '../../io/index.js';
import type { Metric } from '../types.js';
import type { RelationalInputs, TypedSet } from './inputs.js';
import { countAccuracy, foreignKeyFigures, keyFigures, share } from './integrity.js';
import { sequenced } from './order.js';
import { linkPairs } from './parent-child-pairs.js';
import {
  gapAccuracy,
  lag1,
  lengthAccuracy,
  sequenceColumns,
  stepAccuracy,
  transitionAccuracy,
} from './sequences.js';
import { relationalRules } from './spec-rules.js';
import { datetimeColumns, type TableSet } from './tables.js';
import { countViolations, findRelations } from './temporal.js';
import type {
  ForeignKeyReport,
  KeyReport,
  OrderRelationReport,
  RelationalSection,
  SequenceReport,
} from './types.js';

const DAY = 86_400_000;
const ABSENT: Metric = { value: null, reason: 'table missing from the compared set' };

function keys(i: RelationalInputs): KeyReport[] {
  return i.links.keys.map((k) => {
    const syn = i.synthetic.get(k.table);
    const f = syn ? keyFigures(syn, k.column) : undefined;
    const h = i.holdout?.get(k.table);
    return {
      table: k.table,
      column: k.column,
      source: k.source,
      unique_share: f?.unique ?? ABSENT,
      ...(i.holdout ? { unique_share_holdout: h ? keyFigures(h, k.column).unique : ABSENT } : {}),
      duplicates: f?.duplicates ?? 0,
      missing: f?.missing ?? 0,
    };
  });
}

const NO_VALUES: Metric = { value: null, reason: 'the parent or the child table has no value column' };

function foreignKeys(i: RelationalInputs, typed: ReadonlyMap<string, TypedSet>): ForeignKeyReport[] {
  return i.links.refs.map((link) => {
    const pairs = linkPairs(link, i, typed);
    const real = foreignKeyFigures(
      i.real.get(link.child) as RawTable,
      i.real.get(link.parent) as RawTable,
      link,
    );
    const figures = (set: TableSet) => {
      const c = set.get(link.child);
      const p = set.get(link.parent);
      return c && p ? foreignKeyFigures(c, p, link) : undefined;
    };
    const syn = figures(i.synthetic);
    const hold = i.holdout ? figures(i.holdout) : undefined;
    const cpp = countAccuracy(real.counts, syn?.counts ?? [], 'no parent row in one of the tables');
    return {
      child: link.child,
      column: link.column,
      parent: link.parent,
      parent_column: link.parentColumn,
      source: link.source,
      integrity: syn?.integrity ?? ABSENT,
      ...(i.holdout ? { integrity_holdout: hold?.integrity ?? ABSENT } : {}),
      orphans: syn?.orphans ?? 0,
      missing: syn?.missing ?? 0,
      children_per_parent: syn ? cpp.accuracy : ABSENT,
      ...(i.holdout
        ? {
            children_per_parent_holdout: hold
              ? countAccuracy(real.counts, hold.counts, 'no parent row').accuracy
              : ABSENT,
          }
        : {}),
      histogram: cpp.histogram,
      parent_child_pairs: pairs?.accuracy ?? NO_VALUES,
      ...(i.holdout ? { parent_child_pairs_holdout: pairs?.accuracy_holdout ?? NO_VALUES } : {}),
      parent_child_dependence: pairs?.dependence ?? NO_VALUES,
      ...(i.holdout ? { parent_child_dependence_holdout: pairs?.dependence_holdout ?? NO_VALUES } : {}),
      pairs_judged: pairs?.count ?? 0,
      worst_pairs: pairs?.worst ?? [],
    };
  });
}

function relations(i: RelationalInputs): OrderRelationReport[] {
  return findRelations(i.real, i.links).map((r) => {
    const syn = countViolations(r, i.synthetic);
    const hold = i.holdout ? countViolations(r, i.holdout) : undefined;
    return {
      kind: r.candidate.kind,
      table: r.candidate.table,
      left: r.candidate.left,
      op: r.op,
      right: r.candidate.right,
      real_checked: r.realChecked,
      checked: syn.checked,
      violations: syn.violations,
      rate: share(syn.violations, syn.checked, 'no synthetic row has both values'),
      ...(hold
        ? {
            violations_holdout: hold.violations,
            rate_holdout: share(hold.violations, hold.checked, 'no holdout row has both values'),
          }
        : {}),
    };
  });
}

function sequences(i: RelationalInputs): SequenceReport[] {
  const keyish = new Set<string>();
  for (const k of i.links.keys) keyish.add(`${k.table}.${k.column}`);
  for (const r of i.links.refs) keyish.add(`${r.child}.${r.column}`);
  return i.links.sequences.map((s) => {
    const real = i.real.get(s.table) as RawTable;
    const rs = sequenced(real, s);
    const exclude = new Set(real.columns.filter((c) => keyish.has(`${s.table}.${c}`)));
    const cols = sequenceColumns(real, s, exclude);
    const dated = datetimeColumns(real).includes(s.order);
    const unit = dated ? DAY : 1;
    const against = (t: RawTable | undefined) => {
      if (!t) return undefined;
      const os = sequenced(t, s);
      return {
        length: lengthAccuracy(rs, os),
        gap: gapAccuracy(rs, os, unit),
        transitions: cols.categorical.map((c) => transitionAccuracy(real, rs, t, os, c)),
        lag1: cols.numeric.map((c) => lag1(t, os, c)),
        steps: cols.numeric.map((c) => stepAccuracy(real, rs, t, os, c)),
      };
    };
    const syn = against(i.synthetic.get(s.table));
    const hold = i.holdout ? against(i.holdout.get(s.table)) : undefined;
    const withHoldout = i.holdout !== undefined;
    const realLag = cols.numeric.map((c) => lag1(real, rs, c));
    const diff = (a: number | null | undefined, b: number | null) =>
      a === null || a === undefined || b === null ? null : Math.abs(a - b);
    return {
      table: s.table,
      entity: s.entity,
      order: s.order,
      source: s.source,
      length: syn?.length ?? ABSENT,
      ...(withHoldout ? { length_holdout: hold?.length ?? ABSENT } : {}),
      gap: syn?.gap.accuracy ?? ABSENT,
      ...(withHoldout ? { gap_holdout: hold?.gap.accuracy ?? ABSENT } : {}),
      gap_histogram: syn?.gap.histogram ?? null,
      gap_unit: dated ? 'days' : 'order',
      transitions: cols.categorical.map((column, k) => ({
        column,
        accuracy: syn?.transitions[k] ?? ABSENT,
        ...(withHoldout ? { accuracy_holdout: hold?.transitions[k] ?? ABSENT } : {}),
      })),
      steps: cols.numeric.map((column, k) => ({
        column,
        accuracy: syn?.steps[k] ?? ABSENT,
        ...(withHoldout ? { accuracy_holdout: hold?.steps[k] ?? ABSENT } : {}),
      })),
      lag1: cols.numeric.map((column, k) => ({
        column,
        real: realLag[k],
        synthetic: syn?.lag1[k] ?? null,
        difference: diff(syn?.lag1[k], realLag[k]),
        ...(withHoldout ? { difference_holdout: diff(hold?.lag1[k], realLag[k]) } : {}),
      })),
    };
  });
}

/** `typed`: each table's value columns (typed-tables.ts), for the parent–child column pairs. */
export function judgeRelational(
  i: RelationalInputs,
  typed: ReadonlyMap<string, TypedSet>,
): Omit<RelationalSection, 'entities'> {
  return {
    tables: [...i.real].map(([name, t]) => ({
      name,
      rows_real: t.rowCount,
      rows_synthetic: i.synthetic.get(name)?.rowCount ?? 0,
      rows_holdout: i.holdout ? (i.holdout.get(name)?.rowCount ?? 0) : null,
    })),
    keys: keys(i),
    foreign_keys: foreignKeys(i, typed),
    order_relations: relations(i),
    rules: relationalRules(i.spec, i),
    sequences: sequences(i),
  };
}
