/**
 * A numeric column's parents under the model, found once per (model, column) by one variable
 * elimination whose buckets are kept: it gives the weight of each of the column's laws (its exact
 * CDF, `quantile.ts`) and, for any interval of the column, the exact posterior of its ancestors
 * given that the column falls there (tail rows), without eliminating the network again.
 *
 * Why: the column X has no children among its own ancestors, so P(ancestors | X ∈ [lo, hi)) is
 * P(ancestors) · r(parents) / z with r(t) = P(X ∈ [lo, hi) | parents = t), a function of the law
 * that parent configuration t uses. Eliminating everything but X's parents is the same work for
 * every interval; only the last step (the parents' joint times r) depends on it. On the fitted Adult
 * model a tail otherwise cost two eliminations of ~4M table entries each (the column's law, then the
 * tail's posterior over a skeleton re-cut at the tail's edges).
 */
import type { TableModel } from '../model/compile.js';
import type { Table } from '../spec/schema.js';
import { binMass, buildSkeleton, type MixtureForm, type Skeleton } from './discrete.js';
import { type Elimination, eliminateOutside, type Posterior, posteriorWith } from './infer.js';

export interface ColumnJoint {
  /** The column and its ancestors; the column itself is one state (plus NA when it can be missing). */
  skeleton: Skeleton;
  /** The column's variable in `skeleton`. */
  v: number;
  mix: MixtureForm;
  /** Everything but the column and its parents eliminated; `rest` is the parents' joint. */
  elimination: Elimination;
  /** P(law k): the mass of the parent configurations that use law k. */
  weights: Float64Array;
}

const cache = new WeakMap<TableModel, Map<number, ColumnJoint | null>>();

/**
 * The column's joint form, or undefined when it or an ancestor cannot be discretised or its law is
 * not a mixture over its parents (an intervention, listed values).
 */
export function columnJoint(model: TableModel, table: Table, column: number): ColumnJoint | undefined {
  let m = cache.get(model);
  if (!m) {
    m = new Map();
    cache.set(model, m);
  }
  let j = m.get(column);
  if (j === undefined) {
    j = build(model, table, column) ?? null;
    m.set(column, j);
  }
  return j ?? undefined;
}

function build(model: TableModel, table: Table, column: number): ColumnJoint | undefined {
  const sk = buildSkeleton(model, table, [column]);
  if (!sk.ok) return undefined;
  const s = sk.skeleton;
  const v = s.varOf.get(column)!;
  const mix = s.vars[v].mix;
  if (!mix) return undefined;
  const elimination = eliminateOutside(
    s.cpts.filter((f) => !f.vars.includes(v)),
    s.card,
    new Set(mix.parents),
  );
  // `rest` is over the parents in ascending order, last fastest: the layout of `mix.index`.
  const { vars } = elimination.rest;
  if (vars.length !== mix.parents.length || vars.some((x, k) => x !== mix.parents[k]))
    throw new Error(`internal: the joint of "${s.vars[v].name}"'s parents is not over its parents`);
  const joint = elimination.rest.table;
  const weights = new Float64Array(mix.laws.length);
  for (let t = 0; t < joint.length; t++) weights[mix.index[t]] += joint[t];
  return { skeleton: s, v, mix, elimination, weights };
}

/**
 * P(X ∈ [lo, hi) and present | the parents use law k), per law: the column's own mechanism
 * truncated to its bounds, as its conditional table is built (`buildSkeleton`).
 */
export function regionMass(j: ColumnJoint, lo: number, hi: number): Float64Array {
  const { mix } = j;
  const integer = j.skeleton.vars[j.v].integer;
  return Float64Array.from(mix.laws, (l) =>
    l.law && l.norm > 0 ? (l.present * binMass(l.law, integer, lo, hi, mix.lo, mix.hi)) / l.norm : 0,
  );
}

/**
 * The exact posterior of the column's ancestors given X ∈ [lo, hi): draws set every ancestor's
 * state and the column's own state to "present" (its value is then drawn from its law given the
 * parents, truncated to the interval). `z` is P(X ∈ [lo, hi)). Undefined when the column is cut
 * into bins (a child inside its ancestors reads it: a cycle, so never for a valid model).
 */
export function regionPosterior(j: ColumnJoint, lo: number, hi: number): Posterior | undefined {
  // One numeric state: the state a draw gives the column says only "present".
  if (j.skeleton.vars[j.v].states.filter((st) => !st.na).length !== 1) return undefined;
  const r = regionMass(j, lo, hi);
  const { rest } = j.elimination;
  const byParents = Float64Array.from(j.mix.index, (k) => r[k]);
  const present = Float64Array.from(j.skeleton.vars[j.v].states, (st) => (st.na ? 0 : 1));
  return posteriorWith(
    j.elimination,
    [
      { vars: rest.vars, table: byParents },
      { vars: [j.v], table: present },
    ],
    j.skeleton.card,
  );
}
