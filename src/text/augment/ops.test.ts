import { describe, expect, it } from 'vitest';
import { streamFor } from '../../random/stream.js';
import { attestedVocabulary, cellContext, corpusStats, makeCandidate, novelty } from './candidates.js';
import { generateFromGrammar, induceGrammar } from './grammar.js';
import { edaDelete, edaInsert, edaSwap, synonym, touched } from './lexical.js';
import { DEFAULT_RECIPE } from './ops.js';
import { tagTokens } from './pos.js';
import { recombine, sharedAnchors } from './recombine.js';
import { register } from './register.js';
import { detokenize, tokenize } from './tokens.js';
import { inflect, lemmasOf, tableLexicon, WordNet } from './wordnet.js';

const LEX = tableLexicon({
  lose: { v: ['misplace'] },
  card: { n: ['bank card'] },
  block: { v: ['freeze'] },
  help: { v: ['assist'] },
  quick: { a: ['fast'] },
});

const rows = [
  { id: 'a', text: 'I lost my card on the bus' },
  { id: 'b', text: 'someone took my card yesterday' },
  { id: 'c', text: 'please block my card now' },
];

describe('tokens', () => {
  it('round-trips spacing around punctuation', () => {
    const t = 'Hi, can you block my card? It is lost (I think).';
    expect(detokenize(tokenize(t))).toBe(t);
  });
});

describe('WordNet', () => {
  const wn = new WordNet();
  it('gives synonyms of the most frequent tagged sense only', () => {
    expect(wn.synonyms('car', 'n')).toEqual(expect.arrayContaining(['auto', 'automobile']));
    // sense 1 of "card" (playing card) has no synonyms; "identity card" is sense 2 and is refused
    expect(wn.synonyms('card', 'n')).not.toContain('identity card');
    // a synonym must hold the synset among its own first tagged senses
    expect(wn.synonyms('help', 'v')).toEqual(expect.arrayContaining(['assist']));
    expect(wn.synonyms('help', 'v', { maxSenses: 3 }).length).toBeGreaterThanOrEqual(
      wn.synonyms('help', 'v').length,
    );
  });

  it('detaches regular suffixes and re-inflects noun plurals only', () => {
    expect(lemmasOf(wn, 'movies', 'n')).toContainEqual({ lemma: 'movie', suffix: 's' });
    expect(inflect('bank card', 's', 'n')).toBe('bank cards');
    expect(inflect('party', 's', 'n')).toBe('parties');
    expect(inflect('go', 'ed', 'v')).toBeNull();
  });
});

describe('part of speech', () => {
  it('reads nouns after determiners and verbs after to/please; closed class is null', () => {
    const wn = new WordNet();
    const tags = tagTokens(wn, tokenize('please block my transfer to a friend'));
    expect(tags[0]).toBeNull();
    expect(tags[1]?.pos).toBe('v');
    expect(tags[3]?.pos).toBe('n');
    expect(tags[2]).toBeNull();
  });
});

describe('word-level operators', () => {
  const cell = cellContext('card_lost', rows, LEX);
  it('substitute synonyms at a controlled rate and say what they swapped', () => {
    const r = synonym(cell.examples[0].tokens, cell.examples[0], cell, streamFor(1, 's'), { rate: 0.2 });
    expect(r).not.toBeNull();
    expect(String(r!.params.swaps)).toMatch(/card>bank card|lost>misplace/);
    expect(touched(0.1, 20)).toBe(2);
    expect(touched(0.1, 3)).toBe(1);
    expect(touched(0.5, 0)).toBe(0);
  });

  it('EDA swap keeps the words, delete keeps at least three, insert adds a synonym', () => {
    const src = cell.examples[0];
    const s = edaSwap(src.tokens, src, cell, streamFor(2, 'x'), { rate: 0.3 })!;
    expect([...s.tokens].sort()).toEqual([...src.tokens].sort());
    const d = edaDelete(src.tokens, src, cell, streamFor(3, 'x'), { rate: 0.9 })!;
    expect(d.tokens.length).toBeGreaterThanOrEqual(3);
    expect(d.tokens.length).toBeLessThan(src.tokens.length);
    const i = edaInsert(src.tokens, src, cell, streamFor(4, 'x'), { rate: 0.1 })!;
    expect(i.tokens.length).toBe(src.tokens.length + 1);
    expect(['misplace', 'bank card']).toContain(String(i.params.inserted));
  });

  it('the attested vocabulary refuses substitutes the corpus never uses', () => {
    const vocab = attestedVocabulary(corpusStats(['my bank card', 'a bank card again']), 2);
    const strict = cellContext('card_lost', rows, LEX, { vocabulary: new Set(['nothing']) });
    const loose = cellContext('card_lost', rows, LEX, { vocabulary: vocab });
    const src = strict.examples[0];
    expect(synonym(src.tokens, src, strict, streamFor(1, 's'), { rate: 1 })).toBeNull();
    const r = synonym(loose.examples[0].tokens, loose.examples[0], loose, streamFor(1, 's'), { rate: 1 })!;
    expect(String(r.params.swaps)).toBe('card>bank card');
  });
});

