/**
 * A category's pooled state and how it is written (the spec's `other:`, schema.ts `OtherLaw`;
 * learned by src/fit/other-law.ts).
 *
 * A fit pools the categories seen in fewer than k rows into one state, `(other)`. Inside the
 * model that state is a state like any other: children's tables, a text law's `by:`, rules,
 * `--do` and coverage cells read it. It is never written as such: when a row is written, a
 * value equal to the state becomes
 *  1. a fresh value from `text` (the text law fitted on the pooled values): never one of the
 *     column's listed values (redrawn), never a rare real value (the law's guard);
 *  2. else (no `text`, or no fresh value in `tries` draws) the column drawn again for the row,
 *     from the same parents, until it gives a listed value;
 *  3. else (the state is certain in this row, e.g. `--do x=(other)` without `text`) the column's
 *     first listed value.
 * The fresh value is drawn from the column's own write stream (the caller's), after the row is
 * complete, so every other value of the row is what it would be without `other:`, and output is
 * the same for any number of workers.
 *
 * Reading written data back (coverage cells of a generated file): `stateOfValue` maps a value
 * the column does not list to the pooled state.
 */
import type { Stream } from '../random/stream.js';
import { type Column, DEFAULT_OTHER_STATE, type OtherLaw } from '../spec/schema.js';
import type { ModelContext } from './context.js';
import { compileTextLaw, textLawProblems } from './text-law.js';
import type { Value } from './values.js';

/** Draws of the column (without text, or after the law's tries) before the first listed value is taken. */
export const OTHER_REDRAWS = 100;
/** Fresh-value draws of the text law before falling back to the listed values. */
export const OTHER_TEXT_TRIES = 20;

/** How the value of a column is written: `v` as drawn, or a fresh value for the pooled state. */
export type ValueWriter = (v: Value, row: readonly Value[], rng: Stream) => Value;

type Path = readonly (string | number)[];

/** Every value a category column lists (its `values`, its conditional rows' and default's). */
export function listedValues(col: Column): Set<string> {
  const out = new Set<string>();
  const add = (vs: Column['values']) => {
    if (vs === undefined) return;
    for (const k of Array.isArray(vs) ? vs : Object.keys(vs)) out.add(String(k));
  };
  add(col.values);
  for (const r of col.conditional?.rows ?? []) add(r.values);
  add(col.conditional?.default?.values);
  return out;
}

/** The pooled state of a column with `other:` (undefined without). */
export function otherState(col: Column): string | undefined {
  return col.other ? (col.other.state ?? DEFAULT_OTHER_STATE) : undefined;
}

/**
 * The state of a written value: the value itself when the column lists it (or has no `other:`),
 * else the pooled state. Null stays null.
 */
export function stateOfValue(col: Column): (v: string | null) => string | null {
  const state = otherState(col);
  if (state === undefined) return (v) => v;
  const listed = listedValues(col);
  return (v) => (v === null || listed.has(v) ? v : state);
}

/**
 * The writer of a column with `other:` (undefined without, or when it never draws the state).
 * `redraw` draws the column again for a complete row (its parents as they are).
 */
export function compileOther(
  ctx: ModelContext,
  col: Column,
  law: OtherLaw,
  path: Path,
  redraw: (row: readonly Value[], rng: Stream) => Value,
): ValueWriter {
  if (col.type !== 'category')
    throw ctx.error(
      path,
      'model.bad_other',
      `other: is for category columns; this column is ${col.type}`,
      'remove other:, or make the column a category',
    );
  const state = law.state ?? DEFAULT_OTHER_STATE;
  const listed = listedValues(col);
  if (!listed.has(state))
    throw ctx.error(
      law.state === undefined ? path : [...path, 'state'],
      'model.bad_other',
      `other: writes the state "${state}", which is not a value of this column`,
      `list "${state}" in values: (or a conditional row), or name one of its values in other.state`,
    );
  listed.delete(state);
  if (listed.size === 0)
    throw ctx.error(
      path,
      'model.bad_other',
      `the column has no value besides "${state}" to write instead`,
      'list at least one other value, or remove other:',
    );
  const first = [...listed][0];
  let text: ((rng: Stream) => string | null) | undefined;
  if (law.text) {
    const problem = textLawProblems(law.text)[0];
    if (problem) throw ctx.error([...path, 'text', ...problem.path], 'model.bad_text_law', problem.message);
    if (law.text.by)
      throw ctx.error(
        [...path, 'text', 'by'],
        'model.bad_other',
        'the text law of other: draws without a parent (by: is not read here)',
        'remove by:, or give the column its parents in conditional: rows',
      );
    const compiled = compileTextLaw(law.text);
    text = (rng) => compiled.sample(undefined, rng);
  }
  return (v, row, rng) => {
    if (v !== state) return v;
    if (text)
      for (let t = 0; t < OTHER_TEXT_TRIES; t++) {
        const fresh = text(rng);
        if (fresh !== null && fresh !== state && !listed.has(fresh)) return fresh;
      }
    for (let t = 0; t < OTHER_REDRAWS; t++) {
      const w = redraw(row, rng);
      if (w !== null && !(typeof w === 'number' && Number.isNaN(w)) && w !== state) return w;
    }
    return first;
  };
}
