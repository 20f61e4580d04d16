import { describe, expect, it } from 'vitest';
import type { Value } from './ast.js';
import { type CompileScope, compileExpression } from './compile.js';
import { ExprError } from './error.js';
import { parseExpression } from './parser.js';

const COLUMNS = ['segment', 'age', 'income', 'card_limit', 'n', 's', 'b', 'x', 'opened', 'col name'];
const scope: CompileScope = { columns: new Map(COLUMNS.map((c, i) => [c, i])) };

/** Evaluates `source` on a row given as a record of the columns it sets (others are null). */
function ev(source: string, cells: Record<string, Value> = {}, sc: CompileScope = scope): Value {
  const row: Value[] = COLUMNS.map(() => null);
  for (const [k, v] of Object.entries(cells)) row[COLUMNS.indexOf(k)] = v;
  return compileExpression(source, sc).evaluate(row);
}

function compileError(source: string, sc: CompileScope = scope): ExprError {
  try {
    compileExpression(source, sc);
  } catch (e) {
    if (e instanceof ExprError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

describe('arithmetic', () => {
  it.each<[string, Value]>([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['2 ^ -1', 0.5],
    ['7 % 3', 1],
    ['-1 % 7', 6],
    ['1 % -7', -6],
    ['7.5 % 2', 1.5],
    ['1 / 0', null],
    ['1 % 0', null],
    ['0 ^ -1', null],
    ['(-8) ^ 0.5', null],
    ['1e308 * 10', null],
    ['+true', 1],
    ['-false', -0],
  ])('%s = %j', (source, expected) => {
    expect(ev(source)).toBe(expected);
  });

  it('counts booleans as 0/1', () => {
    const f = "10 + 0.4*(segment == 'premium') + 0.01*age";
    expect(ev(f, { segment: 'premium', age: 30 })).toBeCloseTo(10.7, 12);
    expect(ev(f, { segment: 'retail', age: 30 })).toBeCloseTo(10.3, 12);
    expect(ev('true + true')).toBe(2);
    expect(ev('(1 < 2) * 5')).toBe(5);
  });

  it('concatenates when either side of + is a string', () => {
    expect(ev("'a' + 1.5")).toBe('a1.5');
    expect(ev("1 + 'a'")).toBe('1a');
    expect(ev("'x' + true")).toBe('xtrue');
    expect(ev("'x' + null")).toBe(null);
    expect(ev("'3' - 1")).toBe(2);
    expect(ev("'abc' * 2")).toBe(null);
  });

  it('propagates null through arithmetic', () => {
    for (const op of ['+', '-', '*', '/', '%', '^']) {
      expect(ev(`n ${op} 1`)).toBe(null);
      expect(ev(`1 ${op} n`)).toBe(null);
    }
    expect(ev('-n')).toBe(null);
  });
});

describe('comparison and logic', () => {
  it.each<[string, Record<string, Value>, Value]>([
    ['card_limit <= income', { card_limit: 10, income: 20 }, true],
    ['card_limit <= income', { card_limit: 30, income: 20 }, false],
    ['card_limit <= income', { card_limit: 20, income: 20 }, true],
    ["s < 'b'", { s: 'a' }, true],
    ["s > 'B'", { s: 'a' }, true],
    ["s == '3'", { s: '3' }, true],
    ['x == 3', { x: '3' }, true],
    ["x == '3.0'", { x: 3 }, true],
    ["x == 'three'", { x: 3 }, false],
    ['x < 10', { x: '9' }, true],
    ["x < 'abc'", { x: 1 }, false],
    ["x >= 'abc'", { x: 1 }, false],
    ['b == true', { b: true }, true],
    ['b == 1', { b: true }, true],
    ['s == true', { s: 'true' }, true],
    ['n == null', {}, true],
    ['n != null', {}, false],
    ['x == null', { x: 0 }, false],
    ['x != null', { x: 0 }, true],
    ['n < 1', {}, false],
    ['n >= 1', {}, false],
    ['n > n', {}, false],
    ['null == null', {}, true],
    ['x != 2', { x: 3 }, true],
  ])('%s with %j = %j', (source, cells, expected) => {
    expect(ev(source, cells)).toBe(expected);
  });

  it('and/or/not return booleans and short-circuit', () => {
    expect(ev('1 and 2')).toBe(true);
    expect(ev("'' or 0")).toBe(false);
    expect(ev('not n')).toBe(true);
    expect(ev('not 0')).toBe(true);
    expect(ev("!'x'")).toBe(false);
    expect(ev('x > 0 && x < 10', { x: 5 })).toBe(true);
    expect(ev('x < 0 || x > 10', { x: 5 })).toBe(false);
    expect(ev("segment == 'business' and age < 25", { segment: 'business', age: 20 })).toBe(true);
    expect(ev("segment == 'business' and age < 25", { segment: 'business', age: 30 })).toBe(false);
  });

  it('ternary picks a branch by truthiness', () => {
    const band = "age < 25 ? 'young' : age < 65 ? 'adult' : 'senior'";
    expect(ev(band, { age: 20 })).toBe('young');
    expect(ev(band, { age: 40 })).toBe('adult');
    expect(ev(band, { age: 70 })).toBe('senior');
    expect(ev(band, {})).toBe('senior'); // null < 25 is false
  });
});

describe('in / not in', () => {
  it('tests membership with == semantics', () => {
    expect(ev("segment in ['retail', 'premium']", { segment: 'premium' })).toBe(true);
    expect(ev("segment in ['retail', 'premium']", { segment: 'business' })).toBe(false);
    expect(ev("segment not in ['retail', 'premium']", { segment: 'business' })).toBe(true);
    expect(ev('x in [1, 2, 3]', { x: '2' })).toBe(true);
    expect(ev("x in ['1', '2']", { x: 2 })).toBe(true);
    expect(ev('x in [1, 2]', {})).toBe(false);
    expect(ev('x in [1, null]', {})).toBe(true);
    expect(ev('x not in [1, 2]', {})).toBe(true);
    expect(ev('x in []', { x: 1 })).toBe(false);
  });
  it('accepts non-constant list items', () => {
    expect(ev('x in [age, income]', { x: 5, age: 1, income: 5 })).toBe(true);
    expect(ev('x in [age + 1]', { x: 5, age: 4 })).toBe(true);
    expect(ev('x not in [age + 1]', { x: 5, age: 4 })).toBe(false);
  });
  it('supports inclusive ranges', () => {
    expect(ev('x in 1..5', { x: 1 })).toBe(true);
    expect(ev('x in 1..5', { x: 5 })).toBe(true);
    expect(ev('x in 1..5', { x: 5.5 })).toBe(false);
    expect(ev('x not in 1..5', { x: 0 })).toBe(true);
    expect(ev('x in 1..5', {})).toBe(false);
  });
});

describe('functions', () => {
  it.each<[string, Value]>([
    ['abs(-3)', 3],
    ['abs(null)', null],
    ['min(3, 1, 2)', 1],
    ['max(3, 1, 2)', 3],
    ['min(n, 5)', 5],
    ['max(n)', null],
    ["max('7', 2)", 7],
    ['round(2.5)', 3],
    ['round(-2.5)', -3],
    ['round(1.005, 2)', 1.01],
    ['round(1234.5, -2)', 1200],
    ['round(0.000001234, 8)', 0.00000123],
    ['round(n)', null],
    ['round(1.5, n)', null],
    ['floor(-1.5)', -2],
    ['ceil(1.2)', 2],
    ['sqrt(9)', 3],
    ['sqrt(-1)', null],
    ['log(1)', 0],
    ['log(0)', null],
    ['log10(1000)', 3],
    ['exp(0)', 1],
    ['exp(1000)', null],
    ['pow(2, 10)', 1024],
    ['clamp(5, 0, 3)', 3],
    ['clamp(-5, 0, 3)', 0],
    ['clamp(2, 0, 3)', 2],
    ['clamp(5, null, 3)', 3],
    ['clamp(5, 3, 0)', null],
    ['sign(-4)', -1],
    ["if(1 > 0, 'y', 'n')", 'y'],
    ["if(n, 'y', 'n')", 'n'],
    ["lower('AbC')", 'abc'],
    ["upper('AbC')", 'ABC'],
    ['lower(n)', null],
    ["len('héllo😀')", 6],
    ['len(123)', 3],
    ["substr('abcdef', 2)", 'cdef'],
    ["substr('abcdef', 2, 2)", 'cd'],
    ["substr('abcdef', -2)", 'ef'],
    ["substr('abcdef', 1, -1)", ''],
    ["substr('abcdef', 10)", ''],
    ['substr(n, 1)', null],
    ["contains('banana', 'nan')", true],
    ["contains('banana', 'x')", false],
    ["contains(n, 'x')", null],
    ["starts_with('banana', 'ba')", true],
    ["ends_with('banana', 'na')", true],
    ["ends_with('banana', 'ba')", false],
    ["replace('a-b-c', '-', '+')", 'a+b+c'],
    ["replace('abc', '', 'x')", 'abc'],
    ["concat('a', 1, null, true)", 'a1true'],
    ['str(1.5)', '1.5'],
    ['str(false)', 'false'],
    ['str(n)', null],
    ["num('42')", 42],
    ["num(' 4.5e1 ')", 45],
    ["num('0x10')", null],
    ["num('abc')", null],
    ["num('')", null],
    ['num(true)', 1],
    ['is_null(n)', true],
    ['is_null(0)', false],
    ["coalesce(n, null, 'z', 'w')", 'z'],
    ['coalesce(n)', null],
  ])('%s = %j', (source, expected) => {
    expect(ev(source)).toBe(expected);
  });

  it('coalesce and if are lazy over columns', () => {
    expect(ev("coalesce(x, s, 'none')", { s: 'b' })).toBe('b');
    expect(ev("coalesce(x, s, 'none')", { x: 0, s: 'b' })).toBe(0);
    expect(ev("coalesce(x, s, 'none')", {})).toBe('none');
    expect(ev('if(b, x, age)', { b: true, x: 1, age: 2 })).toBe(1);
    expect(ev('if(b, x, age)', { b: false, x: 1, age: 2 })).toBe(2);
  });

  it('checks arity at compile time', () => {
    const e = compileError('abs(1, 2)');
    expect(e.code).toBe('expr.arity');
    expect(e.message).toBe('abs() takes 1 argument, got 2 at column 1');
    expect(e.hint).toBe('write abs(x)');
    expect(compileError('min()').message).toMatch(/at least 1 argument/);
    expect(compileError('round(1, 2, 3)').message).toMatch(/1 to 2 arguments, got 3/);
    expect(compileError('x + clamp(1, 2)').offset).toBe(4);
  });

  it('reports unknown functions with suggestions', () => {
    const e = compileError('x + sqr(4)');
    expect(e.code).toBe('expr.unknown_function');
    expect(e.offset).toBe(4);
    expect(e.message).toMatch(/unknown function "sqr" at column 5 — did you mean "sqrt"/);
    expect(compileError('income(3)').message).toMatch(/is a column, not a function/);
    expect(compileError('constructor(1)').code).toBe('expr.unknown_function');
  });
});

describe('dates (epoch ms UTC)', () => {
  const jan1 = Date.UTC(2015, 0, 1);
  it.each<[string, Value]>([
    ["date('2015-01-01')", jan1],
    ["date('2015-01-01T10:30:00Z')", jan1],
    ["datetime('2015-01-01T10:00:00Z')", jan1 + 10 * 3_600_000],
    ["datetime('2015-01-01T10:00:00+02:00')", jan1 + 8 * 3_600_000],
    ["datetime('2015-01-01 10:00')", jan1 + 10 * 3_600_000],
    ["datetime('2015-01-01T00:00:00.250Z')", jan1 + 250],
    ["date('0099-06-01')", new Date('0099-06-01T00:00:00Z').getTime()], // not 1999: years < 100 stay
    ["year(date('2024-02-29'))", 2024],
    ["month(date('2024-02-29'))", 2],
    ["day(date('2024-02-29'))", 29],
    ["weekday(date('2024-01-07'))", 0],
    ["weekday(date('2024-01-08'))", 1],
    ["hour(datetime('2024-01-08T23:59:59Z'))", 23],
    ["year('2020-05-01')", 2020],
    ['year(n)', null],
    ["days_between(date('2024-01-01'), date('2024-03-01'))", 60],
    ["days_between(date('2024-01-02'), date('2024-01-01'))", -1],
    ["add_days(date('2024-02-28'), 1) == date('2024-02-29')", true],
    ['date(s)', null],
  ])('%s = %j', (source, expected) => {
    expect(ev(source)).toBe(expected);
  });

  it('reads date strings from columns at run time (invalid → null)', () => {
    expect(ev('year(opened)', { opened: '2019-12-31T23:00:00Z' })).toBe(2019);
    expect(ev('date(opened)', { opened: '2019-02-30' })).toBe(null);
    expect(ev('month(opened)', { opened: Date.UTC(2020, 6, 4) })).toBe(7);
  });

  it('rejects invalid date literals at compile time', () => {
    for (const bad of ['2015-13-01', '2015-02-29', '2015-1-1', 'yesterday', '2015-01-01T24:00']) {
      const e = compileError(`x > date('${bad}')`);
      expect(e.code).toBe('expr.invalid_argument');
      expect(e.offset).toBe(9);
      expect(e.message).toContain(bad);
    }
  });
});

describe('quantile()', () => {
  const withModel: CompileScope = {
    ...scope,
    quantile: (column, p) => (column === 'income' ? 1000 * p : Number.NaN),
  };
  it('resolves once at compile time through the scope', () => {
    const calls: [string, number][] = [];
    const sc: CompileScope = {
      ...scope,
      quantile: (c, p) => {
        calls.push([c, p]);
        return 999;
      },
    };
    const c = compileExpression('income > quantile(income, 1 - 0.001)', sc);
    expect(calls).toEqual([['income', 0.999]]);
    expect(c.evaluate([null, null, 1000])).toBe(true);
    expect(c.evaluate([null, null, 10])).toBe(false);
    expect(calls.length).toBe(1);
    expect(c.refs).toEqual(['income']);
  });
  it('says it needs a model when the scope has none', () => {
    const e = compileError('income > quantile(income, 0.99)');
    expect(e.code).toBe('expr.invalid_argument');
    expect(e.message).toMatch(/needs a model of "income"/);
    expect(e.offset).toBe(9);
  });
  it('requires a column name and a constant probability', () => {
    expect(compileError('quantile(1 + 1, 0.5)', withModel).message).toMatch(/column name/);
    expect(compileError('quantile(income, age)', withModel).message).toMatch(/constant probability/);
    expect(compileError('quantile(income, 1.5)', withModel).message).toMatch(/between 0 and 1/);
    expect(compileError('quantile(age, 0.5)', withModel).message).toMatch(/not a finite number/);
    const throwing: CompileScope = {
      ...scope,
      quantile: () => {
        throw new Error('no model for "incme"');
      },
    };
    expect(compileError('quantile(incme, 0.5)', throwing).message).toMatch(/could not be resolved.*no model/);
  });
});

describe('names and safety', () => {
  it('reports unknown names with did-you-mean and the known names', () => {
    const e = compileError('incme > 3');
    expect(e.code).toBe('expr.unknown_name');
    expect(e.message).toBe('unknown name "incme" at column 1 — did you mean "income"?');
    expect(e.offset).toBe(0);
    expect(e.end).toBe(5);
    expect(e.hint).toMatch(/known names here: segment, age, income/);
    expect(compileError('age + Segment').message).toMatch(/did you mean "segment"/);
    expect(compileError('1 + sqrt').message).toMatch(/"sqrt" is a function/);
    expect(compileError('zzzzzz').message).toBe('unknown name "zzzzzz" at column 1');
  });

  it('treats prototype names as unknown names that reach nothing', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'prototype', 'hasOwnProperty', 'valueOf']) {
      const e = compileError(`${name} == 1`);
      expect(e.code).toBe('expr.unknown_name');
      expect(compileError(`\`${name}\``).code).toBe('expr.unknown_name');
    }
  });

  it('resolves such names only when the scope really has them as columns', () => {
    const sc: CompileScope = {
      columns: new Map([
        ['constructor', 0],
        ['__proto__', 1],
      ]),
    };
    expect(compileExpression('constructor + __proto__', sc).evaluate([1, 2])).toBe(3);
  });

  it('reads backtick-quoted columns and missing cells as null', () => {
    expect(ev('`col name` * 2', { 'col name': 4 })).toBe(8);
    expect(compileExpression('`col name`', scope).evaluate([])).toBe(null);
  });

  it('compiles an AST as well as a string, with printed source', () => {
    const ast = parseExpression('card_limit<=income');
    const c = compileExpression(ast, scope);
    expect(c.source).toBe('card_limit <= income');
    expect(c.refs).toEqual(['card_limit', 'income']);
  });

  it('lets callers locate the error in their file', () => {
    const e = compileError('incme').withPlace({
      file: 'spec.yaml',
      line: 12,
      path: 'tables.t.rules[0].check',
    });
    expect(e).toBeInstanceOf(ExprError);
    expect(e.format()).toMatch(/^spec\.yaml:12 tables\.t\.rules\[0\]\.check: unknown name "incme"/);
  });
});

