import { describe, expect, it } from 'vitest';
import { parseSpecText } from '../../spec/index.js';
import { evaluate, SECTION_NAMES } from '../index.js';
import type { TableInput } from '../tables.js';
import { hospital, sets } from './testing/hospital.js';

const ONLY_RELATIONAL = Object.fromEntries(SECTION_NAMES.map((n) => [n, n === 'relational']));

/** The hospital fixture as a relational spec whose rules read the parent, the previous row and children. */
const SPEC = parseSpecText(
  `strata: 1
tables:
  patients:
    key: subject_id
    columns:
      subject_id: { type: id, start: 100 }
      dob: { type: date, dist: { uniform: { min: "1950-01-01", max: "1980-01-01" } } }
    rules:
      - { name: few_admissions, check: "count(admissions) <= 4" }
  admissions:
    parent: patients
    key: hadm_id
    count: { values: { 0: 0.2, 1: 0.2, 2: 0.2, 3: 0.2, 4: 0.2 } }
    sequence: { order: admittime }
    columns:
      hadm_id: { type: id, start: 1000 }
      subject_id: { type: ref }
      admittime: { type: datetime, dist: { uniform: { min: "parent.dob", max: "2030-01-01" } } }
      dischtime: { type: datetime, dist: { uniform: { min: "admittime", max: "2031-01-01" } } }
      admission_type: { type: category, values: { EMERGENCY: 0.4, ELECTIVE: 0.3, URGENT: 0.3 } }
      los: { type: number, dist: { uniform: { min: 1, max: 30 } } }
    rules:
      - { name: after_birth, check: "admittime > parent.dob" }
      - { name: after_previous_discharge, check: "admittime > prev.dischtime" }
      - { name: discharged_after, check: "dischtime > admittime" }
      - { name: first_is_first, check: "index > 0 or prev.dischtime == null" }
`,
  'hospital.yaml',
).spec;

async function judge(real: ReturnType<typeof hospital>, syn: ReturnType<typeof hospital>) {
  const r = sets(real);
  const s = sets(syn);
  return evaluate({
    real: r.get('patients') as TableInput,
    synthetic: s.get('patients') as TableInput,
    spec: SPEC,
    sections: ONLY_RELATIONAL,
    relational: { real: r, synthetic: s },
  });
}

const byName = (rep: Awaited<ReturnType<typeof judge>>, name: string) =>
  rep.relational?.rules.find((x) => x.name === name);

describe("a relational spec's rules across tables and time", () => {
  const real = hospital();

  it('holds on a copy: every rule checked where its values are present, none violated', async () => {
    const rep = await judge(real, structuredClone(real));
    expect(rep.relational?.rules.map((x) => `${x.table}.${x.name}:${x.across}`)).toEqual([
      'patients.few_admissions:true',
      'admissions.after_birth:true',
      'admissions.after_previous_discharge:true',
      'admissions.discharged_after:false',
      'admissions.first_is_first:true',
    ]);
    for (const x of rep.relational?.rules ?? []) {
      expect(x.error).toBeUndefined();
      expect(x.violations).toBe(0);
      expect(x.violations_real).toBe(0);
    }
    const firsts = new Set(real.adms.map((a) => a.subject_id)).size;
    const prev = byName(rep, 'after_previous_discharge');
    expect(prev?.not_evaluable).toBe(firsts); // prev.x is null on each patient's first admission
    expect(prev?.checked).toBe(real.adms.length - firsts);
    expect(byName(rep, 'after_birth')?.checked).toBe(real.adms.length);
    expect(byName(rep, 'few_admissions')?.checked).toBe(real.pats.length);
    expect(rep.summary.relational_rule_violations_max).toBe(0);
    expect(rep.summary.relational_rule_violation_rate_max).toBe(0);
  });

  it('counts a synthetic admission before the previous discharge (prev.x), found in sequence order not file order', async () => {
    const syn = structuredClone(real);
    // a patient with 2+ admissions: the second admitted one day before the first's discharge
    const subject = syn.adms.find((a, i) => syn.adms[i + 1]?.subject_id === a.subject_id)?.subject_id;
    const mine = syn.adms.filter((a) => a.subject_id === subject);
    const t = Date.parse(mine[0].dischtime) - 86_400_000;
    mine[1].admittime = new Date(t).toISOString();
    syn.adms.reverse(); // file order must not matter: the sequence is ordered by admittime
    const rep = await judge(real, syn);
    const x = byName(rep, 'after_previous_discharge');
    expect(x?.violations).toBe(1);
    expect(x?.examples).toEqual([syn.adms.indexOf(mine[1]) + 1]);
    expect(rep.summary.relational_rule_violations_max).toBe(1);
    expect(byName(rep, 'after_birth')?.violations).toBe(0);
  });

  it('counts admissions before their parent row’s dob (parent.x) and a parent with too many children (count(C))', async () => {
    const syn = structuredClone(real);
    const p = syn.pats.find((q) => syn.adms.filter((a) => a.subject_id === q.subject_id).length >= 2)!;
    p.dob = '2100-01-01';
    const n = syn.adms.filter((a) => a.subject_id === p.subject_id).length;
    const other = syn.pats.find((q) => q !== p)!;
    for (let k = 0; k < 5; k++)
      syn.adms.push({
        hadm_id: `9${k}`,
        subject_id: other.subject_id,
        admittime: '2090-01-0' + (k + 1) + 'T00:00:00.000Z',
        dischtime: '2090-01-0' + (k + 1) + 'T12:00:00.000Z',
        admission_type: 'URGENT',
        los: '1',
      });
    const rep = await judge(real, syn);
    expect(byName(rep, 'after_birth')?.violations).toBe(n);
    expect(byName(rep, 'few_admissions')?.violations).toBe(1);
    expect(rep.summary.relational_rule_violations_max).toBe(n);
  });
});
