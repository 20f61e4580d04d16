/**
 * The empirical law: a quantile table (knots) plus point masses, optionally tied to a parent
 * ("parent + residual": shift, offsets, continuous: offset, slope). What `strata fit` writes.
 * The arithmetic lives in ../empirical.ts; this record is its place in the registry.
 */
import { z } from 'zod';
import { AnchoredEmpirical, atomsFromRecord, Empirical } from '../empirical.js';
import { type Law, type LawIssue, ParamValue } from './law.js';

const probabilities = z.record(z.string(), z.number().min(0));

/** Quantile table: `knots[i]` is the value at probability i/(knots.length-1); linear inside. */
export const EmpiricalParams = z.strictObject({
  knots: z.array(z.number()).min(2).describe('Quantile table: knots[i] is the value at probability i/(n-1).'),
  /** Point masses: value -> probability. The continuous part carries the rest. */
  atoms: probabilities
    .optional()
    .describe('Point masses: value -> probability; the continuous part carries the rest.'),
  /**
   * "Parent + residual": an expression (usually a parent column) the value is tied to. Enables
   * `offsets` (point masses at shift + key; offset 0 = "the same as the parent") and
   * `continuous: offset` (the knots describe value − shift, so value = shift + a draw).
   */
  shift: ParamValue.optional().describe(
    'An expression (usually a parent column) the value is tied to; enables offsets and continuous: offset.',
  ),
  offsets: probabilities
    .optional()
    .describe('With shift: point masses at shift + key (key 0 = equal to the shift) -> probability.'),
  continuous: z
    .enum(['value', 'offset'])
    .optional()
    .describe('With shift: whether the knots describe the value (default) or its offset from the shift.'),
  /** With `continuous: offset`: the continuous part is slope × shift + a draw (default 1). */
  slope: z
    .number()
    .optional()
    .describe('With continuous: offset, the continuous part is slope × shift + a draw (default 1).'),
  /**
   * Without a shift: the value is scale × a draw (an expression, e.g. `parent.los`): a law per
   * unit of a parent's size. Fit writes children per parent row this way, as a rate per day of the
   * parent's interval (events per day of an ICU stay), so the count grows with the interval.
   */
  scale: ParamValue.optional().describe(
    'Without shift: the value is scale × a draw (an expression such as parent.los): a law per unit.',
  ),
  /**
   * With shift: a second value the draw may repeat exactly (usually another parent column: a
   * payment equal to last month's payment while `shift` is last month's bill), with probability
   * `copied`.
   */
  copy: ParamValue.optional().describe(
    'With shift: a second expression (usually a parent column) the value repeats exactly with probability copied.',
  ),
  copied: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('With copy: the probability that the value equals copy.'),
});
export type EmpiricalParams = z.infer<typeof EmpiricalParams>;

