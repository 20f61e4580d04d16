import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRows, generateToFile } from '../sample/index.js';
import { checkSpecText, parseSpecText } from '../spec/index.js';

const SPEC = `
strata: 1
tables:
  t:
    columns:
      bill_prev: { type: integer, min: 0, max: 100000, dist: { uniform: { min: 1000, max: 90000 } } }
      bill:
        type: integer
        min: 0
        max: 100000
        given: [bill_prev]
        dist:
          empirical:
            knots: [-500, 0, 500]
            atoms: { "0": 0.1 }
            shift: bill_prev
            offsets: { "0": 0.3 }
            continuous: offset
            slope: 0.9
      paid:
        type: integer
        min: 0
        max: 100000
        given: [bill]
        dist:
          empirical:
            knots: [0, 100, 2000]
            shift: bill
            offsets: { "0": 0.25 }
`;

describe('empirical tables tied to a parent (shift / offsets / continuous: offset)', () => {
  it('generates parent + offset, exact equalities and absolute atoms in their shares', async () => {
    const { spec } = parseSpecText(SPEC, 'test.yaml');
    const r = await generateRows({ spec, rows: 20_000, seed: 3 });
    const col = (n: string) => r.data[r.columns.indexOf(n)] as number[];
    const prev = col('bill_prev');
    const bill = col('bill');
    const paid = col('paid');
    let zero = 0;
    let same = 0;
    let paidInFull = 0;
    for (let i = 0; i < r.rows; i++) {
      if (bill[i] === 0) zero++;
      else if (bill[i] === prev[i]) same++;
      else expect(Math.abs(bill[i] - 0.9 * prev[i])).toBeLessThanOrEqual(501);
      if (paid[i] === bill[i]) paidInFull++;
      else expect(paid[i]).toBeLessThanOrEqual(2000);
    }
    const near = (x: number, p: number) =>
      expect(Math.abs(x / r.rows - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / r.rows));
    near(zero, 0.1);
    // offset 0 (0.3) plus continuous offsets that round to exactly 0.1 × prev: none are integers
    // equal to prev apart from the offset atom, up to rounding at tiny bills
    near(same, 0.3);
    // paid = bill from the offset (0.25), plus paid-from-knots that happens to equal a small bill
    expect(paidInFull / r.rows).toBeGreaterThan(0.25 - 0.02);
    expect(paidInFull / r.rows).toBeLessThan(0.25 + 0.03);
  });

  it('is byte-identical for 1 and 2 workers', async () => {
    const { spec } = parseSpecText(SPEC, 'test.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'strata-anchored-'));
    try {
      const out = (w: number) => join(dir, `w${w}.csv`);
      await generateToFile({ spec, rows: 20_000, seed: 9, workers: 1, out: out(1) });
      await generateToFile({ spec, rows: 20_000, seed: 9, workers: 2, out: out(2) });
      expect(readFileSync(out(2)).equals(readFileSync(out(1)))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['offsets without a shift', 'offsets: { "0": 0.3 }', /offsets only means something with a shift/],
    [
      'continuous: offset without a shift',
      'continuous: offset',
      /continuous only means something with a shift/,
    ],
    [
      'slope without continuous: offset',
      'shift: x\n              slope: 0.5',
      /slope applies .* only when it describes the offset/,
    ],
    ['copy without a shift', 'copy: x\n              copied: 0.2', /copy only means something with a shift/],
    ['copy without copied', 'shift: x\n              copy: x', /copy and copied go together/],
  ])('%s is a spec error naming the place', (_name, extra, message) => {
    const text = `
strata: 1
tables:
  t:
    columns:
      x: { type: number, dist: { normal: { mean: 0, sd: 1 } } }
      y:
        type: number
        given: [x]
        dist:
          empirical:
              knots: [0, 1]
              ${extra}
`;
    // Found by the spec checks (the empirical law's own checks), before anything compiles.
    const msg = checkSpecText(text, 'test.yaml')
      .issues.map((i) => i.format())
      .join('\n');
    expect(msg).toMatch(
      /test\.yaml:\d+:\d+ tables\.t\.columns\.y\.dist\.empirical\.(offsets|continuous|slope|copy)/,
    );
    expect(msg).toMatch(message);
  });
});

describe('a tied column that repeats a second parent (copy / copied)', () => {
  const COPY = `
strata: 1
tables:
  t:
    columns:
      paid_prev: { type: integer, min: 0, max: 100000, dist: { uniform: { min: 1000, max: 5000 } } }
      bill: { type: integer, min: 0, max: 100000, dist: { uniform: { min: 10000, max: 90000 } } }
      paid:
        type: integer
        min: 0
        max: 100000
        given: [bill, paid_prev]
        dist:
          empirical:
            knots: [6000, 7000, 8000]
            atoms: { "0": 0.2 }
            shift: bill
            offsets: { "0": 0.25 }
            copy: paid_prev
            copied: 0.3
`;

  it('repeats the copied parent in its share, beside the shift and the atoms', async () => {
    const { spec } = parseSpecText(COPY, 'test.yaml');
    const r = await generateRows({ spec, rows: 20_000, seed: 5 });
    const col = (n: string) => r.data[r.columns.indexOf(n)] as number[];
    const [prev, bill, paid] = [col('paid_prev'), col('bill'), col('paid')];
    const share = (f: (i: number) => boolean) => paid.filter((_, i) => f(i)).length / r.rows;
    const near = (x: number, p: number) =>
      expect(Math.abs(x - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / r.rows));
    near(
      share((i) => paid[i] === prev[i]),
      0.3,
    );
    near(
      share((i) => paid[i] === bill[i]),
      0.25,
    );
    near(
      share((i) => paid[i] === 0),
      0.2,
    );
  });
});

describe('tied columns in coverage plans', () => {
  it('a plan over a tied column falls back to stratified drawing and fills every cell', async () => {
    const { spec } = parseSpecText(
      `${SPEC}
coverage:
  t:
    axes:
      - { name: paid_band, column: paid, bins: [0, 5000] }
    min_per_cell: 500
`,
      'test.yaml',
    );
    const r = await generateRows({ spec, rows: 3000, seed: 4 });
    const cell = r.data[r.columns.indexOf('_cell')] as string[];
    const counts = new Map<string, number>();
    for (const c of cell) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBeGreaterThanOrEqual(2);
    for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(500);
    // The tie still holds inside the cells.
    const bill = r.data[r.columns.indexOf('bill')] as number[];
    const paid = r.data[r.columns.indexOf('paid')] as number[];
    expect(paid.filter((p, i) => p === bill[i]).length / r.rows).toBeGreaterThan(0.1);
  });
});
