/**
 * A tail's region: its `when:` parsed to one numeric column and an interval [lo, hi), thresholds
 * resolved against the model (`quantile(col, p)`), and — with `extrapolate: true` — the fitted
 * peaks-over-threshold tail and the cap extrapolated values stay under.
 */
import { StrataError } from '../errors.js';
import { compileExpression, parseExpression } from '../expr/index.js';
import { nextUp, type TableModel } from '../model/compile.js';
import type { Tail } from '../spec/schema.js';
import { type GpdTail, gpdQuantileOfSurvival, makeGpd } from './tail.js';

/**
 * Extrapolated values stay below the POT model's quantile at 1 − EXTRAPOLATION_TAIL: the value
 * that P(X > cap) = 1e-4 under the model extended by the fitted GPD (never below the model's own
 * maximum). A heavy fitted tail (ξ near its 0.9 clamp) otherwise gave values 38.6× the real maximum.
 */
export const EXTRAPOLATION_TAIL = 1e-4;

/** What a worker needs to rebuild a resolved tail without re-solving its quantiles (numbers only). */
export interface TailResolution {
  index: number;
  column: number;
  lo: number;
  hi: number;
  /** The model's largest value (extrapolating tails; NaN when not needed). */
  observedMax: number;
  /** Extrapolating tails: the model's 1 − 1e-6 quantile (the parents of rows beyond the data are those of rows above it). */
  top?: number;
  gpd?: { threshold: number; exceed: number; sigma: number; xi: number };
  /** Extrapolation cap (with `gpd`): rows are drawn in [lo, min(hi, cap)). */
  cap?: number;
}

export interface ResolvedTail extends TailResolution {
  spec: Tail;
  gpd?: GpdTail;
}

/** Parse a tail condition: one numeric column against constants (`x > e`, `x >= e and x < f`). */
export function parseTailRegion(
  t: Tail,
  model: TableModel,
  quantile: (col: string, p: number) => number,
  err: (m: string) => StrataError,
): { column: number; lo: number; hi: number } {
  const idx = new Map(model.columns.map((c, i) => [c.name, i] as [string, number]));
  let column: number | undefined;
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  const visit = (e: ReturnType<typeof parseExpression>): void => {
    if (e.kind === 'binary' && e.op === 'and') {
      visit(e.left);
      visit(e.right);
      return;
    }
    if (e.kind !== 'binary' || !['<', '<=', '>', '>='].includes(e.op)) {
      throw err('a tail condition is comparisons of one numeric column with constants, joined by and');
    }
    let op = e.op;
    let colE = e.left;
    let other = e.right;
    if (colE.kind !== 'ident') {
      colE = e.right;
      other = e.left;
      op = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const)[op as '<'];
    }
    if (colE.kind !== 'ident') throw err('one side of each comparison must be a column');
    const c = idx.get(colE.name);
    if (c === undefined) throw err(`unknown column "${colE.name}"`);
    if (column !== undefined && column !== c) throw err('a tail condition reads one column only');
    column = c;
    let v: number;
    try {
      const ce = compileExpression(other, { columns: new Map(), quantile });
      v = Number(ce.evaluate([]));
    } catch (e) {
      if (e instanceof StrataError && e.code.startsWith('model.')) throw e;
      throw err(
        `the bound must be a constant or quantile(col, p): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (!Number.isFinite(v)) throw err('the bound is not a finite number');
    if (op === '>') lo = Math.max(lo, nextUp(v));
    else if (op === '>=') lo = Math.max(lo, v);
    else if (op === '<') hi = Math.min(hi, v);
    else hi = Math.min(hi, nextUp(v));
  };
  visit(parseExpression(t.when));
  return { column: column!, lo, hi };
}

/** The cap of a fitted tail: P(X > cap) = EXTRAPOLATION_TAIL under the POT-extended model. */
export function extrapolationCap(gpd: GpdTail, observedMax: number): number {
  const s = EXTRAPOLATION_TAIL / gpd.exceed;
  const q = s < 1 ? gpd.threshold + gpdQuantileOfSurvival(gpd.sigma, gpd.xi, s) : gpd.threshold;
  return Math.max(observedMax, q);
}

/** Rebuild a resolved tail from its numbers (in a worker, or after resolving). */
export function restoreTail(spec: Tail, r: TailResolution, integer: boolean): ResolvedTail {
  const g = r.gpd;
  return { ...r, spec, gpd: g ? makeGpd(g.threshold, g.exceed, g.sigma, g.xi, integer) : undefined };
}
