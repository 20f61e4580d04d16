import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import {
  ANY_STATE,
  conditionalResolver,
  indexedResolver,
  labelToWhen,
  MISSING_STATE,
  stateResolver,
  type WhenEntry,
  whenLabel,
} from './conditional-rows.js';

type Row = { when: WhenEntry[]; id: string };

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

describe('list entries (any of these states: the rows of a context-specific tree)', () => {
  // A tree: A = x → split on B (b1 | rest); A ≠ x → one leaf; written inside-first.
  const rows: Row[] = [
    { when: [['x', 'w'], 'b1'], id: 'xw-b1' },
    { when: [['x', 'w'], '*'], id: 'xw-rest' },
    { when: ['*', '*'], id: 'rest' },
  ];
  const resolve = conditionalResolver(rows);

  it('matches any listed state, first match in file order, for label and coded lookups alike', () => {
    expect(resolve(['x', 'b1'])?.id).toBe('xw-b1');
    expect(resolve(['w', 'b1'])?.id).toBe('xw-b1');
    expect(resolve(['w', 'b2'])?.id).toBe('xw-rest');
    expect(resolve(['y', 'b1'])?.id).toBe('rest');
    expect(resolve([MISSING_STATE, 'b1'])?.id).toBe('rest');
    const byCodes = indexedResolver(rows, [undefined, undefined], Number);
    expect(byCodes?.(['w', 'b1'], [0, 1])?.id).toBe('xw-b1');
    expect(byCodes?.(['x', 'zz'], [0, 1])?.id).toBe('xw-rest');
    expect(byCodes?.(['q', 'b1'], [0, 1])?.id).toBe('rest');
  });

  it('is not an exact row: a one-state list keeps its place in file order', () => {
    const r = conditionalResolver<Row>([
      { when: ['*'], id: 'any' },
      { when: [['a']], id: 'list-a' },
    ]);
    expect(r(['a'])?.id).toBe('any');
  });

  it('reads a "*" member as any state, and escapes like plain entries', () => {
    const r = conditionalResolver<Row>([{ when: [['\\*', 'NA']], id: 'star-or-missing' }]);
    expect(r(['*'])?.id).toBe('star-or-missing');
    expect(r([MISSING_STATE])?.id).toBe('star-or-missing');
    expect(r(['NA'])).toBeUndefined();
    expect(conditionalResolver<Row>([{ when: [['a', '*']], id: 'any' }])(['q'])?.id).toBe('any');
  });
});

