/**
 * How a `when` entry of a conditional table names parent states — read by the spec checks
 * (check-columns.ts: a label must be a state the parent can take) and by the sampler and coverage
 * (model/conditional-rows.ts), so both read a label alike.
 */

/** The `when` label that matches every state of its parent. */
export const ANY_STATE = '*';

/** The `when` entry of a missing parent. */
export const MISSING_WHEN = 'NA';

/**
 * The state label of a missing parent: no value's text (a value is never a NUL-led string in a
 * spec), so a category called "NA" and a missing value are two states.
 */
export const MISSING_STATE = '\u0000NA';

/**
 * A `when` entry as a state label, or null for the wildcard. `NA` is a missing parent. A leading
 * backslash escapes: the entry `\*` (YAML `"\\*"`) is the state `*` (a category whose value is an
 * asterisk), `\NA` the category NA, and `\\x` the state `\x`.
 */
export function whenLabel(w: string | number | boolean): string | null {
  const l = String(w);
  if (l === ANY_STATE) return null;
  if (l === MISSING_WHEN) return MISSING_STATE;
  return l.startsWith('\\') ? l.slice(1) : l;
}

/** One `when` entry: a state label, `"*"`, or a list of labels (any of them). */
export type WhenEntry = string | number | boolean | readonly (string | number | boolean)[];

/**
 * The labels a `when` entry matches: one label, a list's labels, or null for the wildcard. Each
 * member of a list is read like a plain entry, so a member `"*"` makes the whole entry a wildcard.
 */
export function whenLabels(w: WhenEntry): string[] | null {
  if (!Array.isArray(w)) {
    const l = whenLabel(w as string | number | boolean);
    return l === null ? null : [l];
  }
  const out: string[] = [];
  for (const x of w) {
    const l = whenLabel(x);
    if (l === null) return null;
    out.push(l);
  }
  return out;
}
