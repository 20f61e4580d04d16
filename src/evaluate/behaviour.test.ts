/** The evaluator flags what it must flag: copies, shuffled columns; and stays calm on honest draws. */
import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import type { RawTable } from '../io/index.js';
import type { Spec } from '../spec/index.js';
import { mixedTable, shuffleColumns } from './fixtures.js';
import { checkGates, evaluate, parseGates, SUMMARY_KEYS } from './index.js';

const real = mixedTable(1, 1200, 'real');
const holdout = mixedTable(3, 1200, 'holdout');
const fast = { mmd: false, knnCoverage: false } as const;

describe('evaluate flags bad synthetic data', () => {
  it('a copy of the training data: identical-match ≈ 1, DCR share ≈ 1, gate fails', async () => {
    const copy: RawTable = { ...real, name: 'copy', data: real.data.map((c) => c.slice()) };
    const r = await evaluate({
      real,
      synthetic: copy,
      holdout,
      bootstrapReps: 20,
      sections: { ...fast, utility: false, detection: false },
    });
    expect(r.summary.identical_match_share).toBeGreaterThan(0.99);
    expect(r.summary.identical_match_share_holdout).toBeLessThan(0.01);
    expect(r.summary.dcr_share).toBeGreaterThan(0.95);
    expect(r.privacy?.membership_inference_auc.value).toBeGreaterThan(0.9);
    const failures = checkGates(
      r,
      parseGates('dcr_share: { max: 0.6 }\nidentical_match_share: { max: 0.05 }\n', 'gate.yaml'),
    );
    expect(failures.map((f) => f.key).sort()).toEqual(['dcr_share', 'identical_match_share']);
  });

  it('column-wise shuffled training data: bivariate accuracy drops, detection AUC ≈ 1', async () => {
    const honest = await evaluate({
      real,
      synthetic: mixedTable(2, 1200, 'syn'),
      bootstrapReps: 10,
      sections: { ...fast, privacy: false, utility: false },
    });
    const shuffled = await evaluate({
      real,
      synthetic: shuffleColumns(real, 7),
      bootstrapReps: 10,
      sections: { ...fast, privacy: false, utility: false },
    });
    const hb = honest.summary.accuracy_bivariate as number;
    const sb = shuffled.summary.accuracy_bivariate as number;
    expect(hb - sb).toBeGreaterThan(0.02);
    // the drop is outside the bootstrap noise, and strongest where real dependencies were
    expect((shuffled.fidelity!.accuracy_bivariate.ci as number[])[1]).toBeLessThan(
      (honest.fidelity!.accuracy_bivariate.ci as number[])[0],
    );
    const pairAcc = (r: typeof honest) =>
      r.fidelity?.pairs.find((p) => p.a === 'age' && p.b === 'tenure')?.accuracy.value as number;
    expect(pairAcc(honest) - pairAcc(shuffled)).toBeGreaterThan(0.2);
    // marginals are untouched, so univariate accuracy stays perfect
    expect(shuffled.summary.accuracy_univariate).toBeCloseTo(1, 9);
    expect(shuffled.summary.detection_auc).toBeGreaterThan(0.9);
    expect(shuffled.detection?.importances.length).toBeGreaterThan(0);
  });

  it('independent draws from the same generator: detection ≈ 0.5, DCR share ≈ 0.5, MMD not significant', async () => {
    const r = await evaluate({
      real,
      synthetic: mixedTable(2, 1200, 'syn'),
      holdout,
      target: 'label',
      sensitive: ['gender'],
      bootstrapReps: 30,
      sections: { knnCoverage: false },
    });
    expect(Math.abs((r.summary.detection_auc as number) - 0.5)).toBeLessThan(0.08);
    expect(Math.abs((r.summary.dcr_share as number) - 0.5)).toBeLessThan(0.08);
    expect(r.mmd?.p_value).toBeGreaterThan(0.01);
    expect(Math.abs((r.summary.tstr_auc as number) - (r.summary.trtr_auc as number))).toBeLessThan(0.08);
    expect(r.bias[0].amplified).toBe(false);
    const ci = r.detection?.auc.ci as [number, number];
    expect(ci[0]).toBeLessThan(ci[1]);
  });
});

