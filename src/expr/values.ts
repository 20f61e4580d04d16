/**
 * Value semantics shared by the compiler and the functions: truthiness, coercions, equality,
 * ordering and arithmetic. All functions here are pure, total (never throw) and never return NaN
 * or ±Infinity: a result that is not a finite number becomes null.
 */
import { StrataError } from '../errors.js';
import type { Value } from './ast.js';

/**
 * Longest text an expression may build (UTF-16 code units). Without it, a derived column such as
 * `x + x` fed by another `x + x` doubles per step and exhausts memory (or dies in V8's
 * "Invalid string length"); past it the expression fails with `expr.string_too_long`.
 */
export const MAX_STRING_LENGTH = 1_000_000;

/** Throw `expr.string_too_long` when a text about to be built would exceed MAX_STRING_LENGTH. */
export function checkTextLength(length: number, what: string): void {
  if (length > MAX_STRING_LENGTH)
    throw new StrataError(
      'expr.string_too_long',
      `${what} would make a text of ${length} characters, more than the limit of ${MAX_STRING_LENGTH}`,
      {},
      'check for text that grows with each step (x + x, concat or replace over columns that are themselves built that way)',
    );
}

/** null, false, 0, NaN and '' are false; everything else is true. */
export function truthy(v: Value): boolean {
  return !(v === null || v === false || v === 0 || v === '' || (typeof v === 'number' && Number.isNaN(v)));
}

/** Strict decimal syntax for numeric strings (no hex, no `Infinity`, no `1_000`). */
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A string that is a plain decimal number → that number; anything else → null. */
export function parseNumeric(s: string): number | null {
  const t = s.trim();
  if (!NUMERIC.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Number view of a value: booleans are 0/1, numeric strings parse, everything else is null. */
export function toNumber(v: Value): number | null {
  switch (typeof v) {
    case 'number':
      return Number.isNaN(v) ? null : v;
    case 'boolean':
      return v ? 1 : 0;
    case 'string':
      return parseNumeric(v);
    default:
      return null;
  }
}

/** Text view of a value (null stays null). */
export function toText(v: Value): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isNaN(v) ? null : String(v);
  return v ? 'true' : 'false';
}

export function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/**
 * `==`: same type → identity; number/boolean mix → numeric (booleans are 0/1); a string against a
 * number compares numerically when the string is numeric (a category "3" equals 3); a string
 * against a boolean matches "true"/"false" or a numeric 1/0. null equals only null.
 */
export function equals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'string') return tb === 'string' ? false : stringEqualsOther(a as string, b as number | boolean);
  if (tb === 'string') return stringEqualsOther(b as string, a as number | boolean);
  return toNumber(a) === toNumber(b) && toNumber(a) !== null;
}

function stringEqualsOther(s: string, other: number | boolean): boolean {
  if (typeof other === 'boolean' && s === (other ? 'true' : 'false')) return true;
  const n = parseNumeric(s);
  return n !== null && n === toNumber(other);
}

/**
 * Ordering for `< <= > >=`: numbers (and booleans as 0/1) numerically, strings lexically by UTF-16
 * code units, a numeric string against a number numerically. Returns null when the two cannot be
 * ordered (null, NaN, a non-numeric string against a number): every ordering comparison is then false.
 */
export function compare(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === null || y === null) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function lessThan(a: Value, b: Value): boolean {
  const c = compare(a, b);
  return c !== null && c < 0;
}
export function lessOrEqual(a: Value, b: Value): boolean {
  const c = compare(a, b);
  return c !== null && c <= 0;
}
export function greaterThan(a: Value, b: Value): boolean {
  const c = compare(a, b);
  return c !== null && c > 0;
}
export function greaterOrEqual(a: Value, b: Value): boolean {
  const c = compare(a, b);
  return c !== null && c >= 0;
}

/** `+`: null wins; a string on either side concatenates; otherwise numeric addition. */
export function add(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') return finite(a + b);
  if (a === null || b === null) return null;
  if (typeof a === 'string' || typeof b === 'string') {
    const x = toText(a);
    const y = toText(b);
    if (x === null || y === null) return null;
    checkTextLength(x.length + y.length, '+');
    return x + y;
  }
  return finite((toNumber(a) ?? Number.NaN) + (toNumber(b) ?? Number.NaN));
}

export function subtract(a: Value, b: Value): Value {
  const x = toNumber(a);
  const y = toNumber(b);
  return x === null || y === null ? null : finite(x - y);
}

export function multiply(a: Value, b: Value): Value {
  const x = toNumber(a);
  const y = toNumber(b);
  return x === null || y === null ? null : finite(x * y);
}

/** Division by zero is null (not an error, not Infinity). */
export function divide(a: Value, b: Value): Value {
  const x = toNumber(a);
  const y = toNumber(b);
  return x === null || y === null || y === 0 ? null : finite(x / y);
}

/** Floored modulo: the result has the sign of the divisor (-1 % 7 = 6). Modulo zero is null. */
export function modulo(a: Value, b: Value): Value {
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === null || y === null || y === 0) return null;
  let r = x % y;
  if (r !== 0 && r < 0 !== y < 0) r += y;
  return finite(r);
}

export function power(a: Value, b: Value): Value {
  const x = toNumber(a);
  const y = toNumber(b);
  return x === null || y === null ? null : finite(x ** y);
}

export function negate(a: Value): Value {
  const x = toNumber(a);
  return x === null ? null : -x;
}

export function plus(a: Value): Value {
  return toNumber(a);
}
