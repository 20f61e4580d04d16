/**
 * `strata refine MODEL.yaml --real DATA`: the refine loop (refine-loop.ts) started from a model as
 * it stands — hand-edited or not — instead of a structure search from scratch.
 *
 * The loop needs a fitted starting state (encoded columns and tables fitted on the data, which it
 * splits into a fit part and a validation part). What is refitted, exactly:
 *  - every column of the model that the data has and whose mechanism is a learned law (`dist`,
 *    `values`/`p`, `conditional`): its law, on the data, given its parents **as the model writes
 *    them** (the `given` lists are fixed, so an edge added by hand stays and an edge deleted by
 *    hand stays deleted until the loop finds it is needed);
 *  - columns of the data the model lacks: learned as plain `fit` would (structure search included).
 * Kept as written: columns with `expr` (identities, derived columns), `text` laws, `faker`, ids and
 * `derived`; columns not in the data; the table's `rules` and `description`; the spec's coverage,
 * tails and scenarios. YAML comments are not kept: the file is written again with fit's header.
 * The loop's repairs then obey only the knowledge given (`--knowledge`), not the model's edges.
 */

import type { RawColumns } from '../data/infer.js';
import { StrataError } from '../errors.js';
import { nameMap } from '../names.js';
import type { SpecSource } from '../spec/index.js';
import type { Column, Spec, Table } from '../spec/schema.js';
import { type RefinedFitResult, type RefineFitOptions, refineFitTable } from './refine-loop.js';

const kept = (c: Column): boolean =>
  c.expr !== undefined ||
  c.text !== undefined ||
  c.faker !== undefined ||
  c.type === 'id' ||
  c.type === 'derived';

const learnedLaw = (c: Column): boolean =>
  c.dist !== undefined || c.values !== undefined || c.p !== undefined || c.conditional !== undefined;

export interface StartingPoint {
  /** The partial spec fit starts from: refitted columns reduced to their type and parents. */
  from: Spec;
  table: string;
  /** Columns whose law is refitted given their written parents. */
  refitted: string[];
  /** Columns kept as written. */
  keptAsWritten: string[];
}

/** The model's table (the only one, or `name`). */
function pickTable(model: Spec, name: string | undefined, source: SpecSource | undefined): string {
  const names = Object.keys(model.tables);
  if (name !== undefined) {
    if (Object.hasOwn(model.tables, name)) return name;
    throw new StrataError(
      'fit.refine_model',
      `the model has no table "${name}"`,
      { file: source?.file, ...source?.locate(['tables']) },
      `its tables: ${names.join(', ')}`,
    );
  }
  if (names.length === 1) return names[0];
  throw new StrataError(
    'fit.refine_model',
    `the model has ${names.length} tables; strata refine works on one table`,
    { file: source?.file, ...source?.locate(['tables']) },
    `pass --name TABLE (one of ${names.join(', ')})`,
  );
}

/** The partial spec that makes fit reproduce the model's structure (see the top of this file). */
export function startingPoint(
  model: Spec,
  data: { columns: readonly string[]; name?: string },
  opts: { name?: string; source?: SpecSource; dataFile?: string } = {},
): StartingPoint {
  const table = pickTable(model, opts.name, opts.source);
  const written = model.tables[table];
  const inData = new Set(data.columns);
  const columns = nameMap<Column>();
  const refitted: string[] = [];
  const keptAsWritten: string[] = [];
  for (const [name, c] of Object.entries(written.columns)) {
    if (!kept(c) && learnedLaw(c) && !inData.has(name))
      throw new StrataError(
        'fit.refine_model',
        `column "${name}" of the model has a fitted law, but ${opts.dataFile ?? 'the data'} has no such column`,
        {
          file: opts.source?.file,
          ...opts.source?.locate(['tables', table, 'columns', name]),
          path: `tables.${table}.columns.${name}`,
        },
        'refine with the data the model was fitted on, or delete the column from the model',
      );
    for (const p of c.given ?? [])
      if (!Object.hasOwn(written.columns, p) && !inData.has(p))
        throw new StrataError(
          'fit.refine_model',
          `column "${name}" is given "${p}", which neither the model nor the data has`,
          {
            file: opts.source?.file,
            ...opts.source?.locate(['tables', table, 'columns', name, 'given']),
            path: `tables.${table}.columns.${name}.given`,
          },
          `remove "${p}" from its given list`,
        );
    if (kept(c) || !learnedLaw(c) || !inData.has(name)) {
      columns[name] = c;
      keptAsWritten.push(name);
      continue;
    }
    const col: Column = { type: c.type, given: [...(c.given ?? [])] };
    if (c.description) col.description = c.description;
    if (c.na_values) col.na_values = c.na_values;
    columns[name] = col;
    refitted.push(name);
  }
  const t: Table = { columns };
  if (written.description) t.description = written.description;
  if (written.rules) t.rules = written.rules;
  const from: Spec = {
    strata: 1,
    name: model.name,
    ...(model.description ? { description: model.description } : {}),
    seed: model.seed,
    tables: Object.assign(nameMap<Table>(), { [table]: t }),
    ...(model.coverage ? { coverage: model.coverage } : {}),
    ...(model.tails ? { tails: model.tails } : {}),
    ...(model.scenarios ? { scenarios: model.scenarios } : {}),
  };
  return { from, table, refitted, keptAsWritten };
}

export type RefinedModel = RefinedFitResult & { start: StartingPoint };

/** Refine a model on real rows: its structure as the starting state, then the loop's repairs. */
export async function refineModel(
  model: Spec,
  raw: RawColumns,
  opts: Omit<RefineFitOptions, 'from'> & { modelSource?: SpecSource; dataFile?: string } = {},
): Promise<RefinedModel> {
  const { modelSource, dataFile, ...fitOpts } = opts;
  const start = startingPoint(model, raw, { name: opts.name, source: modelSource, dataFile });
  // Parents the model writes beyond the default bound stay (fixed), and repairs may add one more.
  const most = Math.max(
    0,
    ...Object.values(model.tables[start.table].columns).map((c) => c.given?.length ?? 0),
  );
  const result = await refineFitTable(raw, {
    ...fitOpts,
    seed: fitOpts.seed ?? model.seed,
    maxParents: fitOpts.maxParents ?? Math.max(3, most),
    name: start.table,
    from: start.from,
  });
  return { ...result, start };
}
