/**
 * `generate`: draw N rows of a table and stream them to CSV / JSON lines / Parquet.
 *
 * Rows are drawn in fixed-size blocks, by this thread and worker threads when `workers > 1`, and written in block
 * order with a bounded number of blocks in flight, so memory does not grow with N and the bytes
 * are the same for any worker count. Output is atomic: a temp file renamed on success.
 */
import { dirname, resolve as resolvePath } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { compileChecked } from '../coverage/quantile.js';
import {
  type BlockStats,
  type CoverageRun,
  type CoverageSummary,
  prepareCoverage,
  wantsCoverage,
} from '../coverage/run.js';
import { StrataError, throwIfAborted } from '../errors.js';
import { checkOutputPaths, type FileDigest, writeAtomic } from '../io/atomic.js';
import { formatFromPath, type OutputFormat } from '../io/format.js';
import { BLOCK_ROWS } from '../model/block.js';
import type { TableModel } from '../model/compile.js';
import { type Locator, makeErrorFactory } from '../model/context.js';
import { parseSeed } from '../random/seed.js';
import { checkedSpec } from '../spec/parse.js';
import type { Spec } from '../spec/schema.js';
import {
  type Cell,
  csvHeader,
  outputColumns,
  outputValue,
  type ProvenanceInfo,
  parquetSchema,
} from './format.js';
import { checkIdRange } from './id-range.js';
import { NonFiniteTally } from './non-finite.js';
import { drawInOrder, type PoolControl, runOrdered, startWorker } from './ordered-blocks.js';
import {
  type BlockPayload,
  type BlockTask,
  type DrawnBlock,
  deserialiseError,
  runBlockTask,
  type SerialisedError,
  type SinkFormat,
  type WorkerSetup,
} from './tasks.js';

export interface GenerateOptions {
  spec: Spec;
  /** Table to generate; defaults to the only table. */
  table?: string;
  /** Row count; defaults to the table's `rows`. */
  rows?: number;
  /** Root seed; defaults to the spec's `seed`, then 0. */
  seed?: number;
  workers?: number;
  /** Interventions: column -> value. */
  do?: Record<string, string | number | boolean>;
  provenance?: boolean;
  /** Short hash of the spec, recorded in provenance columns. */
  specHash?: string;
  /** Run id recorded in the `_run_id` provenance column (the run ledger's id for this run). */
  runId?: string;
  /** Hash the output's bytes (SHA-256) as they are written: `GenerateResult.sha256` (CSV, JSON lines). */
  hashOutput?: boolean;
  locator?: Locator;
  onProgress?: (rowsDone: number, rowsTotal: number) => void;
  /** Use the spec's coverage plan / tails for this table (default true when it has them). */
  coverage?: boolean;
  /** Name recorded in `_scenario` for every row of this run (`--scenario NAME`). */
  scenario?: string;
  /** Continue without infeasible coverage cells (they are reported as empty). */
  allowEmptyCells?: boolean;
  /**
   * Cancels the run: checked between blocks (workers are stopped at once); the promise rejects
   * with `run.aborted` and no output file (nor temp file) is left.
   */
  signal?: AbortSignal;
  /** CSV: write the header line (default true; `--no-header`). */
  header?: boolean;
}

export interface GenerateResult {
  table: string;
  rows: number;
  columns: string[];
  seed: number;
  workers: number;
  seconds: number;
  path?: string;
  format?: OutputFormat;
  /** Per-cell probability, quota and delivery, and the effective sample size (coverage runs). */
  coverage?: CoverageSummary;
  /**
   * Columns where drawn numbers were not finite (±Infinity, NaN) or beyond what the type holds
   * (integers past 2^53, datetimes past the date range): written as missing, counted here (non-finite.ts).
   * Absent when there were none.
   */
  nonFinite?: { column: string; count: number }[];
  /** SHA-256 (hex) and size of the file written, when `hashOutput` (CSV, JSON lines). */
  sha256?: string;
  bytes?: number;
  /**
   * Where rows start in the file (CSV, JSON lines): [data row, byte offset] pairs, at most
   * MAX_ROW_INDEX of them, so a reader can seek near any row instead of scanning the file.
   */
  rowIndex?: [number, number][];
}

/** At most this many [row, byte] pairs in `GenerateResult.rowIndex`. */
export const MAX_ROW_INDEX = 1024;

/** Every k-th pair so that at most `max` remain (the first is always kept). */
function thin(pairs: [number, number][], max: number): [number, number][] {
  if (pairs.length <= max) return pairs;
  const k = Math.ceil(pairs.length / max);
  return pairs.filter((_, i) => i % k === 0);
}

