import { describe, expect, it } from 'vitest';
import { streamFor } from '../../random/stream.js';
import { attestedVocabulary, cellContext, corpusStats, makeCandidate } from './candidates.js';
import { contextFillers, contextKey, corpusProfile } from './corpus.js';
import { labelAffinity, neighbour } from './neighbour.js';
import { DEFAULT_RECIPE } from './ops.js';
import { tableLexicon } from './wordnet.js';

const LEX = tableLexicon({});

// lights_on is the thin label; lights_off and lights_dim are its siblings (they share "lights",
// "turn", "switch"); music and weather share no content word with it. "balcony" and "hall" are what
// siblings say in "in the _" at the end; "garage" and "city" stand in the same context but only in
// non-siblings; "attic" is a sibling's word in that context that only one real text has (not
// attested). "lights", in every lights_on example, is its salient word.
const corpus = [
  { text: 'turn on the lights in the kitchen', label: 'lights_on' },
  { text: 'lights on in the bedroom please', label: 'lights_on' },
  { text: 'switch on the lights', label: 'lights_on' },
  { text: 'turn off the lights in the balcony', label: 'lights_off' },
  { text: 'lights off in the balcony', label: 'lights_off' },
  { text: 'switch the lights off in the hall', label: 'lights_off' },
  { text: 'dim the lights in the hall', label: 'lights_dim' },
  { text: 'dim the lights in the attic', label: 'lights_dim' },
  { text: 'lower the lights a bit', label: 'lights_dim' },
  { text: 'play music in the garage', label: 'music' },
  { text: 'play some music in the garage', label: 'music' },
  { text: 'play my music loud', label: 'music' },
  { text: 'what is the weather in the city', label: 'weather' },
  { text: 'weather in the city today', label: 'weather' },
  { text: 'will it rain in the city', label: 'weather' },
  { text: 'wake me at seven', label: 'alarm' },
  { text: 'set an alarm for seven', label: 'alarm' },
  { text: 'read my new email', label: 'email' },
  { text: 'any email from bob', label: 'email' },
  { text: 'latest news headlines', label: 'news' },
  { text: 'news about football', label: 'news' },
];

function cellFor(label: string) {
  const stats = corpusStats(corpus.map((r) => r.text));
  return cellContext(
    label,
    corpus.filter((r) => r.label === label).map((r, i) => ({ id: `${label}${i}`, text: r.text })),
    LEX,
    {
      vocabulary: attestedVocabulary(stats, 2),
      stats,
      profile: corpusProfile(corpus, { checkPairs: false }),
    },
  );
}

describe('context fillers and sibling labels', () => {
  it('indexes every word by the words either side, one entry per occurrence', () => {
    const c = contextFillers(corpus);
    const slot = c.get(contextKey('the', ''))!.map((f) => `${f.word}@${f.label}`);
    expect(slot.filter((s) => s === 'balcony@lights_off')).toHaveLength(2);
    expect(slot).toContain('garage@music');
    expect(c.get(contextKey('', 'on'))!.map((f) => f.word)).toEqual(['turn', 'lights', 'switch']);
  });

  it('siblings are the labels whose texts share the cell’s content words, closest first', () => {
    const cell = cellFor('lights_on');
    const a = [...cell.affinity!.keys()];
    expect(a.slice(0, 2).sort()).toEqual(['lights_dim', 'lights_off']);
    expect(a).not.toContain('music');
    expect(a).not.toContain('lights_on');
    const profile = corpusProfile(corpus);
    expect(labelAffinity('lights_on', cell.examples, profile.labelWords, profile.generic, 1).size).toBe(1);
  });
});

describe('neighbour operator', () => {
  it('fills a slot with an attested word a sibling label writes in the same context, never a non-sibling’s or a hapax', () => {
    const cell = cellFor('lights_on');
    const seen = new Set<string>();
    for (const ex of cell.examples)
      for (let s = 0; s < 60; s++) {
        const r = neighbour(ex.tokens, ex, cell, streamFor(s, 'n'), { rate: 0.5 });
        if (!r) continue;
        seen.add(r.tokens.join(' '));
        expect(String(r.params.swaps)).toMatch(/@lights_(off|dim)/);
      }
    expect(seen).toContain('turn on the lights in the balcony');
    expect(seen).toContain('turn on the lights in the hall');
    const all = [...seen].join(' | ');
    expect(all).not.toMatch(/garage|city/); // same context, but music and weather are no siblings
    expect(all).not.toMatch(/attic/); // a sibling's word in that context, but in one real text only
    // the salient word "lights" is never replaced
    for (const t of seen) expect(t).toMatch(/lights/);
  });

  it('is seeded, and does nothing without a corpus profile or a sibling filler', () => {
    const cell = cellFor('lights_on');
    const ex = cell.examples[0];
    const a = neighbour(ex.tokens, ex, cell, streamFor(3, 'n'), {});
    expect(neighbour(ex.tokens, ex, cell, streamFor(3, 'n'), {})).toEqual(a);
    const bare = cellContext('lights_on', [{ id: 'x', text: 'turn on the lights in the kitchen' }], LEX);
    expect(neighbour(bare.examples[0].tokens, bare.examples[0], bare, streamFor(1, 'n'), {})).toBeNull();
    const news = cellFor('news');
    // news shares no content word with any other label: no siblings, nothing to draw
    expect(news.affinity!.size).toBe(0);
    const w = news.examples[0];
    expect(neighbour(w.tokens, w, news, streamFor(1, 'n'), {})).toBeNull();
  });

  it('runs in the default recipe and is recorded in provenance', () => {
    const cell = cellFor('lights_on');
    const ops = new Set<string>();
    for (let i = 0; i < 40; i++)
      for (const o of makeCandidate(cell, i, DEFAULT_RECIPE, 7)?.operators ?? []) ops.add(o.op);
    expect(ops).toContain('neighbour');
  });
});