describe('constant folding', () => {
  it('folds constant sub-expressions, even without any columns', () => {
    const c = compileExpression("1 + 2 * 3 > 6 ? upper('y') : 'n'", { columns: new Map() });
    expect(c.evaluate([])).toBe('Y');
    expect(c.refs).toEqual([]);
  });
  it('folds short-circuits but still reports unknown names in dead branches', () => {
    expect(compileError('false and incme').code).toBe('expr.unknown_name');
    expect(compileError('true ? 1 : incme').code).toBe('expr.unknown_name');
    expect(ev('false and x')).toBe(false);
    expect(ev('x and false', { x: 1 })).toBe(false);
    expect(ev('true and x', { x: 1 })).toBe(true);
    expect(ev('true or x')).toBe(true);
    expect(ev('x or false', { x: 0 })).toBe(false);
  });
});

describe('robustness', () => {
  it('evaluates the deepest chain the length limit allows', () => {
    const src = `${'x+'.repeat(4_999)}x`;
    expect(compileExpression(src, scope).evaluate([null, null, null, null, null, null, null, 1])).toBe(5_000);
  });
  it('never returns NaN or Infinity', () => {
    const row: Value[] = COLUMNS.map(() => Number.NaN);
    for (const s of ['x + 1', 'x * 2', 'x / 1', '-x', 'abs(x)', 'x ^ 2', 'coalesce(x, 1)', 'num(x)']) {
      const v = compileExpression(s, scope).evaluate(row);
      expect(typeof v === 'number' && !Number.isFinite(v)).toBe(false);
    }
  });
});
