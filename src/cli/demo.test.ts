import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEntries } from '../ledger/read.js';
import { reproduceArgv, traceFile } from '../ledger/trace.js';
import { verifyLedger } from '../ledger/verify.js';
import { runDemo } from './demo.js';
import { main } from './main.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('strata demo', () => {
  it('runs every verb on the bundled example and writes what it says it wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-demo-'));
    const lines: string[] = [];
    const steps = await runDemo({ dir, rows: 2_000, log: (l) => lines.push(l) });
    expect(steps.map((s) => s.verb)).toEqual([
      'describe',
      'generate',
      'generate',
      'generate',
      'learn',
      'generate',
      'judge',
      'coverage',
      'text',
      'ledger',
    ]);
    for (const f of steps.flatMap((s) => s.files)) expect(existsSync(f)).toBe(true);
    // The judge checks the learned model's rows against the spec's rule (the model was not told it;
    // with these fixed seeds none of its rows breaks it).
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.summary.rule_violation_rate).toBe(0);
    expect(report.summary.accuracy_univariate).toBeGreaterThan(0.9);
    const covered = readFileSync(join(dir, 'customers-covered.csv'), 'utf8').split('\n');
    expect(covered[0]).toContain('_cell,_weight');
    expect(lines.some((l) => l.startsWith('✔ judge'))).toBe(true);
    const premium = readFileSync(join(dir, 'customers-do-premium.csv'), 'utf8').trim().split('\n').slice(1);
    expect(premium.every((l) => l.startsWith('premium,'))).toBe(true);
  });

  it('records every run, and `ledger trace` + the recorded command give the same bytes again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-demo-'));
    await runDemo({ dir, rows: 1_500 });
    const ledger = join(dir, '.strata', 'ledger.jsonl');
    const v = await verifyLedger(ledger);
    expect(v.problems).toEqual([]);
    const entries = await readEntries(ledger);
    expect(entries.map((e) => e.command)).toEqual([
      'generate',
      'generate',
      'generate',
      'fit',
      'generate',
      'evaluate',
      'generate',
      'text generate',
    ]);
    const cwd = process.cwd();
    try {
      for (const e of entries) {
        const main0 = e.outputs[0];
        // trace from the file's bytes to the run that made it and its command
        const t = await traceFile(ledger, entries, join(dir, main0.path));
        expect(t.madeBy?.entry.seq).toBe(e.seq);
        expect(t.madeBy?.reproduce).toMatch(/^cd \S+ && strata /);
        // move the outputs aside and run the recorded command from the run's folder
        for (const o of e.outputs) renameSync(join(dir, o.path), join(dir, `${o.path}.orig`));
        process.chdir(dir);
        expect(await main([...reproduceArgv(e), '--no-ledger'])).toBe(0);
        process.chdir(cwd);
        for (const o of e.outputs) {
          if (e.command === 'evaluate') continue; // timings_ms differ; the figures are compared below
          expect(sha256(join(dir, o.path)), `${e.command} ${o.path}`).toBe(o.sha256);
        }
        if (e.command === 'evaluate') {
          const again = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
          const first = JSON.parse(readFileSync(join(dir, 'report.json.orig'), 'utf8'));
          expect(again.summary).toEqual(first.summary);
          expect(again.summary).toEqual((e.result as { summary: unknown }).summary);
        }
      }
    } finally {
      process.chdir(cwd);
    }
  }, 600_000);
});
