import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { StrataError } from '../errors.js';
import { detectSchema, type RefOption } from './keys.js';

const table = (name: string, cols: Record<string, (string | null)[]>): RawColumns => {
  const columns = Object.keys(cols);
  return { name, columns, rowCount: cols[columns[0]].length, data: columns.map((c) => cols[c]) };
};
const patients = table('patients', { subject_id: ['1', '2', '3', '4'], sex: ['F', 'M', 'F', 'M'] });
const admissions = table('admissions', {
  hadm_id: ['10', '11', '12', '13', '14'],
  subject_id: ['1', '1', '2', '3', '3'],
});
const stays = table('icustays', {
  icustay_id: ['100', '101', '102'],
  hadm_id: ['10', '12', '12'],
  subject_id: ['1', '2', '2'],
});

/** A stated --ref, as the CLI parses `child.column=parent.parentColumn` (cli/link-options.ts). */
const ref = (child: string, column: string, parent: string, parentColumn: string): RefOption => ({
  child,
  column,
  parent,
  parentColumn,
});

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof StrataError) return `${e.code}: ${e.format()}`;
    throw e;
  }
  return 'no error';
};

describe('detectSchema', () => {
  it('finds keys, the deepest parent, and a denormalised ancestor key as derived', () => {
    const s = detectSchema([patients, admissions, stays]);
    expect(s.order).toEqual(['patients', 'admissions', 'icustays']);
    expect(s.tables.get('admissions')?.parent).toMatchObject({ table: 'patients', column: 'subject_id' });
    const icu = s.tables.get('icustays')!;
    expect(icu.key).toBe('icustay_id');
    expect(icu.parent).toMatchObject({ table: 'admissions', column: 'hadm_id', parentColumn: 'hadm_id' });
    expect(icu.derived).toEqual([
      { column: 'subject_id', table: 'patients', source: 'subject_id', disagree: 0 },
    ]);
  });

  it('orders parents before children whatever the input order', () => {
    expect(detectSchema([stays, admissions, patients]).order).toEqual(['patients', 'admissions', 'icustays']);
  });

  it('takes a stated --ref over name matching', () => {
    const visits = table('visits', { visit_id: ['1', '2', '3'], who: ['1', '2', '2'] });
    expect(detectSchema([patients, visits]).tables.get('visits')?.parent).toBeUndefined();
    const s = detectSchema([patients, visits], { refs: [ref('visits', 'who', 'patients', 'subject_id')] });
    expect(s.tables.get('visits')?.parent).toMatchObject({ table: 'patients', column: 'who', stated: true });
  });

  it('rejects bad --ref flags with the fix', () => {
    expect(
      codeOf(() =>
        detectSchema([patients, admissions], {
          refs: [ref('admisions', 'subject_id', 'patients', 'subject_id')],
        }),
      ),
    ).toMatch(/^fit\.bad_ref: .*"admisions".*did you mean "admissions"/);
    expect(
      codeOf(() =>
        detectSchema([patients, admissions], {
          refs: [ref('admissions', 'subjct_id', 'patients', 'subject_id')],
        }),
      ),
    ).toMatch(/did you mean "admissions\.subject_id"/);
    // Direction reversed: the "parent" column repeats.
    expect(
      codeOf(() =>
        detectSchema([patients, admissions], {
          refs: [ref('patients', 'subject_id', 'admissions', 'subject_id')],
        }),
      ),
    ).toMatch(/^fit\.bad_ref: .*is not a key/);
    expect(
      codeOf(() =>
        detectSchema([patients], { refs: [ref('patients', 'subject_id', 'patients', 'subject_id')] }),
      ),
    ).toMatch(/own parent/);
  });

  it('names the flag that settles a table referencing two unrelated tables', () => {
    const doctors = table('doctors', { doctor_id: ['7', '8'] });
    const visits = table('visits', {
      visit_id: ['1', '2', '3'],
      subject_id: ['1', '2', '2'],
      doctor_id: ['7', '7', '8'],
    });
    expect(codeOf(() => detectSchema([patients, doctors, visits]))).toMatch(
      /^fit\.ambiguous_parent: .*--ref visits\./,
    );
  });
});
