/**
 * Step laws of a sequence column: how a row's value follows from the previous row's.
 *
 * A column that moves step by step (event times, a panel's year, a bill carried month to month)
 * is blurred by a table on binned previous values. Here the first row of a sequence and the others
 * get laws of their own, in the spec's "parent + residual" form (`shift`, `offsets`,
 * `continuous: offset`, `slope`), chosen by `index` (0 = the first row):
 *  - first row: an offset from an anchor (`parent.intime`: the first event relative to the parent's
 *    time) — the anchor whose offsets spread least — or, without one, the first rows' own values;
 *  - later rows: `slope × prev.x + residual`. For the order column slope is 1 (the gap between
 *    events; gaps are never negative since the rows are sorted); for other numeric columns slope is
 *    the least-squares AR(1) coefficient, so lag-1 autocorrelation and step changes are kept.
 * Frequent exact steps (a measurement every hour, a year after year) become point masses.
 * Pure functions.
 */

import type { InferredColumn } from '../data/infer.js';
import { nameMap } from '../names.js';
import type { Column, Dist } from '../spec/schema.js';
import { withoutMechanism } from './column-shell.js';
import { empiricalFromValues, frequentValues, type Granularity } from './empirical.js';
import { quoteName } from './invariants.js';
import { fitRoomGaps, type RoomGaps, type RoomInput, roundBreaks } from './room-gaps.js';

export interface StepInput {
  /** The column (its name in `prev.x`). */
  name: string;
  info: InferredColumn;
  /** Values in sequence order (NaN = missing). */
  values: Float64Array;
  /** Position of the previous row of the same sequence, or -1 on a first row. */
  prev: Int32Array;
  /** Candidate anchors of the first row: context vectors over the same positions. */
  anchors: readonly { name: string; values: Float64Array }[];
  /** 'order': slope 1, steps ≥ 0; 'ar': least-squares slope. */
  mode: 'order' | 'ar';
  minCount: number;
  /**
   * Order column under a parent interval: the gap law may be conditional on the room left
   * (room-gaps.ts), the interval's end one of `ends`.
   */
  room?: Omit<RoomInput, 'values' | 'base' | 'minGap' | 'minPerBin'>;
}

export interface StepLaw {
  column: Column;
  given: string[];
  summary: string;
  slope: number;
  /** Rank (Pearson on values) correlation of the value with the previous one. */
  lag1: number;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

function iqr(xs: number[]): number {
  if (xs.length === 0) return Number.POSITIVE_INFINITY;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(0.75 * (s.length - 1))] - s[Math.floor(0.25 * (s.length - 1))];
}

function granularity(info: InferredColumn, xs: readonly number[]): Granularity {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const width =
    info.kind === 'integer'
      ? 1
      : info.kind === 'number'
        ? 10 ** -(info.decimals ?? 0)
        : info.kind === 'date'
          ? 86_400_000
          : 0;
  return { width, anchor: 'centre', lo, hi };
}

/** An empirical law of `xs` (offsets from `shift` when given, point masses for frequent values). */
export function lawOf(xs: number[], info: InferredColumn, minCount: number, shift?: string, slope = 1): Dist {
  const digits =
    info.kind === 'number' ? Math.min(12, (info.decimals ?? 0) + 3) : info.kind === 'integer' ? 3 : 0;
  const atomSet = frequentValues(xs, 0.01, minCount, 50);
  const g = granularity(info, xs);
  // Residuals of a slope ≠ 1 are off the column's grid: spreading them over its width (dequantising)
  // would reorder them (an integer bill's steps 2.76, 2.759 came out as decreasing knots).
  if (slope !== 1) g.width = 0;
  const m = empiricalFromValues(xs, atomSet, g);
  let knots = (m.knots ?? [...atomSet].slice(0, 1)).map((k) => round(k, digits));
  if (knots.length === 0) knots = [0];
  if (knots.length < 2) knots = [knots[0], knots[0]];
  const masses: Record<string, number> = nameMap();
  for (const [a, p] of [...m.atoms].sort((x, y) => x[0] - y[0])) {
    const q = Math.floor(p * 1e6) / 1e6;
    if (q > 0) masses[String(a)] = q;
  }
  const any = Object.keys(masses).length > 0;
  if (shift === undefined) return { empirical: { knots, ...(any ? { atoms: masses } : {}) } };
  return {
    empirical: {
      knots,
      shift,
      ...(any ? { offsets: masses } : {}),
      continuous: 'offset',
      ...(slope !== 1 ? { slope: round(slope, 6) } : {}),
    },
  } as Dist;
}

