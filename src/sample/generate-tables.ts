/**
 * `generateTables`: draw a relational spec (issue 14) — root entities in blocks, each entity's
 * rows in every table depth-first — and write one file per table (CSV / JSON lines / Parquet)
 * into a directory, atomically: every file is written to a temp file beside its target and all
 * are renamed only when every table is complete. Parquet keeps each column's declared type, keys
 * included (an integer id and the foreign keys to it are BIGINT; a prefixed or uuid id VARCHAR).
 *
 * Memory holds one block of root entities (ROOT_BLOCK) and its descendants at a time. Output
 * depends only on (seed, spec): every stream derives from (seed, table, column, root block) and
 * child tables' sequential ids are offset by the rows of earlier blocks when written.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { StrataError } from '../errors.js';
import { checkWritableTarget, type FileDigest, openAtomic } from '../io/atomic.js';
import { writeDuckDbTables } from '../io/duckdb-tables.js';
import { openParquet } from '../io/parquet.js';
import type { Locator } from '../model/context.js';
import { drawEntityBlock, offsetIds, ROOT_BLOCK, type TableRows } from '../model/entities.js';
import { compileRelational, type RelationalModel } from '../model/relational.js';
import type { Value } from '../model/values.js';
import { parseSeed } from '../random/seed.js';
import { checkedSpec } from '../spec/parse.js';
import { interventionsByTable, keyOf, parentLink, rootTables } from '../spec/relational.js';
import type { Spec } from '../spec/schema.js';
import { type Cell, csvHeader, parquetSchema } from './format.js';
import { checkedRowCount } from './generate.js';
import type { TablePayload, TablesFormat } from './tables-format.js';
import { runEntityBlocks } from './tables-run.js';

export type { TablesFormat } from './tables-format.js';

export interface GenerateTablesOptions {
  spec: Spec;
  /** Root entities; defaults to the root table's `rows`. */
  rows?: number;
  seed?: number;
  /** Interventions: `table.col` → value, or `col` → value when only one table has that column. */
  do?: Record<string, string | number | boolean>;
  locator?: Locator;
  onProgress?: (rootsDone: number, rootsTotal: number) => void;
}

export interface TableResult {
  table: string;
  rows: number;
  columns: string[];
  path?: string;
  /** SHA-256 and size of the file's bytes, hashed as they were written (`hashOutput`). */
  sha256?: string;
  bytes?: number;
}

export interface GenerateTablesResult {
  tables: TableResult[];
  roots: number;
  seed: number;
  seconds: number;
}

function resolveRoots(spec: Spec, rows: number | undefined): number {
  const root = rootTables(spec)[0];
  return checkedRowCount(rows ?? spec.tables[root]?.rows, {
    what: `root entities of "${root}"`,
    path: `tables.${root}.rows`,
    unit: 'entity',
    fix: 'pass -n N or set rows: in the root table',
    example: '-n 1000',
  });
}

function prepare(opts: GenerateTablesOptions): {
  spec: Spec;
  rm: RelationalModel;
  roots: number;
  seed: number;
} {
  const spec = checkedSpec(opts.spec);
  for (const [key, what] of [
    ['coverage', 'coverage plans'],
    ['tails', 'tails'],
    ['scenarios', 'scenarios'],
  ] as const) {
    if (spec[key] !== undefined) {
      // Refused rather than ignored: the rows would silently not follow the plan.
      throw new StrataError(
        'generate.relational_unsupported',
        `${what} are not supported on relational specs yet`,
        { path: key },
        `remove ${key}: from the spec, or generate a single table`,
      );
    }
  }
  const seed = opts.seed !== undefined ? parseSeed(opts.seed) : parseSeed(spec.seed ?? 0, { path: 'seed' });
  const rm = compileRelational(spec, { do: interventionsByTable(spec, opts.do), locator: opts.locator });
  return { spec, rm, roots: resolveRoots(spec, opts.rows), seed };
}

/**
 * Every block of root entities in order, with child ids offset: `visit` gets each table's rows
 * and the table's row number of the block's first row.
 */
async function eachBlock(
  rm: RelationalModel,
  seed: number,
  roots: number,
  visit: (rows: Map<string, TableRows>, starts: ReadonlyMap<string, number>) => Promise<void> | void,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const offsets = new Map<string, number>(rm.tables.map((t) => [t.name, 0]));
  for (let start = 0, b = 0; start < roots; start += ROOT_BLOCK, b++) {
    const count = Math.min(ROOT_BLOCK, roots - start);
    const rows = drawEntityBlock(rm, seed, b, start, count);
    offsetIds(
      rm,
      rows,
      new Map(rm.tables.filter((t) => t.localIds).map((t) => [t.name, offsets.get(t.name)!])),
    );
    await visit(rows, offsets);
    for (const [t, r] of rows) offsets.set(t, offsets.get(t)! + r.count);
    onProgress?.(start + count, roots);
  }
}

/** All tables in memory: table → { columns, values[column][row] } (output values, dates as epoch ms). */
export async function generateTablesInMemory(
  opts: GenerateTablesOptions,
): Promise<Map<string, { columns: string[]; values: Cell[][] }>> {
  const { rm, roots, seed } = prepare(opts);
  const out = new Map(
    rm.written.map((t) => [
      t.name,
      { columns: t.model.columns.map((c) => c.name), values: t.model.columns.map((): Value[] => []) },
    ]),
  );
  await eachBlock(rm, seed, roots, (rows) => {
    for (const [t, r] of rows) {
      const dst = out.get(t)?.values;
      if (!dst) continue; // a panel's hidden entity table
      r.values.forEach((col, c) => {
        for (const v of col) dst[c].push(v);
      });
    }
  });
  return out;
}

