/**
 * `ledger trace OUTPUT`: from a file's bytes back to the runs that made it, the inputs those runs
 * read (and the runs that made them), and the evaluations that judged it, with the command that
 * reproduces each run. Files are matched by SHA-256, not by name: a copied or renamed file traces
 * just the same, and a file that changed traces to nothing.
 */

import { relative } from 'node:path';
import type { LedgerEntry } from './entry.js';
import { hashFile, isFile } from './files.js';
import { entryFile } from './read.js';

export interface TracedFile {
  role: string;
  path: string;
  sha256: string;
  /** Does the file at that path still hold these bytes? */
  status: 'unchanged' | 'changed' | 'missing';
  /** The run that wrote these bytes, traced further back. */
  madeBy?: TracedRun;
}

export interface TracedRun {
  entry: LedgerEntry;
  /** `cd DIR && strata …`: the command that reproduces the run's outputs. */
  reproduce: string;
  inputs: TracedFile[];
}

export interface Trace {
  file: string;
  sha256: string;
  madeBy?: TracedRun;
  /** Runs that took these bytes as an input (evaluations, audits, fits…). */
  usedBy: { entry: LedgerEntry; role: string }[];
  /** Entries that wrote this path but other bytes (the file changed after them). */
  otherBytesAtPath: LedgerEntry[];
}

/** Options dropped from a reproduce command: they say where to record, not what to compute. */
const RECORDING = new Set(['--ledger', '--sign-key', '--run-id']);

/** Shell-quote one argument (POSIX single quotes when needed). */
export function shellQuote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`;
}

/** The argv that reproduces an entry's outputs: recording options out, the run id back in. */
export function reproduceArgv(e: LedgerEntry): string[] {
  const out: string[] = [];
  for (let i = 0; i < e.argv.length; i++) {
    const a = e.argv[i];
    const flag = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (a === '--no-ledger') continue;
    if (RECORDING.has(flag)) {
      if (!a.includes('=')) i++;
      continue;
    }
    out.push(a);
  }
  if (e.command === 'generate' && (e.params as Record<string, unknown>).provenance === true)
    out.push('--run-id', e.reproduces ?? e.run);
  return out;
}

/** `cd DIR && strata …`, DIR being the run's working directory relative to `from` (default: here). */
export function reproduceCommand(e: LedgerEntry, ledgerPath: string, from = process.cwd()): string {
  const dir = relative(from, entryFile(ledgerPath, e, '.')) || '.';
  return `cd ${shellQuote(dir)} && strata ${reproduceArgv(e).map(shellQuote).join(' ')}`;
}

/** The last entry before `before` that wrote bytes `sha256`. */
function writerOf(entries: readonly LedgerEntry[], sha256: string, before: number): LedgerEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e.seq < before && e.outputs?.some((o) => o.sha256 === sha256)) return e;
  }
  return undefined;
}

async function status(path: string, sha256: string): Promise<TracedFile['status']> {
  if (!(await isFile(path))) return 'missing';
  return (await hashFile(path)).sha256 === sha256 ? 'unchanged' : 'changed';
}

async function traceRun(
  ledgerPath: string,
  entries: readonly LedgerEntry[],
  e: LedgerEntry,
  seen: Set<number>,
): Promise<TracedRun> {
  seen.add(e.seq);
  const inputs: TracedFile[] = [];
  for (const i of e.inputs ?? []) {
    const w = writerOf(entries, i.sha256, e.seq);
    inputs.push({
      role: i.role,
      path: i.path,
      sha256: i.sha256,
      status: await status(entryFile(ledgerPath, e, i.path), i.sha256),
      ...(w && !seen.has(w.seq) ? { madeBy: await traceRun(ledgerPath, entries, w, seen) } : {}),
    });
  }
  return { entry: e, reproduce: reproduceCommand(e, ledgerPath), inputs };
}

/** Trace a file through the ledger's entries. */
export async function traceFile(
  ledgerPath: string,
  entries: readonly LedgerEntry[],
  file: string,
): Promise<Trace> {
  const { sha256 } = await hashFile(file);
  const w = writerOf(entries, sha256, Number.POSITIVE_INFINITY);
  const usedBy: Trace['usedBy'] = [];
  for (const e of entries)
    for (const i of e.inputs ?? []) if (i.sha256 === sha256) usedBy.push({ entry: e, role: i.role });
  const abs = file;
  const otherBytesAtPath = entries.filter((e) =>
    e.outputs?.some((o) => o.sha256 !== sha256 && entryFile(ledgerPath, e, o.path) === abs),
  );
  return {
    file,
    sha256,
    ...(w ? { madeBy: await traceRun(ledgerPath, entries, w, new Set()) } : {}),
    usedBy,
    otherBytesAtPath,
  };
}
