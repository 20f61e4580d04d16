/**
 * The length of a child's interval given the room its parent's interval leaves: `end = start +
 * length`, the length law conditional on `room = C − start` for a context time C after the start
 * (`parent.dischtime` for an ICU stay's `outtime`), binned at quantiles of the real rooms.
 *
 * A child interval (an ICU stay, `intime` → `outtime`) sits in its parent's (the admission,
 * `admittime` → `dischtime`). With one length law for every row, a stay whose admission leaves
 * little room draws its length from all stays' lengths, cut to the room by the rule that bounds
 * the end: long lengths are thrown away and the lengths come out short (a fixture of 600
 * admissions, testing/nested-intervals.ts: KS distance 0.21 between generated and real stay lengths). Given the room, a short
 * admission draws from the real stays of short admissions, and the cut rarely bites.
 *
 * The room's end (among the context times after the start on every row) and the number of bins
 * (1 = one length law) are chosen by held-out log-likelihood: every 5th parent's rows held out,
 * each held-out length scored as the mass of its grid cell under its bin's law truncated to the
 * window the rules leave ([0, room] when a rule bounds the end by C, else [0, ∞)).
 *
 * Tried and not kept: the length as a share of the room (`end = start + (C − start) × share`).
 * It wins held out (MIMIC-III demo ICU stays: −13.39 nats per stay against −13.98 for one length
 * law; it puts mass on stays ending at discharge), but a share drawn apart from the room misplaces
 * the tails: generated `los` 1 − TVD against real 0.745–0.762 over seeds 7–9 (the length law:
 * 0.926 at seed 7; main 0.775–0.790), 5% of stays under 0.19 days (real 0.65).
 * Pure functions.
 */

import type { Column, Dist } from '../spec/schema.js';
import { withoutMechanism } from './column-shell.js';
import { quoteName } from './invariants.js';
import { binOf, quantileCuts } from './quantile-bins.js';
import { asEmpirical, type EndCandidate, roundBreaks } from './room-gaps.js';

export interface IntervalInput {
  /** Start and end of each row's interval (ms), in the fit's row order. */
  start: Float64Array;
  end: Float64Array;
  /** Parent row of each row (held-out folds are whole parents). */
  group: Int32Array;
  /** Context times the room may run to: `parent.dischtime`, … (one value per row). */
  rooms: readonly EndCandidate[];
  /** Share of rows that may break `end <= C` with C still read as a bound (the rules' own share). */
  breakShare: number;
  /** Half the width of a value's grid cell (500 ms for whole seconds). */
  half: number;
  /** Rows per bin at least (default 30). */
  minPerBin?: number;
}

export interface IntervalLaw {
  /** The room's end (`parent.dischtime`), or undefined for one length law. */
  room?: string;
  /** Whether a rule bounds the end by the room's end (the law is cut to [0, room] when drawn). */
  bounded: boolean;
  /** Cut points of the room (ms); bin k is [breaks[k−1], breaks[k]). */
  breaks: number[];
  /** Lengths per bin (all rows: what each bin's law is written from). */
  values: number[][];
  /** Held-out log-likelihood per row, by candidate (`one law`, `parent.dischtime × 3 bins`). */
  heldOut: Map<string, number>;
}

const BIN_CHOICES = [2, 3, 4, 6, 8];
const MIN_PER_BIN = 30;
/** A conditional law must gain this much per held-out row (nats) over one law to be taken. */
const MIN_GAIN = 0.005;
const FOLDS = 5;

/** A law of lengths (`lawOf` in step-laws.ts: knots and point masses, shifted from the start). */
export type LengthLaw = (lengths: number[]) => Dist;

interface Candidate {
  name: string;
  room?: EndCandidate;
  bounded: boolean;
  bins: number;
}

/**
 * The length law of `end − start`, given the room left when that scores better held out; undefined
 * when a row lacks a start or an end, or some end is not after its start.
 */
