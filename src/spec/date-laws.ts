/**
 * Dates inside a fitted law. A date or datetime column's empirical law (without `shift`) may write
 * its knots and point-mass keys as ISO dates — what `strata fit` writes, so a person reads
 * `2021-03-04T10:15:00Z` instead of 1614852900000 — or as epoch milliseconds (older files and
 * hand-written specs). Both are read as epoch milliseconds before the schema sees the spec, so
 * everything past the checks deals in numbers. A shifted law's knots may be offsets (durations),
 * so only unshifted laws are read this way. An atom key that is neither is left for the law's
 * check to report (keys must be values).
 *
 * The cut points (`breaks`) of a conditional parent that is a date or datetime are written the same
 * way, and read back from either form: readDateBreaks.
 */

import { parseIsoDate } from './dates.js';
import type { IssueCollector } from './issues.js';
import { isPlainMap, type SpecPath, valueAt } from './path.js';

const DATE_TYPES = new Set(['date', 'datetime']);

/** Rewrite (in place) the ISO knots and atom keys of the date columns' laws at `dists` to epoch ms. */
export function readDateLaws(c: IssueCollector, raw: unknown, dists: readonly SpecPath[]): void {
  for (const path of dists) {
    const column = valueAt(raw, path.slice(0, 4));
    if (!isPlainMap(column) || !(typeof column.type === 'string' && DATE_TYPES.has(column.type))) continue;
    const dist = valueAt(raw, path);
    const law = isPlainMap(dist) ? dist.empirical : undefined;
    if (!isPlainMap(law) || law.shift !== undefined) continue;
    // A text that is no date is reported here as a date, and settles its place: the law's own
    // check would add "expected a number … without quotes", which contradicts this hint.
    const bad = (at: SpecPath, text: string) =>
      c.report(
        [...path, 'empirical', ...at],
        'spec.bad_date',
        `"${text}" is not an ISO date`,
        'write e.g. "2021-03-04T10:15:00Z", "2021-03-04" or epoch milliseconds',
        { settles: true },
      );
    if (Array.isArray(law.knots))
      law.knots = law.knots.map((k: unknown, i: number) => {
        if (typeof k !== 'string') return k;
        const ms = parseIsoDate(k);
        if (ms === undefined) bad(['knots', i], k);
        return ms ?? k;
      });
    if (isPlainMap(law.atoms)) {
      const atoms: Record<string, unknown> = Object.create(null);
      for (const [key, p] of Object.entries(law.atoms)) {
        const numeric = key.trim() !== '' && Number.isFinite(Number(key));
        const ms = numeric ? undefined : parseIsoDate(key);
        atoms[ms === undefined ? key : String(ms)] = p;
      }
      law.atoms = atoms;
    }
  }
}

/**
 * Rewrite (in place) the ISO texts among the `breaks` of every conditional parent to epoch ms. A
 * break is a number or a date, whatever its parent, so every text is read as a date: one that is
 * no date is reported once, as a date (the schema would add "expected a number").
 */
export function readDateBreaks(c: IssueCollector, raw: unknown): void {
  const tables = isPlainMap(raw) ? raw.tables : undefined;
  if (!isPlainMap(tables)) return;
  for (const [t, table] of Object.entries(tables)) {
    const columns = isPlainMap(table) ? table.columns : undefined;
    if (!isPlainMap(columns)) continue;
    for (const [name, column] of Object.entries(columns)) {
      const cond = isPlainMap(column) ? column.conditional : undefined;
      const parents = isPlainMap(cond) ? cond.parents : undefined;
      if (!Array.isArray(parents)) continue;
      parents.forEach((p: unknown, i: number) => {
        if (!isPlainMap(p) || !Array.isArray(p.breaks)) return;
        p.breaks = p.breaks.map((b: unknown, j: number) => {
          if (typeof b !== 'string') return b;
          const ms = parseIsoDate(b);
          if (ms === undefined)
            c.report(
              ['tables', t, 'columns', name, 'conditional', 'parents', i, 'breaks', j],
              'spec.bad_date',
              `break "${b}" is neither a number nor an ISO date`,
              'write e.g. 2021-03-04T10:15:00Z (a date or datetime parent) or a plain number',
              { settles: true },
            );
          return ms ?? b;
        });
      });
    }
  }
}