/** Pearson correlation of paired values. */
function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  if (n < 3) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/**
 * The step law of a column, or undefined when it cannot have one (missing values, too few steps).
 * `base` is the column as the single-table learner wrote it (its type, format and bounds are kept).
 */
export function fitStepLaw(input: StepInput, base: Column): StepLaw | undefined {
  const { values, prev, name, info } = input;
  const firsts: number[] = [];
  const cur: number[] = [];
  const before: number[] = [];
  for (let p = 0; p < values.length; p++) {
    const x = values[p];
    if (Number.isNaN(x)) return undefined;
    if (prev[p] < 0) firsts.push(p);
    else {
      cur.push(x);
      before.push(values[prev[p]]);
    }
  }
  if (cur.length < 10 || firsts.length < 2) return undefined;
  const lag1 = correlation(before, cur);
  let slope = 1;
  if (input.mode === 'ar') {
    let mb = 0;
    let mc = 0;
    for (let i = 0; i < cur.length; i++) {
      mb += before[i];
      mc += cur[i];
    }
    mb /= cur.length;
    mc /= cur.length;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < cur.length; i++) {
      sxy += (before[i] - mb) * (cur[i] - mc);
      sxx += (before[i] - mb) ** 2;
    }
    slope = sxx > 0 ? sxy / sxx : 1;
    // A slope near 1 is a random walk: written as 1, so steps (not levels) are what is learned.
    if (Math.abs(slope - 1) < 0.02) slope = 1;
  }
  const residuals = cur.map((c, i) => c - slope * before[i]);
  // First rows: the anchor whose offsets spread least, if it spreads less than the values themselves.
  const firstValues = firsts.map((p) => values[p]);
  let anchor: { name: string; offsets: number[] } | undefined;
  let spread = iqr(firstValues);
  for (const a of input.anchors) {
    const offsets = firsts.map((p) => values[p] - a.values[p]);
    if (offsets.some((o) => Number.isNaN(o))) continue;
    const s = iqr(offsets);
    if (s < spread) {
      spread = s;
      anchor = { name: a.name, offsets };
    }
  }
  const firstDist = anchor
    ? lawOf(anchor.offsets, info, input.minCount, anchor.name)
    : lawOf(firstValues, info, input.minCount);
  const stepDist = lawOf(residuals, info, input.minCount, `prev.${name}`, slope);
  const kept = withoutMechanism(base);
  const room: RoomGaps | undefined =
    input.mode === 'order' && input.room
      ? fitRoomGaps(
          {
            values,
            base: Float64Array.from(prev, (q) => (q < 0 ? Number.NaN : values[q])),
            minGap: 0,
            ...input.room,
          },
          (gaps) => lawOf(gaps, info, input.minCount, `prev.${name}`),
        )
      : undefined;
  const byRoom = room !== undefined && room.breaks.length > 0 ? room : undefined;
  // The first row's offset from its anchor given the room too (its own bins, fewer rows): a late
  // first event in a short interval leaves the rest no room.
  const anchorValues = anchor ? input.anchors.find((a) => a.name === anchor!.name)!.values : undefined;
  const firstRoom: RoomGaps | undefined =
    byRoom && anchor && anchorValues && input.room
      ? fitRoomGaps(
          {
            values,
            base: Float64Array.from(prev, (q, p) => (q < 0 ? anchorValues[p] : Number.NaN)),
            minGap: Number.NEGATIVE_INFINITY,
            minPerBin: 30,
            ...input.room,
            end: byRoom.end,
          },
          (offsets) => lawOf(offsets, info, input.minCount, anchor!.name),
        )
      : undefined;
  const byFirstRoom = firstRoom !== undefined && firstRoom.breaks.length > 0 ? firstRoom : undefined;
  const given = [
    'index',
    ...(anchor ? [anchor.name] : []),
    `prev.${name}`,
    ...(byRoom ? [byRoom.end, 'remaining'] : []),
  ];
  const column: Column = byRoom
    ? {
        ...kept,
        given,
        conditional: {
          parents: [
            { column: 'index' },
            {
              expr: `(${quoteName(byRoom.end)} - ${quoteName(`prev.${name}`)}) / (remaining + 1)`,
              breaks: roundBreaks(byRoom.breaks),
            },
            ...(byFirstRoom && anchor
              ? [
                  {
                    expr: `(${quoteName(byRoom.end)} - ${quoteName(anchor.name)}) / (remaining + 1)`,
                    breaks: roundBreaks(byFirstRoom.breaks),
                  },
                ]
              : []),
          ],
          rows: [
            ...(byFirstRoom && anchor
              ? byFirstRoom.gaps.map((g, k) => ({
                  when: ['0', '*', String(k)],
                  dist: lawOf(g, info, input.minCount, anchor.name),
                  n: g.length,
                }))
              : []),
            { when: byFirstRoom ? ['0', '*', '*'] : ['0', '*'], dist: firstDist, n: firsts.length },
            ...byRoom.gaps.map((g, k) => ({
              when: byFirstRoom ? ['*', String(k), '*'] : ['*', String(k)],
              dist: lawOf(g, info, input.minCount, `prev.${name}`),
              n: g.length,
            })),
          ],
          default: { dist: stepDist },
        },
      }
    : {
        ...kept,
        given,
        conditional: {
          parents: [{ column: 'index' }],
          rows: [{ when: ['0'], dist: firstDist, n: firsts.length }],
          default: { dist: stepDist },
        },
      };
  const scores = (r: RoomGaps) =>
    [...r.heldOut].map(([b, ll]) => `${b} bin${b === 1 ? '' : 's'} ${ll.toFixed(3)}`).join(', ');
  const roomNote = byRoom
    ? `; the gap given the room left, (${byRoom.end} − prev.${name}) / (remaining + 1), in ${byRoom.gaps.length} bins (held-out log-likelihood per gap ${scores(byRoom)})${byFirstRoom ? `; the first row's offset given (${byRoom.end} − ${anchor?.name}) / (remaining + 1) in ${byFirstRoom.gaps.length} bins (${scores(byFirstRoom)})` : firstRoom ? `; first row's offset: one law (${scores(firstRoom)})` : ''}`
    : room
      ? `; one gap law (room bins scored held out: ${[...room.heldOut].map(([b, ll]) => `${b}: ${ll.toFixed(3)}`).join(', ')})`
      : '';
  const what =
    input.mode === 'order'
      ? `first row ${anchor ? `= ${anchor.name} + an offset` : 'from the first rows’ values'}; then prev.${name} + a gap ≥ 0 (${cur.length} gaps)${roomNote}`
      : `first row ${anchor ? `= ${anchor.name} + an offset` : 'from the first rows’ values'}; then ${slope === 1 ? '' : `${round(slope, 3)} × `}prev.${name} + a step (lag-1 correlation ${lag1.toFixed(2)}, ${cur.length} steps)`;
  return { column, given, summary: what, slope, lag1 };
}

