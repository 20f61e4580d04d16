/**
 * The bytes of a relational run are pinned, not only compared between worker counts: the speed
 * work on the draw/format path (issue 14) must not move a single byte for the same seed. The
 * digests were recorded at 603cbb8, before that work, on the spec of bench/relational.bench.ts
 * (2,100 roots: three root blocks, so ids cross block boundaries). They depend on V8's Math.exp /
 * Math.log, which are V8's own and the same on every platform; a Node major upgrade that changed
 * them would show here first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpecText } from '../spec/parse.js';
import { generateTables } from './generate-tables.js';

const SPEC = `strata: 1
seed: 1
tables:
  customers:
    key: customer_id
    columns:
      customer_id: { type: id }
      segment: { type: category, values: { retail: 0.8, business: 0.2 } }
      joined: { type: datetime, dist: { uniform: { min: "2020-01-01", max: "2023-01-01" } } }
  accounts:
    parent: customers
    key: account_id
    count: { values: { 2: 0.25, 3: 0.5, 4: 0.25 } }
    columns:
      account_id: { type: id }
      product: { type: category, values: { current: 0.6, savings: 0.3, card: 0.1 } }
      opened: { type: datetime, dist: { uniform: { min: "parent.joined", max: "2025-01-01" } } }
  events:
    parent: accounts
    count: { values: { 8: 0.2, 9: 0.2, 10: 0.2, 11: 0.2, 12: 0.2 } }
    sequence: { order: at }
    columns:
      event_id: { type: id }
      at: { type: datetime, dist: { normal: { mean: "coalesce(prev.at, parent.opened) + 777600000", sd: 864000000 } } }
      amount: { type: number, dist: { lognormal: { meanlog: 3.5, sdlog: 1 } } }
    rules:
      - { name: after_opening, check: "at >= parent.opened" }
`;

const PINNED = [
  ['customers', 2100, '36d10fde72ae299dd3ff231978caf7d477c4a97e690658f5fa7222c59e066948'],
  ['accounts', 6282, 'af0b68067f9cc5ed58af336ba23a4417724956c11ce7f1acd6d10b3adc5d1586'],
  ['events', 62753, '20ce5074a423da08556c194a2c276df21f0acc5a63d1513ee3504ff85f579669'],
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('relational output bytes for a fixed seed', () => {
  it.each([1, 2])('are the recorded ones on %i worker(s)', { timeout: 120_000 }, async (workers) => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-golden-'));
    dirs.push(dir);
    const { spec } = parseSpecText(SPEC, 'bench.yaml');
    const r = await generateTables({ spec, rows: 2100, dir, workers, hashOutput: true });
    expect(r.tables.map((t) => [t.table, t.rows, t.sha256])).toEqual(PINNED);
  });
});
