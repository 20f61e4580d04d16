/**
 * The Strata spec: one format for hand-written specs and fitted models.
 *
 * This module is the single source of truth for the spec's shape. TypeScript types are derived
 * from the zod schemas (`z.infer`), and `strata schema` exports them as JSON Schema.
 *
 * Conventions:
 *  - A "param" is a number or an expression string evaluated per row over the column's parents.
 *  - Datetime values are handled internally as epoch milliseconds (UTC); in the spec they may be
 *    written as ISO date strings (`"2015-01-01"`), numbers, or expressions.
 */
import { z } from 'zod';
import { EmpiricalParams as EmpiricalSchema, LAW_NAMES, LAWS, ParamValue } from '../random/laws/index.js';
import { AxisValue, axesOf, PLAN_CORE } from './plan-vocabulary.js';

/** A number, or an expression (string) over the column's parents. */
export const Param = ParamValue;
export type Param = z.infer<typeof Param>;

const strictObject = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape);

/** Quantile table: `knots[i]` is the value at probability i/(knots.length-1); linear inside (the empirical law). */
export const EmpiricalParams = EmpiricalSchema;
export type EmpiricalParams = z.infer<typeof EmpiricalParams>;

/**
 * Every distribution's name, from the law registry (src/random/laws). Typed as plain strings on
 * purpose: the public API names no registry internals (src/random/laws/index.ts has the literal
 * union, `LawName`, and the exact `Dist` type for code inside the package).
 */
export const DistributionNames: readonly string[] = LAW_NAMES;
export type DistributionName = string;

/** One law's parameters, by name: numbers, expressions (strings) or, for `empirical`, its tables. */
export type DistParams = { readonly [param: string]: unknown };
/** `{ normal: { mean: 41, sd: 13 } }`: exactly one key, a law's name, with its parameters by name. */
export type Dist = { [law: string]: DistParams };

/**
 * One branch per law of the registry, each with that law's parameter schema (by name) and docs.
 * The spec checks (check-dist.ts) give the readable messages; this is the shape.
 */
const distBranches: z.ZodType[] = LAWS.map((law) =>
  strictObject({ [law.name]: law.schema.describe(law.doc) }),
);
export const Dist: z.ZodType<Dist> = z
  .union(distBranches)
  .describe(
    'A distribution: exactly one key, its name, e.g. { normal: { mean: 41, sd: 13 } }.',
  ) as z.ZodType<Dist>;

/** Category weights: `{a: 0.7, b: 0.3}` (weights may be expressions) or `[a, b]` (uniform). */
export const CategoryValues = z
  .union([z.record(z.string(), Param), z.array(z.union([z.string(), z.number(), z.boolean()])).min(1)])
  .describe('Category weights { a: 0.7, b: 0.3 } (weights may be expressions), or a list [a, b] (uniform).');
export type CategoryValues = z.infer<typeof CategoryValues>;

/** How a parent is turned into a discrete state for a conditional table. */
export const ConditionalParent = strictObject({
  /** A column or context name (`parent.x`, `prev.x`, `index`); or `expr` instead. */
  column: z.string().optional(),
  /**
   * Instead of `column`: a numeric expression over the column's `given` names, binned by `breaks`
   * (fit writes the room a sequence row has left: `(parent.outtime - prev.t) / (remaining + 1)`).
   */
  expr: z.string().optional(),
  /** Numeric parents: ascending cut points; state i is [breaks[i-1], breaks[i]). Absent: the raw value. */
  breaks: z.array(z.number()).optional(),
});
export type ConditionalParent = z.infer<typeof ConditionalParent>;

/**
 * One row of a conditional table: the parent states it applies to (one label per parent, in order;
 * numeric parents use the bin index as a string, "0".."k", a missing parent is "NA", "*" is any
 * state and a list is any of its states), and the child's mechanism in that state. A fitted
 * context-specific table (a small tree of parent conditions) is written as such rows, one per leaf.
 */
