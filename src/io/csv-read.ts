/**
 * CSV → RawTable via csv-parse (which knows RFC 4180 and reports line numbers). What we add on top:
 * delimiter sniffing, missing values (na-values.ts: an unquoted empty field is missing, a quoted one
 * the empty string; an unquoted token such as NA is decided per column, a quoted one is always
 * text), blank-line handling, and errors that name the file, the 1-based line, what was expected and
 * what was found.
 */
import { type CastingContext, CsvError, type InfoRecord, type Options } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { StrataError } from '../errors.js';
import { allTypedText } from './cell-text.js';
import { NaTokens, otherValues } from './na-values.js';
import { checkLimit, type RawTable, type ReadOptions, selectColumns, tableStem } from './table.js';

const CANDIDATES = [',', ';', '\t', '|'] as const;

/** The most frequent candidate delimiter outside quotes on the header line; ',' if none occurs. */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>();
  let inQuote = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuote = !inQuote;
    else if (!inQuote && (ch === '\n' || ch === '\r')) break;
    else if (!inQuote && (CANDIDATES as readonly string[]).includes(ch))
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let bestN = 0;
  for (const c of CANDIDATES) {
    const n = counts.get(c) ?? 0;
    if (n > bestN) {
      best = c;
      bestN = n;
    }
  }
  return best;
}

