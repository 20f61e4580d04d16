import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { LedgerEntry } from '../ledger/entry.js';
import { streamFor } from '../random/stream.js';
import { runMain } from './testing/run-main.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-cli-refine-'));
const data = join(dir, 'net.csv');
{
  const s = streamFor(9, 'cli-refine-model-fixture');
  const lines = ['region,plan,spend'];
  for (let i = 0; i < 1500; i++) {
    const r = s.nextInt(4);
    const p = s.nextFloat() < 0.8 ? r : s.nextInt(4);
    lines.push(`r${r},p${p},${(20 + 30 * p + 10 * s.nextFloat()).toFixed(2)}`);
  }
  writeFileSync(data, `${lines.join('\n')}\n`);
}

afterEach(() => {
  process.exitCode = undefined;
});

type Doc = { tables: { net: { columns: Record<string, { given?: string[] }>; rules?: unknown[] } } };

describe('strata refine MODEL --real DATA', () => {
  it('refines a hand-edited model: the removed edge returns, the hand-added rule stays', async () => {
    const model = join(dir, 'model.yaml');
    expect((await runMain(['fit', data, '-o', model])).code).toBe(0);
    const doc = parse(readFileSync(model, 'utf8')) as Doc;
    const cols = doc.tables.net.columns;
    for (const [c, o] of [
      ['region', 'plan'],
      ['plan', 'region'],
    ])
      if (cols[c].given) cols[c].given = cols[c].given!.filter((p) => p !== o);
    doc.tables.net.rules = [{ name: 'spend_positive', check: 'spend > 0' }];
    const edited = join(dir, 'edited.yaml');
    writeFileSync(edited, stringify(doc));
    const r = await runMain(['refine', edited, '--real', data, '--rounds', '2', '--explain']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/refined .*edited\.yaml on .*net\.csv: 3 column law\(s\) refitted/);
    expect(r.out).toMatch(/round 1: add edge (region -> plan|plan -> region): kept/);
    const out = parse(readFileSync(join(dir, 'edited.refined.yaml'), 'utf8')) as Doc;
    const given = (c: string) => out.tables.net.columns[c].given ?? [];
    expect(given('plan').includes('region') || given('region').includes('plan')).toBe(true);
    expect(out.tables.net.rules).toEqual([{ name: 'spend_positive', check: 'spend > 0' }]);
    expect(
      (await runMain(['generate', join(dir, 'edited.refined.yaml'), '-n', '50', '-o', join(dir, 'g.csv')]))
        .code,
    ).toBe(0);
  }, 120_000);

  it('is recorded in the run ledger like fit, and ledger verify finds the refined model changed', async () => {
    const model = join(dir, 'led.yaml');
    const ledger = join(dir, 'refine-ledger.jsonl');
    expect((await runMain(['fit', data, '-o', model])).code).toBe(0);
    const out = join(dir, 'led.refined.yaml');
    const r = await runMain([
      'refine',
      model,
      '--real',
      data,
      '--rounds',
      '1',
      '-o',
      out,
      '--ledger',
      ledger,
    ]);
    expect(r.code, r.err).toBe(0);
    const [e] = readFileSync(ledger, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LedgerEntry);
    expect(e.command).toBe('refine');
    expect(e.inputs.map((i) => [i.role, i.path])).toEqual([
      ['model', model],
      ['data', data],
    ]);
    expect(e.outputs.map((o) => [o.role, o.path])).toEqual([['model', out]]);
    expect(e.result).toMatchObject({ refine_rounds: 1, repairs_kept: expect.any(Number) });
    expect((await runMain(['ledger', 'verify', ledger])).code).toBe(0);
    writeFileSync(out, `${readFileSync(out, 'utf8')}# edited\n`);
    expect((await runMain(['ledger', 'verify', ledger])).code).toBe(1);
  }, 120_000);

  it('exits 2 naming the model file, line and column when a fitted column is not in the data', async () => {
    const model = join(dir, 'm2.yaml');
    expect((await runMain(['fit', data, '-o', model])).code).toBe(0);
    const fewer = join(dir, 'fewer.csv');
    writeFileSync(
      fewer,
      readFileSync(data, 'utf8')
        .split('\n')
        .map((l) => l.split(',').slice(0, 2).join(','))
        .join('\n'),
    );
    const r = await runMain(['refine', model, '--real', fewer, '-o', join(dir, 'x.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/m2\.yaml:\d+:\d+/);
    expect(r.err).toMatch(/column "spend" of the model has a fitted law/);
    expect(r.err).toMatch(/refine with the data the model was fitted on/);
  }, 60_000);
});
