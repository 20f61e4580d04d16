/** Fidelity: the worst columns (with real vs synthetic distribution charts) and the worst pairs. */
import type { ColumnReport, FidelitySection, PairReport } from '../../evaluate/index.js';
import { correlationSpec, overlaySpec, pairAccuracySpec } from '../charts.js';
import { mdTable, metricText, num } from '../format.js';
import { chart, sectionHtml, tableHtml } from '../html-kit.js';
import type { SectionView } from './view.js';

const COLUMN_HEADERS = [
  'column',
  'kind',
  'accuracy (1 − TVD)',
  'holdout ceiling',
  'shape similarity',
  'coverage of real values',
  'missing real / synthetic',
];

function kindText(c: ColumnReport): string {
  if (c.temporal) return c.temporal === 'date' ? 'date' : 'date-time';
  return c.kind === 'numeric' ? 'number' : 'category';
}

function columnRow(c: ColumnReport): string[] {
  return [
    c.name,
    kindText(c),
    metricText(c.accuracy),
    metricText(c.accuracy_holdout),
    `${metricText(c.shape)} (${c.shape.metric === 'KSComplement' ? 'Kolmogorov–Smirnov' : 'total variation'})`,
    metricText(c.coverage),
    `${num(c.missing_rate_real)} / ${num(c.missing_rate_synthetic)}`,
  ];
}

const PAIR_HEADERS = ['pair', 'accuracy (1 − TVD)', 'holdout ceiling', 'trend similarity'];

function pairRow(p: PairReport): string[] {
  return [
    `${p.a} × ${p.b}`,
    metricText(p.accuracy),
    metricText(p.accuracy_holdout),
    `${metricText(p.similarity)} (${p.similarity.metric === 'CorrelationSimilarity' ? 'correlation' : 'contingency table'})`,
  ];
}

const worstFirst = <T extends { accuracy: { value: number | null } }>(xs: readonly T[]): T[] =>
  [...xs].sort((a, b) => (a.accuracy.value ?? 2) - (b.accuracy.value ?? 2));

export const fidelityView: SectionView<'fidelity'> = {
  markdown(f: FidelitySection, { top }) {
    const out = [
      '## Worst columns',
      '',
      mdTable(COLUMN_HEADERS, worstFirst(f.columns).slice(0, top).map(columnRow)),
    ];
    if (f.pairs.length)
      out.push(
        '',
        '## Worst pairs',
        '',
        mdTable(PAIR_HEADERS, worstFirst(f.pairs).slice(0, top).map(pairRow)),
      );
    return out.join('\n');
  },
  async html(f: FidelitySection, { report, maxOverlays }) {
    const cols = worstFirst(f.columns);
    const overlays = await Promise.all(cols.slice(0, maxOverlays).map((c) => chart(overlaySpec(c))));
    const columns = sectionHtml(
      'columns',
      'Columns, worst first',
      `${tableHtml(COLUMN_HEADERS, cols.map(columnRow))}<p class="muted">Charts: share of rows per bin (deciles of the real values, or the 10 commonest categories), real vs synthetic; square-root scale so small shares stay visible.</p><div class="grid">${overlays.join('')}</div>`,
    );
    if (f.pairs.length === 0) return columns;
    const pairs = sectionHtml(
      'pairs',
      'Column pairs, worst first',
      `${tableHtml(PAIR_HEADERS, worstFirst(f.pairs).slice(0, 15).map(pairRow))}<div class="grid">${await chart(correlationSpec(report))}${await chart(pairAccuracySpec(report))}</div>`,
    );
    return columns + pairs;
  },
};
