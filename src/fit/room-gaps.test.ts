import { describe, expect, it } from 'vitest';
import { inferTable, numericValues } from '../data/infer.js';
import { generateTablesInMemory } from '../sample/generate-tables.js';
import { parseSpecText } from '../spec/parse.js';
import { fitTables, relationalYaml } from './relational.js';
import { sampleIntervalTruth } from './testing/interval-truth.js';

/**
 * Events inside a parent interval (stays → events, testing/interval-truth.ts): the count grows
 * with the stay's length and ties are charting rounds. Before the gaps knew the room left (and the
 * count its stay's length), the count was drawn in bins of the stay's length while the gap law
 * ignored the time left: the events a short stay could not hold were squeezed onto its end as ties.
 */
const truth = sampleIntervalTruth(600, 5);
// The count as the stay length × a rate is opt-in (RelationalFitOptions.countRate): the room-left
// gap law needs the count to follow the stay's length to keep ties and the end pile down here.
const fit = fitTables(truth, { seed: 2, restarts: 2, countRate: true });
const { spec } = parseSpecText(relationalYaml(fit), 'interval.yaml');
const generated = await generateTablesInMemory({ spec, rows: 600, seed: 9 });

type Events = { stay: (string | number | null)[]; t: Float64Array };
interface Sequences {
  /** Per event: tied with the previous event of its stay; in the last 10% of it; within 1 s of its end. */
  ties: number;
  pairs: number;
  lastTenth: number;
  atEnd: number;
  events: number;
  counts: number[];
}

function sequences(
  stays: { id: (string | number | null)[]; start: Float64Array; end: Float64Array },
  ev: Events,
): Sequences {
  const at = new Map(stays.id.map((k, i) => [String(k), i]));
  const by = new Map<number, number[]>();
  ev.stay.forEach((k, i) => {
    const p = at.get(String(k))!;
    by.set(p, [...(by.get(p) ?? []), ev.t[i]]);
  });
  let ties = 0;
  let pairs = 0;
  let lastTenth = 0;
  let atEnd = 0;
  let events = 0;
  for (const [p, ts] of by) {
    ts.sort((a, b) => a - b);
    const a = stays.start[p];
    const b = stays.end[p];
    ts.forEach((t, k) => {
      events++;
      if (t - a > 0.9 * (b - a)) lastTenth++;
      if (b - t <= 1000) atEnd++;
      if (k > 0) {
        pairs++;
        if (t === ts[k - 1]) ties++;
      }
    });
  }
  const counts = stays.id.map((_, p) => by.get(p)?.length ?? 0);
  return { ties, pairs, lastTenth, atEnd, events, counts };
}

const realTimes = (t: number, c: string) => {
  const raw = truth[t];
  const info = inferTable(raw).columns[raw.columns.indexOf(c)];
  return numericValues(info, raw.data[raw.columns.indexOf(c)]);
};
const real = sequences(
  { id: truth[0].data[0], start: realTimes(0, 'intime'), end: realTimes(0, 'outtime') },
  { stay: truth[1].data[1], t: realTimes(1, 'charttime') },
);
const g = (table: string, c: string) => {
  const x = generated.get(table)!;
  return x.values[x.columns.indexOf(c)];
};
const synth = sequences(
  {
    id: g('stays', 'stay_id') as (string | number | null)[],
    start: Float64Array.from(g('stays', 'intime'), Number),
    end: Float64Array.from(g('stays', 'outtime'), Number),
  },
  {
    stay: g('events', 'stay_id') as (string | number | null)[],
    t: Float64Array.from(g('events', 'charttime'), Number),
  },
);

describe('events inside a parent interval: gaps that know the room left', () => {
  it('fits the gap given the room left and the count as the stay length × a rate', () => {
    const ev = fit.tables.find((t) => t.name === 'events')!;
    const charttime = JSON.stringify(ev.columns.charttime);
    expect(charttime).toContain('(parent.outtime - prev.charttime) / (remaining + 1)');
    expect(JSON.stringify(ev.count?.count)).toContain('"scale"');
  });

  it('generates the real share of ties (same time as the previous event), within 5 points', () => {
    const r = real.ties / real.pairs;
    const s = synth.ties / synth.pairs;
    expect(r).toBeGreaterThan(0.2);
    expect(Math.abs(s - r)).toBeLessThan(0.05);
  });

  it('piles no events at the interval end beyond the law’s own mass', () => {
    // Real: no event within 1 s of the end (rounds start ≥ 1 min after the start, every hour).
    expect(real.atEnd).toBe(0);
    expect(synth.atEnd / synth.events).toBeLessThan(0.005);
    // The last tenth of the stay holds about a tenth of the events, as in the real stays.
    const r = real.lastTenth / real.events;
    const s = synth.lastTenth / synth.events;
    expect(s).toBeLessThan(r + 0.04);
  });

  it('keeps the events per stay (1 − TVD of the count over 10 quantile bins ≥ 0.85)', () => {
    const sorted = [...real.counts].sort((a, b) => a - b);
    const cuts = [
      ...new Set(Array.from({ length: 9 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / 10)])),
    ];
    const bin = (x: number) => cuts.filter((c) => x >= c).length;
    const hist = (xs: number[]) => {
      const h = new Float64Array(cuts.length + 1);
      for (const x of xs) h[bin(x)] += 1 / xs.length;
      return h;
    };
    const hr = hist(real.counts);
    const hs = hist(synth.counts);
    let tvd = 0;
    for (let k = 0; k < hr.length; k++) tvd += Math.abs(hr[k] - hs[k]) / 2;
    expect(1 - tvd).toBeGreaterThanOrEqual(0.85);
  });
});

describe('count × rate is opt-in', () => {
  it('writes the count law itself unless countRate is set', () => {
    const plain = fitTables(truth, { seed: 2, restarts: 2 });
    const yaml = relationalYaml(plain);
    expect(yaml).not.toMatch(/× a rate/);
    expect(relationalYaml(fit)).toMatch(/× a rate/);
  });
});