/**
 * A time column of a child table tied to the row's time context: value = anchor + offset, the
 * anchor (`admittime`, `parent.intime`) the one whose offsets spread least, if they spread less
 * than half as much as the values. A child's times drawn from the real table's absolute dates
 * land outside the windows their rules leave once the parent's dates are generated (an ED exit
 * in 2104 for an admission in 2202); tied to an anchor they move with it. Missing values keep
 * the column's rate. Undefined when no anchor qualifies.
 */
export function fitAnchoredTime(
  info: InferredColumn,
  values: Float64Array,
  anchors: readonly { name: string; values: Float64Array }[],
  minCount: number,
  base: Column,
): { column: Column; anchor: string; summary: string } | undefined {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) present.push(i);
  if (present.length < 10) return undefined;
  const own = iqr(present.map((i) => values[i]));
  let best: { name: string; offsets: number[]; spread: number } | undefined;
  for (const a of anchors) {
    if (present.some((i) => Number.isNaN(a.values[i]))) continue;
    const offsets = present.map((i) => values[i] - a.values[i]);
    const spread = iqr(offsets);
    if (spread < 0.5 * own && (!best || spread < best.spread)) best = { name: a.name, offsets, spread };
  }
  if (!best) return undefined;
  const missing = 1 - present.length / values.length;
  const kept = withoutMechanism(base, true);
  const column: Column = {
    ...kept,
    given: [best.name],
    dist: lawOf(best.offsets, info, minCount, best.name),
    ...(missing > 0 ? { missing: round(missing, 6) } : {}),
  };
  return {
    column,
    anchor: best.name,
    summary: `${best.name} + an offset (middle half of offsets within ${formatSpan(best.spread)}, of values ${formatSpan(own)})${missing > 0 ? `; ${(100 * missing).toFixed(0)}% missing` : ''}`,
  };
}

function formatSpan(ms: number): string {
  const h = ms / 3_600_000;
  return h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} days`;
}
