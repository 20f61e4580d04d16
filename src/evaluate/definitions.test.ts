/**
 * The fidelity figures against an independent brute-force implementation of the published
 * definitions, computed differently: straight from the raw strings, with Maps keyed by value,
 * ECDFs evaluated by counting at every observed value, and no typed arrays or bootstrap code.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RawTable } from '../io/index.js';
import { readTable } from '../io/index.js';
import { streamFor } from '../random/stream.js';
import { type EvaluationReport, evaluate } from './index.js';

function randomTable(seed: number, n: number, shift: number): RawTable {
  const s = streamFor(seed, 'defs');
  const cols = ['x', 'y', 'z', 'c', 'd'];
  const data: (string | null)[][] = cols.map(() => []);
  for (let i = 0; i < n; i++) {
    const x = s.nextFloat() * 10 + shift;
    const y = x * 0.5 + s.nextFloat() * 3;
    const z = Math.round(s.nextFloat() * 40) / 4 + 0.5; // ties
    const c = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'][
      Math.floor(s.nextFloat() ** (1 + shift) * 12)
    ];
    const d = x > 5 + shift ? 'hi' : s.nextFloat() < 0.3 ? 'mid' : 'lo';
    data[0].push(s.nextFloat() < 0.05 ? null : x.toFixed(6));
    data[1].push(y.toFixed(6));
    data[2].push(z.toFixed(2));
    data[3].push(s.nextFloat() < 0.04 ? null : c);
    data[4].push(d);
  }
  return { name: `t${seed}`, columns: cols, rowCount: n, data, source: `t${seed}.csv` };
}

const nums = (v: (string | null)[]) => v.filter((x): x is string => x !== null).map(Number);

function bruteKs(a: number[], b: number[]): number {
  let d = 0;
  for (const t of [...a, ...b]) {
    const fa = a.filter((v) => v <= t).length / a.length;
    const fb = b.filter((v) => v <= t).length / b.length;
    d = Math.max(d, Math.abs(fa - fb));
  }
  return 1 - d;
}

function freq(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1 / keys.length);
  return m;
}

function bruteTvc(a: string[], b: string[]): number {
  const fa = freq(a);
  const fb = freq(b);
  let s = 0;
  for (const k of new Set([...fa.keys(), ...fb.keys()])) s += Math.abs((fa.get(k) ?? 0) - (fb.get(k) ?? 0));
  return 1 - s / 2;
}

function brutePearson(x: (string | null)[], y: (string | null)[]): number {
  const px: number[] = [];
  const py: number[] = [];
  x.forEach((v, i) => {
    if (v !== null && y[i] !== null) {
      px.push(Number(v));
      py.push(Number(y[i]));
    }
  });
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(px);
  const my = mean(py);
  const cov = px.reduce((s, v, i) => s + (v - mx) * (py[i] - my), 0);
  const vx = px.reduce((s, v) => s + (v - mx) ** 2, 0);
  const vy = py.reduce((s, v) => s + (v - my) ** 2, 0);
  return cov / Math.sqrt(vx * vy);
}

/** Equal-width bin label (SDMetrics): 10 bins over the reference min..max, left-closed, clipped. */
function widthBin(ref: number[]): (v: string | null) => string {
  const lo = Math.min(...ref);
  const hi = Math.max(...ref);
  return (v) => {
    if (v === null) return 'NA';
    const x = Number(v);
    let b = 0;
    for (let k = 1; k < 10; k++) if (x >= lo + ((hi - lo) * k) / 10) b = k;
    return `b${b}`;
  };
}

/** Quantile bin label (Mostly-AI): deciles of the reference (numpy linear), right-closed. */
function quantileBin(ref: number[]): (v: string | null) => string {
  const s = [...ref].sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (s.length - 1) * p;
    const l = Math.floor(h);
    return s[l] + (h - l) * (s[Math.min(l + 1, s.length - 1)] - s[l]);
  };
  const cuts = [...new Set([1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => q(k / 10)))].filter(
    (c) => c < s[s.length - 1],
  );
  return (v) => (v === null ? 'NA' : `q${cuts.filter((c) => c < Number(v)).length}`);
}

function topBin(ref: (string | null)[]): (v: string | null) => string {
  const counts = freq(ref.filter((v): v is string => v !== null));
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, 10)
    .map(([k]) => k);
  return (v) => (v === null ? 'NA' : top.includes(v) ? v : 'OTHER');
}

