/**
 * Why do synthetic rows move balanced multinomial naive Bayes the way they do? A diagnostic, not a
 * benchmark (`npx tsx bench/text-augment-diagnose.ts [--datasets banking77,hwu64] [--synthetic F]`).
 *
 * Same protocol as bench/text-augment.bench.ts (10 rarest intents cut to 5 rows, filled to the
 * median class size). For real only, real + offline synthetic and real + real fill (the rows the
 * cut removed), it trains TF-IDF + NB with balanced weights and prints, per rare intent summed
 * over the 10, where the class's term mass sits: on terms of its own 5 real rows, on terms of the
 * rows the cut removed (what real users of the intent also write), on terms seen in no real
 * training text (made by the operators), on hapax terms (one training text), on bigrams; and the
 * own-class margin of the rare intents' test rows. Test rows are used to diagnose only.
 */

import { trainMultinomialNB } from '../src/ml/index.js';
import { type AugmentOptions, augmentTexts } from '../src/text/augment/augment.js';
import { distinctN } from '../src/text/diversity.js';
import { words } from '../src/text/normalize.js';
import { naiveBayes } from '../src/text/prove/classifiers.js';
import { proveTexts, realOnlyBaseline } from '../src/text/prove/prove.js';
import { fitTfidf } from '../src/text/tfidf.js';
import {
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
const wanted = arg('--datasets', 'banking77,hwu64').split(',') as DatasetName[];
const extra = JSON.parse(arg('--opts', '{}')) as Partial<AugmentOptions>;
const withProve = args.includes('--prove');

function termsOf(text: string): string[] {
  const w = words(text);
  const out = [...w];
  for (let i = 0; i + 1 < w.length; i++) out.push(`${w[i]} ${w[i + 1]}`);
  return out;
}

function termSet(rows: readonly Row[]): Set<string> {
  const s = new Set<string>();
  for (const r of rows) for (const t of termsOf(r.text)) s.add(t);
  return s;
}

function analyse(
  name: string,
  train: readonly Row[],
  realTrain: readonly Row[],
  rare: readonly string[],
  own: Map<string, Set<string>>,
  held: Map<string, Set<string>>,
  test: readonly Row[],
): void {
  const labels = [...new Set(train.map((r) => r.label))].sort();
  const K = labels.length;
  const code = new Map(labels.map((l, i) => [l, i]));
  const tf = fitTfidf(train.map((r) => r.text));
  const inv = new Array<string>(tf.idf.length);
  for (const [t, j] of tf.vocabulary) inv[j] = t;
  const X = tf.transform(train.map((r) => r.text));
  const y = Int32Array.from(train, (r) => code.get(r.label)!);
  const realTerms = termSet(realTrain);
  const df = new Map<string, number>();
  for (const r of train) for (const t of new Set(termsOf(r.text))) df.set(t, (df.get(t) ?? 0) + 1);
  const m = trainMultinomialNB(X, y, K, { alpha: 0.1, classWeight: 'balanced' });
  // class mass (weighted like the model: n / (K n_c) per row)
  const counts = new Float64Array(K);
  for (const c of y) counts[c]++;
  const agg = { total: 0, own: 0, held: 0, heldNotOwn: 0, unreal: 0, hapax: 0, bigram: 0, terms: 0 };
  for (const l of rare) {
    const c = code.get(l)!;
    const w = train.length / (K * counts[c]);
    const mass = new Map<number, number>();
    for (let i = 0; i < X.rows; i++) {
      if (y[i] !== c) continue;
      for (let t = X.indptr[i]; t < X.indptr[i + 1]; t++)
        mass.set(X.indices[t], (mass.get(X.indices[t]) ?? 0) + w * X.values[t]);
    }
    const o = own.get(l)!;
    const h = held.get(l)!;
    for (const [j, v] of mass) {
      const term = inv[j];
      agg.total += v;
      if (o.has(term)) agg.own += v;
      if (h.has(term)) agg.held += v;
      if (h.has(term) && !o.has(term)) agg.heldNotOwn += v;
      if (!realTerms.has(term)) agg.unreal += v;
      if ((df.get(term) ?? 0) <= 1) agg.hapax += v;
      if (term.includes(' ')) agg.bigram += v;
    }
    agg.terms += mass.size;
  }
  // margins and recall of the rare intents' test rows
  const rareTest = test.filter((r) => rare.includes(r.label));
  const Q = tf.transform(rareTest.map((r) => r.text));
  const jll = m.jointLogLikelihood(Q);
  let hit = 0;
  let margin = 0;
  const lost = new Map<string, number>();
  rareTest.forEach((r, i) => {
    const c = code.get(r.label)!;
    let best = -1;
    let other = -Infinity;
    for (let k = 0; k < K; k++) {
      if (best < 0 || jll[i * K + k] > jll[i * K + best]) best = k;
      if (k !== c && jll[i * K + k] > other) other = jll[i * K + k];
    }
    if (best === c) hit++;
    else lost.set(labels[best], (lost.get(labels[best]) ?? 0) + 1);
    margin += jll[i * K + c] - other;
  });
  const pct = (x: number) => `${((100 * x) / agg.total).toFixed(1)}%`;
  console.log(
    `  ${name.padEnd(28)} rare recall ${(hit / rareTest.length).toFixed(3)}  mean margin ${(margin / rareTest.length).toFixed(2)}  class mass ${(agg.total / rare.length).toFixed(1)}/intent over ${(agg.terms / rare.length).toFixed(0)} terms; on own-5 terms ${pct(agg.own)}, on held-out-real terms ${pct(agg.held)} (not in own 5: ${pct(agg.heldNotOwn)}), on terms no real text has ${pct(agg.unreal)}, hapax ${pct(agg.hapax)}, bigrams ${pct(agg.bigram)}`,
  );
  const top = [...lost].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`    missed rare test rows went to: ${top.map(([k, v]) => `${k} ${v}`).join(', ')}`);
}

