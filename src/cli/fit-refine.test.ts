import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { streamFor } from '../random/stream.js';
import { runMain } from './testing/run-main.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-cli-fit-refine-'));
const data = join(dir, 'net.csv');
{
  const s = streamFor(9, 'cli-refine-fixture');
  const lines = ['region,plan,spend'];
  for (let i = 0; i < 1500; i++) {
    const r = s.nextInt(4);
    const p = s.nextFloat() < 0.8 ? r : s.nextInt(4);
    lines.push(`r${r},p${p},${(20 + 30 * p + 10 * s.nextFloat()).toFixed(2)}`);
  }
  writeFileSync(data, `${lines.join('\n')}\n`);
}

const quietly = runMain;

afterEach(() => {
  process.exitCode = undefined;
});

describe('strata fit --refine', () => {
  it('writes the refine trace and --explain prints each repair', async () => {
    const out = join(dir, 'model.yaml');
    const r = await quietly(['fit', data, '-o', out, '--max-parents', '0', '--refine', '2', '--explain']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/refine: \d round\(s\), \d+ repair\(s\) tried, [1-9]\d* kept/);
    expect(r.out).toMatch(/round 1: add edge \w+ -> \w+: kept\n {4}why: bivariate accuracy of/);
    const doc = parse(readFileSync(out, 'utf8')) as { fit: { refine: { steps: { kept: boolean }[] } } };
    expect(doc.fit.refine.steps.some((s) => s.kept)).toBe(true);
  }, 60_000);

  it('exits 2 on a bad round count and on --epsilon', async () => {
    const out = join(dir, 'x.yaml');
    expect((await quietly(['fit', data, '-o', out, '--refine', 'many'])).code).toBe(2);
    const dp = await quietly(['fit', data, '-o', out, '--refine', '--epsilon', '1']);
    expect(dp.code).toBe(2);
    expect(dp.err).toMatch(/--refine cannot be combined with --epsilon/);
  });
});
