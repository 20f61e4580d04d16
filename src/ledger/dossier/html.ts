/**
 * The validation dossier as one self-contained HTML page (no script, no network), written for a
 * reviewer who has never used Strata: what the data is for, what real data it came from (a
 * fingerprint, no rows), the model, every check against its reference with intervals and gate
 * verdicts, what is not protected, how to reproduce it, and the ledger records that vouch for it.
 * Printed to PDF, no table is cut by a page break (CSS break-inside: avoid; long tables are split
 * into page-sized parts).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { EvaluationReport } from '../../evaluate/registry.js';
import { dcrSpec, toSvg } from '../../report/charts.js';
import { escapeHtml as e } from '../../report/format.js';
import type { Column } from '../../spec/schema.js';
import type { FileRecord, LedgerEntry } from '../entry.js';
import { keyFingerprint } from '../sign.js';
import { reproduceCommand } from '../trace.js';
import type { Dossier } from './collect.js';
import { graphSvg } from './graph.js';
import { type Figure, gateOf, type ResultRow, resultRows } from './metrics.js';

export interface DossierOptions {
  /** What the synthetic data is for (the reviewer's first question). */
  purpose?: string;
  title?: string;
  /** When the dossier was made (default: now). Fixed in tests and examples. */
  now?: Date;
  /** Base for the `cd` of reproduce commands (default: the ledger's project folder). */
  from?: string;
}

const CSS = `
@page{size:A4;margin:14mm 12mm}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",system-ui,sans-serif;color:#1d2330;margin:0;font-size:13px;line-height:1.45;background:#fff}
header{background:#1f2a44;color:#fff;padding:18px 26px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.85}
main{padding:4px 26px 30px;max-width:1100px}
section{margin:18px 0}
h2{font-size:17px;border-bottom:2px solid #1f2a44;padding-bottom:3px;margin:0 0 8px;break-after:avoid;page-break-after:avoid}
h3{font-size:14px;margin:12px 0 4px;break-after:avoid;page-break-after:avoid}
p{margin:5px 0}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;break-inside:avoid;page-break-inside:avoid;font-size:12px}
th,td{border-bottom:1px solid #e1e4ea;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f5f8}caption{caption-side:top;text-align:left;font-size:11px;color:#444;padding:2px 0}td.n{font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:8px 0;break-inside:avoid;page-break-inside:avoid}figure svg{max-width:100%;height:auto}figcaption{font-size:11px;color:#555}
code,pre{font-family:"DejaVu Sans Mono",monospace;font-size:11px}pre{background:#f5f6f8;padding:8px;white-space:pre-wrap;word-break:break-all;break-inside:avoid;page-break-inside:avoid}
.verdicts{display:flex;flex-wrap:wrap;gap:8px;break-inside:avoid}.v{border-radius:6px;padding:8px 12px;border:1px solid #d6dae2;min-width:200px}
.ok{color:#17663a}.bad{color:#b3261e}.warn{color:#8a5a00}.muted{color:#666;font-size:11.5px}
.v.ok{background:#eef8f1;border-color:#bfe3cb}.v.bad{background:#fdeeee;border-color:#f0c2bf}.v.warn{background:#fff6e5;border-color:#f1d9a6}
ul{margin:4px 0 4px 18px;padding:0}
@media print{header{-webkit-print-color-adjust:exact;print-color-adjust:exact}main{max-width:none}}
`;

const n3 = (v: number | null | undefined, d = 3) =>
  v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(d);
const figText = (f: Figure | null) =>
  !f || f.value === null
    ? 'n/a'
    : `${n3(f.value)}${f.ci ? ` <span class="muted">[${n3(f.ci[0])}, ${n3(f.ci[1])}]</span>` : ''}`;
const short = (h: string) => `${h.slice(0, 16)}…`;

/** Numbers the tables of one dossier ("Table 3."), so a reviewer can cite them. */
class Tables {
  private n = 0;

