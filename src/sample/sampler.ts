/**
 * Records on demand: `createSampler(spec)` compiles a table once and draws single rows, batches and
 * completions of partial rows, fast enough to sit behind a network service.
 *
 *  - `one()` / `many(n)` without `given` are the generator's own rows: with seed S, row i is row i
 *    of `strata generate --seed S --no-coverage` (same streams, same bytes), with `do` its `--do`.
 *  - With `given` (or `complete(partial)`), the missing columns are drawn from their exact
 *    conditional distribution given the known ones (evidence.ts), rules holding.
 *  - Deterministic: the same seed, given and do give the same row. Without a seed each call takes
 *    the next seed of the sampler's own sequence (from `opts.seed`), so a program is reproducible.
 */
import { discreteLevels, valueLabel } from '../coverage/discrete.js';
import { compileModel } from '../coverage/quantile.js';
import { StrataError } from '../errors.js';
import { BLOCK_ROWS, type Block, sampleBlock, writeRow, writeStreams } from '../model/block.js';
import type { ColumnInfo, TableModel } from '../model/compile.js';
import type { Value } from '../model/values.js';
import { streamFor } from '../random/stream.js';
import { specHash } from '../spec/parse.js';
import type { ColumnType, Spec, Table } from '../spec/schema.js';
import { type Completion, CompletionCache, completionStreams, prepareCompletion } from './evidence.js';
import { type Cell, outputValue } from './format.js';
import { type GivenValues, readGiven } from './given.js';
import { pooledGiven } from './pooled-given.js';

export type { GivenValue, GivenValues } from './given.js';

/** A served row: column name → output value (datetimes formatted), on a null-prototype object. */
export type Row = Record<string, Cell>;

/** A prepared completion, and how to write a pooled category's given value back as given. */
interface Completed {
  draw: Completion['draw'];
  keep: (out: Value[][], i: number) => void;
}

export interface SamplerOptions {
  /** Table to draw from; defaults to the only table. */
  table?: string;
  /** Start of the seed sequence used by calls without a seed (default: the spec's seed, then 0). */
  seed?: number;
  /** Intervened models kept compiled, by their `do` (default 16). */
  maxInterventions?: number;
}

export interface DrawOptions {
  /** Root seed of this draw (a whole number below 2^53). */
  seed?: number;
  /** Interventions: column → value (the column is fixed; its descendants respond). */
  do?: GivenValues;
}

export interface ManyOptions extends DrawOptions {
  /** Known values every row keeps; the rest is drawn from its exact conditional distribution. */
  given?: GivenValues;
}

export interface SamplerColumn {
  name: string;
  /** The spec's column type. */
  type: ColumnType;
  /** What its values are in a row (datetimes as formatted text). */
  kind: 'integer' | 'number' | 'string' | 'boolean' | 'datetime';
}

/** Rows in engine form (values[column][row]), block by block: what the service streams. */
export interface BlockDraw {
  seed: number;
  /** The compiled table the blocks come from (for the writers in format.ts / csv-bytes.ts). */
  model: TableModel;
  columns: readonly ColumnInfo[];
  blocks: Generator<Block>;
}

export interface Sampler {
  readonly table: string;
  readonly name: string;
  /** sha256 of the spec's canonical JSON, first 16 hex characters (as `generate --provenance`). */
  readonly hash: string;
  readonly columns: readonly SamplerColumn[];
  /** One row; with `given`, the rest drawn from its exact conditional distribution. */
  one(given?: GivenValues, opts?: DrawOptions): Row;
  /** n rows, all with the same `given` (if any). */
  many(n: number, opts?: ManyOptions): Row[];
  /** The missing columns of `partial` drawn from their exact conditional distribution given it. */
  complete(partial: GivenValues, opts?: DrawOptions): Row;
  /**
   * Each partial row completed on its own; row i draws from streams of (seed, i), so the first is
   * `complete(partials[0], opts)`. An error names the row (`rows.3.given.age`).
   */
  completeAll(partials: readonly GivenValues[], opts?: DrawOptions): Row[];
  /** The seed a call without one would use next (and advance the sequence). */
  nextSeed(): number;
}

/** A sampler that also hands out engine blocks (what the service streams through the writers). */
export interface BlockSampler extends Sampler {
  /** n rows block by block (engine values), with the seed used. */
  blocks(n: number, opts?: ManyOptions): BlockDraw;
}

