/**
 * `text augment` + `text prove` benchmark (`npm run bench -- text`, or
 * `npx tsx bench/text-augment.bench.ts [--datasets banking77,clinc150,hwu64,snips] [--skip-llm]
 * [--skip-scale] [--skip-ablations] [--skip-oracles] [--reps 1000]`).
 *
 * Protocol per data set: the 10 rarest intents of the training split (SNIPS has 7 intents: its 3
 * rarest) keep their first 5 rows; every rare intent is filled up to the median class size of the
 * cut training set by `text augment` (offline: WordNet, EDA, recombination, induced grammars,
 * register rules; seed 7); `text prove` compares real-only with real + synthetic on the real test
 * split for TF-IDF + logistic regression and TF-IDF + naive Bayes, plain and balanced weights,
 * 95% stratified paired bootstrap CIs. SNIPS is the held-out set: nothing was tuned on it.
 * Printed beside: ablations (no selection, no recombination/grammar, no verifier), two oracles
 * (5 more *real* rows per rare intent; the rare intents filled to the same size with real rows
 * as far as the training split has them), distinct-2 and nearest-real similarity, the LLM path with
 * a deterministic fake server (recorded to a cassette, replayed), and 100k candidates timed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleIndices } from '../src/ml/index.js';
import { streamFor } from '../src/random/stream.js';
import { type AugmentOptions, type AugmentResult, augmentTexts } from '../src/text/augment/augment.js';
import { echoAnswer, type FakeAnswer, startFakeLlm } from '../src/text/augment/test-helpers.js';
import { distinctN, nearestSimilarities, quantile } from '../src/text/diversity.js';
import { embedText } from '../src/text/embed.js';
import { logisticRegression, naiveBayes } from '../src/text/prove/classifiers.js';
import { comparePredictions } from '../src/text/prove/compare.js';
import { type Baseline, type ProveReport, proveTexts, realOnlyBaseline } from '../src/text/prove/prove.js';
import { openAiProvider } from '../src/text/providers/openai.js';
import { replayProvider } from '../src/text/providers/replay.js';
import {
  type Cut,
  cutRare,
  DATASETS,
  type DatasetName,
  loadDataset,
  medianClassSize,
  type Row,
  rareCountFor,
} from './text-data.js';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const REPS = Number(arg('--reps', '1000'));
const SEED = 7;
const wanted = arg('--datasets', DATASETS.join(',')).split(',') as DatasetName[];
const HELD_OUT: DatasetName = 'snips';

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(3));
const sgn = (x: number | null | undefined, d = 3) =>
  x === null || x === undefined ? 'n/a' : `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(d)}`;
const ciText = (ci: [number, number] | undefined | null, d = 3) =>
  ci ? `[${sgn(ci[0], d)}, ${sgn(ci[1], d)}]` : '';
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function cpuTimer() {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const c = process.cpuUsage(c0);
    return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
  };
}

interface Outcome {
  dataset: string;
  variant: string;
  rep: ProveReport;
}
const outcomes: Outcome[] = [];

function printRuns(rep: ProveReport, indent = '    '): void {
  for (const r of rep.runs) {
    const c = r.comparison;
    console.log(
      `${indent}${`${r.classifier}/${r.weighting}`.padEnd(22)} rare recall ${f3(c.rare_recall_real_only.value)} → ${f3(c.rare_recall_augmented.value)}  Δ ${sgn(c.rare_recall_delta.value)} ${ciText(c.rare_recall_delta.ci)}  up ${c.rare_improved}/${c.rare_with_test}, CI>0 ${c.rare_significant}/${c.rare_with_test}  macro-F1 ${f3(c.macro_f1_real_only.value)} → ${f3(c.macro_f1_augmented.value)} Δ ${sgn(c.macro_f1_delta.value)} ${ciText(c.macro_f1_delta.ci)}`,
    );
  }
}

function prove(
  name: string,
  variant: string,
  cut: Cut,
  synth: readonly Row[],
  test: readonly Row[],
  baseline: Baseline,
  print = true,
): ProveReport {
  const t = cpuTimer();
  const rep = proveTexts(cut.rows, synth, test, { rare: cut.rare, reps: REPS, seed: 1, baseline });
  outcomes.push({ dataset: name, variant, rep });
  if (print) {
    console.log(`  [${variant}] ${synth.length} extra rows (prove ${secs(t().wall)} wall)`);
    printRuns(rep);
    console.log(`    verdict: ${rep.summary.verdict}`);
  }
  return rep;
}

function synthRows(r: AugmentResult): Row[] {
  return r.records.map((x) => ({ id: x.id, text: x.text, label: x.label }));
}

async function augment(cut: Cut, perLabel: number, extra: Partial<AugmentOptions> = {}) {
  const t = cpuTimer();
  const r = await augmentTexts(cut.rows, { perLabel, labels: cut.rare, seed: SEED, ...extra });
  return { r, time: t() };
}

/** distinct-2 of a seeded real sample the size of `n` (or all rows when fewer). */
function distinct2Sample(rows: readonly Row[], n: number, seed: number): number {
  const idx = sampleIndices(rows.length, n, seed);
  return distinctN(
    Array.from(idx, (i) => rows[i].text),
    2,
  );
}

