/**
 * Sequential ids are `start + row` as JavaScript numbers: past Number.MAX_SAFE_INTEGER (2^53 − 1)
 * neighbouring ids round to the same double and collide silently. Refuse such a run before
 * anything is drawn, saying how many rows would overflow and how many fit.
 */
import { type Locator, makeErrorFactory } from '../model/context.js';
import type { Spec } from '../spec/schema.js';

export function checkIdRange(spec: Spec, table: string, rows: number, locator?: Locator): void {
  const { error } = makeErrorFactory(locator);
  for (const [name, col] of Object.entries(spec.tables[table]?.columns ?? {})) {
    if (col.type !== 'id' || col.id === 'uuid') continue;
    const start = col.start ?? 1;
    const path = ['tables', table, 'columns', name, col.start === undefined ? 'type' : 'start'];
    if (!Number.isSafeInteger(start)) {
      throw error(
        path,
        'generate.id_overflow',
        `id column "${name}" starts at ${start}, beyond the integers a number holds exactly (±${Number.MAX_SAFE_INTEGER})`,
        'choose a start between -9007199254740991 and 9007199254740991',
      );
    }
    // rows − 1 > MAX − start, not start + rows − 1 > MAX: that sum rounds past 2^53
    const fit = Number.MAX_SAFE_INTEGER - start + 1;
    if (rows > fit) {
      throw error(
        path,
        'generate.id_overflow',
        `id column "${name}" would pass ${Number.MAX_SAFE_INTEGER} (2^53 − 1): ${rows.toLocaleString('en-US')} rows from start ${start} need ids up to ${start} + ${rows - 1}, and ids past that limit collide`,
        `generate at most ${fit.toLocaleString('en-US')} rows from this start, or lower start`,
      );
    }
  }
}
