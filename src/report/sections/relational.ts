/** Relational: keys, foreign keys, children per parent, order relations and sequences across tables. */
import type { Metric, RelationalSection } from '../../evaluate/index.js';
import { mdTable, metricText } from '../format.js';
import { sectionHtml, tableHtml } from '../html-kit.js';
import type { SectionView } from './view.js';

function withCeiling(m: Metric, h: Metric | undefined): string {
  return h ? `${metricText(m, 3)} (holdout ${metricText(h, 3)})` : metricText(m, 3);
}

function rows(r: RelationalSection) {
  return {
    tables: r.tables.map((t) => [
      t.name,
      String(t.rows_real),
      String(t.rows_synthetic),
      t.accuracy_univariate ? withCeiling(t.accuracy_univariate, t.accuracy_univariate_holdout) : '',
      t.accuracy_bivariate ? withCeiling(t.accuracy_bivariate, t.accuracy_bivariate_holdout) : '',
    ]),
    keys: r.keys.map((k) => [
      `${k.table}.${k.column}`,
      k.source,
      withCeiling(k.unique_share, k.unique_share_holdout),
      String(k.duplicates),
      String(k.missing),
    ]),
    fks: r.foreign_keys.map((f) => [
      `${f.child}.${f.column} → ${f.parent}.${f.parent_column}`,
      f.source,
      withCeiling(f.integrity, f.integrity_holdout),
      String(f.orphans),
      withCeiling(f.children_per_parent, f.children_per_parent_holdout),
    ]),
    orders: r.order_relations
      .filter((o) => o.violations > 0 || (o.violations_holdout ?? 0) > 0)
      .map((o) => [
        o.table,
        `${o.left} ${o.op} ${o.right}`,
        o.kind,
        String(o.real_checked),
        `${o.violations} / ${o.checked}`,
        o.violations_holdout === undefined ? '' : String(o.violations_holdout),
      ]),
    sequences: r.sequences.map((s) => [
      `${s.table} by ${s.entity ?? '(whole table)'} ordered by ${s.order}`,
      withCeiling(s.length, s.length_holdout),
      withCeiling(s.gap, s.gap_holdout),
      s.transitions.map((t) => `${t.column} ${withCeiling(t.accuracy, t.accuracy_holdout)}`).join('; '),
      s.lag1.map((l) => `${l.column} ${l.difference === null ? 'n/a' : l.difference.toFixed(3)}`).join('; '),
    ]),
  };
}

const HEAD = {
  tables: ['table', 'real rows', 'synthetic rows', 'univariate accuracy', 'bivariate accuracy'],
  keys: ['key', 'from', 'unique share', 'duplicate rows', 'missing'],
  fks: ['foreign key', 'from', 'integrity', 'orphans', 'children per parent 1 − TVD'],
  orders: [
    'table',
    'relation (holds on all real rows)',
    'kind',
    'real rows checked',
    'violations',
    'holdout violations',
  ],
  sequences: [
    'sequence',
    'length 1 − TVD',
    'gap 1 − TVD',
    'transitions 1 − TVD',
    'lag-1 |Δ autocorrelation|',
  ],
};

export const relationalView: SectionView<'relational'> = {
  markdown: (r: RelationalSection) => {
    const t = rows(r);
    const held = r.order_relations.length - t.orders.length;
    return [
      '## Relational',
      '',
      mdTable(HEAD.tables, t.tables),
      '',
      t.keys.length ? mdTable(HEAD.keys, t.keys) : 'No key column found.',
      '',
      t.fks.length ? mdTable(HEAD.fks, t.fks) : 'No foreign key found.',
      '',
      `Order relations between datetime columns that hold on all real rows: ${r.order_relations.length}; kept by the synthetic data: ${held}.`,
      ...(t.orders.length ? ['', mdTable(HEAD.orders, t.orders)] : []),
      ...(t.sequences.length ? ['', mdTable(HEAD.sequences, t.sequences)] : []),
    ].join('\n');
  },
  html: (r: RelationalSection) => {
    const t = rows(r);
    return sectionHtml(
      'relational',
      'Relational: keys, foreign keys, order and sequences',
      [
        tableHtml(HEAD.tables, t.tables),
        tableHtml(HEAD.keys, t.keys),
        tableHtml(HEAD.fks, t.fks),
        `<p>${r.order_relations.length} order relations hold on all real rows; ${r.order_relations.length - t.orders.length} are kept by the synthetic data.</p>`,
        t.orders.length ? tableHtml(HEAD.orders, t.orders) : '',
        t.sequences.length ? tableHtml(HEAD.sequences, t.sequences) : '',
      ].join('\n'),
    );
  },
};
