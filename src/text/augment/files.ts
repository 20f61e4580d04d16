/**
 * `text augment` at the file edge: read a labelled file (JSONL with dotted field paths, or CSV /
 * Parquet), augment, and write the synthetic rows as JSONL under the same text and label fields
 * (so the output can be appended to the training file), each with its provenance; optionally a JSON
 * report with the per-label counts and gain curves. Writes are atomic.
 */
import { StrataError } from '../../errors.js';
import { writeTextAtomic } from '../../io/index.js';
import { readTextRows, writeJsonl } from '../records.js';
import {
  type AugmentOptions,
  type AugmentRecord,
  type AugmentResult,
  augmentTexts,
  SHORT_FIX,
} from './augment.js';

export interface AugmentFileOptions extends AugmentOptions {
  textField: string;
  labelField: string;
  /** Write the per-label report (counts, gain curves, operator statistics) as JSON. */
  reportPath?: string;
  /**
   * Write the rows made even when a label could not be filled (default false: a short run writes
   * no output file and raises `text.augment_short`, naming each short label and why).
   */
  allowShort?: boolean;
}

/**
 * The labels left short, one line each with the reason (empty when every label was filled). The fix
 * each report reason ends with is said once after these lines (SHORT_LINES_FIX), not on every line.
 */
export function shortLines(res: AugmentResult, perLabel: number): string[] {
  return res.labels
    .filter((l) => l.shortfall > 0)
    .map((l) => {
      const why = l.short_reason?.endsWith(SHORT_FIX)
        ? l.short_reason.slice(0, -SHORT_FIX.length)
        : l.short_reason;
      return `${l.label}: ${l.real + l.selected}/${perLabel} — ${why ?? 'short'}`;
    });
}

/** The fix for short labels, said once. */
export const SHORT_LINES_FIX = 'add real examples of these labels, lower --per-label or raise --oversample';

/** Set a dotted path on a null-prototype object tree (field names are user text). */
function setPath(o: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = o;
  for (const p of parts.slice(0, -1)) {
    let next = cur[p];
    if (typeof next !== 'object' || next === null) {
      next = Object.create(null) as Record<string, unknown>;
      cur[p] = next;
    }
    cur = next as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

export function recordToJson(
  r: AugmentRecord,
  textField: string,
  labelField: string,
): Record<string, unknown> {
  const o = Object.create(null) as Record<string, unknown>;
  o.id = r.id;
  setPath(o, textField, r.text);
  setPath(o, labelField, r.label);
  o.provenance = r.provenance;
  return o;
}

export async function augmentFile(
  input: string,
  output: string,
  o: AugmentFileOptions,
): Promise<AugmentResult> {
  if (o.textField === o.labelField)
    throw new StrataError(
      'text.augment_fields',
      '--text-field and --label-field name the same field',
      { path: '--label-field' },
      'name the label field',
    );
  const rows = await readTextRows(input, o.textField, o.labelField);
  const labelled = rows.filter((r) => r.label !== null && r.label !== '');
  if (labelled.length === 0)
    throw new StrataError(
      'text.augment_empty',
      `no row of ${input} has a label in "${o.labelField}"`,
      { file: input, path: '--label-field' },
      'pass the field that holds the label',
    );
  const seen = new Set<string>();
  const res = await augmentTexts(
    labelled.map((r, i) => {
      // ids must be unique: they name sources in provenance and neighbours in dedup
      const id = seen.has(r.id) ? `${r.id}#${i}` : r.id;
      seen.add(id);
      return { id, text: r.text, label: r.label! };
    }),
    o,
  );
  // the report first: it says why a label is short, also when no output is written
  if (o.reportPath)
    await writeTextAtomic(
      o.reportPath,
      `${JSON.stringify({ kind: 'text-augment', per_label: o.perLabel, seed: o.seed ?? 1, labels: res.labels, operators: res.operators, usage: res.usage, timings_ms: res.timings_ms }, null, 2)}\n`,
    );
  const short = shortLines(res, o.perLabel);
  if (short.length && !o.allowShort)
    throw new StrataError(
      'text.augment_short',
      `${short.length} label${short.length === 1 ? '' : 's'} could not be filled to ${o.perLabel} rows; nothing was written to ${output}:\n  ${short.join('\n  ')}`,
      { file: input, path: '--per-label' },
      `${SHORT_LINES_FIX}; --allow-short writes the rows made (exit status 1)`,
    );
  await writeJsonl(
    output,
    res.records.map((r) => recordToJson(r, o.textField, o.labelField)),
  );
  return res;
}
