/**
 * Compiles an {@link Expr} once into a tree of closures specialised per node kind, with constant
 * sub-expressions folded. Identifiers resolve only through `scope.columns` (a Map) to a row index,
 * so no identifier can reach a JS property, prototype or global.
 */
import { isStrataError } from '../errors.js';
import type { BinaryOp, Expr, Value } from './ast.js';
import { parseDateTime } from './dates.js';
import { describePosition, ExprError } from './error.js';
import { FUNCTIONS } from './functions.js';
import { AGGREGATES, aggregateKey, didYouMean } from './names.js';
import { parseExpression } from './parser.js';
import { printExpression } from './print.js';
import {
  add,
  divide,
  equals,
  greaterOrEqual,
  greaterThan,
  lessOrEqual,
  lessThan,
  modulo,
  multiply,
  negate,
  plus,
  power,
  subtract,
  truthy,
} from './values.js';

export interface CompileScope {
  /**
   * Name → index into the row array. Any other identifier is an `expr.unknown_name` error. Besides
   * the table's columns it may hold qualified names (`parent.dob`, `prev.t`, `first.t`, `T.col`),
   * `index`, and aggregate keys (`count(T)`, `max(T.col)`: see `aggregateKey`), which a relational
   * table's compiler places in context slots of the row.
   */
  columns: ReadonlyMap<string, number>;
  /**
   * Resolves `quantile(col, p)` at compile time from the column's model. Without it, quantile()
   * is an error saying it needs a model.
   */
  quantile?: (column: string, p: number) => number;
}

export interface CompiledExpr {
  readonly source: string;
  /**
   * Names resolved through the scope, in order of first use (as `referencedNames` lists them):
   * identifiers, aggregate keys, and the column of `quantile(col, p)`.
   */
  readonly refs: readonly string[];
  evaluate(row: readonly Value[]): Value;
}

type Row = readonly Value[];
type Fn = (row: Row) => Value;

/** A compiled node; `constant` nodes carry their folded value. */
interface Node {
  readonly fn: Fn;
  readonly constant: boolean;
  readonly value: Value;
}

const EMPTY_ROW: Row = [];
const LIST_PREVIEW = 12;

function constantNode(value: Value): Node {
  return { fn: () => value, constant: true, value };
}

function dynamicNode(fn: Fn): Node {
  return { fn, constant: false, value: null };
}

/** Folds `fn` when every input is constant (evaluation is pure and total, so this is always safe). */
function node(fn: Fn, inputs: readonly Node[]): Node {
  return inputs.every((n) => n.constant) ? constantNode(fn(EMPTY_ROW)) : dynamicNode(fn);
}

export function compileExpression(source: string | Expr, scope: CompileScope): CompiledExpr {
  const ast = typeof source === 'string' ? parseExpression(source) : source;
  const text = typeof source === 'string' ? source : printExpression(source);
  const compiler = new Compiler(typeof source === 'string' ? source : text, scope);
  const fn = compiler.compile(ast).fn;
  const refs = Object.freeze([...compiler.refs]);
  return Object.freeze({ source: text, refs, evaluate: fn });
}

class Compiler {
  /** Names resolved so far, in order of first use. */
  readonly refs = new Set<string>();

  constructor(
    private readonly source: string,
    private readonly scope: CompileScope,
  ) {}

  private where(offset: number): string {
    return describePosition(this.source, offset);
  }

  compile(e: Expr): Node {
    switch (e.kind) {
      case 'num':
      case 'str':
      case 'bool':
        return constantNode(e.value);
      case 'null':
        return constantNode(null);
      case 'ident':
        return this.ident(e);
      case 'unary': {
        const arg = this.compile(e.arg);
        const a = arg.fn;
        if (e.op === 'not') return node((row) => !truthy(a(row)), [arg]);
        if (e.op === '-') return node((row) => negate(a(row)), [arg]);
        return node((row) => plus(a(row)), [arg]);
      }
      case 'binary':
        return this.binary(e.op, this.compile(e.left), this.compile(e.right));
      case 'in':
        return this.membership(
          e.negated,
          this.compile(e.arg),
          e.list.map((x) => this.compile(x)),
        );
      case 'cond': {
        const test = this.compile(e.test);
        const then = this.compile(e.then);
        const otherwise = this.compile(e.else);
        return this.choose(test, then, otherwise);
      }
      case 'call':
        return this.call(e);
    }
  }

