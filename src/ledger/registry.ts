/**
 * The run registry: the ledger read as a DuckDB table (`read_json` of the JSON lines), for
 * `strata runs list|show|diff` and for users' own SQL (docs/ledger.md gives the view). The stable
 * fields are typed; params, result, inputs and outputs stay JSON (their keys vary by command and
 * by spec), read with DuckDB's JSON operators.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '../io/duckdb.js';
import type { FileRecord, LedgerEntry } from './entry.js';
import type { ColumnSummary, SpecSummary } from './summaries.js';

/** The SQL that makes the ledger a table named `runs`. */
export function runsViewSql(ledgerPath: string): string {
  return `CREATE OR REPLACE VIEW runs AS SELECT * FROM read_json(${sqlString(ledgerPath)}, format = 'newline_delimited', columns = {
  v: 'INTEGER', seq: 'BIGINT', prev: 'VARCHAR', run: 'VARCHAR', time: 'TIMESTAMP', command: 'VARCHAR',
  argv: 'VARCHAR[]', cwd: 'VARCHAR', strata: 'VARCHAR', node: 'VARCHAR', seed: 'BIGINT',
  inputs: 'JSON', outputs: 'JSON', params: 'JSON', result: 'JSON', reproduces: 'VARCHAR',
  signer: 'JSON', hash: 'VARCHAR', sig: 'VARCHAR'
})`;
}

export interface RunRow {
  seq: number;
  run: string;
  time: string;
  command: string;
  output: string | null;
  rows: number | null;
  gate: string | null;
}

/** The SQL behind `runs list` (shown by `runs list --sql`). */
export const LIST_SQL = `SELECT seq, run, strftime(time, '%Y-%m-%d %H:%M:%S') AS time, command,
  outputs->>'$[0].path' AS output,
  TRY_CAST(COALESCE(result->>'$.rows', result->>'$.records', result->>'$.kept') AS BIGINT) AS rows,
  CASE WHEN (result->>'$.gate.passed') IS NULL THEN NULL
       WHEN (result->>'$.gate.passed') = 'true' THEN 'passed' ELSE 'failed' END AS gate
FROM runs ORDER BY seq`;

/** The SQL that finds the evaluations of a file's bytes (used by `runs diff`). */
export const EVALUATIONS_SQL = `SELECT r.run, r.result::VARCHAR AS result
FROM runs r, unnest(CAST(r.inputs AS JSON[])) AS i(f)
WHERE r.command = 'evaluate' AND (f->>'$.role') = 'synthetic' AND (f->>'$.sha256') = $1
ORDER BY r.seq`;

export async function withRuns<T>(
  ledgerPath: string,
  fn: (conn: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  try {
    await conn.run(runsViewSql(ledgerPath));
    return await fn(conn);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const plain = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);

export async function listRuns(ledgerPath: string): Promise<RunRow[]> {
  return withRuns(ledgerPath, async (conn) => {
    const rows = (await conn.runAndReadAll(LIST_SQL)).getRowObjectsJS();
    return rows.map(
      // plain-object: fixed keys (the columns LIST_SQL selects)
      (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])) as unknown as RunRow,
    );
  });
}

export interface Change {
  what: string;
  from: unknown;
  to: unknown;
}

export interface MetricDelta {
  key: string;
  a: number | null;
  b: number | null;
  delta: number | null;
}

export interface RunDiff {
  a: LedgerEntry;
  b: LedgerEntry;
  params: Change[];
  inputs: Change[];
  spec: Change[];
  metrics: MetricDelta[];
  /** Where the metrics came from: the runs themselves (evaluate) or their evaluations. */
  metricsFrom: [string | null, string | null];
}

const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

function diffObjects(a: Record<string, unknown>, b: Record<string, unknown>, prefix = ''): Change[] {
  const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort();
  return keys
    .filter((k) => !same(a?.[k], b?.[k]))
    .map((k) => ({ what: `${prefix}${k}`, from: a?.[k] ?? null, to: b?.[k] ?? null }));
}

