/**
 * From the input tables to what every section reads: the shared columns (checked), the spec table,
 * typed tables with consistent kinds and levels, each column's role (columns.ts), and the context
 * with only the judged columns in its typed tables.
 */
import { StrataError } from '../errors.js';
import type { RawTable } from '../io/index.js';
import { alignTables, type RawLike, type TypedTable } from '../ml/index.js';
import { parseSeed } from '../random/seed.js';
import { checkedSpec, didYouMean, type Spec } from '../spec/index.js';
import { ADDED_COLUMNS } from '../spec/output-columns.js';
import { columnRoles } from './columns.js';
import type { SectionContext, SpecTable } from './section.js';
import { pickTable, specValues } from './spec-checks.js';
import type { ColumnInfo, Skipped } from './types.js';

export interface PrepareOptions {
  spec?: Spec;
  table?: string;
  target?: string;
  sensitive?: string[];
  seed?: number;
  trivariate?: boolean;
  bootstrapReps?: number;
  signal?: AbortSignal;
}

function project(t: RawTable, columns: string[]): RawLike {
  const idx = columns.map((c) => t.columns.indexOf(c));
  const types = t.types;
  return {
    columns,
    rowCount: t.rowCount,
    data: idx.map((i) => t.data[i]),
    // Parquet's stored types decide the kind (a string column of digits stays a category).
    ...(types ? { types: idx.map((i) => types[i]) } : {}),
  };
}

function checkColumn(name: string, columns: string[], flag: string): void {
  if (columns.includes(name)) return;
  const dym = didYouMean(name, columns);
  throw new StrataError(
    'evaluate.unknown_column',
    `${flag} names column "${name}", which the real data does not have${dym ? ` — did you mean "${dym}"?` : ''}`,
    { path: flag },
    `columns: ${columns.join(', ')}`,
  );
}

/**
 * Columns shared by real and synthetic (and holdout); the provenance and coverage columns Strata
 * adds are left out (by name: a user's `__proto__` or `_score` column is judged like any other).
 */
function sharedColumns(real: RawTable, others: [string, RawTable | undefined][]): string[] {
  const cols = real.columns.filter((c) => !ADDED_COLUMNS.has(c));
  for (const [label, t] of others) {
    if (!t) continue;
    const absent = cols.filter((c) => !t.columns.includes(c));
    if (absent.length) {
      throw new StrataError(
        'evaluate.columns',
        `the ${label} data lacks column${absent.length > 1 ? 's' : ''} ${absent.map((a) => `"${a}"`).join(', ')} that the real data has`,
        { file: t.source },
        `compare tables with the same columns (real: ${real.source})`,
      );
    }
  }
  return cols;
}

function keepColumns(t: TypedTable, keep: ReadonlySet<string>): TypedTable {
  return { rowCount: t.rowCount, columns: t.columns.filter((c) => keep.has(c.name)) };
}

function specTable(spec: Spec, name: string, synthetic: RawTable): SpecTable {
  const tspec = spec.tables[name];
  let values: ReturnType<typeof specValues> | undefined;
  return {
    name,
    columns: tspec.columns,
    rules: tspec.rules ?? [],
    plan: spec.coverage && Object.hasOwn(spec.coverage, name) ? spec.coverage[name] : undefined,
    values: () => {
      values ??= specValues(synthetic, tspec.columns);
      return values;
    },
  };
}

/** Typed tables, column roles and the section context, from the input tables. */
export function prepare(
  input: PrepareOptions,
  raw: { real: RawTable; synthetic: RawTable; holdout: RawTable | undefined },
): { ctx: SectionContext; specName: string | undefined } {
  // A Spec object is checked exactly like a --spec file, before any work (a loaded one only once).
  const spec = input.spec === undefined ? undefined : checkedSpec(input.spec);
  const columns = sharedColumns(raw.real, [
    ['synthetic', raw.synthetic],
    ['holdout', raw.holdout],
  ]);
  if (input.target) checkColumn(input.target, columns, '--target');
  for (const s of input.sensitive ?? []) checkColumn(s, columns, '--sensitive');
  const specName = spec ? pickTable(spec, input.table, raw.synthetic.name) : undefined;
  const aligned = alignTables(project(raw.real, columns), [
    project(raw.synthetic, columns),
    ...(raw.holdout ? [project(raw.holdout, columns)] : []),
  ]);
  const roles = columnRoles(
    aligned.reference.columns,
    spec && specName ? spec.tables[specName].columns : undefined,
    new Set([...(input.target ? [input.target] : []), ...(input.sensitive ?? [])]),
  );
  const judged = new Set(roles.filter((c) => c.role === 'value').map((c) => c.name));
  const ctx: SectionContext = {
    real: keepColumns(aligned.reference, judged),
    synthetic: keepColumns(aligned.others[0], judged),
    holdout: raw.holdout ? keepColumns(aligned.others[1], judged) : undefined,
    raw,
    columns: roles,
    target: input.target,
    sensitive: input.sensitive ?? [],
    trivariate: input.trivariate ?? false,
    spec: spec && specName ? specTable(spec, specName, raw.synthetic) : undefined,
    opts: {
      seed: parseSeed(input.seed ?? 42),
      reps: input.bootstrapReps ?? 100,
      level: 0.95,
      signal: input.signal,
    },
    shared: {},
  };
  return { ctx, specName };
}

/** The ID and free-text columns left out of the tabular sections, as "not computed" entries. */
export function setApart(columns: readonly ColumnInfo[]): Skipped[] {
  return columns
    .filter((c) => c.role !== 'value')
    .map((c) => ({
      metric: `columns.${c.name}`,
      reason: `${c.role_reason}: left out of fidelity, detection, MMD, privacy, utility and kNN coverage${c.role === 'text' ? ' (judged as text in the text section)' : ''}`,
    }));
}