export const ConditionalRow = strictObject({
  when: z
    .array(
      z.union([
        z.string(),
        z.number(),
        z.boolean(),
        z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
      ]),
    )
    .describe(
      'One state label per parent, in order; "*" matches any state of that parent ("\\\\*" is the state *; a leading backslash escapes), and a list [a, b] any of its states. A row of the exact state wins over rows with "*" or lists; among those, the first that matches.',
    ),
  values: CategoryValues.optional(),
  dist: Dist.optional(),
  p: Param.optional(),
  missing: z.number().min(0).max(1).optional(),
  /** Number of real rows this state was learned from (informational). */
  n: z.number().optional(),
});
export type ConditionalRow = z.infer<typeof ConditionalRow>;

export const Conditional = strictObject({
  parents: z.array(ConditionalParent).min(1),
  rows: z.array(ConditionalRow),
  /** Used for parent states not listed in `rows`. */
  default: strictObject({
    values: CategoryValues.optional(),
    dist: Dist.optional(),
    p: Param.optional(),
    missing: z.number().min(0).max(1).optional(),
  }).optional(),
});
export type Conditional = z.infer<typeof Conditional>;

/** Units a text law draws after a context: parallel lists, `""` in `next` ends the text. */
const TextNext = strictObject({
  next: z.array(z.string()).min(1).describe('Units that may follow; "" ends the text.'),
  n: z.array(z.number().min(0)).min(1).describe('Weight (real count) of each unit in `next`, in order.'),
});

/** One context of a text law: the last `order` units (fewer at the start of a text). */
export const TextState = strictObject({
  after: z
    .string()
    .describe(
      'The context: the previous units (words joined by one space; characters as they are); "" = the start.',
    ),
  ...TextNext.shape,
});
export type TextState = z.infer<typeof TextState>;

/** Values written whole, with their weights: only values seen in at least k real rows. */
const TextCommon = strictObject({ values: z.array(z.string()).min(1), n: z.array(z.number().min(0)).min(1) });

/** How one state of the text law's parent changes the draw. */
export const TextByState = strictObject({
  when: z.union([z.string(), z.number(), z.boolean()]).describe('The parent value.'),
  rows: z.number().min(0).describe('Real rows with this parent value.'),
  start: TextNext.optional().describe('Openings (the first `order` units, joined) in this state.'),
  boost: strictObject({ units: z.array(z.string()).min(1), x: z.array(z.number().min(0)).min(1) })
    .optional()
    .describe('Units made x times as likely wherever they may follow, in this state.'),
  common: TextCommon.optional().describe('Common values in this state, with their real counts.'),
});
export type TextByState = z.infer<typeof TextByState>;

/**
 * A fitted text law (src/model/text-law.ts): a Markov chain over words or characters learned from a
 * column, a list of common values (seen in ≥ k rows), optionally tilted by one category parent, and
 * a guard that redraws a text equal to a rare real value or sharing a long n-gram with one.
 */
export const TextLaw = strictObject({
  unit: z.enum(['word', 'char']).describe('What the chain draws: words (split at spaces) or characters.'),
  order: z.number().int().min(1).max(6).describe('Units of context the chain looks back.'),
  max_units: z.number().int().min(1).max(10_000).optional().describe('Longest text, in units (default 100).'),
  min_units: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .optional()
    .describe('Shortest text, in units: the chain does not end before it where it can go on (default 0).'),
  lengths: strictObject({
    units: z.array(z.number().int().min(1)).min(1),
    n: z.array(z.number().min(0)).min(1),
  })
    .optional()
    .describe(
      'Lengths of chain draws in units, with real counts: a draw picks its length first and the chain goes on until it (default: the chain ends where it draws "").',
    ),
  rows: z.number().min(0).describe('Real rows not written as a common value: the weight of the chain.'),
  common: TextCommon.optional().describe(
    'Values written whole, with their real counts (each seen in ≥ k rows).',
  ),
  states: z.array(TextState).min(1).describe('The chain: one row per context.'),
  by: strictObject({
    column: z.string().describe('A category column this text depends on (listed in given).'),
    prior: z
      .number()
      .min(0)
      .optional()
      .describe('Pseudo-rows of the whole column behind each state (default 2).'),
    states: z.array(TextByState),
  }).optional(),
  guard: strictObject({
    tries: z.number().int().min(1).max(1000).describe('Draws before a text sharing an n-gram is accepted.'),
    ngram: z.number().int().min(2).describe('Units in a shared n-gram that counts as copying.'),
    hashes: z.number().int().min(1).max(16),
    bits: z.number().int().min(8),
    bloom: z
      .array(z.string())
      .describe('Bloom filter (base64 lines) of the rare real values and their n-grams.'),
  }).optional(),
});
export type TextLaw = z.infer<typeof TextLaw>;

