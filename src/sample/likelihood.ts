/**
 * The likelihood of an observed numeric value under each state of its parents, for exact
 * conditioning on a known numeric column.
 *
 * A skeleton cuts a numeric column into bins (its children's breaks), and its CPT gives P(bin |
 * parents). Knowing the value x says more than its bin: the parents' posterior needs P(X = x |
 * parents) for each parent state, i.e. the column's law at x. Every value the sampler writes is
 * rounded (integers to whole numbers, `number` columns to their decimals, datetimes to the
 * millisecond, dates to the day), so "X = x" is the event "the draw fell in x's rounding cell", and
 * its probability is the law's truncated mass on that cell: a probability, not a density, and exact
 * for the values the sampler produces. A caller's value off the grid (41.237 for a 2-decimal column)
 * is read as the cell it rounds into. (A `number` draw that rounds outside its bounds is moved to the
 * nearest value inside by the sampler; that correction at the two bounds is not modelled here.)
 *
 * The laws come from the skeleton's mixture form (coverage/discrete.ts): parent configuration t uses
 * `laws[index[t]]`, and a fitted table has few distinct laws, so a new value costs one mass per law.
 */
import { binMass, type MixtureForm, type Skeleton } from '../coverage/discrete.js';
import type { Column } from '../spec/schema.js';

const DAY_MS = 86_400_000;

/** The rounding cell [lo, hi) of the output value x of a numeric column. */
export function roundingCell(col: Column, x: number): [number, number] {
  switch (col.type) {
    case 'integer':
      return [Math.round(x), Math.round(x) + 1];
    case 'date': {
      const d = Math.floor(x / DAY_MS) * DAY_MS;
      return [d, d + DAY_MS];
    }
    case 'datetime': {
      const t = Math.round(x);
      return [t - 0.5, t + 0.5];
    }
    default: {
      const dec = col.decimals ?? 2;
      const h = 0.5 * 10 ** -dec;
      const f = 10 ** dec;
      const y = Math.round(x * f) / f;
      return [y - h, y + h];
    }
  }
}

/** P(output in x's rounding cell | law k) for a mixture form's laws, each computed when first read. */
export interface LawMasses {
  form: MixtureForm;
  /** Number of laws (entries of `form.laws`). */
  size: number;
  /** The mass under law k. */
  at(k: number): number;
}

/**
 * The masses of x's rounding cell under each law of numeric variable `vi`'s mixture form, computed
 * lazily: a completion reads only the laws its known parents allow (fitted Adult: fnlwgt has 80
 * laws and a new value per row), and each distinct law object once. Undefined when the skeleton
 * holds no mixture form for it.
 */
export function lawMasses(s: Skeleton, vi: number, col: Column, x: number): LawMasses | undefined {
  const v = s.vars[vi];
  const form = v.mix;
  if (!form) return undefined;
  const [a, b] = roundingCell(col, x);
  const { distinct, which } = distinctLaws(form);
  const per = new Float64Array(distinct.length).fill(Number.NaN);
  const masses = new Float64Array(form.laws.length).fill(Number.NaN);
  return {
    form,
    size: masses.length,
    at(k: number): number {
      let m = masses[k];
      if (!Number.isNaN(m)) return m;
      const law = form.laws[k];
      m = 0;
      if (law.law && law.norm > 0) {
        const j = which[k];
        let q = per[j];
        if (Number.isNaN(q)) q = per[j] = binMass(distinct[j], v.integer, a, b, form.lo, form.hi);
        m = (law.present * q) / law.norm;
      }
      masses[k] = m;
      return m;
    },
  };
}

type Law = NonNullable<MixtureForm['laws'][number]['law']>;
const distinctCache = new WeakMap<MixtureForm, { distinct: Law[]; which: Int32Array }>();

/**
 * The distinct law objects of a mixture form and, per law entry, which one it uses: a fitted form
 * repeats laws across parent configurations (fitted Adult: age 12,096 entries over 615 laws,
 * hours_per_week 4,320 over 853), so each law's mass is computed once.
 */
function distinctLaws(form: MixtureForm): { distinct: Law[]; which: Int32Array } {
  let d = distinctCache.get(form);
  if (!d) {
    const at = new Map<Law, number>();
    const distinct: Law[] = [];
    const which = new Int32Array(form.laws.length);
    form.laws.forEach((m, k) => {
      if (!m.law) return;
      let j = at.get(m.law);
      if (j === undefined) {
        j = distinct.length;
        distinct.push(m.law);
        at.set(m.law, j);
      }
      which[k] = j;
    });
    d = { distinct, which };
    distinctCache.set(form, d);
  }
  return d;
}

/** Whether x lies in state s of a numeric variable ([lo, hi)). */
export function inBin(s: { lo: number; hi: number }, x: number): boolean {
  return x >= s.lo && x < s.hi;
}