function show(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** Collects records column-major as csv-parse hands them over, validating as it goes. */
class CsvCollector {
  header: string[] | null = null;
  data: (string | null)[][] = [];
  rowCount = 0;
  /** Line on which the last complete record ended (0 before the first). */
  lastLine = 0;
  private readonly na: NaTokens;
  /** Per column: the tokens listed as missing there. */
  private listed: ReadonlySet<string>[] = [];
  private readonly limit: number;

  constructor(
    readonly source: string,
    opts: ReadOptions,
  ) {
    this.na = new NaTokens(opts);
    this.limit = checkLimit(opts.limit, source);
  }

  /**
   * Which fields of one record were quoted. csv-parse only says so through a `cast` callback, which
   * makes it ~7× slower on every field, so we re-parse just the raw text of the rare record that has
   * both a quote and an empty or token-looking value.
   */
  private quotedFields(raw: string): boolean[] {
    const flags: boolean[] = [];
    parse(raw, {
      ...this.syntax,
      bom: false,
      cast: (value: string, ctx: CastingContext) => {
        flags[ctx.index] = ctx.quoting;
        return value;
      },
    });
    return flags;
  }

  syntax: Options = {};

  onRecord = ({ record: rec, raw }: { record: string[]; raw: string }, ctx: InfoRecord): null => {
    const startLine = this.lastLine + 1;
    this.lastLine = ctx.lines;
    const hasQuote = raw.includes('"');
    const blank = rec.length === 1 && rec[0] === '' && !hasQuote;
    if (this.header === null) {
      if (blank) return null; // leading blank lines before the header
      this.setHeader(rec, startLine);
      return null;
    }
    if (this.rowCount >= this.limit) return null;
    const width = this.header.length;
    // A blank line is no row in a multi-column file; in a one-column file it is a record whose field
    // is empty, so missing (RFC 4180: only the line break that ends the last record is not one).
    if (blank && width > 1) return null;
    if (rec.length !== width) {
      throw new StrataError(
        'io.csv',
        `expected ${width} fields (as in the header), found ${rec.length}`,
        { file: this.source, line: startLine },
        `quote fields that contain the delimiter ${show(this.delimiterHint)} with double quotes, or fix the row`,
      );
    }
    const row = this.rowCount;
    const watch = this.na.watch;
    let quoted: boolean[] | null = null;
    for (let c = 0; c < width; c++) {
      const v = rec[c];
      if (v !== '' && !watch.has(v)) {
        this.data[c].push(v);
        continue;
      }
      if (hasQuote && quoted === null) quoted = this.quotedFields(raw);
      const isQuoted = quoted?.[c] === true;
      if (v === '') this.data[c].push(isQuoted ? '' : null);
      else if (this.listed[c].has(v)) {
        this.na.listed(c, v);
        this.data[c].push(null);
      } else {
        if (!isQuoted && this.na.isToken(v)) this.na.unmarked(c, row);
        this.data[c].push(v);
      }
    }
    this.rowCount++;
    return null;
  };

  delimiterHint = ',';

  private setHeader(rec: string[], line: number): void {
    const seen = new Map<string, number>();
    rec.forEach((name, i) => {
      if (name === '') {
        throw new StrataError(
          'io.csv',
          `header field ${i + 1} is empty; expected a column name`,
          { file: this.source, line },
          'give every column a name in the first line',
        );
      }
      const prev = seen.get(name);
      if (prev !== undefined) {
        throw new StrataError(
          'io.csv',
          `duplicate column name ${show(name)} in header fields ${prev + 1} and ${i + 1}; expected unique names`,
          { file: this.source, line },
          'rename one of the columns',
        );
      }
      seen.set(name, i);
    });
    this.header = rec;
    this.data = rec.map(() => []);
    this.listed = rec.map((name) => this.na.listedFor(name));
  }

  /** Translate a csv-parse error into a StrataError with the place and the fix. */
  toStrataError(err: unknown): unknown {
    if (err instanceof StrataError || !(err instanceof CsvError)) return err;
    const file = this.source;
    switch (err.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return new StrataError(
          'io.csv',
          `quote opened in the record starting here is never closed; expected a closing '"', found the end of the file`,
          { file, line: this.lastLine + 1 },
          'close the quote; inside a quoted field write a literal quote as two quotes ("")',
        );
      case 'CSV_INVALID_CLOSING_QUOTE':
      case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
        return new StrataError(
          'io.csv',
          `a quoted field is followed by text; expected a delimiter or end of line after the closing quote`,
          { file, line: (err as CsvError & { lines?: number }).lines ?? this.lastLine + 1 },
          'quote the whole field, and write a literal quote inside it as two quotes ("")',
        );
      default:
        return new StrataError(
          'io.csv',
          err.message,
          { file, line: (err as CsvError & { lines?: number }).lines ?? this.lastLine + 1 },
          'fix the CSV syntax at this line',
        );
    }
  }

  finish(): RawTable {
    if (this.header === null) {
      throw new StrataError(
        'io.csv',
        'the file is empty; expected a header line naming the columns',
        { file: this.source, line: 1 },
        'write the column names, separated by commas, on the first line',
      );
    }
    const data = this.data;
    const naTokens = this.na.resolve(this.header, data, (c) =>
      allTypedText(otherValues(data[c], this.na.pendingRows(c))),
    );
    return {
      name: tableStem(this.source),
      columns: this.header,
      rowCount: this.rowCount,
      data,
      source: this.source,
      ...(naTokens.length > 0 ? { naTokens } : {}),
    };
  }
}

/** Parse CSV text (BOM, CRLF, quoted newlines, `, ` separators). `source` names it in errors. */
export function parseCsvText(text: string, source: string, opts: ReadOptions = {}): RawTable {
  const delimiter = opts.delimiter ?? sniffDelimiter(text);
  const col = new CsvCollector(source, opts);
  col.delimiterHint = delimiter;
  col.syntax = {
    delimiter,
    // Adult writes ", " between values: unquoted surrounding blanks are not data.
    ltrim: true,
    rtrim: true,
    relax_quotes: true,
    relax_column_count: true, // we check widths ourselves, to say expected vs found
    skip_empty_lines: false,
  };
  try {
    // csv-parse's typings do not model `raw: true`, under which on_record gets { record, raw }.
    parse(text, { ...col.syntax, bom: true, raw: true, on_record: col.onRecord } as unknown as Options);
  } catch (err) {
    throw col.toStrataError(err);
  }
  return selectColumns(col.finish(), opts.columns);
}