describe('honest numbers', () => {
  it('metrics that cannot be computed carry reasons (constant column, no target, 3 rows)', async () => {
    const tiny = mixedTable(4, 3, 'tiny');
    const constCol: RawTable = { ...tiny, data: tiny.data.map((c, i) => (i === 0 ? c.map(() => '5') : c)) };
    const r = await evaluate({ real: constCol, synthetic: mixedTable(5, 3, 'tiny2'), bootstrapReps: 5 });
    expect(r.summary.tstr_auc).toBeNull();
    expect(r.skipped.find((s) => s.metric === 'tstr_auc')?.reason).toMatch(/--target/);
    expect(r.detection?.auc.value).toBeNull();
    expect(r.detection?.auc.reason).toMatch(/at least/);
    expect(r.skipped.find((s) => s.metric === 'detection_auc')?.reason).toMatch(/at least/);
    expect(r.mmd?.mmd2.reason).toMatch(/at least/);
    expect(r.skipped.find((s) => s.metric === 'dcr_share')?.reason).toMatch(/holdout/);
    // numeric "age" is constant in real: the pair correlations with it are undefined, with a reason
    const bigConst = mixedTable(6, 300, 'c');
    bigConst.data[2] = bigConst.data[2].map(() => '7.5');
    const r2 = await evaluate({
      real: bigConst,
      synthetic: mixedTable(7, 300, 'd'),
      bootstrapReps: 5,
      sections: { detection: false, mmd: false, privacy: false, knnCoverage: false },
    });
    const pair = r2.fidelity?.pairs.find((p) => p.a === 'age' && p.b === 'score');
    expect(pair?.similarity.value ?? null).toBeNull();
    expect(pair?.similarity.reason).toMatch(/constant/);
    const u = await evaluate({
      real: mixedTable(8, 300, 'e'),
      synthetic: mixedTable(9, 300, 'f'),
      target: 'income',
      bootstrapReps: 5,
      sections: { detection: false, mmd: false, privacy: false, knnCoverage: false },
    });
    expect(u.skipped.find((s) => s.metric === 'tstr_auc')?.reason).toMatch(/numeric/);
  });

  it('summary keys are exactly the stable list', async () => {
    const r = await evaluate({
      real: mixedTable(1, 200),
      synthetic: mixedTable(2, 200),
      bootstrapReps: 5,
      sections: { detection: false, mmd: false, privacy: false, knnCoverage: false },
    });
    expect(Object.keys(r.summary)).toEqual([...SUMMARY_KEYS]);
    expect(SUMMARY_KEYS).toEqual([
      'accuracy_univariate',
      'accuracy_bivariate',
      'accuracy_univariate_holdout',
      'accuracy_bivariate_holdout',
      'detection_auc',
      'mmd',
      'mmd_p_value',
      'dcr_share',
      'identical_match_share',
      'identical_match_share_holdout',
      'tstr_auc',
      'trtr_auc',
      'rule_violation_rate',
      'table_accuracy_univariate_min',
      'key_uniqueness_min',
      'fk_integrity_min',
      'children_tvd_min',
      'order_violations_max',
      'order_violation_rate_max',
      'sequence_length_tvd_min',
      'sequence_gap_tvd_min',
      'transition_tvd_min',
      'step_change_tvd_min',
      'lag1_autocorrelation_diff_max',
      'entity_detection_auc_max',
    ]);
    for (const k of SUMMARY_KEYS)
      if (r.summary[k] === null) expect(r.skipped.some((s) => s.metric === k)).toBe(true);
    expect(r.schema_version).toBe(1);
  });

  it('unknown target names the column with did-you-mean', async () => {
    await expect(
      evaluate({ real: mixedTable(1, 50), synthetic: mixedTable(2, 50), target: 'lable' }),
    ).rejects.toThrow(/did you mean "label"/);
  });
});

