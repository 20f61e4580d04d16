/**
 * A coverage plan's `real:` reference: each plan cell's share of the real rows, so `prepareCoverage`
 * can raise the cells that real data under-represents (`raiseFromReal`, docs/coverage.md "Quotas").
 *
 * `realCellShares` is pure (raw string rows → share per cell key); `readRealShares` is the I/O edge
 * (resolves the path, reads the file with `readTable`, places errors at `coverage.<table>.real`).
 */

import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { ErrorCode, StrataError } from '../errors.js';
import { type RawTable, readTable, specNaValues } from '../io/index.js';
import { didYouMean } from '../io/suggest.js';
import { pathError } from '../model/context.js';
import { parseIsoDate, type Value } from '../model/values.js';
import type { Column, CoveragePlan } from '../spec/schema.js';
import { compilePlan } from './plan.js';

/** Spec path -> placed error (same shape as `CoverageOptions.error`). */
export type PlacedError = (
  path: (string | number)[],
  code: ErrorCode,
  message: string,
  hint?: string,
) => StrataError;

export interface RealShares {
  /** The file read (resolved path). */
  source: string;
  /** Real rows read (the denominator of every share). */
  rows: number;
  /** Plan cell key -> real count / real rows (cells no real row falls in: 0). */
  shares: ReadonlyMap<string, number>;
}

const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);

/** A raw field as the engine holds it for a column of this type (numbers, epoch ms, booleans). */
export function rawValue(col: Column | undefined, s: string | null): Value {
  if (s === null) return null;
  switch (col?.type) {
    case 'integer':
    case 'number': {
      const x = s.trim() === '' ? Number.NaN : Number(s);
      return Number.isFinite(x) ? x : null;
    }
    case 'datetime':
    case 'date': {
      const ms = parseIsoDate(s);
      if (ms !== undefined) return ms;
      const x = Number(s);
      return s.trim() !== '' && Number.isFinite(x) ? x : null;
    }
    case 'boolean': {
      const l = s.trim().toLowerCase();
      return TRUE.has(l) ? true : FALSE.has(l) ? false : null;
    }
    default:
      return s;
  }
}

/**
 * Each plan cell's share of the real rows: count of rows whose axis labels name the cell, over all
 * real rows (rows outside every cell — missing labels, forbidden cells — stay in the denominator, as
 * the model's P(cell) is a share of all rows). Columns are matched by name; an axis column the file
 * lacks is an error at `coverage.<table>.real` naming the column, with a did-you-mean.
 */
export function realCellShares(
  plan: CoveragePlan,
  columns: Record<string, Column>,
  raw: RawTable,
  opts: { table: string; error?: PlacedError },
): RealShares {
  const err = opts.error ?? pathError;
  const names = Object.keys(columns);
  const columnIndex = new Map(names.map((n, i) => [n, i] as [string, number]));
  const compiled = compilePlan(plan, columns, { table: opts.table, columnIndex, error: err });
  const refs = [...new Set(compiled.axes.flatMap((a) => a.refs))].filter((r) => columnIndex.has(r));
  const sources = refs.map((name) => {
    const at = raw.columns.indexOf(name);
    if (at < 0) {
      // Columns that other axes read are not candidates (they are matched already).
      const guess = didYouMean(
        name,
        raw.columns.filter((c) => !refs.includes(c)),
      );
      throw err(
        ['coverage', opts.table, 'real'],
        'coverage.real_unknown_column',
        `the real data ${raw.source} has no column "${name}" (the coverage axes read it)${guess ? ` — did you mean "${guess}"?` : ''}`,
        `its columns are: ${raw.columns.join(', ')}; rename the column in the file or point real: at data with the axis columns`,
      );
    }
    return { target: columnIndex.get(name)!, data: raw.data[at], col: columns[name] };
  });
  const counts = new Map<string, number>();
  const row: Value[] = new Array(names.length).fill(null);
  for (let i = 0; i < raw.rowCount; i++) {
    for (const s of sources) row[s.target] = rawValue(s.col, s.data[i]);
    const cell = compiled.cellOf(row);
    if (cell) counts.set(cell.key, (counts.get(cell.key) ?? 0) + 1);
  }
  const shares = new Map<string, number>();
  for (const c of compiled.cells)
    shares.set(c.key, raw.rowCount > 0 ? (counts.get(c.key) ?? 0) / raw.rowCount : 0);
  return { source: raw.source, rows: raw.rowCount, shares };
}

/**
 * Read a plan's `real:` file and compute its cell shares. A relative path is resolved against
 * `baseDir` (the spec file's directory; the caller passes the current directory when there is no
 * spec file). A missing file is an error at `coverage.<table>.real` naming the resolved path.
 */
export async function readRealShares(
  plan: CoveragePlan & { real: string },
  columns: Record<string, Column>,
  opts: { table: string; baseDir: string; error?: PlacedError },
): Promise<RealShares> {
  const err = opts.error ?? pathError;
  const path = isAbsolute(plan.real) ? plan.real : resolve(opts.baseDir, plan.real);
  const isFile = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) {
    throw err(
      ['coverage', opts.table, 'real'],
      'coverage.real_missing',
      `the real data file "${plan.real}" does not exist (looked for ${path})`,
      `a relative real: path is read from ${opts.baseDir}; fix the path, or remove real: to use the quotas as written`,
    );
  }
  const raw = await readTable(path, { columnNaValues: specNaValues({ columns }) });
  return realCellShares(plan, columns, raw, { table: opts.table, error: err });
}