function provenanceInfo(opts: GenerateOptions, seed: number): ProvenanceInfo | undefined {
  return opts.provenance ? { specHash: opts.specHash ?? '', seed, runId: opts.runId ?? '' } : undefined;
}

export const MAX_ROWS = 1e10;

export function resolveTable(spec: Spec, table: string | undefined): string {
  const names = Object.keys(spec.tables);
  if (table !== undefined) {
    if (!spec.tables[table]) {
      throw new StrataError(
        'generate.unknown_table',
        `no table "${table}" in the spec`,
        { path: 'tables' },
        `tables are: ${names.join(', ')}`,
      );
    }
    return table;
  }
  if (names.length === 1) return names[0];
  throw new StrataError(
    'generate.which_table',
    `the spec has ${names.length} tables`,
    { path: 'tables' },
    `choose one with --table (${names.join(', ')})`,
  );
}

/** How the messages of checkedRowCount name the count. */
export interface RowCountWords {
  /** `rows of "t"`: what "how many …?" asks for. */
  what: string;
  /** Where the spec declares it. */
  path: string;
  /** `row`, `entity`: "… count N must be …". */
  unit: string;
  /** The fix when it is missing, and an example of a good count. */
  fix: string;
  example: string;
}

/** A row count given or declared, checked: present, whole, 0 … MAX_ROWS. */
export function checkedRowCount(n: number | undefined, w: RowCountWords): number {
  if (n === undefined)
    throw new StrataError('generate.rows_missing', `how many ${w.what}?`, { path: w.path }, w.fix);
  if (!Number.isInteger(n) || n < 0 || n > MAX_ROWS) {
    throw new StrataError(
      'generate.bad_rows',
      `${w.unit} count ${n} must be a whole number from 0 to ${MAX_ROWS}`,
      {},
      `pass e.g. ${w.example}`,
    );
  }
  return n;
}

function resolveRows(spec: Spec, table: string, rows: number | undefined): number {
  return checkedRowCount(rows ?? spec.tables[table].rows, {
    what: `rows of "${table}"`,
    path: `tables.${table}.rows`,
    unit: 'row',
    fix: 'pass -n ROWS or set rows: in the table',
    example: '-n 100000',
  });
}

function resolveSeed(spec: Spec, seed: number | undefined): number {
  return seed !== undefined ? parseSeed(seed) : parseSeed(spec.seed ?? 0, { path: 'seed' });
}

function blockTasks(rows: number): BlockTask[] {
  const tasks: BlockTask[] = [];
  for (let start = 0, index = 0; start < rows; start += BLOCK_ROWS, index++) {
    tasks.push({ index, start, count: Math.min(BLOCK_ROWS, rows - start) });
  }
  return tasks;
}

/**
 * Worker heaps are capped: V8 otherwise grows the old generation lazily to hundreds of MB even
 * though a worker holds at most a few blocks, and peak RSS is a target (< 300 MB at 10M rows).
 * A worker also holds its copy of the spec and the compiled model, about 2-3x and 3-5x the spec's
 * JSON size (measured on fitted models: Taiwan 7.2 MB of JSON compiles to 23 MB), so large
 * fitted models get a larger cap: 96 MB + 8x the table's JSON size. (A 20 MB model once ran
 * workers out of a fixed 96 MB.)
 */
function workerLimits(spec: WorkerSetup['spec'], table: string) {
  const jsonMb = JSON.stringify(spec.tables[table] ?? spec).length / 1e6;
  return { maxOldGenerationSizeMb: Math.ceil(96 + 8 * jsonMb), maxYoungGenerationSizeMb: 24 };
}

/**
 * The payload of block `from` and, for bytes, of every block after it that is ready too, joined
 * into one write. A write that fills the stream's buffer waits for it to drain, which takes an
 * event-loop turn, and this thread draws a block per turn: one write per block fell behind the
 * workers, filled the window and left them idle (seen as a bimodal 1.5 s / 2.5 s at 1M rows).
 */
