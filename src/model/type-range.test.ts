/**
 * Issue 13, item 4: a datetime with `mean: 1e300` (and other absurd parameters) crashed with a
 * stack trace while writing (`Invalid time value`, exit 3). A law whose values a column's type
 * cannot hold is now a StrataError naming the place and the valid range: at load time when its
 * parameters are constants, at the draw when they are expressions of parents.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.js';
import { StrataError } from '../errors.js';
import { generateRows } from '../sample/generate.js';
import { parseSpecText } from '../spec/index.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-range-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oneColumn = (type: string, dist: string, extra = '') =>
  `strata: 1\ntables:\n  t:\n    rows: 200\n    columns:\n      base: { type: number, dist: { uniform: { min: 1, max: 2 } } }\n      x: { type: ${type}, dist: ${dist}${extra} }\n`;

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), err };
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
}

describe('values a column type cannot hold', () => {
  it('datetime mean: 1e300 is exit 2 with the place and the range, and no output', async () => {
    const file = join(dir, 'dt.yaml');
    writeFileSync(file, oneColumn('datetime', '{ normal: { mean: 1e300, sd: 1000 } }'));
    const out = join(dir, 'dt.csv');
    const { code, err } = await cli(['generate', file, '-o', out]);
    expect(code).toBe(2);
    expect(err).toBe(
      `strata: ${file}:7:34 tables.t.columns.x.dist: normal(mean=1e+300, sd=1000) puts its values outside what a datetime can hold: -271821-04-20 to +275760-09-13 (±8.64e15 ms from 1970) — bring the parameters into that range, or set min/max inside it\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  const inside: Record<string, [number, number]> = {
    datetime: [-8.64e15, 8.64e15],
    date: [-8.64e15, 8.64e15],
    integer: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    number: [-Number.MAX_VALUE, Number.MAX_VALUE],
  };
  const dists = [
    '{ normal: { mean: 1e300, sd: 1000 } }',
    '{ normal: { mean: 0, sd: 1e308 } }',
    '{ normal: { mean: "2020-01-01", sd: 1e17 } }',
    '{ uniform: { min: 0, max: 1e300 } }',
    '{ uniform: { min: -1e308, max: 1e308 } }',
    '{ constant: { value: 1e300 } }',
    '{ exponential: { rate: 1e-300 } }',
    '{ lognormal: { meanlog: 800, sdlog: 1 } }',
    '{ gamma: { shape: 1e300, scale: 1e10 } }',
    '{ poisson: { lambda: 1e300 } }',
    '{ weibull: { shape: 0.01, scale: 1e300 } }',
    '{ student_t: { df: 0.5, scale: 1e300 } }',
    '{ normal: { mean: "base * 1e300", sd: 1 } }',
    '{ normal: { mean: "base * 1e14", sd: "base * 1e16" } }',
    '{ normal: { mean: 0, sd: 1 } }',
  ];
  const cases = Object.keys(inside).flatMap((type) => dists.map((d) => [type, d] as const));

  it.each(cases)('%s %s: rows inside the range, or a placed StrataError', async (type, dist) => {
    let rows: Awaited<ReturnType<typeof generateRows>> | undefined;
    try {
      const { spec, source } = parseSpecText(oneColumn(type, dist), 'x.yaml');
      rows = await generateRows({
        spec,
        seed: 1,
        locator: { file: 'x.yaml', locate: (p) => source.locate(p) },
      });
    } catch (e) {
      expect(e).toBeInstanceOf(StrataError);
      const err = e as StrataError;
      expect(err.format()).toMatch(/tables\.t\.columns\.x\.dist/);
      if (err.code === 'model.out_of_range') expect(err.format()).toMatch(/can hold/);
      return;
    }
    const [lo, hi] = inside[type];
    for (const v of rows.data[1]) {
      const x = typeof v === 'string' ? Date.parse(v) : (v as number);
      expect(Number.isFinite(x), `${v}`).toBe(true);
      expect(x >= lo && x <= hi, `${v}`).toBe(true);
    }
  });

  it('a row-dependent parameter that leaves the range names the value and the parents', async () => {
    const { spec } = parseSpecText(
      oneColumn('datetime', '{ normal: { mean: "base * 1e300", sd: 1 } }'),
      'x.yaml',
    );
    const err = await generateRows({ spec, seed: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).code).toBe('model.out_of_range');
    expect((err as StrataError).format()).toMatch(
      /^tables\.t\.columns\.x\.dist: drew [\d.e+]+ \(for base=[\d.]+\), outside what a datetime can hold: .* — keep the parameters inside that range for every parent value, or set min\/max inside it$/,
    );
  });

  it('min/max inside the range keep a wide law drawable', async () => {
    const { spec } = parseSpecText(
      oneColumn(
        'datetime',
        '{ normal: { mean: "2020-01-01", sd: 1e17 } }',
        ', min: "1900-01-01", max: "2100-01-01"',
      ),
      'x.yaml',
    );
    const r = await generateRows({ spec, seed: 1 });
    for (const v of r.data[1]) expect(String(v) >= '1900' && String(v) <= '2100').toBe(true);
  });
});
