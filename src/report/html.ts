/**
 * Self-contained HTML report: inline CSS, inline SVG charts, no scripts and no network requests.
 * Sections: summary, worst columns with distribution overlays (at most 24), pairs and correlation
 * heatmaps, detection, privacy with DCR histograms, utility, bias, rules with examples, coverage.
 */
import type { EvaluationReport } from '../evaluate/types.js';
import { SUMMARY_KEYS } from '../evaluate/types.js';
import { correlationSpec, coverageSpec, dcrSpec, overlaySpec, pairAccuracySpec, toSvg } from './charts.js';
import { COLUMN_HEADERS, columnRow, escapeHtml as e, metricText, num, utilityRows } from './format.js';

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#222;background:#f6f7f9}
header{background:#1f2a44;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.8;font-size:13px}
main{padding:8px 28px 40px;max-width:1200px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:14px 18px;margin:16px 0}
h2{font-size:17px;margin:2px 0 10px}
table{border-collapse:collapse;font-size:13px;margin:6px 0}th,td{padding:4px 10px;border-bottom:1px solid #e6e6e6;text-align:left;vertical-align:top}
th{background:#fafafa;font-weight:600}td.num{font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #e3e6ea;border-radius:6px;padding:8px 12px;min-width:170px}
.card .k{font-size:11px;color:#666}.card .v{font-size:20px;font-weight:600}.card .na{font-size:12px;color:#999}
.grid{display:flex;flex-wrap:wrap;gap:8px}.chart svg{max-width:100%;height:auto}
.bad{color:#c0392b}.good{color:#1e8449}.muted{color:#777;font-size:12px}
`;

function summaryCards(r: EvaluationReport): string {
  return `<div class="cards">${SUMMARY_KEYS.map((k) => {
    const v = r.summary[k];
    const reason = r.skipped.find((s) => s.metric === k)?.reason ?? 'not computed';
    return `<div class="card"><div class="k">${e(k)}</div>${v === null ? `<div class="na">n/a — ${e(reason)}</div>` : `<div class="v">${num(v, 3)}</div>`}</div>`;
  }).join('')}</div>`;
}

function tableHtml(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

async function chart(spec: Parameters<typeof toSvg>[0] | null): Promise<string> {
  return spec ? `<div class="chart">${await toSvg(spec)}</div>` : '';
}

export async function renderHtml(r: EvaluationReport, opts: { maxOverlays?: number } = {}): Promise<string> {
  const parts: string[] = [];
  const i = r.inputs;
  parts.push(`<section id="summary"><h2>Summary</h2>${summaryCards(r)}</section>`);
  const f = r.fidelity;
  if (f) {
    const cols = [...f.columns].sort((a, b) => (a.accuracy.value ?? 2) - (b.accuracy.value ?? 2));
    const overlays = await Promise.all(
      cols.slice(0, opts.maxOverlays ?? 24).map((c) => chart(overlaySpec(c))),
    );
    parts.push(
      `<section id="columns"><h2>Columns, worst first</h2>${tableHtml(
        COLUMN_HEADERS,
        cols.map(columnRow),
      )}<div class="grid">${overlays.join('')}</div></section>`,
    );
    const pairs = [...f.pairs].sort((a, b) => (a.accuracy.value ?? 2) - (b.accuracy.value ?? 2));
    parts.push(
      `<section id="pairs"><h2>Column pairs, worst first</h2>${tableHtml(
        ['pair', 'accuracy', 'holdout ceiling', 'trend'],
        pairs
          .slice(0, 15)
          .map((p) => [
            `${p.a} × ${p.b}`,
            metricText(p.accuracy),
            metricText(p.accuracy_holdout),
            `${p.similarity.metric} ${metricText(p.similarity)}`,
          ]),
      )}<div class="grid">${await chart(correlationSpec(r))}${await chart(pairAccuracySpec(r))}</div></section>`,
    );
  }
  if (r.detection || r.mmd) {
    const d = r.detection;
    parts.push(
      `<section id="detection"><h2>Can a classifier tell them apart?</h2>${
        d
          ? `<p>Cross-validated AUC <b>${e(metricText(d.auc))}</b> (0.5 = indistinguishable; ${d.rows_per_side} rows per side).</p>${
              d.importances.length
                ? tableHtml(
                    ['column giving synthetic data away', 'importance'],
                    d.importances.map((x) => [x.column, num(x.importance)]),
                  )
                : ''
            }`
          : ''
      }${r.mmd ? `<p>MMD² ${e(metricText(r.mmd.mmd2, 5))}, permutation p = ${num(r.mmd.p_value)} (${r.mmd.rows_per_side} rows per side).</p>` : ''}</section>`,
    );
  }
  if (r.privacy) {
    const p = r.privacy;
    parts.push(
      `<section id="privacy"><h2>Overlap and privacy</h2>${tableHtml(
        ['metric', 'value'],
        [
          ['identical-match share', metricText(p.identical_match_share)],
          ['identical-match share, holdout baseline', metricText(p.identical_match_share_holdout)],
          ['DCR share (0.5 ideal)', metricText(p.dcr_share)],
          ['median NNDR', metricText(p.nndr_median)],
          ['membership-inference AUC (0.5 = no leak)', metricText(p.membership_inference_auc)],
        ],
      )}${p.dcr_train ? await chart(dcrSpec(p.dcr_train.histogram, p.dcr_holdout?.histogram ?? null)) : ''}</section>`,
    );
  }
  if (r.utility) {
    const u = r.utility;
    parts.push(
      `<section id="utility"><h2>Utility: predicting ${e(u.target)}</h2><p class="muted">tested on ${e(u.test_set)} (${u.test_rows} rows)</p>${tableHtml(
        ['model', 'AUC', 'accuracy', 'macro-F1'],
        utilityRows(u),
      )}${tableHtml(
        ['class', 'recall TSTR', 'recall TRTR', 'recall augmented'],
        u.classes.map((c) => [
          c,
          num(u.tstr.per_class_recall[c]),
          num(u.trtr.per_class_recall[c]),
          num(u.augmented.per_class_recall[c]),
        ]),
      )}</section>`,
    );
  }
  for (const b of r.bias) {
    parts.push(
      `<section class="bias"><h2>Bias: ${e(b.column)}</h2><p>Demographic-parity gap real ${e(metricText(b.demographic_parity_gap_real))}, synthetic ${e(metricText(b.demographic_parity_gap_synthetic))}. Amplified: <b class="${b.amplified ? 'bad' : 'good'}">${b.amplified === null ? 'unknown' : b.amplified ? 'yes' : 'no'}</b> <span class="muted">${e(b.amplified_reason)}</span></p>${tableHtml(
        [
          'group',
          'rows real',
          'rows synthetic',
          `P(${b.positive_class}) real`,
          `P(${b.positive_class}) synthetic`,
        ],
        b.groups.map((g) => [
          g.group,
          String(g.rows_real),
          String(g.rows_synthetic),
          num(g.p_real[b.positive_class]),
          num(g.p_synthetic[b.positive_class]),
        ]),
      )}</section>`,
    );
  }
  if (r.rules) {
    parts.push(
      `<section id="rules"><h2>Rule violations</h2>${tableHtml(
        ['rule', 'check', 'violations', 'rate', 'not evaluable', 'examples'],
        r.rules.map((x) => [
          x.name,
          x.check,
          String(x.violations),
          metricText(x.rate, 4),
          String(x.not_evaluable),
          x.error ??
            x.examples
              .map(
                (ex) =>
                  `row ${ex.row}: ${Object.entries(ex.values)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(', ')}`,
              )
              .join('; '),
        ]),
      )}</section>`,
    );
  }
  if (r.coverage) {
    const c = r.coverage;
    parts.push(
      `<section id="coverage"><h2>Coverage</h2><p>${c.cells_met} of ${c.cells_required} required cells met · ${c.empty_cells} empty · ${c.rows_outside_cells} rows outside${c.effective_sample_size !== null ? ` · effective sample size ${num(c.effective_sample_size, 1)}` : ''}</p>${await chart(coverageSpec(c))}</section>`,
    );
  }
  if (r.knn_coverage) {
    parts.push(
      `<section id="knn"><h2>kNN coverage and density</h2><p>coverage ${e(metricText(r.knn_coverage.coverage))}, density ${e(metricText(r.knn_coverage.density))} (k = ${r.knn_coverage.k}, Naeem et al. 2020)</p></section>`,
    );
  }
  if (r.skipped.length) {
    parts.push(
      `<section id="skipped"><h2>Not computed</h2><ul>${r.skipped.map((s) => `<li><b>${e(s.metric)}</b>: ${e(s.reason)}</li>`).join('')}</ul></section>`,
    );
  }
  const sub = `real ${i.real_rows} · synthetic ${i.synthetic_rows}${i.holdout_rows !== null ? ` · holdout ${i.holdout_rows}` : ''} rows · ${i.columns.length} columns · seed ${r.config.seed} · schema v${r.schema_version}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Strata evaluation</title><style>${CSS}</style></head><body><header><h1>Strata evaluation</h1><p>${e(sub)}</p></header><main>${parts.join('\n')}</main></body></html>\n`;
}
