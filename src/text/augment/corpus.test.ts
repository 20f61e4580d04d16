import { describe, expect, it } from 'vitest';
import { streamFor } from '../../random/stream.js';
import { cellContext, pairsAttested } from './candidates.js';
import { corpusProfile, genericRuns, genericWords, pairIds, pairProfile, wordPairs } from './corpus.js';
import { frame } from './frame.js';
import { tokenize } from './tokens.js';
import { tableLexicon } from './wordnet.js';

const LEX = tableLexicon({});

const corpus = [
  { text: 'how can i get a virtual card', label: 'virtual' },
  { text: 'is there a way to top up', label: 'top_up' },
  { text: 'is there a fee for transfers', label: 'fee' },
  { text: 'how can i get a refund', label: 'refund' },
  { text: 'my transfer failed', label: 'failed' },
  { text: 'why was my card declined', label: 'declined' },
  { text: 'is there a limit', label: 'limit' },
  { text: 'how can i get a pin', label: 'pin' },
  { text: 'why was my refund late', label: 'late' },
];

describe('corpus profile', () => {
  it('word pairs are the adjacent normalised words', () => {
    expect(wordPairs('My card, please!')).toEqual(['my card', 'card please']);
    expect(pairIds('a b a b').length).toBe(2);
  });

  it('a pair profile keeps the attested pairs and gives the share no real text has', () => {
    const p = corpusProfile(corpus, { checkPairs: false });
    expect(p.pairs).toBeNull();
    // "why was", "was my" occur; "my pin" does not
    const pp = pairProfile('why was my pin', p.attested);
    expect(pp.ids.length).toBe(2);
    expect(pp.unattested).toBeCloseTo(1 / 3, 12);
    expect(pairProfile('why was my pin', null)).toEqual({ ids: pairIds('why was my pin'), unattested: 0 });
  });

  it('generic words: closed class and words spread over many labels, never negations', () => {
    const g = genericWords([
      ...corpus,
      { text: 'i did not get my card', label: 'not_received' },
      { text: 'not working', label: 'broken' },
      { text: 'not sure', label: 'other' },
    ]);
    expect(g.has('a')).toBe(true);
    expect(g.has('not')).toBe(false);
    expect(g.has('refund')).toBe(false);
  });

  it('generic runs are the maximal framing stretches around content words', () => {
    const g = new Set(['how', 'can', 'i', 'get', 'a', 'please']);
    const runs = genericRuns(tokenize('how can i get a refund please'), g);
    expect(runs.map((r) => r.kind)).toEqual(['head', 'tail']);
    expect(genericRuns(tokenize('how can i'), g)).toEqual([]);
  });

  it('a step is refused when it makes a word pair no real text has', () => {
    const p = corpusProfile(corpus);
    // "card declined" and "declined card" : the first exists nowhere, nor the second
    expect(pairsAttested(p.pairs!, 'why was my card declined', 'why was my card declined')).toBe(true);
    expect(pairsAttested(p.pairs!, 'why was my card declined', 'why was card my declined')).toBe(false);
    expect(pairsAttested(p.pairs!, 'is there a fee', 'how can i get a fee')).toBe(true);
    expect(corpusProfile(corpus, { checkPairs: false }).pairs).toBeNull();
  });
});

describe('frame operator', () => {
  it('swaps an opening for another label’s opening with attested joins, keeping the content words', () => {
    const profile = corpusProfile(corpus);
    const cell = cellContext('refund', [{ id: 'r', text: 'is there a refund' }], LEX, { profile });
    const ex = cell.examples[0];
    const seen = new Set<string>();
    for (let s = 0; s < 40; s++) {
      const r = frame(ex.tokens, ex, cell, streamFor(s, 'f'), {});
      if (!r) continue;
      const text = r.tokens.join(' ');
      expect(text.endsWith('refund')).toBe(true);
      expect(pairsAttested(profile.pairs!, ex.text, text)).toBe(true);
      seen.add(text);
    }
    // the opening "is there a" gives way to "why was my" (declined, late): "my refund" is attested;
    // "how can i" is never drawn in: "i refund" is in no real text
    expect(seen.has('why was my refund')).toBe(true);
    expect(seen.has('how can i refund')).toBe(false);
  });

  it('does nothing without a corpus profile', () => {
    const cell = cellContext('refund', [{ id: 'r', text: 'how can i get a refund' }], LEX);
    const ex = cell.examples[0];
    expect(frame(ex.tokens, ex, cell, streamFor(1, 'f'), {})).toBeNull();
  });
});