for (const name of wanted) {
  if (!DATASETS.includes(name)) continue;
  const data = await loadDataset(name);
  if (!data) continue;
  // the bench's cut (SNIPS has 7 intents: its 3 rarest; cutting all 7 left N = 5 and nothing to add)
  const cut = cutRare(data.train, rareCountFor(data.train));
  const N = medianClassSize(cut.rows);
  console.log(`\n== ${name} (N = ${N}, ${cut.rare.length} rare intents)`);
  const own = new Map<string, Set<string>>();
  const held = new Map<string, Set<string>>();
  for (const l of cut.rare) {
    own.set(l, termSet(cut.rows.filter((r) => r.label === l)));
    held.set(l, termSet(cut.cutAway.filter((r) => r.label === l)));
  }
  const byLabel = new Map<string, Row[]>();
  for (const r of cut.cutAway) byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), r]);
  const fill = [...byLabel.values()].flatMap((rs) => rs.slice(0, N - 5));
  const plus5 = [...byLabel.values()].flatMap((rs) => rs.slice(0, 5));
  if (args.includes('--reach-only')) {
    reachable(cut.rows, cut.rare, fill);
    continue;
  }
  const t0 = performance.now();
  const aug = await augmentTexts(cut.rows, { perLabel: N, labels: cut.rare, seed: 7, ...extra });
  const synth = aug.records.map((r) => ({ id: r.id, text: r.text, label: r.label }));
  console.log(
    `  augment ${synth.length} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s; operators (used/unattested/verified/selected): ${aug.operators.map((o) => `${o.op} ${o.used}/${o.unattested}/${o.verified}/${o.selected}`).join('; ')}`,
  );
  for (const r of aug.records.filter((_, i) => i % Math.floor(aug.records.length / 8) === 0))
    console.log(`    e.g. ${r.label}: "${r.text}" (${r.provenance.operators.map((o) => o.op).join('+')})`);
  if (withProve) {
    const t1 = performance.now();
    const baseline = realOnlyBaseline(cut.rows, data.test, { seed: 1 });
    const rep = proveTexts(cut.rows, synth, data.test, { rare: cut.rare, reps: 200, seed: 1, baseline });
    for (const r of rep.runs) {
      const c = r.comparison;
      const ci = c.rare_recall_delta.ci;
      console.log(
        `  prove ${`${r.classifier}/${r.weighting}`.padEnd(22)} rare ${c.rare_recall_real_only.value?.toFixed(3)} → ${c.rare_recall_augmented.value?.toFixed(3)} Δ ${c.rare_recall_delta.value?.toFixed(3)} [${ci?.[0].toFixed(3)}, ${ci?.[1].toFixed(3)}]  macro-F1 Δ ${c.macro_f1_delta.value?.toFixed(3)}`,
      );
    }
    console.log(`  (prove ${((performance.now() - t1) / 1000).toFixed(1)} s)`);
  }
  // bigrams of synthetic text that no real training text has, per operator
  const realBigrams = new Set([...termSet(cut.rows)].filter((t) => t.includes(' ')));
  const perOp = new Map<string, { n: number; unreal: number; bigrams: number }>();
  for (const r of aug.records) {
    const bg = termsOf(r.text).filter((t) => t.includes(' '));
    const un = bg.filter((b) => !realBigrams.has(b)).length;
    const key = r.provenance.operators.map((o) => o.op).join('+');
    const s = perOp.get(key) ?? { n: 0, unreal: 0, bigrams: 0 };
    s.n++;
    s.unreal += un;
    s.bigrams += bg.length;
    perOp.set(key, s);
  }
  console.log(
    `  synthetic bigrams no real training text has, by operator chain: ${[...perOp]
      .sort((a, b) => b[1].n - a[1].n)
      .map(([k, s]) => `${k} ${s.n} rows ${((100 * s.unreal) / Math.max(1, s.bigrams)).toFixed(0)}%`)
      .join('; ')}`,
  );
  const sameReal = data.train.filter((r) => cut.rare.includes(r.label));
  console.log(
    `  distinct-2: synthetic ${distinctN(
      synth.map((s) => s.text),
      2,
    ).toFixed(3)} (${synth.length}), real fill ${distinctN(
      fill.map((s) => s.text),
      2,
    ).toFixed(3)} (${fill.length}), real same intents ${distinctN(
      sameReal.slice(0, synth.length).map((s) => s.text),
      2,
    ).toFixed(3)}`,
  );
  for (const [v, rows] of [
    ['real only', cut.rows],
    ['+ offline synthetic', [...cut.rows, ...synth]],
    ['+ 5 more real', [...cut.rows, ...plus5]],
    ['+ real fill', [...cut.rows, ...fill]],
  ] as const)
    analyse(v, rows, cut.rows, cut.rare, own, held, data.test);
  void naiveBayes;
}

