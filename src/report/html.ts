/**
 * Self-contained HTML report: inline CSS, inline SVG charts, no scripts and no network requests.
 * Warnings first, then the summary cards (each figure named in words, with its gate key), then one
 * block per evaluate section (src/report/sections/), then what could not be computed and why.
 */
import {
  type EvaluationReport,
  SECTION_NAMES,
  SECTIONS,
  type SectionName,
  SUMMARY_FIELDS,
} from '../evaluate/index.js';
import type { Section } from '../evaluate/section.js';
import { escapeHtml as e, metricLabel, num } from './format.js';
import { CSS } from './html-kit.js';
import { presentHtml } from './present.js';
import { type RenderContext, viewFor } from './sections/index.js';

function summaryCards(r: EvaluationReport): string {
  return `<div class="cards">${SUMMARY_FIELDS.map(({ key, label }) => {
    const v = r.summary[key];
    const reason = r.skipped.find((s) => s.metric === key)?.reason ?? 'not computed';
    return `<div class="card"><div class="k">${e(label)} <code>${e(key)}</code></div>${v === null ? `<div class="na">n/a — ${e(reason)}</div>` : `<div class="v">${num(v, 3)}</div>`}</div>`;
  }).join('')}</div>`;
}

async function sectionHtml<N extends SectionName>(name: N, c: RenderContext): Promise<string> {
  const v = c.report[name];
  if (v === null || (Array.isArray(v) && v.length === 0)) return '';
  const value = v as NonNullable<typeof v>;
  const view = viewFor(name);
  if (view) return view.html(value, c);
  const s = SECTIONS[name] as unknown as Section<typeof v, string, unknown>;
  return s.present ? presentHtml(name, s.title, s.present(value), c.top) : '';
}

export async function renderHtml(r: EvaluationReport, opts: { maxOverlays?: number } = {}): Promise<string> {
  const c: RenderContext = { report: r, top: 15, maxOverlays: opts.maxOverlays ?? 24 };
  const parts: string[] = [];
  if (r.warnings.length)
    parts.push(
      `<section id="warnings" class="warn"><h2>Warnings</h2><ul>${r.warnings.map((w) => `<li>${e(w.message)}</li>`).join('')}</ul></section>`,
    );
  parts.push(`<section id="summary"><h2>Summary</h2>${summaryCards(r)}</section>`);
  for (const name of SECTION_NAMES) parts.push(await sectionHtml(name, c));
  if (r.skipped.length)
    parts.push(
      `<section id="skipped"><h2>Not computed</h2><ul>${r.skipped
        .map((s) => `<li><b>${e(metricLabel(s.metric))}</b>: ${e(s.reason)}</li>`)
        .join('')}</ul></section>`,
    );
  const i = r.inputs;
  const sub = `real ${i.real_rows} · synthetic ${i.synthetic_rows}${i.holdout_rows !== null ? ` · holdout ${i.holdout_rows}` : ''} rows · ${i.columns.length} columns · seed ${r.config.seed} · report format version ${r.schema_version}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Strata evaluation</title><style>${CSS}</style></head><body><header><h1>Strata evaluation</h1><p>${e(sub)}</p></header><main>${parts.filter(Boolean).join('\n')}</main></body></html>\n`;
}
