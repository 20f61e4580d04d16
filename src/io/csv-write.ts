/**
 * The one CSV quoting rule, and line writers for CSV and JSON lines. Hand-written: a small quoting
 * writer measured 4× faster than csv-stringify, and the rules are few. Generation's byte writer
 * (src/sample/csv-bytes.ts) applies this same rule through `QUOTE_ASCII`, `isTrimmable` and
 * `csvField`, and tests hold the two to the same bytes.
 *
 * Our CSV dialect is lossless against our reader (csv-read.ts): null is an empty unquoted field (read
 * back as missing); a string is quoted when the reader would otherwise read it differently — when it
 * is empty (the empty string, not missing), is a token a reader may take for missing (`NA`, `None`,
 * `?`, … from na-values.ts: quoted, it is always text), starts or ends with a blank the reader trims,
 * or contains a quote, a comma or a line break. Header names are also quoted when they contain a
 * character the reader may sniff as the delimiter (`;`, tab, `|`), since it sniffs the header line.
 * A number that is not finite (Infinity, NaN) is written as missing: no reader takes "Infinity" for a
 * number, and generation counts these cells and says so.
 *
 * Text starting with `=`, `+`, `-` or `@` is written as it is: a CSV file is data, and prefixing such
 * cells (the spreadsheet "formula injection" guard) would change the values and break the round trip.
 * Open generated CSV in a spreadsheet with care, or import it as text.
 */
import { NA_TOKENS } from './na-values.js';

const TOKENS = new Set(NA_TOKENS);

/** ASCII code → 1 when a field containing it is quoted: `"`, `,`, CR, LF. */
export const QUOTE_ASCII: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (const ch of ['"', ',', '\r', '\n']) t[ch.charCodeAt(0)] = 1;
  return t;
})();

/** Header names also quote the delimiters the reader sniffs from the header line. */
const HEADER_QUOTE_ASCII: Uint8Array = (() => {
  const t = QUOTE_ASCII.slice();
  for (const ch of [';', '\t', '|']) t[ch.charCodeAt(0)] = 1;
  return t;
})();

// The characters csv-parse's ltrim/rtrim strip (its `timchars` list): a value starting or ending with
// one must be quoted to survive.
const TRIMMABLE = new Set([
  0x20, 0x09, 0x0a, 0x0d, 0x0c, 0x0b, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
]);

/** Whether the reader trims this UTF-16 code unit at the ends of an unquoted field. */
export function isTrimmable(code: number): boolean {
  return code <= 0x20 ? TRIMMABLE.has(code) : code >= 0xa0 && TRIMMABLE.has(code);
}

function needsQuotesWith(s: string, table: Uint8Array): boolean {
  const n = s.length;
  if (n === 0 || TOKENS.has(s) || isTrimmable(s.charCodeAt(0)) || isTrimmable(s.charCodeAt(n - 1)))
    return true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 128 && table[c] === 1) return true;
  }
  return false;
}

/** Whether a text field must be quoted (the rule above). */
export function needsQuotes(s: string): boolean {
  return needsQuotesWith(s, QUOTE_ASCII);
}

/** A text field quoted per RFC 4180: in double quotes, inner quotes doubled. */
export function quoted(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** One CSV field; quoted only when needed; null and non-finite numbers -> '' (missing). */
export function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return needsQuotes(v) ? quoted(v) : v;
}

/** One header name, quoted when needed (the field rule, plus the sniffed delimiters). */
export function csvHeaderField(name: string): string {
  return needsQuotesWith(name, HEADER_QUOTE_ASCII) ? quoted(name) : name;
}

/** The header line, with the trailing '\n'. */
export function csvHeaderLine(names: readonly string[]): string {
  return `${names.map(csvHeaderField).join(',')}\n`;
}

/** One CSV line, with the trailing '\n'. */
export function csvLine(values: readonly (string | number | boolean | null)[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) s += ',';
    s += csvField(values[i]);
  }
  return `${s}\n`;
}

/** One JSON line, with the trailing '\n'. Non-finite numbers become null (JSON has no NaN). */
export function jsonlLine(record: Record<string, string | number | boolean | null>): string {
  return `${JSON.stringify(record)}\n`;
}
