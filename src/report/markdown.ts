/** The Markdown summary printed on stdout: warnings, headline figures, then each section. */
import {
  type EvaluationReport,
  SECTION_NAMES,
  SECTIONS,
  type SectionName,
  SUMMARY_FIELDS,
} from '../evaluate/index.js';
import type { Section } from '../evaluate/section.js';
import { mdTable, metricLabel, summaryText } from './format.js';
import { presentMarkdown } from './present.js';
import { type RenderContext, viewFor } from './sections/index.js';

function sectionMarkdown<N extends SectionName>(name: N, c: RenderContext): string {
  const v = c.report[name];
  if (v === null || (Array.isArray(v) && v.length === 0)) return '';
  const value = v as NonNullable<typeof v>;
  const view = viewFor(name);
  if (view) return view.markdown(value, c);
  const s = SECTIONS[name] as unknown as Section<typeof v, string, unknown>;
  return s.present ? presentMarkdown(s.title, s.present(value), c.top) : '';
}

export function renderMarkdown(r: EvaluationReport, opts: { top?: number } = {}): string {
  const c: RenderContext = { report: r, top: opts.top ?? 10, maxOverlays: 0 };
  const i = r.inputs;
  const out: string[] = [
    '# Strata evaluation',
    `real ${i.real_rows} rows · synthetic ${i.synthetic_rows} rows${i.holdout_rows !== null ? ` · holdout ${i.holdout_rows} rows` : ''} · ${i.columns.length} columns · seed ${r.config.seed}`,
  ];
  if (r.warnings.length)
    out.push('', '## Warnings', '', ...r.warnings.map((w) => `- **${w.code}**: ${w.message}`));
  out.push(
    '',
    '## Summary',
    '',
    mdTable(
      ['metric', 'key', 'value'],
      SUMMARY_FIELDS.map((f) => [f.label, f.key, summaryText(r, f.key)]),
    ),
  );
  for (const name of SECTION_NAMES) {
    const md = sectionMarkdown(name, c);
    if (md) out.push('', md);
  }
  if (r.skipped.length) {
    out.push('', '## Not computed', '');
    for (const s of r.skipped) out.push(`- ${metricLabel(s.metric)} (\`${s.metric}\`): ${s.reason}`);
  }
  return `${out.join('\n')}\n`;
}
