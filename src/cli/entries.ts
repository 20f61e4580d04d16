/**
 * What a ledger entry records of each verb's result, in one place for the commands and the demo
 * (which runs the same verbs as library calls and records them as the equivalent command lines).
 */
import type { FitFileOptions } from '../fit/file.js';
import type { FitResult } from '../fit/fit.js';
import type { RelationalFit } from '../fit/relational.js';
import type { EvaluateFilesResult } from '../report/files.js';
import type { GenerateResult } from '../sample/generate.js';
import type { GenerateTablesResult } from '../sample/generate-tables.js';
import type { Spec } from '../spec/schema.js';
import type { AugmentResult } from '../text/augment/augment.js';
import type { GenerateFileResult } from '../text/generate.js';
import type { ProveReport } from '../text/prove/prove.js';
import type { RedteamAudit } from '../text/redteam/audit.js';
import type { RunResult } from './record.js';

export interface GenerateRecordOptions {
  out: string;
  rows?: number;
  do: Record<string, string | number | boolean>;
  scenario?: string;
  coverage?: boolean;
  allowEmptyCells?: boolean;
  provenance?: boolean;
  /** CSV: whether the file starts with a header line (`--no-header`: false); check-row reads it. */
  header?: boolean;
  spec: Spec;
  specHash: string;
  /** `--run-id`: the run whose rows this one re-stamps. */
  reproduces?: string;
}

export async function generateRecord(result: GenerateResult, o: GenerateRecordOptions): Promise<RunResult> {
  const { specSummary } = await import('../ledger/summaries.js');
  const cov = result.coverage;
  return {
    outputs: [
      {
        role: 'rows',
        path: o.out,
        known: { sha256: result.sha256, bytes: result.bytes, rows: result.rows, index: result.rowIndex },
      },
    ],
    seed: result.seed,
    params: {
      table: result.table,
      rows: o.rows ?? null,
      seed: result.seed,
      do: o.do,
      scenario: o.scenario ?? null,
      coverage: o.coverage !== false,
      allow_empty_cells: o.allowEmptyCells === true,
      provenance: o.provenance === true,
      header: o.header !== false,
      format: result.format ?? null,
      workers: result.workers,
    },
    result: {
      rows: result.rows,
      columns: result.columns,
      seconds: Number(result.seconds.toFixed(3)),
      spec_hash: o.specHash,
      spec: specSummary(o.spec),
      coverage: cov
        ? {
            cells: cov.components.length,
            forbidden: cov.forbidden.length,
            effective_sample_size: cov.effectiveSampleSize,
          }
        : null,
    },
    ...(o.reproduces ? { reproduces: o.reproduces } : {}),
  };
}

export interface GenerateTablesRecordOptions {
  out: string;
  rows?: number;
  do: Record<string, string | number | boolean>;
  /** csv, jsonl, or duckdb (one database file holding every table). */
  format: string;
  workers: number;
  spec: Spec;
  specHash: string;
  scenario?: string;
  coverage?: boolean;
  allowEmptyCells?: boolean;
}

/**
 * A relational generate: one output per table file (hashed as written), or the one DuckDB file
 * holding every table (hashed after DuckDB wrote it); rows per table in the result.
 */
export async function generateTablesRecord(
  result: GenerateTablesResult,
  o: GenerateTablesRecordOptions,
): Promise<RunResult> {
  const { specSummary } = await import('../ledger/summaries.js');
  const rows: Record<string, number> = Object.create(null);
  for (const t of result.tables) rows[t.table] = t.rows;
  const total = result.tables.reduce((a, t) => a + t.rows, 0);
  const database = o.format === 'duckdb';
  return {
    outputs: database
      ? [{ role: 'database', path: result.tables[0].path, known: { rows: total } }]
      : result.tables.map((t) => ({
          role: `table:${t.table}`,
          path: t.path,
          known: { sha256: t.sha256, bytes: t.bytes, rows: t.rows },
        })),
    seed: result.seed,
    params: {
      rows: o.rows ?? null,
      seed: result.seed,
      do: o.do,
      format: o.format,
      workers: o.workers,
      scenario: o.scenario ?? null,
      coverage: o.coverage !== false,
      allow_empty_cells: o.allowEmptyCells === true,
    },
    result: {
      entities: result.roots,
      rows: total,
      tables: rows,
      seconds: Number(result.seconds.toFixed(3)),
      spec_hash: o.specHash,
      spec: specSummary(o.spec),
    },
  };
}