  /** A captioned table split into parts of at most `per` rows, each kept whole on a page. */
  table(caption: string, head: string[], rows: string[][], per = 22): string {
    if (!rows.length) return '<p class="muted">(none)</p>';
    const parts: string[] = [];
    const count = Math.ceil(rows.length / per);
    for (let i = 0, k = 1; i < rows.length; i += per, k++) {
      const body = rows
        .slice(i, i + per)
        .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
        .join('');
      const part = count > 1 ? ` (part ${k} of ${count})` : '';
      parts.push(
        `<table><caption>Table ${++this.n}. ${e(caption)}${part}</caption><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`,
      );
    }
    return parts.join('');
  }
}

let T = new Tables();
const table = (caption: string, head: string[], rows: string[][], per?: number) =>
  T.table(caption, head, rows, per);

function mechanism(c: Column): string {
  if (c.type === 'derived') return `expression: ${c.expr ?? ''}`;
  if (c.type === 'id') return 'generated identifier (no real values)';
  if (c.faker) return `fake values (${c.faker}); no real values`;
  if (c.text)
    return `fitted text law (${c.text.unit} chain${c.text.by ? `, given ${c.text.by.column}` : ''}); no rare real values`;
  if (c.conditional) return 'table of distributions per parent state';
  if (c.dist) return `${Object.keys(c.dist)[0]} distribution`;
  if (c.values) return 'category probabilities';
  if (c.p !== undefined) return 'probability of true';
  return c.type;
}

function verdicts(d: Dossier): string {
  const g = gateOf(d.evaluate);
  const items: string[] = [];
  items.push(
    d.verify.ok
      ? `<div class="v ok"><b>Records intact</b><br>${d.verify.entries.length} ledger entries verified; every output file still has its recorded bytes</div>`
      : `<div class="v bad"><b>Records NOT intact</b><br>${d.verify.problems.length} problem(s): see “Ledger”</div>`,
  );
  if (g)
    items.push(
      g.passed
        ? `<div class="v ok"><b>All gates passed</b><br>${Object.keys(g.gates ?? {}).length} thresholds in ${e(g.file)}</div>`
        : `<div class="v bad"><b>Gates FAILED</b><br>${g.failures.length} of ${Object.keys(g.gates ?? {}).length} thresholds in ${e(g.file)}</div>`,
    );
  else if (d.evaluate)
    items.push('<div class="v warn"><b>No gates</b><br>the evaluation set no pass/fail thresholds</div>');
  else items.push('<div class="v warn"><b>Not evaluated</b><br>no evaluation of this data is recorded</div>');
  const eps = d.model?.fit?.epsilon;
  items.push(
    typeof eps === 'number'
      ? `<div class="v ok"><b>Differential privacy</b><br>model fitted with ε = ${eps}</div>`
      : '<div class="v warn"><b>No formal privacy guarantee</b><br>privacy is measured (below), not proven: no ε</div>',
  );
  return `<div class="verdicts">${items.join('')}</div>`;
}

function purpose(d: Dossier, o: DossierOptions): string {
  const gen = d.generate;
  const rows = (gen?.result as Record<string, unknown> | undefined)?.rows;
  const out = gen?.outputs[0];
  const data = d.fit?.inputs.find((i) => i.role === 'data');
  const table = (gen?.params as Record<string, unknown> | undefined)?.table;
  const scope = [
    gen && out
      ? `<li>The synthetic data under review: <code>${e(out.path)}</code>, ${typeof rows === 'number' ? rows.toLocaleString('en-US') : '?'} rows of table “${e(String(table ?? '?'))}”, made by run <code>${e(gen.run)}</code> on ${e(gen.time.slice(0, 10))}.</li>`
      : '',
    data
      ? `<li>It imitates the real data <code>${e(data.path)}</code> (fingerprint below); no row is copied from it — every value is drawn from a fitted model (a drawn row can still equal a real one by chance: the privacy figures count those).</li>`
      : '',
    d.evaluate
      ? `<li>It was judged against that real data and an independent real holdout the model never saw (run <code>${e(d.evaluate.run)}</code>).</li>`
      : '',
  ].join('');
  return `<section id="purpose"><h2>1. Purpose and scope</h2><p>${e(
    o.purpose ??
      'Not stated by the requester. This dossier records what the synthetic data is, where it came from and how it performed; whether that suffices for a given use is the reviewer’s decision.',
  )}</p><ul>${scope}</ul><p class="muted">Strata generates synthetic tables from a causal model learned from real data; every figure below comes from the run ledger and the files it vouches for.</p></section>`;
}

