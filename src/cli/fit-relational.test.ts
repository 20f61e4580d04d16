import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runMain } from './testing/run-main.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-cli-fit-rel-'));
const tables = join(dir, 'hospital');
mkdirSync(tables);
const patients = ['subject_id,sex,dob'];
const admissions = ['hadm_id,subject_id,admittime,dischtime'];
let h = 100;
for (let i = 0; i < 40; i++) {
  patients.push(`${i + 1},${i % 3 === 0 ? 'F' : 'M'},19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`);
  for (let k = 0; k < 1 + (i % 3); k++) {
    const day = 10 + 5 * k;
    admissions.push(
      `${h++},${i + 1},2020-0${1 + (i % 9)}-${day} 08:00:00,2020-0${1 + (i % 9)}-${day + 2} 12:30:00`,
    );
  }
}
writeFileSync(join(tables, 'patients.csv'), `${patients.join('\n')}\n`);
writeFileSync(join(tables, 'admissions.csv'), `${admissions.join('\n')}\n`);

const quietly = runMain;

afterEach(() => {
  process.exitCode = undefined;
});

describe('strata fit with several tables', () => {
  it('fits a directory of tables into one relational model', async () => {
    const out = join(dir, 'model.yaml');
    const r = await quietly(['fit', tables, '-o', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/admissions: \d+ rows, key hadm_id\n {2}parent: patients through subject_id/);
    const doc = parse(readFileSync(out, 'utf8')) as { tables: Record<string, Record<string, unknown>> };
    expect(doc.tables.admissions.parent).toEqual({ table: 'patients', column: 'subject_id' });
    expect(doc.tables.admissions.sequence).toEqual({ order: 'admittime' });
    const checks = (doc.tables.admissions.rules as { check: string }[]).map((x) => x.check);
    expect(checks).toEqual(expect.arrayContaining(['dischtime > admittime', 'admittime > prev.dischtime']));
    // dob (1950–1989) is before every admission (2020) by the ranges alone: no rule needed.
    expect(checks.some((c) => c.includes('dob'))).toBe(false);
  });

  it('exits 2 with the fix on a bad --ref', async () => {
    const files = [join(tables, 'patients.csv'), join(tables, 'admissions.csv'), '-o', join(dir, 'x.yaml')];
    const bad = await quietly(['fit', ...files, '--ref', 'admissions.subject_id']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--ref "admissions\.subject_id" is not CHILD\.COLUMN=PARENT\.COLUMN/);
    const typo = await quietly(['fit', ...files, '--ref', 'admissions.subjectid=patients.subject_id']);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/did you mean "admissions\.subject_id"/);
    const reversed = await quietly(['fit', ...files, '--ref', 'patients.subject_id=admissions.subject_id']);
    expect(reversed.code).toBe(2);
    expect(reversed.err).toMatch(/is not a key .*check the direction/);
  });
});
