/** Number and metric formatting shared by the Markdown and HTML reports. */
import type { EvaluationReport, Metric } from '../evaluate/types.js';

export function num(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(digits);
}

export function metricText(m: Metric | undefined, digits = 3): string {
  if (!m) return '—';
  if (m.value === null) return `n/a (${m.reason ?? 'not computed'})`;
  return m.ci
    ? `${num(m.value, digits)} [${num(m.ci[0], digits)}, ${num(m.ci[1], digits)}]`
    : num(m.value, digits);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Escape a cell for a Markdown table. */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The utility table's rows (model, AUC, accuracy, macro-F1), shared by Markdown and HTML. */
export function utilityRows(u: NonNullable<EvaluationReport['utility']>): string[][] {
  const row = (name: string, m: { auc: Metric; accuracy: Metric; macro_f1: Metric }) => [
    name,
    metricText(m.auc),
    metricText(m.accuracy),
    metricText(m.macro_f1),
  ];
  return [
    row('train synthetic → test real', u.tstr),
    row('train real → test real', u.trtr),
    row('real + synthetic → test real', u.augmented),
  ];
}

export const COLUMN_HEADERS = [
  'column',
  'kind',
  'accuracy',
  'holdout ceiling',
  'shape',
  'coverage',
  'missing real / syn',
];

type ColumnReport = NonNullable<EvaluationReport['fidelity']>['columns'][number];

/** One row of the per-column table, shared by Markdown and HTML. */
export function columnRow(c: ColumnReport): string[] {
  return [
    c.name,
    c.kind,
    metricText(c.accuracy),
    metricText(c.accuracy_holdout),
    `${c.shape.metric} ${metricText(c.shape)}`,
    metricText(c.coverage),
    `${num(c.missing_rate_real)} / ${num(c.missing_rate_synthetic)}`,
  ];
}
