/**
 * Writing the text audit: JSON (stable `summary`) and a self-contained HTML page whose charts are
 * vega-lite specs rendered to inline SVG on the server (vega `View.toSVG()`, no DOM, no network).
 */
import type { TopLevelSpec } from 'vega-lite';
import { writeTextAtomic } from '../io/index.js';
import type { TextAuditReport, TextSummaryKey } from './audit.js';
import { TEXT_SUMMARY_KEYS } from './audit.js';
import type { Figure } from './downstream.js';

export async function renderVegaLite(spec: TopLevelSpec): Promise<string> {
  // vega and vega-lite take ~0.9 s to import: they load with the first chart, not with this module.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function fmtFigure(f: Figure | undefined, digits = 3): string {
  if (!f) return '';
  if (f.value === null) return `n/a (${f.reason ?? 'not computed'})`;
  const v = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(digits);
  return f.ci ? `${v} [${f.ci[0].toFixed(digits)}, ${f.ci[1].toFixed(digits)}]` : v;
}

const LABELS: Record<TextSummaryKey, string> = {
  cells_total: 'cells in plan',
  cells_filled: 'cells filled to quota',
  distinct_2: 'distinct-2 (synthetic)',
  vendi: 'Vendi score (synthetic sample)',
  knn_coverage: 'kNN coverage of real by synthetic',
  near_duplicate_share: 'near-duplicate share (synthetic)',
  nearest_real_similarity_p95: 'nearest-real similarity p95 (leakage)',
};

