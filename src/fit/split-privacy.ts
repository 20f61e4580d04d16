/**
 * The privacy check fit runs on its own training rows: rows drawn from a model fitted on one part
 * of them, judged by the DCR share between that part and the rows it never saw (evaluate's
 * privacy section: the share of drawn rows closer to the fit part than to the held-out part;
 * 0.5 = no closer to the rows it learned from). One home for the refine loop's privacy figure
 * (refine-loop.ts) and the privacy guard (privacy-guard.ts).
 */
import type { RawColumns } from '../data/infer.js';
import { type EvaluateSections, evaluate } from '../evaluate/index.js';
import { SECTION_NAMES } from '../evaluate/registry.js';
import { shuffleInPlace } from '../random/shuffle.js';
import type { Stream } from '../random/stream.js';

export type Cell = string | number | boolean | null;

/** A table of the columns judged (column-major cells). */
export interface JudgedRows {
  columns: string[];
  data: Cell[][];
  rowCount: number;
}

/** Only the named evaluate sections on. */
export function sectionsOnly(...names: string[]): EvaluateSections {
  // plain-object: fixed keys (section names)
  return Object.fromEntries(SECTION_NAMES.map((s) => [s, names.includes(s)])) as EvaluateSections;
}

/** The rows of `raw` at `rows`, every column. */
export function rowSubset(raw: RawColumns, rows: readonly number[]): RawColumns {
  return { ...raw, rowCount: rows.length, data: raw.data.map((col) => rows.map((i) => col[i])) };
}

/**
 * Seeded k-fold splits of n rows: for each fold, the fit part's indices (the other folds) and the
 * held-out part's (this fold).
 */
export function foldSplits(n: number, folds: number, stream: Stream): { fit: number[]; held: number[] }[] {
  const order = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(order, stream);
  return Array.from({ length: folds }, (_, f) => {
    const lo = Math.round((f * n) / folds);
    const hi = Math.round(((f + 1) * n) / folds);
    return { fit: [...order.slice(0, lo), ...order.slice(hi)], held: order.slice(lo, hi) };
  });
}

/** The judged columns of a table, in the given order (a column it lacks is left out). */
export function judgedColumns(
  t: { columns: string[]; data: readonly (readonly Cell[])[]; rowCount: number },
  columns: readonly string[],
): JudgedRows {
  const keep = columns.filter((c) => t.columns.includes(c));
  return {
    columns: keep,
    data: keep.map((c) => t.data[t.columns.indexOf(c)] as Cell[]),
    rowCount: t.rowCount,
  };
}

/**
 * DCR share of `drawn` between the fit part and the held-out part (null when evaluate cannot
 * compute it, e.g. no column in common).
 */
export async function splitDcrShare(
  drawn: JudgedRows,
  fitPart: JudgedRows,
  heldPart: JudgedRows,
  seed: number,
  signal?: AbortSignal,
): Promise<number | null> {
  const r = await evaluate({
    real: fitPart,
    synthetic: drawn,
    holdout: heldPart,
    sections: sectionsOnly('privacy'),
    seed,
    bootstrapReps: 10,
    signal,
  });
  const v = r.summary.dcr_share;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
