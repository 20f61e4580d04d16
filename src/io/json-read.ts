/**
 * JSON lines and JSON arrays of objects → RawTable. Values are kept as text (numbers via String,
 * booleans as 'true'/'false'); JSON null and absent keys are missing, and so is a listed token
 * (na-values.ts). A string such as "NA" is missing only in a column whose other values are JSON
 * numbers or booleans (R's jsonlite writes a numeric NA as "NA"); among strings it is a value.
 * Nested objects/arrays are an error naming the line (or element) and key: flatten them before reading.
 */
import { StrataError } from '../errors.js';
import { NaTokens } from './na-values.js';
import { checkLimit, type RawTable, type ReadOptions, selectColumns, tableStem } from './table.js';

type Where = { file: string; line?: number; path?: string };

/** Column-major accumulation of objects whose keys may differ (column order = first appearance). */
class ObjectCollector {
  readonly columns: string[] = [];
  readonly data: (string | null)[][] = [];
  private readonly index = new Map<string, number>();
  private readonly na: NaTokens;
  private listed: ReadonlySet<string>[] = [];
  /** Per column: 1 = a JSON number or boolean seen, 2 = a string other than a token seen. */
  private readonly seen: number[] = [];
  rowCount = 0;

  constructor(opts: ReadOptions) {
    this.na = new NaTokens(opts);
  }

  add(obj: unknown, where: Where, what: string): void {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      const found = obj === null ? 'null' : Array.isArray(obj) ? 'an array' : typeof obj;
      throw new StrataError(
        'io.json',
        `expected ${what} to be a JSON object, found ${found}`,
        where,
        'write one object per record, e.g. {"age": 41, "segment": "retail"}',
      );
    }
    const row = this.rowCount;
    for (const [key, value] of Object.entries(obj)) {
      let c = this.index.get(key);
      if (c === undefined) {
        c = this.columns.length;
        this.index.set(key, c);
        this.columns.push(key);
        this.data.push(new Array<string | null>(row).fill(null));
        this.listed.push(this.na.listedFor(key));
        this.seen.push(0);
      }
      this.data[c].push(this.cell(c, row, cellText(value, key, where), typeof value === 'string'));
    }
    this.rowCount++;
    for (const col of this.data) if (col.length < this.rowCount) col.push(null);
  }

  /** The cell as stored: null for a listed token; an unmarked token is kept and decided later. */
  private cell(c: number, row: number, text: string | null, isString: boolean): string | null {
    if (text === null) return null;
    if (this.na.watch.has(text)) {
      if (this.listed[c].has(text)) {
        this.na.listed(c, text);
        return null;
      }
      if (isString && this.na.isToken(text)) {
        this.na.unmarked(c, row);
        return text;
      }
    }
    this.seen[c] |= isString ? 2 : 1;
    return text;
  }

  table(source: string): RawTable {
    const naTokens = this.na.resolve(this.columns, this.data, (c) => this.seen[c] === 1);
    return {
      name: tableStem(source),
      columns: this.columns,
      rowCount: this.rowCount,
      data: this.data,
      source,
      ...(naTokens.length > 0 ? { naTokens } : {}),
    };
  }
}

function cellText(value: unknown, key: string, where: Where): string | null {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    default:
      throw new StrataError(
        'io.json',
        `key "${key}" holds ${Array.isArray(value) ? 'an array' : 'an object'}; expected a string, number, boolean or null`,
        where,
        'flatten nested values into separate keys (e.g. "address.city") or encode them as a string',
      );
  }
}

/** Parse JSON-lines text: one object per non-blank line. */
export function parseJsonLinesText(text: string, source: string, opts: ReadOptions = {}): RawTable {
  const limit = checkLimit(opts.limit, source);
  const acc = new ObjectCollector(opts);
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0;
  while (start < text.length && acc.rowCount < limit) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      throw new StrataError(
        'io.json',
        `invalid JSON: ${(e as Error).message}`,
        { file: source, line },
        'each line must be one complete JSON object; a record may not span lines',
      );
    }
    acc.add(obj, { file: source, line }, `line ${line}`);
  }
  return selectColumns(acc.table(source), opts.columns);
}

/** 1-based line of a character offset. */
function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Parse a JSON document that is an array of objects. */
export function parseJsonArrayText(text: string, source: string, opts: ReadOptions = {}): RawTable {
  const limit = checkLimit(opts.limit, source);
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    throw new StrataError(
      'io.json',
      `invalid JSON: ${msg}`,
      { file: source, line: pos ? lineOf(text, Number(pos[1])) : undefined },
      'fix the JSON syntax (a .json table is an array of objects; use .jsonl for one object per line)',
    );
  }
  if (!Array.isArray(doc)) {
    throw new StrataError(
      'io.json',
      `expected an array of objects, found ${doc === null ? 'null' : typeof doc}`,
      { file: source },
      'write the table as [{"col": value, ...}, ...], or use .jsonl with one object per line',
    );
  }
  const acc = new ObjectCollector(opts);
  for (let i = 0; i < doc.length && i < limit; i++) {
    acc.add(doc[i], { file: source, path: `[${i}]` }, `element ${i}`);
  }
  return selectColumns(acc.table(source), opts.columns);
}
