import { describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../evaluate/registry.js';
import type { LedgerEntry } from '../entry.js';
import { resultRows } from './metrics.js';

const m = (value: number, ci?: [number, number]) => ({ value, ...(ci ? { ci } : {}) });

describe('the dossier results table', () => {
  it('reads each figure and its reference from the report, with intervals', () => {
    const report = {
      summary: { rule_violation_rate: 0.002 },
      fidelity: {
        accuracy_univariate: m(0.95, [0.94, 0.96]),
        accuracy_univariate_holdout: m(0.98),
        accuracy_bivariate: m(0.9),
        accuracy_bivariate_holdout: m(0.93),
      },
      detection: { auc: m(0.61) },
      mmd: { p_value: 0.2 },
      privacy: {
        dcr_share: m(0.51),
        identical_match_share: m(0),
        identical_match_share_holdout: m(0.001),
        membership_inference_auc: m(0.52),
      },
      utility: { tstr: { auc: m(0.8) }, trtr: { auc: m(0.84) } },
    } as unknown as EvaluationReport;
    const rows = resultRows(report, undefined);
    expect(rows.map((r) => [r.area, r.key, r.synthetic.value, r.reference?.value, r.better])).toEqual([
      ['Fidelity', 'accuracy_univariate', 0.95, 0.98, 'higher'],
      ['Fidelity', 'accuracy_bivariate', 0.9, 0.93, 'higher'],
      ['Fidelity', 'detection_auc', 0.61, 0.5, 'near'],
      ['Fidelity', 'mmd_p_value', 0.2, 0.01, 'higher'],
      ['Privacy', 'dcr_share', 0.51, 0.5, 'near'],
      ['Privacy', 'identical_match_share', 0, 0.001, 'lower'],
      ['Privacy', 'membership_inference_auc', 0.52, 0.5, 'near'],
      ['Utility', 'tstr_auc', 0.8, 0.84, 'higher'],
      ['Rules', 'rule_violation_rate', 0.002, 0, 'lower'],
    ]);
    expect(rows[0].synthetic.ci).toEqual([0.94, 0.96]);
    expect(rows[0].referenceLabel).toBe('holdout ceiling');
  });

  it('without a report, reads the ledger entry: its summary (and intervals), membership beside it, gates', () => {
    const entry = {
      result: {
        summary: {
          accuracy_univariate: 0.9,
          accuracy_univariate_holdout: 0.97,
          trtr_auc: 0.8,
          mmd_p_value: 0.3,
        },
        ci: { accuracy_univariate: [0.88, 0.92] },
        membership_inference_auc: 0.55,
        gate: {
          file: 'g.yaml',
          passed: false,
          gates: { accuracy_univariate: { min: 0.95 } },
          failures: [{ key: 'accuracy_univariate' }],
        },
      },
    } as unknown as LedgerEntry;
    const rows = resultRows(undefined, entry);
    const row = (k: string) => rows.find((r) => r.key === k)!;
    expect(row('accuracy_univariate')).toMatchObject({
      synthetic: { value: 0.9, ci: [0.88, 0.92] },
      reference: { value: 0.97 },
      gate: { min: 0.95, passed: false },
    });
    expect(row('membership_inference_auc').synthetic).toEqual({ value: 0.55 });
    expect(row('mmd_p_value').synthetic).toEqual({ value: 0.3 });
    expect(row('tstr_auc')).toMatchObject({ synthetic: { value: null }, reference: { value: 0.8 } });
    expect(row('detection_auc').gate).toBeUndefined();
  });
});
