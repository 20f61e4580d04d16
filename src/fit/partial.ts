/**
 * Read a hand-written partial spec for `strata fit --from`: the same checks as any spec, except
 * that a column may still lack its mechanism and `given` may name columns that only the data
 * has — those are exactly the parts fit learns.
 */
import { readFile } from 'node:fs/promises';
import { StrataError } from '../errors.js';
import { checkSpecText, SpecError } from '../spec/index.js';
import { Spec } from '../spec/schema.js';
import { loadYaml } from '../spec/yaml.js';

const LEARNABLE = new Set(['spec.no_mechanism']);

export function parsePartialSpec(text: string, file: string): Spec {
  const { spec, issues } = checkSpecText(text, file);
  const real = issues.filter(
    (i) =>
      !LEARNABLE.has(i.code) &&
      !(i.code === 'spec.unknown_column' && /\.given\[\d+\]$/.test(i.place.path ?? '')),
  );
  if (real.length > 0) throw new SpecError(file, real);
  if (spec) return spec;
  // Only learnable gaps were reported: the structure is valid, so the schema parse succeeds.
  const parsed = Spec.safeParse(loadYaml(text, file, 'spec.yaml_syntax').value);
  if (!parsed.success) throw new SpecError(file, issues);
  return parsed.data;
}

export async function loadPartialSpec(path: string): Promise<Spec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new StrataError(
      'fit.from_unreadable',
      `cannot read spec: ${(e as Error).message}`,
      { file: path },
      'check the path given to --from',
    );
  }
  return parsePartialSpec(text, path);
}
