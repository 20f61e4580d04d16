import { describe, expect, it } from 'vitest';
import { streamFor } from '../../random/stream.js';
import { cosine, embedText } from '../embed.js';
import { calibrateThreshold } from './calibrate.js';
import { createDedupFunnel, dedupTexts } from './funnel.js';
import { candidateProbability, createMinHasher, estimateJaccard, optimalBands } from './minhash.js';

const VOCAB = Array.from({ length: 400 }, (_, i) => {
  const s = streamFor(9, 'vocab', i);
  const len = 3 + s.nextInt(6);
  let w = '';
  for (let k = 0; k < len; k++) w += String.fromCharCode(97 + s.nextInt(26));
  return w;
});

/** A corpus where 30% of rows are near-duplicates of an earlier original (known pairs). */
function corpus(n: number, seed: number) {
  const s = streamFor(seed, 'corpus');
  const texts: { id: string; text: string; origin: number }[] = [];
  const nOrig = Math.round(n * 0.7);
  for (let i = 0; i < nOrig; i++) {
    const len = 10 + s.nextInt(8);
    const w = Array.from({ length: len }, () => VOCAB[s.nextInt(VOCAB.length)]);
    texts.push({ id: `o${i}`, text: w.join(' '), origin: i });
  }
  for (let j = 0; j < n - nOrig; j++) {
    const src = texts[s.nextInt(nOrig)];
    const w = src.text.split(' ');
    const kind = s.nextInt(4);
    if (kind === 0)
      w[s.nextInt(w.length)] = VOCAB[s.nextInt(VOCAB.length)]; // one word swapped
    else if (kind === 1)
      w.push(VOCAB[s.nextInt(VOCAB.length)]); // a word appended
    else if (kind === 2) {
      const k = s.nextInt(w.length); // a typo
      const x = w[k];
      if (x.length > 2) w[k] = x[1] + x[0] + x.slice(2);
    }
    let t = w.join(' ');
    if (kind === 3) t = `${t.toUpperCase()}!!`; // case and punctuation only
    texts.push({ id: `d${j}`, text: t, origin: src.origin });
  }
  // interleave deterministically so duplicates are not all at the end
  const order = texts.map((_, i) => i);
  const sh = streamFor(seed, 'shuffle');
  for (let i = order.length - 1; i > 0; i--) {
    const k = sh.nextInt(i + 1);
    [order[i], order[k]] = [order[k], order[i]];
  }
  return order.map((i) => texts[i]);
}

describe('minhash', () => {
  it('estimates Jaccard of char shingles within a few points', () => {
    const h = createMinHasher({ numPerm: 256, k: 3 });
    const a = 'the quick brown fox jumps over the lazy dog';
    const b = 'the quick brown fox jumped over a lazy dog';
    const sh = (t: string) => {
      const set = new Set<string>();
      for (let i = 0; i + 3 <= t.length; i++) set.add(t.slice(i, i + 3));
      return set;
    };
    const A = sh(a);
    const B = sh(b);
    const inter = [...A].filter((x) => B.has(x)).length;
    const truth = inter / (A.size + B.size - inter);
    const est = estimateJaccard(h.signature(a), 0, h.signature(b), 0, 256);
    expect(Math.abs(est - truth)).toBeLessThan(0.08);
  });

  it('chooses bands whose S-curve rises around the threshold', () => {
    for (const t of [0.5, 0.7, 0.9]) {
      const { bands, rows } = optimalBands(t, 64);
      expect(bands * rows).toBeLessThanOrEqual(64);
      expect(candidateProbability(Math.min(1, t + 0.1), bands, rows)).toBeGreaterThan(0.5);
      expect(candidateProbability(Math.max(0, t - 0.3), bands, rows)).toBeLessThan(0.5);
    }
    // a higher threshold needs more rows per band
    expect(optimalBands(0.9, 64).rows).toBeGreaterThan(optimalBands(0.5, 64).rows);
  });
});

