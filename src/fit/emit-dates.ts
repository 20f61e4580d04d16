/**
 * Dates in a written model: the knots and point-mass keys of a date or datetime column's
 * (unshifted) empirical law as ISO text instead of epoch milliseconds, each exactly the same
 * instant when read back (spec/date-laws.ts reads both forms). Only the written copy changes: the
 * fitted spec in memory keeps numbers.
 */
import { isoText } from '../spec/dates.js';

const DATE_TYPES = new Set(['date', 'datetime']);

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of `spec` whose date columns' laws carry ISO dates (other parts shared, unchanged). */
export function withIsoDates<S extends { tables: Record<string, { columns: Record<string, unknown> }> }>(
  spec: S,
): S {
  if (!isMap(spec.tables)) return spec;
  let changed = false;
  const tables: Record<string, unknown> = Object.create(null);
  for (const [t, table] of Object.entries(spec.tables)) {
    const columns: Record<string, unknown> = Object.create(null);
    for (const [c, column] of Object.entries(table.columns)) {
      const out =
        isMap(column) && typeof column.type === 'string' && DATE_TYPES.has(column.type)
          ? isoColumn(column)
          : column;
      if (out !== column) changed = true;
      columns[c] = out;
    }
    tables[t] = { ...table, columns };
  }
  return changed ? { ...spec, tables } : spec;
}

function isoColumn(column: Record<string, unknown>): Record<string, unknown> {
  const out = { ...column };
  if (column.dist !== undefined) out.dist = isoDist(column.dist);
  const cond = column.conditional;
  if (isMap(cond)) {
    // plain-object: fixed keys (a conditional's rows / default / parents)
    const c2: Record<string, unknown> = { ...cond };
    if (Array.isArray(cond.rows))
      c2.rows = cond.rows.map((r: unknown) =>
        isMap(r) && r.dist !== undefined ? { ...r, dist: isoDist(r.dist) } : r,
      );
    if (isMap(cond.default) && cond.default.dist !== undefined)
      c2.default = { ...cond.default, dist: isoDist(cond.default.dist) };
    out.conditional = c2;
  }
  return out;
}

function isoDist(dist: unknown): unknown {
  const law = isMap(dist) ? dist.empirical : undefined;
  if (!isMap(law) || law.shift !== undefined) return dist;
  // plain-object: fixed keys (the empirical law's parameters)
  const out: Record<string, unknown> = { ...law };
  if (Array.isArray(law.knots))
    out.knots = law.knots.map((k: unknown) => (typeof k === 'number' ? (isoText(k) ?? k) : k));
  if (isMap(law.atoms)) {
    const atoms: Record<string, unknown> = Object.create(null);
    for (const [key, p] of Object.entries(law.atoms)) atoms[isoText(Number(key)) ?? key] = p;
    out.atoms = atoms;
  }
  return { empirical: out };
}
