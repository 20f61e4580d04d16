/** Test helpers: realistic ledgers built in memory (no lock, no files). */
import { entryLine, type LedgerEntry } from '../entry.js';
import type { Signer } from '../sign.js';
import { type EntryDraft, type Head, headFor, sealEntry } from '../store.js';

const COMMANDS = ['fit', 'generate', 'evaluate', 'text generate'] as const;

/** A plausible entry draft number `i` (deterministic: tests compare exact text). */
export function draftFor(i: number): EntryDraft {
  const command = COMMANDS[i % COMMANDS.length];
  const hex = (n: number) => (n * 2654435761 + 12345).toString(16).padStart(8, '0').repeat(8).slice(0, 64);
  return {
    run: `20250101T${String(100000 + i).slice(-6)}Z-${hex(i).slice(0, 6)}`,
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
    command,
    argv: [command, `in-${i}.csv`, '-o', `out-${i}.csv`, '--seed', String(i)],
    cwd: '..',
    strata: '0.1.0',
    node: 'v20.19.0',
    seed: i,
    inputs: [{ role: 'data', path: `in-${i}.csv`, sha256: hex(i + 1), bytes: 1000 + i }],
    outputs: [{ role: 'out', path: `out-${i}.csv`, sha256: hex(i + 2), bytes: 2000 + i, rows: 100 + i }],
    params: { rows: 100 + i, table: 'customers', do: { segment: 'premium' } },
    result: command === 'evaluate' ? { summary: { dcr_share: 0.5, detection_auc: 0.61 } } : { rows: 100 + i },
  };
}

/** `n` chained entries as ledger text, with the head that records the last. */
export function buildLedger(
  n: number,
  signer?: Signer,
): { entries: LedgerEntry[]; text: string; head: Head } {
  const entries: LedgerEntry[] = [];
  for (let i = 0; i < n; i++) entries.push(sealEntry(draftFor(i), entries.at(-1), signer));
  const text = entries.map((e) => `${entryLine(e)}\n`).join('');
  return { entries, text, head: headFor(entries[n - 1], signer) };
}
