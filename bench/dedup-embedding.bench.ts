/**
 * What the dedup funnel's embedding stage costs and what it catches
 * (`npx tsx bench/dedup-embedding.bench.ts [--n 5000] [--reps 1]`; the figures in docs/text.md are
 * `--n 5000 --reps 3` and `--n 10000`; the embedding run is quadratic up to its 5,000-text window).
 *
 * Corpus: short texts (6–17 words from a 5,000-word vocabulary), 30% of them near-duplicates of an
 * earlier original — one word swapped, one appended, a typo (two letters swapped), or case and
 * punctuation only — so every true duplicate pair is known. Each configuration runs the same
 * corpus through the funnel (global scope); a rejection is correct when its neighbour shares the
 * text's original. Timings are medians of `--reps` runs, beside the MinHash-only run of the same
 * process, so the ratio holds when the machine is busy.
 */
import { streamFor } from '../src/random/stream.js';
import { createDedupFunnel, type FunnelOptions } from '../src/text/dedup/funnel.js';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const n = Number(arg('--n', '5000'));
const reps = Number(arg('--reps', '1'));

const VOCAB = Array.from({ length: 5000 }, (_, i) => {
  const s = streamFor(1, 'vocab', i);
  let w = '';
  for (let k = 0, len = 3 + s.nextInt(6); k < len; k++) w += String.fromCharCode(97 + s.nextInt(26));
  return w;
});

function corpus(size: number): { id: string; text: string; origin: number; kind: string }[] {
  const s = streamFor(7, 'corpus');
  const orig = Math.round(size * 0.7);
  const out: { id: string; text: string; origin: number; kind: string }[] = [];
  for (let i = 0; i < orig; i++) {
    const w = Array.from({ length: 6 + s.nextInt(12) }, () => VOCAB[s.nextInt(VOCAB.length)]);
    out.push({ id: `o${i}`, text: w.join(' '), origin: i, kind: 'original' });
  }
  const kinds = ['swap', 'append', 'typo', 'case'];
  for (let j = 0; j < size - orig; j++) {
    const src = out[s.nextInt(orig)];
    const w = src.text.split(' ');
    const kind = kinds[s.nextInt(4)];
    if (kind === 'swap') w[s.nextInt(w.length)] = VOCAB[s.nextInt(VOCAB.length)];
    else if (kind === 'append') w.push(VOCAB[s.nextInt(VOCAB.length)]);
    else if (kind === 'typo') {
      const k = s.nextInt(w.length);
      if (w[k].length > 2) w[k] = w[k][1] + w[k][0] + w[k].slice(2);
    }
    const text = kind === 'case' ? `${w.join(' ').toUpperCase()}!!` : w.join(' ');
    out.push({ id: `d${j}`, text, origin: src.origin, kind });
  }
  const order = out.map((_, i) => i);
  const sh = streamFor(7, 'shuffle');
  for (let i = order.length - 1; i > 0; i--) {
    const k = sh.nextInt(i + 1);
    [order[i], order[k]] = [order[k], order[i]];
  }
  return order.map((i) => out[i]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(texts: ReturnType<typeof corpus>, o: FunnelOptions) {
  const times: number[] = [];
  let result = { rejected: 0, correct: 0, byStage: { exact: 0, minhash: 0, embedding: 0 } };
  for (let r = 0; r < reps; r++) {
    const f = await createDedupFunnel({ scope: 'global', ...o });
    const origin = new Map(texts.map((t) => [t.id, t.origin]));
    const t0 = performance.now();
    let rejected = 0;
    let correct = 0;
    for (const t of texts) {
      const rej = f.add({ id: t.id, text: t.text });
      if (rej) {
        rejected++;
        if (origin.get(rej.neighbour_id) === t.origin) correct++;
      }
    }
    times.push(performance.now() - t0);
    result = { rejected, correct, byStage: { ...f.stats.rejected } };
  }
  return { ms: median(times), ...result };
}

const texts = corpus(n);
// Every text after the first of its origin group is a duplicate to find.
const seenOrigin = new Set<number>();
let dupes = 0;
for (const t of texts) {
  if (seenOrigin.has(t.origin)) dupes++;
  else seenOrigin.add(t.origin);
}
console.log(
  `${n.toLocaleString()} texts, ${dupes.toLocaleString()} true duplicates; medians of ${reps} runs`,
);
const configs: [string, FunnelOptions][] = [
  ['exact + MinHash (J >= 0.7), no embedding', { minhashThreshold: 0.7, embeddingThreshold: null }],
  [
    'exact + MinHash + embedding (cos >= 0.9, the old default)',
    { minhashThreshold: 0.7, embeddingThreshold: 0.9 },
  ],
];
let baseMs = 0;
for (const [name, o] of configs) {
  const r = await measure(texts, o);
  baseMs ||= r.ms;
  const precision = r.rejected ? r.correct / r.rejected : 1;
  const recall = r.correct / dupes;
  console.log(
    `${name}: ${(r.ms / 1000).toFixed(2)} s (${(r.ms / baseMs).toFixed(1)}× MinHash-only), rejected ${r.rejected} (exact ${r.byStage.exact}, minhash ${r.byStage.minhash}, embedding ${r.byStage.embedding}); precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
  );
}
