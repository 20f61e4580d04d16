import { describe, expect, it } from 'vitest';
import type { StrataError } from '../errors.js';
import { generateRows } from '../sample/index.js';
import { parseSpecText } from '../spec/index.js';
import { compileExpression, MAX_STRING_LENGTH } from './index.js';

const columns = new Map([
  ['x', 0],
  ['y', 1],
]);
const run = (src: string, row: unknown[]) => compileExpression(src, { columns }).evaluate(row as never);
const code = (f: () => unknown) => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return (e as StrataError).code;
  }
};

describe('texts an expression builds are bounded', () => {
  const big = 'a'.repeat(600_000);

  it('+ and concat() over the limit are errors; at the limit they work', () => {
    expect(code(() => run('x + x', [big]))).toBe('expr.string_too_long');
    expect(code(() => run('concat(x, y, x)', [big, 'b']))).toBe('expr.string_too_long');
    const half = 'a'.repeat(MAX_STRING_LENGTH / 2);
    expect((run('x + x', [half]) as string).length).toBe(MAX_STRING_LENGTH);
    expect(() => run('x + x', [big])).toThrow(
      /\+ would make a text of 1200000 characters, more than the limit of 1000000/,
    );
  });

  it('replace() is refused before it allocates its result', () => {
    // 600,000 one-char matches, each replaced by 10,000 chars: 6e9 chars if it were built.
    const t0 = performance.now();
    expect(code(() => run("replace(x, 'a', y)", [big, 'b'.repeat(10_000)]))).toBe('expr.string_too_long');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(run("replace(x, 'a', 'bb')", ['aaa', null])).toBe('bbbbbb');
  });

  it('upper() that lengthens a text past the limit is an error', () => {
    expect(code(() => run('upper(x)', ['ß'.repeat(600_000)]))).toBe('expr.string_too_long');
    expect(run('upper(x)', ['ß'])).toBe('SS');
  });

  it('a chain of doubling derived columns fails at the column that crosses the limit, in bounded time', async () => {
    const cols = ['      c0: { type: string, values: { ab: 1 } }'];
    for (let i = 1; i <= 30; i++) cols.push(`      c${i}: { type: string, expr: "c${i - 1} + c${i - 1}" }`);
    const spec = parseSpecText(
      `strata: 1\ntables:\n  t:\n    columns:\n${cols.join('\n')}\n`,
      'double.yaml',
    ).spec;
    const t0 = performance.now();
    const heap0 = process.memoryUsage().heapUsed;
    try {
      await generateRows({ spec, rows: 3, seed: 1, workers: 1 });
      expect.unreachable();
    } catch (e) {
      const err = e as StrataError;
      expect(err.code).toBe('expr.string_too_long');
      // 2 · 2^19 = 1,048,576 > 1,000,000: column c19 is the first over the limit
      expect(err.format()).toMatch(
        /tables\.t\.columns\.c19\.expr: \+ would make a text of 1048576 characters/,
      );
    }
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(200e6);
  });
});