  private ident(e: Extract<Expr, { kind: 'ident' }>): Node {
    const index = this.scope.columns.get(e.name);
    if (index === undefined) {
      const known = [...this.scope.columns.keys()].filter((k) => !k.includes('('));
      const q = e.qualified ? e.name.slice(0, e.name.indexOf('.')) : undefined;
      if (q !== undefined && !known.some((k) => k.startsWith(`${q}.`))) {
        const qualifiers = [
          ...new Set(known.filter((k) => k.includes('.')).map((k) => k.slice(0, k.indexOf('.')))),
        ];
        throw new ExprError(
          'expr.unknown_name',
          q === 'prev' || q === 'first'
            ? `${e.name} at ${this.where(e.start)} needs a sequence`
            : q === 'parent'
              ? `${e.name} at ${this.where(e.start)}: this table has no parent`
              : `${e.name} at ${this.where(e.start)}: "${q}" is not a table above this one`,
          e.start,
          q === 'prev' || q === 'first'
            ? 'add sequence: { order: COLUMN } to this table (prev.x is the row before in that order)'
            : q === 'parent'
              ? 'add parent: TABLE to this table'
              : qualifiers.length > 0
                ? `qualifiers here: ${qualifiers.join(', ')}; a column name containing a dot is written in backticks`
                : 'qualified names read other rows of a relational table; a column name containing a dot is written in backticks',
          {},
          e.end,
        );
      }
      const fn = FUNCTIONS.has(e.name)
        ? ` ("${e.name}" is a function: call it as ${FUNCTIONS.get(e.name)!.signature})`
        : '';
      const listed = known.slice(0, LIST_PREVIEW).join(', ') + (known.length > LIST_PREVIEW ? ', …' : '');
      throw new ExprError(
        'expr.unknown_name',
        `unknown name "${e.name}" at ${this.where(e.start)}${fn}${didYouMean(e.name, known)}`,
        e.start,
        e.qualified && !known.some((k) => k.includes('.'))
          ? 'qualified names (parent.x, T.x, prev.x, first.x) read other rows of a relational table: this expression has none'
          : known.length > 0
            ? `known names here: ${listed}`
            : 'no columns are available to this expression',
        {},
        e.end,
      );
    }
    this.refs.add(e.name);
    return this.slot(index);
  }

  /** Reads row[index]; a cell never set reads as null. */
  private slot(index: number): Node {
    return dynamicNode((row) => {
      const v = row[index];
      return v === undefined ? null : v;
    });
  }

  private binary(op: BinaryOp, left: Node, right: Node): Node {
    const l = left.fn;
    const r = right.fn;
    const both = [left, right];
    switch (op) {
      case 'and':
        if (left.constant) return truthy(left.value) ? this.asBoolean(right) : constantNode(false);
        if (right.constant && !truthy(right.value)) return constantNode(false);
        return dynamicNode((row) => truthy(l(row)) && truthy(r(row)));
      case 'or':
        if (left.constant) return truthy(left.value) ? constantNode(true) : this.asBoolean(right);
        if (right.constant && truthy(right.value)) return constantNode(true);
        return dynamicNode((row) => truthy(l(row)) || truthy(r(row)));
      case '+':
        return node((row) => {
          const a = l(row);
          const b = r(row);
          if (typeof a === 'number' && typeof b === 'number') {
            const s = a + b;
            return s - s === 0 ? s : null; // finite check without a call
          }
          return add(a, b);
        }, both);
      case '-':
        return node((row) => subtract(l(row), r(row)), both);
      case '*':
        return node((row) => {
          const a = l(row);
          const b = r(row);
          if (typeof a === 'number' && typeof b === 'number') {
            const s = a * b;
            return s - s === 0 ? s : null;
          }
          return multiply(a, b);
        }, both);
      case '/':
        return node((row) => divide(l(row), r(row)), both);
      case '%':
        return node((row) => modulo(l(row), r(row)), both);
      case '^':
        return node((row) => power(l(row), r(row)), both);
      case '==':
        return node(this.equality(left, right), both);
      case '!=': {
        const eq = this.equality(left, right);
        return node((row) => !eq(row), both);
      }
      case '<':
        return node((row) => {
          const a = l(row);
          const b = r(row);
          return typeof a === 'number' && typeof b === 'number' ? a < b : lessThan(a, b);
        }, both);
      case '<=':
        return node((row) => {
          const a = l(row);
          const b = r(row);
          return typeof a === 'number' && typeof b === 'number' ? a <= b : lessOrEqual(a, b);
        }, both);
      case '>':
        return node((row) => {
          const a = l(row);
          const b = r(row);
          return typeof a === 'number' && typeof b === 'number' ? a > b : greaterThan(a, b);
        }, both);
      case '>=':
        return node((row) => {
          const a = l(row);
          const b = r(row);
          return typeof a === 'number' && typeof b === 'number' ? a >= b : greaterOrEqual(a, b);
        }, both);
    }
  }

