import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../io/index.js';
import { fitFile } from './file.js';
import { fitTable, fitTableAsync } from './fit.js';
import { sampleTruth } from './testing/truth.js';

const truth = sampleTruth(5000, 1);

/** A signal that reads as aborted from its (k+1)-th look on: where fit looks is where it can stop. */
function abortedAfter(k: number): { signal: AbortSignal; looks: () => number } {
  let looks = 0;
  const signal = {
    get aborted() {
      looks++;
      return looks > k;
    },
    reason: undefined,
    addEventListener() {},
    removeEventListener() {},
  } as unknown as AbortSignal;
  return { signal, looks: () => looks };
}

describe('cancelling fit', () => {
  it('looks at the signal between many steps (restarts, residual rounds, columns), and stops at any', () => {
    const never = abortedAfter(Number.POSITIVE_INFINITY);
    fitTable(truth, { seed: 3, signal: never.signal });
    const steps = never.looks();
    expect(steps).toBeGreaterThan(20 + truth.columns.length); // 20 restarts, one step per column
    for (const k of [0, Math.floor(steps / 2), steps - 1]) {
      expect(() => fitTable(truth, { seed: 3, signal: abortedAfter(k).signal })).toThrow(
        expect.objectContaining({ code: 'run.aborted' }),
      );
    }
  });

  it('fitTableAsync sees an abort from a timer', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 30);
    await expect(fitTableAsync(truth, { seed: 3, signal: ctrl.signal })).rejects.toMatchObject({
      code: 'run.aborted',
    });
  });

  it('fitFile rejects with run.aborted and writes no model (nor a temp file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-fit-abort-'));
    const data = join(dir, 'truth.csv');
    const lines = [csvLine(truth.columns)];
    for (let r = 0; r < truth.rowCount; r++) lines.push(csvLine(truth.data.map((c) => c[r] ?? '')));
    writeFileSync(data, lines.join(''));
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    await expect(fitFile(data, { out: join(dir, 'model.yaml'), signal: ctrl.signal })).rejects.toMatchObject({
      code: 'run.aborted',
    });
    expect(readdirSync(dir)).toEqual(['truth.csv']);
  });

  it('a signal that never fires gives the same model', async () => {
    const small = sampleTruth(2000, 2);
    const a = fitTable(small, { seed: 1 });
    const b = await fitTableAsync(small, { seed: 1, signal: new AbortController().signal });
    expect(b.yaml.replace(/\d+\.\d+ s/g, '')).toBe(a.yaml.replace(/\d+\.\d+ s/g, ''));
  });
});