const SEED_LIMIT = 2 ** 53;

function checkSeed(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new StrataError(
      'seed.invalid',
      `seed ${String(seed)} is not a whole number from 0 to 2^53 − 1`,
      { path: 'seed' },
      'pass e.g. seed: 42',
    );
  return seed;
}

export function checkCount(n: number, max = 1e10): number {
  if (!Number.isSafeInteger(n) || n < 0 || n > max)
    throw new StrataError(
      'sample.bad_count',
      `n = ${String(n)} is not a whole number from 0 to ${max}`,
      { path: 'n' },
      `ask for at most ${max} rows`,
    );
  return n;
}

function resolveTable(spec: Spec, table: string | undefined): string {
  const names = Object.keys(spec.tables);
  if (table !== undefined) {
    if (!names.includes(table))
      throw new StrataError(
        'sample.unknown_table',
        `no table "${table.slice(0, 64)}" in model "${spec.name ?? ''}"`,
        { path: 'table' },
        `tables are: ${names.join(', ')}`,
      );
    return table;
  }
  if (names.length === 1) return names[0];
  throw new StrataError(
    'sample.which_table',
    `the model has ${names.length} tables`,
    { path: 'table' },
    `choose one with table (${names.join(', ')})`,
  );
}

/** One compiled variant of the table (the plain model, or one `do`). */
interface Variant {
  model: TableModel;
  completions: CompletionCache;
}

/** An intervention sets a value the column can hold: one of its levels, inside its min/max. */
function checkIntervention(model: TableModel, table: Table, c: number, value: Value): void {
  const name = model.columns[c].name;
  const levels = discreteLevels(table.columns[name]);
  const label = valueLabel(value);
  if (levels && label !== null && !levels.includes(label))
    throw new StrataError(
      'sample.bad_value',
      `do.${name} = ${JSON.stringify(value)} is not one of its values (${levels.slice(0, 20).join(', ')})`,
      { path: `do.${name}` },
      `set ${name} to one of its values`,
    );
  if (typeof value === 'number' && (value < model.specLo[c] || value > model.specHi[c]))
    throw new StrataError(
      'sample.bad_value',
      `do.${name} = ${value} is outside its range [${model.specLo[c]}, ${model.specHi[c]}]`,
      { path: `do.${name}` },
      `set ${name} inside its min/max`,
    );
}

function toRow(columns: readonly ColumnInfo[], values: readonly Value[]): Row {
  const row: Row = Object.create(null);
  for (let c = 0; c < columns.length; c++) row[columns[c].name] = outputValue(columns[c], values[c]);
  return row;
}

/** A sampler over one table of `spec` (compiled once; see the module comment). */
export function createSampler(spec: Spec, opts: SamplerOptions = {}): Sampler {
  return createBlockSampler(spec, opts);
}