  /** `==`, specialised for the common `column == 'literal'` shape. */
  private equality(left: Node, right: Node): (row: Row) => boolean {
    const l = left.fn;
    const r = right.fn;
    const literal = right.constant ? right : left.constant ? left : undefined;
    if (literal && typeof literal.value === 'string') {
      const c = literal.value;
      const other = literal === right ? l : r;
      // Two different strings are never equal, so equals() only runs for non-string values.
      return (row) => {
        const a = other(row);
        return a === c || (typeof a !== 'string' && equals(a, c));
      };
    }
    return (row) => {
      const a = l(row);
      const b = r(row);
      return a === b || equals(a, b);
    };
  }

  private asBoolean(n: Node): Node {
    const f = n.fn;
    return node((row) => truthy(f(row)), [n]);
  }

  private membership(negated: boolean, arg: Node, list: Node[]): Node {
    const a = arg.fn;
    let test: (row: Row) => boolean;
    if (list.every((n) => n.constant)) {
      const values = list.map((n) => n.value);
      const allStrings = values.every((v) => typeof v === 'string');
      const set = new Set(values);
      test = (row) => {
        const v = a(row);
        if (set.has(v)) return true;
        if (allStrings && typeof v === 'string') return false;
        for (const c of values) if (equals(v, c)) return true;
        return false;
      };
    } else {
      const fns = list.map((n) => n.fn);
      test = (row) => {
        const v = a(row);
        for (const f of fns) if (equals(v, f(row))) return true;
        return false;
      };
    }
    return node(negated ? (row) => !test(row) : test, [arg, ...list]);
  }

  private choose(test: Node, then: Node, otherwise: Node): Node {
    if (test.constant) return truthy(test.value) ? then : otherwise;
    const c = test.fn;
    const a = then.fn;
    const b = otherwise.fn;
    return dynamicNode((row) => (truthy(c(row)) ? a(row) : b(row)));
  }

  /** `count(T)`, `max(T.col)`, …: a value the scope placed in the row (see `aggregateKey`). */
  private aggregate(e: Extract<Expr, { kind: 'call' }>, key: string): Node {
    const index = this.scope.columns.get(key);
    if (index === undefined) {
      const arg = e.args[0] as Extract<Expr, { kind: 'ident' }>;
      const table = e.name === 'count' ? arg.name : arg.name.slice(0, arg.name.indexOf('.'));
      const known = [...this.scope.columns.keys()].filter((k) => k.startsWith(`${e.name}(`));
      throw new ExprError(
        'expr.unknown_name',
        `${key} at ${this.where(e.start)} aggregates over a child table "${table}", which this table has not${didYouMean(key, known)}`,
        e.start,
        e.name === 'count'
          ? 'count(T) counts the rows of child table T under this row (a table whose parent: is this one)'
          : `${e.name}(T.col) reads column col of this row's children in table T; to read an ancestor's value write T.col`,
        {},
        e.end,
      );
    }
    this.refs.add(key);
    return this.slot(index);
  }

