import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { parseSpecText } from '../spec/index.js';
import { applyScenario } from './scenario.js';

const SPEC = `
strata: 1
tables:
  t:
    columns:
      x: { type: number, dist: { normal: { sd: 2, mean: 10 } } }
      y: { type: number, dist: { weibull: { shape: 1.5, scale: "x * 3" } } }
scenarios:
  - { name: up, shift: { x: { param: mean, add: 5 }, y: { param: scale, scale: 2 } } }
  - { name: typo, shift: { x: { param: mu, add: 5 } } }
`;

describe('scenario shifts read the law’s parameters by name', () => {
  it('shifts the named parameter (numbers and expressions) and nothing else', () => {
    const { spec } = parseSpecText(SPEC, 's.yaml');
    const applied = applyScenario(spec, 't', 'up').spec.tables.t.columns;
    expect(applied.x.dist).toEqual({ normal: { sd: 2, mean: 15 } });
    expect(applied.y.dist).toEqual({ weibull: { shape: 1.5, scale: '(x * 3) * 2 + 0' } });
  });

  it('a parameter under another tool’s name is pointed to ours', () => {
    const { spec } = parseSpecText(SPEC, 's.yaml');
    let err: unknown;
    try {
      applyScenario(spec, 't', 'typo');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).format()).toBe(
      'scenarios[1].shift.x.param: scenario "typo": column "x" has no dist parameter "mu" — did you mean "mean"? name a parameter of its dist: mean, sd',
    );
  });
});
