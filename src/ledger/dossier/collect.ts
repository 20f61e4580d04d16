/**
 * What a dossier is about: from any run of the chain fit → generate → evaluate, the other two
 * (matched by file hashes, as `ledger trace` does), the files they recorded that are still on disk
 * with the recorded bytes (the evaluation report, the model, the knowledge file), and the ledger's
 * verification. Nothing is read from a file whose bytes differ from the ledger's record.
 */
import { readFile } from 'node:fs/promises';
import { StrataError } from '../../errors.js';
import type { EvaluationReport } from '../../evaluate/registry.js';
import { loadSpec } from '../../spec/parse.js';
import type { Spec } from '../../spec/schema.js';
import type { FileRecord, LedgerEntry } from '../entry.js';
import { hashFile, isFile } from '../files.js';
import { entryFile, findEntry, readEntries } from '../read.js';
import { type VerifyReport, verifyLedger } from '../verify.js';

export interface Dossier {
  ledgerPath: string;
  subject: LedgerEntry;
  fit?: LedgerEntry;
  generate?: LedgerEntry;
  evaluate?: LedgerEntry;
  /** The evaluation's --json report (when on disk with the recorded bytes). */
  report?: EvaluationReport;
  /** The spec the rows were drawn from (the fitted model, usually). */
  model?: Spec;
  knowledge?: string;
  verify: VerifyReport;
  /** What could not be shown, and why. */
  notes: string[];
}

const writer = (entries: readonly LedgerEntry[], sha: string | undefined, before: number) =>
  sha
    ? [...entries].reverse().find((e) => e.seq < before && e.outputs?.some((o) => o.sha256 === sha))
    : undefined;

const reader = (
  entries: readonly LedgerEntry[],
  command: string,
  role: string,
  sha: string | undefined,
  after: number,
) =>
  sha
    ? [...entries]
        .reverse()
        .find(
          (e) =>
            e.command === command &&
            e.seq > after &&
            e.inputs?.some((i) => i.role === role && i.sha256 === sha),
        )
    : undefined;

/** The file's text when it is on disk with the bytes the ledger recorded; else a note why not. */
async function recorded(
  ledgerPath: string,
  e: LedgerEntry,
  f: FileRecord | undefined,
  notes: string[],
): Promise<string | undefined> {
  if (!f) return undefined;
  const path = entryFile(ledgerPath, e, f.path);
  if (!(await isFile(path))) {
    notes.push(`${f.path} (${f.role} of run ${e.run}) is not on disk: its contents are not shown`);
    return undefined;
  }
  if ((await hashFile(path)).sha256 !== f.sha256) {
    notes.push(`${f.path} (${f.role} of run ${e.run}) changed since the run: its contents are not shown`);
    return undefined;
  }
  return readFile(path, 'utf8');
}

export async function collectDossier(ledgerPath: string, run: string): Promise<Dossier> {
  const entries = await readEntries(ledgerPath);
  const subject = findEntry(entries, run, ledgerPath);
  let fit: LedgerEntry | undefined;
  let generate: LedgerEntry | undefined;
  let evaluate: LedgerEntry | undefined;
  const out = (e: LedgerEntry | undefined, role: string) => e?.outputs?.find((o) => o.role === role)?.sha256;
  const inp = (e: LedgerEntry | undefined, role: string) => e?.inputs?.find((i) => i.role === role)?.sha256;
  switch (subject.command) {
    case 'evaluate':
      evaluate = subject;
      generate = writer(entries, inp(evaluate, 'synthetic'), evaluate.seq);
      break;
    case 'generate':
      generate = subject;
      break;
    case 'fit':
      fit = subject;
      generate = reader(entries, 'generate', 'spec', out(fit, 'model'), fit.seq);
      break;
    default:
      throw new StrataError(
        'dossier.run_kind',
        `run ${subject.run} is a ${subject.command} run`,
        { file: ledgerPath },
        'a dossier is about a fit, generate or evaluate run (any of them: the others are found by file hashes)',
      );
  }
  if (generate) {
    fit ??= writer(entries, inp(generate, 'spec'), generate.seq);
    evaluate ??= reader(entries, 'evaluate', 'synthetic', out(generate, 'rows'), generate.seq);
  }
  const notes: string[] = [];
  if (!generate)
    notes.push('no generate run in the ledger links this chain: the synthetic data is not identified');
  if (!evaluate)
    notes.push(
      'no evaluation of the synthetic data is in the ledger: fidelity, privacy and utility are not shown',
    );
  let report: EvaluationReport | undefined;
  if (evaluate) {
    const text = await recorded(
      ledgerPath,
      evaluate,
      evaluate.outputs.find((o) => o.role === 'json'),
      notes,
    );
    if (text) report = JSON.parse(text) as EvaluationReport;
    else if (!evaluate.outputs.some((o) => o.role === 'json'))
      notes.push(
        'the evaluation was run without --json: only its summary figures (from the ledger) are shown',
      );
  }
  let model: Spec | undefined;
  const modelOwner = generate ?? fit;
  const modelFile = generate
    ? generate.inputs.find((i) => i.role === 'spec')
    : fit?.outputs.find((o) => o.role === 'model');
  if (modelOwner && modelFile && (await recorded(ledgerPath, modelOwner, modelFile, notes)) !== undefined)
    model = (await loadSpec(entryFile(ledgerPath, modelOwner, modelFile.path))).spec;
  const knowledge = fit
    ? await recorded(
        ledgerPath,
        fit,
        fit.inputs.find((i) => i.role === 'knowledge'),
        notes,
      )
    : undefined;
  const verify = await verifyLedger(ledgerPath);
  return { ledgerPath, subject, fit, generate, evaluate, report, model, knowledge, verify, notes };
}
