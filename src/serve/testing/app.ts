/** Test helpers: an app over models written to a temporary folder, driven with `inject()`. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CARD_CUSTOMERS_YAML } from '../../spec/examples.js';
import { buildApp, type ServeLimits } from '../app.js';
import { keyRing, sha256Hex } from '../keys.js';
import { createMetrics } from '../metrics.js';
import { loadModels, ModelRegistry } from '../models.js';

export const KEY = 'test-key-0123456789abcdef';
export const AUTH = { authorization: `Bearer ${KEY}` };

/** A two-column discrete model with a rule, small enough to enumerate. */
export const SMALL_YAML = `strata: 1
name: small
seed: 1
tables:
  t:
    columns:
      colour: { type: category, values: { red: 0.5, green: 0.3, blue: 0.2 } }
      size:
        type: category
        given: [colour]
        conditional:
          parents: [{ column: colour }]
          rows:
            - { when: [red], values: { s: 0.2, m: 0.5, l: 0.3 } }
            - { when: [green], values: { s: 0.6, m: 0.4, l: 0 } }
          default: { values: { s: 0.1, m: 0.1, l: 0.8 } }
      n: { type: integer, dist: { poisson: { lambda: 3 } }, min: 0, max: 20 }
    rules:
      - { name: not_blue_small, check: "not (colour == 'blue' and size == 's')" }
`;

/** A model whose columns are named like Object.prototype's keys: names are data. */
export const PROTO_YAML = `strata: 1
name: proto
seed: 1
tables:
  t:
    columns:
      __proto__: { type: category, values: { x: 0.5, y: 0.5 } }
      constructor: { type: category, values: { a: 0.5, b: 0.5 } }
      toString: { type: integer, dist: { poisson: { lambda: 3 } }, min: 0, max: 20 }
`;

export async function testApp(
  limits: Partial<ServeLimits> = {},
  opts: { keys?: boolean; models?: readonly string[] } = {},
): Promise<{ app: FastifyInstance; dir: string; registry: ModelRegistry; files: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-serve-'));
  const texts = [CARD_CUSTOMERS_YAML, SMALL_YAML, ...(opts.models ?? [])];
  const files = texts.map((_, i) => join(dir, ['card.yaml', 'small.yaml'][i] ?? `model-${i}.yaml`));
  for (const [i, text] of texts.entries()) writeFileSync(files[i], text);
  const registry = new ModelRegistry(files, await loadModels(files));
  const keys = opts.keys === false ? keyRing() : keyRing(new Map([[sha256Hex(KEY), 'test']]));
  const app = await buildApp({ registry, metrics: createMetrics(), keys, limits, version: '0.0.0-test' });
  return { app, dir, registry, files };
}
