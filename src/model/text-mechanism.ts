/** A `text:` column's mechanism: the compiled text law (text-law.ts) read with its parent's value. */
import type { Stream } from '../random/stream.js';
import type { Column, TextLaw } from '../spec/schema.js';
import type { ModelContext } from './context.js';
import { compileTextLaw, textLawProblems } from './text-law.js';
import type { Value } from './values.js';

export function textMechanism(
  ctx: ModelContext,
  col: Column,
  law: TextLaw,
  path: readonly (string | number)[],
): { sample: (row: Value[], rng: Stream) => Value; refs: string[] } {
  const problem = textLawProblems(law)[0];
  if (problem) throw ctx.error([...path, ...problem.path], 'model.bad_text_law', problem.message);
  const compiled = compileTextLaw(law);
  const by = law.by?.column;
  if (by === undefined)
    return { sample: (_r: Value[], g: Stream) => compiled.sample(undefined, g), refs: [] };
  const idx = ctx.columnIndex.get(by);
  if (idx === undefined || !(col.given ?? []).includes(by))
    throw ctx.error(
      [...path, 'by', 'column'],
      'model.bad_text_law',
      `the text depends on "${by}", which is ${idx === undefined ? 'not a column of this table' : 'not in given'}`,
      idx === undefined ? 'name a category column of this table' : `add ${by} to given`,
    );
  return {
    sample: (r: Value[], g: Stream) => {
      const v = r[idx];
      return compiled.sample(v === null || v === undefined ? undefined : String(v), g);
    },
    refs: [by],
  };
}