  private call(e: Extract<Expr, { kind: 'call' }>): Node {
    const key = aggregateKey(e);
    if (key !== undefined) return this.aggregate(e, key);
    if (AGGREGATES.has(e.name) && !FUNCTIONS.has(e.name)) {
      throw new ExprError(
        'expr.invalid_argument',
        `${e.name}() takes one name at ${this.where(e.start)}: ${e.name === 'count' ? 'count(T), T a child table' : `${e.name}(T.col), T a child table`}`,
        e.start,
        `write ${e.name === 'count' ? 'count(visits)' : `${e.name}(visits.amount)`}`,
        {},
        e.end,
      );
    }
    const def = FUNCTIONS.get(e.name);
    if (def === undefined) {
      const isColumn = this.scope.columns.has(e.name) ? ` ("${e.name}" is a column, not a function)` : '';
      throw new ExprError(
        'expr.unknown_function',
        `unknown function "${e.name}" at ${this.where(e.start)}${isColumn}${didYouMean(e.name, FUNCTIONS.keys())}`,
        e.start,
        `functions: ${[...FUNCTIONS.keys()].join(', ')}`,
        {},
        e.start + e.name.length,
      );
    }
    const n = e.args.length;
    if (n < def.min || n > def.max) {
      const expected =
        def.min === def.max
          ? `${def.min} argument${def.min === 1 ? '' : 's'}`
          : def.max === Number.POSITIVE_INFINITY
            ? `at least ${def.min} argument${def.min === 1 ? '' : 's'}`
            : `${def.min} to ${def.max} arguments`;
      throw new ExprError(
        'expr.arity',
        `${e.name}() takes ${expected}, got ${n} at ${this.where(e.start)}`,
        e.start,
        `write ${def.signature}`,
        {},
        e.end,
      );
    }
    if (e.name === 'quantile') return this.quantile(e);
    const args = e.args.map((x) => this.compile(x));
    if (e.name === 'if') return this.choose(args[0], args[1], args[2]);
    if (e.name === 'coalesce') return this.coalesce(args);
    if ((e.name === 'date' || e.name === 'datetime') && e.args[0].kind === 'str') {
      if (parseDateTime(e.args[0].value) === null) {
        throw new ExprError(
          'expr.invalid_argument',
          `invalid date "${e.args[0].value}" at ${this.where(e.args[0].start)}`,
          e.args[0].start,
          "write an ISO date such as '2015-01-31' or '2015-01-31T10:00:00Z'",
          {},
          e.args[0].end,
        );
      }
    }
    const f = def.impl;
    const fns = args.map((a) => a.fn);
    let fn: Fn;
    if (n === 1) {
      const a = fns[0];
      fn = (row) => f(a(row));
    } else if (n === 2) {
      const [a, b] = fns;
      fn = (row) => f(a(row), b(row));
    } else if (n === 3) {
      const [a, b, c] = fns;
      fn = (row) => f(a(row), b(row), c(row));
    } else {
      fn = (row) => f(...fns.map((g) => g(row)));
    }
    return node(fn, args);
  }

  /** coalesce(…) evaluates arguments lazily, left to right. */
  private coalesce(args: Node[]): Node {
    const firstConstant = args.findIndex((a) => a.constant && a.value !== null);
    const live = firstConstant < 0 ? args : args.slice(0, firstConstant + 1);
    const kept = live.filter((a) => !(a.constant && a.value === null));
    if (kept.length === 0) return constantNode(null);
    if (kept[0].constant) return kept[0];
    const fns = kept.map((a) => a.fn);
    return dynamicNode((row) => {
      for (const f of fns) {
        const v = f(row);
        if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) return v;
      }
      return null;
    });
  }

  /** quantile(col, p) is resolved once, here, through the scope's model. */
  private quantile(e: Extract<Expr, { kind: 'call' }>): Node {
    const [col, pExpr] = e.args;
    const bad = (message: string, at: Expr, hint: string): never => {
      throw new ExprError('expr.invalid_argument', message, at.start, hint, {}, at.end);
    };
    if (col.kind !== 'ident') {
      bad(
        `quantile() needs a column name as its first argument at ${this.where(col.start)}`,
        col,
        'write quantile(income, 0.99)',
      );
    }
    const column = (col as Extract<Expr, { kind: 'ident' }>).name;
    this.refs.add(column);
    const p = this.compile(pExpr);
    if (!p.constant || typeof p.value !== 'number' || !(p.value >= 0 && p.value <= 1)) {
      bad(
        `quantile() needs a constant probability between 0 and 1 as its second argument at ${this.where(pExpr.start)}`,
        pExpr,
        'write quantile(income, 0.99)',
      );
    }
    const resolve = this.scope.quantile;
    if (resolve === undefined) {
      bad(
        `quantile(${column}, …) needs a model of "${column}", and none is available here (at ${this.where(e.start)})`,
        e,
        'use quantile() where the column has a fitted or specified distribution (rules, tails), or write the number',
      );
    }
    let q: number;
    try {
      q = resolve!(column, p.value as number);
    } catch (err) {
      const why = isStrataError(err) || err instanceof Error ? err.message : String(err);
      return bad(
        `quantile(${column}, ${p.value}) could not be resolved at ${this.where(e.start)}: ${why}`,
        e,
        'check the column name and its model',
      );
    }
    if (typeof q !== 'number' || !Number.isFinite(q)) {
      bad(
        `quantile(${column}, ${p.value}) is not a finite number at ${this.where(e.start)}`,
        e,
        'check the model of the column',
      );
    }
    return constantNode(q);
  }
}