function takeReady(
  ready: Map<number, DrawnBlock>,
  tasks: readonly BlockTask[],
  from: number,
): { payload: BlockPayload; task: BlockTask; end: number; stats: (BlockStats | undefined)[] } {
  const first = ready.get(from)!;
  ready.delete(from);
  let end = from + 1;
  const stats = [first.stats];
  if (!(first.payload instanceof Uint8Array))
    return { payload: first.payload, task: tasks[from], end, stats };
  const parts = [first.payload];
  let bytes = first.payload.length;
  for (let p = ready.get(end); p?.payload instanceof Uint8Array; p = ready.get(end)) {
    ready.delete(end);
    parts.push(p.payload);
    stats.push(p.stats);
    bytes += p.payload.length;
    end++;
  }
  if (parts.length === 1) return { payload: first.payload, task: tasks[from], end, stats };
  const joined = new Uint8Array(bytes);
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  const task = {
    index: from,
    start: tasks[from].start,
    count: tasks[end - 1].start + tasks[end - 1].count - tasks[from].start,
  };
  return { payload: joined, task, end, stats };
}

/** What a worker sends: that it is ready (model compiled), a block, or the error that stopped a block. */
type WorkerMessage =
  | { ready: true }
  | {
      index: number;
      payload?: BlockPayload;
      stats?: BlockStats;
      nonFinite?: number[];
      error?: SerialisedError;
    };

/** Receives each block's payload in block order, with the coverage statistics of the blocks in it. */
type Consume = (payload: BlockPayload, task: BlockTask, stats: (BlockStats | undefined)[]) => Promise<void>;

/**
 * Run all block tasks, in-thread or on a worker pool, delivering payloads in block order to
 * `consume` (awaited, so a slow disk slows drawing instead of piling up memory).
 *
 * With `workers` = K > 1 the blocks are drawn by K threads: K − 1 worker threads and this one,
 * which has the model compiled already and draws between writes (Parquet: K worker threads). Every block's bytes depend only
 * on its index, so who draws it does not matter. (K worker threads beside an idle main thread cost
 * one more thread start-up — module loading and model compilation, ~0.3 s of CPU — and its heap,
 * and on a 2-core machine left the main thread's core idle while the workers started.)
 */
async function runBlocks(
  model: TableModel,
  setup: WorkerSetup,
  tasks: BlockTask[],
  workers: number,
  consume: Consume,
  tally: NonFiniteTally,
  cov: CoverageRun | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (workers <= 1 || tasks.length <= 1) {
    return drawInOrder(
      tasks.length,
      (b) => {
        const drawn = runBlockTask(model, setup, tasks[b], cov);
        if (drawn.nonFinite) tally.add(drawn.nonFinite);
        return drawn;
      },
      (drawn, b) => consume(drawn.payload, tasks[b], [drawn.stats]),
      signal,
    );
  }
  // Parquet: this thread feeds DuckDB, and drawing here as well raised peak RSS at 10M rows
  // (319 -> 365 MB), so there K worker threads draw.
  const drawsHere = setup.format !== 'parquet';
  const limits = workerLimits(setup.spec, setup.table);
  const pool = Array.from({ length: drawsHere ? workers - 1 : workers }, () =>
    startWorker('worker', setup, limits),
  );
  const idle: Worker[] = [];
  let drawing = false;
  // This thread draws one block per macrotask, so worker messages and writes get through between.
  const drawHere = (ctl: PoolControl<DrawnBlock>) => {
    if (!drawsHere || drawing || !ctl.room()) return;
    drawing = true;
    setImmediate(() => {
      drawing = false;
      const b = ctl.claim();
      if (b === undefined) return;
      let drawn: DrawnBlock;
      try {
        drawn = runBlockTask(model, setup, tasks[b], cov);
      } catch (e) {
        return ctl.fail(e);
      }
      if (drawn.nonFinite) tally.add(drawn.nonFinite);
      dispatch(ctl);
      ctl.put(b, drawn);
    });
  };
  const dispatch = (ctl: PoolControl<DrawnBlock>) => {
    while (idle.length && ctl.room()) idle.pop()!.postMessage(tasks[ctl.claim()!]);
    drawHere(ctl);
  };
  await runOrdered<DrawnBlock, WorkerMessage>({
    blocks: tasks.length,
    window: workers * 3,
    workers: pool,
    signal,
    handOut: dispatch,
    onMessage: (w, msg, ctl) => {
      if ('ready' in msg) {
        // Compiled and waiting: from now on it takes blocks (until then this thread drew them).
        idle.push(w);
        return dispatch(ctl);
      }
      if (msg.error) return ctl.fail(deserialiseError(msg.error));
      if (msg.nonFinite) tally.add(msg.nonFinite);
      idle.push(w);
      dispatch(ctl);
      ctl.put(msg.index, { payload: msg.payload!, stats: msg.stats });
    },
    write: async (ready, from) => {
      const { payload, task, end, stats } = takeReady(ready, tasks, from);
      await consume(payload, task, stats);
      return end;
    },
    outOfMemory: () =>
      new StrataError(
        'generate.worker_memory',
        `a generation worker ran out of its ${limits.maxOldGenerationSizeMb} MB heap`,
        {},
        'run with --workers 1 (this thread has no cap), or simplify the model',
      ),
  });
}