function fingerprint(d: Dossier): string {
  const f = d.fit;
  const r = d.report;
  const data = f?.inputs.find((i) => i.role === 'data');
  const real = d.evaluate?.inputs.find((i) => i.role === 'real');
  const holdout = d.evaluate?.inputs.find((i) => i.role === 'holdout');
  const res = (f?.result ?? {}) as Record<string, unknown>;
  const fileRow = (label: string, x: FileRecord | undefined, rows?: unknown) =>
    x
      ? [
          e(label),
          `<code>${e(x.path)}</code>`,
          `<code>${e(x.sha256)}</code>`,
          `${x.bytes.toLocaleString('en-US')}`,
          typeof rows === 'number' ? rows.toLocaleString('en-US') : 'n/a',
        ]
      : null;
  const files = [
    fileRow('training data (fit)', data, res.rows),
    real && real.sha256 !== data?.sha256
      ? fileRow('real data (evaluation)', real, r?.inputs.real_rows)
      : null,
    fileRow('holdout (never used for training)', holdout, r?.inputs.holdout_rows),
  ].filter((x): x is string[] => x !== null);
  const cols = r?.fidelity?.columns ?? [];
  return `<section id="fingerprint"><h2>2. Data fingerprint</h2><p>The real data is identified by its SHA-256 (any change to one byte changes it). No real row is shown in this dossier.</p>${table(
    'Real data files',
    ['file', 'path', 'SHA-256', 'bytes', 'rows'],
    files,
  )}${
    cols.length
      ? `<h3>Columns (${cols.length})</h3>${table(
          'Columns and their missing values',
          ['column', 'kind', 'missing in real', 'missing in synthetic'],
          cols.map((c) => [
            e(c.name),
            e(c.kind),
            `${(100 * c.missing_rate_real).toFixed(1)}%`,
            `${(100 * c.missing_rate_synthetic).toFixed(1)}%`,
          ]),
        )}`
      : ''
  }</section>`;
}

function model(d: Dossier): string {
  const spec = d.model;
  const fp = (d.fit?.params ?? {}) as Record<string, unknown>;
  if (!spec)
    return `<section id="model"><h2>3. The model</h2><p class="muted">The model file is not available with its recorded bytes; its structure is not shown.</p></section>`;
  const [tname, t] = Object.entries(spec.tables)[0];
  const nodes = Object.entries(t.columns).map(([name, c]) => ({
    name,
    parents: c.given ?? [],
    note: c.type,
  }));
  const edges = nodes.reduce((s, x) => s + x.parents.length, 0);
  const eps = spec.fit?.epsilon;
  return `<section id="model"><h2>3. The model</h2><p>A causal model of table “${e(tname)}”: each column is drawn from its parents (arrows) by the mechanism listed. ${nodes.length} columns, ${edges} edges.${
    d.fit ? ` Learned by run <code>${e(d.fit.run)}</code> (seed ${e(String(d.fit.seed ?? 'n/a'))}).` : ''
  }</p><figure id="graph">${graphSvg(nodes)}<figcaption>Causal graph: an arrow A → B means B is drawn given A. Shaded: columns with no parent.</figcaption></figure>${table(
    'Columns of the model',
    ['column', 'type', 'parents', 'how it is drawn'],
    Object.entries(t.columns).map(([name, c]) => [
      e(name),
      e(c.type),
      e((c.given ?? []).join(', ') || '—'),
      e(mechanism(c)),
    ]),
  )}<h3>Rules (must hold on every row)</h3>${table(
    'Declared rules',
    ['rule', 'check'],
    (t.rules ?? []).map((r) => [e(r.name), `<code>${e(r.check)}</code>`]),
  )}<h3>Expert knowledge</h3>${
    d.knowledge
      ? `<p>Constraints given to the structure search (${e(d.fit?.inputs.find((i) => i.role === 'knowledge')?.path ?? '')}):</p><pre>${e(d.knowledge.trim())}</pre>`
      : '<p class="muted">None recorded.</p>'
  }<h3>Privacy budget</h3><p>${
    typeof eps === 'number'
      ? `Differentially private fit with ε = ${eps} (structure and counts; see the limitations).`
      : 'No differential privacy (no ε). Small groups were pooled and suppressed as documented, but there is no formal guarantee.'
  }${typeof fp.minCount === 'number' ? ` Categories seen in fewer than ${fp.minCount} rows were pooled.` : ''}</p></section>`;
}

