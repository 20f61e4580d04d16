/**
 * Given values of a pooled category. A fitted category pools its rare values into one state
 * (`(other)`, written as fresh values: the column's `other:`), so a value the model does not list
 * is one of those rare values, not an impossible one: `complete({drug: "RAREDRUG"})` and
 * `POST /complete` condition on the pooled state and return the value as given (before, they
 * failed with `sample.impossible_given`).
 */
import { valueLabel } from '../coverage/discrete.js';
import type { Value } from '../model/values.js';
import { DEFAULT_OTHER_STATE, type Table } from '../spec/schema.js';

export interface PooledGiven {
  /** The known values to condition on: an unlisted value replaced by its column's pooled state. */
  known: Map<number, Value>;
  /** Column → the value as given, where it was replaced: written back into the completed row. */
  asGiven: Map<number, Value>;
}

export function pooledGiven(
  table: Table,
  names: readonly string[],
  levels: readonly (readonly string[] | undefined)[],
  known: ReadonlyMap<number, Value>,
): PooledGiven {
  const out = new Map(known);
  const asGiven = new Map<number, Value>();
  for (const [c, v] of known) {
    const other = table.columns[names[c]]?.other;
    const lv = levels[c];
    if (!other || !lv || v === null) continue;
    const state = other.state ?? DEFAULT_OTHER_STATE;
    const label = valueLabel(v);
    if (label === undefined || label === null || lv.includes(label) || !lv.includes(state)) continue;
    out.set(c, state);
    asGiven.set(c, v);
  }
  return { known: out, asGiven };
}
