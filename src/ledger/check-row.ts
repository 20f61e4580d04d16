/**
 * `strata ledger check-row LEDGER FILE ROW`: redraw one row of a generated file and compare it
 * with the file's bytes. The row is found by seeking (the entry's row index) rather than reading
 * the file; its `_run_id`, `_block` and `_row` provenance columns (or, without them, its position)
 * say which run and which draw made it; only that block is redrawn. A CSV written without a header
 * line (`generate --no-header`) is read by the columns the run wrote.
 */
import { open, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { applyScenario } from '../coverage/scenario.js';
import { StrataError } from '../errors.js';
import { BLOCK_ROWS } from '../model/block.js';
import { type DrawnRow, RowNotFound, rowDrawer } from '../sample/row.js';
import { loadSpec } from '../spec/parse.js';
import type { FileRecord, LedgerEntry } from './entry.js';
import { hashFile } from './files.js';
import { entryFile, readEntries } from './read.js';

export interface CheckRowResult {
  /** The run whose draw was replayed. */
  entry: LedgerEntry;
  row: number;
  block: number;
  index: number;
  /** The row as the file holds it and as it was redrawn. */
  file: Record<string, string>;
  redrawn: Record<string, string>;
  /** Columns whose values differ (empty: the row is as generated). */
  differ: string[];
  match: boolean;
  ms: number;
}

type Format = 'csv' | 'jsonl' | 'parquet';

function formatOf(path: string): Format {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.parquet') return 'parquet';
  throw new StrataError(
    'ledger.check_row_format',
    `cannot read rows of ${ext || 'this'} files`,
    { file: path },
    'check-row reads .csv, .jsonl and .parquet outputs of generate',
  );
}

/** Scan forward from `byte` (the start of data row `from`) to data row `row`; CSV quotes respected. */
async function lineAt(path: string, byte: number, from: number, row: number, csv: boolean): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let current = from;
    let start = -1;
    let inQuote = false;
    let pos = byte;
    const buf = Buffer.alloc(1 << 16);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      let i = 0;
      if (current === row && start < 0) start = 0;
      for (; i < bytesRead; i++) {
        const c = buf[i];
        if (csv && c === 0x22) inQuote = !inQuote;
        else if (c === 0x0a && !inQuote) {
          if (current === row) {
            chunks.push(Buffer.from(buf.subarray(Math.max(start, 0), i + 1)));
            return Buffer.concat(chunks).toString('utf8');
          }
          current++;
          if (current === row) start = i + 1;
        }
      }
      if (current === row && start >= 0) {
        chunks.push(Buffer.from(buf.subarray(start, bytesRead)));
        start = 0;
      }
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  throw new RowNotFound(`the file has no data row ${row}`);
}

/** The CSV header's names and its length in bytes (where data row 0 starts). */
async function headerOf(path: string): Promise<{ names: string[]; bytes: number }> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const end = buf.subarray(0, bytesRead).indexOf(0x0a);
    const line = buf.subarray(0, end >= 0 ? end : bytesRead).toString('utf8');
    return { names: (parseCsv(line) as string[][])[0] ?? [], bytes: end + 1 };
  } finally {
    await fh.close();
  }
}

/** Byte offset of the header's end (row 0), and the nearest indexed row start at or before `row`. */
function seekPoint(
  out: FileRecord | undefined,
  sizeMatches: boolean,
  row: number,
): [number, number] | undefined {
  if (!out?.index || !sizeMatches) return undefined;
  let best: [number, number] | undefined;
  for (const p of out.index) if (p[0] <= row && (!best || p[0] > best[0])) best = p;
  return best;
}

const text = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'bigint' ? v.toString() : String(v);

