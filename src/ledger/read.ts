/** Reading entries without verifying them (log, show, trace, runs): one JSON parse per line. */
import { resolve } from 'node:path';
import { StrataError } from '../errors.js';
import type { LedgerEntry } from './entry.js';
import { readLedgerText } from './store.js';

/** The entries of a ledger file, in file order. A line that is not JSON is an error naming it. */
export async function readEntries(ledgerPath: string): Promise<LedgerEntry[]> {
  const text = await readLedgerText(ledgerPath);
  if (text === '') {
    throw new StrataError(
      'ledger.empty',
      'the ledger has no entries',
      { file: ledgerPath },
      'runs are recorded with --ledger FILE, or in .strata/ledger.jsonl when that folder exists',
    );
  }
  const out: LedgerEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    try {
      out.push(JSON.parse(line) as LedgerEntry);
    } catch {
      throw new StrataError(
        'ledger.bad_line',
        `line ${i + 1} is not valid JSON`,
        { file: `${ledgerPath}:${i + 1}` },
        'run `strata ledger verify` to see what changed',
      );
    }
  });
  return out;
}

/**
 * The entry a user means: a run id, a unique prefix of one, `#N` (entry number) or `last`.
 * A run id given twice (a reproduction re-stamps rows with the original id) finds the original.
 */
export function findEntry(entries: readonly LedgerEntry[], ref: string, ledgerPath: string): LedgerEntry {
  const r = ref.trim();
  let hit: LedgerEntry | undefined;
  if (r === 'last' || r === '') hit = entries.at(-1);
  else if (/^#\d+$/.test(r)) hit = entries.find((e) => e.seq === Number(r.slice(1)));
  else {
    const exact = entries.find((e) => e.run === r);
    if (exact) hit = exact;
    else {
      const matches = entries.filter((e) => e.run.startsWith(r) || e.run.endsWith(r));
      if (matches.length > 1)
        throw new StrataError(
          'ledger.ambiguous_run',
          `"${ref}" matches ${matches.length} runs`,
          { file: ledgerPath },
          `give more of the id: ${matches
            .slice(0, 4)
            .map((e) => e.run)
            .join(', ')}`,
        );
      hit = matches[0];
    }
  }
  if (!hit)
    throw new StrataError(
      'ledger.unknown_run',
      `no entry "${ref}" in the ledger`,
      { file: ledgerPath },
      'list the runs with `strata ledger log` (a run id, a unique part of one, #N or last)',
    );
  return hit;
}

/** The absolute path of a file an entry recorded. */
export function entryFile(ledgerPath: string, e: LedgerEntry, path: string): string {
  return resolve(ledgerPath, '..', e.cwd ?? '.', path);
}
