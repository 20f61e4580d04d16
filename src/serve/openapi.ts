/**
 * The OpenAPI 3.1 document (`GET /openapi.json`), built from the same zod schemas that validate the
 * requests (schemas.ts → `z.toJSONSchema`, JSON Schema 2020-12, which OpenAPI 3.1 uses as is).
 */
import {
  CompleteRequest,
  Health,
  jsonSchemaOf,
  ModelsResponse,
  Problem,
  RowsResponse,
  SampleRequest,
} from './schemas.js';

export interface OpenApiLimits {
  maxJsonRows: number;
  maxRows: number;
  maxBatch: number;
  maxBody: number;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problems = (...codes: number[]) =>
  // plain-object: fixed keys (HTTP status codes)
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      {
        description: PROBLEM_TEXT[c] ?? 'Error',
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    ]),
  );
const PROBLEM_TEXT: Record<number, string> = {
  400: 'Bad request: malformed JSON, unknown column, a value of the wrong type, impossible given values (the detail names the cause)',
  401: 'Missing or unknown API key',
  404: 'No model of that name',
  406: 'Accept names no format the server writes',
  413: 'Body too large',
  415: 'Body is not JSON',
  422: 'The exact completion would cost more than the server allows',
  429: 'Rate limit: retry after the Retry-After seconds',
};

export function openApiDocument(version: string, limits: OpenApiLimits): Record<string, unknown> {
  const name = {
    name: 'name',
    in: 'path',
    required: true,
    schema: { type: 'string' },
    description: 'The spec\u2019s name:',
  };
  const provenance = {
    'Strata-Model-Hash': { schema: { type: 'string' }, description: 'Hash of the model that drew the rows.' },
    'Strata-Seed': {
      schema: { type: 'integer' },
      description: 'Seed used (repeat it to get the same rows).',
    },
  };
  const rows = {
    description: 'Rows',
    headers: provenance,
    content: {
      'application/json': { schema: ref('RowsResponse') },
      'application/x-ndjson': {
        schema: { type: 'string' },
        description: 'One JSON object per line, streamed.',
      },
      'text/csv': {
        schema: { type: 'string' },
        description: 'A header line, then one line per row, streamed.',
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Strata synthesis service',
      version,
      description: `Synthetic records, completions and interventions from Strata models loaded at start. Limits: ${limits.maxJsonRows} rows per JSON answer, ${limits.maxRows} per streamed answer, ${limits.maxBatch} partial rows per completion, ${limits.maxBody} bytes of body.`,
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/models': {
        get: {
          summary: 'Models: names, tables, columns, versions and hashes',
          responses: {
            200: {
              description: 'Models',
              content: { 'application/json': { schema: ref('ModelsResponse') } },
            },
            ...problems(401, 429),
          },
        },
      },
      '/v1/models/{name}/sample': {
        post: {
          summary: 'Draw rows (given: condition on known values; do: intervene)',
          parameters: [name],
          requestBody: { required: true, content: { 'application/json': { schema: ref('SampleRequest') } } },
          responses: { 200: rows, ...problems(400, 401, 404, 406, 413, 415, 422, 429) },
        },
      },
      '/v1/models/{name}/complete': {
        post: {
          summary: 'Complete partial rows from the exact conditional distribution',
          parameters: [name],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('CompleteRequest') } },
          },
          responses: {
            200: {
              description: 'Completed rows',
              headers: provenance,
              content: { 'application/json': { schema: ref('RowsResponse') } },
            },
            ...problems(400, 401, 404, 413, 415, 422, 429),
          },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness',
          security: [],
          responses: {
            200: { description: 'Up', content: { 'application/json': { schema: ref('Health') } } },
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics (text format 0.0.4)',
          responses: {
            200: { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
            ...problems(401),
          },
        },
      },
      '/openapi.json': {
        get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1' } } },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer KEY' },
      },
      schemas: {
        SampleRequest: jsonSchemaOf(SampleRequest),
        CompleteRequest: jsonSchemaOf(CompleteRequest),
        RowsResponse: jsonSchemaOf(RowsResponse),
        ModelsResponse: jsonSchemaOf(ModelsResponse),
        Problem: jsonSchemaOf(Problem),
        Health: jsonSchemaOf(Health),
      },
    },
  };
}
