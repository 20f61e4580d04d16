/** Relational: keys, foreign keys, children per parent, order relations and sequences across tables. */
import type { Metric, RelationalSection } from '../../evaluate/index.js';
import { mdTable, metricText } from '../format.js';
import { chart, sectionHtml, tableHtml } from '../html-kit.js';
import { histogramSpec, timelineSpec } from '../relational-charts.js';
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
      withCeiling(f.parent_child_pairs, f.parent_child_pairs_holdout),
      withCeiling(f.parent_child_dependence, f.parent_child_dependence_holdout),
      f.worst_pairs
        .slice(0, 2)
        .map(
          (p) =>
            `${f.parent}.${p.parent_column} × ${p.child_column} ${p.accuracy === null ? 'n/a' : p.accuracy.toFixed(3)}`,
        )
        .join('; '),
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
    rules: r.rules
      .filter((x) => x.violations > 0 || (x.violations_holdout ?? 0) > 0 || x.error)
      .map((x) => [
        x.table,
        x.name,
        x.check,
        x.error ? `cannot be compiled: ${x.error}` : `${x.violations} / ${x.checked}`,
        String(x.violations_real),
        x.violations_holdout === undefined ? '' : String(x.violations_holdout),
        x.examples.join(', '),
      ]),
    sequences: r.sequences.map((s) => [
      `${s.table} by ${s.entity ?? '(whole table)'} ordered by ${s.order}`,
      withCeiling(s.length, s.length_holdout),
      withCeiling(s.gap, s.gap_holdout),
      s.transitions.map((t) => `${t.column} ${withCeiling(t.accuracy, t.accuracy_holdout)}`).join('; '),
      s.steps.map((t) => `${t.column} ${withCeiling(t.accuracy, t.accuracy_holdout)}`).join('; '),
      s.lag1.map((l) => `${l.column} ${l.difference === null ? 'n/a' : l.difference.toFixed(3)}`).join('; '),
    ]),
    entities: r.entities.map((x) => [
      `${x.table}.${x.entity}`,
      x.kind,
      x.tables.join(', '),
      `${x.entities_real} / ${x.entities_synthetic}${x.entities_holdout === null ? '' : ` / ${x.entities_holdout}`}`,
      String(x.features),
      withCeiling(x.auc, x.auc_holdout),
      x.importances
        .slice(0, 3)
        .map((f) => f.feature)
        .join(', '),
    ]),
  };
}

const HEAD = {
  tables: ['table', 'real rows', 'synthetic rows', 'univariate accuracy', 'bivariate accuracy'],
  keys: ['key', 'from', 'unique share', 'duplicate rows', 'missing'],
  fks: [
    'foreign key',
    'from',
    'integrity',
    'orphans',
    'children per parent 1 − TVD',
    'parent–child pairs 1 − TVD (mean)',
    'parent–child dependence (mean 1 − |ΔD|)',
    'lowest pairs',
  ],
  orders: [
    'table',
    'relation (holds on all real rows)',
    'kind',
    'real rows checked',
    'violations',
    'holdout violations',
  ],
  rules: [
    'table',
    'rule',
    'check',
    'violations / rows checked',
    'real violations',
    'holdout violations',
    'first violating rows',
  ],
  sequences: [
    'sequence',
    'length 1 − TVD',
    'gap 1 − TVD',
    'transitions 1 − TVD',
    'step change 1 − TVD',
    'lag-1 |Δ autocorrelation|',
  ],
  entities: [
    'entity',
    'kind',
    'history tables',
    'entities real / synthetic (/ holdout)',
    'features',
    'detection AUC (0.5 = indistinguishable)',
    'features that give it away',
  ],
};

function rulesLine(r: RelationalSection, shown: number): string {
  const across = r.rules.filter((x) => x.across).length;
  return `Rules of the spec: ${r.rules.length} (${across} read another row: parent, previous row, children); kept by the synthetic data: ${r.rules.length - shown}.`;
}

/** Charts per foreign key, sequence and entity root, at most this many of each. */
const MAX_CHARTS = 8;

async function charts(r: RelationalSection): Promise<string> {
  const specs = [
    ...r.foreign_keys
      .slice(0, MAX_CHARTS)
      .map((f) =>
        histogramSpec(
          `${f.child} per ${f.parent} — 1 − TVD ${metricText(f.children_per_parent, 3)}`,
          `${f.child} rows per ${f.parent} row`,
          f.histogram,
        ),
      ),
    ...r.sequences
      .slice(0, MAX_CHARTS)
      .map((s) =>
        s.gap_histogram
          ? histogramSpec(
              `${s.table}: gap between consecutive ${s.order} — 1 − TVD ${metricText(s.gap, 3)}`,
              s.gap_unit === 'days' ? 'gap (days)' : `gap (${s.order} units)`,
              s.gap_histogram,
            )
          : null,
      ),
  ];
  const timelines = r.entities
    .slice(0, MAX_CHARTS)
    .map((x) =>
      x.timeline ? timelineSpec(`${x.table}: a few real and synthetic entities over time`, x.timeline) : null,
    );
  const hist = (await Promise.all(specs.map(chart))).join('');
  const time = (await Promise.all(timelines.map(chart))).join('');
  return [
    hist
      ? `<p class="muted">Children per parent and gaps between consecutive rows: share per bin, real vs synthetic.</p><div class="grid">${hist}</div>`
      : '',
    time
      ? `<p class="muted">Timelines: four real and four synthetic entities of typical size (the 20th–80th percentiles of events per entity), offsets from each entity's first event only.</p><div class="grid">${time}</div>`
      : '',
  ].join('\n');
}

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
      ...(r.rules.length
        ? ['', rulesLine(r, t.rules.length), ...(t.rules.length ? ['', mdTable(HEAD.rules, t.rules)] : [])]
        : []),
      ...(t.sequences.length ? ['', mdTable(HEAD.sequences, t.sequences)] : []),
      ...(t.entities.length ? ['', '### Per-entity detection', '', mdTable(HEAD.entities, t.entities)] : []),
    ].join('\n');
  },
  html: async (r: RelationalSection) => {
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
        r.rules.length ? `<p>${rulesLine(r, t.rules.length)}</p>` : '',
        t.rules.length ? tableHtml(HEAD.rules, t.rules) : '',
        t.sequences.length ? tableHtml(HEAD.sequences, t.sequences) : '',
        t.entities.length ? `<h3>Per-entity detection</h3>${tableHtml(HEAD.entities, t.entities)}` : '',
        await charts(r),
      ].join('\n'),
    );
  },
};
