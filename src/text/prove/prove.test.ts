import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamFor } from '../../random/stream.js';
import type { LabelledText } from '../downstream.js';
import { comparePredictions } from './compare.js';
import { proveFiles } from './files.js';
import { proveTexts, realOnlyBaseline, smallestClasses } from './prove.js';
import { proveHtml } from './report.js';

describe('comparePredictions', () => {
  it('computes recall, macro-F1 and the confusion change exactly on the full test set', () => {
    const labels = ['a', 'b', 'c'];
    const y = Int32Array.from([0, 0, 0, 0, 1, 1, 2, 2]);
    const a = Int32Array.from([0, 0, 1, 1, 1, 1, 1, 1]); // c never predicted
    const b = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 1]);
    const c = comparePredictions(y, a, b, labels, new Set(['c']), { reps: 200, seed: 3 });
    const byLabel = new Map(c.classes.map((x) => [x.label, x]));
    expect(byLabel.get('a')!.recall_real_only.value).toBe(0.5);
    expect(byLabel.get('a')!.recall_augmented.value).toBe(0.75);
    expect(byLabel.get('c')!.recall_change.value).toBe(0.5);
    expect(c.rare_recall_delta.value).toBe(0.5);
    expect(c.rare_improved).toBe(1);
    // confusion change: each true row's changes sum to zero
    for (const row of c.confusion_delta) expect(row.reduce((s, v) => s + v, 0)).toBe(0);
    expect(c.confusion_delta[2][2]).toBe(1);
    expect(c.confusion_delta[2][1]).toBe(-1);
    // CIs bracket the estimate; the bootstrap is seeded
    const ci = c.rare_recall_delta.ci!;
    expect(ci[0]).toBeLessThanOrEqual(0.5);
    expect(ci[1]).toBeGreaterThanOrEqual(0.5);
    expect(comparePredictions(y, a, b, labels, new Set(['c']), { reps: 200, seed: 3 })).toEqual(c);
    // macro-F1 of a: F1(a)=2·2/(4+2)=0.667, F1(b)=2·2/(2+6)=0.5, F1(c)=0 → 0.389
    expect(c.macro_f1_real_only.value).toBeCloseTo((2 / 3 + 0.5 + 0) / 3, 12);
  });
});

/** Three big classes and one rare one; the rare class's test texts use words its two training rows lack. */
function dataset() {
  const s = streamFor(5, 'prove');
  const words: Record<string, string[]> = {
    card: ['card', 'lost', 'stolen', 'wallet', 'block'],
    topup: ['top', 'up', 'add', 'money', 'pending'],
    rate: ['exchange', 'rate', 'currency', 'abroad', 'fee'],
    pin: ['pin', 'locked', 'reset', 'unblock', 'code'],
  };
  const filler = ['please', 'my', 'the', 'i', 'help', 'why', 'now', 'today'];
  const text = (label: string) =>
    Array.from({ length: 6 }, (_, k) =>
      k % 2 ? filler[s.nextInt(filler.length)] : words[label][s.nextInt(words[label].length)],
    ).join(' ');
  const train: LabelledText[] = [];
  const test: LabelledText[] = [];
  for (const l of ['card', 'topup', 'rate']) {
    for (let i = 0; i < 60; i++) train.push({ text: text(l), label: l });
    for (let i = 0; i < 20; i++) test.push({ text: text(l), label: l });
  }
  train.push({ text: 'pin pin please my', label: 'pin' }, { text: 'my pin now', label: 'pin' });
  for (let i = 0; i < 20; i++) test.push({ text: text('pin'), label: 'pin' });
  const synthetic = Array.from({ length: 40 }, () => ({ text: text('pin'), label: 'pin' }));
  return { train, test, synthetic };
}

describe('proveTexts', () => {
  const { train, test, synthetic } = dataset();

  it('finds the rare-class gain with both classifiers and writes the summary keys', () => {
    const rep = proveTexts(train, synthetic, test, { rareCount: 1, reps: 200 });
    expect(rep.rare).toEqual(['pin']);
    expect(rep.runs).toHaveLength(4);
    expect(new Set(rep.runs.map((r) => r.classifier))).toEqual(new Set(['tfidf-logreg', 'tfidf-nb']));
    for (const r of rep.runs) expect(r.comparison.rare_recall_delta.value!).toBeGreaterThan(0);
    expect(rep.summary.primary).toBe('tfidf-logreg/balanced');
    expect(rep.summary.rare_recall_delta).toBeGreaterThan(0);
    expect(rep.summary.rare_recall_delta_ci![0]).toBeGreaterThan(0);
    expect(typeof rep.summary.macro_f1_delta).toBe('number');
    expect(rep.summary.verdict).toMatch(
      /^rare-case recall \+0\.\d\d \[\+0\.\d\d, \+[01]\.\d\d\] .*up on 1 of 1 rare classes; overall macro-F1/,
    );
  });

  it('a baseline computed once gives the same report; unknown synthetic labels are dropped and counted', () => {
    const baseline = realOnlyBaseline(train, test, { seed: 1 });
    const withUnknown = [...synthetic, { text: 'hello there', label: 'greeting' }];
    const a = proveTexts(train, withUnknown, test, { rareCount: 1, reps: 100, baseline });
    const b = proveTexts(train, withUnknown, test, { rareCount: 1, reps: 100 });
    expect(a).toEqual(b);
    expect(a.counts.synthetic_unknown_label).toBe(1);
    expect(smallestClasses(train, 2)[0]).toBe('pin');
  });

  it('refuses a rare class the real data does not have', () => {
    expect(() => proveTexts(train, synthetic, test, { rare: ['nope'] })).toThrow(/not a label/);
  });

  it('writes JSON and an HTML page with the confusion-change matrix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-prove-'));
    const w = (name: string, rows: LabelledText[]) => {
      const p = join(dir, name);
      writeFileSync(p, rows.map((r) => JSON.stringify(r)).join('\n'));
      return p;
    };
    const rep = await proveFiles({
      real: w('train.jsonl', train),
      test: w('test.jsonl', test),
      synthetic: w('syn.jsonl', synthetic),
      textField: 'text',
      labelField: 'label',
      rareCount: 1,
      reps: 100,
      json: join(dir, 'prove.json'),
      html: join(dir, 'prove.html'),
    });
    const json = JSON.parse(readFileSync(join(dir, 'prove.json'), 'utf8'));
    expect(Object.keys(json.summary)).toEqual(
      expect.arrayContaining(['rare_recall_delta', 'rare_recall_delta_ci', 'macro_f1_delta']),
    );
    expect(json.summary.rare_recall_delta).toBe(rep.summary.rare_recall_delta);
    const html = readFileSync(join(dir, 'prove.html'), 'utf8');
    expect(html).toMatch(/confusion change/);
    expect(html).toMatch(/<svg/);
    expect(html).not.toMatch(/<script/);
    expect(html).toContain('>pin<');
    expect((await proveHtml(rep)).length).toBeGreaterThan(1000);
  });
});
