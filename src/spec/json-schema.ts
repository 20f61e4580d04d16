/** The spec's JSON Schema (draft 2020-12), generated from the zod schema so the two cannot drift. */
import { z } from 'zod';
import { Spec } from './schema.js';

export const SPEC_SCHEMA_ID = 'https://strata.dev/schema/spec-v1.json';

export function specJsonSchema(): object {
  const schema = z.toJSONSchema(Spec, { target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return {
    $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema',
    $id: SPEC_SCHEMA_ID,
    title: 'Strata spec',
    description:
      'A Strata synthetic-data spec: tables and columns, rules, coverage plan, tails and scenarios.',
    ...rest,
  };
}
