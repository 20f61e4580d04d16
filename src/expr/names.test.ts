import { describe, expect, it } from 'vitest';
import { closeNames, didYouMean, editDistance, referencedNames } from './names.js';
import { parseExpression } from './parser.js';

describe('referencedNames', () => {
  it('lists column identifiers once, in order of first use', () => {
    expect(referencedNames("10 + 0.4*(segment == 'premium') + 0.01*age + segment")).toEqual([
      'segment',
      'age',
    ]);
    expect(referencedNames('c ? b : a')).toEqual(['c', 'b', 'a']);
    expect(referencedNames('x in [z, y, x]')).toEqual(['x', 'z', 'y']);
    expect(referencedNames('not q and -r ^ s')).toEqual(['q', 'r', 's']);
  });
  it('excludes function names but includes the column of quantile()', () => {
    expect(referencedNames('income > quantile(income, 0.999)')).toEqual(['income']);
    expect(referencedNames('quantile(wage, 0.5) + abs(x)')).toEqual(['wage', 'x']);
    expect(referencedNames('min(1, 2)')).toEqual([]);
  });
  it('accepts a parsed AST and quoted names', () => {
    expect(referencedNames(parseExpression('`a b` + `c.d`'))).toEqual(['a b', 'c.d']);
  });
  it('sees both ends of a range', () => {
    expect(referencedNames('x in lo..hi')).toEqual(['x', 'lo', 'hi']);
  });
  it('throws the parse error for bad source', () => {
    expect(() => referencedNames('a +')).toThrow(/unexpected end/);
  });
});

describe('did you mean', () => {
  it('measures edits, transpositions and case', () => {
    expect(editDistance('income', 'income')).toBe(0);
    expect(editDistance('incme', 'income')).toBe(1);
    expect(editDistance('icnome', 'income')).toBe(1);
    expect(editDistance('Income', 'income')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  it('suggests only close names, closest first', () => {
    expect(closeNames('incme', ['age', 'income', 'outcome'])).toEqual(['income']);
    expect(closeNames('zzz', ['age', 'income'])).toEqual([]);
    expect(closeNames('ag', ['age', 'agx', 'a'])).toEqual(['a', 'age', 'agx']);
    expect(didYouMean('agee', ['age', 'ages'])).toBe(' — did you mean "age" or "ages"?');
    expect(didYouMean('q', ['income'])).toBe('');
  });
});
