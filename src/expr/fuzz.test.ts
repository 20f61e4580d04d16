import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BinaryOp, Expr, Value } from './ast.js';
import { type CompileScope, compileExpression } from './compile.js';
import { ExprError } from './error.js';
import { parseExpression } from './parser.js';
import { printExpression } from './print.js';

const NAMES = ['a', 'b', 'c', 'col x'];
const scope: CompileScope = {
  columns: new Map(NAMES.map((n, i) => [n, i])),
  quantile: (_c, p) => p * 10,
};

const cell: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 20 }),
  fc.constantFrom(0.5, 2.5, -0.25, 1e-3, 1e6),
  fc.constantFrom('', 'a', 'B', '3', '2.5', 'true', ' 1 ', 'x y', 'ab'),
);
const row = fc.array(cell, { minLength: NAMES.length, maxLength: NAMES.length });

function isValue(v: unknown): v is Value {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number';
}

// ---- (1) arbitrary text never escapes as anything but ExprError ------------------------------

const TOKENS = [
  'a',
  'b',
  'c',
  '`col x`',
  '1',
  '2.5',
  '0',
  '1e3',
  "'s'",
  '"t"',
  "'\\n'",
  'true',
  'false',
  'null',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'and',
  'or',
  'not',
  '!',
  '&&',
  '||',
  'in',
  '..',
  '[',
  ']',
  '(',
  ')',
  ',',
  '?',
  ':',
  'abs(',
  'min(',
  'round(',
  'substr(',
  'date(',
  "'2020-01-01'",
  'quantile(',
  'coalesce(',
  'if(',
  'constructor',
  '__proto__',
  '.',
  '=',
  '#',
  '`',
];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }).map((t) => t.join(' '));
/** A printed well-formed expression with one random edit: near-valid input reaches deeper. */
function mutatedSource(): fc.Arbitrary<string> {
  return fc
    .tuple(exprArb, fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...TOKENS))
    .map(([e, at, kind, token]) => {
      const src = printExpression(e);
      const i = src.length === 0 ? 0 : at % (src.length + 1);
      if (kind === 0) return src.slice(0, i) + src.slice(i + 1);
      if (kind === 1) return `${src.slice(0, i)} ${token} ${src.slice(i)}`;
      return src;
    });
}

describe('fuzz: arbitrary input', () => {
  it('either throws ExprError or compiles to something that returns a Value', () => {
    let compiled = 0;
    fc.assert(
      fc.property(anyText(), fc.array(row, { minLength: 1, maxLength: 4 }), (source, rows) => {
        let c: ReturnType<typeof compileExpression>;
        try {
          c = compileExpression(source, scope);
        } catch (e) {
          if (!(e instanceof ExprError)) throw e;
          expect(e.offset).toBeGreaterThanOrEqual(0);
          expect(e.offset).toBeLessThanOrEqual(source.length);
          return;
        }
        compiled++;
        for (const r of rows) {
          const v = c.evaluate(r);
          expect(isValue(v)).toBe(true);
          if (typeof v === 'number') expect(Number.isNaN(v)).toBe(false);
        }
      }),
      { numRuns: 3000, seed: 20240501 },
    );
    expect(compiled).toBeGreaterThan(300); // the soup really reaches the compiler
  });
});

function anyText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    tokenSoup,
    mutatedSource(),
  );
}

// ---- (2) printed ASTs round-trip to the reference evaluation --------------------------------

type Ident = Extract<Expr, { kind: 'ident' }>;
const S = { start: 0, end: 0 };
const BINARY_OPS: BinaryOp[] = ['+', '-', '*', '/', '%', '^', '==', '!=', '<', '<=', '>', '>=', 'and', 'or'];
const CALLS: Record<string, [number, number]> = {
  abs: [1, 1],
  min: [1, 3],
  max: [1, 3],
  if: [3, 3],
  coalesce: [1, 3],
  concat: [1, 3],
  lower: [1, 1],
  len: [1, 1],
  is_null: [1, 1],
  str: [1, 1],
  num: [1, 1],
  sign: [1, 1],
  floor: [1, 1],
  clamp: [3, 3],
};