/** Where the real-fill mass that the 5 real rows lack comes from (what an offline source could reach). */
export function reachable(cutRows: readonly Row[], rare: readonly string[], fill: readonly Row[]): void {
  const labelsOf = new Map<string, Set<string>>();
  const nLabels = new Set(cutRows.map((r) => r.label)).size;
  for (const r of cutRows)
    for (const w of words(r.text)) {
      let s = labelsOf.get(w);
      if (!s) {
        s = new Set();
        labelsOf.set(w, s);
      }
      s.add(r.label);
    }
  const generic = (w: string) => (labelsOf.get(w)?.size ?? 0) >= 0.1 * nLabels;
  const corpus = termSet(cutRows);
  const cls = new Map<string, number>();
  let total = 0;
  for (const l of rare) {
    const own = termSet(cutRows.filter((r) => r.label === l));
    const ownWords = new Set([...own].filter((t) => !t.includes(' ')));
    for (const r of fill.filter((x) => x.label === l))
      for (const t of termsOf(r.text)) {
        if (own.has(t)) continue;
        const ws = t.split(' ');
        const k = !corpus.has(t)
          ? 'not in corpus'
          : ws.length === 1
            ? generic(t)
              ? 'generic word'
              : 'content word'
            : ws.every(generic)
              ? 'generic bigram'
              : ws.some((w) => ownWords.has(w) && !generic(w))
                ? 'bigram with an own content word'
                : 'other corpus bigram';
        cls.set(k, (cls.get(k) ?? 0) + 1);
        total++;
      }
  }
  console.log(
    `  real-fill term occurrences the 5 real rows lack (${total}): ${[...cls]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${((100 * v) / total).toFixed(0)}%`)
      .join(', ')}`,
  );
}