export async function prepare(opts: GenerateOptions) {
  throwIfAborted(opts.signal);
  const table = resolveTable(opts.spec, opts.table);
  const rows = resolveRows(opts.spec, table, opts.rows);
  const seed = resolveSeed(opts.spec, opts.seed);
  const workers = Math.max(1, Math.min(64, Math.floor(opts.workers ?? 1)));
  const model = compileChecked(opts.spec, table, { do: opts.do, locator: opts.locator });
  // Coverage is planned (and infeasible cells reported) before any output is opened.
  const wanted = opts.coverage !== false && (wantsCoverage(opts.spec, table) || opts.scenario !== undefined);
  const error = makeErrorFactory(opts.locator).error;
  if (model.columns.length === 0) {
    throw error(
      ['tables', table, 'columns'],
      'generate.no_columns',
      `table "${table}" has no columns: there is nothing to generate`,
      'add columns to the table (a model fitted from an empty file has none: fit a file with data)',
    );
  }
  checkIdRange(opts.spec, table, rows, opts.locator);
  const plan = opts.spec.coverage?.[table];
  // The plan's real: data (I/O, so read here; prepareCoverage stays synchronous). A relative path
  // is read from the spec file's directory, or the current directory when there is no spec file.
  // Imported here: the readers bring DuckDB (~180 modules), which a run without real: never needs.
  const real =
    wanted && plan?.real !== undefined
      ? await (await import('../coverage/real.js')).readRealShares(
          { ...plan, real: plan.real },
          opts.spec.tables[table].columns,
          {
            table,
            baseDir: opts.locator?.file ? dirname(resolvePath(opts.locator.file)) : process.cwd(),
            error,
          },
        )
      : undefined;
  const requested = rows;
  const cov = wanted
    ? prepareCoverage(opts.spec, table, model, rows, seed, {
        allowEmptyCells: opts.allowEmptyCells,
        scenario: opts.scenario,
        error,
        real,
      })
    : undefined;
  throwIfAborted(opts.signal);
  if (cov) checkIdRange(opts.spec, table, cov.summary.rows, opts.locator);
  const tasks: BlockTask[] = cov ? cov.tasks : blockTasks(rows);
  // The threads that draw: never more than there are blocks (one block is drawn here, alone).
  const used = Math.max(1, Math.min(workers, tasks.length));
  return { table, rows: cov ? cov.summary.rows : rows, requested, seed, workers: used, model, cov, tasks };
}

/** What a worker needs: the spec, the table, and (coverage runs) the prepared run's numbers. */
function workerSetup(
  opts: GenerateOptions,
  p: Awaited<ReturnType<typeof prepare>>,
  format: SinkFormat,
  provenance: WorkerSetup['provenance'],
): WorkerSetup {
  return {
    spec: opts.spec,
    table: p.table,
    seed: p.seed,
    do: opts.do,
    format,
    provenance,
    ...(p.cov
      ? { coverage: { rows: p.requested, resolution: p.cov.resolution, scenario: opts.scenario } }
      : {}),
  };
}

/**
 * Run the tasks and record each block's coverage statistics, in block order; numbers no format
 * holds are counted in `tally` (non-finite.ts).
 */
function runTasks(
  p: Awaited<ReturnType<typeof prepare>>,
  setup: WorkerSetup,
  consume: Consume,
  tally: NonFiniteTally,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { cov } = p;
  return runBlocks(
    p.model,
    setup,
    p.tasks,
    p.workers,
    async (payload, task, stats) => {
      if (cov) for (const s of stats) if (s) cov.record(s);
      await consume(payload, task, stats);
    },
    tally,
    cov,
    signal,
  );
}

/** The files a generation run reads (the spec, a coverage plan's real data): never its output. */
function inputsOf(opts: GenerateOptions): string[] {
  const inputs: string[] = [];
  const specFile = opts.locator?.file;
  if (specFile) inputs.push(specFile);
  const names = Object.keys(opts.spec.tables);
  const table = opts.table ?? (names.length === 1 ? names[0] : undefined);
  const real = table !== undefined ? opts.spec.coverage?.[table]?.real : undefined;
  if (real !== undefined)
    inputs.push(resolvePath(specFile ? dirname(resolvePath(specFile)) : process.cwd(), real));
  return inputs;
}

