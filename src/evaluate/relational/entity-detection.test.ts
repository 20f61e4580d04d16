import { describe, expect, it } from 'vitest';
import { type EvaluationReport, evaluate, SECTION_NAMES } from '../index.js';
import type { TableInput } from '../tables.js';
import { hospital, lcg, sets } from './testing/hospital.js';

const ONLY_RELATIONAL = Object.fromEntries(SECTION_NAMES.map((n) => [n, n === 'relational']));

type Hospital = ReturnType<typeof hospital>;

async function judge(real: Hospital, synthetic: Hospital, holdout?: Hospital): Promise<EvaluationReport> {
  const r = sets(real);
  return evaluate({
    real: r.get('patients') as TableInput,
    synthetic: sets(synthetic).get('patients') as TableInput,
    sections: ONLY_RELATIONAL,
    seed: 3,
    relational: {
      real: r,
      synthetic: sets(synthetic),
      holdout: holdout && sets(holdout),
      orders: [{ table: 'admissions', column: 'admittime' }],
    },
  });
}

/** Every admission handed to a random patient: each row is real, the histories are not. */
function reparented(h: Hospital, seed: number): Hospital {
  const u = lcg(seed);
  const out = structuredClone(h);
  for (const a of out.adms) a.subject_id = out.pats[Math.floor(u() * out.pats.length)].subject_id;
  return out;
}

describe('per-entity detection', () => {
  const real = hospital(300, 1);

  it('tells histories drawn from the wrong law apart, and not a second real sample', async () => {
    const wrong = await judge(real, reparented(hospital(300, 2), 5));
    const e = wrong.relational?.entities ?? [];
    expect(e.map((x) => `${x.kind}:${x.table}.${x.entity} [${x.tables.join(',')}]`)).toEqual([
      'tree:patients.subject_id [patients,admissions]',
    ]);
    expect(e[0].entities_real).toBe(300);
    expect(e[0].features).toBeGreaterThan(10);
    expect(wrong.summary.entity_detection_auc_max).toBeGreaterThan(0.8);
    // the classifier names history features (gaps, counts, first/last values), not the root's own
    expect(e[0].importances[0].feature).toMatch(/^admissions\./);

    const fair = await judge(real, hospital(300, 2));
    const auc = fair.summary.entity_detection_auc_max ?? 1;
    expect(auc).toBeGreaterThan(0.35);
    expect(auc).toBeLessThan(0.65);
    // the per-row figures cannot see the damage the entity AUC sees
    expect(wrong.summary.fk_integrity_min).toBe(1);
  });

  it('reports the holdout ceiling with --holdout', async () => {
    const rep = await judge(real, reparented(hospital(300, 2), 5), hospital(300, 3));
    const e = rep.relational?.entities[0];
    expect(e?.entities_holdout).toBe(300);
    expect(e?.auc_holdout?.value).toBeLessThan(0.65);
    expect(e?.auc.value).toBeGreaterThan((e?.auc_holdout?.value ?? 1) + 0.15);
  });

  it('draws a timeline of a few real and synthetic entities in days since their first event', async () => {
    const rep = await judge(real, hospital(300, 2));
    const t = rep.relational?.entities[0].timeline;
    expect(t?.unit).toBe('days');
    expect(t?.value_column).toBeNull();
    const real4 = new Set(t?.events.filter((x) => x.source === 'real').map((x) => x.entity));
    expect(real4.size).toBe(4);
    expect(Math.min(...(t?.events ?? []).map((x) => x.t))).toBe(0);
    expect(t?.events.every((x) => x.table === 'admissions')).toBe(true);
  });

  it('is deterministic for a seed', async () => {
    const syn = reparented(hospital(300, 2), 5);
    const a = await judge(real, syn);
    const b = await judge(real, syn);
    expect(a.relational?.entities).toEqual(b.relational?.entities);
  });
});
