import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { Bloom, compileTextLaw, unitsOf } from '../model/text-law.js';
import { streamFor } from '../random/stream.js';
import { BLOCK_ROWS, generateRows, generateToFile } from '../sample/index.js';
import { parseSpecText } from '../spec/parse.js';
import type { TextLaw } from '../spec/schema.js';
import { fitTable } from './fit.js';
import { fitTextLaw } from './text-law.js';

// A known corpus made here: requests built from a small grammar, one topic per intent.
const TOPIC: Record<string, { nouns: string[]; verbs: string[] }> = {
  card: { nouns: ['card', 'pin', 'chip'], verbs: ['block', 'activate', 'replace'] },
  transfer: { nouns: ['transfer', 'payment', 'deposit'], verbs: ['cancel', 'track', 'send'] },
  account: { nouns: ['account', 'profile', 'address'], verbs: ['close', 'verify', 'update'] },
};
const OPENERS = ['how do I', 'can you help me', 'please', 'I want to', 'why can I not'];
const TAILS = ['today', 'now', 'from the app', 'at the branch', 'for my partner', 'again'];

function corpus(n: number, seed: number): { text: string[]; intent: string[] } {
  const g = streamFor(seed, 'test', 'corpus');
  const intents = Object.keys(TOPIC);
  const text: string[] = [];
  const intent: string[] = [];
  const pick = <T>(xs: readonly T[]) => xs[g.nextInt(xs.length)];
  for (let i = 0; i < n; i++) {
    const k = pick(intents);
    const t = TOPIC[k];
    const extra = g.nextFloat() < 0.5 ? ` my ${pick(t.nouns)} ${pick(TAILS)}` : '';
    text.push(`${pick(OPENERS)} ${pick(t.verbs)} my ${pick(t.nouns)}${extra} ${pick(TAILS)} ${i % 97}`);
    intent.push(k);
  }
  return { text, intent };
}

function table(cols: Record<string, (string | null)[]>): RawColumns {
  const names = Object.keys(cols);
  return { name: 't', columns: names, rowCount: cols[names[0]].length, data: names.map((c) => cols[c]) };
}

function unitShares(texts: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  let total = 0;
  for (const t of texts)
    for (const u of unitsOf('word', t)) {
      m.set(u, (m.get(u) ?? 0) + 1);
      total++;
    }
  for (const [k, v] of m) m.set(k, v / total);
  return m;
}

function totalVariation(a: Map<string, number>, b: Map<string, number>): number {
  let d = 0;
  for (const k of new Set([...a.keys(), ...b.keys()])) d += Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0));
  return d / 2;
}

const meanUnits = (texts: readonly string[]) =>
  texts.reduce((s, t) => s + unitsOf('word', t).length, 0) / texts.length;

