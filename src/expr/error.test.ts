import { describe, expect, it } from 'vitest';
import { compileExpression } from './compile.js';
import { describePosition, ExprError, formatExprError } from './error.js';
import { parseExpression } from './parser.js';

function caught(f: () => unknown): ExprError {
  try {
    f();
  } catch (e) {
    if (e instanceof ExprError) return e;
    throw e;
  }
  throw new Error('expected an ExprError');
}

describe('formatExprError', () => {
  it('shows the source line with a caret under the offset', () => {
    const src = '(a + b))';
    const err = caught(() => parseExpression(src));
    expect(formatExprError(src, err)).toBe(
      [
        'unexpected ")" at column 8 — expected an operator or the end of the expression',
        '  (a + b))',
        '         ^',
      ].join('\n'),
    );
  });
  it('underlines a whole unknown name', () => {
    const src = 'card_limit <= incme';
    const err = caught(() =>
      compileExpression(src, {
        columns: new Map([
          ['card_limit', 0],
          ['income', 1],
        ]),
      }),
    );
    const lines = formatExprError(src, err).split('\n');
    expect(lines[1]).toBe(`  ${src}`);
    expect(lines[2]).toBe(`  ${' '.repeat(14)}^~~~~`);
  });
  it('shows only the offending line of a multi-line source', () => {
    const src = 'a +\n  b +\n  )';
    const err = caught(() => parseExpression(src));
    expect(err.message).toMatch(/line 3, column 3/);
    const lines = formatExprError(src, err).split('\n');
    expect(lines[1]).toBe('    )');
    expect(lines[2]).toBe('    ^');
  });
  it('cuts long lines to a window around the offset', () => {
    const src = `${'a + '.repeat(100)}) + b`;
    const err = caught(() => parseExpression(src));
    const [, line, caret] = formatExprError(src, err).split('\n');
    expect(line.length).toBeLessThan(90);
    expect(line.startsWith('  …')).toBe(true);
    expect(line[caret.indexOf('^')]).toBe(')');
  });
  it('places the caret past the end for an unexpected end', () => {
    const src = 'a +';
    const [, line, caret] = formatExprError(
      src,
      caught(() => parseExpression(src)),
    ).split('\n');
    expect(caret.indexOf('^')).toBe(line.length);
  });
});

describe('ExprError', () => {
  it('is a StrataError with a stable code and offset', () => {
    const err = caught(() => parseExpression('1 +'));
    expect(err.name).toBe('ExprError');
    expect(err.code).toBe('expr.syntax');
    expect(err.offset).toBe(3);
    expect(err.format()).toMatch(/unexpected end/);
  });
  it('describes positions for people (1-based)', () => {
    expect(describePosition('abc', 0)).toBe('column 1');
    expect(describePosition('a\nbc', 3)).toBe('line 2, column 2');
  });
});