const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => {
  const leaf = fc.oneof(
    fc
      .oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(0.5, 2.5, 1e-3, 100, 1e21))
      .map((value): Expr => ({ kind: 'num', value, ...S })),
    fc
      .constantFrom('', 'a', 'B', '3', "it's", 'x\ny', 'back\\slash', '"q"', 'tab\t')
      .map((value): Expr => ({ kind: 'str', value, ...S })),
    fc.boolean().map((value): Expr => ({ kind: 'bool', value, ...S })),
    fc.constant<Expr>({ kind: 'null', ...S }),
    fc.constantFrom(...NAMES).map((name): Ident => ({ kind: 'ident', name, ...S })),
  );
  const e = tie('e');
  const node = fc.oneof(
    fc
      .record({ op: fc.constantFrom<'-' | '+' | 'not'>('-', '+', 'not'), arg: e })
      .map(({ op, arg }): Expr => ({ kind: 'unary', op, arg, ...S })),
    fc
      .record({ op: fc.constantFrom(...BINARY_OPS), left: e, right: e })
      .map(({ op, left, right }): Expr => ({ kind: 'binary', op, left, right, ...S })),
    fc
      .record({ negated: fc.boolean(), arg: e, list: fc.array(e, { maxLength: 3 }) })
      .map((r): Expr => ({ kind: 'in', ...r, ...S })),
    fc
      .tuple(e, e, e)
      .map(([test, yes, no]): Expr => ({ kind: 'cond', test, ['then' as const]: yes, else: no, ...S })),
    fc
      .constantFrom(...Object.keys(CALLS))
      .chain((name) =>
        fc
          .array(e, { minLength: CALLS[name][0], maxLength: CALLS[name][1] })
          .map((args): Expr => ({ kind: 'call', name, args, ...S })),
      ),
  );
  return { e: fc.oneof({ depthSize: 'small', maxDepth: 5 }, leaf, node) };
}).e;

/** Reference semantics, written as a direct tree walk, independent of values.ts / compile.ts. */
function refNum(v: Value): number | null {
  if (v === null) return null;
  if (v === true) return 1;
  if (v === false) return 0;
  if (typeof v === 'number') return v;
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v) ? Number(v) : null;
}
function refText(v: Value): string | null {
  return v === null ? null : `${v}`;
}
function fin(x: number | null): Value {
  return x !== null && Number.isFinite(x) ? x : null;
}
function refEq(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === typeof b) return a === b;
  const [s, o] = typeof a === 'string' ? [a, b] : typeof b === 'string' ? [b, a] : [null, null];
  if (s === null) return refNum(a) === refNum(b);
  if (typeof o === 'boolean' && s === String(o)) return true;
  const n = refNum(s);
  return n !== null && n === refNum(o);
}
function refOrder(a: Value, b: Value): number | undefined {
  if (a === null || b === null) return undefined;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : [a, b].sort()[0] === a ? -1 : 1;
  const x = refNum(a);
  const y = refNum(b);
  return x === null || y === null ? undefined : Math.sign(x - y);
}
function refBinary(op: BinaryOp, a: Value, b: Value): Value {
  const x = refNum(a);
  const y = refNum(b);
  const both = x !== null && y !== null;
  const ord = refOrder(a, b);
  switch (op) {
    case '+':
      if (a === null || b === null) return null;
      if (typeof a === 'string' || typeof b === 'string') return `${refText(a)}${refText(b)}`;
      return both ? fin(x + y) : null;
    case '-':
      return both ? fin(x - y) : null;
    case '*':
      return both ? fin(x * y) : null;
    case '/':
      return both && y !== 0 ? fin(x / y) : null;
    case '%':
      return both && y !== 0 ? fin(x - y * Math.floor(x / y)) : null;
    case '^':
      return both ? fin(x ** y) : null;
    case '==':
      return refEq(a, b);
    case '!=':
      return !refEq(a, b);
    case '<':
      return ord !== undefined && ord < 0;
    case '<=':
      return ord !== undefined && ord <= 0;
    case '>':
      return ord !== undefined && ord > 0;
    case '>=':
      return ord !== undefined && ord >= 0;
    case 'and':
      return Boolean(a) && Boolean(b);
    case 'or':
      return Boolean(a) || Boolean(b);
  }
}
function refCall(name: string, v: Value[]): Value {
  const nums = v.map(refNum).filter((x): x is number => x !== null);
  const n0 = refNum(v[0]);
  const t0 = refText(v[0]);
  switch (name) {
    case 'abs':
      return n0 === null ? null : Math.abs(n0);
    case 'min':
      return nums.length ? Math.min(...nums) : null;
    case 'max':
      return nums.length ? Math.max(...nums) : null;
    case 'if':
      return v[0] ? v[1] : v[2];
    case 'coalesce':
      return v.find((x) => x !== null) ?? null;
    case 'concat':
      return v.map((x) => refText(x) ?? '').join('');
    case 'lower':
      return t0 === null ? null : t0.toLowerCase();
    case 'len':
      return t0 === null ? null : [...t0].length;
    case 'is_null':
      return v[0] === null;
    case 'str':
      return t0;
    case 'num':
      return n0;
    case 'sign':
      return n0 === null ? null : Math.sign(n0);
    case 'floor':
      return n0 === null ? null : Math.floor(n0);
    case 'clamp': {
      const lo = refNum(v[1]);
      const hi = refNum(v[2]);
      if (n0 === null || (lo !== null && hi !== null && lo > hi)) return null;
      return Math.min(Math.max(n0, lo ?? -Infinity), hi ?? Infinity);
    }
    default:
      throw new Error(`no reference for ${name}`);
  }
}
function refEval(e: Expr, r: readonly Value[]): Value {
  switch (e.kind) {
    case 'num':
    case 'str':
    case 'bool':
      return e.value;
    case 'null':
      return null;
    case 'ident':
      return r[NAMES.indexOf(e.name)];
    case 'unary': {
      const a = refEval(e.arg, r);
      if (e.op === 'not') return !a;
      const x = refNum(a);
      return x === null ? null : e.op === '-' ? -x : x;
    }
    case 'binary':
      return refBinary(e.op, refEval(e.left, r), refEval(e.right, r));
    case 'in': {
      const a = refEval(e.arg, r);
      const found = e.list.some((x) => refEq(a, refEval(x, r)));
      return e.negated ? !found : found;
    }
    case 'cond':
      return refEval(e.test, r) ? refEval(e.then, r) : refEval(e.else, r);
    case 'call':
      return refCall(
        e.name,
        e.args.map((x) => refEval(x, r)),
      );
  }
}