export function fitIntervalLength(input: IntervalInput, lawOf: LengthLaw): IntervalLaw | undefined {
  const { start, end, group } = input;
  const n = start.length;
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = end[i] - start[i];
    if (!(d > 0)) return undefined;
    lengths.push(d);
  }
  const minPerBin = input.minPerBin ?? MIN_PER_BIN;
  const allowed = Math.floor(input.breakShare * n);
  const candidates: Candidate[] = [{ name: 'one law', bounded: false, bins: 1 }];
  const roomsOf = new Map<string, number[]>();
  for (const c of input.rooms) {
    const room: number[] = [];
    let beyond = 0;
    for (let i = 0; i < n; i++) {
      const r = c.values[i] - start[i];
      if (!(r > 0)) break;
      room.push(r);
      if (end[i] > c.values[i]) beyond++;
    }
    if (room.length < n) continue;
    roomsOf.set(c.name, room);
    for (const bins of BIN_CHOICES)
      if (n >= bins * minPerBin * (FOLDS / (FOLDS - 1)))
        candidates.push({ name: `${c.name} × ${bins} bins`, room: c, bounded: beyond <= allowed, bins });
  }
  const heldOut = new Map<string, number>();
  let best: { c: Candidate; ll: number } | undefined;
  for (const c of candidates) {
    const room = c.room ? roomsOf.get(c.room.name)! : undefined;
    let ll = 0;
    let scored = 0;
    for (let f = 0; f < FOLDS && Number.isFinite(ll); f++) {
      const train: number[] = [];
      const test: number[] = [];
      for (let i = 0; i < n; i++) (group[i] % FOLDS === f ? test : train).push(i);
      if (train.length === 0 || test.length === 0) continue;
      const breaks =
        room && c.bins > 1
          ? quantileCuts(
              train.map((i) => room[i]),
              c.bins,
            )
          : [];
      const byBin: number[][] = Array.from({ length: breaks.length + 1 }, () => []);
      for (const i of train) byBin[room ? binOf(breaks, room[i]) : 0].push(lengths[i]);
      if (byBin.some((b) => b.length < minPerBin)) {
        ll = Number.NEGATIVE_INFINITY;
        break;
      }
      const laws = byBin.map((b) => asEmpirical(lawOf(b)));
      for (const i of test) {
        const law = laws[room ? binOf(breaks, room[i]) : 0];
        // The window the rules leave: after the start, and before C when a rule says so.
        const within = law.mass(0, c.bounded && room ? room[i] : Number.POSITIVE_INFINITY);
        const m = law.mass(lengths[i] - input.half, lengths[i] + input.half);
        ll += Math.log(Math.max(1e-12, m / Math.max(1e-12, within)));
        scored++;
      }
    }
    if (scored === 0 || !Number.isFinite(ll)) continue;
    const perRow = ll / scored;
    heldOut.set(c.name, perRow);
    if (!best || perRow > best.ll + (c.bins === 1 ? 0 : MIN_GAIN)) best = { c, ll: perRow };
  }
  if (!best) return undefined;
  const { c } = best;
  const room = c.room ? roomsOf.get(c.room.name)! : undefined;
  const breaks = room && c.bins > 1 ? quantileCuts(room, c.bins) : [];
  const byBin: number[][] = Array.from({ length: breaks.length + 1 }, () => []);
  for (let i = 0; i < n; i++) byBin[room ? binOf(breaks, room[i]) : 0].push(lengths[i]);
  return {
    ...(c.room && breaks.length > 0 ? { room: c.room.name } : {}),
    bounded: c.bounded,
    breaks,
    values: byBin,
    heldOut,
  };
}

/**
 * The end column written as `start + a length`, the length given the room when `law.room` is set:
 * `base` keeps its type and format; `lawOf` writes each bin's lengths shifted from the start.
 */
export function intervalEndColumn(
  base: Column,
  startName: string,
  law: IntervalLaw,
  lawOf: LengthLaw,
): { column: Column; given: string[]; summary: string } {
  const kept = withoutMechanism(base, true);
  const all = law.values.flat();
  const scores = [...law.heldOut].map(([k, ll]) => `${k} ${ll.toFixed(3)}`).join(', ');
  const sorted = [...all].sort((a, b) => a - b);
  const median = (sorted[Math.floor(sorted.length / 2)] / 86_400_000).toFixed(2);
  if (law.room === undefined)
    return {
      column: { ...kept, given: [startName], dist: lawOf(all) },
      given: [startName],
      summary: `${startName} + a length (median ${median} days; held-out log-likelihood per row: ${scores})`,
    };
  const given = [startName, law.room];
  const cut = law.bounded ? ` (cut to the room: a rule bounds the end by ${law.room})` : '';
  return {
    column: {
      ...kept,
      given,
      conditional: {
        parents: [
          { expr: `${quoteName(law.room)} - ${quoteName(startName)}`, breaks: roundBreaks(law.breaks) },
        ],
        rows: law.values.map((g, k) => ({ when: [String(k)], dist: lawOf(g), n: g.length })),
        default: { dist: lawOf(all) },
      },
    } as Column,
    given,
    summary: `${startName} + a length (median ${median} days) given the room left, ${law.room} − ${startName}, in ${law.values.length} bins${cut}; held-out log-likelihood per row: ${scores}`,
  };
}
