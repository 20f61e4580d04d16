import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StrataError } from '../errors.js';
import { evaluateFiles } from '../report/files.js';
import { parseRef, parseTableColumn } from './link-options.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'strata-tables-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

const PARENTS = 'pid,born\n1,2000-01-01\n2,2001-01-01\n3,2002-01-01\n4,2003-01-01\n';
const KIDS =
  'kid,pid,start,stop\n10,1,2010-01-01,2010-02-01\n11,1,2011-01-01,2011-02-01\n12,2,2012-01-01,2012-02-01\n13,3,2013-01-01,2013-02-01\n';

describe('evaluate over directories of tables', () => {
  it('reads one file per table, judges the root table and the links; a broken FK fails its gate', async () => {
    const real = dir({ 'parents.csv': PARENTS, 'kids.csv': KIDS, 'README.md': 'not a table' });
    const syn = dir({ 'parents.csv': PARENTS, 'kids.csv': KIDS.replace('13,3,', '13,9,') });
    const gate = join(dir({}), 'gate.yaml');
    writeFileSync(gate, 'fk_integrity_min: { min: 1 }\norder_violations_max: { max: 0 }\n');
    const r = await evaluateFiles({
      real,
      synthetic: syn,
      gate,
      orders: [{ table: 'kids', column: 'start' }],
    });
    expect(r.report.inputs.real_rows).toBe(4); // parents: the root table
    expect(r.report.summary.fk_integrity_min).toBeCloseTo(0.75, 10);
    expect(r.gateFailures.map((f) => f.key)).toEqual(['fk_integrity_min']);
    expect(r.markdown).toContain('kids.pid → parents.pid');
  });

  it('refuses a file for --synthetic when --real is a directory', async () => {
    const real = dir({ 'parents.csv': PARENTS });
    const file = join(real, 'parents.csv');
    await expect(evaluateFiles({ real, synthetic: file })).rejects.toThrow(/must be one too/);
  });

  it('parses --key/--order and --ref, and names the form on bad input', () => {
    expect(parseTableColumn('--order', 'A=t')).toEqual({ table: 'A', column: 't' });
    expect(parseRef('A.x=B.y')).toEqual({ child: 'A', column: 'x', parent: 'B', parentColumn: 'y' });
    expect(parseTableColumn('--key', ' A = id ')).toEqual({ table: 'A', column: 'id' });
    // One parser for fit and evaluate: each option fails with its own code, the form and an example.
    const failure = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return `${(e as StrataError).code}: ${(e as StrataError).format()}`;
      }
      return 'no error';
    };
    expect(failure(() => parseRef('A.x=B'))).toMatch(
      /^fit\.bad_ref: --ref "A\.x=B" is not CHILD\.COLUMN=PARENT\.COLUMN — e\.g\. --ref admissions\.subject_id=patients\.subject_id/,
    );
    expect(failure(() => parseRef('visits.who'))).toMatch(/^fit\.bad_ref: /);
    expect(failure(() => parseTableColumn('--key', '=x'))).toMatch(
      /^fit\.bad_key: --key "=x" is not TABLE=COLUMN — e\.g\. --key patients=subject_id/,
    );
    expect(failure(() => parseTableColumn('--order', 'A='))).toMatch(/^fit\.bad_order: --order "A="/);
  });
});