export interface FitTablesRecordOptions {
  out: string;
  seed?: number;
  keys: string[];
  refs: string[];
  orders: string[];
  entity?: string;
  maxParents?: number;
  minCount?: number;
  naValues?: string[];
}

/** A relational fit (several tables, or a panel): the model written, and per table its rows and links. */
export async function fitTablesRecord(fit: RelationalFit, o: FitTablesRecordOptions): Promise<RunResult> {
  const { specSummary } = await import('../ledger/summaries.js');
  const tables: Record<string, Record<string, unknown>> = Object.create(null);
  for (const t of fit.tables)
    tables[t.name] = {
      rows: t.rows,
      key: t.key ?? null,
      parent: t.parent ? `${t.parent.table} through ${t.parent.column}` : null,
      sequence: t.sequence ? { order: t.sequence.order ?? null, entity: t.sequence.entity ?? null } : null,
      rules: t.rules.map((r) => r.check),
    };
  const { out: _o, ...params } = o;
  return {
    outputs: [{ role: 'model', path: o.out }],
    seed: o.seed ?? null,
    params: { ...params, seed: o.seed ?? null },
    result: {
      tables,
      rows: fit.tables.reduce((a, t) => a + t.rows, 0),
      seconds: Number(fit.seconds.toFixed(3)),
      spec: specSummary(fit.spec as unknown as Spec),
    },
  };
}

export async function fitRecord(
  result: FitResult,
  opts: FitFileOptions & { out: string },
): Promise<RunResult> {
  const { specSummary } = await import('../ledger/summaries.js');
  const { knowledgePath: _k, fromPath: _f, out: _o, sourceName: _s, ...params } = opts;
  return {
    outputs: [{ role: 'model', path: opts.out }],
    seed: opts.seed ?? null,
    params,
    result: {
      table: result.table,
      rows: result.rows,
      columns: result.columns.length,
      edges: result.edges.map((e) => `${e.from}->${e.to}`),
      seconds: Number(result.seconds.toFixed(3)),
      epsilon: result.budget?.epsilon ?? null,
      spec: specSummary(result.spec),
    },
  };
}

export interface EvaluateRecordOptions {
  json?: string;
  html?: string;
  gate?: string;
  target?: string;
  sensitive?: string[];
  table?: string;
  trivariate?: boolean;
}

export async function evaluateRecord(r: EvaluateFilesResult, o: EvaluateRecordOptions): Promise<RunResult> {
  const { evaluationSummary, gateSummary } = await import('../ledger/summaries.js');
  return {
    outputs: [
      { role: 'json', path: o.json },
      { role: 'html', path: o.html },
    ],
    seed: r.report.config.seed,
    params: {
      target: o.target ?? null,
      sensitive: o.sensitive ?? [],
      table: o.table ?? null,
      seed: r.report.config.seed,
      trivariate: o.trivariate === true,
    },
    result: {
      ...evaluationSummary(r.report),
      gate: o.gate ? gateSummary(o.gate, r.gates, r.gateFailures) : null,
    },
  };
}

export interface TextGenerateRecordOptions {
  out: string;
  seed?: number;
  rejections?: string;
  log?: string;
  replay?: string;
  cassette?: boolean;
}

