/**
 * The coverage-plan vocabulary, one for tabular plans (a spec's `coverage:`) and text plans
 * (`strata text plan`). Both describe the same thing — axes whose value combinations are cells, a
 * strength (the full product or a t-wise covering array), constraints that remove cells, and a
 * minimum count per cell — with the same keys:
 *
 * | key            | meaning                                                                         |
 * |----------------|---------------------------------------------------------------------------------|
 * | `axes`         | a list (`[segment, { name, values, … }]`) or a map (`{ segment: [a, b] }`)       |
 * | `strategy`     | `product`, or a t-wise cover: `1-wise`, `pairwise`, `3-wise`, `4-wise`           |
 * | `max_cells`    | without `strategy`, a product larger than this becomes a pairwise cover;         |
 * |                | with `strategy: product`, a larger product is refused                            |
 * | `min_per_cell` | rows/texts each cell must get                                                    |
 * | `cells`        | per-cell overrides `[{ when: { axis: value, … }, min }]`, the last match wins    |
 * | `forbid`       | cells to remove: an expression over axis names, or a map (all listed axes equal) |
 * | `require`      | cells to keep: the same forms; a cell for which one is false is removed          |
 *
 * Each domain adds only what is its own: tabular axes may read columns (`column`, `bins`, `expr`) and
 * quotas may follow the model (`target`); text plans add personas, prompts and providers. Text plans
 * written with the old text keys (`quota`, `quotas: [{ when, n }]`, `cover: { strength }`) still load:
 * `LEGACY_PLAN_KEYS` maps them to these, and loaders print a deprecation notice.
 */
import { z } from 'zod';

/** A value an axis can take, as written in YAML. */
export const AxisValue = z.union([z.string(), z.number(), z.boolean()]);
export type AxisValue = z.infer<typeof AxisValue>;

/** A partial cell: axis name → value. */
export const CellMatch = z.record(z.string(), AxisValue);
export type CellMatch = z.infer<typeof CellMatch>;

/** A `forbid:` / `require:` entry: an expression over axis names, or a map whose axes all match. */
export const Constraint = z.union([z.string().min(1), CellMatch]);
export type Constraint = z.infer<typeof Constraint>;

/** A per-cell quota override. */
export const CellQuota = z.strictObject({ when: CellMatch, min: z.number().int().min(0) });
export type CellQuota = z.infer<typeof CellQuota>;

export const STRATEGIES = ['product', '1-wise', 'pairwise', '3-wise', '4-wise'] as const;
export const Strategy = z.enum(STRATEGIES);
export type Strategy = z.infer<typeof Strategy>;

/** Covering-array strength t of a strategy (null for the full product). */
export function strengthOf(s: Strategy): number | null {
  return s === 'product' ? null : s === 'pairwise' ? 2 : Number(s[0]);
}

/** The strategy for a covering-array strength t (1–4). */
export function strategyOfStrength(t: number): Strategy {
  return t === 2 ? 'pairwise' : (`${t}-wise` as Strategy);
}

/** Upper bound of `max_cells`, and of the rows a t-wise cover may need (its lower bound is refused above this). */
export const HARD_MAX_CELLS = 1_000_000;

/** An axis name in the map form (also what expressions can name without backticks). */
export const AxisName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an axis name is a letter or _ then letters, digits, _');

/** Axes: a list of `entry` (domain-specific), or a map name → values. */
export function axesOf<T extends z.ZodType>(entry: T) {
  return z.union([z.array(entry).min(1), z.record(AxisName, z.array(AxisValue).min(1))]);
}

/** The keys every plan shares (zod shape, spread into each domain's plan object). */
export const PLAN_CORE = {
  strategy: Strategy.optional().describe(
    'product (every combination) or a t-wise covering array: 1-wise, pairwise, 3-wise, 4-wise',
  ),
  max_cells: z
    .number()
    .int()
    .min(1)
    .max(HARD_MAX_CELLS)
    .optional()
    .describe('without strategy, a larger product becomes a pairwise cover; with product it is refused'),
  min_per_cell: z.number().int().min(0).optional().describe('rows (or texts) each cell must get'),
  cells: z.array(CellQuota).optional().describe('per-cell quotas [{ when, min }]; the last match wins'),
  forbid: z.array(Constraint).optional().describe('cells to remove: expressions over axis names, or maps'),
  require: z.array(Constraint).optional().describe('cells to keep: a cell for which one is false is removed'),
};

/** A map-form axis as a list entry: `{ segment: [a, b] }` → `{ name: 'segment', values: [a, b] }`. */
export interface NamedValues {
  name: string;
  values: AxisValue[];
}

/**
 * The axes of either form, each with its key under `axes` (list index or map key, for error
 * places); a map entry becomes `fromMap({ name, values })` (for tabular axes, the object itself).
 */
export function axisEntries<T>(
  axes: readonly T[] | Readonly<Record<string, AxisValue[]>>,
  fromMap: (a: NamedValues) => T,
): { axis: T; at: string | number }[] {
  if (Array.isArray(axes)) return (axes as readonly T[]).map((axis, at) => ({ axis, at }));
  return Object.entries(axes as Record<string, AxisValue[]>).map(([name, values]) => ({
    axis: fromMap({ name, values }),
    at: name,
  }));
}

/** The axes of either form as a list. */
export function axisList<T>(
  axes: readonly T[] | Readonly<Record<string, AxisValue[]>>,
  fromMap: (a: NamedValues) => T,
): T[] {
  return axisEntries(axes, fromMap).map((e) => e.axis);
}

/** Old text-plan keys, still read, with the key that replaces each. */
export const LEGACY_PLAN_KEYS = [
  { old: 'quota', now: 'min_per_cell', example: 'min_per_cell: 5' },
  { old: 'quotas', now: 'cells', example: 'cells: [{ when: { intent: x }, min: 10 }]' },
  { old: 'cover', now: 'strategy', example: 'strategy: pairwise' },
] as const;

export interface LegacyKeyNotice {
  /** The old key (top level of the plan). */
  key: string;
  message: string;
}

/** Deprecation notices for the old keys a raw plan object uses. */
export function legacyKeyNotices(raw: unknown): LegacyKeyNotice[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [];
  return LEGACY_PLAN_KEYS.filter((k) => Object.hasOwn(raw, k.old)).map((k) => ({
    key: k.old,
    message: `"${k.old}" is deprecated (it still works); write "${k.now}" instead, e.g. ${k.example}`,
  }));
}