async function benchDataset(name: DatasetName): Promise<void> {
  const data = await loadDataset(name);
  if (!data) {
    console.log(`\n== ${name}: skipped (data not found under ../shared/data)`);
    return;
  }
  const labels = new Set(data.train.map((r) => r.label));
  const rareCount = rareCountFor(data.train);
  const cut = cutRare(data.train, rareCount);
  const N = medianClassSize(cut.rows);
  console.log(
    `\n== ${name}${name === HELD_OUT ? ' (held out: not tuned on)' : ''}: ${labels.size} intents, ${rareCount} rarest cut to 5 rows; training rows ${cut.rows.length} (of ${data.train.length}); test rows ${data.test.length}; fill rare intents to N = ${N} (median class size)`,
  );
  console.log(`  rare: ${cut.rare.join(', ')}`);
  const { r: full, time } = await augment(cut, N);
  const synth = synthRows(full);
  const short = full.labels.filter((l) => l.shortfall > 0);
  const cands = full.labels.reduce((s, l) => s + l.candidates, 0);
  console.log(
    `  augment: ${synth.length} synthetic rows from ${cands} candidates in ${secs(time.wall)} wall, ${secs(time.cpu)} CPU (candidates ${secs(full.timings_ms.candidates)}, verify ${secs(full.timings_ms.verify)}, dedup ${secs(full.timings_ms.dedup)}, select ${secs(full.timings_ms.select)}); verifier rejected ${full.labels.reduce((s, l) => s + l.verifier_rejected, 0)}, dedup rejected ${full.labels.reduce((s, l) => s + l.dedup_rejected.exact + l.dedup_rejected.minhash, 0)}${short.length ? `; SHORT: ${short.map((l) => `${l.label} ${l.selected}/${l.missing}`).join(', ')}` : ''}`,
  );
  console.log(
    `  operators (used / verified / selected, mean novelty of selected): ${full.operators.map((o) => `${o.op} ${o.used}/${o.verified}/${o.selected} ${o.mean_novelty.toFixed(2)}`).join('; ')}`,
  );
  const curve = full.labels.find((l) => l.curve.length)?.curve ?? [];
  if (curve.length) {
    const at = (f: number) => curve[Math.max(0, Math.ceil(f * curve.length) - 1)];
    console.log(
      `  gain curve (${full.labels.find((l) => l.curve.length)?.label}): ${[0.05, 0.1, 0.25, 0.5, 1].map((f) => `${at(f).kept} kept → coverage ${at(f).coverage.toFixed(2)}, distance ${at(f).distance.toFixed(2)}`).join('; ')}`,
    );
  }
  for (const r of full.records
    .filter((_, i) => i % Math.max(1, Math.floor(full.records.length / 6)) === 0)
    .slice(0, 6))
    console.log(`    e.g. ${r.label}: "${r.text}" (${r.provenance.operators.map((o) => o.op).join('+')})`);
  // diversity and leakage
  const sameLabelReal = data.train.filter((r) => cut.rare.includes(r.label));
  // distinct-n falls with the number of texts: compare at the same size
  const m = Math.min(synth.length, sameLabelReal.length);
  const d2s = distinct2Sample(synth, m, 2);
  const d2same = distinct2Sample(sameLabelReal, m, 1);
  const d2sAll = distinctN(
    synth.map((x) => x.text),
    2,
  );
  const d2audit = distinct2Sample(cut.rows, synth.length, 1);
  const realVecs = cut.rows.map((r) => embedText(r.text));
  const near = nearestSimilarities(
    synth.map((s) => embedText(s.text)),
    realVecs,
  );
  console.log(
    `  distinct-2 at equal size (${m} texts): synthetic ${d2s.toFixed(3)} vs real texts of the same intents (uncut training split) ${d2same.toFixed(3)}: gap ${sgn(d2s - d2same)} (target |gap| ≤ 0.1: ${Math.abs(d2s - d2same) <= 0.1 ? 'met' : 'NOT met'}); all ${synth.length} synthetic ${d2sAll.toFixed(3)} vs a same-size sample of all real training texts ${d2audit.toFixed(3)} (the audit's distinct_2_real)`,
  );
  console.log(
    `  nearest-real similarity (cosine, char 3–5-grams, vs the cut training set): p50 ${quantile(near, 0.5).toFixed(3)}, p95 ${quantile(near, 0.95).toFixed(3)} (target < 0.95: ${quantile(near, 0.95) < 0.95 ? 'met' : 'NOT met'}), max ${quantile(near, 1).toFixed(3)}`,
  );
  const t = cpuTimer();
  const baseline = realOnlyBaseline(cut.rows, data.test, { seed: 1 });
  console.log(`  real-only baselines trained in ${secs(t().wall)} wall`);
  prove(name, 'offline augment', cut, synth, data.test, baseline);
  if (name !== HELD_OUT && !args.includes('--skip-ablations')) {
    const abl: [string, Partial<AugmentOptions>][] = [
      ['without selection (random subset)', { selection: 'random' }],
      [
        'without recombination (no recombine, no grammar)',
        { recipe: { structural: { recombine: 0, grammar: 0, none: 1 } } },
      ],
      ['without the verifier', { verify: false }],
    ];
    for (const [label, o] of abl) {
      const { r } = await augment(cut, N, o);
      const s = synthRows(r);
      console.log(
        `  ablation ${label}: distinct-2 ${distinctN(
          s.map((x) => x.text),
          2,
        ).toFixed(3)}`,
      );
      prove(name, `ablation: ${label}`, cut, s, data.test, baseline);
    }
  }
  // oracles: real rows the cut removed (never test rows); they do not depend on the augment code
  if (args.includes('--skip-oracles')) return;
  const byLabel = new Map<string, Row[]>();
  for (const r of cut.cutAway) byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), r]);
  const plus5 = [...byLabel.values()].flatMap((rs) => rs.slice(0, 5));
  prove(name, 'oracle: 5 more REAL rows per rare intent', cut, plus5, data.test, baseline);
  const fill = [...byLabel.values()].flatMap((rs) => rs.slice(0, N - 5));
  prove(
    name,
    `oracle: rare intents filled with REAL rows (up to N, ${fill.length} rows)`,
    cut,
    fill,
    data.test,
    baseline,
  );
}

