/**
 * AST → source text with the fewest parentheses the grammar needs, such that
 * `parseExpression(printExpression(e))` gives back `e` (up to source offsets).
 */
import { type BinaryOp, type Expr, KEYWORDS } from './ast.js';

const PREC = {
  ternary: 1,
  or: 2,
  and: 3,
  not: 4,
  comparison: 5,
  additive: 6,
  multiplicative: 7,
  unary: 8,
  power: 9,
  primary: 10,
} as const;

function binaryPrec(op: BinaryOp): number {
  switch (op) {
    case 'or':
      return PREC.or;
    case 'and':
      return PREC.and;
    case '+':
    case '-':
      return PREC.additive;
    case '*':
    case '/':
    case '%':
      return PREC.multiplicative;
    case '^':
      return PREC.power;
    default:
      return PREC.comparison;
  }
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function printName(name: string): string {
  return PLAIN_NAME.test(name) && !KEYWORDS.has(name) ? name : `\`${name.replaceAll('`', '``')}\``;
}

export function printString(s: string): string {
  const body = s.replace(/[\\'\n\r\t]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\${c}`,
  );
  return `'${body}'`;
}

/** Non-finite numbers cannot come out of the parser; they print as the null they evaluate to. */
function printNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

export function printExpression(e: Expr): string {
  return print(e, PREC.ternary);
}

function wrap(text: string, prec: number, min: number): string {
  return prec < min ? `(${text})` : text;
}

function print(e: Expr, min: number): string {
  switch (e.kind) {
    case 'num':
      return e.value < 0 || Object.is(e.value, -0)
        ? wrap(`-${printNumber(-e.value)}`, PREC.unary, min)
        : printNumber(e.value);
    case 'str':
      return printString(e.value);
    case 'bool':
      return e.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'ident':
      return e.qualified ? e.name : printName(e.name);
    case 'unary':
      if (e.op === 'not') return wrap(`not ${print(e.arg, PREC.not)}`, PREC.not, min);
      // A space keeps `- -x` from reading as one token in other tools; our lexer accepts both.
      return wrap(`${e.op}${e.arg.kind === 'unary' ? ' ' : ''}${print(e.arg, PREC.unary)}`, PREC.unary, min);
    case 'binary': {
      const p = binaryPrec(e.op);
      let left: string;
      let right: string;
      if (e.op === '^') {
        left = print(e.left, PREC.primary);
        right = print(e.right, PREC.unary);
      } else if (p === PREC.comparison) {
        left = print(e.left, PREC.additive);
        right = print(e.right, PREC.additive);
      } else {
        left = print(e.left, p);
        right = print(e.right, p + 1);
      }
      const op = e.op === '^' ? '^' : ` ${e.op} `;
      return wrap(`${left}${op}${right}`, p, min);
    }
    case 'in': {
      const list = e.list.map((x) => print(x, PREC.ternary)).join(', ');
      return wrap(
        `${print(e.arg, PREC.additive)} ${e.negated ? 'not in' : 'in'} [${list}]`,
        PREC.comparison,
        min,
      );
    }
    case 'cond':
      return wrap(
        `${print(e.test, PREC.or)} ? ${print(e.then, PREC.ternary)} : ${print(e.else, PREC.ternary)}`,
        PREC.ternary,
        min,
      );
    case 'call':
      return `${printName(e.name)}(${e.args.map((x) => print(x, PREC.ternary)).join(', ')})`;
  }
}
