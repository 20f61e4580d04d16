/**
 * `text augment`, `text prove` and `text redteam` are recorded in the run ledger like generate,
 * fit and evaluate: their inputs and outputs hashed, their options and a summary of the result,
 * never a secret; `ledger verify` finds an output changed since.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../ledger/entry.js';
import { fixtureRows } from '../text/augment/test-helpers.js';
import { recordedArgv } from './record.js';
import { runMain as run } from './testing/run-main.js';

const entries = (): LedgerEntry[] =>
  readFileSync('.strata/ledger.jsonl', 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LedgerEntry);

describe('text augment | prove | redteam in the run ledger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-text-ledger-'));
  const cwd = process.cwd();
  beforeAll(() => {
    mkdirSync(join(dir, '.strata'));
    writeFileSync(
      join(dir, 'train.jsonl'),
      fixtureRows()
        .map((r) => JSON.stringify({ id: r.id, text: r.text, label: r.label }))
        .join('\n'),
    );
    process.chdir(dir);
  });
  afterAll(() => process.chdir(cwd));

  it('an augment run is recorded, and changing its output is found by ledger verify', async () => {
    const a = await run([
      'text',
      'augment',
      'train.jsonl',
      '--text-field',
      'text',
      '--label-field',
      'label',
      '--per-label',
      '12',
      '-o',
      'aug.jsonl',
      '--report',
      'aug-report.json',
      '--seed',
      '4',
    ]);
    expect(a.code, a.err).toBe(0);
    expect(a.err).toMatch(/ledger: entry #0/);
    const [e] = entries();
    expect(e.command).toBe('text augment');
    expect(e.seed).toBe(4);
    expect(e.inputs.map((i) => [i.role, i.path])).toEqual([['train', 'train.jsonl']]);
    expect(e.outputs.map((o) => [o.role, o.path])).toEqual([
      ['texts', 'aug.jsonl'],
      ['report', 'aug-report.json'],
    ]);
    expect(e.outputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(e.params).toMatchObject({ text_field: 'text', label_field: 'label', per_label: 12, seed: 4 });
    expect(e.result).toMatchObject({ records: 19, shortfall: 0 });

    expect((await run(['ledger', 'verify'])).code).toBe(0);
    const text = readFileSync('aug.jsonl', 'utf8');
    writeFileSync('aug.jsonl', text.replace('"label":"', '"label":"x'));
    const v = await run(['ledger', 'verify']);
    expect(v.code).toBe(1);
    expect(v.out).toContain('aug.jsonl');
    writeFileSync('aug.jsonl', text);
    expect((await run(['ledger', 'verify'])).code).toBe(0);
  });

  it('prove and redteam runs are recorded with their inputs, outputs and summary', async () => {
    const p = await run([
      'text',
      'prove',
      '--real',
      'train.jsonl',
      '--test',
      'train.jsonl',
      '--synthetic',
      'aug.jsonl',
      '--rare-count',
      '2',
      '--reps',
      '50',
      '--json',
      'prove.json',
    ]);
    expect(p.code, p.err).toBe(0);
    const r = await run(['text', 'redteam', '-o', 'rt.jsonl', '--audit', 'rt-audit.json', '--quota', '1']);
    expect(r.code, r.err).toBe(0);
    const [, prove, redteam] = entries();
    expect(prove.command).toBe('text prove');
    expect(prove.inputs.map((i) => i.role)).toEqual(['real', 'test', 'synthetic']);
    expect(prove.outputs.map((o) => [o.role, o.path])).toEqual([['json', 'prove.json']]);
    expect(prove.params).toMatchObject({ reps: 50, rare_count: 2 });
    expect(prove.result).toHaveProperty('summary.verdict');
    expect(redteam.command).toBe('text redteam');
    expect(redteam.outputs.map((o) => [o.role, o.path])).toEqual([
      ['pack', 'rt.jsonl'],
      ['audit', 'rt-audit.json'],
    ]);
    expect(redteam.result).toMatchObject({ prompts: expect.any(Number), pairwise_coverage: 1 });
    expect((await run(['ledger', 'verify'])).code).toBe(0);
    writeFileSync('rt.jsonl', `${readFileSync('rt.jsonl', 'utf8')}\n`);
    const v = await run(['ledger', 'verify']);
    expect(v.code).toBe(1);
    expect(v.out).toContain('rt.jsonl');
  });

  it('records no secret of an LLM endpoint: URL credentials and key-like query values', () => {
    const argv = recordedArgv([
      'text',
      'augment',
      '--llm-base-url',
      'https://user:hunter2@llm.example/v1?api_key=sk-SECRET&region=eu',
      '--llm-api-key-env',
      'MY_KEY',
    ]);
    const joined = argv.join(' ');
    expect(joined).not.toMatch(/hunter2|sk-SECRET|MY_KEY/);
    expect(joined).toContain('region=eu');
  });
});
