/** The Markdown summary printed on stdout: headline figures first, then the worst columns and pairs. */
import type { EvaluationReport } from '../evaluate/types.js';
import { SUMMARY_KEYS } from '../evaluate/types.js';
import { COLUMN_HEADERS, columnRow, mdCell, metricText, num, utilityRows } from './format.js';

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderMarkdown(r: EvaluationReport, opts: { top?: number } = {}): string {
  const top = opts.top ?? 10;
  const out: string[] = [];
  const i = r.inputs;
  out.push('# Strata evaluation');
  out.push(
    `real ${i.real_rows} rows · synthetic ${i.synthetic_rows} rows${i.holdout_rows !== null ? ` · holdout ${i.holdout_rows} rows` : ''} · ${i.columns.length} columns · seed ${r.config.seed}`,
  );
  out.push('\n## Summary\n');
  const summaryMetric = (k: string) => {
    const reason = r.skipped.find((s) => s.metric === k)?.reason;
    const v = r.summary[k as keyof typeof r.summary];
    return v === null ? `n/a (${reason ?? 'not computed'})` : num(v, 4);
  };
  out.push(
    table(
      ['metric', 'value'],
      SUMMARY_KEYS.map((k) => [k, summaryMetric(k)]),
    ),
  );

  const f = r.fidelity;
  if (f) {
    out.push('\n## Worst columns\n');
    const cols = [...f.columns]
      .sort((a, b) => (a.accuracy.value ?? 2) - (b.accuracy.value ?? 2))
      .slice(0, top);
    out.push(table(COLUMN_HEADERS, cols.map(columnRow)));
    if (f.pairs.length) {
      out.push('\n## Worst pairs\n');
      const pairs = [...f.pairs]
        .sort((a, b) => (a.accuracy.value ?? 2) - (b.accuracy.value ?? 2))
        .slice(0, top);
      out.push(
        table(
          ['pair', 'accuracy', 'holdout ceiling', 'trend'],
          pairs.map((p) => [
            `${p.a} × ${p.b}`,
            metricText(p.accuracy),
            metricText(p.accuracy_holdout),
            `${p.similarity.metric} ${metricText(p.similarity)}`,
          ]),
        ),
      );
    }
  }
  if (r.detection) {
    out.push('\n## Detection (classifier two-sample test)\n');
    out.push(
      `AUC ${metricText(r.detection.auc)} — 0.5 means indistinguishable (${r.detection.rows_per_side} rows per side, ${r.detection.folds}-fold CV).`,
    );
    if (r.detection.importances.length) {
      out.push(
        `Columns that give synthetic data away: ${r.detection.importances
          .slice(0, 5)
          .map((x) => `${x.column} (${num(x.importance, 2)})`)
          .join(', ')}`,
      );
    }
  }
  if (r.mmd) out.push(`\nMMD² ${metricText(r.mmd.mmd2, 5)}, permutation p = ${num(r.mmd.p_value)}`);
  if (r.privacy) {
    const p = r.privacy;
    out.push('\n## Privacy\n');
    out.push(
      table(
        ['metric', 'value'],
        [
          ['identical-match share', metricText(p.identical_match_share)],
          ['identical-match share (holdout baseline)', metricText(p.identical_match_share_holdout)],
          ['DCR share (closer to train than holdout; 0.5 ideal)', metricText(p.dcr_share)],
          ['median DCR to train', num(p.dcr_train?.quantiles.p50)],
          ['median NNDR', metricText(p.nndr_median)],
          ['membership-inference AUC (0.5 = no leak)', metricText(p.membership_inference_auc)],
        ],
      ),
    );
  }
  if (r.utility) {
    const u = r.utility;
    out.push(`\n## Utility (target ${u.target}, tested on ${u.test_set}, ${u.test_rows} rows)\n`);
    out.push(table(['model', 'AUC', 'accuracy', 'macro-F1'], utilityRows(u)));
    const rare = Object.entries(u.rare_recall_change);
    if (rare.length)
      out.push(
        `\nRare-class recall change with augmentation: ${rare.map(([c, v]) => `${c} ${v === null ? '—' : (v >= 0 ? '+' : '') + num(v)}`).join(', ')}`,
      );
  }
  for (const b of r.bias) {
    out.push(`\n## Bias: ${b.column} (positive class "${b.positive_class}")\n`);
    out.push(
      `Demographic-parity gap real ${metricText(b.demographic_parity_gap_real)}, synthetic ${metricText(b.demographic_parity_gap_synthetic)}.`,
    );
    out.push(
      `Equalized-odds gap TRTR ${metricText(b.equalized_odds_gap_trtr)}, TSTR ${metricText(b.equalized_odds_gap_tstr)}.`,
    );
    out.push(
      `Amplified: ${b.amplified === null ? 'unknown' : b.amplified ? 'YES' : 'no'} — ${b.amplified_reason}`,
    );
  }
  if (r.rules) {
    out.push('\n## Rules\n');
    out.push(
      table(
        ['rule', 'violations', 'rate', 'not evaluable', 'first example'],
        r.rules.map((x) => [
          x.name,
          String(x.violations),
          metricText(x.rate, 4),
          String(x.not_evaluable),
          x.examples[0]
            ? `row ${x.examples[0].row}: ${Object.entries(x.examples[0].values)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')}`
            : '',
        ]),
      ),
    );
  }
  if (r.coverage) {
    const c = r.coverage;
    out.push(`\n## Coverage (${c.table}: ${c.axes.join(' × ')})\n`);
    out.push(
      `${c.cells_met} of ${c.cells_required} required cells met · ${c.empty_cells} empty cells · ${c.rows_outside_cells} rows outside the declared cells${c.effective_sample_size !== null ? ` · effective sample size ${num(c.effective_sample_size, 1)}` : ''}`,
    );
    const short = c.cells.filter((x) => !x.met).slice(0, top);
    if (short.length) {
      out.push('');
      out.push(
        table(
          ['cell', 'required', 'delivered'],
          short.map((x) => [
            Object.entries(x.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ') + (x.forbidden ? ' (forbidden)' : ''),
            String(x.required),
            String(x.delivered),
          ]),
        ),
      );
    }
  }
  if (r.knn_coverage)
    out.push(
      `\nkNN coverage ${metricText(r.knn_coverage.coverage)}, density ${metricText(r.knn_coverage.density)} (k = ${r.knn_coverage.k}, Naeem et al. 2020)`,
    );
  if (r.skipped.length) {
    out.push('\n## Not computed\n');
    for (const s of r.skipped) out.push(`- ${s.metric}: ${s.reason}`);
  }
  return `${out.join('\n')}\n`;
}
