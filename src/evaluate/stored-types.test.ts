/**
 * A Parquet file's stored types decide each column's kind in evaluate: a string column of digit
 * codes is a category, not a number. The readers put the types on the RawTable; evaluate() must
 * carry them through its table conversion and projection (a merge once dropped them there).
 */
import { describe, expect, it } from 'vitest';
import type { RawTable } from '../io/index.js';
import { evaluate, SECTION_NAMES } from './index.js';

const n = 200;
// 40 distinct digit codes: read as numbers unless the file says they are text.
const codes = (seed: number) => Array.from({ length: n }, (_, i) => String(10_000 + ((i * 7 + seed) % 40)));
// 4 distinct whole numbers: read as categories unless the file says they are numbers.
const levels = (seed: number) => Array.from({ length: n }, (_, i) => String((i * 13 + seed) % 4));

function table(name: string, seed: number, typed: boolean): RawTable {
  return {
    name,
    columns: ['level', 'zone'],
    rowCount: n,
    data: [levels(seed), codes(seed)],
    source: `${name}.parquet`,
    ...(typed ? { types: ['number', 'string'] as RawTable['types'] } : {}),
  };
}

const none = Object.fromEntries(SECTION_NAMES.map((s) => [s, false]));

async function kinds(typed: boolean) {
  const r = await evaluate({
    real: table('real', 1, typed),
    synthetic: table('synthetic', 2, typed),
    sections: none,
  });
  return Object.fromEntries(r.inputs.columns.map((c) => [c.name, c.kind]));
}

describe('evaluate and stored types', () => {
  it('stored types decide: digit codes stored as text are categorical, few whole numbers stored as numbers are numeric', async () => {
    expect(await kinds(true)).toEqual({ level: 'numeric', zone: 'categorical' });
    expect(await kinds(false)).toEqual({ level: 'categorical', zone: 'numeric' });
  });
});
