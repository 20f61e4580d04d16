import { describe, expect, it } from 'vitest';
import { ANY_STATE, conditionalResolver } from './conditional-rows.js';

type Row = { when: (string | number | boolean)[]; id: string };

describe('conditionalResolver', () => {
  const rows: Row[] = [
    { when: ['*', 'x'], id: 'any-x' },
    { when: ['a', 'x'], id: 'a-x' },
    { when: ['b', '*'], id: 'b-any' },
    { when: ['*', '*'], id: 'any-any' },
    { when: [1, true], id: 'one-true' },
  ];
  const resolve = conditionalResolver(rows);

  it('prefers a row of exactly the state over any wildcard row, whatever the order', () => {
    expect(resolve(['a', 'x'])?.id).toBe('a-x');
    expect(resolve(['1', 'true'])?.id).toBe('one-true');
  });

  it('otherwise takes the first matching wildcard row in file order', () => {
    expect(resolve(['b', 'x'])?.id).toBe('any-x');
    expect(resolve(['b', 'y'])?.id).toBe('b-any');
    expect(resolve(['c', 'y'])?.id).toBe('any-any');
    expect(resolve(['NA', 'NA'])?.id).toBe('any-any');
    // the same answers again (from the memo)
    expect(resolve(['b', 'x'])?.id).toBe('any-x');
    expect(resolve(['c', 'y'])?.id).toBe('any-any');
  });

  it('finds nothing when no row matches, so the default applies', () => {
    const only = conditionalResolver<Row>([{ when: ['a', ANY_STATE], id: 'a-any' }]);
    expect(only(['a', 'q'])?.id).toBe('a-any');
    expect(only(['b', 'q'])).toBeUndefined();
    expect(only(['b', 'q'])).toBeUndefined();
  });

  it('keeps the last of two rows for the same exact state, as before wildcards', () => {
    const dup = conditionalResolver<Row>([
      { when: ['a'], id: 'first' },
      { when: ['a'], id: 'second' },
    ]);
    expect(dup(['a'])?.id).toBe('second');
  });
});