/** A fake "LLM" that answers with real training rows the cut removed (a simulation, not a model). */
function heldOutAnswer(pool: Map<string, Row[]>): FakeAnswer {
  return (label, seed) => {
    const rows = pool.get(label.replace(/ /g, '_')) ?? [];
    if (!rows.length) return '';
    const s = streamFor(seed, 'fake-llm');
    return Array.from({ length: 10 }, () => rows[s.nextInt(rows.length)].text).join('\n');
  };
}

async function benchLlm(): Promise<void> {
  const data = await loadDataset('banking77');
  if (!data) return;
  console.log(
    '\n== LLM path (Banking77, same protocol): deterministic fake OpenAI-compatible server on 127.0.0.1',
  );
  const cut = cutRare(data.train, 10);
  const N = medianClassSize(cut.rows);
  const pool = new Map<string, Row[]>();
  for (const r of cut.cutAway) pool.set(r.label, [...(pool.get(r.label) ?? []), r]);
  const dir = mkdtempSync(join(tmpdir(), 'strata-llm-'));
  const labels = [...new Set(cut.rows.map((r) => r.label))].sort();
  const code = new Map(labels.map((l, i) => [l, i]));
  const testRows = data.test.filter((t) => code.has(t.label));
  const y = Int32Array.from(testRows, (t) => code.get(t.label)!);
  const texts = testRows.map((t) => t.text);
  const offline = synthRows((await augment(cut, N)).r);
  try {
    for (const [kind, answer, what] of [
      ['echo', echoAnswer, 'rotates the words of the prompt examples (a weak model)'],
      [
        'held-out',
        heldOutAnswer(pool),
        'answers with real training rows the cut removed (simulates a model that writes like real users; NOT a real model)',
      ],
    ] as const) {
      const server = await startFakeLlm(answer);
      const cassette = join(dir, `${kind}.jsonl`);
      const inner = openAiProvider({ baseUrl: server.baseUrl, model: `fake-${kind}`, seed: SEED });
      const rec = replayProvider(cassette, 'record', inner);
      const t = cpuTimer();
      const withLlm = await augment(cut, N, { llm: { provider: rec } });
      await rec.save();
      await server.close();
      // replay without the server: same output
      const rep = replayProvider(cassette, 'replay', { name: inner.name, model: inner.model });
      const replayed = await augment(cut, N, { llm: { provider: rep } });
      const same = JSON.stringify(replayed.r.records) === JSON.stringify(withLlm.r.records);
      const s = synthRows(withLlm.r);
      const llmKept = withLlm.r.records.filter((r) => r.provenance.provider !== 'augment').length;
      console.log(
        `  [${kind}] fake server ${what}: ${server.requests} requests recorded (${secs(t().wall)}); replay without the server gives identical output: ${same}; LLM texts among the ${s.length} selected: ${llmKept} (of ${withLlm.r.labels.reduce((a, l) => a + l.llm_candidates, 0)} LLM candidates)`,
      );
      for (const clf of [logisticRegression, naiveBayes])
        for (const w of ['plain', 'balanced'] as const) {
          const a = clf.fitPredict([...cut.rows, ...offline], texts, labels, { weighting: w, seed: 1 });
          const b = clf.fitPredict([...cut.rows, ...s], texts, labels, { weighting: w, seed: 1 });
          const c = comparePredictions(y, a, b, labels, new Set(cut.rare), { reps: REPS, seed: 1 });
          const adds = (c.rare_recall_delta.ci?.[0] ?? 0) > 0;
          const hurts = (c.rare_recall_delta.ci?.[1] ?? 0) < 0;
          console.log(
            `    ${`${clf.name}/${w}`.padEnd(22)} offline → offline+LLM: rare recall ${f3(c.rare_recall_real_only.value)} → ${f3(c.rare_recall_augmented.value)} Δ ${sgn(c.rare_recall_delta.value)} ${ciText(c.rare_recall_delta.ci)}; macro-F1 Δ ${sgn(c.macro_f1_delta.value)} — ${adds ? 'the LLM path ADDS to the offline path' : hurts ? 'the LLM path makes it WORSE' : 'the LLM path does NOT add measurably'}`,
          );
        }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchScale(): Promise<void> {
  const data = await loadDataset('banking77');
  if (!data) return;
  const cut = cutRare(data.train, 10);
  console.log(
    '\n== scale: 100,000 candidates (Banking77, 10 rare intents × 1,000 missing rows × oversample 10): diversify, verify, dedup, select',
  );
  const t = cpuTimer();
  const r = await augmentTexts(cut.rows, {
    perLabel: 1005,
    labels: cut.rare,
    seed: SEED,
    oversample: 10,
    maxRounds: 1,
  });
  const tm = t();
  const cands = r.labels.reduce((s, l) => s + l.candidates, 0);
  console.log(
    `  ${cands.toLocaleString()} candidates → ${r.records.length.toLocaleString()} selected in ${secs(tm.wall)} wall, ${secs(tm.cpu)} CPU of this process (one thread); stages (wall): candidates ${secs(r.timings_ms.candidates)}, verify ${secs(r.timings_ms.verify)}, dedup ${secs(r.timings_ms.dedup)}, select ${secs(r.timings_ms.select)}; load average ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores`,
  );
}

function targets(): void {
  console.log('\n== targets');
  const main = outcomes.filter((o) => o.variant === 'offline augment');
  for (const o of main) {
    const runs = o.rep.runs;
    const ok = runs.filter((r) => (r.comparison.rare_recall_delta.ci?.[0] ?? 0) > 0).length;
    const worstF1 = Math.min(...runs.map((r) => r.comparison.macro_f1_delta.value ?? 0));
    console.log(
      `  ${o.dataset.padEnd(10)} rare-recall CI above 0 in ${ok}/${runs.length} runs; worst macro-F1 change ${sgn(worstF1)} (target ≥ −0.010: ${worstF1 >= -0.01 ? 'met' : 'NOT met'}); summary (logreg/balanced): rare_recall_delta ${sgn(o.rep.summary.rare_recall_delta)} ${ciText(o.rep.summary.rare_recall_delta_ci)}, macro_f1_delta ${sgn(o.rep.summary.macro_f1_delta)}`,
    );
  }
}

const total = cpuTimer();
for (const d of wanted) await benchDataset(d);
if (!args.includes('--skip-llm')) await benchLlm();
if (!args.includes('--skip-scale')) await benchScale();
targets();
console.log(`\ntotal ${secs(total().wall)} wall, ${secs(total().cpu)} CPU`);
