/**
 * Where a model file's bytes go: per column and per part (the `when` of conditional rows, point
 * masses, knots, category probabilities, the rest), so the size breakdown in docs/fit.md "The
 * model file" can be reproduced.
 *
 *   npx tsx bench/model-size.ts model.yaml            # a written model
 *   npx tsx bench/model-size.ts data.csv [--tables all] [--max-parents 2] [--target col] [--merge-alpha a]
 *                                                     # fit the data first (nothing is written)
 *
 * The parts are read from the text as fit writes it (one key per line, flow maps continued on
 * deeper-indented lines; a table row written as one flow map is split at its keys), not from a
 * parsed spec: it is the file a person opens that is measured.
 */
import { readFileSync } from 'node:fs';
import { fitTable } from '../src/fit/fit.js';
import { isTableKind } from '../src/fit/params.js';
import { readTable } from '../src/io/index.js';

const PARTS = ['when', 'atoms', 'knots', 'values', 'comments', 'other'] as const;
type Part = (typeof PARTS)[number];

/** Bytes per column and part of a model file's text (columns keyed by their name). */
export function sizeBreakdown(text: string): Map<string, Map<Part, number>> {
  const out = new Map<string, Map<Part, number>>();
  let column = '(header)';
  let part: Part = 'other';
  let open = 0;
  // a table row written as one flow map (`- {when: [...], values: {...}, n: 215}`), maybe wrapped
  let row: { depth: number; part: Part; last: string; quote: string } | undefined;
  for (const line of text.split('\n')) {
    const bytes = Buffer.byteLength(line, 'utf8') + 1;
    if (!row && open === 0 && /^\s*- \{"?[\w-]+"?:/.test(line))
      row = { depth: 0, part: 'other', last: '', quote: '' };
    if (row) {
      let parts = out.get(column);
      if (!parts) {
        parts = new Map(PARTS.map((p) => [p, 0]));
        out.set(column, parts);
      }
      scanRowLine(line, row, parts);
      if (row.depth === 0) row = undefined;
      continue;
    }
    const body = line.trimStart().replace(/^- /, '');
    const col = /^ {6}([^\s#][^:]*):$/.exec(line);
    if (col) column = col[1].replace(/^"|"$/g, '');
    if (/^#/.test(body)) part = 'comments';
    else if (open === 0) {
      // A new key (a line inside an unclosed flow map or list continues the key before it).
      const key = /^"?([\w-]+)"?:/.exec(body)?.[1] ?? '';
      part = (PARTS as readonly string[]).includes(key) ? (key as Part) : 'other';
    }
    if (!/^#/.test(body)) open = Math.max(0, open + flowDepth(body));
    let parts = out.get(column);
    if (!parts) {
      parts = new Map(PARTS.map((p) => [p, 0]));
      out.set(column, parts);
    }
    parts.set(part, (parts.get(part) ?? 0) + bytes);
  }
  return out;
}

/**
 * Bytes of one line of a flow-map row to the key they belong to (the text from `key:` up to the
 * next key of the row map); the row's state carries over to its continuation lines.
 */
function scanRowLine(
  line: string,
  row: { depth: number; part: Part; last: string; quote: string },
  parts: Map<Part, number>,
): void {
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (row.quote) {
      if (ch === '\\' && row.quote === '"') i++;
      else if (ch === row.quote) row.quote = '';
    } else if (ch === '"' || ch === "'") row.quote = ch;
    else if (ch === '{' || ch === '[') row.depth++;
    else if (ch === '}' || ch === ']') row.depth--;
    if (!row.quote && row.depth === 1 && (row.last === '{' || row.last === ',') && ch !== ' ') {
      const key = /^"?([\w-]+)"?:/.exec(line.slice(i))?.[1];
      if (key) row.part = (PARTS as readonly string[]).includes(key) ? (key as Part) : 'other';
    }
    if (ch !== ' ') row.last = ch === '{' && row.depth === 1 ? '{' : ch;
    parts.set(row.part, (parts.get(row.part) ?? 0) + Buffer.byteLength(ch, 'utf8'));
  }
  parts.set(row.part, (parts.get(row.part) ?? 0) + 1);
}

/** Change in flow-collection depth over a line (brackets inside quoted text not counted). */
function flowDepth(s: string): number {
  let d = 0;
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{' || ch === '[') d++;
    else if (ch === '}' || ch === ']') d--;
    else if (ch === '#' && (i === 0 || s[i - 1] === ' ')) break;
  }
  return d;
}

async function modelText(args: string[]): Promise<string> {
  const file = args[0];
  if (!file)
    throw new Error(
      'usage: npx tsx bench/model-size.ts MODEL.yaml | DATA.csv [--tables K] [--max-parents N] [--target COL] [--merge-alpha A]',
    );
  if (/\.ya?ml$/.test(file)) return readFileSync(file, 'utf8');
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const tables = opt('--tables');
  if (tables !== undefined && !isTableKind(tables))
    throw new Error(`--tables ${tables}: auto, all, always or never`);
  const maxParents = opt('--max-parents');
  const table = await readTable(file);
  return fitTable(table, {
    source: file,
    ...(tables ? { tables } : {}),
    ...(maxParents ? { maxParents: Number(maxParents) } : {}),
    ...(opt('--target') ? { target: opt('--target') } : {}),
    ...(opt('--merge-alpha') ? { mergeAlpha: Number(opt('--merge-alpha')) } : {}),
  }).yaml;
}

const kb = (b: number) => (b / 1000).toFixed(1);

async function main(): Promise<void> {
  const text = await modelText(process.argv.slice(2));
  const rows = [...sizeBreakdown(text)].map(([c, parts]) => ({
    c,
    parts,
    total: [...parts.values()].reduce((a, b) => a + b, 0),
  }));
  rows.sort((a, b) => b.total - a.total);
  const w = Math.max(8, ...rows.map((r) => r.c.length));
  const head = ['column'.padEnd(w), 'total', ...PARTS].map((s, i) => (i === 0 ? s : s.padStart(9)));
  process.stdout.write(`${head.join(' ')}   (KB)\n`);
  for (const r of rows)
    process.stdout.write(
      `${[r.c.padEnd(w), kb(r.total), ...PARTS.map((p) => kb(r.parts.get(p) ?? 0))].map((s, i) => (i === 0 ? s : s.padStart(9))).join(' ')}\n`,
    );
  const sum = (p: Part) => rows.reduce((a, r) => a + (r.parts.get(p) ?? 0), 0);
  process.stdout.write(
    `${['all'.padEnd(w), kb(Buffer.byteLength(text, 'utf8')), ...PARTS.map((p) => kb(sum(p)))].map((s, i) => (i === 0 ? s : s.padStart(9))).join(' ')}\n`,
  );
}

if (process.argv[1]?.endsWith('model-size.ts')) await main();
