import { describe, expect, it } from 'vitest';
import { type EvaluationReport, evaluate, SECTION_NAMES } from '../index.js';
import type { TableInput } from '../tables.js';
import { type Adm, hospital, lcg, sets } from './testing/hospital.js';

const ONLY_RELATIONAL = Object.fromEntries(SECTION_NAMES.map((n) => [n, n === 'relational']));

async function judge(
  real: ReturnType<typeof hospital>,
  synthetic: ReturnType<typeof hospital>,
): Promise<EvaluationReport> {
  const r = sets(real);
  return evaluate({
    real: r.get('patients') as TableInput,
    synthetic: sets(synthetic).get('patients') as TableInput,
    sections: ONLY_RELATIONAL,
    relational: {
      real: r,
      synthetic: sets(synthetic),
      orders: [{ table: 'admissions', column: 'admittime' }],
    },
  });
}

const copy = <T>(x: T): T => structuredClone(x);

describe('relational section', () => {
  const real = hospital();

  it('finds the key, the foreign key and the order relations, and scores a perfect copy 1.0 with no violation', async () => {
    const rep = await judge(real, copy(real));
    const rel = rep.relational;
    expect(rel?.foreign_keys.map((f) => `${f.child}.${f.column}->${f.parent}.${f.parent_column}`)).toEqual([
      'admissions.subject_id->patients.subject_id',
    ]);
    expect(rel?.keys.map((k) => `${k.table}.${k.column}`)).toContain('patients.subject_id');
    const rels = rel?.order_relations.map((o) => `${o.kind}:${o.left} ${o.op} ${o.right}`) ?? [];
    expect(rels).toContain('row:admittime < dischtime');
    expect(rels).toContain('parent:patients.dob < admittime');
    expect(rels).toContain('previous:prev.dischtime < admittime');
    const s = rep.summary;
    expect(s.key_uniqueness_min).toBe(1);
    expect(s.table_accuracy_univariate_min).toBeCloseTo(1, 10);
    expect(s.fk_integrity_min).toBe(1);
    expect(s.children_tvd_min).toBe(1);
    expect(s.order_violations_max).toBe(0);
    expect(s.sequence_length_tvd_min).toBe(1);
    expect(s.sequence_gap_tvd_min).toBe(1);
    expect(s.transition_tvd_min).toBe(1);
    expect(s.lag1_autocorrelation_diff_max).toBe(0);
  });

  it('detects a broken foreign key', async () => {
    const syn = copy(real);
    syn.adms[3].subject_id = '999999';
    const rep = await judge(real, syn);
    expect(rep.summary.fk_integrity_min).toBeCloseTo(1 - 1 / syn.adms.length, 10);
    expect(rep.relational?.foreign_keys[0].orphans).toBe(1);
  });

  it('detects a duplicated key', async () => {
    const syn = copy(real);
    syn.pats[1].subject_id = syn.pats[0].subject_id;
    const rep = await judge(real, syn);
    expect(rep.summary.key_uniqueness_min).toBeCloseTo(1 - 2 / syn.pats.length, 10);
  });

  it('detects a planted order violation (discharge before admission)', async () => {
    const syn = copy(real);
    const a = syn.adms[5];
    [a.admittime, a.dischtime] = [a.dischtime, a.admittime];
    const rep = await judge(real, syn);
    const broken = rep.relational?.order_relations.find(
      (o) => o.kind === 'row' && o.left === 'admittime' && o.right === 'dischtime',
    );
    expect(broken?.violations).toBe(1);
    expect(rep.summary.order_violations_max).toBeGreaterThanOrEqual(1);
  });

  it('detects a destroyed sequence order (states and values shuffled across rows)', async () => {
    const syn = copy(real);
    const u = lcg(9);
    for (let i = syn.adms.length - 1; i > 0; i--) {
      const j = Math.floor(u() * (i + 1));
      [syn.adms[i].admission_type, syn.adms[j].admission_type] = [
        syn.adms[j].admission_type,
        syn.adms[i].admission_type,
      ];
      [syn.adms[i].los, syn.adms[j].los] = [syn.adms[j].los, syn.adms[i].los];
    }
    const rep = await judge(real, syn);
    // marginals are unchanged, the dynamics are gone
    expect(rep.summary.transition_tvd_min).toBeLessThan(0.6);
    expect(rep.summary.lag1_autocorrelation_diff_max).toBeGreaterThan(0.4);
    expect(rep.summary.children_tvd_min).toBe(1);
    // each table alone is exactly as real: only the sequence figures see the damage
    expect(rep.summary.table_accuracy_univariate_min).toBeCloseTo(1, 10);
  });

  it('detects wrong children-per-parent counts (exactly one admission each)', async () => {
    const syn = copy(real);
    const firsts = new Map<string, Adm>();
    for (const a of syn.adms) if (!firsts.has(a.subject_id)) firsts.set(a.subject_id, a);
    const one: Adm[] = [];
    for (const p of syn.pats) {
      const a = firsts.get(p.subject_id) ?? firsts.values().next().value;
      if (a) one.push({ ...a, subject_id: p.subject_id, hadm_id: `${a.hadm_id}-${p.subject_id}` });
    }
    syn.adms = one;
    const rep = await judge(real, syn);
    expect(rep.summary.children_tvd_min).toBeLessThan(0.5);
    expect(rep.summary.fk_integrity_min).toBe(1);
  });

  it('gives a holdout ceiling when a holdout set is given', async () => {
    const r = sets(real);
    const rep = await evaluate({
      real: r.get('patients') as TableInput,
      synthetic: r.get('patients') as TableInput,
      sections: ONLY_RELATIONAL,
      relational: {
        real: r,
        synthetic: sets(copy(real)),
        holdout: sets(hospital(120, 2)),
        orders: [{ table: 'admissions', column: 'admittime' }],
      },
    });
    const fk = rep.relational?.foreign_keys[0];
    expect(fk?.integrity_holdout?.value).toBe(1);
    expect(fk?.children_per_parent_holdout?.value).toBeGreaterThan(0.7);
    expect(fk?.children_per_parent_holdout?.value).toBeLessThan(1);
    expect(rep.relational?.sequences[0].transitions[0].accuracy_holdout?.value).toBeGreaterThan(0.9);
  });

  it('leaves dynamic figures null below 20 real consecutive pairs, with the reason', async () => {
    const few = hospital(8, 3);
    const rep = await judge(few, copy(few));
    const seq = rep.relational?.sequences[0];
    expect(seq?.gap.value).toBeNull();
    expect(seq?.gap.reason).toMatch(/fewer than 20/);
    expect(seq?.transitions[0].accuracy.value).toBeNull();
    expect(rep.summary.fk_integrity_min).toBe(1);
  });

  it('stays out of a single-table report', async () => {
    const r = sets(real);
    const rep = await evaluate({
      real: r.get('patients') as TableInput,
      synthetic: r.get('patients') as TableInput,
      sections: ONLY_RELATIONAL,
    });
    expect(rep.relational).toBeNull();
    expect(rep.skipped.some((s) => s.metric === 'relational')).toBe(false);
  });
});
