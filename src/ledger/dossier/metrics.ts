/**
 * The dossier's results table, one row per figure: what it asks in plain words, the synthetic
 * value with its 95% interval, the reference it is judged against (the holdout ceiling: what fresh
 * real data scores; or the ideal value), and the gate verdict when a gate file set one.
 */
import type { EvaluationReport } from '../../evaluate/registry.js';
import type { Metric } from '../../evaluate/types.js';
import type { LedgerEntry } from '../entry.js';

export interface Figure {
  value: number | null;
  ci?: [number, number];
}

export interface ResultRow {
  area: 'Fidelity' | 'Privacy' | 'Utility' | 'Rules' | 'Bias' | 'Coverage';
  key: string;
  question: string;
  synthetic: Figure;
  reference: Figure | null;
  referenceLabel: string;
  /** Which direction is better, for the reader: 'higher', 'lower', or 'near' the reference. */
  better: 'higher' | 'lower' | 'near';
  gate?: { min?: number; max?: number; passed: boolean };
}

interface GateRecord {
  file: string;
  passed: boolean;
  gates: Record<string, { min?: number; max?: number }> | null;
  failures: { key: string }[];
}

export function gateOf(e: LedgerEntry | undefined): GateRecord | undefined {
  const g = (e?.result as Record<string, unknown> | undefined)?.gate as GateRecord | null | undefined;
  return g ?? undefined;
}

/** A figure as the report holds it: a metric with its interval, or a bare number. */
type FromReport = (r: EvaluationReport) => Metric | number | null | undefined;

const fig = (m: Metric | number | null | undefined): Figure =>
  typeof m === 'number' || m === null || m === undefined
    ? { value: m ?? null }
    : { value: m.value ?? null, ...(m.ci ? { ci: m.ci } : {}) };

/**
 * One row of the table. Its figures come from the report, or — without one — from the ledger
 * entry's summary under the row's key (the reference's under `reference.key`).
 */
interface RowDef {
  key: string;
  question: string;
  synthetic: FromReport;
  /** A fixed value (the ideal), or a figure measured like the synthetic one. */
  reference: number | { key: string; of: FromReport };
  referenceLabel: string;
  better: ResultRow['better'];
  /** The entry keeps this figure beside its summary, not in it. */
  outsideSummary?: true;
}

/** The keys of a section that have a `KEY_holdout` beside them. */
type HoldoutKey<T> = {
  [K in keyof T]: K extends string ? (`${K}_holdout` extends keyof T ? K : never) : never;
}[keyof T];

/**
 * A figure judged against what fresh real data scores: the report's `KEY` and `KEY_holdout` in
 * one section, the entry's summary keys likewise.
 */
function againstHoldout<S extends 'fidelity' | 'privacy'>(
  section: S,
  key: HoldoutKey<NonNullable<EvaluationReport[S]>>,
  row: Pick<RowDef, 'question' | 'referenceLabel' | 'better'>,
): RowDef {
  type Figures = Readonly<Record<string, Metric | null | undefined>>;
  const read = (r: EvaluationReport, k: string) => (r[section] as Figures | null | undefined)?.[k];
  const holdout = `${key}_holdout`;
  return {
    key,
    ...row,
    synthetic: (r) => read(r, key),
    reference: { key: holdout, of: (r) => read(r, holdout) },
  };
}

const ROWS: readonly (readonly [ResultRow['area'], readonly RowDef[]])[] = [
  [
    'Fidelity',
    [
      againstHoldout('fidelity', 'accuracy_univariate', {
        question:
          'Does each column have the real distribution? (1 − total variation over 10 bins, mean over columns)',
        referenceLabel: 'holdout ceiling',
        better: 'higher',
      }),
      againstHoldout('fidelity', 'accuracy_bivariate', {
        question: 'Do pairs of columns vary together as in the real data? (same, over all column pairs)',
        referenceLabel: 'holdout ceiling',
        better: 'higher',
      }),
      {
        key: 'detection_auc',
        question: 'Can a classifier tell synthetic rows from real ones? (cross-validated AUC)',
        synthetic: (r) => r.detection?.auc,
        reference: 0.5,
        referenceLabel: 'indistinguishable',
        better: 'near',
      },
      {
        key: 'mmd_p_value',
        question:
          'Do the joint distributions differ? (kernel two-sample test, MMD permutation p-value: below 0.01 they differ)',
        synthetic: (r) => r.mmd?.p_value ?? null,
        reference: 0.01,
        referenceLabel: 'significance level',
        better: 'higher',
      },
    ],
  ],
  [
    'Privacy',
    [
      {
        key: 'dcr_share',
        question:
          'Are synthetic rows closer to the training rows than to unseen real rows? (share closer to training)',
        synthetic: (r) => r.privacy?.dcr_share,
        reference: 0.5,
        referenceLabel: 'no closer than fresh data',
        better: 'near',
      },
      againstHoldout('privacy', 'identical_match_share', {
        question: 'How many synthetic rows are exact copies of a training row?',
        referenceLabel: 'holdout rows that equal a training row (chance)',
        better: 'lower',
      }),
      {
        key: 'membership_inference_auc',
        question: 'Can an attacker holding the synthetic data tell who was in the training data? (AUC)',
        synthetic: (r) => r.privacy?.membership_inference_auc,
        reference: 0.5,
        referenceLabel: 'no better than a coin',
        better: 'near',
        outsideSummary: true,
      },
    ],
  ],
  [
    'Utility',
    [
      {
        key: 'tstr_auc',
        question: 'A model trained on synthetic data, tested on real holdout data (AUC)',
        synthetic: (r) => r.utility?.tstr.auc,
        reference: { key: 'trtr_auc', of: (r) => r.utility?.trtr.auc },
        referenceLabel: 'trained on real data (ceiling)',
        better: 'higher',
      },
    ],
  ],
  [
    'Rules',
    [
      {
        key: 'rule_violation_rate',
        question: 'Share of synthetic rows breaking a declared business rule',
        synthetic: (r) => r.summary.rule_violation_rate,
        reference: 0,
        referenceLabel: 'none',
        better: 'lower',
      },
    ],
  ],
];

/** Figures from the report (with intervals), or from the ledger entry's summary when there is no report. */
export function resultRows(
  report: EvaluationReport | undefined,
  evaluate: LedgerEntry | undefined,
): ResultRow[] {
  const res = (evaluate?.result ?? {}) as {
    summary?: Record<string, number | null>;
    ci?: Record<string, [number, number]>;
  } & Record<string, unknown>;
  const fromEntry = (key: string, outsideSummary = false): Figure =>
    outsideSummary
      ? { value: (res[key] as number | null | undefined) ?? null }
      : { value: res.summary?.[key] ?? null, ...(res.ci?.[key] ? { ci: res.ci[key] } : {}) };
  const figure = (key: string, of: FromReport, outsideSummary?: boolean) =>
    report ? fig(of(report)) : fromEntry(key, outsideSummary);
  const rows: ResultRow[] = ROWS.flatMap(([area, defs]) =>
    defs.map((d) => ({
      area,
      key: d.key,
      question: d.question,
      synthetic: figure(d.key, d.synthetic, d.outsideSummary),
      reference:
        typeof d.reference === 'number' ? { value: d.reference } : figure(d.reference.key, d.reference.of),
      referenceLabel: d.referenceLabel,
      better: d.better,
    })),
  );
  const g = gateOf(evaluate);
  for (const row of rows) {
    const bound = g?.gates?.[row.key];
    if (bound) row.gate = { ...bound, passed: !g?.failures.some((f) => f.key === row.key) };
  }
  return rows;
}
