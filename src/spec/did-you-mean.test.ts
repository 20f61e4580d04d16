import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, quotedList } from './did-you-mean.js';
import { dottedPath, valueAt } from './path.js';

describe('editDistance (Damerau-Levenshtein, optimal string alignment)', () => {
  it('counts inserts, deletes, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('normal', 'normal')).toBe(0);
    expect(editDistance('normall', 'normal')).toBe(1);
    expect(editDistance('nrmal', 'normal')).toBe(1);
    expect(editDistance('nornal', 'normal')).toBe(1);
    expect(editDistance('emial', 'email')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  it('is symmetric', () => {
    for (const [a, b] of [
      ['segment', 'sgement'],
      ['abc', 'ca'],
      ['income', 'incme'],
    ]) {
      expect(editDistance(a, b)).toBe(editDistance(b, a));
    }
  });
});

describe('didYouMean', () => {
  it('suggests the closest plausible candidate', () => {
    expect(didYouMean('normall', ['uniform', 'normal', 'lognormal'])).toBe('normal');
    expect(didYouMean('colums', ['rows', 'columns', 'rules'])).toBe('columns');
    expect(didYouMean('Segment', ['segment'])).toBe('segment');
  });
  it('stays quiet when nothing is close, relative to the length', () => {
    expect(didYouMean('xyz', ['normal', 'gamma'])).toBeUndefined();
    expect(didYouMean('ab', ['cd'])).toBeUndefined();
    expect(didYouMean('sigma', ['sd', 'mean'])).toBeUndefined();
  });
  it('never suggests the word itself', () => {
    expect(didYouMean('age', ['age'])).toBeUndefined();
  });
  it('prefers the earlier candidate on ties', () => {
    expect(didYouMean('ab', ['ac', 'ad'])).toBe('ac');
  });
});

describe('dottedPath / valueAt', () => {
  it('joins keys with dots and indexes with brackets', () => {
    expect(dottedPath(['tables', 'customer', 'columns', 'age', 'dist'])).toBe(
      'tables.customer.columns.age.dist',
    );
    expect(dottedPath(['tables', 't', 'rules', 0, 'check'])).toBe('tables.t.rules[0].check');
    expect(dottedPath(['rules', 0, 'check'])).toBe('rules[0].check');
    expect(dottedPath([])).toBe('');
  });
  it('quotes keys that are not identifiers', () => {
    expect(dottedPath(['values', 'high income'])).toBe('values["high income"]');
    expect(dottedPath(['values', '18'])).toBe('values["18"]');
  });
  it('finds raw values by path and returns undefined off the tree', () => {
    const raw = { a: { b: [10, { c: 'x' }] } };
    expect(valueAt(raw, ['a', 'b', 1, 'c'])).toBe('x');
    expect(valueAt(raw, ['a', 'b', 5])).toBeUndefined();
    expect(valueAt(raw, ['a', 'zz', 'c'])).toBeUndefined();
    expect(quotedList(['a', 'b', 'c'])).toBe('"a", "b" and "c"');
  });
});
