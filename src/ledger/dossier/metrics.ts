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

const fig = (m: Metric | undefined | null): Figure => ({
  value: m?.value ?? null,
  ...(m?.ci ? { ci: m.ci } : {}),
});

/** Figures from the report (with intervals), or from the ledger entry's summary when there is no report. */
export function resultRows(
  report: EvaluationReport | undefined,
  evaluate: LedgerEntry | undefined,
): ResultRow[] {
  const res = (evaluate?.result ?? {}) as {
    summary?: Record<string, number | null>;
    ci?: Record<string, [number, number]>;
    membership_inference_auc?: number | null;
  };
  const fromEntry = (key: string): Figure => ({
    value: res.summary?.[key] ?? null,
    ...(res.ci?.[key] ? { ci: res.ci[key] } : {}),
  });
  const r = report;
  const pick = (m: Metric | undefined | null, key: string): Figure => (r ? fig(m) : fromEntry(key));
  const rows: ResultRow[] = [
    {
      area: 'Fidelity',
      key: 'accuracy_univariate',
      question:
        'Does each column have the real distribution? (1 − total variation over 10 bins, mean over columns)',
      synthetic: pick(r?.fidelity?.accuracy_univariate, 'accuracy_univariate'),
      reference: pick(r?.fidelity?.accuracy_univariate_holdout, 'accuracy_univariate_holdout'),
      referenceLabel: 'holdout ceiling',
      better: 'higher',
    },
    {
      area: 'Fidelity',
      key: 'accuracy_bivariate',
      question: 'Do pairs of columns vary together as in the real data? (same, over all column pairs)',
      synthetic: pick(r?.fidelity?.accuracy_bivariate, 'accuracy_bivariate'),
      reference: pick(r?.fidelity?.accuracy_bivariate_holdout, 'accuracy_bivariate_holdout'),
      referenceLabel: 'holdout ceiling',
      better: 'higher',
    },
    {
      area: 'Fidelity',
      key: 'detection_auc',
      question: 'Can a classifier tell synthetic rows from real ones? (cross-validated AUC)',
      synthetic: pick(r?.detection?.auc, 'detection_auc'),
      reference: { value: 0.5 },
      referenceLabel: 'indistinguishable',
      better: 'near',
    },
    {
      area: 'Fidelity',
      key: 'mmd_p_value',
      question:
        'Do the joint distributions differ? (kernel two-sample test, MMD permutation p-value: below 0.01 they differ)',
      synthetic: r ? { value: r.mmd?.p_value ?? null } : fromEntry('mmd_p_value'),
      reference: { value: 0.01 },
      referenceLabel: 'significance level',
      better: 'higher',
    },
    {
      area: 'Privacy',
      key: 'dcr_share',
      question:
        'Are synthetic rows closer to the training rows than to unseen real rows? (share closer to training)',
      synthetic: pick(r?.privacy?.dcr_share, 'dcr_share'),
      reference: { value: 0.5 },
      referenceLabel: 'no closer than fresh data',
      better: 'near',
    },
    {
      area: 'Privacy',
      key: 'identical_match_share',
      question: 'How many synthetic rows are exact copies of a training row?',
      synthetic: pick(r?.privacy?.identical_match_share, 'identical_match_share'),
      reference: pick(r?.privacy?.identical_match_share_holdout, 'identical_match_share_holdout'),
      referenceLabel: 'holdout rows that equal a training row (chance)',
      better: 'lower',
    },
    {
      area: 'Privacy',
      key: 'membership_inference_auc',
      question: 'Can an attacker holding the synthetic data tell who was in the training data? (AUC)',
      synthetic: r
        ? fig(r.privacy?.membership_inference_auc)
        : { value: res.membership_inference_auc ?? null },
      reference: { value: 0.5 },
      referenceLabel: 'no better than a coin',
      better: 'near',
    },
    {
      area: 'Utility',
      key: 'tstr_auc',
      question: 'A model trained on synthetic data, tested on real holdout data (AUC)',
      synthetic: pick(r?.utility?.tstr.auc, 'tstr_auc'),
      reference: pick(r?.utility?.trtr.auc, 'trtr_auc'),
      referenceLabel: 'trained on real data (ceiling)',
      better: 'higher',
    },
    {
      area: 'Rules',
      key: 'rule_violation_rate',
      question: 'Share of synthetic rows breaking a declared business rule',
      synthetic: r ? { value: r.summary.rule_violation_rate } : fromEntry('rule_violation_rate'),
      reference: { value: 0 },
      referenceLabel: 'none',
      better: 'lower',
    },
  ];
  const g = gateOf(evaluate);
  for (const row of rows) {
    const bound = g?.gates?.[row.key];
    if (bound) row.gate = { ...bound, passed: !g?.failures.some((f) => f.key === row.key) };
  }
  return rows;
}