/** The state a fit pools rare categories into (src/fit/encode.ts). */
export const DEFAULT_OTHER_STATE = '(other)';

/**
 * How a category's pooled state is written (src/model/other.ts): the state stays the state for
 * children, rules, `--do` and coverage cells, but is never written as such. A draw of it is
 * written as a fresh value from `text` (never one of the column's listed values, never a rare
 * real value: the law's guard); without `text`, or when the law gives no fresh value, the column
 * is drawn again for that row until it gives a listed value.
 */
export const OtherLaw = strictObject({
  state: z
    .string()
    .optional()
    .describe('The pooled state whose draws are written as fresh values (default "(other)").'),
  text: TextLaw.optional().describe(
    'A text law fitted on the pooled (rare) values; without it the state is drawn as the listed values.',
  ),
});
export type OtherLaw = z.infer<typeof OtherLaw>;

export const ColumnTypes = [
  'integer',
  'number',
  'category',
  'boolean',
  'datetime',
  'date',
  'string',
  'id',
  'derived',
  'ref',
] as const;
export type ColumnType = (typeof ColumnTypes)[number];

export const Column = strictObject({
  type: z.enum(ColumnTypes).describe('Column type.'),
  description: z.string().optional(),
  /** Causal parents. Identifiers used in this column's expressions are added automatically. */
  given: z
    .array(z.string())
    .optional()
    .describe('Causal parents: columns of the same table, or parent.x, T.x, prev.x, first.x, index.'),
  /** Numeric / datetime mechanism. */
  dist: Dist.optional(),
  /** Category (or integer/boolean) mechanism. */
  values: CategoryValues.optional(),
  /** Boolean: probability of true (number or expression). */
  p: Param.optional(),
  /** Conditional probability table / per-parent-state mechanism. */
  conditional: Conditional.optional(),
  /** Derived column: value is this expression over other columns. */
  expr: z.string().optional().describe('Derived value: an expression over other columns.'),
  /** Truncation bounds (by construction). Datetimes accept ISO strings. */
  min: z.union([z.number(), z.string()]).optional(),
  max: z.union([z.number(), z.string()]).optional(),
  /** number: decimals kept on output. */
  decimals: z.number().int().min(0).max(15).optional(),
  /** datetime/date: output format (`iso`, `date`, `epoch_ms`, or a pattern like `YYYY-MM-DD HH:mm`). */
  format: z.string().optional(),
  /** string via Faker: `internet.email`, `person.fullName`, ... */
  faker: z.string().optional().describe('Faker method as module.method, e.g. internet.email.'),
  /** string: a fitted text law (words or characters), see docs/spec-reference. */
  text: TextLaw.optional().describe('A text law learned from a column: a word or character chain.'),
  /** category: how its pooled state (`(other)`) is written, see OtherLaw. */
  other: OtherLaw.optional().describe(
    'How the pooled state of a category is written: fresh values, never the placeholder.',
  ),
  locale: z.string().optional(),
  /** id: `sequential` (default) or `uuid`. */
  id: z.enum(['sequential', 'uuid']).optional(),
  start: z.number().int().optional(),
  prefix: z.string().optional(),
  /** Probability that the value is missing (number or expression of parents). */
  missing: Param.optional().describe('Probability that the value is missing (number or expression).'),
  /** Tokens that mean "missing" in this column of real data (read by fit --from, evaluate --spec). */
  na_values: z
    .array(z.string())
    .optional()
    .describe(
      'Tokens read as missing in this column of real data (fit --from, evaluate --spec), besides empty fields and --na-values.',
    ),
});
export type Column = z.infer<typeof Column>;

