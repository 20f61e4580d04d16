/**
 * Tokenizer for the expression language. Hand-written (not a lexer library) because the token set
 * is tiny and we want exact offsets and our own error wording for every malformed input.
 */
import { describePosition, ExprError } from './error.js';

export type Token =
  | { type: 'num'; value: number; text: string; start: number; end: number }
  | { type: 'str'; value: string; text: string; start: number; end: number }
  /**
   * An identifier; `quoted` when written in backticks (then never a keyword); `qualified` for an
   * unquoted dotted name `q.col` (parent.x, prev.x, first.x, T.x), which is one name.
   */
  | {
      type: 'name';
      value: string;
      quoted: boolean;
      qualified?: boolean;
      text: string;
      start: number;
      end: number;
    }
  | { type: 'punct'; value: string; text: string; start: number; end: number }
  | { type: 'eof'; value: ''; text: ''; start: number; end: number };

/** Punctuation, longest first so that `<=` wins over `<`. */
const PUNCT = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '..',
  '(',
  ')',
  '[',
  ']',
  ',',
  '?',
  ':',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '<',
  '>',
  '!',
  '=',
  '.',
];

const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['\\', '\\'],
  ["'", "'"],
  ['"', '"'],
]);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  const fail = (message: string, offset: number, hint?: string, end?: number): never => {
    throw new ExprError('expr.syntax', message, offset, hint, {}, end);
  };
  while (i < n) {
    const c = source.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c)) {
      while (i < n && isDigit(source.charCodeAt(i))) i++;
      if (source[i] === '.' && isDigit(source.charCodeAt(i + 1))) {
        i++;
        while (i < n && isDigit(source.charCodeAt(i))) i++;
      }
      if (source[i] === 'e' || source[i] === 'E') {
        let j = i + 1;
        if (source[j] === '+' || source[j] === '-') j++;
        if (!isDigit(source.charCodeAt(j))) {
          fail(
            `invalid number "${source.slice(start, j)}" at ${describePosition(source, start)}`,
            start,
            'an exponent needs digits, e.g. 1e-3',
            j,
          );
        }
        i = j;
        while (i < n && isDigit(source.charCodeAt(i))) i++;
      }
      if (i < n && isNamePart(source.charCodeAt(i))) {
        let j = i;
        while (j < n && isNamePart(source.charCodeAt(j))) j++;
        fail(
          `invalid number "${source.slice(start, j)}" at ${describePosition(source, start)}`,
          start,
          `write multiplication explicitly, e.g. ${source.slice(start, i)}*${source.slice(i, j)}`,
          j,
        );
      }
      const text = source.slice(start, i);
      const value = Number(text);
      if (!Number.isFinite(value)) {
        fail(`number "${text}" is out of range at ${describePosition(source, start)}`, start, undefined, i);
      }
      tokens.push({ type: 'num', value, text, start, end: i });
      continue;
    }
    if (isNameStart(c)) {
      while (i < n && isNamePart(source.charCodeAt(i))) i++;
      // A qualified name `q.col` (one dot, a name on each side) is one token: references to
      // other rows (parent.x, prev.x, first.x, T.x) resolve through the scope like any name.
      let qualified = false;
      if (source.charCodeAt(i) === 46 && i + 1 < n && isNameStart(source.charCodeAt(i + 1))) {
        i++;
        while (i < n && isNamePart(source.charCodeAt(i))) i++;
        qualified = true;
      }
      const text = source.slice(start, i);
      tokens.push({
        type: 'name',
        value: text,
        quoted: false,
        ...(qualified ? { qualified } : {}),
        text,
        start,
        end: i,
      });
      continue;
    }
    if (c === 39 || c === 34) {
      tokens.push(readString(source, start, fail));
      i = tokens[tokens.length - 1].end;
      continue;
    }
    if (c === 96) {
      // `quoted name`; a backtick inside is written twice.
      let value = '';
      i++;
      for (;;) {
        if (i >= n) {
          fail(
            `unterminated quoted name starting at ${describePosition(source, start)}`,
            start,
            'close it with a backtick (`)',
          );
        }
        if (source.charCodeAt(i) === 96) {
          if (source.charCodeAt(i + 1) === 96) {
            value += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += source[i];
        i++;
      }
      if (value === '') fail(`empty quoted name at ${describePosition(source, start)}`, start, undefined, i);
      tokens.push({ type: 'name', value, quoted: true, text: source.slice(start, i), start, end: i });
      continue;
    }
    const p = PUNCT.find((q) => source.startsWith(q, i));
    if (p !== undefined) {
      i += p.length;
      tokens.push({ type: 'punct', value: p, text: p, start, end: i });
      continue;
    }
    const ch = String.fromCodePoint(source.codePointAt(i) ?? c);
    const hint =
      ch === '&'
        ? 'use "and" (or "&&")'
        : ch === '|'
          ? 'use "or" (or "||")'
          : ch === '#'
            ? 'there are no comments'
            : undefined;
    fail(`unexpected character "${ch}" at ${describePosition(source, start)}`, start, hint);
  }
  tokens.push({ type: 'eof', value: '', text: '', start: n, end: n });
  return tokens;
}

function readString(
  source: string,
  start: number,
  fail: (message: string, offset: number, hint?: string, end?: number) => never,
): Token {
  const quote = source[start];
  const n = source.length;
  let i = start + 1;
  let value = '';
  // Copy runs between escapes in one slice: strings can be long and char-by-char += is slow.
  let runStart = i;
  for (;;) {
    if (i >= n) {
      fail(
        `unterminated string starting at ${describePosition(source, start)}`,
        start,
        `close it with ${quote}`,
      );
    }
    const ch = source[i];
    if (ch === quote) {
      value += source.slice(runStart, i);
      i++;
      break;
    }
    if (ch === '\\') {
      value += source.slice(runStart, i);
      const esc = source[i + 1];
      const out = esc === undefined ? undefined : ESCAPES.get(esc);
      if (out === undefined) {
        fail(
          `unknown escape "\\${esc ?? ''}" in string at ${describePosition(source, i)}`,
          i,
          'known escapes: \\n \\t \\r \\\\ \\\' \\"',
          i + 2,
        );
      }
      value += out;
      i += 2;
      runStart = i;
      continue;
    }
    i++;
  }
  return { type: 'str', value, text: source.slice(start, i), start, end: i };
}
