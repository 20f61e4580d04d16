/**
 * A known ground-truth Bayesian network for tests: 7 mixed nodes, sampled with a seeded Stream.
 *
 *   region (cat, 3) ──► plan (cat, 3) ──► churn (yes/no) ──► calls (integer)
 *        │                                    ▲
 *        └──────► spend (number) ─────────────┘
 *   age (integer) ──► spend
 *   colour (cat, independent)
 */
import type { RawColumns } from '../../data/infer.js';
import { type Stream, streamFor } from '../../random/stream.js';

export const TRUE_EDGES: readonly [string, string][] = [
  ['region', 'plan'],
  ['region', 'spend'],
  ['age', 'spend'],
  ['plan', 'churn'],
  ['spend', 'churn'],
  ['churn', 'calls'],
];

export const TRUTH_COLUMNS = ['region', 'age', 'plan', 'spend', 'churn', 'calls', 'colour'] as const;

function pick(s: Stream, labels: readonly string[], probs: readonly number[]): string {
  let u = s.nextFloat();
  for (let i = 0; i < labels.length; i++) {
    u -= probs[i];
    if (u < 0) return labels[i];
  }
  return labels[labels.length - 1];
}

function normal(s: Stream): number {
  return Math.sqrt(-2 * Math.log(s.nextOpen())) * Math.cos(2 * Math.PI * s.nextFloat());
}

function poisson(s: Stream, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= s.nextFloat();
  } while (p > l);
  return k - 1;
}

/** Sample n rows of the ground-truth network as a raw (string) table. */
export function sampleTruth(n: number, seed = 7): RawColumns {
  const s = streamFor(seed, 'truth');
  const cols: (string | null)[][] = TRUTH_COLUMNS.map(() => []);
  const regions = ['north', 'south', 'east'];
  for (let i = 0; i < n; i++) {
    const region = pick(s, regions, [0.5, 0.3, 0.2]);
    const age = Math.max(18, Math.min(90, Math.round(45 + 14 * normal(s))));
    const planProbs =
      region === 'north' ? [0.7, 0.2, 0.1] : region === 'south' ? [0.2, 0.6, 0.2] : [0.1, 0.2, 0.7];
    const plan = pick(s, ['basic', 'plus', 'max'], planProbs);
    const spend = Math.max(
      0,
      50 + (region === 'east' ? 60 : region === 'south' ? 25 : 0) + 1.2 * (age - 45) + 15 * normal(s),
    );
    const pChurn = Math.min(
      0.95,
      Math.max(0.02, (plan === 'basic' ? 0.45 : plan === 'plus' ? 0.25 : 0.1) + (spend > 90 ? 0.35 : 0)),
    );
    const churn = s.nextFloat() < pChurn ? 'yes' : 'no';
    const calls = poisson(s, churn === 'yes' ? 6 : 1.5);
    const colour = pick(s, ['red', 'green', 'blue'], [0.4, 0.35, 0.25]);
    const row = [region, String(age), plan, spend.toFixed(2), churn, String(calls), colour];
    row.forEach((v, j) => {
      cols[j].push(v);
    });
  }
  return { name: 'truth', columns: [...TRUTH_COLUMNS], rowCount: n, data: cols };
}

/** Undirected edge keys `a|b` (sorted) of a directed edge list. */
export function skeleton(edges: readonly (readonly [string, string])[]): string[] {
  return edges.map(([a, b]) => (a < b ? `${a}|${b}` : `${b}|${a}`)).sort();
}
