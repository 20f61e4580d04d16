/**
 * Which text is missing. One rule for every reader, decided per column:
 * - an empty field is missing (in CSV: unquoted; a quoted `""` is the empty string);
 * - a token in `na_values` (`--na-values`, or `na_values:` on a spec column) is always missing;
 * - a token such as `NA`, `None`, `null`, `NaN`, `?` or `N/A` is missing in a column whose other
 *   values are numbers, dates or booleans (an R-written numeric column stays numeric), and a value
 *   in a column of text (a category called `None` stays a category). Readers report each such
 *   decision (`NaTokenUse`), so `fit` can say which tokens it kept and how to say otherwise.
 *
 * What counts as "unmarked": an unquoted CSV field (a quoted "NA" is always the text NA — our own
 * CSV writer quotes these tokens, so its output reads back as written) and a JSON string in a
 * column whose other values are JSON numbers or booleans. Parquet stores types and nulls, so there a
 * string is text unless listed.
 */

/**
 * Tokens that are missing in a column of numbers or dates, and values in a column of text. 'nan' is
 * how pandas and numpy write a missing float (Taiwan's UCI_Credit_Card.csv has it in AGE).
 */
export const NA_TOKENS: readonly string[] = ['?', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None'];

const TOKENS = new Set(NA_TOKENS);

/** One token of one column and how it was read. */
export interface NaTokenUse {
  column: string;
  token: string;
  /** Cells holding it. */
  count: number;
  /**
   * `listed`: in na_values, missing; `missing`: missing because the column's other values are
   * numbers, dates or booleans (or there are none); `value`: kept as a value, the other values being text.
   */
  readAs: 'listed' | 'missing' | 'value';
}

/** Options of the readers that name missing tokens (part of `ReadOptions`). */
export interface NaOptions {
  /** Tokens read as missing in every column, in addition to the empty field and the rule above. */
  naValues?: readonly string[];
  /** Per column: tokens read as missing there (added to `naValues`). */
  columnNaValues?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Collects, column by column, the cells a reader could not decide alone (unmarked tokens) and the
 * listed tokens it read as missing; `resolve` then turns the tokens of typed columns into nulls.
 */
export class NaTokens {
  /** Every text worth a closer look: the default tokens and every listed one. */
  readonly watch: ReadonlySet<string>;
  private readonly global: ReadonlySet<string>;
  private readonly perColumn: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per column index: rows holding an unmarked token. */
  private readonly pending: number[][] = [];
  /** Per column index: listed token → count. */
  private readonly listedCounts: Map<string, number>[] = [];

  constructor(opts: NaOptions = {}) {
    this.global = new Set(opts.naValues ?? []);
    const per = new Map<string, ReadonlySet<string>>();
    for (const [name, list] of opts.columnNaValues ?? []) per.set(name, new Set([...this.global, ...list]));
    this.perColumn = per;
    const watch = new Set([...TOKENS, ...this.global]);
    for (const s of per.values()) for (const t of s) watch.add(t);
    this.watch = watch;
  }

  /** The listed tokens of a column (always missing there). */
  listedFor(name: string): ReadonlySet<string> {
    return this.perColumn.get(name) ?? this.global;
  }

  /** Whether `v` is one of the default tokens (missing or a value, as the column decides). */
  isToken(v: string): boolean {
    return TOKENS.has(v);
  }

  /** Record a listed token read as missing in column `c`. */
  listed(c: number, token: string): void {
    let m = this.listedCounts[c];
    if (!m) {
      m = new Map();
      this.listedCounts[c] = m;
    }
    m.set(token, (m.get(token) ?? 0) + 1);
  }

  /** Record an unmarked token at `row` of column `c` (the reader keeps its text for now). */
  unmarked(c: number, row: number): void {
    const rows = this.pending[c];
    if (rows) rows.push(row);
    else this.pending[c] = [row];
  }

  /** Rows of column `c` holding unmarked tokens, ascending (empty when none). */
  pendingRows(c: number): readonly number[] {
    return this.pending[c] ?? [];
  }

  /**
   * Decide every column: `typed(c)` says whether column c's other values are numbers, dates or
   * booleans; then its unmarked tokens become null, else they stay values. Returns what was done.
   */
  resolve(
    columns: readonly string[],
    data: (string | null)[][],
    typed: (c: number) => boolean,
  ): NaTokenUse[] {
    const uses: NaTokenUse[] = [];
    for (let c = 0; c < columns.length; c++) {
      for (const [token, count] of this.listedCounts[c] ?? []) {
        uses.push({ column: columns[c], token, count, readAs: 'listed' });
      }
      const rows = this.pending[c];
      if (!rows || rows.length === 0) continue;
      const col = data[c];
      const counts = new Map<string, number>();
      for (const r of rows) {
        const t = col[r] as string;
        counts.set(t, (counts.get(t) ?? 0) + 1);
      }
      const missing = typed(c);
      if (missing) for (const r of rows) col[r] = null;
      for (const [token, count] of counts) {
        uses.push({ column: columns[c], token, count, readAs: missing ? 'missing' : 'value' });
      }
    }
    return uses;
  }
}

/**
 * The distinct non-blank values (trimmed) of `col`, leaving out the rows in `skip` (ascending) —
 * what a column's "other values" are for the missing-token rule.
 */
export function otherValues(col: readonly (string | null)[], skip: readonly number[]): string[] {
  const seen = new Set<string>();
  let k = 0;
  for (let r = 0; r < col.length; r++) {
    if (k < skip.length && skip[k] === r) {
      k++;
      continue;
    }
    const v = col[r];
    if (v === null) continue;
    const t = v.trim();
    if (t !== '') seen.add(t);
  }
  return [...seen];
}

/** `columnNaValues` from a spec table's `na_values:` keys (structural: io does not read specs). */
export function specNaValues(
  table: { columns: Record<string, { na_values?: readonly string[] }> } | undefined,
): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const [name, col] of Object.entries(table?.columns ?? {})) {
    if (col.na_values && col.na_values.length > 0) out.set(name, col.na_values);
  }
  return out;
}
