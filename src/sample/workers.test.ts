import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { readTable } from '../io/index.js';
import { BLOCK_ROWS } from '../model/block.js';
import { CARD_CUSTOMERS_YAML, parseSpecText } from '../spec/index.js';
import { generateToFile } from './index.js';

const card = parseSpecText(CARD_CUSTOMERS_YAML, 'card-customers.yaml');

describe('the worker pool (main thread + worker threads)', () => {
  it('writes the same CSV and JSON lines bytes for 1, 2 and 3 workers over many blocks', async () => {
    const d = mkdtempSync(join(tmpdir(), 'strata-pool-'));
    const rows = 12 * BLOCK_ROWS + 123; // 13 blocks: enough for every thread to draw several
    const read = async (workers: number, ext: string) => {
      const out = join(d, `w${workers}.${ext}`);
      await generateToFile({ spec: card.spec, rows, seed: 5, workers, out, coverage: false });
      return readFileSync(out, 'utf8');
    };
    const one = await read(1, 'csv');
    expect(one.trimEnd().split('\n')).toHaveLength(rows + 1);
    expect(await read(2, 'csv')).toBe(one);
    expect(await read(3, 'csv')).toBe(one);
    expect(await read(2, 'jsonl')).toBe(await read(1, 'jsonl'));
  });

  it('writes the same Parquet rows for 1 and 2 workers', async () => {
    const d = mkdtempSync(join(tmpdir(), 'strata-pool-'));
    const rows = 3 * BLOCK_ROWS + 7;
    const read = async (workers: number) => {
      const out = join(d, `w${workers}.parquet`);
      await generateToFile({ spec: card.spec, rows, seed: 8, workers, out, coverage: false });
      return readTable(out);
    };
    const one = await read(1);
    const two = await read(2);
    expect(one.rowCount).toBe(rows);
    expect(two.columns).toEqual(one.columns);
    expect(two.data).toEqual(one.data);
  });

  it('stops with the error of a block drawn late, whichever thread drew it', async () => {
    const { spec } = parseSpecText(
      `
strata: 1
tables:
  t:
    columns:
      n: { type: id }
      x: { type: number, given: [n], dist: { normal: { mean: 0, sd: "n < 90000 ? 1 : -1" } } }
`,
      'late.yaml',
    );
    const out = join(mkdtempSync(join(tmpdir(), 'strata-pool-')), 'late.csv');
    const err = await generateToFile({ spec, rows: 100_000, out, workers: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).message).toMatch(/column "x" could not be drawn for row 90000/);
  });
});
