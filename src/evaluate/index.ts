/**
 * `evaluate()`: one call that judges synthetic data against real data (and optionally a holdout and
 * a spec) and returns a versioned, documented report (docs/evaluate-json.md). Tables come in already
 * loaded; the CLI (src/cli/evaluate.ts) does the I/O.
 */
import { StrataError } from '../errors.js';
import type { RawTable } from '../io/index.js';
import { alignTables, type RawLike, type TypedTable } from '../ml/index.js';
import { checkedSpec, didYouMean, type Spec } from '../spec/index.js';
import { computeBias } from './bias.js';
import { computeDetection } from './detection.js';
import { computeFidelity } from './fidelity.js';
import { computeKnnCoverage } from './knn-coverage.js';
import { computeMmd } from './mmd.js';
import { computePrivacy } from './privacy.js';
import { checkCoverage, checkRules, pickTable, specValues } from './spec-checks.js';
import { type EvaluationReport, type Skipped, SUMMARY_KEYS, type Summary } from './types.js';
import { computeUtility, type UtilityResult } from './utility.js';

export { checkGates, type Gate, type GateFailure, type Gates, parseGates } from './gates.js';
export * from './types.js';

export interface EvaluateSections {
  fidelity?: boolean;
  detection?: boolean;
  mmd?: boolean;
  privacy?: boolean;
  utility?: boolean;
  bias?: boolean;
  rules?: boolean;
  knnCoverage?: boolean;
}

export interface EvaluateInput {
  real: RawTable;
  synthetic: RawTable;
  holdout?: RawTable;
  spec?: Spec;
  /** Spec table to check rules/coverage against (default: the only table, or the one named like the file). */
  table?: string;
  target?: string;
  sensitive?: string[];
  seed?: number;
  trivariate?: boolean;
  /** Bootstrap replicates (default 100). */
  bootstrapReps?: number;
  sections?: EvaluateSections;
  /** Called after each section with its wall time (for progress and benchmarks). */
  onSection?: (name: string, ms: number) => void;
}

const VERSION = 'strata-evaluate/1';

