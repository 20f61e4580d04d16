/**
 * Precedence-climbing parser: source text → {@link Expr}. Precedence, low → high:
 *   ternary `?:` (right) · `or` `||` · `and` `&&` · prefix `not` `!` · comparison and `in`
 *   (non-associative) · `+ -` · `* / %` · prefix `- +` · `^` (right) · calls, literals, `( )`.
 */
import { type BinaryOp, type Expr, KEYWORDS, MAX_NESTING_DEPTH, MAX_SOURCE_LENGTH } from './ast.js';
import { describePosition, ExprError } from './error.js';
import { type Token, tokenize } from './lexer.js';

const COMPARISON: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** Parses one expression; throws {@link ExprError} (code `expr.syntax` or `expr.too_complex`). */
export function parseExpression(source: string): Expr {
  if (typeof source !== 'string') {
    throw new ExprError('expr.syntax', `an expression must be a string, got ${typeof source}`, 0);
  }
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ExprError(
      'expr.too_complex',
      `expression is ${source.length} characters long; the limit is ${MAX_SOURCE_LENGTH}`,
      MAX_SOURCE_LENGTH,
      'split it into derived columns',
    );
  }
  return new Parser(source).parseAll();
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseAll(): Expr {
    if (this.peek().type === 'eof') {
      throw new ExprError('expr.syntax', 'empty expression', 0, 'write a value, e.g. age >= 18');
    }
    const e = this.parseTernary();
    const t = this.peek();
    if (t.type !== 'eof') this.unexpected(t, 'expected an operator or the end of the expression');
    return e;
  }

  // ---- token helpers -------------------------------------------------------------------------

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.pos++;
    return t;
  }

  /** Is the next token the punctuation or (unquoted) keyword `value`? */
  private at(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return (t.type === 'punct' || (t.type === 'name' && !t.quoted)) && t.value === value;
  }

  private expect(value: string, context: string): Token {
    if (!this.at(value)) this.unexpected(this.peek(), `expected "${value}" ${context}`);
    return this.next();
  }

  private where(offset: number): string {
    return describePosition(this.source, offset);
  }

  private unexpected(t: Token, hint?: string): never {
    if (t.type === 'eof') {
      throw new ExprError(
        'expr.syntax',
        `unexpected end of expression at ${this.where(t.start)}`,
        t.start,
        hint,
      );
    }
    const shown =
      t.type === 'str' ? `string ${t.text}` : t.type === 'num' ? `number ${t.text}` : `"${t.text}"`;
    let fix = hint;
    if (t.type === 'punct' && t.value === '=') fix = 'use "==" to compare';
    else if (t.type === 'punct' && t.value === '.') {
      fix =
        'a name takes one qualifier (parent.x, prev.x, first.x, T.x); quote a column name containing dots in backticks, e.g. `a.b.c`';
    }
    throw new ExprError(
      'expr.syntax',
      `unexpected ${shown} at ${this.where(t.start)}`,
      t.start,
      fix,
      {},
      t.end,
    );
  }

  /** Runs `f` one nesting level deeper; beyond the limit the expression is rejected, not the stack. */
  private nested<T>(offset: number, f: () => T): T {
    if (++this.depth > MAX_NESTING_DEPTH) {
      throw new ExprError(
        'expr.too_complex',
        `expression is nested more than ${MAX_NESTING_DEPTH} levels deep at ${this.where(offset)}`,
        offset,
        'simplify it or split it into derived columns',
      );
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  // ---- grammar -------------------------------------------------------------------------------

  private parseTernary(): Expr {
    return this.nested(this.peek().start, () => {
      const test = this.parseOr();
      if (!this.at('?')) return test;
      this.next();
      const then = this.parseTernary();
      this.expect(':', `to go with "?" (write: condition ? a : b)`);
      const otherwise = this.parseTernary();
      return { kind: 'cond', test, then, else: otherwise, start: test.start, end: otherwise.end };
    });
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.at('or') || this.at('||')) {
      this.next();
      const right = this.parseAnd();
      left = this.binary('or', left, right);
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.at('and') || this.at('&&')) {
      this.next();
      const right = this.parseNot();
      left = this.binary('and', left, right);
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.at('not') || this.at('!')) {
      const op = this.next();
      return this.nested(op.start, () => {
        const arg = this.parseNot();
        return { kind: 'unary', op: 'not', arg, start: op.start, end: arg.end } as const;
      });
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    let result: Expr = left;
    if (this.at('in') || (this.at('not') && this.at('in', 1))) {
      const negated = this.at('not');
      if (negated) this.next();
      this.next();
      result = this.parseInTail(left, negated);
    } else if (this.at('not')) {
      this.unexpected(this.peek(1), 'expected "in" after "not" (write: x not in [a, b])');
    } else {
      const t = this.peek();
      if (t.type === 'punct' && COMPARISON.has(t.value)) {
        this.next();
        const right = this.parseAdditive();
        result = this.binary(t.value as BinaryOp, left, right);
      }
    }
    const t = this.peek();
    if (result !== left && ((t.type === 'punct' && COMPARISON.has(t.value)) || this.at('in'))) {
      throw new ExprError(
        'expr.syntax',
        `comparisons cannot be chained at ${this.where(t.start)}`,
        t.start,
        'combine them with "and", e.g. a < b and b < c',
        {},
        t.end,
      );
    }
    return result;
  }

  /** After `in` / `not in`: a list `[a, b, …]` or an inclusive range `lo..hi`. */
  private parseInTail(arg: Expr, negated: boolean): Expr {
    if (this.at('[')) {
      const open = this.next();
      const list: Expr[] = [];
      if (!this.at(']')) {
        for (;;) {
          list.push(this.parseTernary());
          if (this.at(',')) {
            this.next();
            if (this.at(']')) break; // trailing comma
            continue;
          }
          if (!this.at(']')) {
            this.unexpected(
              this.peek(),
              `expected "," or "]" to close the list opened at ${this.where(open.start)}`,
            );
          }
          break;
        }
      }
      const close = this.next();
      return { kind: 'in', negated, arg, list, start: arg.start, end: close.end };
    }
    const t = this.peek();
    if (t.type === 'eof' || (t.type === 'punct' && t.value !== '(' && t.value !== '-' && t.value !== '+')) {
      this.unexpected(t, 'expected a list [a, b, …] or a range lo..hi after "in"');
    }
    // Range `x in lo..hi` is sugar for `x >= lo and x <= hi` (both ends inclusive).
    const lo = this.parseAdditive();
    if (!this.at('..'))
      this.unexpected(this.peek(), 'expected ".." of a range lo..hi, or write a list [a, b, …]');
    this.next();
    const hi = this.parseAdditive();
    const span = { start: arg.start, end: hi.end };
    const inside: Expr = {
      kind: 'binary',
      op: 'and',
      left: { kind: 'binary', op: '>=', left: arg, right: lo, ...span },
      right: { kind: 'binary', op: '<=', left: arg, right: hi, ...span },
      ...span,
    };
    return negated ? { kind: 'unary', op: 'not', arg: inside, ...span } : inside;
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.at('+') || this.at('-')) {
      const op = this.next().value as BinaryOp;
      const right = this.parseMultiplicative();
      left = this.binary(op, left, right);
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    while (this.at('*') || this.at('/') || this.at('%')) {
      const op = this.next().value as BinaryOp;
      const right = this.parseUnary();
      left = this.binary(op, left, right);
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.at('-') || this.at('+')) {
      const op = this.next();
      return this.nested(op.start, () => {
        const arg = this.parseUnary();
        return { kind: 'unary', op: op.value as '-' | '+', arg, start: op.start, end: arg.end } as const;
      });
    }
    return this.parsePower();
  }

  private parsePower(): Expr {
    const base = this.parsePrimary();
    if (!this.at('^')) return base;
    const op = this.next();
    // Right-associative, and the exponent may carry a sign: 2^-1, 2^3^2 = 2^(3^2).
    const exponent = this.nested(op.start, () => this.parseUnary());
    return this.binary('^', base, exponent);
  }

  private parsePrimary(): Expr {
    const t = this.next();
    switch (t.type) {
      case 'num':
        return { kind: 'num', value: t.value, start: t.start, end: t.end };
      case 'str':
        return { kind: 'str', value: t.value, start: t.start, end: t.end };
      case 'name': {
        if (!t.quoted && KEYWORDS.has(t.value)) {
          if (t.value === 'true' || t.value === 'false') {
            return { kind: 'bool', value: t.value === 'true', start: t.start, end: t.end };
          }
          if (t.value === 'null') return { kind: 'null', start: t.start, end: t.end };
          this.unexpected(
            t,
            `"${t.value}" is a keyword; quote a column of that name in backticks: \`${t.value}\``,
          );
        }
        if (this.at('(')) {
          if (t.qualified)
            this.unexpected(this.peek(), 'there are no methods; a function is called as name(…)');
          return this.parseCall(t);
        }
        return t.qualified
          ? { kind: 'ident', name: t.value, qualified: true, start: t.start, end: t.end }
          : { kind: 'ident', name: t.value, start: t.start, end: t.end };
      }
      case 'punct':
        if (t.value === '(') {
          const inner = this.parseTernary();
          if (!this.at(')')) {
            this.unexpected(this.peek(), `expected ")" to close "(" at ${this.where(t.start)}`);
          }
          this.next();
          return inner;
        }
        if (t.value === '[') this.unexpected(t, 'a list [a, b, …] may only follow "in"');
        return this.unexpected(t, 'expected a value');
      default:
        return this.unexpected(t, 'expected a value');
    }
  }

  private parseCall(name: Extract<Token, { type: 'name' }>): Expr {
    const open = this.next();
    const args: Expr[] = [];
    if (!this.at(')')) {
      for (;;) {
        args.push(this.parseTernary());
        if (this.at(',')) {
          this.next();
          continue;
        }
        if (!this.at(')')) {
          this.unexpected(
            this.peek(),
            `expected "," or ")" to close the call of ${name.value}() opened at ${this.where(open.start)}`,
          );
        }
        break;
      }
    }
    const close = this.next();
    return { kind: 'call', name: name.value, args, start: name.start, end: close.end };
  }

  private binary(op: BinaryOp, left: Expr, right: Expr): Expr {
    return { kind: 'binary', op, left, right, start: left.start, end: right.end };
  }
}
