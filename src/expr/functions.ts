/**
 * The fixed set of functions. Each entry has an arity range (checked at compile time), a signature
 * for messages, and an implementation that is total: it never throws and returns null for inputs
 * it cannot handle. `if`, `coalesce`, `quantile`, `date` and `datetime` get special treatment in
 * the compiler (laziness, compile-time resolution, constant folding); their `impl` is the plain
 * eager version.
 */
import type { Value } from './ast.js';
import { MS_PER_DAY, startOfDay, timePart, toTime } from './dates.js';
import { checkTextLength, finite, power, toNumber, toText, truthy } from './values.js';

export interface FunctionDef {
  readonly min: number;
  readonly max: number;
  readonly signature: string;
  readonly impl: (...args: Value[]) => Value;
}

function math1(f: (x: number) => number): (a: Value) => Value {
  return (a) => {
    const x = toNumber(a);
    return x === null ? null : finite(f(x));
  };
}

function text1(f: (s: string) => Value): (a: Value) => Value {
  return (a) => {
    const s = toText(a);
    return s === null ? null : f(s);
  };
}

function text2(f: (s: string, t: string) => Value): (a: Value, b: Value) => Value {
  return (a, b) => {
    const s = toText(a);
    const t = toText(b);
    return s === null || t === null ? null : f(s, t);
  };
}

/** Minimum / maximum of the numeric arguments, ignoring nulls (null when none is numeric). */
function extreme(pickLarger: boolean): (...args: Value[]) => Value {
  return (...args) => {
    let best: number | null = null;
    for (const a of args) {
      const x = toNumber(a);
      if (x === null) continue;
      if (best === null || (pickLarger ? x > best : x < best)) best = x;
    }
    return best;
  };
}

/**
 * Round half away from zero to `digits` decimals. Shifting through the decimal exponent (instead of
 * multiplying by 10^digits) keeps 1.005 → 1.01 exact, as a person expects.
 */
export function roundTo(x: number, digits: number): number {
  const k = Math.max(-300, Math.min(300, Math.trunc(digits)));
  const ax = Math.abs(x);
  let r: number;
  if (k === 0) r = Math.round(ax);
  else {
    const [mant, exp] = ax.toExponential().split('e');
    const shifted = Math.round(Number(`${mant}e${Number(exp) + k}`));
    r = Number(`${shifted}e${-k}`);
  }
  return x < 0 && r !== 0 ? -r : r;
}

function round(a: Value, digits?: Value): Value {
  const x = toNumber(a);
  if (x === null) return null;
  if (digits === undefined) return roundTo(x, 0);
  const d = toNumber(digits);
  return d === null ? null : finite(roundTo(x, d));
}

/** clamp(x, lo, hi); a null bound is no bound; lo > hi is null. */
function clamp(a: Value, lo: Value, hi: Value): Value {
  const x = toNumber(a);
  if (x === null) return null;
  const l = toNumber(lo);
  const h = toNumber(hi);
  if (l !== null && h !== null && l > h) return null;
  let r = x;
  if (l !== null && r < l) r = l;
  if (h !== null && r > h) r = h;
  return r;
}

/** substr(s, start[, length]) by code points; start is 0-based, negative counts from the end. */
function substr(s: Value, start: Value, length?: Value): Value {
  const t = toText(s);
  const st = toNumber(start);
  if (t === null || st === null) return null;
  const chars = Array.from(t);
  let from = Math.trunc(st);
  if (from < 0) from = Math.max(0, chars.length + from);
  if (length === undefined) return chars.slice(from).join('');
  const len = toNumber(length);
  if (len === null) return null;
  if (len <= 0) return '';
  return chars.slice(from, from + Math.trunc(len)).join('');
}

function replace(s: Value, from: Value, to: Value): Value {
  const t = toText(s);
  const f = toText(from);
  const r = toText(to);
  if (t === null || f === null || r === null) return null;
  if (f === '') return t;
  const parts = t.split(f);
  checkTextLength(t.length + (parts.length - 1) * (r.length - f.length), 'replace()');
  return parts.join(r);
}

/** concat(…): text of every argument, nulls skipped. */
function concat(...args: Value[]): Value {
  const parts = args.map((a) => toText(a) ?? '');
  checkTextLength(
    parts.reduce((n, p) => n + p.length, 0),
    'concat()',
  );
  return parts.join('');
}

/** upper/lower can lengthen a text (ß → SS): checked after the fact, the input being bounded. */
function caseMap(f: (s: string) => string, name: string): (a: Value) => Value {
  return text1((s) => {
    const out = f(s);
    checkTextLength(out.length, name);
    return out;
  });
}

