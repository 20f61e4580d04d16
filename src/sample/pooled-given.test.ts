import { describe, expect, it } from 'vitest';
import { AUTH, testApp } from '../serve/testing/app.js';
import { parseSpecText } from '../spec/index.js';
import { createSampler } from './sampler.js';

// A fitted-style model: rare drugs pooled into "(other)" (written as fresh values), a dose per state.
const POOLED = `strata: 1
name: pooled
seed: 1
tables:
  orders:
    rows: 100
    columns:
      drug:
        type: category
        values: {ASPIRIN: 0.5, HEPARIN: 0.3, (other): 0.2}
        other: {}
      route:
        type: category
        values: {PO: 0.5, IV: 0.5}
      dose:
        type: integer
        given: [drug]
        conditional:
          parents: [{column: drug}]
          rows:
            - {when: [ASPIRIN], dist: {uniform: {min: 10, max: 20}}}
            - {when: [HEPARIN], dist: {uniform: {min: 30, max: 40}}}
            - {when: [(other)], dist: {uniform: {min: 100, max: 110}}}
`;

describe('a given value of a pooled category', () => {
  it('is conditioned on as the pooled state and returned as given', () => {
    const s = createSampler(parseSpecText(POOLED, 'pooled.yaml').spec);
    const row = s.complete({ drug: 'WARFARIN' }, { seed: 3 });
    expect(row.drug).toBe('WARFARIN');
    expect(row.dose).toBeGreaterThanOrEqual(100);
    for (const r of s.many(50, { given: { drug: 'NEVER SEEN' }, seed: 4 })) {
      expect(r.drug).toBe('NEVER SEEN');
      expect(r.dose).toBeGreaterThanOrEqual(100);
    }
    expect(s.complete({ drug: 'ASPIRIN' }, { seed: 3 }).dose).toBeLessThanOrEqual(20);
    // a category without a pooled state still refuses a value it does not list
    expect(() => s.complete({ route: 'IM' })).toThrow(/route = "IM" is not one of its values/);
  });

  it('is completed by POST /complete of strata serve', async () => {
    const t = await testApp({}, { models: [POOLED] });
    try {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/models/pooled/complete',
        payload: { rows: [{ drug: 'WARFARIN' }], seed: 1 },
        headers: AUTH,
      });
      expect(r.statusCode).toBe(200);
      const body = r.body;
      expect(body).toContain('WARFARIN');
    } finally {
      await t.app.close();
    }
  });
});
