/**
 * Parent–child column pairs: each child row joined to its parent row by the foreign key, and for
 * every (parent value column, child value column) pair, 1 − TVD of the joint distribution on the
 * join — binned by the accuracy bins learned from the real join, exactly as the fidelity section's
 * bivariate accuracy bins a pair of one table (binning.ts, column-metrics.ts). A generator that
 * keeps each table's own columns but draws children without regard to their parent row (or gives
 * them a random parent) keeps every table's figures and loses these.
 */
import type { RawTable } from '../../io/index.js';
import type { TypedColumn, TypedTable } from '../../ml/index.js';
import { accuracyBinner } from '../binning.js';
import { dependenceTvd, jointTvComplement } from '../column-metrics.js';
import type { Metric } from '../types.js';
import type { TypedSet } from './inputs.js';
import type { RefLink } from './links.js';
import { columnOf, keyValues, type TableSet } from './tables.js';
import type { ParentChildPair } from './types.js';

export interface PairsFigures {
  /** Mean 1 − TVD over the link's pairs. */
  accuracy: Metric;
  accuracy_holdout?: Metric;
  /** Mean 1 − |dependence(synthetic) − dependence(real)| over the pairs (dependenceTvd). */
  dependence: Metric;
  dependence_holdout?: Metric;
  /** Pairs judged (parent value columns × child value columns). */
  count: number;
  /** The pairs with the lowest synthetic figure, lowest first. */
  worst: ParentChildPair[];
}

/** Pairs listed per foreign key in the report (the lowest). */
const WORST = 5;

/** Child rows whose foreign key names an existing parent row, and that parent row, in child order. */
export function joinRows(
  child: RawTable,
  parent: RawTable,
  link: RefLink,
): { child: Int32Array; parent: Int32Array } {
  const index = new Map<string, number>();
  keyValues(columnOf(parent, link.parentColumn) ?? []).forEach((k, i) => {
    if (k !== null && !index.has(k)) index.set(k, i);
  });
  const c: number[] = [];
  const p: number[] = [];
  keyValues(columnOf(child, link.column) ?? []).forEach((k, i) => {
    const at = k === null ? undefined : index.get(k);
    if (at === undefined) return;
    c.push(i);
    p.push(at);
  });
  return { child: Int32Array.from(c), parent: Int32Array.from(p) };
}

/** The column's values at the given rows, in that order. */
function take(col: TypedColumn, rows: Int32Array): TypedColumn {
  if (col.kind === 'numeric') {
    const values = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) values[k] = col.values[rows[k]];
    return { ...col, values };
  }
  const codes = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) codes[k] = col.codes[rows[k]];
  return { ...col, codes };
}

interface Joined {
  parent: TypedColumn[];
  child: TypedColumn[];
  rows: number;
}

function joined(
  set: TableSet,
  typedParent: TypedTable,
  typedChild: TypedTable,
  link: RefLink,
): Joined | null {
  const c = set.get(link.child);
  const p = set.get(link.parent);
  if (!c || !p) return null;
  const j = joinRows(c, p, link);
  return {
    parent: typedParent.columns.map((x) => take(x, j.parent)),
    child: typedChild.columns.map((x) => take(x, j.child)),
    rows: j.child.length,
  };
}

function mean(xs: readonly number[]): number | null {
  const v = xs.filter((x) => Number.isFinite(x));
  return v.length ? v.reduce((a, x) => a + x, 0) / v.length : null;
}

/** The figures of one foreign key; null when either table has no value column. */
export function linkPairs(
  link: RefLink,
  sets: { real: TableSet; synthetic: TableSet; holdout?: TableSet },
  typed: ReadonlyMap<string, TypedSet>,
): PairsFigures | null {
  const tp = typed.get(link.parent);
  const tc = typed.get(link.child);
  if (!tp || !tc || tp.real.columns.length === 0 || tc.real.columns.length === 0) return null;
  const real = joined(sets.real, tp.real, tc.real, link) as Joined;
  const syn = joined(sets.synthetic, tp.synthetic, tc.synthetic, link);
  const hold =
    sets.holdout && tp.holdout && tc.holdout ? joined(sets.holdout, tp.holdout, tc.holdout, link) : null;
  const binsP = real.parent.map((x) => accuracyBinner(x));
  const binsC = real.child.map((x) => accuracyBinner(x));
  const codes = (j: Joined | null) =>
    j && {
      parent: j.parent.map((x, a) => binsP[a].apply(x)),
      child: j.child.map((x, b) => binsC[b].apply(x)),
    };
  const r = codes(real) as NonNullable<ReturnType<typeof codes>>;
  const s = codes(syn);
  const h = codes(hold);
  let cells = 1;
  for (const bp of binsP) for (const bc of binsC) cells = Math.max(cells, bp.nBins * bc.nBins);
  const f1 = new Float64Array(cells);
  const f2 = new Float64Array(cells);
  const score = (o: NonNullable<ReturnType<typeof codes>> | null, a: number, b: number) => {
    if (!o) return Number.NaN;
    const nb = binsC[b].nBins;
    const n = binsP[a].nBins * nb;
    return jointTvComplement(
      r.parent[a],
      r.child[b],
      o.parent[a],
      o.child[b],
      nb,
      n,
      undefined,
      undefined,
      f1,
      f2,
    );
  };
  const dep = (o: NonNullable<ReturnType<typeof codes>> | null, a: number, b: number) =>
    o ? dependenceTvd(o.parent[a], o.child[b], binsP[a].nBins, binsC[b].nBins) : Number.NaN;
  const pairs: { a: number; b: number; syn: number; hold: number; depSyn: number; depHold: number }[] = [];
  for (let a = 0; a < binsP.length; a++)
    for (let b = 0; b < binsC.length; b++) {
      const d = dep(r, a, b);
      pairs.push({
        a,
        b,
        syn: score(s, a, b),
        hold: score(h, a, b),
        depSyn: 1 - Math.abs(dep(s, a, b) - d),
        depHold: 1 - Math.abs(dep(h, a, b) - d),
      });
    }
  const metric = (xs: number[], rows: number | undefined, who: string): Metric => {
    if (real.rows === 0) return { value: null, reason: 'no real child row names a parent row' };
    const m = mean(xs);
    return m === null || !rows
      ? { value: null, reason: `no ${who} child row names a parent row` }
      : { value: m };
  };
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  const withHoldout = sets.holdout !== undefined;
  return {
    accuracy: metric(
      pairs.map((x) => x.syn),
      syn?.rows,
      'synthetic',
    ),
    ...(withHoldout
      ? {
          accuracy_holdout: metric(
            pairs.map((x) => x.hold),
            hold?.rows,
            'holdout',
          ),
        }
      : {}),
    dependence: metric(
      pairs.map((x) => x.depSyn),
      syn?.rows,
      'synthetic',
    ),
    ...(withHoldout
      ? {
          dependence_holdout: metric(
            pairs.map((x) => x.depHold),
            hold?.rows,
            'holdout',
          ),
        }
      : {}),
    count: pairs.length,
    worst: [...pairs]
      .sort((x, y) => (Number.isNaN(x.syn) ? 1 : Number.isNaN(y.syn) ? -1 : x.syn - y.syn))
      .slice(0, WORST)
      .map((x) => ({
        parent_column: real.parent[x.a].name,
        child_column: real.child[x.b].name,
        accuracy: finite(x.syn),
        dependence: finite(x.depSyn),
        ...(withHoldout ? { accuracy_holdout: finite(x.hold), dependence_holdout: finite(x.depHold) } : {}),
      })),
  };
}
