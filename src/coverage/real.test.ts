import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import type { RawTable } from '../io/index.js';
import { generateRows, generateToFile } from '../sample/generate.js';
import { loadSpec } from '../spec/index.js';
import type { CoveragePlan, Spec } from '../spec/schema.js';
import { chainSpec } from './fixtures.js';
import { readRealShares, realCellShares } from './real.js';

/*
 * chainSpec: P(A=a) = 0.9, P(B=x | a) = 0.95, P(B=x | b) = 0.2, so the model shares of the A×B cells
 * are a,x 0.855 · a,y 0.045 · b,x 0.02 · b,y 0.08. The real file below has a,x 88 · a,y 2 · b,x 0 ·
 * b,y 10 (of 100 rows): a,y is below its model share and b,x is absent, so exactly those two are raised.
 */
const REAL_ROWS: [string, string, number][] = [
  ['a', 'x', 88],
  ['a', 'y', 2],
  ['b', 'y', 10],
];

function realCsv(header = 'id,B,A,C'): string {
  const lines = [header];
  let id = 0;
  for (const [a, b, n] of REAL_ROWS) for (let i = 0; i < n; i++) lines.push(`${id++},${b},${a},0.5`);
  return `${lines.join('\n')}\n`;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'strata-real-'));
}

function specWith(plan: Partial<CoveragePlan>, rows = 4000): Spec {
  return chainSpec({ coverage: { t: { axes: ['A', 'B'], min_per_cell: 10, ...plan } } }, rows);
}

function quotas(r: { coverage?: { components: { key: string; quota: number }[] } }): Record<string, number> {
  return Object.fromEntries(r.coverage!.components.map((c) => [c.key, c.quota]));
}

