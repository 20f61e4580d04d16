/**
 * `strata generate` on a relational spec with a coverage plan and `--scenario`: the per-cell report
 * is printed, an infeasible cell exits 2 with the plan's file:line:col, and a scenario's `do:`
 * reaches the parent table and its children.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from './testing/run-main.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-relcov-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = (plan: string) => `strata: 1
seed: 5
tables:
  patients:
    rows: 200
    key: pid
    columns:
      pid: { type: id, start: 1 }
      sex: { type: category, values: { F: 0.5, M: 0.5 } }
  visits:
    parent: patients
    key: vid
    count: { dist: { poisson: { lambda: 2 } }, min: 0, max: 6 }
    columns:
      vid: { type: id, start: 1 }
      pid: { type: ref }
      kind:
        type: category
        given: [parent.sex]
        conditional:
          parents: [{ column: parent.sex }]
          rows:
            - { when: [F], values: { routine: 0.9, rare: 0.1 } }
            - { when: [M], values: { routine: 1 } }
scenarios:
  - { name: women, table: patients, do: { sex: F } }
coverage:
${plan}
`;

describe('strata generate: relational coverage and scenarios', () => {
  it('prints every cell filled', async () => {
    const path = join(dir, 'ok.yaml');
    writeFileSync(
      path,
      spec(
        `  visits:\n    axes: [kind, patients.sex]\n    min_per_cell: 50\n    forbid: ["kind == 'rare' and patients.sex == 'M'"]`,
      ),
    );
    const r = await runMain(['generate', path, '-o', join(dir, 'ok/'), '--no-ledger']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /coverage of "visits": 3 of 3 cells filled; 200 free entities \+ \d+ cell entities/,
    );
    expect(r.out).toMatch(/kind=rare\|patients.sex=F: filled, quota 50 rows, delivered \d+ rows/);
    expect(r.out).toMatch(/kind=rare\|patients.sex=M: forbidden by .* \(0 rows\)/);
  });

  it('exits 2 naming the infeasible cell at the plan', async () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, spec(`  visits:\n    axes: [kind, patients.sex]\n    min_per_cell: 5`));
    const r = await runMain(['generate', path, '-o', join(dir, 'bad/'), '--no-ledger']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yaml:29:5 coverage\.visits: 1 coverage cell is infeasible/);
    expect(r.err).toMatch(/kind=rare\|patients.sex=M/);
  });

  it('--scenario applies the do: of the parent table to every entity', async () => {
    const path = join(dir, 'scen.yaml');
    writeFileSync(path, spec(`  visits:\n    axes: [kind]\n    min_per_cell: 0`));
    const out = join(dir, 'scen/');
    const r = await runMain([
      'generate',
      path,
      '-o',
      out,
      '--scenario',
      'women',
      '--no-coverage',
      '--no-ledger',
    ]);
    expect(r.code).toBe(0);
    const sexes = readFileSync(join(out, 'patients.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[1]);
    expect(new Set(sexes)).toEqual(new Set(['F']));
    // children see the intervened parent: rare visits occur (they only do under F)
    expect(readFileSync(join(out, 'visits.csv'), 'utf8')).toMatch(/,rare\n/);
  });
});