describe("indexedResolver (the sampler's integer-coded lookup)", () => {
  it('gives the same row as the label lookup for every kind of parent value (random tables)', () => {
    const s = streamFor(5, 'indexed-resolver');
    const breaks = [undefined, Float64Array.from([10, 20, 30]), undefined];
    const catLabels = ['a', 'b', 'c', 'NA'];
    const binLabels = ['0', '1', '2', '3', 'NA'];
    const numLabels = ['1', '2', '3.5'];
    const pick = <T>(a: readonly T[]): T => a[s.nextInt(a.length)];
    // the labels the sampler uses: MISSING_STATE (`when: NA`), the bin index, String(value)
    const labelOf = (v: string | number | null, b: Float64Array | undefined): string => {
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) return MISSING_STATE;
      if (!b) return String(v);
      const x = Number(v);
      let k = 0;
      while (k < b.length && b[k] <= x) k++;
      return String(k);
    };
    for (let t = 0; t < 30; t++) {
      const rows: Row[] = [];
      for (let i = 0; i < 25; i++) {
        const w = () => s.nextFloat() < 0.25;
        // a list of one to three states (a tree's leaf) in a fifth of the entries
        const entry = (labels: readonly string[]): WhenEntry =>
          w()
            ? ANY_STATE
            : s.nextFloat() < 0.2
              ? [pick(labels), pick(labels), pick(labels)].slice(0, 1 + s.nextInt(3))
              : pick(labels);
        rows.push({
          when: [entry(catLabels), entry(binLabels), entry(numLabels)],
          id: `r${i}`,
        });
      }
      const byLabels = conditionalResolver(rows);
      const byCodes = indexedResolver(rows, breaks, Number);
      expect(byCodes).toBeDefined();
      const values: (string | number | null)[][] = [];
      for (let i = 0; i < 400; i++) {
        values.push([
          pick(['a', 'b', 'c', 'd', 'NA', null]),
          pick([5, 10, 15, 20, 29.9, 30, 99, -1, null, Number.NaN, '25']),
          pick([1, 2, 3.5, 4, '1', null, Number.NaN]),
        ]);
      }
      for (const v of values) {
        const want = byLabels(v.map((x, i) => labelOf(x, breaks[i])));
        expect(byCodes?.(v, [0, 1, 2])?.id).toBe(want?.id);
      }
    }
  });

  it('by state indices (coverage skeletons): the same row as the label lookup, random tables', () => {
    const s = streamFor(6, 'state-resolver');
    const pick = <T>(a: readonly T[]): T => a[s.nextInt(a.length)];
    // Parents' states as labels: categories with missing, bin indices, numbers.
    const labels = [
      ['a', 'b', 'c', MISSING_STATE],
      ['0', '1', '2', '3'],
      ['1', '2', '3.5', MISSING_STATE],
    ];
    const when = [
      ['a', 'b', 'c', 'NA'],
      ['0', '1', '2', '3'],
      ['1', '2', '3.5', 'NA'],
    ];
    // 5 to 80 rows: more than 32 needs more than one word of bits.
    for (const n of [5, 33, 80]) {
      for (let t = 0; t < 10; t++) {
        const rows: Row[] = [];
        for (let i = 0; i < n; i++) {
          const entry = (ws: readonly string[]): WhenEntry =>
            s.nextFloat() < 0.3
              ? ANY_STATE
              : s.nextFloat() < 0.2
                ? [pick(ws), pick(ws)].slice(0, 1 + s.nextInt(2))
                : pick(ws);
          rows.push({ when: when.map(entry), id: `r${i}` });
        }
        // Two rows for the same exact state: the later one wins, as in the label lookup.
        rows.push({ when: ['a', '1', '2'], id: 'first' }, { when: ['a', '1', '2'], id: 'second' });
        const byLabels = conditionalResolver(rows);
        const byStates = stateResolver(rows, labels);
        for (let i = 0; i < 4; i++)
          for (let j = 0; j < 4; j++)
            for (let k = 0; k < 4; k++) {
              const want = byLabels([labels[0][i], labels[1][j], labels[2][k]]);
              expect(byStates([i, j, k])?.id).toBe(want?.id);
            }
        expect(byStates([0, 1, 1])?.id).toBe('second');
      }
    }
  });

  it('declines tables whose label combinations cannot be numbered exactly', () => {
    const many = Array.from({ length: 2000 }, (_, i) => `v${i}`);
    const rows: Row[] = many.map((v, i) => ({ when: [v, v, v, v, v], id: String(i) }));
    expect(
      indexedResolver(rows, [undefined, undefined, undefined, undefined, undefined], Number),
    ).toBeUndefined();
  });
});

describe('a category called NA and a missing parent', () => {
  it('are two states: `NA` is missing, `\\NA` the category (old files keep their meaning)', () => {
    expect(whenLabel('NA')).toBe(MISSING_STATE);
    expect(whenLabel('\\NA')).toBe('NA');
    expect(labelToWhen(MISSING_STATE)).toBe('NA');
    expect(labelToWhen('NA')).toBe('\\NA');
    const rows: Row[] = [
      { when: ['NA'], id: 'missing' },
      { when: ['\\NA'], id: 'category' },
    ];
    expect(conditionalResolver(rows)([MISSING_STATE])?.id).toBe('missing');
    expect(conditionalResolver(rows)(['NA'])?.id).toBe('category');
    const byCodes = indexedResolver(rows, [undefined], Number);
    expect(byCodes?.([null], [0])?.id).toBe('missing');
    expect(byCodes?.(['NA'], [0])?.id).toBe('category');
  });
});

describe('escaped labels', () => {
  it('reads "\\*" as the state "*" and "\\\\x" as "\\x", both ways', () => {
    expect(whenLabel('*')).toBeNull();
    expect(whenLabel('\\*')).toBe('*');
    expect(whenLabel('\\\\x')).toBe('\\x');
    expect(whenLabel(3)).toBe('3');
    for (const label of ['*', '\\*', '\\x', 'plain', 'NA', '\\NA', MISSING_STATE])
      expect(whenLabel(labelToWhen(label))).toBe(label);
    const rows: Row[] = [
      { when: ['\\*'], id: 'star' },
      { when: ['*'], id: 'any' },
    ];
    const resolve = conditionalResolver(rows);
    expect(resolve(['*'])?.id).toBe('star');
    expect(resolve(['b'])?.id).toBe('any');
    const byCodes = indexedResolver(rows, [undefined], Number);
    expect(byCodes?.(['*'], [0])?.id).toBe('star');
    expect(byCodes?.(['b'], [0])?.id).toBe('any');
  });
});