export const Rule = strictObject({
  name: z.string().min(1),
  check: z.string().min(1),
  description: z.string().optional(),
});
export type Rule = z.infer<typeof Rule>;

/** A child table's parent: the table, and the foreign-key column of this table holding its key. */
export const ParentRef = z.union([
  z.string(),
  strictObject({
    table: z.string(),
    column: z
      .string()
      .optional()
      .describe('The foreign-key column of this table (default: named like the parent key).'),
  }),
]);
export type ParentRef = z.infer<typeof ParentRef>;

/** Children per parent row: an integer mechanism drawn in the parent's context (`parent.x`). */
export const ChildCount = strictObject({
  given: Column.shape.given,
  dist: Dist.optional(),
  values: CategoryValues.optional(),
  conditional: Conditional.optional(),
  expr: z.string().optional(),
  min: z.number().int().min(0).optional(),
  max: z.number().int().min(0).optional(),
});
export type ChildCount = z.infer<typeof ChildCount>;

/**
 * The rows under one parent are drawn and written in the order of `order` (a time or number
 * column). A panel (one table, rows grouped by an entity column) names `entity` instead of a parent.
 */
export const Sequence = strictObject({
  order: z
    .string()
    .optional()
    .describe('Column the rows under one parent (or entity) are ordered by (prev.x is the row before).'),
  entity: z
    .string()
    .optional()
    .describe('A panel: the id column grouping this table\u2019s rows into entities (no parent table).'),
});
export type Sequence = z.infer<typeof Sequence>;

export const Table = strictObject({
  rows: z.number().int().min(0).optional().describe('Number of rows to generate (root tables: entities).'),
  description: z.string().optional(),
  /** Primary key: an `id` column (unique by construction). */
  key: z.string().optional().describe('Primary key column (type id).'),
  parent: ParentRef.optional().describe('Parent table; each row of this table belongs to one parent row.'),
  count: ChildCount.optional().describe('Rows of this table per parent row (an integer mechanism).'),
  sequence: Sequence.optional().describe(
    'The rows under one parent (or one entity) form a sequence ordered by a column.',
  ),
  columns: z.record(z.string(), Column),
  rules: z.array(Rule).optional().describe('Rules that must hold on every row.'),
});
export type Table = z.infer<typeof Table>;

/** A coverage axis: a column name, or a named derived label / numeric binning. */
export const CoverageAxis = z.union([
  z.string(),
  strictObject({
    name: z.string(),
    column: z.string().optional(),
    expr: z.string().optional(),
    /** Numeric column: ascending cut points; labels default to "[a,b)". */
    bins: z.array(z.number()).optional(),
    labels: z.array(z.string()).optional(),
    /** Restrict to these values (default: all values the model can produce). */
    values: z.array(AxisValue).optional(),
  }),
]);
export type CoverageAxis = z.infer<typeof CoverageAxis>;

/**
 * A table's coverage plan: the shared plan vocabulary (src/spec/plan-vocabulary.ts: axes, strategy,
 * max_cells, min_per_cell, cells, forbid, require) plus what is tabular: axes that read columns,
 * `target` and `real`.
 */
