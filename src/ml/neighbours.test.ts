import { describe, expect, it } from 'vitest';
import { bruteForceNeighbours, gowerSpace, nearestNeighbours } from './neighbours.js';
import { randomMixedTable } from './test-helpers.js';
import type { TypedTable } from './typed-table.js';

function expectSame(
  a: { index: Int32Array; distance: Float64Array },
  b: { index: Int32Array; distance: Float64Array },
) {
  expect(Array.from(a.index)).toEqual(Array.from(b.index));
  expect(Array.from(a.distance)).toEqual(Array.from(b.distance));
}

describe('nearestNeighbours is exact', () => {
  for (let k = 1; k <= 5; k++) {
    it(`matches brute force on random mixed tables with missing values, k=${k}`, async () => {
      const ref = randomMixedTable(300, 10 + k, { missing: 0.15, duplicates: 20 });
      const query = randomMixedTable(120, 100 + k, { missing: 0.15 });
      // Put some exact copies of reference rows into the query.
      for (let t = 0; t < 10; t++) {
        query.columns.forEach((c, j) => {
          const rc = ref.columns[j];
          if (c.kind === 'numeric' && rc.kind === 'numeric') c.values[t] = rc.values[t * 7];
          if (c.kind === 'categorical' && rc.kind === 'categorical') c.codes[t] = rc.codes[t * 7];
        });
      }
      const space = gowerSpace(ref);
      expectSame(
        await nearestNeighbours(query, ref, k, { space }),
        bruteForceNeighbours(query, ref, k, space),
      );
    });
    it(`matches brute force with excludeSelf, k=${k}`, async () => {
      const t = randomMixedTable(250, 200 + k, { missing: 0.2, duplicates: 30 });
      const got = await nearestNeighbours(t, t, k, { excludeSelf: true });
      expectSame(got, bruteForceNeighbours(t, t, k, undefined, true));
      for (let i = 0; i < t.rowCount; i++)
        for (let j = 0; j < k; j++) expect(got.index[i * k + j]).not.toBe(i);
    });
  }

  it('is exact on categorical-only tables (no scan key) and heavy ties', async () => {
    const ref = randomMixedTable(200, 7, { numeric: 0, categorical: 3, missing: 0.1 });
    const query = randomMixedTable(50, 8, { numeric: 0, categorical: 3, missing: 0.1 });
    expectSame(await nearestNeighbours(query, ref, 4), bruteForceNeighbours(query, ref, 4));
  });

  it('is exact when query values fall outside the reference range', async () => {
    const ref = randomMixedTable(200, 9);
    const query = randomMixedTable(60, 10);
    const c = query.columns[0];
    if (c.kind === 'numeric') for (let i = 0; i < 60; i += 3) c.values[i] = 1000 + i;
    expectSame(await nearestNeighbours(query, ref, 3), bruteForceNeighbours(query, ref, 3));
  });

  it('gives distance 0 and the lowest index for exact duplicates', async () => {
    const ref = randomMixedTable(50, 11, { missing: 0 });
    const copy: TypedTable = {
      rowCount: 1,
      columns: ref.columns.map((c) =>
        c.kind === 'numeric'
          ? { ...c, values: Float64Array.of(c.values[5]) }
          : { ...c, codes: Int32Array.of(c.codes[5]) },
      ),
    };
    const got = await nearestNeighbours(copy, ref, 1);
    expect(got.distance[0]).toBe(0);
    expect(got.index[0]).toBeLessThanOrEqual(5);
  });

  it('treats -0 as 0 and missing as equal to missing when finding exact duplicates', async () => {
    const mk = (x: number[], c: number[]): TypedTable => ({
      rowCount: x.length,
      columns: [
        { name: 'x', kind: 'numeric', values: Float64Array.from(x), integer: false },
        { name: 'c', kind: 'categorical', codes: Int32Array.from(c), levels: ['a', 'b'] },
      ],
    });
    const ref = mk([5, 0, Number.NaN, 0], [0, -1, 1, -1]);
    const got = await nearestNeighbours(mk([-0, Number.NaN], [-1, 1]), ref, 2);
    expect(Array.from(got.index)).toEqual([1, 3, 2, 0]);
    expect(Array.from(got.distance)).toEqual([0, 0, 0, 1]);
  });

  it('computes Gower by hand on a tiny table', async () => {
    const ref: TypedTable = {
      rowCount: 3,
      columns: [
        { name: 'x', kind: 'numeric', values: Float64Array.of(0, 10, Number.NaN), integer: true },
        { name: 'c', kind: 'categorical', codes: Int32Array.of(0, 1, -1), levels: ['a', 'b'] },
      ],
    };
    const query: TypedTable = {
      rowCount: 1,
      columns: [
        { name: 'x', kind: 'numeric', values: Float64Array.of(4), integer: true },
        { name: 'c', kind: 'categorical', codes: Int32Array.of(1), levels: ['a', 'b'] },
      ],
    };
    const got = await nearestNeighbours(query, ref, 3);
    // row1: (0.6 + 0)/2 = 0.3; row0: (0.4 + 1)/2 = 0.7; row2: (1 + 1)/2 = 1
    expect(Array.from(got.index)).toEqual([1, 0, 2]);
    expect(got.distance[0]).toBeCloseTo(0.3, 12);
    expect(got.distance[1]).toBeCloseTo(0.7, 12);
    expect(got.distance[2]).toBe(1);
  });

  it('gives the same answer with worker threads', async () => {
    const ref = randomMixedTable(600, 21, { missing: 0.1, duplicates: 10 });
    const query = randomMixedTable(700, 22, { missing: 0.1 });
    const got = await nearestNeighbours(query, ref, 2, { workers: 2 });
    expectSame(got, bruteForceNeighbours(query, ref, 2));
  });

  it('rejects bad k, mismatched columns and excludeSelf across tables', async () => {
    const t = randomMixedTable(10, 1);
    await expect(nearestNeighbours(t, t, 10, { excludeSelf: true })).rejects.toThrow(/k must be/);
    await expect(nearestNeighbours(randomMixedTable(5, 2), t, 1, { excludeSelf: true })).rejects.toThrow(
      /excludeSelf/,
    );
    const other: TypedTable = { rowCount: 10, columns: t.columns.slice(1) };
    await expect(nearestNeighbours(other, t, 1)).rejects.toThrow(/lacks column "x0"/);
  });
});

describe('cancelling a neighbour search', () => {
  it('stops the worker threads at once and rejects with run.aborted', async () => {
    // 60k × 60k rows: seconds of work on two workers; the abort comes after the first chunks
    // (without it the search would resolve).
    const ref = randomMixedTable(60_000, 31);
    const query = randomMixedTable(60_000, 32);
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 100);
    await expect(nearestNeighbours(query, ref, 1, { workers: 2, signal: ctrl.signal })).rejects.toMatchObject(
      {
        code: 'run.aborted',
      },
    );
  });

  it('an already-aborted signal rejects before any work', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const t = randomMixedTable(10, 1);
    await expect(nearestNeighbours(t, t, 1, { signal: ctrl.signal })).rejects.toMatchObject({
      code: 'run.aborted',
    });
  });
});
