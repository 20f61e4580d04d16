/**
 * The output grid of a numeric column: the values it can be written as. An integer is written in
 * whole numbers, a `number` to its decimals, a datetime at its format's finest unit (`iso` and
 * `epoch_ms`: milliseconds; `epoch_s`: seconds; a pattern ending in `ss`: seconds, in `DD`: days,
 * in `MM`: months …), a date in days (or coarser, by its format).
 *
 * The engine draws on this grid (issue 14): a column's truncation bounds are moved onto grid points
 * (a lower bound up, an upper bound down, a strict bound one grid step further) and its draw is put
 * on a grid point inside them, so the value the rules were checked on is the value written. Before,
 * `intime < parent.dischtime` held on the drawn milliseconds but a draw 0.4 s below the bound was
 * written as the same second (6 of the 7 order relations broken on the MIMIC-III demo).
 *
 * Writers map a value onto the grid in one of two ways, and the engine does the same: `floor`
 * (datetime patterns and `date` truncate: 12:00:00.9 is written 12:00:00) or `round` (`epoch_s`,
 * integers, `number` decimals). A value already on the grid is written as it is.
 */
import type { Column } from '../spec/schema.js';

const DAY_MS = 86_400_000;

export interface Grid {
  /** How the writer maps a value onto the grid (and the engine with it). */
  readonly mode: 'floor' | 'round';
  /** The grid point the value is written as. */
  snap(x: number): number;
  /** The smallest grid point ≥ x (> x when strict). */
  atLeast(x: number, strict: boolean): number;
  /** The largest grid point ≤ x (< x when strict). */
  atMost(x: number, strict: boolean): number;
  /** The next grid point above grid point p (the cell [p, next(p)) is written as p in floor mode). */
  next(p: number): number;
}

/** Beyond 2^52 grid steps from 0 neighbouring grid points are no longer distinct doubles. */
const MAX_INDEX = 2 ** 52;

/**
 * A grid of equal steps: `k × step`, or `k / scale` for decimals (so a value prints as the
 * shortest decimal). Bounds are moved by comparing the grid value itself with the bound, so float
 * error (0.29 × 100 = 28.999…) never moves a bound a step too far or leaves it short.
 */
function uniformGrid(step: number, mode: Grid['mode'], scale = 1): Grid {
  // Decimals are kept as k / scale (a power of ten), which prints as the shortest decimal.
  const at = (k: number) => (scale === 1 ? k * step : k / scale);
  const index = (x: number) => (scale === 1 ? x / step : x * scale);
  const snapIndex =
    mode === 'floor' ? (x: number) => Math.floor(index(x)) : (x: number) => Math.round(index(x));
  return {
    mode,
    snap: (x) => {
      if (!(Math.abs(index(x)) < MAX_INDEX)) return x;
      const v = at(snapIndex(x));
      return Object.is(v, -0) ? 0 : v;
    },
    atLeast: (x, strict) => {
      if (!(Math.abs(index(x)) < MAX_INDEX)) return x;
      let k = Math.ceil(index(x) - 1e-9);
      // Re-check on the value: the bound is compared with the written value, not with k.
      while (strict ? !(at(k) > x) : !(at(k) >= x)) k++;
      while (strict ? at(k - 1) > x : at(k - 1) >= x) k--;
      const v = at(k);
      return Object.is(v, -0) ? 0 : v;
    },
    atMost: (x, strict) => {
      if (!(Math.abs(index(x)) < MAX_INDEX)) return x;
      let k = Math.floor(index(x) + 1e-9);
      while (strict ? !(at(k) < x) : !(at(k) <= x)) k--;
      while (strict ? at(k + 1) < x : at(k + 1) <= x) k++;
      const v = at(k);
      return Object.is(v, -0) ? 0 : v;
    },
    next: (p) => at(Math.round(index(p)) + 1),
  };
}

/** Calendar months (`months` = 1) or years (12), UTC: not equal steps. */
function calendarGrid(months: number): Grid {
  const ok = (x: number) => Number.isFinite(x) && Math.abs(x) < 8.6e15;
  const floor = (x: number) => {
    const d = new Date(x);
    const m = d.getUTCFullYear() * 12 + d.getUTCMonth();
    const k = Math.floor(m / months) * months;
    return Date.UTC(Math.floor(k / 12), ((k % 12) + 12) % 12, 1);
  };
  const next = (p: number) => {
    if (!ok(p)) return p;
    const d = new Date(p);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
  };
  const prev = (p: number) => {
    const d = new Date(p);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1);
  };
  return {
    mode: 'floor',
    snap: (x) => (ok(x) ? floor(x) : x),
    atLeast: (x, strict) => {
      if (!ok(x)) return x;
      const f = floor(x);
      return f > x || (f === x && !strict) ? f : next(f);
    },
    atMost: (x, strict) => {
      if (!ok(x)) return x;
      const f = floor(x);
      return f < x || !strict ? f : prev(f);
    },
    next,
  };
}

const MS = uniformGrid(1, 'round');
const SECONDS_ROUND = uniformGrid(1000, 'round');
const STEPS = new Map<string, Grid>([
  ['SSS', uniformGrid(1, 'floor')],
  ['ss', uniformGrid(1000, 'floor')],
  ['mm', uniformGrid(60_000, 'floor')],
  ['HH', uniformGrid(3_600_000, 'floor')],
  ['DD', uniformGrid(DAY_MS, 'floor')],
  ['MM', calendarGrid(1)],
  ['YYYY', calendarGrid(12)],
]);
const INTEGER = uniformGrid(1, 'round');
const decimalGrids = new Map<number, Grid>();

/** The grid a datetime format writes on (`iso` and `epoch_ms`: ms, rounded). */
function formatGrid(format: string): Grid {
  if (format === 'iso' || format === 'epoch_ms') return MS;
  if (format === 'epoch_s') return SECONDS_ROUND;
  if (format === 'date') return STEPS.get('DD')!;
  // A pattern: its finest token (formatDate's tokens).
  for (const tok of ['SSS', 'ss', 'mm', 'HH', 'DD', 'MM', 'YYYY'])
    if (format.includes(tok)) return STEPS.get(tok)!;
  return MS;
}

/** The output grid of a column, or undefined for columns that are not numbers, dates or times. */
export function gridOf(col: Pick<Column, 'type' | 'format' | 'decimals'>): Grid | undefined {
  switch (col.type) {
    case 'integer':
      return INTEGER;
    case 'number': {
      const dec = col.decimals ?? 2;
      // roundTo keeps values past 15 decimals as they are: no grid.
      if (!Number.isInteger(dec) || dec < 0 || dec >= 15) return undefined;
      let g = decimalGrids.get(dec);
      if (!g) {
        g = uniformGrid(10 ** -dec, 'round', 10 ** dec);
        decimalGrids.set(dec, g);
      }
      return g;
    }
    case 'datetime':
      return formatGrid(col.format ?? 'iso');
    case 'date': {
      // Dates are whole days; a month or year pattern writes coarser.
      const g = formatGrid(col.format ?? 'date');
      return g === STEPS.get('MM') || g === STEPS.get('YYYY') ? g : STEPS.get('DD');
    }
    default:
      return undefined;
  }
}
