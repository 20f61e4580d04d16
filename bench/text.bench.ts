/**
 * Text benchmarks (`npx tsx bench/text.bench.ts [--n 1000000] [--skip-dedup] [--skip-banking]`):
 * (a) dedup speed: N short texts through exact + MinHash-LSH, beside an exact-only baseline in
 *     the same run, with peak RSS;
 * (b) Banking77: cut the 10 rarest intents to 5 training examples each, generate synthetic samples
 *     for them with the template provider (templates written from intent names, examples/text/),
 *     and run the audit's downstream test real-only vs real + synthetic on the real test split.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { streamFor } from '../src/random/stream.js';
import { auditTexts } from '../src/text/audit.js';
import { createDedupFunnel } from '../src/text/dedup/funnel.js';
import { downstreamTest } from '../src/text/downstream.js';
import { runTextPipeline } from '../src/text/pipeline.js';
import { buildPlan } from '../src/text/plan.js';
import { loadTemplateSet } from '../src/text/plan-load.js';
import { PlanSpec } from '../src/text/plan-schema.js';
import { templateProvider } from '../src/text/providers/template.js';
import { readTextRows } from '../src/text/records.js';
import { fmtFigure } from '../src/text/report.js';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
sampler.unref();

function shortTexts(n: number): string[] {
  const vocab = Array.from({ length: 5000 }, (_, i) => {
    const s = streamFor(1, 'vocab', i);
    let w = '';
    for (let k = 0, len = 3 + s.nextInt(6); k < len; k++) w += String.fromCharCode(97 + s.nextInt(26));
    return w;
  });
  const st = streamFor(1, 'texts');
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (i > 10 && st.nextFloat() < 0.1) {
      // a near-duplicate of an earlier text: one word replaced
      const w = out[st.nextInt(i)].split(' ');
      w[st.nextInt(w.length)] = vocab[st.nextInt(vocab.length)];
      out[i] = w.join(' ');
    } else {
      const len = 6 + st.nextInt(6);
      const w: string[] = [];
      for (let k = 0; k < len; k++) w.push(vocab[st.nextInt(vocab.length)]);
      out[i] = w.join(' ');
    }
  }
  return out;
}

async function benchDedup(n: number): Promise<void> {
  console.log(`\n(a) dedup speed: ${n.toLocaleString()} short texts (10% one-word-edited near-duplicates)`);
  const t0 = performance.now();
  const texts = shortTexts(n);
  console.log(
    `  corpus built in ${((performance.now() - t0) / 1000).toFixed(1)} s, mean length ${(texts.reduce((s, t) => s + t.length, 0) / n).toFixed(0)} chars`,
  );
  for (const [name, minhash] of [
    ['baseline exact-only (normalise + xxhash64)', null],
    ['exact + MinHash-LSH (64 perms, char 5-shingles, J ≥ 0.7)', 0.7],
  ] as const) {
    globalThis.gc?.();
    peak = process.memoryUsage().rss;
    const f = await createDedupFunnel({
      scope: 'global',
      minhashThreshold: minhash,
      embeddingThreshold: null,
    });
    const t = performance.now();
    for (let i = 0; i < n; i++) f.add({ id: String(i), text: texts[i] });
    const secs = (performance.now() - t) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    const s = f.stats;
    console.log(
      `  ${name}: ${secs.toFixed(1)} s (${Math.round(n / secs).toLocaleString()} texts/s), kept ${s.accepted.toLocaleString()}, rejected exact ${s.rejected.exact.toLocaleString()}, minhash ${s.rejected.minhash.toLocaleString()}${s.bands ? ` (${s.bands}×${s.rows} bands×rows)` : ''}; peak RSS ${mb(peak)}`,
    );
  }
}

async function benchBanking(): Promise<void> {
  const dir = resolve(import.meta.dirname, '../../shared/data/banking77');
  if (!existsSync(resolve(dir, 'train.csv'))) {
    console.log('\n(b) Banking77: skipped (no ../shared/data/banking77)');
    return;
  }
  console.log('\n(b) Banking77: 10 rarest intents cut to 5 training examples each');
  const train = await readTextRows(resolve(dir, 'train.csv'), 'text', 'category');
  const test = await readTextRows(resolve(dir, 'test.csv'), 'text', 'category');
  const counts = new Map<string, number>();
  for (const r of train) counts.set(r.label!, (counts.get(r.label!) ?? 0) + 1);
  const rare = [...counts.entries()]
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10)
    .map(([l]) => l);
  const kept = new Map<string, number>();
  const cut = train.filter((r) => {
    if (!rare.includes(r.label!)) return true;
    const k = kept.get(r.label!) ?? 0;
    kept.set(r.label!, k + 1);
    return k < 5; // the first 5 in file order
  });
  console.log(`  rare intents: ${rare.join(', ')}`);
  console.log(
    `  real training rows after the cut: ${cut.length} (of ${train.length}); test rows: ${test.length}`,
  );
  const planPath = resolve(import.meta.dirname, '../examples/text/banking77.plan.yaml');
  const spec = PlanSpec.parse({
    name: 'banking77-rare',
    seed: 7,
    axes: { intent: rare },
    personas: { axis: 'persona', seeds: ['student', 'retiree', 'small business owner'] },
    min_per_cell: 20,
    provider: { type: 'template', templates: 'banking77.templates.yaml' },
    diversify: [
      { op: 'paraphrase', p: 0.5 },
      { op: 'concretise', p: 0.3 },
      { op: 'typo', p: 0.2, params: { rate: 0.02 } },
    ],
    dedup: { scope: 'global', minhash_threshold: 0.8, embedding_threshold: 0.95 },
    generation: { batch: 8, max_batches: 60, temperature: 0.8 },
    echo: { novelty_threshold: 0.02, patience: 20 },
  });
  const plan = buildPlan(spec);
  const t0 = performance.now();
  const provider = templateProvider(loadTemplateSet(spec, planPath));
  const gen = await runTextPipeline(plan, spec, provider, {
    real: cut.map((r) => ({ id: `real:${r.id}`, text: r.text })),
  });
  console.log(
    `  generated ${gen.records.length} synthetic texts (${plan.cells.length} cells × quota 20, shortfall ${gen.shortfall.length}) in ${((performance.now() - t0) / 1000).toFixed(1)} s; dedup rejected ${gen.dedup_rejections.length}`,
  );
  const t1 = performance.now();
  const rep = await auditTexts(
    {
      real: cut.map((r) => ({ text: r.text, label: r.label })),
      synthetic: gen.records.map((r) => ({ text: r.text, label: r.cell.intent })),
      test: test.map((r) => ({ text: r.text, label: r.label })),
    },
    { seed: 1, reps: 200, sample: 1500, vendiSample: 500 },
  );
  console.log(`  audit in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  for (const [k, v] of Object.entries(rep.metrics))
    if (!k.includes('cells')) console.log(`  ${k.padEnd(28)} ${fmtFigure(v)}`);
  if (!('classes' in rep.downstream)) return;
  const d = rep.downstream;
  console.log(
    `  macro-F1 real-only ${fmtFigure(d.macro_f1_real_only)}   real+synthetic ${fmtFigure(d.macro_f1_augmented)}`,
  );
  console.log(
    `  accuracy real-only ${fmtFigure(d.accuracy_real_only)}   real+synthetic ${fmtFigure(d.accuracy_augmented)}`,
  );
  console.log('  per-intent recall on the real test split (95% bootstrap CI), rare intents:');
  console.log(`  ${'intent'.padEnd(30)} real synth  real-only            +synthetic           change`);
  let up = 0;
  let sum0 = 0;
  let sum1 = 0;
  for (const c of d.classes.filter((x) => rare.includes(x.label))) {
    console.log(
      `  ${c.label.padEnd(30)} ${String(c.train_real).padStart(4)} ${String(c.train_synthetic).padStart(5)}  ${fmtFigure(c.recall_real_only, 2).padEnd(19)}  ${fmtFigure(c.recall_augmented, 2).padEnd(19)}  ${fmtFigure(c.recall_change, 2)}`,
    );
    if ((c.recall_change.ci?.[0] ?? 0) > 0) up++;
    sum0 += c.recall_real_only.value ?? 0;
    sum1 += c.recall_augmented.value ?? 0;
  }
  console.log(
    `  mean recall over the 10 rare intents: real-only ${(sum0 / 10).toFixed(3)} → real+synthetic ${(sum1 / 10).toFixed(3)}; intents whose change CI is above 0: ${up}/10`,
  );
  console.log('  largest confusion changes:');
  for (const c of d.confusion_changes.slice(0, 5))
    console.log(`    ${c.true} → ${c.predicted}: ${c.real_only} → ${c.augmented}`);

  // The same test with balanced class weights: a stronger real-only baseline for rare classes.
  const t2 = performance.now();
  const b = downstreamTest(
    cut.map((r) => ({ text: r.text, label: r.label! })),
    gen.records.map((r) => ({ text: r.text, label: r.cell.intent })),
    test.map((r) => ({ text: r.text, label: r.label! })),
    { seed: 1, reps: 200, classWeight: 'balanced' },
  );
  console.log(`\n  with class_weight=balanced (${((performance.now() - t2) / 1000).toFixed(1)} s):`);
  console.log(
    `  macro-F1 real-only ${fmtFigure(b.macro_f1_real_only)}   real+synthetic ${fmtFigure(b.macro_f1_augmented)}`,
  );
  let s0 = 0;
  let s1 = 0;
  let upB = 0;
  for (const c of b.classes.filter((x) => rare.includes(x.label))) {
    console.log(
      `  ${c.label.padEnd(30)} ${fmtFigure(c.recall_real_only, 2).padEnd(19)}  ${fmtFigure(c.recall_augmented, 2).padEnd(19)}  ${fmtFigure(c.recall_change, 2)}`,
    );
    s0 += c.recall_real_only.value ?? 0;
    s1 += c.recall_augmented.value ?? 0;
    if ((c.recall_change.ci?.[0] ?? 0) > 0) upB++;
  }
  console.log(
    `  mean rare-intent recall: real-only ${(s0 / 10).toFixed(3)} → real+synthetic ${(s1 / 10).toFixed(3)}; change CI above 0: ${upB}/10`,
  );
}

const n = Number(arg('--n', '1000000'));
if (!args.includes('--skip-dedup')) await benchDedup(n);
if (!args.includes('--skip-banking')) await benchBanking();
console.log(`\npeak RSS over the run: ${mb(Math.max(peak, process.memoryUsage().rss))}`);