function project(t: RawTable, columns: string[]): RawLike {
  const idx = columns.map((c) => t.columns.indexOf(c));
  const types = t.types;
  return {
    columns,
    rowCount: t.rowCount,
    data: idx.map((i) => t.data[i]),
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

/** Columns shared by real and synthetic (and holdout); provenance columns (leading "_") are left out. */
function sharedColumns(input: EvaluateInput): string[] {
  const cols = input.real.columns.filter((c) => !c.startsWith('_'));
  for (const [label, t] of [
    ['synthetic', input.synthetic],
    ['holdout', input.holdout],
  ] as const) {
    if (!t) continue;
    const absent = cols.filter((c) => !t.columns.includes(c));
    if (absent.length) {
      throw new StrataError(
        'evaluate.columns',
        `the ${label} data lacks column${absent.length > 1 ? 's' : ''} ${absent.map((a) => `"${a}"`).join(', ')} that the real data has`,
        { file: t.source },
        `compare tables with the same columns (real: ${input.real.source})`,
      );
    }
  }
  return cols;
}

export async function evaluate(input: EvaluateInput): Promise<EvaluationReport> {
  const seed = input.seed ?? 42;
  const reps = input.bootstrapReps ?? 100;
  const level = 0.95;
  const on = {
    fidelity: true,
    detection: true,
    mmd: true,
    privacy: true,
    utility: true,
    bias: true,
    rules: true,
    knnCoverage: true,
    ...input.sections,
  };
  const timings: Record<string, number> = {};
  const skipped: Skipped[] = [];
  const timed = async <T>(name: string, f: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await f();
    timings[name] = Math.round(performance.now() - t0);
    input.onSection?.(name, timings[name]);
    return out;
  };

  // A Spec object is checked exactly like a --spec file, before any work (a loaded one only once).
  const checked = input.spec === undefined ? undefined : checkedSpec(input.spec);
  const columns = sharedColumns(input);
  if (input.target) checkColumn(input.target, columns, '--target');
  for (const s of input.sensitive ?? []) checkColumn(s, columns, '--sensitive');

  const aligned = await timed('prepare', () =>
    alignTables(project(input.real, columns), [
      project(input.synthetic, columns),
      ...(input.holdout ? [project(input.holdout, columns)] : []),
    ]),
  );
  const real: TypedTable = aligned.reference;
  const syn: TypedTable = aligned.others[0];
  const hold: TypedTable | undefined = input.holdout ? aligned.others[1] : undefined;

  const report: EvaluationReport = {
    schema_version: 1,
    generated_by: VERSION,
    inputs: {
      real_rows: real.rowCount,
      synthetic_rows: syn.rowCount,
      holdout_rows: hold ? hold.rowCount : null,
      columns: real.columns.map((c) => ({ name: c.name, kind: c.kind })),
      target: input.target ?? null,
      sensitive: input.sensitive ?? [],
      spec_table: null,
    },
    config: { seed, bootstrap_reps: reps, ci_level: level },
    summary: Object.fromEntries(SUMMARY_KEYS.map((k) => [k, null])) as Summary,
    fidelity: null,
    detection: null,
    mmd: null,
    privacy: null,
    utility: null,
    bias: [],
    rules: null,
    coverage: null,
    knn_coverage: null,
    skipped,
    timings_ms: timings,
  };
  const opts = { seed, reps, level };

  if (on.fidelity) {
    const f = await timed('fidelity', () =>
      computeFidelity(real, syn, hold, { ...opts, trivariate: input.trivariate }),
    );
    report.fidelity = f.section;
    skipped.push(...f.skipped);
  }
  if (on.detection) report.detection = await timed('detection', () => computeDetection(real, syn, opts));
  if (on.mmd) report.mmd = await timed('mmd', () => computeMmd(real, syn, opts));
  if (on.privacy) {
    const p = await timed('privacy', () => computePrivacy(real, syn, hold, opts));
    report.privacy = p.section;
    skipped.push(...p.skipped);
  }
  let util: UtilityResult | null = null;
  if (on.utility) {
    if (!input.target) {
      skipped.push({ metric: 'utility', reason: 'needs --target (the column to predict)' });
    } else {
      try {
        util = await timed('utility', () => computeUtility(real, syn, hold, input.target as string, opts));
        report.utility = util.section;
      } catch (e) {
        skipped.push({ metric: 'utility', reason: (e as Error).message });
      }
    }
  }
  if (on.bias && (input.sensitive?.length ?? 0) > 0) {
    if (!input.target)
      skipped.push({ metric: 'bias', reason: 'needs --target to measure P(target | group)' });
    else {
      for (const s of input.sensitive ?? []) {
        try {
          report.bias.push(
            await timed(`bias:${s}`, () => computeBias(real, syn, s, input.target as string, util, opts)),
          );
        } catch (e) {
          skipped.push({ metric: `bias.${s}`, reason: (e as Error).message });
        }
      }
    }
  }
  if (checked && (on.rules || true)) {
    const spec = checked;
    let tableName: string;
    try {
      tableName = pickTable(spec, input.table, input.synthetic.name);
    } catch (e) {
      throw new StrataError(
        'evaluate.spec_table',
        (e as Error).message,
        { path: '--table' },
        'pass --table NAME',
      );
    }
    report.inputs.spec_table = tableName;
    const tspec = spec.tables[tableName];
    const values = specValues(input.synthetic, tspec.columns);
    if (on.rules) {
      const rules = tspec.rules ?? [];
      const r = await timed('rules', () => checkRules(input.synthetic, values, rules, opts));
      report.rules = r.rules;
      if (rules.length === 0)
        skipped.push({
          metric: 'rule_violation_rate',
          reason: `the spec's table "${tableName}" declares no rules`,
        });
      else {
        let any = 0;
        for (const v of r.anyViolation) any += v;
        report.summary.rule_violation_rate = input.synthetic.rowCount ? any / input.synthetic.rowCount : null;
      }
    }
    const plan = spec.coverage?.[tableName];
    if (plan) {
      try {
        report.coverage = await timed('coverage', () =>
          checkCoverage(tableName, plan, input.synthetic, values, tspec.columns),
        );
      } catch (e) {
        skipped.push({ metric: 'coverage', reason: (e as Error).message });
      }
    }
  } else {
    skipped.push({ metric: 'rule_violation_rate', reason: 'needs --spec' });
  }
  if (on.knnCoverage)
    report.knn_coverage = await timed('knn_coverage', () => computeKnnCoverage(real, syn, opts));

  fillSummary(report);
  return report;
}

function fillSummary(r: EvaluationReport): void {
  const s = r.summary;
  const set = (
    key: keyof Summary,
    m: { value: number | null; reason?: string } | undefined,
    fallback: string,
  ) => {
    if (key === 'rule_violation_rate') return;
    s[key] = m?.value ?? null;
    if (s[key] === null && !r.skipped.some((x) => x.metric === key))
      r.skipped.push({ metric: key, reason: m?.reason ?? fallback });
  };
  set('accuracy_univariate', r.fidelity?.accuracy_univariate, 'fidelity section not run');
  set('accuracy_bivariate', r.fidelity?.accuracy_bivariate, 'fidelity section not run');
  set('accuracy_univariate_holdout', r.fidelity?.accuracy_univariate_holdout, 'fidelity section not run');
  set('accuracy_bivariate_holdout', r.fidelity?.accuracy_bivariate_holdout, 'fidelity section not run');
  set('detection_auc', r.detection?.auc, 'detection section not run');
  set('mmd', r.mmd?.mmd2, 'mmd section not run');
  set('dcr_share', r.privacy?.dcr_share, 'privacy section not run');
  set('identical_match_share', r.privacy?.identical_match_share, 'privacy section not run');
  set('identical_match_share_holdout', r.privacy?.identical_match_share_holdout, 'privacy section not run');
  const needTarget = r.inputs.target
    ? (r.skipped.find((x) => x.metric === 'utility')?.reason ?? 'utility not run')
    : 'needs --target';
  set('tstr_auc', r.utility?.tstr.auc, needTarget);
  set('trtr_auc', r.utility?.trtr.auc, needTarget);
}
