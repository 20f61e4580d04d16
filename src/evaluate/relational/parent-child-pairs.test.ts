import { describe, expect, it } from 'vitest';
import { evaluate, SECTION_NAMES } from '../index.js';
import type { TableInput } from '../tables.js';
import { lcg, table } from './testing/hospital.js';

const ONLY_RELATIONAL = Object.fromEntries(SECTION_NAMES.map((n) => [n, n === 'relational']));

/**
 * Customers (segment, age) and their orders, whose channel follows the segment and whose amount
 * follows the age: the dependence lives only across the foreign key.
 */
function shop(customers: number, seed: number) {
  const u = lcg(seed);
  const cust: { cid: string; segment: string; age: string }[] = [];
  const orders: { oid: string; cid: string; channel: string; amount: string }[] = [];
  for (let c = 0; c < customers; c++) {
    const segment = u() < 0.5 ? 'retail' : 'business';
    const age = 20 + Math.floor(u() * 50);
    cust.push({ cid: `c${c}`, segment, age: String(age) });
    const n = 1 + Math.floor(u() * 3);
    for (let k = 0; k < n; k++) {
      const web = segment === 'retail' ? u() < 0.9 : u() < 0.1;
      orders.push({
        oid: `o${orders.length}`,
        cid: `c${c}`,
        channel: web ? 'web' : 'phone',
        amount: (age * 10 + u() * 40).toFixed(1),
      });
    }
  }
  return { cust, orders };
}

function asSet(s: ReturnType<typeof shop>): Map<string, TableInput> {
  return new Map([
    ['customers', table('customers', s.cust, ['cid', 'segment', 'age'])],
    ['orders', table('orders', s.orders, ['oid', 'cid', 'channel', 'amount'])],
  ]);
}

/** The same rows, each order's customer permuted among the orders: every table and count unchanged. */
function reparented(s: ReturnType<typeof shop>, seed: number): ReturnType<typeof shop> {
  const u = lcg(seed);
  const ids = s.orders.map((o) => o.cid);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return { cust: s.cust, orders: s.orders.map((o, i) => ({ ...o, cid: ids[i] })) };
}

async function judge(
  real: ReturnType<typeof shop>,
  syn: ReturnType<typeof shop>,
  holdout?: ReturnType<typeof shop>,
) {
  const r = asSet(real);
  const s = asSet(syn);
  return evaluate({
    real: r.get('customers') as TableInput,
    synthetic: s.get('customers') as TableInput,
    sections: ONLY_RELATIONAL,
    relational: { real: r, synthetic: s, ...(holdout ? { holdout: asSet(holdout) } : {}) },
  });
}

describe('parent–child column pairs', () => {
  const real = shop(400, 3);

  it('scores a copy 1 on every pair of the join', async () => {
    const rep = await judge(real, structuredClone(real));
    const fk = rep.relational?.foreign_keys[0];
    expect(fk?.pairs_judged).toBe(4); // (segment, age) × (channel, amount)
    expect(fk?.parent_child_pairs.value).toBeCloseTo(1, 10);
    expect(rep.summary.parent_child_pairs_min).toBeCloseTo(1, 10);
    expect(rep.summary.parent_child_dependence_min).toBeCloseTo(1, 10);
  });

  it('drops when children are given random parents, though every table and the counts are unchanged', async () => {
    const holdout = shop(400, 4);
    const good = await judge(real, holdout);
    const bad = await judge(real, reparented(real, 9), holdout);
    expect(bad.summary.children_tvd_min).toBe(1);
    expect(bad.summary.table_accuracy_univariate_min).toBeCloseTo(1, 10);
    const g = good.summary.parent_child_pairs_min as number;
    const b = bad.summary.parent_child_pairs_min as number;
    expect(b).toBeLessThan(g - 0.15);
    const fk = bad.relational?.foreign_keys[0];
    // the holdout is the ceiling, and the same figure as the holdout judged as synthetic
    expect(fk?.parent_child_pairs_holdout?.value).toBeCloseTo(g, 10);
    expect(fk?.worst_pairs[0]).toMatchObject({ parent_column: 'age', child_column: 'amount' });
    expect(fk?.worst_pairs[0].accuracy as number).toBeLessThan(0.8);
    // the dependence alone: the holdout keeps it, random parents lose it
    const gd = good.summary.parent_child_dependence_min as number;
    const bd = bad.summary.parent_child_dependence_min as number;
    expect(gd).toBeGreaterThan(0.95);
    expect(bd).toBeLessThan(gd - 0.1);
    expect(fk?.parent_child_dependence_holdout?.value).toBeCloseTo(gd, 10);
  });
});