/** Generate rows to a file (format by extension: .csv, .jsonl, .parquet). */
export async function generateToFile(options: GenerateOptions & { out: string }): Promise<GenerateResult> {
  const t0 = performance.now();
  // A Spec object is checked exactly like a spec file (a loaded one is not checked twice).
  const opts = { ...options, spec: checkedSpec(options.spec) };
  const format = formatFromPath(opts.out);
  // The output path is checked before any work (compiling, planning coverage, drawing).
  checkOutputPaths([opts.out], inputsOf(opts));
  const p = await prepare(opts);
  const { table, rows, seed, workers, model, cov } = p;
  const provenance = provenanceInfo(opts, seed);
  const setup = workerSetup(opts, p, format, provenance);
  const extra = cov ? cov.extraColumns : [];
  const columns = outputColumns(model, Boolean(provenance), extra);
  const tally = new NonFiniteTally();
  const run = (consume: Consume) => runTasks(p, setup, consume, tally, opts.signal);
  let done = 0;
  let digest: FileDigest | undefined;
  const rowIndex: [number, number][] = [];
  if (format === 'parquet') {
    const schema = parquetSchema(model, Boolean(provenance), extra);
    // Loaded only for Parquet output: DuckDB is ~180 modules that a CSV or JSON lines run never needs.
    const { openParquet } = await import('../io/parquet-write.js');
    const sink = await openParquet(opts.out, schema);
    try {
      await run(async (payload, t) => {
        await sink.append(payload as Cell[][], t.count);
        done += t.count;
        opts.onProgress?.(done, rows);
      });
      throwIfAborted(opts.signal);
      await sink.commit();
    } catch (e) {
      await sink.abort();
      throw e;
    }
  } else {
    let at = 0;
    digest = await writeAtomic(
      opts.out,
      async (file) => {
        if (format === 'csv' && opts.header !== false) {
          const header = csvHeader(model, Boolean(provenance), extra);
          at += Buffer.byteLength(header);
          await file.write(header);
        }
        await run(async (payload, t) => {
          const chunk = payload as string | Uint8Array;
          rowIndex.push([t.start, at]);
          at += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
          await file.write(chunk);
          done += t.count;
          opts.onProgress?.(done, rows);
        });
        throwIfAborted(opts.signal);
      },
      { sha256: opts.hashOutput },
    );
  }
  return {
    table,
    rows,
    columns,
    seed,
    workers,
    seconds: (performance.now() - t0) / 1000,
    path: opts.out,
    format,
    ...(cov ? { coverage: cov.summary } : {}),
    ...(tally.any ? { nonFinite: tally.report(model) } : {}),
    ...(digest ? { sha256: digest.sha256, bytes: digest.bytes } : {}),
    ...(rowIndex.length ? { rowIndex: thin(rowIndex, MAX_ROW_INDEX) } : {}),
  };
}

/** Generate rows in memory (library use, tests, evaluation). Values are output values (datetimes formatted). */
export async function generateRows(
  options: GenerateOptions,
): Promise<GenerateResult & { data: Cell[][] /* data[column][row] */ }> {
  const t0 = performance.now();
  // A Spec object is checked exactly like a spec file (a loaded one is not checked twice).
  const opts = { ...options, spec: checkedSpec(options.spec) };
  const p = await prepare(opts);
  const { table, rows, seed, workers, model, cov } = p;
  const provenance = provenanceInfo(opts, seed);
  const setup = workerSetup(opts, p, 'columns', provenance);
  const columns = outputColumns(model, Boolean(provenance), cov ? cov.extraColumns : []);
  const data: Cell[][] = columns.map(() => []);
  const consume = async (payload: BlockPayload) => {
    const cols = payload as Cell[][];
    cols.forEach((c, k) => {
      const target = data[k];
      const col = model.columns[k];
      for (const v of c) {
        target.push(col ? outputValue(col, v) : v);
      }
    });
  };
  const tally = new NonFiniteTally();
  await runTasks(p, setup, consume, tally, opts.signal);
  return {
    table,
    rows,
    columns,
    seed,
    workers,
    seconds: (performance.now() - t0) / 1000,
    data,
    ...(cov ? { coverage: cov.summary } : {}),
    ...(tally.any ? { nonFinite: tally.report(model) } : {}),
  };
}
