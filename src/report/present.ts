/**
 * Draws a section's presentation (src/evaluate/presentation.ts) — figures, tables, real-vs-synthetic
 * bars, histograms, notes — in Markdown and in HTML, the same way for every section that declares
 * one. Tables list their first `top` rows (10 in Markdown, 15 in HTML) and count the rest, which
 * stay in the JSON report.
 */
import type { Block, Cell, Format, Presentation } from '../evaluate/presentation.js';
import { histogramSpec, pairedBarsSpec } from './charts.js';
import { escapeHtml as e, mdTable, metricText, num, pct } from './format.js';
import { chart, sectionHtml, tableHtml } from './html-kit.js';

/** A cell as text under its column's format; a Metric with its interval, or "n/a (reason)". */
export function cellText(cell: Cell, format: Format): string {
  if (cell === null) return '—';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') {
    if (format === 'share') return pct(cell);
    if (format === 'count') return Number.isFinite(cell) ? String(Math.round(cell)) : '—';
    return format === 'text' ? String(cell) : num(cell);
  }
  if (format !== 'share' || cell.value === null) return metricText(cell);
  return cell.ci ? `${pct(cell.value)} [${pct(cell.ci[0])}, ${pct(cell.ci[1])}]` : pct(cell.value);
}

function more(shown: number, all: number): string {
  return all > shown ? `… and ${all - shown} more (all in the JSON report)` : '';
}

function blockMarkdown(b: Block, top: number): string {
  switch (b.kind) {
    case 'figures':
      return mdTable(
        ['metric', 'key', 'value'],
        b.items.map((f) => [f.label, f.key ?? '', cellText(f.value, f.format ?? 'score')]),
      );
    case 'table': {
      const rows = b.rows.slice(0, top).map((r) => r.map((c, i) => cellText(c, b.columns[i].format)));
      const table = mdTable(
        b.columns.map((c) => c.label),
        rows,
      );
      return [b.caption ?? '', table, more(rows.length, b.rows.length)].filter(Boolean).join('\n\n');
    }
    case 'bars': {
      const n = Math.min(top, b.labels.length);
      const rows = b.labels
        .slice(0, n)
        .map((l, i) => [l, cellText(b.real[i], b.format), cellText(b.synthetic[i], b.format)]);
      return [b.title, mdTable(['', 'real', 'synthetic'], rows), more(n, b.labels.length)]
        .filter(Boolean)
        .join('\n\n');
    }
    case 'histogram':
      return `${b.title}: chart in the HTML report (--html).`;
    case 'note':
      return b.tone === 'bad' ? `**${b.text}**` : b.text;
  }
}

/** `## heading` and each block, separated by blank lines. */
export function presentMarkdown(heading: string, p: Presentation, top: number): string {
  return [`## ${p.heading ?? heading}`, ...p.blocks.map((b) => blockMarkdown(b, top))].join('\n\n');
}

function figuresHtml(b: Extract<Block, { kind: 'figures' }>): string {
  return `<div class="cards">${b.items
    .map((f) => {
      const key = f.key ? ` <code>${e(f.key)}</code>` : '';
      const v = f.value;
      const na = v === null || (typeof v === 'object' && v.value === null);
      const body = na
        ? `<div class="na">${e(cellText(v, 'score'))}</div>`
        : `<div class="v">${e(cellText(v, f.format ?? 'score'))}</div>`;
      return `<div class="figure"><div class="k">${e(f.label)}${key}</div>${body}</div>`;
    })
    .join('')}</div>`;
}

async function blockHtml(b: Block, top: number): Promise<string> {
  switch (b.kind) {
    case 'figures':
      return figuresHtml(b);
    case 'table': {
      const rows = b.rows.slice(0, top).map((r) => r.map((c, i) => cellText(c, b.columns[i].format)));
      const rest = more(rows.length, b.rows.length);
      return `${b.caption ? `<p>${e(b.caption)}</p>` : ''}${tableHtml(
        b.columns.map((c) => c.label),
        rows,
      )}${rest ? `<p class="muted">${e(rest)}</p>` : ''}`;
    }
    case 'bars':
      return chart(pairedBarsSpec(b));
    case 'histogram':
      return chart(histogramSpec(b));
    case 'note':
      return `<p${b.tone ? ` class="${b.tone}"` : ''}>${e(b.text)}</p>`;
  }
}

/** One `<section id=name>` holding the heading and each block. */
export async function presentHtml(
  name: string,
  heading: string,
  p: Presentation,
  top: number,
): Promise<string> {
  const blocks: string[] = [];
  for (const b of p.blocks) blocks.push(await blockHtml(b, top));
  return sectionHtml(name, p.heading ?? heading, blocks.join(''));
}