describe('real cell shares', () => {
  const raw = (columns: string[], rows: (string | null)[][]): RawTable => ({
    name: 'r',
    columns,
    rowCount: rows.length,
    data: columns.map((_, c) => rows.map((r) => r[c])),
    source: 'r.csv',
  });

  it('counts rows per cell over all real rows (missing labels stay in the denominator)', () => {
    const spec = chainSpec();
    const plan: CoveragePlan = { axes: ['A', { name: 'C_band', column: 'C', bins: [-10, 1, 10] }] };
    const s = realCellShares(
      plan,
      spec.tables.t.columns,
      raw(
        ['C', 'A'],
        [
          ['0.5', 'a'],
          ['2', 'a'],
          ['3', 'b'],
          [null, 'b'],
          ['x', 'a'],
        ],
      ),
      { table: 't' },
    );
    expect(s.rows).toBe(5);
    expect(Object.fromEntries(s.shares)).toEqual({
      'A=a|C_band=[-10,1)': 0.2,
      'A=a|C_band=[1,10)': 0.2,
      'A=b|C_band=[-10,1)': 0,
      'A=b|C_band=[1,10)': 0.2,
    });
  });

  it('an axis column the file lacks is an error at coverage.<table>.real with a did-you-mean', () => {
    const spec = chainSpec();
    let e: unknown;
    try {
      realCellShares({ axes: ['A', 'B'] }, spec.tables.t.columns, raw(['A', 'Bb'], [['a', 'x']]), {
        table: 't',
      });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(StrataError);
    const se = e as StrataError;
    expect(se.code).toBe('coverage.real_unknown_column');
    expect(se.place.path).toBe('coverage.t.real');
    expect(se.message).toContain('"B"');
    expect(se.message).toContain('did you mean "Bb"');
    expect(se.hint).toContain('A, Bb');
  });
});

describe('real: in generate', () => {
  it('raises exactly the cells real data under-represents, by the raiseFromReal rule', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'real.csv'), realCsv());
    const N = 4000;
    const plain = await generateRows({ spec: specWith({}, N) });
    const r = await generateRows({ spec: specWith({ real: join(dir, 'real.csv') }, N) });
    expect(quotas(plain)).toEqual({ 'A=a|B=x': 10, 'A=a|B=y': 10, 'A=b|B=x': 10, 'A=b|B=y': 10 });
    const by = Object.fromEntries(r.coverage!.components.map((c) => [c.key, c]));
    // a,y: real 0.02 < model 0.045 -> ceil(N · P); b,x: absent -> at least N / (2 · cells).
    expect(by['A=a|B=y'].quota).toBe(Math.ceil(N * by['A=a|B=y'].probability));
    expect(by['A=a|B=y'].quota).toBeGreaterThanOrEqual(180);
    expect(by['A=b|B=x'].quota).toBe(N / 8);
    expect(by['A=a|B=x'].quota).toBe(10);
    expect(by['A=b|B=y'].quota).toBe(10);
    expect(by['A=a|B=y'].raisedFrom).toBe(10);
    expect(by['A=b|B=x'].raisedFrom).toBe(10);
    expect(by['A=a|B=x'].raisedFrom).toBeUndefined();
    expect(by['A=a|B=x'].realShare).toBe(0.88);
    expect(by['A=a|B=y'].realShare).toBe(0.02);
    expect(by['A=b|B=x'].realShare).toBe(0);
    expect(r.coverage!.real).toEqual({
      source: join(dir, 'real.csv'),
      rows: 100,
      raised: ['A=a|B=y', 'A=b|B=x'],
    });
    // The raised quotas are delivered.
    for (const c of r.coverage!.components) expect(c.delivered).toBeGreaterThanOrEqual(c.quota);
  });

  it('a relative real: path is read from the spec file directory', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'real.csv'), realCsv());
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify(specWith({ real: 'data/real.csv' }, 2000), null, 2));
    const loaded = await loadSpec(specPath);
    const r = await generateToFile({
      spec: loaded.spec,
      locator: { file: specPath, locate: (p) => loaded.source.locate(p) },
      out: join(dir, 'out.csv'),
    });
    expect(r.coverage!.real?.source).toBe(join(dir, 'data', 'real.csv'));
    expect(r.coverage!.real?.raised).toEqual(['A=a|B=y', 'A=b|B=x']);
  });

  it('without a spec file, a relative real: path is read from the current directory', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'real.csv'), realCsv());
    const rel = relative(process.cwd(), join(dir, 'real.csv'));
    const r = await generateRows({ spec: specWith({ real: rel }, 2000) });
    expect(r.coverage!.real?.raised).toEqual(['A=a|B=y', 'A=b|B=x']);
    // readRealShares resolves against the base directory it is given.
    const s = await readRealShares({ axes: ['A', 'B'], real: 'real.csv' }, chainSpec().tables.t.columns, {
      table: 't',
      baseDir: dir,
    });
    expect(s.shares.get('A=b|B=y')).toBe(0.1);
  });

  it('a missing real: file is an error naming the plan path, the resolved path and where it looked', async () => {
    const dir = tempDir();
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify(specWith({ real: 'nope.csv' }, 500), null, 2));
    const loaded = await loadSpec(specPath);
    const out = join(dir, 'out.csv');
    const err = await generateToFile({
      spec: loaded.spec,
      locator: { file: specPath, locate: (p) => loaded.source.locate(p) },
      out,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StrataError);
    const se = err as StrataError;
    expect(se.code).toBe('coverage.real_missing');
    expect(se.place.path).toBe('coverage.t.real');
    expect(se.place.file).toBe(specPath);
    expect(se.place.line).toBeGreaterThan(1);
    expect(se.message).toContain(join(dir, 'nope.csv'));
    expect(se.hint).toContain(dir);
    // Nothing was written.
    expect(() => readFileSync(out)).toThrow();
  });

  it('an unknown column in the real file names coverage.<table>.real in generate too', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'real.csv'), realCsv('id,B,a_col,C'));
    const err = await generateRows({ spec: specWith({ real: join(dir, 'real.csv') }, 500) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).code).toBe('coverage.real_unknown_column');
    expect((err as StrataError).place.path).toBe('coverage.t.real');
    expect((err as StrataError).message).toContain('"A"');
  });

  it('is deterministic, and raised quotas draw exactly as the same quotas written by hand', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'real.csv'), realCsv());
    const N = 2000;
    const withReal = specWith({ real: join(dir, 'real.csv') }, N);
    const outs = [join(dir, 'a.csv'), join(dir, 'b.csv'), join(dir, 'c.csv')];
    const r = await generateToFile({ spec: withReal, out: outs[0] });
    await generateToFile({ spec: withReal, out: outs[1], workers: 2 });
    const q = quotas(r);
    const byHand = specWith(
      {
        cells: [
          { when: { A: 'a', B: 'y' }, min: q['A=a|B=y'] },
          { when: { A: 'b', B: 'x' }, min: q['A=b|B=x'] },
        ],
      },
      N,
    );
    await generateToFile({ spec: byHand, out: outs[2] });
    const bytes = outs.map((p) => readFileSync(p, 'utf8'));
    expect(q['A=b|B=x']).toBeGreaterThan(10);
    expect(bytes[1]).toBe(bytes[0]);
    expect(bytes[2]).toBe(bytes[0]);
  });
});