function coalesce(...args: Value[]): Value {
  for (const a of args) if (a !== null && !(typeof a === 'number' && Number.isNaN(a))) return a;
  return null;
}

function dateOf(a: Value): Value {
  const t = toTime(a);
  return t === null ? null : startOfDay(t);
}

function datetimeOf(a: Value): Value {
  return toTime(a);
}

function daysBetween(a: Value, b: Value): Value {
  const x = toTime(a);
  const y = toTime(b);
  return x === null || y === null ? null : (y - x) / MS_PER_DAY;
}

function addDays(d: Value, n: Value): Value {
  const t = toTime(d);
  const k = toNumber(n);
  return t === null || k === null ? null : finite(t + k * MS_PER_DAY);
}

const INF = Number.POSITIVE_INFINITY;

function def(min: number, max: number, signature: string, impl: (...args: Value[]) => Value): FunctionDef {
  return { min, max, signature, impl };
}

/** Name → definition. A Map, so names like `constructor` are simply absent. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map<string, FunctionDef>([
  ['abs', def(1, 1, 'abs(x)', math1(Math.abs))],
  ['min', def(1, INF, 'min(x, …)', extreme(false))],
  ['max', def(1, INF, 'max(x, …)', extreme(true))],
  ['round', def(1, 2, 'round(x[, digits])', round)],
  ['floor', def(1, 1, 'floor(x)', math1(Math.floor))],
  ['ceil', def(1, 1, 'ceil(x)', math1(Math.ceil))],
  ['sqrt', def(1, 1, 'sqrt(x)', math1(Math.sqrt))],
  ['log', def(1, 1, 'log(x)', math1(Math.log))],
  ['log10', def(1, 1, 'log10(x)', math1(Math.log10))],
  ['exp', def(1, 1, 'exp(x)', math1(Math.exp))],
  ['pow', def(2, 2, 'pow(x, y)', power)],
  ['clamp', def(3, 3, 'clamp(x, lo, hi)', clamp)],
  ['sign', def(1, 1, 'sign(x)', math1(Math.sign))],
  ['if', def(3, 3, 'if(condition, then, else)', (c, a, b) => (truthy(c) ? a : b))],
  [
    'lower',
    def(
      1,
      1,
      'lower(s)',
      caseMap((s) => s.toLowerCase(), 'lower()'),
    ),
  ],
  [
    'upper',
    def(
      1,
      1,
      'upper(s)',
      caseMap((s) => s.toUpperCase(), 'upper()'),
    ),
  ],
  [
    'len',
    def(
      1,
      1,
      'len(s)',
      text1((s) => Array.from(s).length),
    ),
  ],
  ['substr', def(2, 3, 'substr(s, start[, length])', substr)],
  [
    'contains',
    def(
      2,
      2,
      'contains(s, part)',
      text2((s, t) => s.includes(t)),
    ),
  ],
  [
    'starts_with',
    def(
      2,
      2,
      'starts_with(s, prefix)',
      text2((s, t) => s.startsWith(t)),
    ),
  ],
  [
    'ends_with',
    def(
      2,
      2,
      'ends_with(s, suffix)',
      text2((s, t) => s.endsWith(t)),
    ),
  ],
  ['replace', def(3, 3, 'replace(s, from, to)', replace)],
  ['concat', def(1, INF, 'concat(x, …)', concat)],
  ['str', def(1, 1, 'str(x)', (a) => toText(a))],
  ['num', def(1, 1, 'num(x)', (a) => toNumber(a))],
  ['is_null', def(1, 1, 'is_null(x)', (a) => a === null || (typeof a === 'number' && Number.isNaN(a)))],
  ['coalesce', def(1, INF, 'coalesce(x, …)', coalesce)],
  ['date', def(1, 1, "date('YYYY-MM-DD')", dateOf)],
  ['datetime', def(1, 1, "datetime('YYYY-MM-DDTHH:MM:SSZ')", datetimeOf)],
  ['year', def(1, 1, 'year(t)', (a) => timePart(a, 'year'))],
  ['month', def(1, 1, 'month(t)', (a) => timePart(a, 'month'))],
  ['day', def(1, 1, 'day(t)', (a) => timePart(a, 'day'))],
  ['weekday', def(1, 1, 'weekday(t)', (a) => timePart(a, 'weekday'))],
  ['hour', def(1, 1, 'hour(t)', (a) => timePart(a, 'hour'))],
  ['days_between', def(2, 2, 'days_between(a, b)', daysBetween)],
  ['add_days', def(2, 2, 'add_days(t, n)', addDays)],
  // Resolved at compile time through CompileScope.quantile; never evaluated per row.
  ['quantile', def(2, 2, 'quantile(column, p)', () => null)],
]);