export const CoveragePlan = strictObject({
  /** A list of axes, or a map column → values (`{ segment: [retail, business] }`). */
  axes: axesOf(CoverageAxis),
  ...PLAN_CORE,
  /** uniform: same quota everywhere; model: proportional to model probability, floored at min_per_cell; floor(p): at least p of rows. */
  target: z.string().optional(),
  /** Real data file: per-cell real frequencies raise under-represented cells. */
  real: z.string().optional(),
  /**
   * What a quota counts on a relational spec: `rows` (default) of the plan's table, or root
   * `entities` with at least one such row in the cell. On one table a row is an entity.
   */
  unit: z
    .enum(['rows', 'entities'])
    .optional()
    .describe('relational specs: quotas count rows of the plan table (default) or root entities'),
});
export type CoveragePlan = z.infer<typeof CoveragePlan>;

export const Tail = strictObject({
  name: z.string(),
  table: z.string().optional(),
  when: z.string(),
  share: z.number().gt(0).lt(1),
  /** Extrapolate beyond the observed maximum with a generalised Pareto tail. */
  extrapolate: z.boolean().optional(),
});
export type Tail = z.infer<typeof Tail>;

export const Scenario = strictObject({
  name: z.string(),
  table: z.string().optional(),
  share: z.number().gt(0).max(1).optional(),
  /** Interventions: column -> value or expression. */
  do: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
  /** Stress shifts: column -> { param, scale?, add? }. */
  shift: z
    .record(
      z.string(),
      strictObject({ param: z.string(), scale: z.number().optional(), add: z.number().optional() }),
    )
    .optional(),
});
export type Scenario = z.infer<typeof Scenario>;

/** What a fitted model records about how it was learned. */
/** Figures the refine loop judged a model by, on its validation split (fit/refine-loop.ts). */
export const RefineFigures = z.object({
  /** Held-out log-likelihood per row (nats) of the repaired column given its parents. */
  loglik: z.number().optional(),
  detection_auc: z.number().nullable(),
  dcr_share: z.number().nullable(),
  accuracy_bivariate: z.number().nullable(),
});

/** One repair the refine loop tried: what, why (which figure flagged it), the figures, kept or not. */
export const RefineStep = z.object({
  round: z.number().int(),
  repair: z.string(),
  why: z.string(),
  kept: z.boolean(),
  /** false: kept on the fit part but not applied to the model of all rows (the pair is already joined there, or the edge would close a cycle). */
  applied: z.boolean().optional(),
  /** Why a repair was not kept (which test it failed) or not applied. */
  verdict: z.string().optional(),
  before: RefineFigures,
  after: RefineFigures,
});

/** The `fit.refine` trace: how the loop was run and every repair it tried, round by round. */
export const RefineTrace = z.object({
  rounds: z.number().int(),
  seed: z.number().int(),
  validation_rows: z.number().int(),
  dcr_bound: z.number(),
  detection_tolerance: z.number(),
  start: RefineFigures,
  steps: z.array(RefineStep),
});
export type RefineTrace = z.infer<typeof RefineTrace>;
export type RefineStep = z.infer<typeof RefineStep>;
export type RefineFigures = z.infer<typeof RefineFigures>;

export const FitInfo = z
  .object({
    source: z.string().optional(),
    refine: RefineTrace.optional().describe('What `strata fit --refine` tried and kept (docs/fit.md).'),
    rows: z.number().optional(),
    fitted_at: z.string().optional(),
    epsilon: z.number().nullable().optional(),
    min_category_count: z.number().optional(),
    graph: z.string().optional(),
  })
  .passthrough();

export const Spec = strictObject({
  strata: z.literal(1).describe('Spec format version (1).'),
  name: z.string().optional(),
  description: z.string().optional(),
  seed: z.number().int().optional().describe('Root seed; every stream derives from it.'),
  tables: z.record(z.string(), Table),
  coverage: z
    .record(z.string(), CoveragePlan)
    .optional()
    .describe('Coverage plans, keyed by table: what must be present, decided before generating.'),
  tails: z.array(Tail).optional().describe('Rare regions generated on purpose, with their share of rows.'),
  scenarios: z.array(Scenario).optional().describe('Interventions (do) and stress shifts.'),
  fit: FitInfo.optional(),
});
export type Spec = z.infer<typeof Spec>;
