/**
 * Writing `text prove` results: the JSON report (stable `summary` keys: rare_recall_delta,
 * rare_recall_delta_ci, macro_f1_delta, …), a plain-text summary for the terminal, and a
 * self-contained HTML page with the per-run table, per-class recall change of the rare classes, and
 * the confusion-change matrix (augmented − real-only, rows true, columns predicted) over the rare
 * classes and the classes whose confusion changed most.
 */
import type { TopLevelSpec } from 'vega-lite';
import { writeTextAtomic } from '../../io/index.js';
import { fmtFigure, renderVegaLite } from '../report.js';
import type { Comparison } from './compare.js';
import type { ProveReport, Run } from './prove.js';
import { verdictLine } from './prove.js';

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function proveText(rep: ProveReport): string {
  const lines = [`verdict: ${rep.summary.verdict}`, ''];
  lines.push(
    `real ${rep.counts.real}, synthetic ${rep.counts.synthetic_used} used (${rep.counts.synthetic_unknown_label} with unknown labels dropped), test ${rep.counts.test}; rare: ${rep.rare.join(', ')}`,
  );
  for (const r of rep.runs) {
    const c = r.comparison;
    lines.push(
      `${`${r.classifier}/${r.weighting}`.padEnd(24)} rare recall ${fmtFigure(c.rare_recall_real_only)} → ${fmtFigure(c.rare_recall_augmented)}; change ${fmtFigure(c.rare_recall_delta)}; macro-F1 change ${fmtFigure(c.macro_f1_delta)}; ${c.rare_significant}/${c.rare_with_test} rare classes with change CI above 0`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Labels for the confusion-change matrix: rare ones first, then those in the largest changes. */
export function confusionLabels(rep: ProveReport, c: Comparison, max = 30): number[] {
  const idx = new Map(rep.labels.map((l, i) => [l, i]));
  const chosen: number[] = rep.rare.flatMap((l) => (idx.has(l) ? [idx.get(l)!] : []));
  const cells: { i: number; j: number; d: number }[] = [];
  for (let i = 0; i < c.confusion_delta.length; i++)
    for (let j = 0; j < c.confusion_delta[i].length; j++) {
      const d = c.confusion_delta[i][j];
      if (i !== j && d !== 0) cells.push({ i, j, d });
    }
  cells.sort((a, b) => Math.abs(b.d) - Math.abs(a.d) || a.i - b.i || a.j - b.j);
  for (const { i, j } of cells) {
    for (const k of [i, j]) if (!chosen.includes(k) && chosen.length < max) chosen.push(k);
    if (chosen.length >= max) break;
  }
  return chosen;
}

export function confusionSpec(rep: ProveReport, run: Run): TopLevelSpec {
  const c = run.comparison;
  const ls = confusionLabels(rep, c);
  const values = ls.flatMap((i) =>
    ls.map((j) => ({ true: rep.labels[i], predicted: rep.labels[j], change: c.confusion_delta[i][j] })),
  );
  const order = ls.map((i) => rep.labels[i]);
  const m = Math.max(1, ...values.map((v) => Math.abs(v.change)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `confusion change (augmented − real-only), ${run.classifier}/${run.weighting}`,
    data: { values },
    mark: 'rect',
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: order, axis: { labelAngle: -60 } },
      y: { field: 'true', type: 'nominal', sort: order },
      color: {
        field: 'change',
        type: 'quantitative',
        scale: { scheme: 'redblue', domain: [-m, m], reverse: false },
      },
      tooltip: [{ field: 'true' }, { field: 'predicted' }, { field: 'change' }],
    },
    width: Math.max(200, ls.length * 16),
    height: Math.max(200, ls.length * 16),
  } as TopLevelSpec;
}

export async function proveHtml(rep: ProveReport): Promise<string> {
  const primary =
    rep.runs.find((r) => `${r.classifier}/${r.weighting}` === rep.summary.primary) ?? rep.runs[0];
  const runRows = rep.runs
    .map((r) => {
      const c = r.comparison;
      return `<tr><td>${esc(r.classifier)}</td><td>${esc(r.family)}</td><td>${r.weighting}</td><td>${esc(fmtFigure(c.rare_recall_real_only))}</td><td>${esc(fmtFigure(c.rare_recall_augmented))}</td><td>${esc(fmtFigure(c.rare_recall_delta))}</td><td>${c.rare_significant}/${c.rare_with_test}</td><td>${esc(fmtFigure(c.macro_f1_delta))}</td><td>${esc(verdictLine(c))}</td></tr>`;
    })
    .join('');
  const counts = new Map(rep.train_counts.map((t) => [t.label, t]));
  const classRows = primary.comparison.classes
    .filter((c) => c.rare)
    .map((c) => {
      const t = counts.get(c.label);
      return `<tr><td>${esc(c.label)}</td><td>${t?.real ?? 0}</td><td>${t?.synthetic ?? 0}</td><td>${c.test}</td><td>${esc(fmtFigure(c.recall_real_only, 2))}</td><td>${esc(fmtFigure(c.recall_augmented, 2))}</td><td>${esc(fmtFigure(c.recall_change, 2))}</td></tr>`;
    })
    .join('');
  const svg = await renderVegaLite(confusionSpec(rep, primary));
  return `<!doctype html><html><head><meta charset="utf-8"><title>strata text prove</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}td,th{padding:2px 8px;text-align:left;border-bottom:1px solid #ddd;font-size:13px}table{border-collapse:collapse;margin:1em 0}.verdict{font-size:1.1em;font-weight:600}</style></head><body>
<h1>Does the synthetic data change what classifiers learn?</h1>
<p class="verdict">${esc(rep.summary.verdict)}</p>
<p>Real training rows ${rep.counts.real}; synthetic rows used ${rep.counts.synthetic_used} (${rep.counts.synthetic_unknown_label} with labels unknown to the real data dropped); real test rows ${rep.counts.test}. Rare classes: ${esc(rep.rare.join(', '))}. CIs: 95% percentile bootstrap over test rows, resampled within each true class, paired.</p>
<h2>Runs</h2><table><tr><th>classifier</th><th>family</th><th>weights</th><th>rare recall, real only</th><th>real + synthetic</th><th>change</th><th>rare classes with CI above 0</th><th>macro-F1 change</th><th>verdict</th></tr>${runRows}</table>
<h2>Rare classes (${esc(rep.summary.primary)})</h2><table><tr><th>class</th><th>real train</th><th>synthetic</th><th>test</th><th>recall real only</th><th>real + synthetic</th><th>change</th></tr>${classRows}</table>
<h2>Confusion-matrix change (${esc(rep.summary.primary)})</h2><p>Blue: more test rows land in this cell with the synthetic data; red: fewer. Diagonal: correct predictions.</p>${svg}
</body></html>`;
}

export async function writeProveReport(
  rep: ProveReport,
  paths: { json?: string; html?: string },
): Promise<void> {
  if (paths.json) await writeTextAtomic(paths.json, `${JSON.stringify(rep, null, 2)}\n`);
  if (paths.html) await writeTextAtomic(paths.html, await proveHtml(rep));
}
