/**
 * A known "events inside a parent interval" structure for tests, drawn with plain code from a
 * seeded stream: stays → events (the shape of MIMIC's ICU stays and their output events).
 *  - stays: start uniform over 2020 (whole minutes), length 6 h … 10 days (skewed to short);
 *  - events: a charting round every `every` hours (1 h with 0.7, 2 h with 0.3), the first 1–59
 *    minutes after the start, while before the end; each round charts `items` events at the same
 *    minute (1 with 0.55, 2 with 0.3, 3 with 0.15) — events of one round are ties.
 * So the count grows with the stay's length (about length / every × 1.6 events) and ties are
 * rounds, not a crowd at the end: no event is within an hour of the end more than by chance.
 */
import type { RawColumns } from '../../data/infer.js';
import { streamFor } from '../../random/stream.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

export function sampleIntervalTruth(stays: number, seed: number): RawColumns[] {
  const s = streamFor(seed, 'interval-truth');
  const st: (string | null)[][] = [[], [], []];
  const ev: (string | null)[][] = [[], [], [], []];
  const t2020 = Date.UTC(2020, 0, 1);
  let eventId = 1;
  for (let i = 0; i < stays; i++) {
    const id = String(1000 + i);
    const start = t2020 + s.nextInt(365 * 24 * 60) * MINUTE;
    const u = s.nextFloat();
    const length = Math.round(6 * HOUR + u * u * (234 * HOUR) + s.nextInt(60) * MINUTE);
    const end = start + length;
    st[0].push(id);
    st[1].push(iso(start));
    st[2].push(iso(end));
    const every = s.nextFloat() < 0.7 ? HOUR : 2 * HOUR;
    for (let t = start + (1 + s.nextInt(59)) * MINUTE; t < end; t += every) {
      const v = s.nextFloat();
      const items = v < 0.55 ? 1 : v < 0.85 ? 2 : 3;
      for (let k = 0; k < items; k++) {
        ev[0].push(String(eventId++));
        ev[1].push(id);
        ev[2].push(iso(t));
        ev[3].push(String(10 + s.nextInt(90)));
      }
    }
  }
  return [
    { name: 'stays', columns: ['stay_id', 'intime', 'outtime'], rowCount: stays, data: st },
    {
      name: 'events',
      columns: ['event_id', 'stay_id', 'charttime', 'value'],
      rowCount: ev[0].length,
      data: ev,
    },
  ];
}
