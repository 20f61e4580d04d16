import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvLine, type RawTable } from '../io/index.js';
import { evaluateFiles } from '../report/files.js';
import { mixedTable } from './fixtures.js';
import { evaluate } from './index.js';

const real = mixedTable(1, 300, 'real');
const synthetic = mixedTable(2, 300, 'syn');
// Utility and bias catch their own errors (a metric that does not apply is skipped), so they are kept.
const input = {
  real,
  synthetic,
  target: 'label',
  sensitive: ['gender'],
  bootstrapReps: 5,
  sections: { mmd: false, knnCoverage: false, detection: false },
};

/** A signal that reads as aborted from its (k+1)-th look on. */
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

function writeCsv(path: string, t: RawTable): void {
  const lines = [csvLine(t.columns)];
  for (let r = 0; r < t.rowCount; r++) lines.push(csvLine(t.data.map((c) => c[r])));
  writeFileSync(path, lines.join(''));
}

describe('cancelling evaluate', () => {
  it('stops at every section with run.aborted; an abort is never reported as a skipped section', async () => {
    const never = abortedAfter(Number.POSITIVE_INFINITY);
    await evaluate({ ...input, signal: never.signal });
    const looks = never.looks();
    expect(looks).toBeGreaterThan(5); // one look before each section at least
    for (let k = 0; k < looks; k++) {
      await expect(evaluate({ ...input, signal: abortedAfter(k).signal })).rejects.toMatchObject({
        code: 'run.aborted',
      });
    }
  });

  it('evaluateFiles: an abort from a timer leaves no --json or --html file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-eval-abort-'));
    writeCsv(join(dir, 'real.csv'), mixedTable(1, 2000, 'real'));
    writeCsv(join(dir, 'syn.csv'), mixedTable(2, 2000, 'syn'));
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    await expect(
      evaluateFiles({
        real: join(dir, 'real.csv'),
        synthetic: join(dir, 'syn.csv'),
        json: join(dir, 'report.json'),
        html: join(dir, 'report.html'),
        signal: ctrl.signal,
      }),
    ).rejects.toMatchObject({ code: 'run.aborted' });
    expect(readdirSync(dir).sort()).toEqual(['real.csv', 'syn.csv']);
  });
});
