/** `strata evaluate` on the command line: near-copy warnings on stderr with or without --gate, progress only on a terminal. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mixedTable } from '../evaluate/fixtures.js';
import type { RawTable } from '../io/index.js';
import { stepProgress } from './progress.js';
import { runMain } from './testing/run-main.js';

function csv(t: RawTable): string {
  const rows = Array.from({ length: t.rowCount }, (_, i) => t.data.map((c) => c[i] ?? '').join(','));
  return `${t.columns.join(',')}\n${rows.join('\n')}\n`;
}

const run = runMain;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('strata evaluate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-evaluate-'));
  const real = join(dir, 'real.csv');
  const copy = join(dir, 'copy.csv');
  const gate = join(dir, 'gate.yaml');
  const t = mixedTable(1, 300, 'real');
  writeFileSync(real, csv(t));
  writeFileSync(copy, csv(t));
  writeFileSync(gate, 'detection_auc: { max: 0.99 }\n');

  it('calls a copy a copy on stderr, with and without --gate; --quiet keeps the warning', async () => {
    const plain = await run(['evaluate', '--real', real, '--synthetic', copy]);
    expect(plain.code).toBe(0);
    expect(plain.err).toMatch(
      /strata: warning: the synthetic data looks like a near-copy of the training data/,
    );
    expect(plain.out).toMatch(/## Warnings/);
    // not a terminal: no progress line
    expect(plain.err).not.toMatch(/\[\d+\/\d+\]/);
    const gated = await run(['evaluate', '--real', real, '--synthetic', copy, '--gate', gate, '--quiet']);
    expect(gated.err).toMatch(/near-copy/);
    expect(gated.out).toMatch(/All gates in .* pass/);
    expect(gated.code).toBe(0);
  });

  it('progress: one rewritten line per step on a terminal, nothing elsewhere', () => {
    const written: string[] = [];
    const tty = {
      isTTY: true,
      columns: 80,
      write: (s: string) => written.push(s),
    } as unknown as NodeJS.WriteStream;
    const p = stepProgress('evaluate', tty);
    p.update({
      step: 2,
      steps: 11,
      title: 'detection: can a classifier tell synthetic from real?',
      phase: 'start',
    });
    p.update({ step: 2, steps: 11, title: 'detection', phase: 'end' });
    p.stop();
    expect(written[0].startsWith('\r\x1b[2Kevaluate [2/11] detection: can a classifier')).toBe(true);
    expect(written.length).toBe(2);
    expect(written[1]).toBe('\r\x1b[2K');
    const pipe = { isTTY: false, write: () => expect.unreachable() } as unknown as NodeJS.WriteStream;
    const q = stepProgress('evaluate', pipe);
    q.update({ step: 1, steps: 3, title: 'x', phase: 'start' });
    q.stop();
  });
});
