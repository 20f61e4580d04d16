/**
 * Dates in a written model: the knots and point-mass keys of a date or datetime column's
 * (unshifted) empirical law as ISO text instead of epoch milliseconds, each exactly the same
 * instant when read back (spec/date-laws.ts reads both forms); so are the cut points (`breaks`) of a
 * conditional parent that is a date or datetime column. Only the written copy changes: the fitted
 * spec in memory keeps numbers.
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
    const isDate = dateParentTest(spec.tables, t);
    for (const [c, column] of Object.entries(table.columns)) {
      let out =
        isMap(column) && typeof column.type === 'string' && DATE_TYPES.has(column.type)
          ? isoColumn(column)
          : column;
      if (isMap(out)) out = isoBreaks(out, isDate);
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

/**
 * Whether a conditional parent name of table `t` is a date or datetime column: its own column, the
 * previous or first row's (`prev.x`, `first.x`), its parent table's (`parent.x`) or an ancestor's
 * (`T.x`). Expression parents (`expr:`, room gaps) have no column and keep numeric breaks.
 */
function dateParentTest(
  tables: Record<string, { columns: Record<string, unknown> }>,
  t: string,
): (name: string) => boolean {
  const typeIn = (table: string | undefined, col: string): boolean => {
    const cols = table !== undefined && Object.hasOwn(tables, table) ? tables[table].columns : undefined;
    const c = isMap(cols) && Object.hasOwn(cols, col) ? cols[col] : undefined;
    return isMap(c) && typeof c.type === 'string' && DATE_TYPES.has(c.type);
  };
  const own = tables[t] as { parent?: unknown };
  const parentTable =
    isMap(own.parent) && typeof own.parent.table === 'string' ? own.parent.table : undefined;
  return (name) => {
    if (typeIn(t, name)) return true;
    const dot = name.indexOf('.');
    if (dot <= 0) return false;
    const head = name.slice(0, dot);
    const col = name.slice(dot + 1);
    if (head === 'prev' || head === 'first') return typeIn(t, col);
    if (head === 'parent') return typeIn(parentTable, col);
    return typeIn(head, col);
  };
}

/** The column with its date parents' `breaks` as ISO text (itself when there is none). */
function isoBreaks(
  column: Record<string, unknown>,
  isDate: (name: string) => boolean,
): Record<string, unknown> {
  const cond = column.conditional;
  if (!isMap(cond) || !Array.isArray(cond.parents)) return column;
  let changed = false;
  const parents = cond.parents.map((p: unknown) => {
    if (!isMap(p) || typeof p.column !== 'string' || !Array.isArray(p.breaks) || !isDate(p.column)) return p;
    changed = true;
    // plain-object: fixed keys (a conditional parent: column, breaks)
    return { ...p, breaks: p.breaks.map((b: unknown) => (typeof b === 'number' ? (isoText(b) ?? b) : b)) };
  });
  // plain-object: fixed keys (a conditional's rows / default / parents)
  return changed ? { ...column, conditional: { ...cond, parents } } : column;
}
