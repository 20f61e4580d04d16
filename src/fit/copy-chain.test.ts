import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import { generateRows } from '../sample/index.js';
import { parseSpecText } from '../spec/index.js';
import { fitTable } from './fit.js';

/**
 * A near-copy chain with point masses, shaped like a card's months (Taiwan credit): per row a
 * spending level L; bills b4 → b1 carried month to month (b_k = b_{k+1} + a small change, 10%
 * exactly 0); payments p_k that are 0 (20%), equal to last month's bill b_{k+1} (25%), equal to
 * last month's payment p_{k+1} (20%), or a round sum drawn around L. A payment that repeats the previous one
 * is a point mass tied to a second parent, and it is what carries L along the chain.
 */
function months(n: number, seed: number) {
  const s = streamFor(seed, 'months');
  const g = () => Math.sqrt(-2 * Math.log(s.nextOpen())) * Math.cos(2 * Math.PI * s.nextFloat());
  const names = ['b4', 'p4', 'b3', 'p3', 'b2', 'p2', 'b1', 'p1'];
  const cols: string[][] = names.map(() => []);
  for (let i = 0; i < n; i++) {
    const level = Math.exp(7 + 0.8 * g());
    const row = new Map<string, number>();
    let bill = s.nextFloat() < 0.1 ? 0 : Math.round(5 * level * Math.exp(0.5 * g()));
    // Payments are round sums (multiples of 100, as people pay), so a repeated payment is mostly
    // one of the column's frequent values (a point mass of its own).
    const draw = () => Math.max(100, 100 * Math.round((4 * level * Math.exp(0.3 * g())) / 100));
    let pay = s.nextFloat() < 0.2 ? 0 : draw();
    row.set('b4', bill).set('p4', pay);
    for (let k = 3; k >= 1; k--) {
      const nextBill = s.nextFloat() < 0.1 ? 0 : Math.max(0, Math.round(bill + level * 0.5 * g()));
      const u = s.nextFloat();
      const nextPay = u < 0.2 ? 0 : u < 0.45 ? bill : u < 0.65 ? pay : draw();
      bill = nextBill;
      pay = nextPay;
      row.set(`b${k}`, bill).set(`p${k}`, pay);
    }
    names.forEach((c, j) => {
      cols[j].push(String(row.get(c)));
    });
  }
  return { name: 'months', columns: names, rowCount: n, data: cols };
}

/** Spearman rank correlation (average ranks for ties). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const rank = (v: readonly number[]) => {
    const o = v.map((_, i) => i).sort((x, y) => v[x] - v[y]);
    const r = new Float64Array(v.length);
    for (let i = 0; i < o.length; ) {
      let j = i;
      while (j + 1 < o.length && v[o[j + 1]] === v[o[i]]) j++;
      for (let t = i; t <= j; t++) r[o[t]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const x = rank(a);
  const y = rank(b);
  const m = (x.length - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - m) * (y[i] - m);
    sxx += (x[i] - m) ** 2;
    syy += (y[i] - m) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** The figures the test compares: zero shares, repeat shares and the lag-3 payment correlation. */
function figures(columns: readonly string[], data: readonly (readonly unknown[])[]) {
  const col = (n: string) => data[columns.indexOf(n)].map(Number);
  const [p1, p2, p3, p4, b1, b2, b3] = ['p1', 'p2', 'p3', 'p4', 'b1', 'b2', 'b3'].map(col);
  const n = p1.length;
  const share = (f: (i: number) => boolean) => {
    let c = 0;
    for (let i = 0; i < n; i++) if (f(i)) c++;
    return c / n;
  };
  return {
    zeros: [p1, p2, p3].map((p) => share((i) => p[i] === 0)),
    repeats: [
      [p1, p2],
      [p2, p3],
      [p3, p4],
    ].map(([a, b]) => share((i) => a[i] !== 0 && a[i] === b[i])),
    billPaid: share((i) => p1[i] !== 0 && p1[i] === b2[i]),
    lag1: [spearman(p1, p2), spearman(p2, p3), spearman(p3, p4), spearman(b1, b2), spearman(b2, b3)],
    lag3: spearman(p1, p4),
  };
}

describe("a near-copy chain with zero masses (payments that repeat last month's)", () => {
  const raw = months(8000, 1);
  const real = figures(raw.columns, raw.data);
  const fit = fitTable(raw, { seed: 1 });

  it('is recovered: zeros, exact repeats and the lag-3 correlation of payments', async () => {
    const loaded = parseSpecText(fit.yaml, 'months.yaml');
    const g = await generateRows({ spec: loaded.spec, rows: 8000, seed: 3 });
    const syn = figures(g.columns, g.data);
    syn.zeros.forEach((z, k) => {
      expect(Math.abs(z - real.zeros[k])).toBeLessThan(0.03);
    });
    // Exact repeats of last month's payment (real 0.141 / 0.149 / 0.167): the repeats read as
    // the column's own point masses were lost (0.064 / 0.026 / 0.027, when the copy and the
    // anchor's offset 0 gave way to atoms); now 0.149 / 0.113 / 0.181 (p2 = p3 is the copy p3 of
    // p2, fitted in the reverse direction of the data's, and keeps a little less).
    syn.repeats.forEach((r, k) => {
      expect(Math.abs(r - real.repeats[k])).toBeLessThan(0.04);
    });
    expect(Math.abs(syn.billPaid - real.billPaid)).toBeLessThan(0.03);
    syn.lag1.forEach((r, k) => {
      expect(Math.abs(r - real.lag1[k])).toBeLessThan(0.05);
    });
    // Three months apart the payments share only the level L, which no parent carries but the
    // repeats: measured real 0.190, without copy parents 0.115 (and no repeats at all: p1 = p2 in
    // 0.01% of rows against 13.6%), with them 0.135.
    expect(Math.abs(syn.lag3 - real.lag3)).toBeLessThan(0.07);
  });
});
