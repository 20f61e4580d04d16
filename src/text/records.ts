/**
 * Reading and writing text records. Generated JSONL nests `cell` and `provenance`, which the
 * table reader (flat columns only) rightly refuses, so JSONL is read here with dotted field paths
 * (`cell.intent`); CSV/Parquet/flat files go through `readTable`.
 */
import { readFileSync } from 'node:fs';
import { StrataError } from '../errors.js';
import { readTable, writeLinesAtomic } from '../io/index.js';
import { nameMap } from '../names.js';

export interface TextRow {
  id: string;
  text: string;
  label: string | null;
  /** The whole parsed record (JSONL) or the flat row (tables). */
  raw: Record<string, unknown>;
}

function getPath(o: unknown, path: string): unknown {
  let cur = o;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export async function readTextRows(path: string, textField: string, labelField?: string): Promise<TextRow[]> {
  const rows: TextRow[] = [];
  if (/\.(jsonl|ndjson)$/i.test(path)) {
    const lines = readFileSync(path, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].trim()) continue;
      let rec: unknown;
      try {
        rec = JSON.parse(lines[i]);
      } catch (e) {
        throw new StrataError(
          'text.jsonl',
          `invalid JSON: ${(e as Error).message}`,
          { file: path, line: i + 1 },
          'each line must be one JSON object',
        );
      }
      const text = getPath(rec, textField);
      if (typeof text !== 'string')
        throw new StrataError(
          'text.field',
          `no string field "${textField}"`,
          { file: path, line: i + 1 },
          'pass the right --text-field (dotted paths like cell.intent work)',
        );
      const label = labelField ? getPath(rec, labelField) : undefined;
      const id = getPath(rec, 'id');
      rows.push({
        id: typeof id === 'string' || typeof id === 'number' ? String(id) : `${i + 1}`,
        text,
        label: label === undefined || label === null ? null : String(label),
        raw: rec as Record<string, unknown>,
      });
    }
    return rows;
  }
  const t = await readTable(path);
  const ti = t.columns.indexOf(textField);
  if (ti < 0)
    throw new StrataError(
      'text.field',
      `no column "${textField}"`,
      { file: path },
      `columns are: ${t.columns.join(', ')}`,
    );
  const li = labelField ? t.columns.indexOf(labelField) : -1;
  if (labelField && li < 0)
    throw new StrataError(
      'text.field',
      `no column "${labelField}"`,
      { file: path },
      `columns are: ${t.columns.join(', ')}`,
    );
  const idi = t.columns.indexOf('id');
  for (let r = 0; r < t.rowCount; r++) {
    const raw: Record<string, unknown> = nameMap();
    t.columns.forEach((c, k) => {
      raw[c] = t.data[k][r];
    });
    rows.push({
      id: idi >= 0 && t.data[idi][r] !== null ? String(t.data[idi][r]) : `${r + 1}`,
      text: t.data[ti][r] ?? '',
      label: li >= 0 ? t.data[li][r] : null,
      raw,
    });
  }
  return rows;
}

/** Write objects as JSON lines, atomically. */
export function writeJsonl(path: string, records: Iterable<unknown>): Promise<void> {
  return writeLinesAtomic(
    path,
    (function* () {
      for (const r of records) yield `${JSON.stringify(r)}\n`;
    })(),
  );
}
