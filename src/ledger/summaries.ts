/**
 * What an entry keeps of a spec and of an evaluation, small enough for every entry and shaped for
 * `runs diff`: the model's structure (a digest per column, so a changed distribution shows
 * without storing the spec) and the summary figures with their confidence intervals.
 */
import type { Gate, GateFailure } from '../evaluate/gates.js';
import type { EvaluationReport, SummaryKey } from '../evaluate/registry.js';
import type { Metric } from '../evaluate/types.js';
import type { Spec } from '../spec/schema.js';
import { canonical, type Json, sha256Hex, toJson } from './entry.js';

export interface ColumnSummary {
  type: string;
  given: string[];
  /** First 16 hex of the SHA-256 of the column's canonical definition. */
  digest: string;
}

export interface SpecSummary {
  name: string | null;
  tables: {
    [table: string]: {
      columns: { [column: string]: ColumnSummary };
      rules: { [rule: string]: string };
    };
  };
  coverage: string[];
  epsilon: number | null;
}

const digest = (v: unknown) => sha256Hex(canonical(toJson(v))).slice(0, 16);

/** The structure of a spec: per table, each column's type, parents and a digest of its definition. */
export function specSummary(spec: Spec): SpecSummary {
  const tables: SpecSummary['tables'] = Object.create(null);
  for (const [t, table] of Object.entries(spec.tables)) {
    const columns: { [c: string]: ColumnSummary } = Object.create(null);
    for (const [c, col] of Object.entries(table.columns))
      columns[c] = { type: col.type, given: col.given ?? [], digest: digest(col) };
    const rules: { [r: string]: string } = Object.create(null);
    for (const r of table.rules ?? []) rules[r.name] = r.check;
    tables[t] = { columns, rules };
  }
  return {
    name: spec.name ?? null,
    tables,
    coverage: Object.keys(spec.coverage ?? {}),
    epsilon: typeof spec.fit?.epsilon === 'number' ? spec.fit.epsilon : null,
  };
}

/** The section figure behind each summary key (with its bootstrap interval when there is one). */
function metricOf(r: EvaluationReport, key: SummaryKey): Metric | undefined {
  switch (key) {
    case 'accuracy_univariate':
    case 'accuracy_bivariate':
    case 'accuracy_univariate_holdout':
    case 'accuracy_bivariate_holdout':
      return r.fidelity?.[key];
    case 'detection_auc':
      return r.detection?.auc;
    case 'mmd':
      return r.mmd?.mmd2;
    case 'dcr_share':
    case 'identical_match_share':
    case 'identical_match_share_holdout':
      return r.privacy?.[key];
    case 'tstr_auc':
      return r.utility?.tstr.auc;
    case 'trtr_auc':
      return r.utility?.trtr.auc;
    default:
      return undefined;
  }
}

export interface EvaluationSummary {
  summary: { [key: string]: number | null };
  /** Summary figures with their 95% intervals, where the report has them. */
  ci: { [key: string]: [number, number] };
  membership_inference_auc: number | null;
  rows: { real: number; synthetic: number; holdout: number | null };
  skipped: { [metric: string]: string };
}

export function evaluationSummary(r: EvaluationReport): EvaluationSummary {
  const ci: EvaluationSummary['ci'] = Object.create(null);
  for (const key of Object.keys(r.summary) as SummaryKey[]) {
    const m = metricOf(r, key);
    if (m?.ci && Number.isFinite(m.ci[0]) && Number.isFinite(m.ci[1])) ci[key] = m.ci;
  }
  const skipped: { [m: string]: string } = Object.create(null);
  for (const s of r.skipped) skipped[s.metric] = s.reason;
  return {
    summary: { ...r.summary },
    ci,
    membership_inference_auc: r.privacy?.membership_inference_auc.value ?? null,
    rows: { real: r.inputs.real_rows, synthetic: r.inputs.synthetic_rows, holdout: r.inputs.holdout_rows },
    skipped,
  };
}

/** A gate verdict as an entry records it. */
export function gateSummary(
  file: string,
  gates: { [key: string]: Gate } | undefined,
  failures: readonly GateFailure<string>[],
): Json {
  return toJson({
    file,
    passed: failures.length === 0,
    gates: gates ?? null,
    failures: failures.map((f) => ({ key: f.key, value: f.value, ...f.gate, message: f.message })),
  });
}