/** Where one table's rows go: an atomic file (CSV, JSON lines) or a Parquet sink. */
interface TableSink {
  write(payload: TablePayload): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  digest(): FileDigest | undefined;
}

async function openTableSink(
  path: string,
  model: RelationalModel['tables'][number]['model'],
  format: TablesFormat,
  hash: boolean | undefined,
): Promise<TableSink> {
  if (format === 'parquet') {
    const sink = await openParquet(path, parquetSchema(model, false));
    return {
      write: async (p) => {
        if (p && !(p instanceof Uint8Array)) await sink.append(p, p[0]?.length ?? 0);
      },
      commit: () => sink.commit(),
      abort: () => sink.abort(),
      digest: () => undefined, // the ledger hashes the file after writing (DuckDB writes it)
    };
  }
  const f = await openAtomic(path, { sha256: hash });
  if (format === 'csv') await f.write(csvHeader(model, false));
  return {
    write: async (p) => {
      if (p instanceof Uint8Array) await f.write(p);
    },
    commit: () => f.commit(),
    abort: () => f.abort(),
    digest: () => f.digest(),
  };
}

/** Write every table to `dir/TABLE.<format>`; all files appear together, or none. */
export async function generateTables(
  opts: GenerateTablesOptions & {
    dir: string;
    format?: TablesFormat;
    workers?: number;
    hashOutput?: boolean;
    /** Write the one table the spec has (a panel) to this file instead of `dir/TABLE.<format>`. */
    file?: string;
  },
): Promise<GenerateTablesResult> {
  const t0 = performance.now();
  const { spec, rm, roots, seed } = prepare(opts);
  const format = opts.format ?? 'csv';
  try {
    mkdirSync(opts.file !== undefined ? dirname(resolve(opts.file)) : opts.dir, { recursive: true });
  } catch (e) {
    throw new StrataError(
      'io.output_dir',
      `cannot create the output directory ${opts.dir}: ${(e as Error).message}`,
      { file: opts.dir },
      'choose a directory you may write to',
    );
  }
  // One file per written table, by its index in rm.tables (a panel's entity table has none).
  const files: (TableSink | undefined)[] = rm.tables.map(() => undefined);
  if (opts.file !== undefined && rm.written.length !== 1)
    throw new StrataError(
      'generate.one_file',
      `this spec has ${rm.written.length} tables: they are written one file per table, not to ${opts.file}`,
      { file: opts.file },
      'pass a directory as -o (e.g. -o out/)',
    );
  const file = opts.file;
  const pathOf = (t: { name: string }) => file ?? join(opts.dir, `${t.name}.${format}`);
  let counts: number[] = [];
  try {
    for (const [k, t] of rm.tables.entries()) {
      if (t.hidden) continue;
      files[k] = await openTableSink(pathOf(t), t.model, format, opts.hashOutput);
    }
    const setup = { spec, seed, format, do: [...interventionsByTable(spec, opts.do)] };
    counts = await runEntityBlocks(rm, setup, roots, opts.workers ?? 1, async (payloads, _block, done) => {
      for (let k = 0; k < payloads.length; k++) {
        await files[k]?.write(payloads[k]);
      }
      opts.onProgress?.(done, roots);
    });
    for (const f of files) await f?.commit();
  } catch (e) {
    for (const f of files) await f?.abort().catch(() => {});
    throw e;
  }
  return {
    tables: rm.written.map((t) => {
      const k = rm.tables.indexOf(t);
      return {
        table: t.name,
        rows: counts[k],
        columns: t.model.columns.map((c) => c.name),
        path: pathOf(t),
        ...files[k]?.digest(),
      };
    }),
    roots,
    seed,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * Every table into one DuckDB file `path` with primary and foreign keys declared (DuckDB checks
 * them while loading). The tables go through CSV files in a scratch directory beside the target.
 */
export async function generateTablesDuckDb(
  opts: GenerateTablesOptions & { path: string; workers?: number },
): Promise<GenerateTablesResult> {
  const t0 = performance.now();
  checkWritableTarget(opts.path);
  const scratch = mkdtempSync(join(dirname(resolve(opts.path)), '.strata-tables-'));
  try {
    const r = await generateTables({ ...opts, dir: scratch, format: 'csv', hashOutput: false });
    const { spec, rm } = prepare(opts);
    await writeDuckDbTables(
      opts.path,
      rm.written.map((t) => {
        const link = parentLink(spec, t.name);
        return {
          name: t.name,
          columns: t.model.columns.map((c) => ({ name: c.name, kind: c.kind })),
          csv: join(scratch, `${t.name}.csv`),
          key: keyOf(spec, t.name),
          ...(link ? { foreignKey: { column: link.column, table: link.table, key: link.key } } : {}),
        };
      }),
    );
    return {
      ...r,
      // One file holds every table: the ledger hashes it after writing (DuckDB writes it itself).
      tables: r.tables.map(({ sha256: _s, bytes: _b, ...t }) => ({ ...t, path: opts.path })),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
