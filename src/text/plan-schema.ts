/**
 * The YAML shape of a text plan (`strata text plan PLAN.yaml`), validated with zod.
 */
import { z } from 'zod';

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
  }),
  z.strictObject({
    type: z.literal('ollama'),
    base_url: z.string().url().default('http://127.0.0.1:11434'),
    model: z.string(),
    concurrency: z.number().int().min(1).optional(),
    timeout_ms: z.number().int().min(1).optional(),
    retries: z.number().int().min(0).optional(),
  }),
]);
export type ProviderConfig = z.infer<typeof ProviderConfig>;

export const PlanSpec = z.strictObject({
  name: z.string().default('text-plan'),
  seed: z.number().int().default(1),
  axes: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.array(Scalar).min(1)),
  personas: z
    .strictObject({
      axis: z.string().default('persona'),
      seeds: z.array(z.string()).default([]),
      attributes: z.record(z.string(), z.array(Scalar).min(1)).default({}),
      /** Keep a seeded sample of this many expanded personas. */
      count: z.number().int().min(1).optional(),
    })
    .optional(),
  forbid: z.array(z.union([z.string(), z.record(z.string(), Scalar)])).default([]),
  quota: z.number().int().min(0).default(1),
  quotas: z
    .array(z.strictObject({ when: z.record(z.string(), Scalar), n: z.number().int().min(0) }))
    .default([]),
  cover: z.strictObject({ strength: z.number().int().min(1).max(4) }).optional(),
  max_cells: z.number().int().min(1).default(2000),
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
export type PlanSpec = z.infer<typeof PlanSpec>;
export type PlanInput = z.input<typeof PlanSpec>;
