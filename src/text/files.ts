/** File-level library functions behind `strata text dedup` and `strata text audit`. */
import { readFileSync } from 'node:fs';
import { StrataError } from '../errors.js';
import { checkSummaryGates, type GateFailure, type Gates, parseGateText } from '../evaluate/gates.js';
import { csvHeaderLine, csvLine, writeLinesAtomic } from '../io/index.js';
import {
  type AuditOptions,
  auditTexts,
  TEXT_SUMMARY_KEYS,
  type TextAuditReport,
  type TextSummaryKey,
} from './audit.js';
import { createDedupFunnel, type FunnelOptions, type FunnelStats, type Rejection } from './dedup/funnel.js';
import { loadPlan, type Notify } from './plan-load.js';
import { readTextRows, type TextRow, writeJsonl } from './records.js';
import { writeAuditReport } from './report.js';
import { cellKey } from './types.js';

export interface DedupFileOptions extends FunnelOptions {
  textField: string;
  /** Field holding the cell (a string, or an object of axis values as in generated JSONL); default `cell`. */
  cellField?: string;
  rejectionsPath?: string;
  /** A real corpus to dedup against. */
  realPath?: string;
  realTextField?: string;
}

function cellOf(row: TextRow, field: string): string | undefined {
  let v: unknown = row.raw;
  for (const p of field.split('.'))
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[p] : undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (typeof v === 'object' && v !== null) return cellKey(v as Record<string, string>, Object.keys(v).sort());
  return undefined;
}

export async function dedupFile(
  inPath: string,
  outPath: string,
  o: DedupFileOptions,
): Promise<{ kept: number; rejections: Rejection[]; stats: FunnelStats }> {
  const rows = await readTextRows(inPath, o.textField);
  const funnel = await createDedupFunnel(o);
  if (o.realPath)
    for (const r of await readTextRows(o.realPath, o.realTextField ?? o.textField))
      funnel.addReal(`real:${r.id}`, r.text);
  const kept: TextRow[] = [];
  const rejections: Rejection[] = [];
  const seenIds = new Set<string>();
  for (const [i, r] of rows.entries()) {
    const id = seenIds.has(r.id) ? `${r.id}#${i + 1}` : r.id;
    seenIds.add(id);
    const rej = funnel.add({ id, text: r.text, cell: cellOf(r, o.cellField ?? 'cell') });
    if (rej) rejections.push(rej);
    else kept.push(r);
  }
  if (/\.csv$/i.test(outPath)) {
    const cols = Object.keys(rows[0]?.raw ?? { [o.textField]: '' });
    await writeLinesAtomic(outPath, [
      csvHeaderLine(cols),
      ...kept.map((r) => csvLine(cols.map((c) => toCell(r.raw[c])))),
    ]);
  } else
    await writeJsonl(
      outPath,
      kept.map((r) => r.raw),
    );
  if (o.rejectionsPath) await writeJsonl(o.rejectionsPath, rejections);
  return { kept: kept.length, rejections, stats: funnel.stats };
}

function toCell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

export interface AuditFilesOptions extends AuditOptions {
  real: string;
  synthetic: string;
  test?: string;
  textField: string;
  labelField?: string;
  /** Label field of the synthetic file when it differs (e.g. `cell.intent` or `label`). */
  syntheticLabelField?: string;
  syntheticTextField?: string;
  plan?: string;
  json?: string;
  html?: string;
  /** A gate file (`summary key: { min?, max? }`, as `strata evaluate --gate`); failures land in `report.gate`. */
  gate?: string;
  /** Receives deprecation notices of the `plan` file. */
  onNotice?: Notify;
}

/** Read and check a text-audit gate file (before any work, so a typo fails at once). */
export function readTextGates(path: string): Gates<TextSummaryKey> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new StrataError(
      'evaluate.gate',
      'cannot read the gate file',
      { file: path },
      'check the --gate path',
    );
  }
  return parseGateText(text, path, TEXT_SUMMARY_KEYS);
}

/** The gates a text audit fails (empty when all pass); a null figure fails with its reason. */
export function checkTextGates(
  rep: TextAuditReport,
  gates: Gates<TextSummaryKey>,
): GateFailure<TextSummaryKey>[] {
  return checkSummaryGates(rep.summary, gates, TEXT_SUMMARY_KEYS, (k) => rep.metrics[k].reason);
}

export async function auditFiles(o: AuditFilesOptions): Promise<TextAuditReport> {
  const gates = o.gate ? readTextGates(o.gate) : undefined;
  const real = await readTextRows(o.real, o.textField, o.labelField);
  const synth = await readTextRows(
    o.synthetic,
    o.syntheticTextField ?? o.textField,
    o.syntheticLabelField ?? o.labelField,
  );
  const test = o.test ? await readTextRows(o.test, o.textField, o.labelField) : undefined;
  const loaded = o.plan ? await loadPlan(o.plan, { onNotice: o.onNotice }) : undefined;
  const axes = loaded?.plan.axes.map((a) => a.name);
  if (o.labelField && real.every((r) => r.label === null))
    throw new StrataError(
      'text.audit_labels',
      `no labels in "${o.labelField}"`,
      { file: o.real },
      'pass the label column with --label-field',
    );
  const rep = await auditTexts(
    {
      real: real.map((r) => ({ text: r.text, label: r.label })),
      synthetic: synth.map((r) => {
        const cell = r.raw.cell;
        return {
          text: r.text,
          label: r.label,
          cell:
            axes && typeof cell === 'object' && cell !== null
              ? cellKey(cell as Record<string, string>, axes)
              : null,
        };
      }),
      test: test?.map((r) => ({ text: r.text, label: r.label })),
      plan: loaded?.plan,
    },
    o,
  );
  if (gates && o.gate) rep.gate = { file: o.gate, failures: checkTextGates(rep, gates) };
  await writeAuditReport(rep, { json: o.json, html: o.html });
  return rep;
}