async function parquetRow(path: string, row: number): Promise<Record<string, unknown>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { sqlString, sqlIdent } = await import('../io/duckdb.js');
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  try {
    const conn = await db.connect();
    const src = `read_parquet(${sqlString(path)})`;
    const desc = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJS();
    const select = desc
      .map((d) => {
        const name = sqlIdent(String(d.column_name));
        const t = String(d.column_type);
        return t.startsWith('TIMESTAMP') || t === 'DATE' ? `epoch_ms(${name}::TIMESTAMP) AS ${name}` : name;
      })
      .join(', ');
    const rows = (
      await conn.runAndReadAll(`SELECT ${select} FROM ${src} LIMIT 1 OFFSET ${row}`)
    ).getRowObjectsJS();
    conn.closeSync();
    if (!rows.length) throw new RowNotFound(`the file has no data row ${row}`);
    return rows[0] as Record<string, unknown>;
  } finally {
    db.closeSync();
  }
}

function asRecord(columns: readonly string[], cells: readonly unknown[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  columns.forEach((c, i) => {
    out[c] = text(cells[i]);
  });
  return out;
}

/** The generate entry that wrote `file` last (by path), or the one whose run id its rows carry. */
function producer(entries: readonly LedgerEntry[], ledgerPath: string, file: string, runId?: string) {
  const gens = entries.filter((e) => e.command === 'generate');
  if (runId) {
    const byRun = gens.filter((e) => e.run === runId || e.reproduces === runId);
    const same = byRun.filter((e) => e.outputs.some((o) => entryFile(ledgerPath, e, o.path) === file));
    const hit = same.at(-1) ?? byRun.at(-1);
    if (hit) return hit;
  }
  return [...gens].reverse().find((e) => e.outputs.some((o) => entryFile(ledgerPath, e, o.path) === file));
}

function notFound(row: number, file: string, why: string): StrataError {
  return new StrataError(
    'ledger.check_row',
    `cannot check row ${row}: ${why}`,
    { file },
    'ROW counts data rows from 0 (the header is not a row)',
  );
}

export interface CheckRowOptions {
  /**
   * Whether a CSV file starts with a header line. Default: as the run recorded it (`generate
   * --no-header` records `header: false`), else true. Without one, the cells are read by the
   * columns the run wrote.
   */
  header?: boolean;
}

export async function checkRow(
  ledgerPath: string,
  filePath: string,
  row: number,
  opts: CheckRowOptions = {},
): Promise<CheckRowResult> {
  const t0 = performance.now();
  const file = resolve(filePath);
  const format = formatOf(file);
  const entries = await readEntries(ledgerPath);
  // The file's row: seek with the index of the entry that wrote this path (when the size still matches).
  const byPath = producer(entries, ledgerPath, file);
  const out = byPath?.outputs.find((o) => entryFile(ledgerPath, byPath, o.path) === file);
  const hasHeader =
    format === 'csv' && (opts.header ?? (byPath?.params as Record<string, unknown>)?.header !== false);
  const size = (await stat(file).catch(() => undefined))?.size;
  if (size === undefined) throw notFound(row, filePath, 'the file does not exist');
  let fileRow: Record<string, string> | undefined;
  // The cells of a CSV row without a header line: named once the run's columns are known.
  let unnamed: string[] | undefined;
  let fileLine: string | undefined;
  try {
    if (format === 'parquet') {
      const r = await parquetRow(file, row);
      fileRow = asRecord(Object.keys(r), Object.values(r));
    } else {
      const seek = seekPoint(out, out?.bytes === size, row);
      let startByte: number;
      let startRow: number;
      const header = hasHeader ? await headerOf(file) : { names: [], bytes: 0 };
      if (seek) [startRow, startByte] = seek;
      else [startRow, startByte] = [0, header.bytes];
      const line = await lineAt(file, startByte, startRow, row, format === 'csv');
      fileLine = line;
      if (format === 'csv') {
        const cells = (parseCsv(line) as string[][])[0] ?? [];
        if (hasHeader) fileRow = asRecord(header.names, cells);
        else unnamed = cells;
      } else {
        const obj = JSON.parse(line) as Record<string, unknown>;
        fileRow = asRecord(Object.keys(obj), Object.values(obj));
      }
    }
  } catch (e) {
    if (e instanceof RowNotFound) throw notFound(row, filePath, e.message);
    throw e;
  }
  const runId = fileRow?._run_id || undefined;
  const entry = producer(entries, ledgerPath, file, runId);
  if (!entry)
    throw new StrataError(
      'ledger.check_row_no_run',
      runId ? `no generate run ${runId} in the ledger` : 'no generate run in the ledger wrote this file',
      { file: filePath },
      'pass the ledger the run was recorded in',
    );
  const p = entry.params as Record<string, unknown>;
  if ((entry.result as Record<string, unknown>).tables !== undefined)
    // A relational run: a row's draw depends on its entity's earlier rows in every table.
    throw new StrataError(
      'ledger.check_row_tables',
      `run ${entry.run} generated a relational spec (tables, entities): check-row redraws rows of one table only`,
      { file: filePath },
      'verify the files with `strata ledger verify`, or rerun the recorded command (`strata ledger trace FILE` prints it) and compare',
    );
  const specIn = entry.inputs.find((i) => i.role === 'spec');
  if (!specIn)
    throw new StrataError('ledger.check_row_no_spec', `run ${entry.run} recorded no spec`, {
      file: ledgerPath,
    });
  const specPath = entryFile(ledgerPath, entry, specIn.path);
  const now = await hashFile(specPath).catch(() => undefined);
  if (!now || now.sha256 !== specIn.sha256)
    throw new StrataError(
      'ledger.spec_changed',
      `the spec ${specIn.path} ${now ? 'changed' : 'is gone'} since run ${entry.run}`,
      { file: specPath },
      'restore it (its SHA-256 is in the ledger entry) to redraw rows',
    );
  const loaded = await loadSpec(specPath);
  const table = String(p.table);
  const scenario = typeof p.scenario === 'string' ? p.scenario : undefined;
  const scen = scenario ? applyScenario(loaded.spec, table, scenario) : undefined;
  const drawer = await rowDrawer({
    spec: scen ? scen.spec : loaded.spec,
    table,
    rows: typeof p.rows === 'number' ? p.rows : undefined,
    seed: entry.seed ?? undefined,
    do: { ...(scen?.do ?? {}), ...((p.do as Record<string, string | number | boolean>) ?? {}) },
    coverage: p.coverage !== false,
    allowEmptyCells: p.allow_empty_cells === true,
    scenario,
    provenance: p.provenance === true,
    specHash: loaded.hash,
    runId: runId ?? entry.reproduces ?? entry.run,
  });
  if (!fileRow) fileRow = asRecord(drawer.columns, unnamed ?? []);
  const hasAddress = fileRow._block !== undefined && fileRow._row !== undefined && fileRow._block !== '';
  let block: number;
  let index: number;
  if (hasAddress) {
    block = Number(fileRow._block);
    index = Number(fileRow._row);
  } else if (p.coverage && (entry.result as Record<string, unknown>).coverage) {
    throw new StrataError(
      'ledger.check_row_coverage',
      'this coverage run\u2019s rows carry no _block/_row columns',
      { file: filePath },
      'generate with --provenance to check single rows of a coverage run',
    );
  } else {
    block = Math.floor(row / BLOCK_ROWS);
    index = row % BLOCK_ROWS;
  }
  let drawn: DrawnRow;
  try {
    drawn = drawer.draw({ block, row: index });
  } catch (e) {
    if (e instanceof RowNotFound) throw notFound(row, filePath, e.message);
    throw e;
  }
  const redrawn =
    format === 'parquet'
      ? asRecord(drawn.columns, drawn.cells)
      : format === 'csv'
        ? asRecord(drawn.columns, (parseCsv(drawn.csv) as string[][])[0] ?? [])
        : (() => {
            const obj = JSON.parse(drawn.jsonl) as Record<string, unknown>;
            return asRecord(Object.keys(obj), Object.values(obj));
          })();
  const names = [...new Set([...Object.keys(fileRow), ...Object.keys(redrawn)])];
  const differ = names.filter((n) => fileRow[n] !== redrawn[n]);
  const bytesMatch = fileLine === undefined || fileLine === (format === 'csv' ? drawn.csv : drawn.jsonl);
  return {
    entry,
    row,
    block,
    index,
    file: fileRow,
    redrawn,
    differ: differ.length || bytesMatch ? differ : ['(bytes)'],
    match: differ.length === 0 && bytesMatch,
    ms: performance.now() - t0,
  };
}
