import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TEXT_SUMMARY_KEYS } from '../text/audit.js';
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

describe('strata text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-text-'));
  const example = resolve('examples/text/banking77.plan.yaml');

  it('plan prints the cell table of the shipped example', async () => {
    const out = await run(['text', 'plan', example]);
    expect(out).toMatch(/30 cells \(full\), 90 samples/);
    expect(out).toMatch(/card_swallowed\s+retiree\s+3/);
  });

  it('generate → dedup → audit in the stable command shapes', async () => {
    const gen = join(dir, 'gen.jsonl');
    const out = await run(['text', 'generate', example, '-o', gen, '--seed', '5']);
    expect(out).toMatch(/^90 texts/);
    const recs = readFileSync(gen, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(recs).toHaveLength(90);
    const again = join(dir, 'gen2.jsonl');
    await run(['text', 'generate', example, '-o', again, '--seed', '5']);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(gen, 'utf8'));

    // a file with exact and near duplicates
    const rows = [
      { id: 'a', text: 'My card was swallowed by the ATM today' },
      { id: 'b', text: 'my card was SWALLOWED by the atm today!' },
      { id: 'c', text: 'My card was swallowed by the ATM today, sigh' },
      { id: 'd', text: 'What is the top up limit per day?' },
    ];
    const inp = join(dir, 'in.jsonl');
    writeFileSync(inp, rows.map((r) => JSON.stringify(r)).join('\n'));
    const rej = join(dir, 'rej.jsonl');
    const dOut = await run([
      'text',
      'dedup',
      inp,
      '-o',
      join(dir, 'kept.jsonl'),
      '--text-field',
      'text',
      '--rejections',
      rej,
    ]);
    expect(dOut).toMatch(/kept 2 of 4/);
    const rejs = readFileSync(rej, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejs.map((r) => [r.id, r.neighbour_id])).toEqual([
      ['b', 'a'],
      ['c', 'a'],
    ]);
    expect(rejs[0]).toMatchObject({ stage: 'exact', similarity: 1, scope: 'global' });

    const real = join(dir, 'real.csv');
    const lines = ['text,category'];
    for (const r of recs.slice(0, 60)) lines.push(`"${r.text.replace(/"/g, '""')} thanks",${r.cell.intent}`);
    writeFileSync(real, `${lines.join('\n')}\n`);
    const json = join(dir, 'audit.json');
    const html = join(dir, 'audit.html');
    const aOut = await run([
      'text',
      'audit',
      '--real',
      real,
      '--synthetic',
      gen,
      '--text-field',
      'text',
      '--label-field',
      'category',
      '--synthetic-label-field',
      'cell.intent',
      '--synthetic-text-field',
      'text',
      '--json',
      json,
      '--html',
      html,
      '--plan',
      example,
    ]);
    expect(aOut).toMatch(/cells_total\s+30/);
    const rep = JSON.parse(readFileSync(json, 'utf8'));
    expect(Object.keys(rep.summary)).toEqual([...TEXT_SUMMARY_KEYS]);
    expect(rep.summary.cells_filled).toBe(30);
    expect(readFileSync(html, 'utf8')).toMatch(/<svg[\s\S]*<\/svg>/);
  });

  it('dedup: the embedding stage runs only when asked for (--embedding [c])', async () => {
    const inp = join(dir, 'reorder.jsonl');
    writeFileSync(
      inp,
      [
        { id: 'a', text: 'please cancel the transfer I made to my landlord this morning' },
        { id: 'b', text: 'this morning I made a transfer to my landlord please cancel the transfer' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const dedup = (...extra: string[]) =>
      run([
        'text',
        'dedup',
        inp,
        '-o',
        join(dir, 'k.jsonl'),
        '--text-field',
        'text',
        '--threshold',
        '0.95',
        ...extra,
      ]);
    expect(await dedup()).toMatch(/kept 2 of 2; .* embedding 0/);
    expect(await dedup('--no-embedding')).toMatch(/kept 2 of 2/);
    expect(await dedup('--embedding', '0.7')).toMatch(/kept 1 of 2; .* embedding 1/);
    expect(await dedup('--embedding-threshold', '0.7')).toMatch(/kept 1 of 2; .* embedding 1/);
  });

  it('user errors are StrataErrors that name the place', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'axes:\n  intent: [a, b]\nforbid:\n  - { intnet: a }\n');
    await expect(run(['text', 'plan', bad])).rejects.toMatchObject({ code: 'text.plan_forbid' });
    const bad2 = join(dir, 'bad2.yaml');
    writeFileSync(bad2, 'axes:\n  intent: [a, b]\nmin_per_cell: lots\n');
    try {
      await run(['text', 'plan', bad2]);
      expect.unreachable();
    } catch (e) {
      expect((e as { format(): string }).format()).toMatch(/bad2\.yaml:3.* min_per_cell: /);
    }
  });
});