export function createBlockSampler(spec: Spec, opts: SamplerOptions = {}): BlockSampler {
  const table = resolveTable(spec, opts.table);
  const base = compileModel(spec, table);
  const tableSpec = spec.tables[table];
  const columns = base.columns;
  const hash = specHash(spec);
  const maxVariants = Math.max(1, opts.maxInterventions ?? 16);
  const variants = new Map<string, Variant>();
  const plain: Variant = { model: base, completions: new CompletionCache(base, tableSpec) };
  const seedStream = streamFor(checkSeed(opts.seed ?? spec.seed ?? 0), table, '#seeds');
  const row: Value[] = new Array(columns.length).fill(null);

  const nextSeed = () => Math.floor(seedStream.nextFloat() * SEED_LIMIT);

  const variantFor = (doValues: GivenValues | undefined): Variant => {
    const fixed = readGiven(columns, doValues, 'do', false);
    if (!fixed.size) return plain;
    for (const [c, value] of fixed) checkIntervention(base, tableSpec, c, value);
    const entries = [...fixed.entries()].sort((a, b) => a[0] - b[0]);
    const key = JSON.stringify(entries);
    let v = variants.get(key);
    if (v) {
      variants.delete(key);
      variants.set(key, v);
      return v;
    }
    const doRecord: Record<string, string | number | boolean> = Object.create(null);
    for (const [c, value] of entries) doRecord[columns[c].name] = value as string | number | boolean;
    const model = compileModel(spec, table, { do: doRecord });
    v = { model, completions: new CompletionCache(model, tableSpec) };
    if (variants.size >= maxVariants) variants.delete(variants.keys().next().value!);
    variants.set(key, v);
    return v;
  };

  const names = columns.map((c) => c.name);
  /** The completion of `given`, and the given values of pooled categories to write back as given. */
  const completionFor = (v: Variant, given: GivenValues | undefined): Completed | undefined => {
    const read = readGiven(columns, given, 'given');
    if (!read.size) return undefined;
    const { known, asGiven } = pooledGiven(tableSpec, names, v.completions.levels, read);
    const completion = prepareCompletion(v.completions, known);
    return {
      draw: (rngs, r, i) => completion.draw(rngs, r, i),
      keep: (out, i) => {
        for (const [c, x] of asGiven) out[c][i] = x;
      },
    };
  };

  function* blocksOf(v: Variant, completion: Completed | undefined, seed: number, n: number) {
    for (let start = 0, index = 0; start < n; start += BLOCK_ROWS, index++) {
      const count = Math.min(BLOCK_ROWS, n - start);
      if (!completion) {
        yield sampleBlock(v.model, seed, index, start, count);
        continue;
      }
      const rngs = completionStreams(v.model, seed, index);
      const written = writeStreams(v.model, seed, 'complete', index);
      const values: Value[][] = columns.map(() => new Array<Value>(count));
      const retries = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        retries[i] = completion.draw(rngs, row, start + i);
        writeRow(v.model, row, values, i, written);
        completion.keep(values, i);
      }
      yield { index, start, count, values, retries } satisfies Block;
    }
  }

  const blocks = (n: number, o: ManyOptions = {}): BlockDraw => {
    checkCount(n);
    const seed = o.seed === undefined ? nextSeed() : checkSeed(o.seed);
    const v = variantFor(o.do);
    const completion = completionFor(v, o.given);
    return { seed, model: v.model, columns, blocks: blocksOf(v, completion, seed, n) };
  };

  /** Row `i` of a seed's single draws: the forward row of block i, or a completion from block i's streams. */
  const drawOne = (v: Variant, given: GivenValues | undefined, seed: number, i: number): Row => {
    const completion = completionFor(v, given);
    if (!completion) {
      const b = sampleBlock(v.model, seed, i, 0, 1);
      for (let c = 0; c < columns.length; c++) row[c] = b.values[c][0];
    } else {
      completion.draw(completionStreams(v.model, seed, i), row, 0);
      const out = columns.map(() => new Array<Value>(1));
      writeRow(v.model, row, out, 0, writeStreams(v.model, seed, 'complete', i));
      completion.keep(out, 0);
      for (let c = 0; c < columns.length; c++) row[c] = out[c][0];
    }
    return toRow(columns, row);
  };

  const one = (given?: GivenValues, o: DrawOptions = {}): Row => {
    const seed = o.seed === undefined ? nextSeed() : checkSeed(o.seed);
    return drawOne(variantFor(o.do), given, seed, 0);
  };

  const completeAll = (partials: readonly GivenValues[], o: DrawOptions = {}): Row[] => {
    const seed = o.seed === undefined ? nextSeed() : checkSeed(o.seed);
    const v = variantFor(o.do);
    return partials.map((p, i) => {
      try {
        return drawOne(v, p, seed, i);
      } catch (e) {
        if (!(e instanceof StrataError) || partials.length === 1) throw e;
        throw new StrataError(
          e.code,
          `row ${i + 1}: ${e.message}`,
          { ...e.place, path: `rows.${i}${e.place.path ? `.${e.place.path}` : ''}` },
          e.hint,
        );
      }
    });
  };

  return {
    table,
    name: spec.name ?? table,
    hash,
    columns: columns.map((c) => ({ name: c.name, type: c.type, kind: c.kind })),
    one,
    many(n, o = {}) {
      const out: Row[] = [];
      const d = blocks(n, o);
      for (const b of d.blocks) {
        const vals: Value[] = new Array(columns.length);
        for (let i = 0; i < b.count; i++) {
          for (let c = 0; c < columns.length; c++) vals[c] = b.values[c][i];
          out.push(toRow(columns, vals));
        }
      }
      return out;
    },
    complete: (partial, o = {}) => one(partial, o),
    completeAll,
    blocks,
    nextSeed,
  };
}
