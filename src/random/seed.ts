/**
 * What a seed is, decided once for every input (command-line options, a spec's or model's `seed:`,
 * a text plan's `seed:`, library options): a whole number from −(2^53−1) to 2^53−1, i.e. a
 * JavaScript safe integer. That is the rule spec and plan files have always had (zod's `int()`),
 * so every file that loaded still loads; `streamFor` derives distinct streams for all of them.
 * In a file a seed is a YAML/JSON number; on the command line it is decimal digits (`42`, `-7`).
 * A bad seed anywhere is one error code, `seed.invalid`.
 */
import { type ErrorPlace, StrataError } from '../errors.js';

export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** The rule, for messages and docs. */
export const SEED_RULE = 'a whole number from -9007199254740991 to 9007199254740991 (±(2^53-1))';

const DIGITS = /^[+-]?\d+$/;

/**
 * Why `value` is not a seed, or undefined when it is one. `text` = command-line text, where a
 * string of decimal digits is the number it spells; anywhere else a seed must be a number.
 */
export function seedProblem(value: unknown, text = false): string | undefined {
  if (text && typeof value === 'string') {
    const trimmed = value.trim();
    if (!DIGITS.test(trimmed)) return `"${value}" is not ${SEED_RULE}`;
    return seedProblem(Number(trimmed));
  }
  if (typeof value !== 'number') {
    const shown = typeof value === 'string' ? `the text "${value}"` : value === null ? 'null' : typeof value;
    return `${shown} is not ${SEED_RULE}`;
  }
  if (!Number.isSafeInteger(value)) return `${value} is not ${SEED_RULE}`;
  return undefined;
}

export interface SeedSource extends ErrorPlace {
  /** How the message names the seed (default "seed"; the CLI says "--seed"). */
  label?: string;
  /** The value is command-line text (decimal digits). */
  text?: boolean;
}

/** The seed in `value`, or a `seed.invalid` StrataError placed at `source`. */
export function parseSeed(value: unknown, source: SeedSource = {}): number {
  const problem = seedProblem(value, source.text);
  if (problem === undefined) return typeof value === 'string' ? Number(value.trim()) : (value as number);
  const { label = 'seed', text: _text, ...place } = source;
  throw new StrataError(
    'seed.invalid',
    `${label} ${problem}`,
    place,
    `e.g. ${label === 'seed' ? 'seed: 42' : `${label} 42`}`,
  );
}