describe('recombination and induced grammar', () => {
  it('cuts two examples at a shared anchor and joins head and tail', () => {
    const a = tokenize('I lost my card on the bus');
    const b = tokenize('someone took my card yesterday');
    const anchors = sharedAnchors(a, b);
    expect(anchors).toContainEqual({ i: 2, j: 2, n: 2 }); // "my card"
    const cell = cellContext('card_lost', rows, LEX);
    let seen = false;
    for (let s = 0; s < 20 && !seen; s++) {
      const r = recombine(cell.examples[0].tokens, cell.examples[0], cell, streamFor(s, 'r'), {
        two_point: 0,
      });
      if (r && detokenize(r.tokens) === 'I lost my card yesterday') {
        seen = true;
        expect(r.borrowed).toEqual(['b']);
        expect(r.params.anchor).toBe('my card');
      }
    }
    expect(seen).toBe(true);
  });

  it('induces skeletons whose slots are refilled from other examples of the cell', () => {
    const ex = cellContext(
      'pin',
      [
        { id: 'p1', text: 'how do i unblock my pin' },
        { id: 'p2', text: 'how can i reset my pin' },
        { id: 'p3', text: 'i want to unblock my card pin' },
      ],
      LEX,
    ).examples;
    const g = induceGrammar(ex);
    expect([...g.anchors].sort()).toEqual(['how', 'i', 'my', 'pin', 'unblock']);
    expect(g.templates()[0]).toBe('how {s1} i {s2} unblock my {s3} pin');
    const outs = new Set<string>();
    for (let s = 0; s < 30; s++) {
      const r = generateFromGrammar(g, 'p1', streamFor(s, 'g'));
      if (r) outs.add(r.tokens.join(' '));
    }
    // p1's skeleton with "can" from p2 or "card" from p3 in its slots
    expect(outs).toContain('how can i unblock my pin');
    expect(outs).toContain('how do i unblock my card pin');
    for (const o of outs) expect(o).toMatch(/^how .*unblock my .*pin$/);
  });
});

describe('register rewrites', () => {
  it('every style changes the form and keeps the content words', () => {
    const cell = cellContext('x', [{ id: 'a', text: 'Hi, can you block the card please.' }], LEX);
    const src = cell.examples[0];
    for (const style of ['polite', 'terse', 'casual', 'typo', 'code_switch']) {
      const outs = Array.from({ length: 10 }, (_, s) =>
        register(src.tokens, src, cell, streamFor(s, style), { styles: style, typo_rate: 0.5 }),
      ).filter((r) => r !== null);
      expect(outs.length, style).toBeGreaterThan(0);
      for (const r of outs) {
        const out = detokenize(r.tokens).toLowerCase();
        expect(out).not.toBe(src.text.toLowerCase());
        expect(r.params.style).toBe(style);
        if (style !== 'typo') expect(out).toMatch(/block/);
      }
    }
    // attested vocabulary: no marker a corpus never used
    const strict = cellContext('x', [{ id: 'a', text: 'block the card' }], LEX, {
      vocabulary: new Set(['block', 'the', 'card']),
    });
    const e = strict.examples[0];
    expect(register(e.tokens, e, strict, streamFor(1, 'x'), { styles: 'code_switch' })).toBeNull();
  });
});

describe('candidates', () => {
  it('record every applied operator with a novelty in [0, 1], the same for the same seed', () => {
    const cell = cellContext('card_lost', rows, LEX);
    const a = Array.from({ length: 30 }, (_, i) => makeCandidate(cell, i, DEFAULT_RECIPE, 5));
    const b = Array.from({ length: 30 }, (_, i) => makeCandidate(cell, i, DEFAULT_RECIPE, 5));
    expect(a).toEqual(b);
    const made = a.filter((c) => c !== null);
    expect(made.length).toBeGreaterThan(20);
    for (const c of made) {
      expect(c.operators.length).toBeGreaterThan(0);
      expect(c.sources[0]).toBe(rows[c.index % rows.length].id);
      for (const o of c.operators) {
        // a register step may change only case ("I" → "i"), which novelty (lower-cased words) ignores
        if (o.op === 'register') expect(Number(o.params?.novelty)).toBeGreaterThanOrEqual(0);
        else expect(Number(o.params?.novelty)).toBeGreaterThan(0);
        expect(Number(o.params?.novelty)).toBeLessThanOrEqual(1);
      }
    }
    expect(novelty(['a', 'b'], ['a', 'b'])).toBe(0);
    expect(novelty(['a'], ['b'])).toBe(1);
  });
});
