import { describe, expect, it } from 'vitest';
import { LAW_NAMES, LAWS } from '../random/laws/index.js';
import { CARD_CUSTOMERS_YAML } from './examples.js';
import { SPEC_SCHEMA_ID, specJsonSchema } from './json-schema.js';
import { loadYaml } from './yaml.js';

type JsonSchema = Record<string, unknown>;

/**
 * A tiny structural JSON Schema checker for the keywords zod emits here (type, properties,
 * required, additionalProperties, const, enum, anyOf, items, minItems, numeric bounds, minLength).
 * Returns the paths that fail; enough to prove the exported schema describes real specs.
 */
function violations(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const out: string[] = [];
  const t = schema.type as string | string[] | undefined;
  if (t !== undefined) {
    const types = Array.isArray(t) ? t : [t];
    const actual = Array.isArray(value)
      ? 'array'
      : value === null
        ? 'null'
        : typeof value === 'number' && Number.isInteger(value)
          ? 'integer'
          : typeof value;
    const ok = types.some((x) => x === actual || (x === 'number' && actual === 'integer'));
    if (!ok) return [`${path}: type ${actual} not in ${types.join('|')}`];
  }
  if ('const' in schema && schema.const !== value) out.push(`${path}: not const ${String(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) out.push(`${path}: not in enum`);
  if (Array.isArray(schema.anyOf)) {
    const ok = (schema.anyOf as JsonSchema[]).some((s) => violations(s, value, path).length === 0);
    if (!ok) out.push(`${path}: matches no anyOf branch`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) out.push(`${path}: < minimum`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) out.push(`${path}: > maximum`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
      out.push(`${path}: <= exclusiveMinimum`);
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum)
      out.push(`${path}: >= exclusiveMaximum`);
  }
  if (typeof value === 'string' && typeof schema.minLength === 'number' && value.length < schema.minLength) {
    out.push(`${path}: shorter than minLength`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      out.push(`${path}: fewer than minItems`);
    if (schema.items) {
      value.forEach((v, i) => {
        out.push(...violations(schema.items as JsonSchema, v, `${path}[${i}]`));
      });
    }
  } else if (typeof value === 'object' && value !== null) {
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema.required ?? []) as string[]) {
      if (!(key in value)) out.push(`${path}: missing ${key}`);
    }
    for (const [key, v] of Object.entries(value)) {
      if (props[key]) out.push(...violations(props[key], v, `${path}.${key}`));
      else if (schema.additionalProperties === false) out.push(`${path}: additional property ${key}`);
      else if (typeof schema.additionalProperties === 'object') {
        out.push(...violations(schema.additionalProperties as JsonSchema, v, `${path}.${key}`));
      }
    }
  }
  return out;
}

describe('specJsonSchema', () => {
  const schema = specJsonSchema() as JsonSchema;

  it('is draft 2020-12 JSON with $id, title and the spec top-level properties', () => {
    const roundTrip = JSON.parse(JSON.stringify(schema)) as JsonSchema;
    expect(roundTrip).toEqual(schema);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(SPEC_SCHEMA_ID);
    expect(schema.title).toBe('Strata spec');
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties as object).sort()).toEqual(
      ['coverage', 'description', 'fit', 'name', 'scenarios', 'seed', 'strata', 'tables', 'tails'].sort(),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['strata', 'tables']));
    expect(schema.additionalProperties).toBe(false);
    const props = schema.properties as Record<string, JsonSchema>;
    expect(props.strata.description).toMatch(/version/);
    expect(JSON.stringify(schema)).toContain('A distribution: exactly one key');
  });

  it('accepts the card-customers example', () => {
    expect(violations(schema, loadYaml(CARD_CUSTOMERS_YAML, 'card.yaml', 'spec.yaml').value)).toEqual([]);
  });

  it('rejects specs the loader rejects (so the check above is not vacuous)', () => {
    const example = loadYaml(CARD_CUSTOMERS_YAML, 'card.yaml', 'spec.yaml').value as {
      strata: number;
      tables: Record<string, JsonSchema>;
    };
    expect(violations(schema, { ...example, strata: 2 })).toContain('$.strata: not const 1');
    const bad = structuredClone(example) as unknown as {
      tables: { customer: { columns: Record<string, Record<string, unknown>> } };
    };
    bad.tables.customer.columns.age.dist = { normall: { mean: 1, sd: 2 } };
    bad.tables.customer.columns.email.type = 'strng';
    expect(violations(schema, bad)).toEqual([
      '$.tables.customer.columns.age.dist: matches no anyOf branch',
      '$.tables.customer.columns.email.type: not in enum',
    ]);
  });

  it('has one dist branch per law of the registry, with its parameters by name and its docs', () => {
    const columns = (schema.properties as Record<string, JsonSchema>).tables
      .additionalProperties as JsonSchema;
    const column = (
      (columns.properties as Record<string, JsonSchema>).columns.additionalProperties as JsonSchema
    ).properties as Record<string, JsonSchema>;
    const branches = column.dist.anyOf as JsonSchema[];
    expect(branches.map((b) => Object.keys(b.properties as object)[0])).toEqual([...LAW_NAMES]);
    for (const law of LAWS) {
      const branch = branches.find((b) => Object.keys(b.properties as object)[0] === law.name) as JsonSchema;
      const params = (branch.properties as Record<string, JsonSchema>)[law.name];
      expect(params.description).toBe(law.doc);
      expect(violations(params, law.example)).toEqual([]);
    }
    const normal = loadYaml(CARD_CUSTOMERS_YAML, 'card.yaml', 'spec.yaml').value as {
      tables: Record<string, JsonSchema>;
    };
    const t = structuredClone(normal) as unknown as {
      tables: { customer: { columns: Record<string, Record<string, unknown>> } };
    };
    t.tables.customer.columns.age.dist = { student_t: { df: 3, location: 41 } };
    expect(violations(schema, t)).toEqual([]);
  });
});