function accuracyChart(r: EvaluationReport): TopLevelSpec | null {
  const cols = r.fidelity?.columns ?? [];
  if (!cols.length) return null;
  const values = cols.flatMap((c) => [
    { column: c.name, source: 'synthetic', accuracy: c.accuracy.value },
    ...(c.accuracy_holdout
      ? [{ column: c.name, source: 'holdout ceiling', accuracy: c.accuracy_holdout.value }]
      : []),
  ]);
  return {
    background: 'white',
    config: { font: 'sans-serif', view: { stroke: null } },
    title: { text: 'Per-column accuracy: synthetic vs fresh real data', fontSize: 12 },
    width: 460,
    height: { step: 9 },
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'column', type: 'nominal', title: null, sort: null },
      yOffset: { field: 'source' },
      x: {
        field: 'accuracy',
        type: 'quantitative',
        scale: { domain: [0, 1] },
        title: 'accuracy (1 = identical distribution)',
      },
      color: {
        field: 'source',
        type: 'nominal',
        scale: { domain: ['synthetic', 'holdout ceiling'], range: ['#f58518', '#4c78a8'] },
        legend: { orient: 'top', title: null },
      },
    },
  } as TopLevelSpec;
}

function verdictOf(row: ResultRow): string {
  if (!row.gate) return '<span class="muted">no gate</span>';
  const b = [
    row.gate.min !== undefined ? `≥ ${row.gate.min}` : '',
    row.gate.max !== undefined ? `≤ ${row.gate.max}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return row.gate.passed ? `<b class="ok">pass</b> (${e(b)})` : `<b class="bad">FAIL</b> (${e(b)})`;
}

async function results(d: Dossier): Promise<string> {
  if (!d.evaluate)
    return '<section id="results"><h2>4. Results</h2><p class="muted">No evaluation is recorded for this data.</p></section>';
  const r = d.report;
  const rows = resultRows(r, d.evaluate);
  const areas = ['Fidelity', 'Privacy', 'Utility', 'Rules'] as const;
  const parts: string[] = [
    `<section id="results"><h2>4. Results against the holdout ceiling</h2><p>Each figure is computed on the synthetic data and compared with its reference: the <b>holdout ceiling</b> is what fresh real data (rows the model never saw) scores on the same test, so synthetic data cannot be expected to beat it. Brackets are 95% bootstrap intervals${r ? ` (${r.config.bootstrap_reps} resamples, seed ${r.config.seed})` : ''}. Gate verdicts are the thresholds the evaluation was run with.</p>`,
  ];
  for (const area of areas) {
    const rs = rows.filter((x) => x.area === area);
    parts.push(
      `<h3 id="${area.toLowerCase()}">${area}</h3>${table(
        `${area} figures`,
        ['question', 'synthetic', 'reference', 'better', 'gate'],
        rs.map((x) => [
          `${e(x.question)}<br><span class="muted">${e(x.key)}</span>`,
          `<span class="n">${figText(x.synthetic)}</span>`,
          x.reference
            ? `${figText(x.reference)}<br><span class="muted">${e(x.referenceLabel)}</span>`
            : 'n/a',
          x.better === 'near' ? 'closer to reference' : x.better,
          verdictOf(x),
        ]),
      )}`,
    );
    if (area === 'Fidelity' && r) {
      const spec = accuracyChart(r);
      if (spec)
        parts.push(
          `<figure id="fig-accuracy">${await toSvg(spec)}<figcaption>Per-column accuracy of the synthetic data (orange) beside fresh real data (blue).</figcaption></figure>`,
        );
    }
    if (area === 'Privacy' && r?.privacy?.dcr_train)
      parts.push(
        `<figure id="fig-dcr">${await toSvg(dcrSpec(r.privacy.dcr_train.histogram, r.privacy.dcr_holdout?.histogram ?? null))}<figcaption>Distance from each sampled synthetic row to its closest training row (orange) and closest holdout row (blue): matching shapes mean the synthetic rows are no closer to the people in the training data than to anyone else.</figcaption></figure>`,
      );
    if (area === 'Rules' && r?.rules?.length)
      parts.push(
        table(
          'Rule violations in the synthetic data',
          ['rule', 'check', 'violations', 'rate'],
          r.rules.map((x) => [
            e(x.name),
            `<code>${e(x.check)}</code>`,
            String(x.violations),
            figText(x.rate),
          ]),
        ),
      );
  }
  if (r?.bias.length) {
    parts.push(
      `<h3 id="bias">Bias</h3><p>For each sensitive column: the gap in positive-outcome rates between groups (demographic parity) in real and synthetic data, and the gap in error rates between groups (equalized odds) of a model trained on real (ceiling) and on synthetic data. Amplified: the synthetic data widens a gap.</p>${table(
        'Fairness gaps per sensitive column',
        [
          'column',
          'parity gap real',
          'parity gap synthetic',
          'odds gap, real-trained',
          'odds gap, synthetic-trained',
          'amplified?',
        ],
        r.bias.map((b) => [
          e(b.column),
          figText(b.demographic_parity_gap_real),
          figText(b.demographic_parity_gap_synthetic),
          figText(b.equalized_odds_gap_trtr),
          figText(b.equalized_odds_gap_tstr),
          b.amplified === null
            ? 'n/a'
            : b.amplified
              ? `<b class="bad">yes</b> — ${e(b.amplified_reason)}`
              : `<span class="ok">no</span> — ${e(b.amplified_reason)}`,
        ]),
      )}`,
    );
  } else
    parts.push(
      '<h3 id="bias">Bias</h3><p class="muted">No sensitive column was named (evaluate --sensitive): bias was not measured.</p>',
    );
  parts.push('<h3 id="coverage">Coverage</h3>');
  if (r?.coverage)
    parts.push(
      `<p>${r.coverage.cells_met} of ${r.coverage.cells_required} required cells (${e(r.coverage.axes.join(' × '))}) hold their minimum number of rows; ${r.coverage.empty_cells} are empty.</p>`,
    );
  else if (r?.knn_coverage)
    parts.push(
      `<p>Share of real rows whose neighbourhood holds a synthetic row (k-NN coverage, Naeem et al. 2020): ${figText(r.knn_coverage.coverage)}; density ${figText(r.knn_coverage.density)}. No coverage plan was declared.</p>`,
    );
  else parts.push('<p class="muted">Not measured.</p>');
  parts.push('</section>');
  return parts.join('');
}

function limitations(d: Dossier): string {
  const eps = d.model?.fit?.epsilon;
  const r = d.report;
  const items = [
    // Near-copy warnings of the evaluation come first: the reviewer must see them.
    ...(r?.warnings ?? []).map((w) => `Warning from the evaluation: ${w.message}`),
    typeof eps === 'number'
      ? `The model is differentially private with ε = ${eps} for what was learned from the data (structure and counts). Parts written by hand (a partial spec, bounds, rules) are not covered, and ε bounds what one person changes in the model, not how useful the data is.`
      : 'There is no formal privacy guarantee. The privacy figures above are measurements on samples: they show that the synthetic rows are not closer to training rows than fresh real rows are and that a standard membership attack fails, not that no attacker with other information can learn anything.',
    'Exact minimum and maximum of numeric columns, the set of frequent categories and the column names come from the real data (see docs/privacy.md of Strata).',
    'Categories seen in fewer rows than the pooling threshold are merged into “(other)”: rare groups are not represented as such.',
    'Synthetic data reproduces the patterns of the real data, including its biases; the bias table shows only the sensitive columns named at evaluation.',
    r
      ? `Figures are estimates on samples (e.g. ${r.privacy?.synthetic_rows_sampled ?? 'n/a'} synthetic rows for distances, ${r.detection?.rows_per_side ?? 'n/a'} rows per side for detection), with the intervals shown.`
      : 'Only summary figures were recorded for this evaluation (no --json report): no intervals are shown.',
    'Utility is measured for one target only; fitness for another use must be checked for that use.',
    'The ledger proves that these records and files were not changed after they were written, as far as the head and (when signed) the key vouch: someone able to rewrite the whole ledger file, its head and have the signing key could forge it. Publish the head hash (below) somewhere they cannot change.',
  ];
  return `<section id="limitations"><h2>5. Limitations: what is not protected</h2><ul>${items.map((x) => `<li>${e(x)}</li>`).join('')}</ul>${
    d.notes.length
      ? `<h3>Not shown in this dossier</h3><ul>${d.notes.map((x) => `<li>${e(x)}</li>`).join('')}</ul>`
      : ''
  }</section>`;
}

function chain(d: Dossier): LedgerEntry[] {
  return [d.fit, d.generate, d.evaluate].filter((x): x is LedgerEntry => x !== undefined);
}

function reproduce(d: Dossier, o: DossierOptions): string {
  const cmds = chain(d).map(
    (x) => `# ${x.command} (run ${x.run})\n${reproduceCommand(x, d.ledgerPath, o.from)}`,
  );
  return `<section id="reproduce"><h2>6. How to reproduce</h2><p>With Strata ${e(d.generate?.strata ?? d.subject.strata)} and the input files above (same SHA-256), these commands rebuild the model and the synthetic data byte for byte, and re-run the evaluation (its figures are identical; only timings differ):</p><pre>${e(cmds.join('\n\n'))}</pre><p>Check one synthetic row on its own: <code>strata ledger check-row LEDGER FILE ROW</code> redraws it from its run and compares.</p></section>`;
}

