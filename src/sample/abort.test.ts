import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CARD_CUSTOMERS_YAML, parseSpecText } from '../spec/index.js';
import { generateRows, generateToFile } from './index.js';

const card = parseSpecText(CARD_CUSTOMERS_YAML, 'card-customers.yaml').spec;
const ROWS = 2_000_000; // minutes of work if the abort were not seen

/** Abort when the first block has been written; resolve with the rows done when the run gave up. */
async function abortAfterFirstBlock(
  run: (signal: AbortSignal, onProgress: (done: number) => void) => Promise<unknown>,
): Promise<{ error: unknown; done: number }> {
  const ctrl = new AbortController();
  let done = 0;
  const error = await run(ctrl.signal, (n) => {
    done = n;
    ctrl.abort();
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, done };
}

describe('cancelling generate', () => {
  for (const [format, workers, coverage] of [
    ['csv', 1, false],
    ['csv', 2, false],
    ['jsonl', 2, false],
    ['parquet', 2, false],
    ['csv', 1, true],
    ['csv', 2, true],
  ] as const) {
    it(`${format}, ${workers} worker(s)${coverage ? ', coverage plan' : ''}: rejects with run.aborted, leaves no file`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'strata-abort-'));
      const out = join(dir, `out.${format}`);
      const { error, done } = await abortAfterFirstBlock((signal, onProgress) =>
        generateToFile({ spec: card, rows: ROWS, seed: 1, workers, coverage, out, signal, onProgress }),
      );
      expect(error).toMatchObject({ code: 'run.aborted' });
      expect(done).toBeLessThan(ROWS / 10);
      expect(readdirSync(dir)).toEqual([]); // no output, no temp file
    });
  }

  it('an abort from a timer stops a multi-worker run (the event loop sees it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-abort-'));
    const ctrl = new AbortController();
    let done = 0;
    setTimeout(() => ctrl.abort(), 200);
    const run = generateToFile({
      spec: card,
      rows: 50_000_000,
      seed: 1,
      workers: 2,
      coverage: false,
      out: join(dir, 'big.csv'),
      signal: ctrl.signal,
      onProgress: (n) => {
        done = n;
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'run.aborted' });
    expect(done).toBeLessThan(50_000_000 / 10);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('generateRows and an already-aborted signal reject before any work', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(generateRows({ spec: card, rows: 10, signal: ctrl.signal })).rejects.toMatchObject({
      code: 'run.aborted',
    });
    const timed = new AbortController();
    setTimeout(() => timed.abort(), 50);
    await expect(
      generateRows({ spec: card, rows: ROWS, coverage: false, signal: timed.signal }),
    ).rejects.toMatchObject({ code: 'run.aborted' });
  });

  it('a signal that never fires changes nothing', async () => {
    const a = await generateRows({ spec: card, rows: 3000, seed: 5 });
    const b = await generateRows({ spec: card, rows: 3000, seed: 5, signal: new AbortController().signal });
    expect(b.data).toEqual(a.data);
  });
});
