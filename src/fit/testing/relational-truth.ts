/**
 * A known relational structure for tests, drawn with plain code from a seeded stream:
 * customers → accounts → events.
 *  - customers: segment A/B (50/50), signup time uniform over 2020;
 *  - accounts per customer: A → {0: 0.2, 1: 0.5, 2: 0.3}, B → {1: 0.2, 2: 0.3, 3: 0.5};
 *    tier given parent.segment (A: gold 0.8, B: gold 0.2); opened = signup + 1..30 days;
 *  - events per account: 1..6 uniformly, ordered by time; state is a Markov chain
 *    (ok → ok 0.8, ok → late 0.2; late → ok 0.4, late → late 0.6; first state ok 0.7);
 *    time = opened (first) or the previous time, + 1..10 days.
 */
import type { RawColumns } from '../../data/infer.js';
import { streamFor } from '../../random/stream.js';

export const TRUE_ACCOUNTS: Record<'A' | 'B', number[]> = { A: [0.2, 0.5, 0.3, 0], B: [0, 0.2, 0.3, 0.5] };
export const TRUE_GOLD: Record<'A' | 'B', number> = { A: 0.8, B: 0.2 };
export const TRUE_TRANSITION: Record<'ok' | 'late', Record<'ok' | 'late', number>> = {
  ok: { ok: 0.8, late: 0.2 },
  late: { ok: 0.4, late: 0.6 },
};

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

function draw(p: readonly number[], u: number): number {
  let acc = 0;
  for (let k = 0; k < p.length; k++) {
    acc += p[k];
    if (u < acc) return k;
  }
  return p.length - 1;
}

export function sampleRelationalTruth(customers: number, seed: number): RawColumns[] {
  const s = streamFor(seed, 'relational-truth');
  const c: (string | null)[][] = [[], [], []];
  const a: (string | null)[][] = [[], [], [], []];
  const e: (string | null)[][] = [[], [], [], []];
  const t2020 = Date.UTC(2020, 0, 1);
  let accountId = 5000;
  let eventId = 1;
  for (let i = 0; i < customers; i++) {
    const id = String(100 + i);
    const seg: 'A' | 'B' = s.nextFloat() < 0.5 ? 'A' : 'B';
    const signup = t2020 + Math.floor(s.nextFloat() * 365) * DAY + s.nextInt(86_400) * 1000;
    c[0].push(id);
    c[1].push(seg);
    c[2].push(iso(signup));
    const na = draw(TRUE_ACCOUNTS[seg], s.nextFloat());
    for (let j = 0; j < na; j++) {
      const aid = String(accountId++);
      const opened = signup + (1 + s.nextInt(30)) * DAY;
      a[0].push(aid);
      a[1].push(id);
      a[2].push(s.nextFloat() < TRUE_GOLD[seg] ? 'gold' : 'basic');
      a[3].push(iso(opened));
      const ne = 1 + s.nextInt(6);
      let time = opened;
      let state: 'ok' | 'late' = s.nextFloat() < 0.7 ? 'ok' : 'late';
      for (let k = 0; k < ne; k++) {
        if (k > 0) state = s.nextFloat() < TRUE_TRANSITION[state].ok ? 'ok' : 'late';
        time += (1 + s.nextInt(10)) * DAY;
        e[0].push(String(eventId++));
        e[1].push(aid);
        e[2].push(iso(time));
        e[3].push(state);
      }
    }
  }
  // Events written shuffled within the file: the order must come from the time column.
  const perm = Array.from({ length: e[0].length }, (_, i) => i);
  for (let i = perm.length - 1; i > 0; i--) {
    const j = s.nextInt(i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const shuffled = e.map((col) => perm.map((i) => col[i]));
  return [
    { name: 'customers', columns: ['customer_id', 'segment', 'signup'], rowCount: customers, data: c },
    {
      name: 'accounts',
      columns: ['account_id', 'customer_id', 'tier', 'opened'],
      rowCount: a[0].length,
      data: a,
    },
    {
      name: 'events',
      columns: ['event_id', 'account_id', 'time', 'state'],
      rowCount: shuffled[0].length,
      data: shuffled,
    },
  ];
}