const isMap = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Σ of the numeric probabilities of a point-mass table (non-numbers are the schema's to report). */
function total(m: unknown): number {
  if (!isMap(m)) return 0;
  let t = 0;
  for (const v of Object.values(m)) if (typeof v === 'number') t += v;
  return t;
}

function pointMassKeys(raw: Readonly<Record<string, unknown>>, key: 'atoms' | 'offsets'): LawIssue[] {
  const m = raw[key];
  if (!isMap(m)) return [];
  const bad = Object.keys(m).find((k) => k.trim() === '' || !Number.isFinite(Number(k)));
  return bad === undefined
    ? []
    : [
        {
          param: key,
          at: [bad],
          code: 'bad_atom',
          message: `${key} keys are the values that carry the mass, so they must be numbers; "${bad}" is not`,
          fix: key === 'atoms' ? 'write e.g. atoms: { "0": 0.2 }' : 'write e.g. offsets: { "0": 0.1 }',
        },
      ];
}

const copiedOf = (raw: Readonly<Record<string, unknown>>): number =>
  typeof raw.copied === 'number' ? raw.copied : 0;

/** Problems zod cannot see: unsorted knots, masses over 1, anchored keys without a shift. */
function check(raw: Readonly<Record<string, unknown>>): LawIssue[] {
  const out: LawIssue[] = [];
  const knots = raw.knots;
  if (Array.isArray(knots)) {
    const i = knots.findIndex(
      (k, j) => j > 0 && typeof k === 'number' && typeof knots[j - 1] === 'number' && k < knots[j - 1],
    );
    if (i > 0)
      out.push({
        param: 'knots',
        at: [i],
        code: 'knots_order',
        message: `knots must not decrease: ${knots[i]} comes after ${knots[i - 1]}`,
        fix: 'sort the knots ascending (they are quantiles)',
      });
  }
  out.push(...pointMassKeys(raw, 'atoms'), ...pointMassKeys(raw, 'offsets'));
  const atoms = total(raw.atoms);
  if (atoms > 1 + 1e-9)
    out.push({
      param: 'atoms',
      code: 'atoms_sum',
      message: `atom probabilities sum to ${+atoms.toFixed(6)}, more than 1`,
      fix: 'atoms are point masses; their probabilities must sum to at most 1',
    });
  else if (raw.shift !== undefined && atoms + total(raw.offsets) + copiedOf(raw) > 1 + 1e-9)
    out.push({
      param: 'offsets',
      code: 'atoms_sum',
      message: `atom, offset and copy probabilities sum to ${+(atoms + total(raw.offsets) + copiedOf(raw)).toFixed(6)}, more than 1`,
      fix: 'atoms, offsets and copied are point masses; together they must sum to at most 1',
    });
  if ((raw.copy === undefined) !== (raw.copied === undefined))
    out.push({
      param: raw.copy === undefined ? 'copied' : 'copy',
      message: 'copy and copied go together: the value repeats copy with probability copied',
      fix:
        raw.copy === undefined
          ? 'add copy: <parent column>, or remove copied'
          : 'add copied: <probability>, or remove copy',
    });
  // An expression scale may be ≤ 0 on some rows (those draw 0, as documented); a constant one
  // would make every draw 0, which no fit writes: a hand edit gone wrong.
  if (typeof raw.scale === 'number' && !(raw.scale > 0))
    out.push({
      param: 'scale',
      code: 'bad_parameter',
      message: `a constant scale of ${raw.scale} makes every draw 0`,
      fix: 'give a scale above 0 (or an expression such as parent.los), or remove scale',
    });
  if (raw.scale !== undefined && raw.shift !== undefined)
    out.push({
      param: 'scale',
      code: 'bad_parameter',
      message: 'scale multiplies an unshifted draw; with a shift it is not supported',
      fix: 'remove scale, or remove shift',
    });
  if (raw.shift === undefined) {
    for (const key of ['offsets', 'continuous', 'slope', 'copy', 'copied'])
      if (raw[key] !== undefined)
        out.push({
          param: key,
          code: 'needs_shift',
          message: `${key} only means something with a shift`,
          fix: 'add shift: <parent column>, or remove it',
        });
  } else if (raw.slope !== undefined && raw.continuous !== 'offset')
    out.push({
      param: 'slope',
      code: 'slope_without_offset',
      message: 'slope applies to the continuous part only when it describes the offset',
      fix: 'add continuous: offset, or remove slope',
    });
  return out;
}

/**
 * The table of an unshifted empirical map, built once per map: the compiler asks for both the
 * sampler and the fixed law (its load-time checks), and fitted models hold thousands of tables.
 * An `Empirical` is immutable, so sharing it changes no draw.
 */
const tables = new WeakMap<EmpiricalParams, Empirical>();
function tableOf(raw: EmpiricalParams): Empirical {
  let t = tables.get(raw);
  if (!t) {
    t = new Empirical(raw.knots, atomsFromRecord(raw.atoms));
    tables.set(raw, t);
  }
  return t;
}

export const empirical: Law<'empirical', EmpiricalParams> = {
  name: 'empirical',
  doc: 'A quantile table (knots) plus point masses (atoms), optionally tied to a parent (shift); what fit writes.',
  example: { knots: [0, 10, 25, 60], atoms: { '0': 0.3 } },
  aliases: ['empiric', 'quantiles', 'table'],
  discrete: false,
  schema: EmpiricalParams,
  params: {
    shift: { doc: 'The value the draw is tied to (usually a parent column).', range: 'real' },
    scale: { doc: 'Without shift: the draw is multiplied by it (a size, e.g. parent.los).', range: 'real' },
    copy: { doc: 'With shift: a value the draw repeats exactly with probability copied.', range: 'real' },
  },
  synonyms: new Map([
    ['quantiles', 'knots'],
    ['values', 'knots'],
    ['masses', 'atoms'],
    ['points', 'atoms'],
    ['anchor', 'shift'],
    ['parent', 'shift'],
  ]),
  check: (raw) => check(raw),
  fixed(raw) {
    if (raw.shift !== undefined) return `its empirical table is shifted by "${String(raw.shift)}"`;
    if (raw.scale !== undefined) return `its empirical table is scaled by "${String(raw.scale)}"`;
    const emp = tableOf(raw);
    return {
      discrete: false,
      label: `empirical(${raw.knots.length} knots)`,
      cdf: (x) => emp.cdf(x),
      quantile: (q) => emp.quantile(q),
      mass: (lo, hi) => emp.mass(lo, hi),
      sample: (s, lo, hi) => emp.sample(s, lo, hi),
    };
  },
  sampler(raw, fns) {
    if (raw.shift === undefined && raw.scale !== undefined) {
      const emp = tableOf(raw);
      const scale = fns.scale;
      // value = s × draw, so the draw is truncated to [lo / s, hi / s]; a size of 0 (or missing,
      // or negative) gives 0 when the bounds allow it.
      return (r, g, lo, hi) => {
        const s = scale(r);
        if (!(s > 0)) return lo <= 0 && hi >= 0 ? 0 : Number.NaN;
        return s * emp.sample(g, lo / s, hi / s);
      };
    }
    if (raw.shift === undefined) {
      const emp = tableOf(raw);
      return (_r, g, lo, hi) => emp.sample(g, lo, hi);
    }
    const shift = fns.shift;
    const anchored = new AnchoredEmpirical(
      raw.knots,
      atomsFromRecord(raw.atoms),
      atomsFromRecord(raw.offsets),
      raw.continuous === 'offset',
      raw.slope ?? 1,
      raw.copy === undefined ? 0 : (raw.copied ?? 0),
    );
    const copy = raw.copy === undefined ? undefined : fns.copy;
    if (!copy) return (r, g, lo, hi) => anchored.sample(g, shift(r), lo, hi);
    return (r, g, lo, hi) => anchored.sample(g, shift(r), lo, hi, copy(r));
  },
};