describe('gates', () => {
  it('unknown key → StrataError with did-you-mean; min and max both checked; null fails with reason', async () => {
    expect(() => parseGates('detection_acu: { max: 0.7 }', 'g.yaml')).toThrow(/did you mean "detection_auc"/);
    try {
      parseGates('detection_auc: { maximum: 0.7 }', 'g.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StrataError);
      expect((e as StrataError).format()).toMatch(/g\.yaml detection_auc\.maximum/);
    }
    const r = await evaluate({
      real: mixedTable(1, 200),
      synthetic: mixedTable(2, 200),
      bootstrapReps: 5,
      sections: { detection: false, mmd: false, privacy: false, knnCoverage: false },
    });
    const gates = parseGates(
      'accuracy_univariate: { min: 0.999 }\naccuracy_bivariate: { min: 0.1, max: 0.2 }\ntstr_auc: { min: 0.5 }\n',
      'g.yaml',
    );
    const fails = checkGates(r, gates);
    expect(fails.map((f) => f.key)).toEqual(['accuracy_univariate', 'accuracy_bivariate', 'tstr_auc']);
    expect(fails[2].message).toMatch(/--target/);
    expect(checkGates(r, parseGates('accuracy_univariate: { min: 0.5 }', 'g.yaml'))).toEqual([]);
  });
});

describe('rules and coverage from a spec', () => {
  it('counts violations per rule with examples, null as not evaluable, and per-cell delivery', async () => {
    const syn: RawTable = {
      name: 'people',
      source: 'people.csv',
      columns: ['age', 'segment', 'income', '_weight'],
      rowCount: 6,
      data: [
        ['20', '30', '70', '40', null, '15'],
        ['retail', 'premium', 'retail', 'business', 'retail', 'retail'],
        ['100', '50', '300', '20', '10', '5'],
        ['1', '1', '2', '2', '1', '1'],
      ],
    };
    const spec = {
      strata: 1,
      tables: {
        people: {
          columns: {
            age: { type: 'integer', dist: { uniform: { min: 18, max: 90 } } },
            segment: { type: 'category', values: { retail: 0.7, premium: 0.2, business: 0.1 } },
            income: { type: 'number', dist: { normal: { mean: 100, sd: 10 } } },
          },
          rules: [
            { name: 'adult', check: 'age >= 18' },
            { name: 'rich_enough', check: 'income >= age' },
          ],
        },
      },
      coverage: {
        people: {
          axes: ['segment', { name: 'band', column: 'age', bins: [18, 40, 120], labels: ['young', 'older'] }],
          min_per_cell: 1,
          forbid: ["segment == 'business' and band == 'young'"],
        },
      },
    } as unknown as Spec;
    const r = await evaluate({
      real: syn,
      synthetic: syn,
      spec,
      bootstrapReps: 10,
      sections: { fidelity: false, detection: false, mmd: false, privacy: false, knnCoverage: false },
    });
    const adult = r.rules?.find((x) => x.name === 'adult');
    expect(adult?.violations).toBe(1);
    expect(adult?.not_evaluable).toBe(1);
    expect(adult?.examples[0]).toEqual({ row: 6, values: { age: '15' } });
    const rich = r.rules?.find((x) => x.name === 'rich_enough');
    expect(rich?.violations).toBe(2); // rows 4 (20 < 40) and 6 (5 < 15); row 5 has no age
    expect(r.summary.rule_violation_rate).toBeCloseTo(2 / 6, 9); // row 6 violates both rules
    const cov = r.coverage!;
    expect(cov.axes).toEqual(['segment', 'band']);
    expect(cov.cells).toHaveLength(6);
    const cell = (s: string, b: string) =>
      cov.cells.find((c) => c.labels.segment === s && c.labels.band === b)!;
    expect(cell('retail', 'young').delivered).toBe(1);
    expect(cell('retail', 'older').delivered).toBe(1);
    expect(cell('business', 'young').forbidden).toBe(true);
    expect(cell('business', 'older').delivered).toBe(1);
    expect(cell('premium', 'older').met).toBe(false);
    expect(cov.rows_outside_cells).toBe(2); // missing age and age 15 below the first bin
    expect(cov.effective_sample_size).toBeCloseTo(64 / 12, 9);
  });
});