function byRole(fs: readonly FileRecord[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const f of fs ?? []) out[f.role] = `${f.path} (sha256 ${f.sha256.slice(0, 12)}…)`;
  return out;
}

/** Structural spec diff: tables and columns added or removed, type, parents, definition, rules. */
export function diffSpecs(a: SpecSummary | undefined, b: SpecSummary | undefined): Change[] {
  if (!a || !b) return [];
  const out: Change[] = [];
  const tables = [...new Set([...Object.keys(a.tables), ...Object.keys(b.tables)])].sort();
  for (const t of tables) {
    const ta = a.tables[t];
    const tb = b.tables[t];
    if (!ta || !tb) {
      out.push({ what: `table ${t}`, from: ta ? 'present' : 'absent', to: tb ? 'present' : 'absent' });
      continue;
    }
    const cols = [...new Set([...Object.keys(ta.columns), ...Object.keys(tb.columns)])];
    for (const c of cols) {
      const ca: ColumnSummary | undefined = ta.columns[c];
      const cb: ColumnSummary | undefined = tb.columns[c];
      if (!ca || !cb)
        out.push({ what: `${t}.${c}`, from: ca ? ca.type : 'absent', to: cb ? cb.type : 'absent' });
      else {
        if (ca.type !== cb.type) out.push({ what: `${t}.${c} type`, from: ca.type, to: cb.type });
        if (!same([...ca.given].sort(), [...cb.given].sort()))
          out.push({ what: `${t}.${c} parents`, from: ca.given, to: cb.given });
        else if (ca.digest !== cb.digest && ca.type === cb.type)
          out.push({ what: `${t}.${c} definition`, from: ca.digest, to: cb.digest });
      }
    }
    out.push(...diffObjects(ta.rules, tb.rules, `${t} rule `));
  }
  if (a.epsilon !== b.epsilon) out.push({ what: 'epsilon', from: a.epsilon, to: b.epsilon });
  return out;
}

type Summary = Record<string, number | null>;

async function evaluationOf(
  conn: DuckDBConnection,
  e: LedgerEntry,
): Promise<{ run: string; summary: Summary } | undefined> {
  const r = e.result as Record<string, unknown>;
  if (e.command === 'evaluate') return { run: e.run, summary: (r.summary ?? {}) as Summary };
  const out = e.outputs?.[0];
  if (!out) return undefined;
  const stmt = await conn.prepare(EVALUATIONS_SQL);
  stmt.bindVarchar(1, out.sha256);
  const rows = (await stmt.runAndReadAll()).getRowObjectsJS();
  const last = rows.at(-1);
  if (!last) return undefined;
  return {
    run: String(last.run),
    summary: ((JSON.parse(String(last.result)) as Record<string, unknown>).summary ?? {}) as Summary,
  };
}

/** What changed between two runs: options, inputs, the model's structure, and metrics. */
export async function diffRuns(ledgerPath: string, a: LedgerEntry, b: LedgerEntry): Promise<RunDiff> {
  return withRuns(ledgerPath, async (conn) => {
    const [ea, eb] = [await evaluationOf(conn, a), await evaluationOf(conn, b)];
    const keys = [...new Set([...Object.keys(ea?.summary ?? {}), ...Object.keys(eb?.summary ?? {})])];
    const metrics = keys.map((key) => {
      const x = ea?.summary[key] ?? null;
      const y = eb?.summary[key] ?? null;
      return { key, a: x, b: y, delta: x !== null && y !== null ? y - x : null };
    });
    const ra = a.result as Record<string, unknown>;
    const rb = b.result as Record<string, unknown>;
    return {
      a,
      b,
      params: [
        ...(a.command !== b.command ? [{ what: 'command', from: a.command, to: b.command }] : []),
        ...diffObjects(a.params as Record<string, unknown>, b.params as Record<string, unknown>),
      ],
      inputs: diffObjects(byRole(a.inputs), byRole(b.inputs)),
      spec: diffSpecs(ra.spec as SpecSummary | undefined, rb.spec as SpecSummary | undefined),
      metrics,
      metricsFrom: [ea?.run ?? null, eb?.run ?? null],
    };
  });
}
