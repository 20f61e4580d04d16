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
import { mkdirSync, mkdtempSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  prepareRelationalCoverage,
  type RelationalCoverage,
  type RelationalCoverageSummary,
} from '../coverage/relational.js';
import { applyRelationalScenario } from '../coverage/scenario.js';
import { StrataError } from '../errors.js';
import { checkWritableTarget, type FileDigest, openAtomic } from '../io/atomic.js';
import { writeDuckDbTables } from '../io/duckdb-tables.js';
import { openParquet } from '../io/parquet.js';
import type { Locator } from '../model/context.js';
import { makeErrorFactory } from '../model/context.js';
import { offsetIds, type TableRows } from '../model/entities.js';
import { compileRelational, type RelationalModel } from '../model/relational.js';
import type { Value } from '../model/values.js';
import { parseSeed } from '../random/seed.js';
import { checkedSpec } from '../spec/parse.js';
import { interventionsByTable, keyOf, parentLink, rootTables } from '../spec/relational.js';
import type { Spec } from '../spec/schema.js';
import { entityRun } from './entity-run.js';
import { type Cell, csvHeader, parquetSchema } from './format.js';
import { checkedRowCount } from './generate.js';
import type { TablePayload, TablesFormat } from './tables-format.js';
import { runEntityBlocks } from './tables-run.js';
import type { TablesWorkerSetup } from './tables-worker.js';

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
  /** Coverage plan: continue without infeasible cells (reported as infeasible) instead of failing. */
  allowEmptyCells?: boolean;
  /** Ignore the spec's coverage plan. */
  coverage?: boolean;
  /** Run every entity under this named scenario (its do: and shift:). */
  scenario?: string;
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
  /** Root entities written (coverage runs: the free ones and the cells' ones). */
  roots: number;
  /** The coverage plan's report (filled / short / infeasible per cell). */
  coverage?: RelationalCoverageSummary;
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
  cov?: RelationalCoverage;
  do: Record<string, string | number | boolean> | undefined;
} {
  let spec = checkedSpec(opts.spec);
  const unsupported: [keyof Spec, string, boolean][] = [
    ['tails', 'tails', spec.tails !== undefined],
    ['scenarios', 'scenarios with a share', (spec.scenarios ?? []).some((x) => x.share !== undefined)],
  ];
  for (const [key, what, bad] of unsupported) {
    if (bad) {
      // Refused rather than ignored: the rows would silently not follow the spec.
      throw new StrataError(
        'generate.relational_unsupported',
        `${what} are not supported on relational specs yet`,
        { path: key },
        `remove ${key}: from the spec, or generate a single table`,
      );
    }
  }
  let doMap = opts.do;
  if (opts.scenario !== undefined) {
    const applied = applyRelationalScenario(spec, opts.scenario);
    spec = applied.spec;
    doMap = { ...applied.do, ...(opts.do ?? {}) };
  }
  const seed = opts.seed !== undefined ? parseSeed(opts.seed) : parseSeed(spec.seed ?? 0, { path: 'seed' });
  const planned =
    opts.coverage !== false && spec.coverage !== undefined && Object.keys(spec.coverage).length > 0;
  const rm = compileRelational(spec, {
    do: interventionsByTable(spec, doMap),
    locator: opts.locator,
    localRootIds: planned,
  });
  const roots = resolveRoots(spec, opts.rows);
  const errors = makeErrorFactory(opts.locator);
  const cov = planned
    ? prepareRelationalCoverage(spec, rm, roots, seed, {
        allowEmptyCells: opts.allowEmptyCells,
        error: (path, code, message, hint) => errors.error(path, code, message, hint),
      })
    : undefined;
  return { spec, rm, roots, seed, cov, do: doMap };
}

/**
 * Every block of root entities in order, with child ids offset: `visit` gets each table's rows
 * and the table's row number of the block's first row.
 */
async function eachBlock(
  rm: RelationalModel,
  seed: number,
  roots: number,
  cov: RelationalCoverage | undefined,
  visit: (rows: Map<string, TableRows>, starts: ReadonlyMap<string, number>) => Promise<void> | void,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const offsets = new Map<string, number>(rm.tables.map((t) => [t.name, 0]));
  const run = entityRun(rm, seed, roots, cov);
  for (let b = 0; b < run.blocks; b++) {
    const { rows, stats } = run.draw(b);
    if (cov && stats) cov.record(cov.tasks[b], stats);
    offsetIds(
      rm,
      rows,
      new Map(rm.tables.filter((t) => t.localIds).map((t) => [t.name, offsets.get(t.name)!])),
    );
    await visit(rows, offsets);
    for (const [t, r] of rows) offsets.set(t, offsets.get(t)! + r.count);
    onProgress?.(run.rootsDone(b), roots);
  }
}

/** All tables in memory: table → { columns, values[column][row] } (output values, dates as epoch ms). */
export async function generateTablesInMemory(
  opts: GenerateTablesOptions,
): Promise<Map<string, { columns: string[]; values: Cell[][] }>> {
  const { rm, roots, seed, cov } = prepare(opts);
  const out = new Map(
    rm.written.map((t) => [
      t.name,
      { columns: t.model.columns.map((c) => c.name), values: t.model.columns.map((): Value[] => []) },
    ]),
  );
  await eachBlock(rm, seed, roots, cov, (rows) => {
    for (const [t, r] of rows) {
      const dst = out.get(t)?.values;
      if (!dst) continue; // a panel's hidden entity table
      r.columns.forEach((col, c) => {
        for (let i = 0; i < col.length; i++) dst[c].push(col.get(i));
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

/**
 * Remove `dir` and its parents up to `top` (the first one this run created) while they are empty:
 * a failed run leaves no empty output folder behind. A folder something else wrote into stays.
 */
function removeEmptyDirs(dir: string, top: string): void {
  for (let d = dir; ; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === top || dirname(d) === d) return;
  }
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
  const { spec, rm, roots, seed, cov, do: doMap } = prepare(opts);
  const format = opts.format ?? 'csv';
  const outDir = opts.file !== undefined ? dirname(resolve(opts.file)) : resolve(opts.dir);
  /** The first directory this run created (undefined: it was there): removed again on failure. */
  let made: string | undefined;
  try {
    made = mkdirSync(outDir, { recursive: true });
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
    const setup: TablesWorkerSetup = {
      spec,
      seed,
      format,
      do: [...interventionsByTable(spec, doMap)],
      roots,
      ...(cov
        ? {
            coverage: {
              checked: cov.summary.cells.filter((c) => c.status !== 'infeasible').map((c) => c.key),
            },
          }
        : {}),
    };
    counts = await runEntityBlocks(
      rm,
      setup,
      entityRun(rm, seed, roots, cov),
      opts.workers ?? 1,
      async (payloads, _block, done) => {
        for (let k = 0; k < payloads.length; k++) {
          await files[k]?.write(payloads[k]);
        }
        opts.onProgress?.(done, roots);
      },
      cov ? (b, stats) => cov.record(cov.tasks[b], stats) : undefined,
    );
    for (const f of files) await f?.commit();
  } catch (e) {
    for (const f of files) await f?.abort().catch(() => {});
    if (made !== undefined) removeEmptyDirs(outDir, made);
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
    roots: cov ? cov.summary.entities : roots,
    ...(cov ? { coverage: cov.summary } : {}),
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
