/**
 * A table's rows as sequences: grouped by the entity column and sorted by the order column within
 * each entity (ties keep file order; rows without an order value come last in their entity).
 */
import type { RawTable } from '../../io/index.js';
import type { SequenceLink } from './links.js';
import { columnOf, keyValues, orderValues } from './tables.js';

export interface Sequenced {
  /** Row indices in sequence order. */
  rows: Int32Array;
  /** Position p starts a new entity (p = 0 always does). */
  starts: Uint8Array;
  /** Order values (epoch ms or numbers, NaN = missing), indexed by row. */
  order: Float64Array;
}

/**
 * Rows a and b of one group in sequence order: by their order values, rows without one last, ties
 * in file order. Shared by `sequenced` and the per-entity features (grouped by entity instead).
 */
export function inSequence(order: Float64Array): (a: number, b: number) => number {
  return (a, b) => {
    const oa = order[a];
    const ob = order[b];
    const na = Number.isNaN(oa);
    const nb = Number.isNaN(ob);
    if (na !== nb) return na ? 1 : -1;
    if (!na && oa !== ob) return oa - ob;
    return a - b;
  };
}

export function sequenced(t: RawTable, link: SequenceLink): Sequenced {
  const n = t.rowCount;
  const entity = link.entity ? keyValues(columnOf(t, link.entity) ?? []) : undefined;
  const order = orderValues(columnOf(t, link.order) ?? []);
  const idx = Array.from({ length: n }, (_, i) => i);
  const ent = (i: number) => entity?.[i] ?? '';
  const within = inSequence(order);
  idx.sort((a, b) => {
    const ea = ent(a);
    const eb = ent(b);
    if (ea !== eb) return ea < eb ? -1 : 1;
    return within(a, b);
  });
  const rows = Int32Array.from(idx);
  const starts = new Uint8Array(n);
  for (let p = 0; p < n; p++) starts[p] = p === 0 || ent(rows[p]) !== ent(rows[p - 1]) ? 1 : 0;
  return { rows, starts, order };
}
