/**
 * The YAML shape of a text plan (`strata text plan PLAN.yaml`), validated with zod.
 */
import { z } from 'zod';
import {
  AxisName,
  AxisValue,
  axesOf,
  axisList,
  CellMatch,
  LEGACY_PLAN_KEYS,
  PLAN_CORE,
  strategyOfStrength,
} from '../spec/plan-vocabulary.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

export const ProviderConfig = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('template'),
    /** Path (relative to the plan) of a template set YAML, or the set inline. */
    templates: z.union([z.string(), z.record(z.string(), z.unknown())]),
    /** Which axis selects the template group (default: the first axis). */
    axis: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('openai'),
    base_url: z.string().url(),
    model: z.string(),
    api_key_env: z.string().optional(),
    price_per_1k_prompt: z.number().min(0).optional(),
    price_per_1k_completion: z.number().min(0).optional(),
    concurrency: z.number().int().min(1).optional(),
    timeout_ms: z.number().int().min(1).optional(),
    retries: z.number().int().min(0).optional(),
    /** Longest Retry-After obeyed (s); a longer one fails the request with a message. */
    max_retry_wait_s: z.number().min(0).max(86_400).optional(),
    /** Largest single response read (bytes); past it the response is abandoned. */
    max_response_bytes: z.number().int().min(1024).optional(),
  }),
  z.strictObject({
    type: z.literal('ollama'),
    base_url: z.string().url().default('http://127.0.0.1:11434'),
    model: z.string(),
    concurrency: z.number().int().min(1).optional(),
    timeout_ms: z.number().int().min(1).optional(),
    retries: z.number().int().min(0).optional(),
    /** Longest Retry-After obeyed (s); a longer one fails the request with a message. */
    max_retry_wait_s: z.number().min(0).max(86_400).optional(),
    /** Largest single response read (bytes); past it the response is abandoned. */
    max_response_bytes: z.number().int().min(1024).optional(),
  }),
]);
export type ProviderConfig = z.infer<typeof ProviderConfig>;

/** A text axis in the list form: `{ name: intent, values: [...] }`. */
const TextAxis = z.strictObject({ name: AxisName, values: z.array(AxisValue).min(1) });

/** Default `max_cells` of a text plan (tabular plans: 100,000). */
export const TEXT_MAX_CELLS = 2000;

const stringMap = (m: Readonly<Record<string, AxisValue>>): Record<string, string> => {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(m)) out[k] = String(v);
  return out;
};

/**
 * A text plan: the shared plan vocabulary (src/spec/plan-vocabulary.ts — axes, strategy, max_cells,
 * min_per_cell, cells, forbid, require) plus what is text: personas, the real log, the prompt, the
 * provider, and the generation pipeline. The old keys `quota`, `quotas: [{ when, n }]` and
 * `cover: { strength }` are read as `min_per_cell`, `cells: [{ when, min }]` and `strategy`.
 */
const PlanObject = z.strictObject({
  name: z.string().default('text-plan'),
  seed: z.number().int().default(1),
  /** A map axis → values (`{ intent: [a, b] }`), or a list of `{ name, values }`. */
  axes: axesOf(TextAxis),
  personas: z
    .strictObject({
      axis: z.string().default('persona'),
      seeds: z.array(z.string()).default([]),
      attributes: z.record(z.string(), z.array(Scalar).min(1)).default({}),
      /** Keep a seeded sample of this many expanded personas. */
      count: z.number().int().min(1).optional(),
    })
    .optional(),
  ...PLAN_CORE,
  /** @deprecated `min_per_cell`. */
  quota: z.number().int().min(0).optional(),
  /** @deprecated `cells: [{ when, min }]`. */
  quotas: z.array(z.strictObject({ when: CellMatch, n: z.number().int().min(0) })).optional(),
  /** @deprecated `strategy` (`1-wise`, `pairwise`, `3-wise`, `4-wise`). */
  cover: z.strictObject({ strength: z.number().int().min(1).max(4) }).optional(),
  real: z
    .strictObject({
      path: z.string(),
      text_field: z.string().default('text'),
      label_field: z.string(),
      axis: z.string(),
      target: z.number().int().min(0).optional(),
      max_quota: z.number().int().min(0).optional(),
      /** Also dedup generated texts against the real corpus (default true). */
      dedup: z.boolean().default(true),
    })
    .optional(),
  prompt: z.string().default('Write one message a customer might send about {intent}.'),
  system: z.string().optional(),
  provider: ProviderConfig.default({ type: 'template', templates: {} }),
  generation: z
    .strictObject({
      batch: z.number().int().min(1).default(8),
      max_batches: z.number().int().min(1).default(50),
      temperature: z.number().min(0).max(2).default(0.8),
    })
    .default({ batch: 8, max_batches: 50, temperature: 0.8 }),
  diversify: z
    .array(
      z.strictObject({
        op: z.string(),
        p: z.number().min(0).max(1).default(1),
        params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      }),
    )
    .default([]),
  dedup: z
    .strictObject({
      scope: z.enum(['cell', 'global']).default('cell'),
      minhash_threshold: z.number().min(0).max(1).nullable().default(0.7),
      embedding_threshold: z.number().min(0).max(1).nullable().default(0.9),
    })
    .default({ scope: 'cell', minhash_threshold: 0.7, embedding_threshold: 0.9 }),
  verify: z
    .strictObject({
      axis: z.string(),
      keywords: z.record(z.string(), z.array(z.string())).optional(),
      /** Label by the k nearest labelled rows of the `real:` log (used when no keywords are given). */
      exemplars: z.number().int().min(1).optional(),
      /** Ask the plan's provider (an LLM) to label each sample. */
      judge: z.boolean().optional(),
      action: z.enum(['reject', 'reroute']).default('reject'),
    })
    .optional(),
  echo: z
    .strictObject({
      novelty_threshold: z.number().min(0).max(1).default(0.2),
      patience: z.number().int().min(1).default(3),
    })
    .default({ novelty_threshold: 0.2, patience: 3 }),
});

export const PlanSpec = PlanObject.superRefine((p, ctx) => {
  for (const k of LEGACY_PLAN_KEYS)
    if (p[k.old] !== undefined && p[k.now] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [k.old],
        message: `"${k.old}" is the old name of "${k.now}"; give only "${k.now}"`,
      });
  if (Array.isArray(p.axes)) {
    const seen = new Set<string>();
    p.axes.forEach((a, i) => {
      if (seen.has(a.name))
        ctx.addIssue({
          code: 'custom',
          path: ['axes', i, 'name'],
          message: `two axes are named "${a.name}"`,
        });
      seen.add(a.name);
    });
  }
}).transform(({ quota, quotas, cover, axes, ...p }) => {
  const axisMap: Record<string, string[]> = Object.create(null);
  for (const a of axisList<z.infer<typeof TextAxis>>(axes, (a) => a)) axisMap[a.name] = a.values.map(String);
  const cells = p.cells ?? quotas?.map((q) => ({ when: q.when, min: q.n })) ?? [];
  return {
    ...p,
    axes: axisMap,
    strategy: p.strategy ?? (cover ? strategyOfStrength(cover.strength) : undefined),
    max_cells: p.max_cells ?? TEXT_MAX_CELLS,
    min_per_cell: p.min_per_cell ?? quota ?? 1,
    cells: cells.map((c) => ({ when: stringMap(c.when), min: c.min })),
    forbid: p.forbid ?? [],
    require: p.require ?? [],
  };
});
export type PlanSpec = z.infer<typeof PlanSpec>;
export type PlanInput = z.input<typeof PlanSpec>;
