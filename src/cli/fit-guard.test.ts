import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import { runMain } from './testing/run-main.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-cli-fit-guard-'));
const data = join(dir, 'net.csv');
{
  const s = streamFor(9, 'cli-guard-fixture');
  const lines = ['region,plan,spend'];
  for (let i = 0; i < 150; i++) {
    const r = s.nextInt(4);
    const p = s.nextFloat() < 0.8 ? r : s.nextInt(4);
    lines.push(`r${r},p${p},${(20 + 30 * p + 10 * s.nextFloat()).toFixed(2)}`);
  }
  writeFileSync(data, `${lines.join('\n')}\n`);
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('strata fit --privacy-guard', () => {
  it('writes what the guard measured and chose in the model header', async () => {
    const out = join(dir, 'model.yaml');
    const r = await runMain(['fit', data, '-o', out, '--privacy-guard', '0.99', '--no-ledger']);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(
      /# Privacy guard \(DCR share .* bound 0\.99\): as fitted 0\.\d+; kept as fitted\./,
    );
  }, 60_000);

  it('refuses a bound that is not a DCR share from 0.5 below 1 (exit 2)', async () => {
    for (const bad of ['0.4', '1', 'x']) {
      const r = await runMain([
        'fit',
        data,
        '-o',
        join(dir, 'bad.yaml'),
        '--privacy-guard',
        bad,
        '--no-ledger',
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--privacy-guard');
    }
  });
});