describe('dedup funnel', () => {
  it('removes 30% seeded near-duplicates with precision >= 0.95 and names every neighbour', async () => {
    const rows = corpus(2000, 5);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const { kept, rejections, stats } = await dedupTexts(rows, { scope: 'global', minhashThreshold: 0.6 });
    let correct = 0;
    for (const r of rejections) {
      expect(byId.has(r.neighbour_id)).toBe(true);
      expect(r.neighbour_id).not.toBe(r.id);
      expect(r.similarity).toBeGreaterThan(0);
      if (byId.get(r.id)!.origin === byId.get(r.neighbour_id)!.origin) correct++;
    }
    const precision = correct / rejections.length;
    const dups = rows.filter((r) => r.id.startsWith('d')).length;
    const recall = correct / dups;
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThan(0.8);
    expect(kept.length + rejections.length).toBe(rows.length);
    expect(stats.rejected.exact).toBeGreaterThan(0); // the case/punctuation-only copies
    expect(stats.rejected.minhash).toBeGreaterThan(0);
  });

  it('scopes by cell: the same text in two cells is kept with scope cell, rejected with scope global', async () => {
    const items = [
      { id: 'a', text: 'I lost my card yesterday', cell: 'intent=lost' },
      { id: 'b', text: 'I lost my card yesterday', cell: 'intent=other' },
    ];
    expect((await dedupTexts(items, { scope: 'cell' })).rejections).toHaveLength(0);
    const g = await dedupTexts(items, { scope: 'global' });
    expect(g.rejections).toEqual([
      { id: 'b', neighbour_id: 'a', stage: 'exact', similarity: 1, scope: 'global' },
    ]);
  });

  it('rejects against the real corpus and names the real row', async () => {
    const f = await createDedupFunnel({ scope: 'global' });
    f.addReal('real-7', 'Where is my new card? It has not arrived yet.');
    const r = f.add({ id: 's1', text: 'where is my new card it has not arrived yet' });
    expect(r).toMatchObject({ neighbour_id: 'real-7', scope: 'real', stage: 'exact' });
    const r2 = f.add({ id: 's2', text: 'Where is my new card? It has not arrived yet!! please' });
    expect(r2?.neighbour_id).toBe('real-7');
    expect(f.add({ id: 's3', text: 'How do I change my PIN at an ATM?' })).toBeNull();
  });

  it('embedding stage catches reorderings MinHash misses at a strict threshold', async () => {
    const items = [
      { id: 'a', text: 'please cancel the transfer I made to my landlord this morning' },
      { id: 'b', text: 'this morning I made a transfer to my landlord please cancel the transfer' },
    ];
    const off = await dedupTexts(items, {
      scope: 'global',
      minhashThreshold: 0.95,
      embeddingThreshold: null,
    });
    expect(off.rejections).toHaveLength(0);
    const on = await dedupTexts(items, { scope: 'global', minhashThreshold: 0.95, embeddingThreshold: 0.7 });
    expect(on.rejections[0]).toMatchObject({ id: 'b', neighbour_id: 'a', stage: 'embedding' });
  });

  it('calibrates a threshold from labelled pairs', () => {
    const rows = corpus(400, 11);
    const pairs = [];
    for (let i = 0; i + 1 < rows.length; i += 2)
      pairs.push({ a: rows[i].text, b: rows[i + 1].text, duplicate: rows[i].origin === rows[i + 1].origin });
    const byOrigin = new Map<number, string>();
    for (const r of rows) {
      const prev = byOrigin.get(r.origin);
      if (prev) pairs.push({ a: prev, b: r.text, duplicate: true });
      else byOrigin.set(r.origin, r.text);
    }
    const cal = calibrateThreshold(pairs, (a, b) => cosine(embedText(a), embedText(b)));
    expect(cal.precision).toBeGreaterThan(0.95);
    expect(cal.recall).toBeGreaterThan(0.9);
    expect(cal.threshold).toBeGreaterThan(0.2);
  });
});
