/**
 * Gaps that know the room left: the step law of a sequence's order column (the gap after the
 * previous row), conditional on the time each row still to come has, inside the parent's interval.
 *
 * A child sequence under a parent interval (events of an ICU stay, from `intime` to `outtime`) has
 * its count drawn first (given the parent), then its rows in order. With one gap law for every
 * row, a count that is large for its interval runs out of room: each gap is the law truncated to
 * the time left, so the surplus rows are squeezed onto the interval's end as ties (MIMIC-III
 * demo: 51.5% of generated events tied with the previous one, real 14.5%). Here the gap law is
 * conditional on
 *
 *     room = (end − prev.t) / (remaining + 1)
 *
 * — the time left to the parent's end, shared among this row and the `remaining` rows after it —
 * binned at quantiles of the real rooms. A crowded sequence (little room per row) draws from the
 * real gaps of crowded sequences (short gaps, ties), a sparse one from sparse ones, and each gap
 * is still a draw of real gaps (a measurement every hour stays a point mass at one hour).
 *
 * The number of bins (1 = the plain gap law) is chosen by held-out log-likelihood: every 5th
 * sequence is held out, each held-out gap scored as the mass of its grid cell under its bin's law
 * truncated to [0, end − prev.t] (the window the rules leave). Measured on the MIMIC-III demo
 * (OUTPUTEVENTS in ICU stays, 11,189 gaps; docs/relational.md "Gaps that know the room left").
 * Alternatives scored the same way there and not taken: the gap as a share of the room (gap ×
 * (remaining + 1) / (end − prev.t), one law) and as a share of the time left (gap / (end −
 * prev.t)) lose the point masses at whole hours (−4.80 and −5.62 nats per gap against −2.13 for
 * the plain law and −2.04 for 4 room bins).
 * Pure functions.
 */

import { atomsFromRecord, Empirical } from '../random/empirical.js';
import type { Dist } from '../spec/schema.js';
import { binOf, quantileCuts } from './quantile-bins.js';

/** A candidate end of the interval: a context vector (`parent.outtime`) over the sequence's positions. */
export interface EndCandidate {
  name: string;
  values: Float64Array;
}

export interface RoomInput {
  /** Order-column values in sequence order. */
  values: Float64Array;
  /**
   * Per position: the value its gap is measured from (the previous row's value; for first rows,
   * the anchor's), NaN for rows that are not scored (first rows when fitting later gaps, …).
   */
  base: Float64Array;
  /** Smallest gap the rules allow (0 after a previous row; none for a first row's offset). */
  minGap: number;
  /** Gaps per bin at least (default 100). */
  minPerBin?: number;
  /** Per position: rows after it in its sequence. */
  remaining: Int32Array;
  /** Per position: its sequence (held-out folds are whole sequences). */
  group: Int32Array;
  ends: readonly EndCandidate[];
  /** Share of rows that may lie past an end still taken as the interval's end (the rule's own). */
  breakShare: number;
  /** The end to use (a name among `ends`), when already chosen. */
  end?: string;
}

export interface RoomGaps {
  /** The end read: `parent.outtime`. */
  end: string;
  /** Cut points of the room (ms per row); bin k is [breaks[k−1], breaks[k]). */
  breaks: number[];
  /** Gaps of each bin (training and held out together: what the law is fitted on). */
  gaps: number[][];
  /** Held-out log-likelihood per gap, by number of bins tried (1 = the plain gap law). */
  heldOut: Map<number, number>;
  /** Gaps scored. */
  scored: number;
}

/** Candidate numbers of bins; more than 8 thins the bins without gain on the data tried. */
const BIN_CHOICES = [1, 2, 3, 4, 8];
/** Gaps per bin at least (each bin's law needs its own quantiles and point masses). */
const MIN_PER_BIN = 100;
/** A finer split must gain this much per held-out gap (nats) to be taken. */
const MIN_GAIN = 0.005;
const FOLDS = 5;

/**
 * The interval's end: among candidates at or above the order column on all rows but
 * `breakShare` of them (as a rule would be written), the tightest (least median room left).
 */
export function chooseEnd(input: RoomInput): EndCandidate | undefined {
  let best: { c: EndCandidate; median: number } | undefined;
  const { values } = input;
  if (input.end !== undefined) return input.ends.find((c) => c.name === input.end);
  for (const c of input.ends) {
    let n = 0;
    let above = 0;
    const left: number[] = [];
    for (let p = 0; p < values.length; p++) {
      const e = c.values[p];
      if (Number.isNaN(e) || Number.isNaN(values[p])) continue;
      n++;
      if (e >= values[p]) {
        above++;
        left.push(e - values[p]);
      }
    }
    if (n === 0 || n - above > Math.floor(input.breakShare * n) || n < values.length) continue;
    left.sort((a, b) => a - b);
    const median = left[Math.floor(left.length / 2)];
    if (!best || median < best.median) best = { c, median };
  }
  return best?.c;
}

