/**
 * The service's request and response shapes: zod schemas that validate every request body and, via
 * `z.toJSONSchema`, are the OpenAPI document's schemas (openapi.ts), so the two cannot drift.
 * Limits that depend on the server's options (rows per request, batch size) are checked by the
 * handlers against those options and stated in the schema descriptions.
 */
import { z } from 'zod';

/** Largest seed a request may pass (2^53 − 1: the engine's seed range). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;
/** Columns a request may name in `given`, `do` or one partial row. */
export const MAX_NAMED_COLUMNS = 256;

const Scalar = z
  .union([z.string().max(1000), z.number(), z.boolean(), z.null()])
  .describe('A column value: text, number, true/false, or null for a missing value.');

const ColumnName = z.string().min(1).max(256);

/**
 * Column name → value, as JSON Schema describes it (the OpenAPI document). Not used to validate:
 * zod's records skip a `__proto__` key without a word, and column names are data (a column may be
 * called `__proto__`). `Values` below checks the same rules and keeps every name.
 */
const ValuesShape = z
  .record(ColumnName, Scalar)
  .meta({ maxProperties: MAX_NAMED_COLUMNS })
  .describe('Column name → value; dates as ISO text ("2024-01-31") or epoch milliseconds.');

/** A body's object: null-prototype (json-body.ts) or plain, never an array. */
export type ColumnValues = Readonly<Record<string, string | number | boolean | null>>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Column name → value. Names are read as data (never as object keys of the server). */
export const Values = z
  .custom<ColumnValues>(isObject, { message: 'expected an object of column name → value' })
  .superRefine((record, ctx) => {
    const names = Object.keys(record);
    if (names.length > MAX_NAMED_COLUMNS)
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_NAMED_COLUMNS} columns` });
    for (const name of names.slice(0, MAX_NAMED_COLUMNS + 1)) {
      const issue =
        ColumnName.safeParse(name).error?.issues[0] ??
        Scalar.safeParse((record as Record<string, unknown>)[name]).error?.issues[0];
      if (issue) ctx.addIssue({ code: 'custom', path: [name], message: issue.message });
    }
  });

/** The JSON Schema of a request or response schema (for the OpenAPI document). */
export function jsonSchemaOf(s: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any', // `Values` (a custom check); the override below gives its shape
    override: (ctx) => {
      if (ctx.zodSchema !== Values) return;
      const { $schema: _s, ...shape } = z.toJSONSchema(ValuesShape, { target: 'draft-2020-12', io: 'input' });
      Object.assign(ctx.jsonSchema, shape);
    },
  }) as Record<string, unknown>;
  return rest;
}

const Seed = z
  .number()
  .int()
  .min(0)
  .max(MAX_SEED)
  .describe('Root seed (0 … 2^53 − 1). Omitted: the server picks one and returns it.');

const Table = z
  .string()
  .min(1)
  .max(128)
  .describe("Table of the model to draw from (default: the model's only table).");

export const SampleRequest = z
  .strictObject({
    n: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'Rows to draw (default 1). JSON answers hold at most the server\u2019s --max-json-rows; ask for CSV or NDJSON (Accept: text/csv or application/x-ndjson) to stream up to --max-rows.',
      ),
    seed: Seed.optional(),
    given: Values.optional().describe(
      'Known values every row keeps; the other columns are drawn from their exact conditional distribution.',
    ),
    do: Values.optional().describe('Interventions: each column is fixed and its descendants respond.'),
    table: Table.optional(),
  })
  .describe('Draw rows from a model.');
export type SampleRequest = z.infer<typeof SampleRequest>;

export const CompleteRequest = z
  .strictObject({
    rows: z
      .array(Values)
      .min(1)
      .describe('Partial rows; each is completed on its own (at most the server\u2019s --max-batch).'),
    seed: Seed.optional(),
    do: Values.optional().describe('Interventions applied to every row.'),
    table: Table.optional(),
  })
  .describe(
    'Complete partial rows: the missing columns are drawn from their exact conditional distribution.',
  );
export type CompleteRequest = z.infer<typeof CompleteRequest>;

const Row = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const RowsResponse = z
  .object({
    rows: z.array(Row),
    model: z.string(),
    table: z.string(),
    model_hash: z.string().describe('sha256 of the model\u2019s canonical JSON, first 16 hex characters.'),
    seed: Seed.describe('The seed used: the same request with this seed gives the same rows.'),
  })
  .describe('Rows with their provenance.');

export const ModelsResponse = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      version: z
        .number()
        .int()
        .describe('Load generation: 1 at start, +1 each time a reload changes the model.'),
      model_hash: z.string(),
      tables: z.array(
        z.object({
          name: z.string(),
          columns: z.array(z.object({ name: z.string(), type: z.string() })),
        }),
      ),
    }),
  ),
});

export const Problem = z
  .object({
    type: z.string().describe('urn:strata:problem:<code>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('Stable error code, e.g. sample.impossible_given.'),
    hint: z.string().optional(),
    path: z.string().optional().describe('Where in the request the problem is, e.g. given.age.'),
    model_hash: z.string().optional(),
    seed: z.number().optional(),
  })
  .describe('An error as RFC 9457 problem details (application/problem+json).');
export type Problem = z.infer<typeof Problem>;

export const Health = z.object({ status: z.literal('ok'), models: z.number().int() });