function ledgerSection(d: Dossier): string {
  const v = d.verify;
  const last = v.entries.at(-1);
  return `<section id="ledger"><h2>7. Ledger entries and verification</h2><p>Every run appends an entry to a hash-chained ledger (each entry holds the SHA-256 of the one before it, so no entry can be edited, removed, inserted or reordered unnoticed). The entries behind this dossier:</p>${table(
    'Ledger entries of this chain',
    ['#', 'run', 'command', 'time (UTC)', 'entry hash', 'signed'],
    chain(d).map((x) => [
      String(x.seq),
      `<code>${e(x.run)}</code>`,
      e(x.command),
      e(x.time.replace('T', ' ').slice(0, 19)),
      `<code>${e(short(x.hash))}</code>`,
      x.signer ? `ed25519 key ${e(keyFingerprint(x.signer.key))}` : 'no',
    ]),
  )}<h3>Verification (at the time of this dossier)</h3>${
    v.ok
      ? `<p class="ok"><b>Intact.</b> ${v.entries.length} entries; chain, head${v.signers.length ? ' and signatures' : ''} agree; ${v.files.filter((f) => f.status === 'ok').length} output files have their recorded bytes.</p>`
      : `<p class="bad"><b>Not intact:</b></p><ul>${v.problems.map((p) => `<li>${e(p.message)}</li>`).join('')}</ul>`
  }${last ? `<p>Ledger head: entry #${last.seq}, <code>${e(last.hash)}</code></p>` : ''}<p>To check again: <code>strata ledger verify ${e(d.ledgerPath.split('/').slice(-2).join('/'))}${v.signers.length ? ' --public-key KEY.pub' : ''} --head ${last ? `${last.seq}:${e(last.hash.slice(0, 16))}` : ''}</code></p></section>`;
}

export async function renderDossier(d: Dossier, o: DossierOptions = {}): Promise<string> {
  T = new Tables();
  const now = (o.now ?? new Date()).toISOString().replace('T', ' ').slice(0, 16);
  const name = d.model?.name ?? Object.keys(d.model?.tables ?? {})[0] ?? 'synthetic data';
  const title = o.title ?? `Validation dossier: synthetic “${name}”`;
  const body = [
    `<section id="summary"><h2>Summary</h2>${verdicts(d)}</section>`,
    purpose(d, o),
    fingerprint(d),
    model(d),
    await results(d),
    limitations(d),
    reproduce(d, o),
    ledgerSection(d),
  ].join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title><style>${CSS}</style></head><body><header><h1>${e(title)}</h1><p>Prepared ${e(now)} UTC by Strata ${e(d.subject.strata)} from the run ledger (run ${e(d.subject.run)})</p></header><main>${body}</main></body></html>\n`;
}
