import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { loadSpec } from '../spec/index.js';
import { dequantise, empiricalFromHistogram, empiricalFromValues, knotQuantile } from './empirical.js';
import { binOf, quantileBreaks } from './encode.js';
import { fitFile, fitSummary } from './file.js';
import { bicScore, mutualInformation, SufficientStats } from './stats.js';

describe('encoding and bins', () => {
  it('a large point mass gets its own bin and the rest is split evenly', () => {
    const v = Float64Array.from([...Array(92).fill(0), ...Array.from({ length: 8 }, (_, i) => 100 + i)]);
    const b = quantileBreaks(v, 4);
    expect(b[0]).toBe(100);
    expect(b.length).toBe(3);
    expect(binOf(0, b)).toBe(0);
    expect(binOf(100, b)).toBe(1);
    expect(binOf(1e9, b)).toBe(3);
  });
});

describe('quantile knots', () => {
  it('dequantised integers round back to the observed frequencies', () => {
    const values = [...Array(50).fill(1), ...Array(30).fill(2), ...Array(20).fill(3)];
    const g = { width: 1, anchor: 'centre' as const, lo: 1, hi: 3 };
    const m = empiricalFromValues(values, new Set(), g, 101);
    // Share of the continuous part that rounds to each integer, read off the quantile function.
    const grid = 10_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < grid; i++) {
      const x = Math.round(knotQuantile(m.knots!, (i + 0.5) / grid));
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect(counts.get(1)! / grid).toBeCloseTo(0.5, 1);
    expect(counts.get(2)! / grid).toBeCloseTo(0.3, 1);
    expect(counts.get(3)! / grid).toBeCloseTo(0.2, 1);
    expect(Array.from(dequantise([5, 5], g))).toEqual([4.75, 5.25]);
  });

  it('atoms carry their share and knots the rest', () => {
    const values = [...Array(90).fill(0), ...Array.from({ length: 10 }, (_, i) => 1000 + i * 10)];
    const m = empiricalFromValues(values, new Set([0]), { width: 1, anchor: 'centre', lo: 0, hi: 1090 });
    expect(m.atoms.get(0)).toBeCloseTo(0.9);
    expect(m.contMass).toBeCloseTo(0.1);
    expect(m.knots![0]).toBeGreaterThanOrEqual(999.5);
  });

  it('histogram knots follow the bin masses', () => {
    const m = empiricalFromHistogram([0], [50], [0, 10, 20], [25, 25])!;
    expect(m.atoms.get(0)).toBeCloseTo(0.5);
    expect(knotQuantile(m.knots!, 0.5)).toBeCloseTo(10, 5);
  });
});

describe('scores', () => {
  it('BIC prefers the true parent and MI is zero for independence', () => {
    const n = 2000;
    const a = new Int32Array(n);
    const b = new Int32Array(n);
    const c = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = i % 2;
      b[i] = i % 7 === 0 ? 1 - a[i] : a[i];
      c[i] = Math.floor(i / 2) % 2;
    }
    const s = new SufficientStats([a, b, c], [2, 2, 2]);
    expect(s.bic(1, [0])).toBeGreaterThan(s.bic(1, []));
    expect(s.bic(1, [2])).toBeLessThan(s.bic(1, []));
    expect(mutualInformation(s.counts(2, [0]))).toBeCloseTo(0, 6);
    expect(mutualInformation(s.counts(1, [0]))).toBeGreaterThan(0.2);
    const f = s.counts(1, [0]);
    expect(bicScore(f, n, 0.1)).toBeGreaterThan(bicScore(f, n, 1));
  });
});

describe('fitFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-fit-'));

  it('reads a messy CSV, names the table after the file stem and writes a loadable model', async () => {
    const lines = ['\uFEFFage, sex, income'];
    for (let i = 0; i < 300; i++)
      lines.push(
        `${20 + (i % 50)}, ${i % 3 === 0 ? 'Female' : 'Male'}, ${i % 11 === 0 ? '?' : i % 4 === 0 ? '>50K' : '<=50K'}`,
      );
    const data = join(dir, 'adult_small.csv');
    writeFileSync(data, `${lines.join('\n')}\n\n\n`);
    const out = join(dir, 'model.yaml');
    const r = await fitFile(data, { out, target: 'income' });
    expect(r.table).toBe('adult_small');
    const loaded = await loadSpec(out);
    expect(Object.keys(loaded.spec.tables.adult_small.columns)).toEqual(['age', 'sex', 'income']);
    expect(readFileSync(out, 'utf8')).toContain('missing');
    expect(fitSummary(r, out)).toMatch(/fitted adult_small: 300 rows, 3 columns/);
  });

  it('a broken file is an error with its line number', async () => {
    const data = join(dir, 'broken.csv');
    writeFileSync(data, 'a,b\n1,2\n3,"4\n');
    await expect(fitFile(data)).rejects.toThrow(StrataError);
    await fitFile(data).catch((e: StrataError) => expect(e.format()).toMatch(/broken\.csv:\d+/));
  });

  it('names an unknown target with a suggestion', async () => {
    const data = join(dir, 'adult_small.csv');
    await fitFile(data, { target: 'incme' }).catch((e: StrataError) =>
      expect(e.format()).toMatch(/did you mean "income"/),
    );
    await expect(fitFile(data, { target: 'incme' })).rejects.toThrow(/--target/);
  });
});
