import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StrataError } from '../errors.js';
import { fixtureRows } from '../text/augment/test-helpers.js';
import { registerTextCommand } from './text.js';

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerTextCommand(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'strata', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('strata text augment | prove | redteam', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-augment-'));
  const train = join(dir, 'train.jsonl');
  // nested fields: the output must use the same dotted paths
  writeFileSync(
    train,
    fixtureRows()
      .map((r) => JSON.stringify({ id: r.id, msg: { body: r.text }, intent: r.label }))
      .join('\n'),
  );

  it('augment fills every label, writes the same fields with provenance, byte-identical for a seed', async () => {
    const out = join(dir, 'aug.jsonl');
    const report = join(dir, 'aug-report.json');
    const args = ['text', 'augment', train, '--text-field', 'msg.body', '--label-field', 'intent'];
    const said = await run([...args, '--per-label', '12', '-o', out, '--seed', '4', '--report', report]);
    expect(said).toMatch(/texts → .* for 4 labels below 12/);
    expect(said).toMatch(/pin_blocked: 5 real \+ 7 synthetic; coverage/);
    const recs = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(recs.length).toBe(7 + 3 * 4);
    for (const r of recs) {
      expect(typeof r.msg.body).toBe('string');
      expect(['card_lost', 'top_up', 'exchange_rate', 'pin_blocked']).toContain(r.intent);
      expect(r.provenance.operators.length).toBeGreaterThan(0);
    }
    const again = join(dir, 'aug2.jsonl');
    await run([...args, '--per-label', '12', '-o', again, '--seed', '4']);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.labels.find((l: { label: string }) => l.label === 'pin_blocked').curve.length).toBe(7);
    expect(process.exitCode).toBeUndefined();

    // prove: the synthetic file uses the same fields
    const json = join(dir, 'prove.json');
    const html = join(dir, 'prove.html');
    const proved = await run([
      'text',
      'prove',
      '--real',
      train,
      '--test',
      train,
      '--synthetic',
      out,
      '--text-field',
      'msg.body',
      '--label-field',
      'intent',
      '--rare-count',
      '1',
      '--reps',
      '100',
      '--json',
      json,
      '--html',
      html,
    ]);
    expect(proved).toMatch(/^verdict: rare-case recall/);
    expect(proved).toMatch(/tfidf-nb\/plain/);
    const j = JSON.parse(readFileSync(json, 'utf8'));
    expect(j.rare).toEqual(['pin_blocked']);
    expect(j.summary).toHaveProperty('rare_recall_delta_ci');
  });

  it('augment refuses the same field for text and label, and a zero --per-label', async () => {
    const out = join(dir, 'bad.jsonl');
    await expect(
      run([
        'text',
        'augment',
        train,
        '--text-field',
        'intent',
        '--label-field',
        'intent',
        '--per-label',
        '5',
        '-o',
        out,
      ]),
    ).rejects.toThrow(/same field/);
    await expect(
      run([
        'text',
        'augment',
        train,
        '--text-field',
        'msg.body',
        '--label-field',
        'intent',
        '--per-label',
        '0',
        '-o',
        out,
      ]),
    ).rejects.toThrow(/--per-label/);
  });

  it('augment that cannot fill a label writes no file, names each short label and why, and fails', async () => {
    // one two-word example cannot give 40 distinct texts (the SNIPS run once wrote 4,673 of 5,862 rows)
    const small = join(dir, 'small.jsonl');
    writeFileSync(
      small,
      [...fixtureRows(), { id: 'g1', text: 'hello there', label: 'greet' }]
        .map((r) => JSON.stringify({ id: r.id, text: r.text, label: r.label }))
        .join('\n'),
    );
    const out = join(dir, 'short.jsonl');
    const report = join(dir, 'short-report.json');
    const args = [
      'text',
      'augment',
      small,
      '--text-field',
      'text',
      '--label-field',
      'label',
      '--per-label',
      '40',
    ];
    const err = await run([...args, '-o', out, '--report', report]).then(
      () => null,
      (e: unknown) => e as StrataError,
    );
    expect(err).toBeInstanceOf(StrataError);
    expect(err!.code).toBe('text.augment_short');
    expect(err!.message).toMatch(/greet: \d+\/40 — 1 real example gave \d+ candidates/);
    expect(err!.message).toMatch(/nothing was written/);
    expect(existsSync(out)).toBe(false);
    // the report is written: it says why
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.labels.find((l: { label: string }) => l.label === 'greet').short_reason).toMatch(
      /missing rows kept/,
    );
    // --allow-short writes what was made, says why on stderr, and still exits 1
    let said = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      said += String(chunk);
      return true;
    });
    try {
      await run([...args, '-o', out, '--allow-short']);
    } finally {
      spy.mockRestore();
    }
    expect(process.exitCode).toBe(1);
    expect(said).toMatch(/^short: greet: \d+\/40 — /m);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.label === 'greet').length).toBeLessThan(39);
  });

  it('redteam writes JSONL, a promptfoo test list and the audit', async () => {
    const out = join(dir, 'rt.jsonl');
    const pf = join(dir, 'rt.yaml');
    const au = join(dir, 'rt-audit.json');
    const said = await run(['text', 'redteam', '-o', out, '--promptfoo', pf, '--audit', au, '--quota', '1']);
    expect(said).toMatch(/prompts \(\d+ attacks, \d+ over-refusal controls\)/);
    expect(said).toMatch(/pairwise coverage of the attack axes 1\.000/);
    expect(readFileSync(pf, 'utf8')).toMatch(/type: is-refusal/);
    expect(JSON.parse(readFileSync(au, 'utf8')).kind).toBe('text-redteam-audit');
  });
});
