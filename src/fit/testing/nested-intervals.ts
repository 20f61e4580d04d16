/**
 * A known "child interval inside a parent interval" structure for tests, drawn with plain code
 * from a seeded stream: admissions → ICU stays (the shape of MIMIC's ADMISSIONS and ICUSTAYS).
 *  - admission: admittime uniform over 2020 (whole seconds);
 *  - one stay (with 0.85) or none: intime = admittime (with 0.6) or up to 12 hours later (uniform;
 *    MIMIC's ICU stays start at admission in half the stays, within 0.42 days in 75%); its length
 *    is lognormal (median 2 days, σ 0.8) — the duration law a fit must recover;
 *  - dischtime = outtime (or the stay's would-be start) + a wait (0 with 0.2, else exponential, mean 3 days).
 * So every stay fits inside its admission (`intime >= parent.admittime`,
 * `outtime <= parent.dischtime` on every row), and the room an admission leaves
 * (dischtime − intime) is the stay's length plus the wait.
 */
import type { RawColumns } from '../../data/infer.js';
import { streamFor } from '../../random/stream.js';

const SECOND = 1000;
const DAY = 86_400 * SECOND;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** One stay's length in ms: lognormal, median 2 days, σ 0.8, whole seconds. */
export function stayLength(z: number): number {
  return Math.round((2 * DAY * Math.exp(0.8 * z)) / SECOND) * SECOND;
}

export function sampleNestedIntervals(admissions: number, seed: number): RawColumns[] {
  const s = streamFor(seed, 'nested-intervals');
  const normal = () => {
    // Box–Muller from the stream (the test's own law, not Strata's).
    let u = s.nextFloat();
    while (u === 0) u = s.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * s.nextFloat());
  };
  const ad: (string | null)[][] = [[], [], []];
  const st: (string | null)[][] = [[], [], [], []];
  const t2020 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < admissions; i++) {
    const id = String(5000 + i);
    const admit = t2020 + s.nextInt(365 * 86_400) * SECOND;
    const start = s.nextFloat() < 0.6 ? admit : admit + s.nextInt(12 * 3600) * SECOND;
    const end = start + stayLength(normal());
    if (s.nextFloat() < 0.85) {
      st[0].push(String(90_000 + st[0].length));
      st[1].push(id);
      st[2].push(iso(start));
      st[3].push(iso(end));
    }
    const wait =
      s.nextFloat() < 0.2 ? 0 : Math.round((-3 * DAY * Math.log(1 - s.nextFloat())) / SECOND) * SECOND;
    ad[0].push(id);
    ad[1].push(iso(admit));
    ad[2].push(iso(end + wait));
  }
  return [
    { name: 'admissions', columns: ['hadm_id', 'admittime', 'dischtime'], rowCount: admissions, data: ad },
    {
      name: 'stays',
      columns: ['icustay_id', 'hadm_id', 'intime', 'outtime'],
      rowCount: st[0].length,
      data: st,
    },
  ];
}
