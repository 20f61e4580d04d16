/** Library calls chain: generateRows output goes straight into evaluate (issue 13.12; was `s.trim is not a function`). */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate/index.js';
import { parseSpecText } from '../spec/index.js';
import { generateRows } from './generate.js';

const SPEC = `
strata: 1
tables:
  people:
    rows: 400
    columns:
      id: { type: id }
      age: { type: integer, dist: { normal: { mean: 40, sd: 12 } }, min: 18, max: 90 }
      income: { type: number, dist: { lognormal: { meanlog: 10, sdlog: 0.5 } }, missing: 0.05 }
      member: { type: boolean, p: 0.3 }
      joined: { type: date, dist: { uniform: { min: '2020-01-01', max: '2024-12-31' } } }
      segment: { type: category, values: { basic: 0.5, plus: 0.3, pro: 0.2 } }
    rules:
      - { name: adult, check: 'age >= 18' }
`;

describe('generateRows → evaluate', () => {
  it('judges typed rows (numbers, booleans, dates, null) without a detour through files', async () => {
    const { spec } = parseSpecText(SPEC, 'people.yaml');
    const real = await generateRows({ spec, seed: 1, workers: 1 });
    const synthetic = await generateRows({ spec, seed: 2, workers: 1 });
    expect(real.data[real.columns.indexOf('member')].some((v) => typeof v === 'boolean')).toBe(true);
    expect(real.data[real.columns.indexOf('age')].some((v) => typeof v === 'number')).toBe(true);
    const r = await evaluate({
      real,
      synthetic,
      spec,
      bootstrapReps: 5,
      sections: { detection: false, mmd: false, privacy: false, utility: false, knn_coverage: false },
    });
    expect(r.inputs.real_rows).toBe(400);
    expect(r.inputs.spec_table).toBe('people');
    expect(r.inputs.columns.find((c) => c.name === 'id')?.role).toBe('id');
    expect(r.summary.accuracy_univariate).toBeGreaterThan(0.85);
    expect(r.summary.rule_violation_rate).toBe(0);
  });
});