/** The AST without source offsets, for structural comparison. */
function shape(e: Expr): unknown {
  return JSON.parse(JSON.stringify(e, (k, v) => (k === 'start' || k === 'end' ? undefined : v)));
}

function sameValue(actual: Value, expected: Value): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    return actual === expected || Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  return actual === expected;
}

describe('fuzz: well-formed ASTs', () => {
  it('print → parse gives back the same tree', () => {
    fc.assert(
      fc.property(exprArb, (e) => {
        expect(shape(parseExpression(printExpression(e)))).toEqual(shape(e));
      }),
      { numRuns: 1500, seed: 7 },
    );
  });

  it('compiled evaluation of the printed source equals the reference tree walk', () => {
    fc.assert(
      fc.property(exprArb, fc.array(row, { minLength: 1, maxLength: 5 }), (e, rows) => {
        const source = printExpression(e);
        const c = compileExpression(source, scope);
        for (const r of rows) {
          const actual = c.evaluate(r);
          const expected = refEval(e, r);
          if (!sameValue(actual, expected)) {
            throw new Error(
              `${source} on ${JSON.stringify(r)}: got ${JSON.stringify(actual)}, reference ${JSON.stringify(expected)}`,
            );
          }
        }
      }),
      { numRuns: 1500, seed: 11 },
    );
  });
});

describe('every operator on every pair of sample values matches the reference', () => {
  const samples: Value[] = [
    null,
    true,
    false,
    0,
    1,
    -1,
    2.5,
    3,
    1e6,
    Number.NaN,
    '',
    'a',
    'B',
    '3',
    '3.0',
    '2.5',
    'true',
    'false',
    '1',
    '0',
    ' 1 ',
    'x y',
    'abc',
  ];
  it('for binary operators, `in` and `not`', () => {
    let checked = 0;
    for (const op of BINARY_OPS) {
      const c = compileExpression(`a ${op} b`, scope);
      for (const x of samples) {
        for (const y of samples) {
          if (Number.isNaN(x) || Number.isNaN(y)) {
            expect(isValue(c.evaluate([x, y]))).toBe(true);
            continue;
          }
          const got = c.evaluate([x, y]);
          const want = refBinary(op, x, y);
          if (!sameValue(got, want))
            throw new Error(`${JSON.stringify(x)} ${op} ${JSON.stringify(y)}: ${got} vs ${want}`);
          checked++;
        }
      }
    }
    const inList = compileExpression("a in [b, 3, 'true']", scope);
    const notA = compileExpression('not a', scope);
    for (const x of samples) {
      expect(notA.evaluate([x])).toBe(!x);
      for (const y of samples) {
        if (Number.isNaN(x) || Number.isNaN(y)) continue;
        expect(inList.evaluate([x, y])).toBe(refEq(x, y) || refEq(x, 3) || refEq(x, 'true'));
      }
    }
    expect(checked).toBe(BINARY_OPS.length * 22 * 22);
  });
});
