/**
 * Read a hand-written partial spec for `strata fit --from`: the same checks as any spec, except
 * that a column may still lack its mechanism and `given` may name columns that only the data
 * has — those are exactly the parts fit learns.
 */
import { readFile } from 'node:fs/promises';
import { StrataError } from '../errors.js';
import { checkSpecObject, checkSpecText, type SpecCheck, SpecError } from '../spec/index.js';
import { Spec } from '../spec/schema.js';
import { loadYaml } from '../spec/yaml.js';

const LEARNABLE = new Set(['spec.no_mechanism']);

/** Partial specs that came out of the checks below (so fitFile's does not go through them twice). */
const CHECKED = new WeakSet<object>();

/** The spec of a check that found at most the gaps fit learns; `raw` is the document checked. */
function partialFrom(check: SpecCheck, raw: () => unknown, label: string): Spec {
  const { spec, issues } = check;
  const real = issues.filter(
    (i) =>
      !LEARNABLE.has(i.code) &&
      !(i.code === 'spec.unknown_column' && /\.given\[\d+\]$/.test(i.place.path ?? '')),
  );
  if (real.length > 0) throw new SpecError(label, real);
  let out = spec;
  if (!out) {
    // Only learnable gaps were reported: the structure is valid, so the schema parse succeeds.
    const parsed = Spec.safeParse(raw());
    if (!parsed.success) throw new SpecError(label, issues);
    out = parsed.data;
  }
  CHECKED.add(out);
  return out;
}

export function parsePartialSpec(text: string, file: string): Spec {
  return partialFrom(checkSpecText(text, file), () => loadYaml(text, file, 'spec.yaml_syntax').value, file);
}

/**
 * A partial `Spec` object handed to `fitTable({ from })`, checked exactly like a `--from` file:
 * every check, except that columns may lack a mechanism and `given` may name columns only the
 * data has. Problems are placed by spec path.
 */
export function checkedPartialSpec(value: unknown, label = 'the partial Spec object'): Spec {
  if (typeof value === 'object' && value !== null && CHECKED.has(value)) return value as Spec;
  return partialFrom(checkSpecObject(value), () => value, label);
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
