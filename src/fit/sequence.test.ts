import { describe, expect, it } from 'vitest';
import { inferColumn } from '../data/infer.js';
import { detectOrder, groupByValue, groupSizes, orderRows } from './sequence.js';

describe('sequence grouping and order', () => {
  const g = groupByValue(['a', 'b', 'a', null, 'b', 'a']);
  it('groups equal values, leaves missing out, counts sizes', () => {
    expect(Array.from(g.group)).toEqual([0, 1, 0, -1, 1, 0]);
    expect(Array.from(groupSizes(g))).toEqual([3, 2]);
  });

  it('orders rows by group then by the order column, with index and prev', () => {
    const o = orderRows(g, Float64Array.from([3, 2, 1, 0, 1, 2]));
    expect(Array.from(o.rows)).toEqual([2, 5, 0, 4, 1]);
    expect(Array.from(o.index)).toEqual([0, 1, 2, 0, 1]);
    expect(Array.from(o.prev)).toEqual([-1, 0, 1, -1, 3]);
  });

  it('detects the time column that comes first in its row, else an increasing integer', () => {
    const start = [
      '2020-01-03 10:00:00',
      '2020-01-01 10:00:00',
      '2020-01-01 09:00:00',
      '2020-01-05 09:00:00',
    ];
    const end = ['2020-01-04 10:00:00', '2020-01-02 10:00:00', '2020-01-01 19:00:00', '2020-01-06 09:00:00'];
    const seq = ['1', '1', '2', '2'];
    const raw = [end, start, seq];
    const infos = [inferColumn('end', end), inferColumn('start', start), inferColumn('seq_num', seq)];
    const grp = groupByValue(['x', 'y', 'x', 'y']);
    expect(detectOrder(infos, raw, grp)?.column).toBe('start');
    expect(detectOrder(infos.slice(2), raw.slice(2), grp)?.column).toBe('seq_num');
    // Decreasing within a group: an order only when named like one (and distinct per group).
    const down = ['2', '1', '1', '2'];
    expect(detectOrder([inferColumn('amount', down)], [down], grp)).toBeUndefined();
    expect(detectOrder([inferColumn('visit', down)], [down], grp)?.column).toBe('visit');
  });
});
