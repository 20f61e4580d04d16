import { describe, expect, it } from 'vitest';
import { edgeDirections } from './directions.js';

const kinds = (parents: number[][], k?: (a: number, b: number) => boolean) =>
  Object.fromEntries(edgeDirections(parents, k).map((e) => [`${e.from}>${e.to}`, e.direction]));

describe('edgeDirections', () => {
  it('marks a v-structure as decided and a lone chain as arbitrary', () => {
    // 0 -> 2 <- 1 (0, 1 not adjacent); 3 -> 4 alone.
    expect(kinds([[], [], [0, 1], [], [3]])).toEqual({
      '0>2': 'v-structure',
      '1>2': 'v-structure',
      '3>4': 'arbitrary',
    });
  });

  it('follows Meek rule 1 down a chain from a v-structure', () => {
    // 0 -> 2 <- 1, 2 -> 3: reversing 2 -> 3 would make a new v-structure, so it is implied.
    expect(kinds([[], [], [0, 1], [2]])['2>3']).toBe('implied');
  });

  it('keeps a shielded triangle arbitrary, and says when knowledge decided', () => {
    // 0 -> 1 -> 2, 0 -> 2: no v-structure.
    const p = [[], [0], [0, 1]];
    expect(Object.values(kinds(p))).toEqual(['arbitrary', 'arbitrary', 'arbitrary']);
    expect(kinds(p, (a, b) => a === 0 && b === 1)['0>1']).toBe('knowledge');
  });
});
