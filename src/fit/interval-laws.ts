/**
 * The length of a child's interval given the room its parent's interval leaves: `end = start +
 * length`, the length law conditional on `room = C − start` for a context time C after the start
 * (`parent.dischtime` for an ICU stay's `outtime`), binned at quantiles of the real rooms.
 *
 * A child interval (an ICU stay, `intime` → `outtime`) sits in its parent's (the admission,
 * `admittime` → `dischtime`). With one length law for every row, a stay whose admission leaves
 * little room draws its length from all stays' lengths, cut to the room by the rule that bounds
 * the end: long lengths are thrown away and the lengths come out short (a fixture of 600
 * admissions: KS distance 0.20 between generated and real stay lengths). Given the room, a short
 * admission draws from the real stays of short admissions, and the cut rarely bites.
 *
 * The room's end (among the context times after the start on every row) and the number of bins
 * (1 = one length law) are chosen by held-out log-likelihood: every 5th parent's rows held out,
 * each held-out length scored as the mass of its grid cell under its bin's law truncated to the
 * window the rules leave ([0, room] when a rule bounds the end by C, else [0, ∞)).
 * Pure functions.
 */

import type { Column, Dist } from '../spec/schema.js';
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
  /**
   * Whether the length is written as a share of the room (`end = start + room × share`): then
   * `values` are shares, else lengths.
   */
  share: boolean;
  /** Lengths (or shares) per bin (all rows: what each bin's law is written from). */
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
  share: boolean;
}

/**
 * The length law of `end − start`, given the room left when that scores better held out; undefined
 * when a row lacks a start or an end, or some end is not after its start.
 */
export function fitIntervalLength(
  input: IntervalInput,
  lawOf: LengthLaw,
  shareLaw: LengthLaw,
): IntervalLaw | undefined {
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
  const candidates: Candidate[] = [{ name: 'one law', bounded: false, bins: 1, share: false }];
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
    const bounded = beyond <= allowed;
    candidates.push({ name: `share of ${c.name}`, room: c, bounded, bins: 1, share: true });
    for (const bins of BIN_CHOICES)
      if (n >= bins * minPerBin * (FOLDS / (FOLDS - 1)))
        for (const share of [false, true])
          candidates.push({
            name: `${share ? 'share of ' : ''}${c.name} × ${bins} bins`,
            room: c,
            bounded,
            bins,
            share,
          });
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
      const value = (i: number) => (c.share && room ? lengths[i] / room[i] : lengths[i]);
      for (const i of train) byBin[room ? binOf(breaks, room[i]) : 0].push(value(i));
      if (byBin.some((b) => b.length < minPerBin)) {
        ll = Number.NEGATIVE_INFINITY;
        break;
      }
      const laws = byBin.map((b) => asEmpirical(c.share ? shareLaw(b) : lawOf(b)));
      for (const i of test) {
        const law = laws[room ? binOf(breaks, room[i]) : 0];
        // A share is scored on the length's own grid cell: the cell in shares is [d ± half] / room.
        const unit = c.share && room ? room[i] : 1;
        // The window the rules leave: after the start, and before C when a rule says so.
        const within = law.mass(0, c.bounded && room ? room[i] / unit : Number.POSITIVE_INFINITY);
        const m = law.mass((lengths[i] - input.half) / unit, (lengths[i] + input.half) / unit);
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
  for (let i = 0; i < n; i++)
    byBin[room ? binOf(breaks, room[i]) : 0].push(c.share && room ? lengths[i] / room[i] : lengths[i]);
  return {
    ...(c.room && (breaks.length > 0 || c.share) ? { room: c.room.name } : {}),
    bounded: c.bounded,
    share: c.share,
    breaks,
    values: byBin,
    heldOut,
  };
}

/**
 * The end column written as `start + a length` — or `start + (room) × a share` — the law per bin of
 * the room when `law.breaks` is set: `base` keeps its type and format; `lawOf` writes lengths
 * shifted from the start, `shareLaw` writes shares (the shift and scale are added here).
 */
export function intervalEndColumn(
  base: Column,
  startName: string,
  law: IntervalLaw,
  lawOf: LengthLaw,
  shareLaw: LengthLaw,
): { column: Column; given: string[]; summary: string } {
  const {
    dist: _d,
    values: _v,
    conditional: _c,
    given: _g,
    p: _p,
    missing: _m,
    min: _min,
    max: _max,
    ...kept
  } = base;
  const all = law.values.flat();
  const scores = [...law.heldOut].map(([k, ll]) => `${k} ${ll.toFixed(3)}`).join(', ');
  const room = law.room === undefined ? undefined : `${quoteName(law.room)} - ${quoteName(startName)}`;
  const write = (xs: number[]): Dist => {
    if (!law.share || room === undefined) return lawOf(xs);
    const d = shareLaw(xs) as { empirical: Record<string, unknown> };
    return { empirical: { ...d.empirical, shift: startName, scale: room } } as Dist;
  };
  const sorted = [...all].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const what = law.share
    ? `a share of the room left, ${law.room} − ${startName} (median share ${median.toFixed(3)})`
    : `a length (median ${(median / 86_400_000).toFixed(2)} days)`;
  const cut = law.bounded ? ` (cut to the room: a rule bounds the end by ${law.room})` : '';
  if (law.room === undefined || law.breaks.length === 0) {
    const given = law.room === undefined ? [startName] : [startName, law.room];
    return {
      column: { ...kept, given, dist: write(all) },
      given,
      summary: `${startName} + ${what}${cut}; held-out log-likelihood per row: ${scores}`,
    };
  }
  const given = [startName, law.room];
  return {
    column: {
      ...kept,
      given,
      conditional: {
        parents: [{ expr: room, breaks: roundBreaks(law.breaks) }],
        rows: law.values.map((g, k) => ({ when: [String(k)], dist: write(g), n: g.length })),
        default: { dist: write(all) },
      },
    } as Column,
    given,
    summary: `${startName} + ${what}, in ${law.values.length} bins of the room${cut}; held-out log-likelihood per row: ${scores}`,
  };
}
