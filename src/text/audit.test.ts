import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import { auditTexts, TEXT_SUMMARY_KEYS } from './audit.js';
import { compressionRatio, distinctN, knnCoverageDensity, selfSimilarity, vendiScore } from './diversity.js';
import { downstreamTest } from './downstream.js';
import { embedText } from './embed.js';
import { buildPlan } from './plan.js';
import { PlanSpec } from './plan-schema.js';
import { fitTfidf } from './tfidf.js';

const TOPICS: Record<string, string[]> = {
  lost: ['lost', 'stolen', 'missing', 'misplaced', 'card', 'wallet', 'thief', 'bus'],
  fees: ['fee', 'charge', 'commission', 'cost', 'price', 'expensive', 'monthly', 'withdrawal'],
  limit: ['limit', 'maximum', 'top', 'up', 'cap', 'daily', 'increase', 'amount'],
  pin: ['pin', 'code', 'blocked', 'forgot', 'reset', 'digits', 'change', 'number'],
};
const FILLER = [
  'i',
  'my',
  'the',
  'please',
  'help',
  'what',
  'is',
  'how',
  'can',
  'do',
  'with',
  'about',
  'need',
  'bank',
];

function sentence(label: string, st: ReturnType<typeof streamFor>): string {
  const w: string[] = [];
  for (let i = 0; i < 8; i++)
    w.push(st.nextFloat() < 0.45 ? TOPICS[label][st.nextInt(8)] : FILLER[st.nextInt(FILLER.length)]);
  return w.join(' ');
}

function corpus(counts: Record<string, number>, seed: number) {
  const st = streamFor(seed, 'c');
  const out: { text: string; label: string }[] = [];
  for (const [label, n] of Object.entries(counts))
    for (let i = 0; i < n; i++) out.push({ text: sentence(label, st), label });
  return out;
}

describe('diversity figures', () => {
  it('distinct-n and compression by hand', () => {
    expect(distinctN(['a b c', 'a b d'], 2)).toBe(3 / 4);
    expect(distinctN(['a a a a'], 1)).toBe(1 / 4);
    expect(compressionRatio(Array(200).fill('same text again'))).toBeGreaterThan(
      compressionRatio(corpus({ lost: 200 }, 1).map((r) => r.text)),
    );
  });

  it('Vendi is 1 for identical items and n for orthogonal ones', () => {
    const same = Array.from({ length: 6 }, () => embedText('hello world'));
    expect(vendiScore(same)).toBeCloseTo(1, 6);
    const ortho = ['aaaa', 'bbbb', 'cccc', 'dddd'].map((t) => embedText(t));
    expect(vendiScore(ortho)).toBeCloseTo(4, 1);
    expect(selfSimilarity(same)).toBeCloseTo(1, 9);
  });

  it('kNN coverage: a copy covers everything, an unrelated set nothing', () => {
    const real = corpus({ lost: 30, fees: 30 }, 2).map((r) => embedText(r.text));
    expect(knnCoverageDensity(real, real, 5).coverage).toBe(1);
    const far = Array.from({ length: 30 }, (_, i) => embedText(`zzqx${i} vvkj${i} wwpy${i}`));
    expect(knnCoverageDensity(real, far, 5).coverage).toBe(0);
  });
});

describe('tf-idf', () => {
  it('builds L2-normalised CSR rows over 1-2 grams', () => {
    const tf = fitTfidf(['the card', 'the fee']);
    expect([...tf.vocabulary.keys()]).toEqual(['card', 'fee', 'the', 'the card', 'the fee']);
    const X = tf.transform(['the card card', 'unknown']);
    expect(X.rows).toBe(2);
    let norm = 0;
    for (let k = X.indptr[0]; k < X.indptr[1]; k++) norm += X.values[k] ** 2;
    expect(norm).toBeCloseTo(1, 9);
    expect(X.indptr[2] - X.indptr[1]).toBe(0);
  });
});

describe('downstream test', () => {
  it('synthetic samples for a starved class raise its recall, with CIs', () => {
    const train = corpus({ lost: 80, fees: 80, limit: 80, pin: 2 }, 3);
    const test = corpus({ lost: 30, fees: 30, limit: 30, pin: 30 }, 4);
    const synth = corpus({ pin: 60 }, 5);
    const r = downstreamTest(train, synth, test, { seed: 1, reps: 100 });
    expect(r.classes[0].label).toBe('pin'); // rare first
    const pin = r.classes[0];
    expect(pin.train_real).toBe(2);
    expect(pin.train_synthetic).toBe(60);
    expect(pin.recall_augmented.value!).toBeGreaterThan(pin.recall_real_only.value! + 0.2);
    expect(pin.recall_change.ci![0]).toBeGreaterThan(0);
    expect(pin.recall_real_only.ci![0]).toBeLessThanOrEqual(pin.recall_real_only.value!);
    expect(r.confusion_changes.some((c) => c.true === 'pin')).toBe(true);
    expect(r.synthetic_used).toBe(60);
  });
});

describe('auditTexts', () => {
  it('summary keys are exactly the stable list, each figure has a value or a reason', async () => {
    const real = corpus({ lost: 40, fees: 40, limit: 40, pin: 5 }, 6);
    const synth = corpus({ pin: 30 }, 7).map((r) => ({ ...r, cell: `intent=${r.label}` }));
    synth.push({ ...real[0], cell: 'intent=lost' }); // a leaked copy
    const plan = buildPlan(PlanSpec.parse({ axes: { intent: ['lost', 'pin'] }, min_per_cell: 20 }));
    const rep = await auditTexts({ real, synthetic: synth, plan }, { seed: 2, reps: 50 });
    expect(Object.keys(rep.summary)).toEqual([...TEXT_SUMMARY_KEYS]);
    expect(rep.schema_version).toBe(1);
    expect(rep.summary.cells_total).toBe(2);
    expect(rep.summary.cells_filled).toBe(1); // pin has 30 ≥ 20, lost has 1 < 20
    expect(rep.summary.nearest_real_similarity_p95).toBeGreaterThan(0.3);
    expect(rep.summary.knn_coverage).toBeGreaterThan(0);
    for (const key of TEXT_SUMMARY_KEYS) {
      const m = rep.metrics[key];
      expect(m.value !== null || typeof m.reason === 'string').toBe(true);
    }
    expect('classes' in rep.downstream).toBe(true);
    const empty = await auditTexts({ real, synthetic: [] }, { downstream: false });
    expect(Object.keys(empty.summary)).toEqual([...TEXT_SUMMARY_KEYS]);
    expect(empty.metrics.vendi).toEqual({ value: null, reason: 'no synthetic rows' });
    expect(empty.summary.cells_filled).toBe(0);
  });

  it('near-duplicate share counts the echo', async () => {
    const real = corpus({ lost: 20, fees: 20 }, 8);
    const echo = Array.from({ length: 20 }, (_, i) => ({
      text: `I lost my card on the bus please help${i % 2 ? '!' : ''}`,
      label: 'lost',
    }));
    const rep = await auditTexts({ real, synthetic: echo }, { downstream: false });
    expect(rep.summary.near_duplicate_share).toBeCloseTo(19 / 20, 9);
    expect(rep.summary.vendi!).toBeLessThan(1.5);
  });
});