export async function auditHtml(rep: TextAuditReport, focus?: readonly string[]): Promise<string> {
  const rows = TEXT_SUMMARY_KEYS.map(
    (k) =>
      `<tr><td>${LABELS[k]}</td><td><code>${k}</code></td><td>${esc(fmtFigure(rep.metrics[k]))}</td></tr>`,
  ).join('');
  const more = (
    [
      'distinct_1',
      'distinct_3',
      'distinct_2_real',
      'compression_ratio',
      'compression_ratio_real',
      'self_similarity',
      'self_similarity_real',
      'vendi_real',
      'knn_density',
    ] as const
  )
    .map((k) => `<tr><td><code>${k}</code></td><td>${esc(fmtFigure(rep.metrics[k]))}</td></tr>`)
    .join('');
  let downstream = `<p>${esc('reason' in rep.downstream ? rep.downstream.reason : '')}</p>`;
  let chart = '';
  if ('classes' in rep.downstream) {
    const d = rep.downstream;
    const shown = d.classes
      .filter((c) => (focus ? focus.includes(c.label) : c.train_synthetic > 0))
      .slice(0, 30);
    const data = shown.flatMap((c) => [
      {
        label: c.label,
        training: 'real only',
        recall: c.recall_real_only.value ?? 0,
        lo: c.recall_real_only.ci?.[0] ?? 0,
        hi: c.recall_real_only.ci?.[1] ?? 0,
      },
      {
        label: c.label,
        training: 'real + synthetic',
        recall: c.recall_augmented.value ?? 0,
        lo: c.recall_augmented.ci?.[0] ?? 0,
        hi: c.recall_augmented.ci?.[1] ?? 0,
      },
    ]);
    if (data.length)
      chart = await renderVegaLite({
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 520,
        data: { values: data },
        layer: [
          {
            mark: 'bar',
            encoding: {
              y: { field: 'label', type: 'nominal', sort: null, title: null },
              yOffset: { field: 'training' },
              x: { field: 'recall', type: 'quantitative', scale: { domain: [0, 1] } },
              color: { field: 'training', type: 'nominal' },
            },
          },
          {
            mark: 'rule',
            encoding: {
              y: { field: 'label', type: 'nominal', sort: null },
              yOffset: { field: 'training' },
              x: { field: 'lo', type: 'quantitative' },
              x2: { field: 'hi' },
            },
          },
        ],
      } as TopLevelSpec);
    const trs = d.classes
      .map(
        (c) =>
          `<tr><td>${esc(c.label)}</td><td>${c.train_real}</td><td>${c.train_synthetic}</td><td>${c.test}</td><td>${esc(fmtFigure(c.recall_real_only, 2))}</td><td>${esc(fmtFigure(c.recall_augmented, 2))}</td><td>${esc(fmtFigure(c.recall_change, 2))}</td></tr>`,
      )
      .join('');
    const cm = d.confusion_changes
      .map(
        (c) =>
          `<tr><td>${esc(c.true)}</td><td>${esc(c.predicted)}</td><td>${c.real_only}</td><td>${c.augmented}</td></tr>`,
      )
      .join('');
    downstream = `<p>macro-F1 real only ${esc(fmtFigure(d.macro_f1_real_only))}, real + synthetic ${esc(fmtFigure(d.macro_f1_augmented))}; accuracy ${esc(fmtFigure(d.accuracy_real_only))} → ${esc(fmtFigure(d.accuracy_augmented))}. Synthetic rows used: ${d.synthetic_used} (dropped, label unknown to real: ${d.synthetic_dropped_unknown_label}).</p>
${chart}
<h3>Per-class recall (rarest in real training first; 95% bootstrap CIs over test rows)</h3>
<table><tr><th>class</th><th>real train</th><th>synthetic</th><th>test</th><th>recall real only</th><th>recall real+synthetic</th><th>change</th></tr>${trs}</table>
<h3>Largest confusion changes</h3><table><tr><th>true</th><th>predicted</th><th>real only</th><th>real+synthetic</th></tr>${cm}</table>`;
  }
  const cells = rep.cells
    .slice(0, 500)
    .map(
      (c) =>
        `<tr class="${c.filled ? '' : 'short'}"><td>${esc(c.key)}</td><td>${c.quota ?? ''}</td><td>${c.real ?? ''}</td><td>${c.synthetic}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>strata text audit</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}tr.short td{background:#fee}code{font-size:12px}</style></head>
<body><h1>strata text audit</h1><p>real ${rep.counts.real} rows, synthetic ${rep.counts.synthetic} rows, test ${rep.counts.test} rows; seed ${rep.config.seed}; pairwise sample ${rep.config.sample}, Vendi sample ${rep.config.vendi_sample}, k = ${rep.config.k}.</p>
<h2>Summary</h2><table><tr><th>figure</th><th>key</th><th>value [95% CI]</th></tr>${rows}</table>
<h2>More diversity figures</h2><table>${more}</table>
<h2>Downstream test: TF-IDF + logistic regression</h2>${downstream}
<h2>Cells</h2><table><tr><th>cell</th><th>quota</th><th>real</th><th>synthetic</th></tr>${cells}</table>
</body></html>
`;
}

export async function writeAuditReport(
  rep: TextAuditReport,
  paths: { json?: string; html?: string },
  focus?: readonly string[],
): Promise<void> {
  if (paths.json) await writeTextAtomic(paths.json, `${JSON.stringify(rep, null, 2)}\n`);
  if (paths.html) await writeTextAtomic(paths.html, await auditHtml(rep, focus));
}

/** A short plain-text summary for stdout. */
export function auditText(rep: TextAuditReport, maxClasses = 15): string {
  const lines = TEXT_SUMMARY_KEYS.map((k) => `${k.padEnd(28)} ${fmtFigure(rep.metrics[k])}`);
  if ('classes' in rep.downstream) {
    const d = rep.downstream;
    lines.push(
      `macro_f1 real-only ${fmtFigure(d.macro_f1_real_only)}  real+synthetic ${fmtFigure(d.macro_f1_augmented)}`,
    );
    lines.push(
      'class (rarest first)                 real  synth  recall real-only        recall +synthetic       change',
    );
    for (const c of d.classes.slice(0, maxClasses))
      lines.push(
        `${c.label.padEnd(36)} ${String(c.train_real).padStart(4)} ${String(c.train_synthetic).padStart(6)}  ${fmtFigure(c.recall_real_only, 2).padEnd(22)}  ${fmtFigure(c.recall_augmented, 2).padEnd(22)}  ${fmtFigure(c.recall_change, 2)}`,
      );
  } else lines.push(`downstream: ${rep.downstream.reason}`);
  return `${lines.join('\n')}\n`;
}