/** The law a bin's gaps are written with (`lawOf` in step-laws.ts), read back as an Empirical. */
export type GapLaw = (gaps: number[]) => Dist;

export function asEmpirical(d: Dist): Empirical {
  const e = (d as { empirical: { knots: number[]; offsets?: Record<string, number> } }).empirical;
  return new Empirical(e.knots, atomsFromRecord(e.offsets));
}

/**
 * Fit the gap law given the room left, or undefined when no end qualifies or too few gaps. The
 * result's `breaks` is empty when the plain gap law (one bin) scores best held out.
 */
export function fitRoomGaps(input: RoomInput, lawOf: GapLaw): RoomGaps | undefined {
  const end = chooseEnd(input);
  if (!end) return undefined;
  const { values, base, remaining, group } = input;
  const minPerBin = input.minPerBin ?? MIN_PER_BIN;
  const gaps: number[] = [];
  const rooms: number[] = [];
  const lefts: number[] = [];
  const groups: number[] = [];
  let cell = Number.POSITIVE_INFINITY;
  for (let p = 0; p < values.length; p++) {
    const from = base[p];
    if (Number.isNaN(from)) continue;
    const left = end.values[p] - from;
    const gap = values[p] - from;
    if (!(left > 0) || !(gap >= input.minGap)) continue;
    gaps.push(gap);
    lefts.push(left);
    rooms.push(left / (remaining[p] + 1));
    groups.push(group[p]);
    if (gap !== 0 && Math.abs(gap) < cell) cell = Math.abs(gap);
  }
  if (gaps.length < 2 * minPerBin) return undefined;
  // Each gap is scored by the mass of its grid cell: the finest step between two real values.
  const half = Number.isFinite(cell) ? cell / 2 : 0.5;
  const heldOut = new Map<number, number>();
  let best = { bins: 1, ll: Number.NEGATIVE_INFINITY, breaks: [] as number[] };
  for (const bins of BIN_CHOICES) {
    if (gaps.length < bins * minPerBin * (FOLDS / (FOLDS - 1))) break;
    let ll = 0;
    let scored = 0;
    for (let f = 0; f < FOLDS; f++) {
      const train = gaps.map((_, i) => i).filter((i) => groups[i] % FOLDS !== f);
      const test = gaps.map((_, i) => i).filter((i) => groups[i] % FOLDS === f);
      if (train.length === 0 || test.length === 0) continue;
      const breaks =
        bins === 1
          ? []
          : quantileCuts(
              train.map((i) => rooms[i]),
              bins,
            );
      const byBin: number[][] = Array.from({ length: breaks.length + 1 }, () => []);
      for (const i of train) byBin[binOf(breaks, rooms[i])].push(gaps[i]);
      if (byBin.some((b) => b.length < minPerBin)) {
        ll = Number.NEGATIVE_INFINITY;
        break;
      }
      const laws = byBin.map((b) => asEmpirical(lawOf(b)));
      for (const i of test) {
        const law = laws[binOf(breaks, rooms[i])];
        const within = law.mass(input.minGap, lefts[i]);
        const m = law.mass(gaps[i] - half, gaps[i] + half - 1e-9);
        ll += Math.log(Math.max(1e-12, m / Math.max(1e-12, within)));
        scored++;
      }
    }
    if (scored === 0 || !Number.isFinite(ll)) continue;
    const perGap = ll / scored;
    heldOut.set(bins, perGap);
    if (perGap > best.ll + (bins === 1 ? 0 : MIN_GAIN))
      best = {
        bins,
        ll: perGap,
        breaks: bins === 1 ? [] : quantileCuts(rooms, bins),
      };
  }
  const byBin: number[][] = Array.from({ length: best.breaks.length + 1 }, () => []);
  for (let i = 0; i < gaps.length; i++) byBin[binOf(best.breaks, rooms[i])].push(gaps[i]);
  return { end: end.name, breaks: best.breaks, gaps: byBin, heldOut, scored: gaps.length };
}

/** Round room cut points to whole milliseconds (or 6 significant digits for small numbers). */
export function roundBreaks(breaks: readonly number[]): number[] {
  const out: number[] = [];
  for (const b of breaks) {
    const r = Math.abs(b) >= 1000 ? Math.round(b) : Number(b.toPrecision(6));
    if (out.length === 0 || r > out[out.length - 1]) out.push(r);
  }
  return out;
}
