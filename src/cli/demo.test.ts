import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from './demo.js';

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
    // Every verb in one test: 46-58 s on a 2-core machine at load ~17, near the 60 s default.
  }, 180_000);
});