describe('fitted text law', () => {
  const { text, intent } = corpus(2000, 1);

  it('reproduces the word statistics of a known corpus', () => {
    const fitted = fitTextLaw(text, [], { minCount: 5, stream: streamFor(1, 'x') });
    expect(fitted.law.unit).toBe('word');
    // the chain itself (the guard's redraws bias it away from real runs: measured on a one-template
    // corpus, total variation 0.024 without the guard, 0.144 with it)
    const { guard: _, ...chain } = fitted.law;
    const law = compileTextLaw(chain);
    const g = streamFor(3, 'draws');
    const drawn = Array.from({ length: 3000 }, () => law.sample(undefined, g) ?? '');
    expect(totalVariation(unitShares(text), unitShares(drawn))).toBeLessThan(0.05);
    expect(Math.abs(meanUnits(drawn) / meanUnits(text) - 1)).toBeLessThan(0.1);
  });

  it('never draws a rare training value whole when the guard is on, and does without it', () => {
    // short texts from a few words: an unguarded chain redraws real values often
    const g = streamFor(2, 'short');
    const words = ['red', 'blue', 'green', 'big', 'small'];
    const short = Array.from(
      { length: 400 },
      (_, i) => `${words[g.nextInt(5)]} ${words[g.nextInt(5)]} ${words[g.nextInt(5)]} x${i % 20}`,
    );
    const counts = new Map<string, number>();
    for (const s of short) counts.set(s, (counts.get(s) ?? 0) + 1);
    const rare = new Set([...counts].filter(([, n]) => n < 5).map(([v]) => v));
    const fitted = fitTextLaw(short, [], { minCount: 5, stream: streamFor(1, 'x') });
    expect(fitted.law.guard).toBeDefined();
    const draw = (law: TextLaw) => {
      const c = compileTextLaw(law);
      const r = streamFor(9, 'draws');
      return Array.from({ length: 3000 }, () => c.sample(undefined, r));
    };
    const guarded = draw(fitted.law);
    expect(guarded.filter((v) => v !== null && rare.has(v))).toEqual([]);
    const { guard: _, ...open } = fitted.law;
    expect(draw(open).filter((v) => v !== null && rare.has(v)).length).toBeGreaterThan(50);
  });

  it('depends on a category column when that wins on held-out likelihood, and not on noise', () => {
    const g = streamFor(4, 'noise');
    const noise = intent.map(() => `n${g.nextInt(4)}`);
    const fitted = fitTextLaw(
      text,
      [
        { name: 'noise', values: noise },
        { name: 'intent', values: intent },
      ],
      { minCount: 5, stream: streamFor(1, 'x') },
    );
    expect(fitted.parent).toBe('intent');
    expect(fitted.law.by?.column).toBe('intent');
    const alone = fitTextLaw(text, [{ name: 'noise', values: noise }], {
      minCount: 5,
      stream: streamFor(1, 'x'),
    });
    expect(alone.parent).toBeUndefined();
    // given the parent, the draws speak of its topic
    const law = compileTextLaw(fitted.law);
    const r = streamFor(5, 'draws');
    const cardTexts = Array.from({ length: 500 }, () => law.sample('card', r) ?? '');
    const cardWords = cardTexts.filter((t) => /\b(card|pin|chip)\b/.test(t)).length;
    const accountWords = cardTexts.filter((t) => /\b(account|profile|address)\b/.test(t)).length;
    expect(cardWords).toBeGreaterThan(3 * accountWords);
  });

  it('uses a character chain for short names and keeps common values whole', () => {
    const g = streamFor(6, 'names');
    const makes = ['ford', 'toyota', 'honda'];
    const models = ['fiesta', 'corolla', 'civic', 'focus', 'camry', 'accord', 'mustang', 'prius'];
    const names = Array.from({ length: 600 }, (_, i) =>
      i % 10 === 0 ? 'ford pinto' : `${makes[g.nextInt(3)]} ${models[g.nextInt(8)]}${g.nextInt(40)}`,
    );
    const fitted = fitTextLaw(names, [], { minCount: 5, stream: streamFor(1, 'x') });
    expect(fitted.law.unit).toBe('char');
    expect(fitted.law.common?.values).toContain('ford pinto');
    for (const s of fitted.law.states) expect(s.after.length).toBeLessThanOrEqual(fitted.law.order);
  });

  it('is fitted by fitTable instead of lorem, round-trips through the model file and is deterministic', async () => {
    const fit = fitTable(table({ utterance: text, intent }), { seed: 1 });
    const col = fit.spec.tables.t.columns.utterance;
    expect(col.faker).toBeUndefined();
    expect(col.text?.unit).toBe('word');
    expect(col.given).toEqual(['intent']);
    expect(fit.yaml).not.toMatch(/lorem/);
    for (const line of fit.yaml.split('\n')) expect(line.length).toBeLessThanOrEqual(200);
    const loaded = parseSpecText(fit.yaml, 'model.yaml').spec;
    expect(loaded.tables.t.columns.utterance).toEqual(col);
    const a = await generateRows({ spec: fit.spec, rows: 300, seed: 7 });
    const b = await generateRows({ spec: loaded, rows: 300, seed: 7 });
    expect(b.data).toEqual(a.data);
    const c = await generateRows({ spec: fit.spec, rows: 300, seed: 8 });
    expect(c.data).not.toEqual(a.data);
    const real = new Set(text);
    const drawn = a.data[0].filter((v) => v !== null) as string[];
    expect(drawn.length).toBe(300);
    expect(drawn.filter((v) => real.has(v))).toEqual([]);
  });

  it('keeps a hand-written text law of a --from spec as it is', () => {
    const first = fitTable(table({ utterance: text, intent }), { seed: 1 });
    const hand = structuredClone(first.spec);
    const law = hand.tables.t.columns.utterance.text!;
    law.states = [
      { after: '', next: ['hello'], n: [1] },
      { after: 'hello', next: [''], n: [1] },
    ];
    delete law.by;
    delete law.guard;
    hand.tables.t.columns.utterance = { type: 'string', text: law };
    const again = fitTable(table({ utterance: text, intent }), { seed: 1, from: hand });
    expect(again.spec.tables.t.columns.utterance).toEqual({ type: 'string', text: law });
  });

  it('writes the same bytes for 1 and 2 workers', async () => {
    const fit = fitTable(table({ utterance: text, intent }), { seed: 1 });
    const d = mkdtempSync(join(tmpdir(), 'strata-text-law-'));
    try {
      const read = async (workers: number) => {
        const out = join(d, `w${workers}.csv`);
        await generateToFile({
          spec: fit.spec,
          rows: BLOCK_ROWS * 3 + 17,
          seed: 5,
          workers,
          out,
          coverage: false,
        });
        return readFileSync(out);
      };
      expect((await read(2)).equals(await read(1))).toBe(true);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('refuses a text law whose lists disagree', async () => {
    const fitted = fitTextLaw(text, [], { minCount: 5, stream: streamFor(1, 'x') });
    const law: TextLaw = { ...fitted.law, states: [{ after: '', next: ['a', 'b'], n: [1] }] };
    const spec = fitTable(table({ utterance: text }), { seed: 1 }).spec;
    spec.tables.t.columns.utterance = { type: 'string', text: law };
    await expect(generateRows({ spec, rows: 5, seed: 1 })).rejects.toMatchObject({
      code: 'model.bad_text_law',
    });
  });
});

describe('Bloom filter of the guard', () => {
  it('has no false negatives over many keys (positions stay inside the filter)', () => {
    const b = Bloom.empty(1 << 12, 5);
    const keys = Array.from({ length: 2000 }, (_, i) => `key ${i} ${'x'.repeat(i % 13)}`);
    for (const k of keys) b.add(k);
    const back = Bloom.fromLines(b.toLines(), 1 << 12, 5);
    expect(keys.filter((k) => !back.has(k))).toEqual([]);
  });
});

describe('the length law of a word chain', () => {
  it('draws notes of the real lengths, not the lengths where a word happened to end a note', async () => {
    // bags of words: 3 to 8 of 40 words in any order, so any word may end a note
    const g = streamFor(9, 'test', 'bags');
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const note = Array.from({ length: 1500 }, () =>
      Array.from({ length: 3 + g.nextInt(6) }, () => words[g.nextInt(words.length)]).join(' '),
    );
    const fit = fitTable(table({ note }), { seed: 1 });
    const law = fit.spec.tables.t.columns.note.text as TextLaw;
    expect(law.lengths?.units).toEqual([3, 4, 5, 6, 7, 8]);
    const out = await generateRows({ spec: parseSpecText(fit.yaml, 't.yaml').spec, rows: 2000, seed: 4 });
    const lengths = out.data[0].filter((v) => v !== null).map((v) => unitsOf('word', String(v)).length);
    const short = lengths.filter((k) => k < 3).length / lengths.length;
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    expect(short).toBeLessThan(0.02);
    expect(mean).toBeGreaterThan(5);
    expect(mean).toBeLessThan(6);
  });
});
