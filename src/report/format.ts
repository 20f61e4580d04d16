/** Number, metric and label formatting shared by the Markdown and HTML reports. */
import {
  type EvaluationReport,
  type Metric,
  SECTION_NAMES,
  SECTIONS,
  type SectionName,
  SUMMARY_FIELDS,
} from '../evaluate/index.js';

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

/** A share as a percentage ("12.5%"). */
export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(digits)}%`;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Escape a cell for a Markdown table. */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function mdTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A summary figure's text: the value, or "n/a (reason)". */
export function summaryText(r: EvaluationReport, key: (typeof SUMMARY_FIELDS)[number]['key'], digits = 4) {
  const v = r.summary[key];
  if (v !== null) return num(v, digits);
  return `n/a (${r.skipped.find((s) => s.metric === key)?.reason ?? 'not computed'})`;
}

const SUMMARY_LABELS = new Map<string, string>(SUMMARY_FIELDS.map((f) => [f.key, f.label]));

function quoted(s: string): string {
  return `"${s}"`;
}

/**
 * A `skipped[].metric` path in words: summary keys and sections by their labels, column and pair
 * paths spelled out; anything else as written.
 */
export function metricLabel(metric: string): string {
  const summary = SUMMARY_LABELS.get(metric);
  if (summary) return summary;
  if ((SECTION_NAMES as readonly string[]).includes(metric))
    return `Section ${SECTIONS[metric as SectionName].title}`;
  let m = /^columns\.(.+)$/.exec(metric);
  if (m) return `Column ${quoted(m[1])}`;
  m = /^fidelity\.columns\.(.+)\.shape$/.exec(metric);
  if (m) return `Shape of column ${quoted(m[1])}`;
  m = /^fidelity\.pairs\.(.+)~(.+)\.similarity$/.exec(metric);
  if (m) return `Trend of the pair ${quoted(m[1])} × ${quoted(m[2])}`;
  m = /^bias\.(.+)$/.exec(metric);
  if (m) return `Bias for ${quoted(m[1])}`;
  const words = metric.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
