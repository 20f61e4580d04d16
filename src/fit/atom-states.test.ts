import { describe, expect, it } from 'vitest';
import { inferTable } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { isolateBreaks, proposeAtomStates } from './atom-states.js';
import { encodeColumn } from './encode.js';
import { fitTable } from './fit.js';

/** A bill with 30% exact zeros (12% by quantile-bin width) and a status set by "bill is 0". */
function bills(n: number, seed: number) {
  const s = streamFor(seed, 'bills');
  const bill: string[] = [];
  const status: string[] = [];
  for (let i = 0; i < n; i++) {
    const zero = s.nextFloat() < 0.3;
    const b = zero ? 0 : 1 + s.nextInt(400);
    bill.push(String(b));
    status.push(zero ? (s.nextFloat() < 0.9 ? 'idle' : 'paid') : s.nextFloat() < 0.1 ? 'idle' : 'paid');
  }
  return { name: 'bills', columns: ['bill', 'status'], rowCount: n, data: [bill, status] };
}

describe('point masses of numeric parents as their own states', () => {
  it('isolates an atom without duplicating or crossing cuts', () => {
    expect(isolateBreaks([10, 20], [0], 0.5)).toEqual([0, 0.5, 10, 20]);
    expect(isolateBreaks([0, 0.25, 20], [0], 0.5)).toEqual([0, 0.25, 20]);
  });

  it('proposes the zero bill as a state of its own when it wins held out', () => {
    const raw = bills(4000, 1);
    const info = inferTable(raw);
    const nodes = info.columns.map((c, i) => encodeColumn(c, raw.data[i], { minCount: 5, maxBins: 3 }));
    // Three structure bins keep the zeros with small bills.
    expect(nodes[0].breaks.includes(0.5)).toBe(false);
    const found = proposeAtomStates(nodes, 1, [0]);
    expect(found).toHaveLength(1);
    expect(found[0].atoms).toEqual([0]);
    expect(found[0].gain).toBeGreaterThan(0.01);
    expect(found[0].node.breaks.slice(0, 2)).toEqual([0, 0.5]);
  });

  it('is written by fit into the parent breaks, and left out when nothing differs at the atom', () => {
    const raw = bills(4000, 2);
    const knowledge = {
      required: [['bill', 'status']] as [string, string][],
      forbidden: [],
      tiers: [],
      roots: [],
    };
    const fit = fitTable(raw, { seed: 1, maxBins: 3, knowledge });
    const status = fit.spec.tables.bills.columns.status;
    expect(status.conditional?.parents[0]).toMatchObject({ column: 'bill' });
    expect(status.conditional?.parents[0].breaks?.slice(0, 2)).toEqual([0, 0.5]);
    expect(fit.columns.find((c) => c.name === 'status')?.summary).toMatch(/own parent states for bill = 0/);
    // Status independent of the zero: no proposal.
    const flat = bills(4000, 3);
    flat.data[1] = flat.data[1].map((_, i) => (i % 3 === 0 ? 'idle' : 'paid'));
    const info = inferTable(flat);
    const nodes = info.columns.map((c, i) => encodeColumn(c, flat.data[i], { minCount: 5, maxBins: 3 }));
    expect(proposeAtomStates(nodes, 1, [0])).toHaveLength(0);
  });
});
