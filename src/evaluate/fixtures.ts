/**
 * Seeded mixed-type tables for tests and benchmarks: 15 columns (8 numeric, 7 categorical) driven by
 * shared latent factors, so pairs are correlated, with some missing values and a binary target.
 */
import type { RawTable } from '../io/index.js';
import { shuffleInPlace } from '../random/shuffle.js';
import { type Stream, streamFor } from '../random/stream.js';

function normal(s: Stream): number {
  return Math.sqrt(-2 * Math.log(s.nextOpen())) * Math.cos(2 * Math.PI * s.nextFloat());
}

function pick<T>(s: Stream, items: readonly T[], weights: readonly number[]): T {
  let u = s.nextFloat() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) {
    u -= weights[i];
    if (u < 0) return items[i];
  }
  return items[items.length - 1];
}

export const FIXTURE_COLUMNS = [
  'age',
  'income',
  'score',
  'balance',
  'tenure',
  'visits',
  'ratio',
  'temp',
  'segment',
  'region',
  'channel',
  'plan',
  'gender',
  'device',
  'label',
] as const;

/** n rows drawn from the fixture generator with the given seed (`name` → table name). */
export function mixedTable(seed: number, n: number, name = 'fixture'): RawTable {
  const s = streamFor(seed, 'fixture', name);
  const data: (string | null)[][] = FIXTURE_COLUMNS.map(() => new Array<string | null>(n));
  for (let i = 0; i < n; i++) {
    const z1 = normal(s);
    const z2 = normal(s);
    const age = Math.round(Math.min(90, Math.max(18, 42 + 12 * z1)));
    const income = Math.exp(10 + 0.4 * z1 + 0.3 * normal(s));
    const score = 600 + 50 * z2 + 20 * z1 + 10 * normal(s);
    const balance = income * (0.1 + 0.05 * s.nextFloat());
    const tenure = Math.round(Math.max(0, (age - 18) * 0.3 + 3 * normal(s)));
    const visits = Math.floor(-Math.log(s.nextOpen()) * (3 + z2));
    const ratio = 1 / (1 + Math.exp(-(z1 - z2)));
    const temp = 20 + 5 * normal(s);
    const segment = z1 > 0.8 ? 'premium' : z1 < -0.8 ? 'basic' : 'standard';
    const region = pick(s, ['north', 'south', 'east', 'west', 'central'], [3, 2, 2, 2, 1]);
    const channel =
      z2 > 0 ? pick(s, ['web', 'app', 'branch'], [5, 4, 1]) : pick(s, ['web', 'app', 'branch'], [2, 2, 6]);
    const plan = pick(s, ['A', 'B', 'C', 'D'], segment === 'premium' ? [1, 1, 3, 5] : [5, 3, 1, 1]);
    const gender = s.nextFloat() < 0.5 ? 'f' : 'm';
    const device = pick(s, ['ios', 'android', 'desktop'], channel === 'app' ? [5, 5, 0.5] : [1, 1, 8]);
    const logit = -1.2 + 1.1 * z1 + 0.8 * (channel === 'branch' ? 1 : 0) + 0.3 * (gender === 'm' ? 1 : 0);
    const label = s.nextFloat() < 1 / (1 + Math.exp(-logit)) ? 'yes' : 'no';
    const row = [
      String(age),
      s.nextFloat() < 0.05 ? null : income.toFixed(2),
      score.toFixed(1),
      balance.toFixed(2),
      String(tenure),
      String(visits),
      ratio.toFixed(4),
      temp.toFixed(2),
      segment,
      region,
      channel,
      s.nextFloat() < 0.03 ? null : plan,
      gender,
      device,
      label,
    ];
    for (let c = 0; c < row.length; c++) data[c][i] = row[c];
  }
  return { name, columns: [...FIXTURE_COLUMNS], rowCount: n, data, source: `${name}.csv` };
}

/** A copy of t with each column independently shuffled (kills every dependency, keeps marginals). */
export function shuffleColumns(t: RawTable, seed: number): RawTable {
  const s = streamFor(seed, 'fixture', 'shuffle');
  const data = t.data.map((col) => {
    const c = col.slice();
    shuffleInPlace(c, s);
    return c;
  });
  return { ...t, data, name: `${t.name}-shuffled` };
}

const MOODS = ['calm', 'upset', 'friendly', 'in a hurry', 'confused', 'satisfied'];
const TOPICS = [
  'billing',
  'a late payment',
  'the new card',
  'an address change',
  'a loan offer',
  'fees',
  'the mobile app',
  'a complaint',
  'travel notice',
  'overdraft',
];
const NEXT = [
  'call back next week',
  'no follow-up needed',
  'send a letter',
  'escalate to a manager',
  'email the form',
  'check again in a month',
];

/** A free-text note of the kind a service desk writes (about 15 words). */
export function note(s: Stream): string {
  const pickOne = (xs: readonly string[]) => xs[s.nextInt(xs.length)];
  return `Customer ${pickOne(MOODS)}, asked about ${pickOne(TOPICS)} on day ${1 + s.nextInt(28)}; ${pickOne(NEXT)} (ref ${s.nextInt(100000)}).`;
}

/**
 * `t` with a `customer_id` first (idStart, idStart + 1, …: unique per row) and a free-text `note`
 * last, drawn by the same generator for every table: a second real sample gets fresh ids and notes
 * of the same kind.
 */
export function withIdAndNote(t: RawTable, idStart: number, seed: number): RawTable {
  const s = streamFor(seed, 'fixture', 'notes');
  const ids: string[] = [];
  const notes: string[] = [];
  for (let i = 0; i < t.rowCount; i++) {
    ids.push(String(idStart + i));
    notes.push(note(s));
  }
  return { ...t, columns: ['customer_id', ...t.columns, 'note'], data: [ids, ...t.data, notes] };
}