/** Every fidelity figure of `r` against brute-force versions of the published definitions. */
function checkFidelity(real: RawTable, syn: RawTable, r: EvaluationReport): void {
  const f = r.fidelity!;
  const kinds = Object.fromEntries(r.inputs.columns.map((c) => [c.name, c.kind]));
  const col = (name: string) => real.columns.indexOf(name);
  const accBin = (name: string) =>
    kinds[name] === 'numeric' ? quantileBin(nums(real.data[col(name)])) : topBin(real.data[col(name)]);
  const contBin = (name: string) =>
    kinds[name] === 'numeric' ? widthBin(nums(real.data[col(name)])) : (v: string | null) => v ?? 'NA';
  for (const c of f.columns) {
    const a = real.data[col(c.name)];
    const b = syn.data[col(c.name)];
    const shape =
      c.kind === 'numeric'
        ? bruteKs(nums(a), nums(b))
        : bruteTvc(
            a.filter((v): v is string => v !== null),
            b.filter((v): v is string => v !== null),
          );
    expect(c.shape.value).toBeCloseTo(shape, 6);
    const bin = accBin(c.name);
    expect(c.accuracy.value).toBeCloseTo(bruteTvc(a.map(bin), b.map(bin)), 6);
  }
  for (const p of f.pairs) {
    const ia = col(p.a);
    const ib = col(p.b);
    if (kinds[p.a] === 'numeric' && kinds[p.b] === 'numeric') {
      const want =
        1 -
        Math.abs(brutePearson(real.data[ia], real.data[ib]) - brutePearson(syn.data[ia], syn.data[ib])) / 2;
      expect(p.similarity.metric).toBe('CorrelationSimilarity');
      expect(p.similarity.value).toBeCloseTo(want, 6);
    } else {
      const ba = contBin(p.a);
      const bb = contBin(p.b);
      const keys = (t: RawTable) => t.data[ia].map((v, i) => `${ba(v)}|${bb(t.data[ib][i])}`);
      expect(p.similarity.metric).toBe('ContingencySimilarity');
      expect(p.similarity.value).toBeCloseTo(bruteTvc(keys(real), keys(syn)), 6);
    }
    const qa = accBin(p.a);
    const qb = accBin(p.b);
    const akeys = (t: RawTable) => t.data[ia].map((v, i) => `${qa(v)}|${qb(t.data[ib][i])}`);
    expect(p.accuracy.value).toBeCloseTo(bruteTvc(akeys(real), akeys(syn)), 6);
  }
  const meanAcc = f.columns.reduce((s, c) => s + (c.accuracy.value ?? 0), 0) / f.columns.length;
  expect(r.summary.accuracy_univariate).toBeCloseTo(meanAcc, 9);
  // every figure carries an interval that contains it or is at least ordered
  for (const c of f.columns) expect(c.accuracy.ci?.[0]).toBeLessThanOrEqual(c.accuracy.ci?.[1] ?? Number.NaN);
}

describe('fidelity matches brute-force published definitions', () => {
  it('KSComplement, TVComplement, CorrelationSimilarity, ContingencySimilarity, 1−TVD uni/bivariate to 1e-6', async () => {
    for (const [seedR, seedS] of [
      [1, 2],
      [5, 9],
    ]) {
      const real = randomTable(seedR, 300, 0);
      const syn = randomTable(seedS, 240, 0.4);
      const r = await evaluate({
        real,
        synthetic: syn,
        bootstrapReps: 5,
        sections: { detection: false, mmd: false, privacy: false, utility: false, knnCoverage: false },
      });
      expect(Object.fromEntries(r.inputs.columns.map((c) => [c.name, c.kind]))).toEqual({
        x: 'numeric',
        y: 'numeric',
        z: 'numeric',
        c: 'categorical',
        d: 'categorical',
      });
      checkFidelity(real, syn, r);
    }
  });

  const adult = '/work/shared/data/uci-adult';
  it.skipIf(!existsSync(`${adult}/adult_train.csv`))(
    'Adult (train vs test as a stand-in): every column and pair figure matches brute force',
    async () => {
      // The first 3,000 rows of each: the brute-force oracle is deliberately naive (quadratic KS).
      const real = await readTable(`${adult}/adult_train.csv`, { limit: 3000 });
      const syn = await readTable(`${adult}/adult_test.csv`, { limit: 3000 });
      const r = await evaluate({
        real,
        synthetic: syn,
        bootstrapReps: 2,
        sections: { detection: false, mmd: false, privacy: false, utility: false, knnCoverage: false },
      });
      expect(r.fidelity!.pairs).toHaveLength((15 * 14) / 2);
      checkFidelity(real, syn, r);
    },
  );
});