export function textGenerateRecord(r: GenerateFileResult, o: TextGenerateRecordOptions): RunResult {
  return {
    outputs: [
      { role: 'texts', path: o.out },
      { role: 'rejections', path: o.rejections },
      { role: 'log', path: o.log },
      ...(r.cassette && r.cassette.recorded > 0 ? [{ role: 'cassette', path: r.cassette.path }] : []),
    ],
    seed: o.seed ?? null,
    params: { seed: o.seed ?? null, replay: o.replay !== undefined, cassette: o.cassette !== false },
    result: {
      records: r.records.length,
      dedup_rejected: r.dedup_rejections.length,
      verify_rejected: r.verify_rejections.length,
      shortfall: r.shortfall,
      usage: r.usage,
      cassette: r.cassette ? { replayed: r.cassette.replayed, recorded: r.cassette.recorded } : null,
    },
  };
}

export interface TextAugmentRecordOptions {
  out: string;
  report?: string;
  /** The cassette this run wrote (`--record`), an output like the texts. */
  recorded?: string;
  seed: number;
  textField: string;
  labelField: string;
  perLabel: number;
  oversample: number;
  verify: boolean;
  selection: string;
  labels?: string[];
  llmModel?: string;
  /** Whether candidates came from a live endpoint, a replayed cassette, or no LLM. */
  llm: 'live' | 'replay' | 'none';
}

/** `text augment`: the texts and report written, the options, and per label what was added. */
export function textAugmentRecord(r: AugmentResult, o: TextAugmentRecordOptions): RunResult {
  return {
    outputs: [
      { role: 'texts', path: o.out },
      { role: 'report', path: o.report },
      { role: 'cassette', path: o.recorded },
    ],
    seed: o.seed,
    params: {
      seed: o.seed,
      text_field: o.textField,
      label_field: o.labelField,
      per_label: o.perLabel,
      oversample: o.oversample,
      verify: o.verify,
      selection: o.selection,
      labels: o.labels ?? null,
      llm: o.llm,
      llm_model: o.llmModel ?? null,
    },
    result: {
      records: r.records.length,
      shortfall: r.labels.reduce((s, l) => s + l.shortfall, 0),
      labels: r.labels.map((l) => ({
        label: l.label,
        real: l.real,
        selected: l.selected,
        shortfall: l.shortfall,
      })),
      usage: r.usage,
      seconds: Number((r.timings_ms.total / 1000).toFixed(3)),
    },
  };
}

export interface TextProveRecordOptions {
  json?: string;
  html?: string;
  seed: number;
  textField: string;
  labelField: string;
  rare?: string[];
  rareCount: number;
  reps: number;
}

/** `text prove`: the reports written, the options, and the summary (changes with their intervals). */
export function textProveRecord(rep: ProveReport, o: TextProveRecordOptions): RunResult {
  return {
    outputs: [
      { role: 'json', path: o.json },
      { role: 'html', path: o.html },
    ],
    seed: o.seed,
    params: {
      seed: o.seed,
      text_field: o.textField,
      label_field: o.labelField,
      rare: o.rare ?? null,
      rare_count: o.rareCount,
      reps: o.reps,
    },
    result: { summary: rep.summary, rare: rep.rare, counts: rep.counts },
  };
}

export interface TextRedteamRecordOptions {
  out: string;
  promptfoo?: string;
  audit?: string;
  seed: number;
  quota: number;
  strength: number;
}

/** `text redteam`: the pack (and promptfoo list, audit) written, the options, and the audit's figures. */
export function textRedteamRecord(audit: RedteamAudit, o: TextRedteamRecordOptions): RunResult {
  return {
    outputs: [
      { role: 'pack', path: o.out },
      { role: 'promptfoo', path: o.promptfoo },
      { role: 'audit', path: o.audit },
    ],
    seed: o.seed,
    params: { seed: o.seed, quota: o.quota, strength: o.strength },
    result: {
      prompts: audit.items,
      attacks: audit.attacks,
      controls: audit.controls,
      cells: audit.cells,
      cells_filled: audit.cells_filled,
      pairwise_coverage: audit.pairwise_coverage,
      near_duplicate_share: audit.near_duplicate_share,
    },
  };
}
