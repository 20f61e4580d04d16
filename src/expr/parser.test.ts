import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.js';
import { ExprError } from './error.js';
import { referencedNames } from './names.js';
import { parseExpression } from './parser.js';

/** Fully parenthesised S-expression view of the AST, so precedence shows explicitly. */
function sexp(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return String(e.value);
    case 'str':
      return JSON.stringify(e.value);
    case 'bool':
      return String(e.value);
    case 'null':
      return 'null';
    case 'ident':
      return e.name;
    case 'unary':
      return `(${e.op} ${sexp(e.arg)})`;
    case 'binary':
      return `(${e.op} ${sexp(e.left)} ${sexp(e.right)})`;
    case 'in':
      return `(${e.negated ? 'not-in' : 'in'} ${sexp(e.arg)} [${e.list.map(sexp).join(' ')}])`;
    case 'cond':
      return `(? ${sexp(e.test)} ${sexp(e.then)} ${sexp(e.else)})`;
    case 'call':
      return `(${e.name}() ${e.args.map(sexp).join(' ')})`;
  }
}

const p = (s: string) => sexp(parseExpression(s));

function errorOf(source: string): ExprError {
  try {
    parseExpression(source);
  } catch (e) {
    if (e instanceof ExprError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

describe('precedence and associativity', () => {
  const table: [string, string][] = [
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['1 * 2 + 3', '(+ (* 1 2) 3)'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['8 / 4 / 2', '(/ (/ 8 4) 2)'],
    ['7 % 4 * 2', '(* (% 7 4) 2)'],
    ['2 ^ 3 ^ 2', '(^ 2 (^ 3 2))'],
    ['-2 ^ 2', '(- (^ 2 2))'],
    ['2 ^ -1', '(^ 2 (- 1))'],
    ['-a * b', '(* (- a) b)'],
    ['+a', '(+ a)'],
    ['- - a', '(- (- a))'],
    ['a + b < c * d', '(< (+ a b) (* c d))'],
    ['a < b and c > d', '(and (< a b) (> c d))'],
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c', '(or (and a b) c)'],
    ['a || b && c', '(or a (and b c))'],
    ['not a and b', '(and (not a) b)'],
    ['not a == b', '(not (== a b))'],
    ['!a or b', '(or (not a) b)'],
    ['not not a', '(not (not a))'],
    ['a ? b : c ? d : e', '(? a b (? c d e))'],
    ['a ? b ? c : d : e', '(? a (? b c d) e)'],
    ['a or b ? c : d', '(? (or a b) c d)'],
    [
      "age < 25 ? 'young' : age < 65 ? 'adult' : 'senior'",
      '(? (< age 25) "young" (? (< age 65) "adult" "senior"))',
    ],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['a + 1 in [2, 3]', '(in (+ a 1) [2 3])'],
    ['a not in [1]', '(not-in a [1])'],
    ['not a in [1]', '(not (in a [1]))'],
    ['x in [1, y + 1, z ? 1 : 2]', '(in x [1 (+ y 1) (? z 1 2)])'],
    ['x in []', '(in x [])'],
    ['x in [1, 2,]', '(in x [1 2])'],
    ['x in 1..5', '(and (>= x 1) (<= x 5))'],
    ['x not in 1..5', '(not (and (>= x 1) (<= x 5)))'],
    ['x in -1..a+1', '(and (>= x (- 1)) (<= x (+ a 1)))'],
    ["segment == 'business' and age_band == 'young'", '(and (== segment "business") (== age_band "young"))'],
    ['min(a, b + 1) * 2', '(* (min() a (+ b 1)) 2)'],
    ['f()', '(f() )'],
    ['a != b', '(!= a b)'],
    ['a >= b', '(>= a b)'],
    ['a <= b', '(<= a b)'],
    ['true and false or null', '(or (and true false) null)'],
  ];
  it.each(table)('%s  →  %s', (source, expected) => {
    expect(p(source)).toBe(expected);
  });
});

describe('literals', () => {
  it('reads numbers in all forms', () => {
    expect(p('1')).toBe('1');
    expect(p('1.5')).toBe('1.5');
    expect(p('1e-3')).toBe('0.001');
    expect(p('2E+2')).toBe('200');
    expect(p('007')).toBe('7');
  });
  it('reads string escapes in both quote styles', () => {
    const s = parseExpression(String.raw`'it\'s \"x\" a\\b\nc\td'`);
    expect(s).toMatchObject({ kind: 'str', value: 'it\'s "x" a\\b\nc\td' });
    expect(parseExpression(String.raw`"say \"hi\" 'there'"`)).toMatchObject({ value: `say "hi" 'there'` });
    expect(parseExpression("''")).toMatchObject({ kind: 'str', value: '' });
    expect(parseExpression("'é ✓ 😀'")).toMatchObject({ value: 'é ✓ 😀' });
  });
  it('reads backtick-quoted names, keywords among them', () => {
    expect(parseExpression('`col name.with dots`')).toMatchObject({
      kind: 'ident',
      name: 'col name.with dots',
    });
    expect(parseExpression('`and`')).toMatchObject({ kind: 'ident', name: 'and' });
    expect(parseExpression('`a``b`')).toMatchObject({ kind: 'ident', name: 'a`b' });
  });
  it('keeps source spans', () => {
    const e = parseExpression('  income * 0.2');
    expect(e).toMatchObject({ kind: 'binary', start: 2, end: 14 });
    if (e.kind !== 'binary') throw new Error('binary expected');
    expect(e.left).toMatchObject({ start: 2, end: 8 });
    expect(e.right).toMatchObject({ start: 11, end: 14 });
  });
  it('accepts whitespace including newlines', () => {
    expect(p('a\n  and\tb')).toBe('(and a b)');
  });
});

describe('syntax errors name the position and the fix', () => {
  const cases: [string, number, RegExp][] = [
    ['', 0, /^empty expression$/],
    ['   ', 0, /^empty expression$/],
    ['1 +', 3, /unexpected end of expression at column 4/],
    ['(1 + 2', 6, /unexpected end of expression at column 7/],
    ['1 + 2)', 5, /unexpected "\)" at column 6/],
    ["'abc", 0, /unterminated string starting at column 1/],
    ['a = 1', 2, /unexpected "=" at column 3/],
    ['a < b < c', 6, /comparisons cannot be chained at column 7/],
    ['a ? b', 5, /unexpected end of expression/],
    ['abs(1,', 6, /unexpected end of expression at column 7/],
    ['1 2', 2, /unexpected number 2 at column 3/],
    ['a in 1', 6, /unexpected end of expression/],
    ["x == 'a\\qb'", 7, /unknown escape "\\q" in string at column 8/],
    ['a # b', 2, /unexpected character "#" at column 3/],
    ['`abc', 0, /unterminated quoted name/],
    ['a not b', 6, /unexpected "b" at column 7/],
    ['and a', 0, /unexpected "and" at column 1/],
    ['[1, 2]', 0, /unexpected "\[" at column 1/],
    ['1e', 0, /invalid number "1e" at column 1/],
    ['2x', 0, /invalid number "2x"/],
    ['a.b.c', 3, /unexpected "\." at column 4/],
    ['a & b', 2, /unexpected character "&"/],
    ['f(1 2)', 4, /unexpected number 2 at column 5/],
    ['x in [1 2]', 8, /unexpected number 2 at column 9/],
    ['1e999', 0, /out of range/],
    ['a\n+ )', 4, /unexpected "\)" at line 2, column 3/],
  ];
  it.each(cases)('%j fails at offset %i', (source, offset, message) => {
    const err = errorOf(source);
    expect(err).toBeInstanceOf(ExprError);
    expect(err.code).toBe('expr.syntax');
    expect(err.message).toMatch(message);
    expect(err.offset).toBe(offset);
  });

  it('gives a hint that says how to fix it', () => {
    expect(errorOf('a = 1').hint).toMatch(/use "=="/);
    expect(errorOf('a < b < c').hint).toMatch(/and/);
    expect(errorOf('(1 + 2').hint).toMatch(/close "\(" at column 1/);
    expect(errorOf('a.b.c').hint).toMatch(/backticks/);
    expect(errorOf('2x').hint).toMatch(/2\*x/);
    expect(errorOf('a && b | c').hint).toMatch(/or/);
    expect(errorOf('a ? b').hint).toMatch(/":"/);
  });
});

describe('limits', () => {
  it('rejects nesting deeper than 100 with expr.too_complex', () => {
    const ok = `${'('.repeat(99)}1${')'.repeat(99)}`;
    expect(p(ok)).toBe('1');
    const err = errorOf(`${'('.repeat(101)}1${')'.repeat(101)}`);
    expect(err.code).toBe('expr.too_complex');
    expect(errorOf(`${'-'.repeat(150)}1`).code).toBe('expr.too_complex');
    expect(errorOf(`${'not '.repeat(150)}a`).code).toBe('expr.too_complex');
    expect(errorOf(`${'f('.repeat(150)}1${')'.repeat(150)}`).code).toBe('expr.too_complex');
    expect(errorOf(`${'a ? b : '.repeat(150)}c`).code).toBe('expr.too_complex');
    expect(errorOf(`${'2^'.repeat(150)}2`).code).toBe('expr.too_complex');
  });
  it('rejects sources longer than 10,000 characters', () => {
    const err = errorOf(`1${' '.repeat(10_000)}`);
    expect(err.code).toBe('expr.too_complex');
    expect(err.offset).toBe(10_000);
  });
  it('parses long flat chains without recursion trouble', () => {
    const src = `${'a+'.repeat(4_999)}a`;
    expect(src.length).toBeLessThanOrEqual(10_000);
    expect(parseExpression(src).kind).toBe('binary');
  });
});

describe('qualified names', () => {
  it('reads parent.x, prev.x and T.x as one name', () => {
    const e = parseExpression('parent.dob < prev.t + visits.n');
    expect(referencedNames(e)).toEqual(['parent.dob', 'prev.t', 'visits.n']);
  });
  it('reads aggregates as one key each', () => {
    expect(referencedNames('count(visits) > 1 and max(visits.amount) < min(prev.x, 3)')).toEqual([
      'count(visits)',
      'max(visits.amount)',
      'prev.x',
    ]);
  });
  it('does not take a method call', () => {
    expect(() => parseExpression('parent.f(1)')).toThrow(/unexpected "\(" at column 9/);
  });
});
