import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { generateTables, generateTablesInMemory } from '../sample/generate-tables.js';
import { parseSpecText } from '../spec/parse.js';
import type { Spec } from '../spec/schema.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** patients → visits (a sequence); visit kind depends on the patient's sex; times inside life. */
const SPEC = (plan: string) => `
strata: 1
seed: 3
tables:
  patients:
    rows: 300
    key: pid
    columns:
      pid: { type: id, start: 1 }
      sex: { type: category, values: { F: 0.5, M: 0.5 } }
      smoker: { type: boolean, p: 0.02 }
      born: { type: integer, dist: { uniform: { min: 1930, max: 2000 } } }
      died: { type: integer, dist: { uniform: { min: 2001, max: 2030 } } }
  visits:
    parent: patients
    key: vid
    count: { dist: { poisson: { lambda: 2 } }, min: 0, max: 8 }
    sequence: { order: year }
    columns:
      vid: { type: id, start: 1 }
      pid: { type: ref }
      year: { type: integer, dist: { uniform: { min: "parent.born", max: 2030 } } }
      kind:
        type: category
        given: [parent.sex]
        conditional:
          parents: [{ column: parent.sex }]
          rows:
            - { when: [F], values: { routine: 0.8, urgent: 0.19, rare: 0.01 } }
            - { when: [M], values: { routine: 0.7, urgent: 0.3 } }
    rules:
      - { name: alive, check: "year <= parent.died" }
      - { name: after_birth, check: "year >= parent.born" }
coverage:
${plan}
`;

const spec = (plan: string): Spec => parseSpecText(SPEC(plan), 'rel.yaml').spec;

type T = Map<string, { columns: string[]; values: (string | number | boolean | null)[][] }>;
const col = (t: T, table: string, name: string) => {
  const x = t.get(table)!;
  return x.values[x.columns.indexOf(name)];
};

/** Rows of visits per (kind, parent sex, parent smoker), with FK / key / rule checks. */
function check(t: T) {
  const pid = col(t, 'patients', 'pid');
  expect(new Set(pid).size).toBe(pid.length);
  const vid = col(t, 'visits', 'vid');
  expect(new Set(vid).size).toBe(vid.length);
  const byId = new Map(pid.map((p, i) => [p, i]));
  const sex = col(t, 'patients', 'sex');
  const smoker = col(t, 'patients', 'smoker');
  const born = col(t, 'patients', 'born') as number[];
  const died = col(t, 'patients', 'died') as number[];
  const vp = col(t, 'visits', 'pid');
  const year = col(t, 'visits', 'year') as number[];
  const kind = col(t, 'visits', 'kind');
  const cells = new Map<string, number>();
  let prev: { p: unknown; y: number } | undefined;
  vp.forEach((p, r) => {
    const i = byId.get(p);
    expect(i).toBeDefined();
    expect(year[r]).toBeGreaterThanOrEqual(born[i!]);
    expect(year[r]).toBeLessThanOrEqual(died[i!]);
    if (prev && prev.p === p) expect(year[r]).toBeGreaterThanOrEqual(prev.y);
    prev = { p, y: year[r] };
    const k = `${kind[r]}|${sex[i!]}|${smoker[i!]}`;
    cells.set(k, (cells.get(k) ?? 0) + 1);
  });
  return cells;
}
const count = (cells: Map<string, number>, f: (k: string[]) => boolean) =>
  [...cells].filter(([k]) => f(k.split('|'))).reduce((s, [, n]) => s + n, 0);

describe('coverage plans on a relational spec', () => {
  it('fills cells on a child column × a parent column, by construction', async () => {
    const s = spec(`  visits:
    axes: [kind, patients.sex]
    min_per_cell: 150
    forbid: ["kind == 'rare' and patients.sex == 'M'"]`);
    const t = (await generateTablesInMemory({ spec: s })) as T;
    const cells = check(t);
    // rare only occurs for F; M × rare has probability 0 and is not a cell the model can fill.
    for (const kind of ['routine', 'urgent'])
      for (const sex of ['F', 'M'])
        expect(count(cells, ([k, x]) => k === kind && x === sex)).toBeGreaterThanOrEqual(150);
    expect(count(cells, ([k, x]) => k === 'rare' && x === 'F')).toBeGreaterThanOrEqual(150);
  });

  it('names M × rare infeasible before writing, with the plan place', async () => {
    const text = SPEC(`  visits:
    axes: [kind, patients.sex]
    min_per_cell: 10`);
    const { spec: s, source } = parseSpecText(text, 'rel.yaml');
    const e = await generateTablesInMemory({
      spec: s,
      locator: { file: 'rel.yaml', locate: (p) => source.locate(p) },
    }).catch((x) => x);
    expect(e).toBeInstanceOf(StrataError);
    expect(e.code).toBe('coverage.infeasible');
    expect(e.message).toMatch(/1 coverage cell is infeasible:\n {2}kind=rare\|patients.sex=M: /);
    expect(e.place.file).toBe('rel.yaml');
    // the plan of visits (its key line or the mapping under it)
    const planLine = text.split('\n').indexOf('  visits:', 30) + 1;
    expect([planLine, planLine + 1]).toContain(e.place.line);
  });

  it('names a parent level with probability 0 from its skeleton (provable)', async () => {
    const text = SPEC(`  visits:
    axes: [patients.sex]
    min_per_cell: 10`).replace('values: { F: 0.5, M: 0.5 }', 'values: { F: 0.5, M: 0.5, X: 0 }');
    const e = await generateTablesInMemory({ spec: parseSpecText(text, 'rel.yaml').spec }).catch((x) => x);
    expect(e.code).toBe('coverage.infeasible');
    expect(e.message).toMatch(
      /1 coverage cell is infeasible:\n {2}patients.sex=X: .*probability 0 under the model of "patients"/,
    );
  });

  it('reports the run: every cell filled; allowEmptyCells skips the impossible one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-relcov-'));
    dirs.push(dir);
    const s = spec(`  visits:
    axes: [kind, patients.sex]
    min_per_cell: 100`);
    const r = await generateTables({ spec: s, dir, allowEmptyCells: true });
    const cov = r.coverage!;
    const bad = cov.cells.find((c) => c.key === 'kind=rare|patients.sex=M')!;
    expect(bad.status).toBe('infeasible');
    for (const c of cov.cells.filter((x) => x !== bad)) {
      expect(c.status).toBe('filled');
      expect(c.delivered).toBeGreaterThanOrEqual(100);
      expect(c.drawn).toBeGreaterThanOrEqual(100);
    }
    // the report counts what the files hold
    const lines = readFileSync(join(dir, 'visits.csv'), 'utf8').trim().split('\n');
    expect(lines.length - 1).toBe(r.tables.find((x) => x.table === 'visits')!.rows);
    expect(r.roots).toBe(cov.entities);
    expect(r.roots).toBeGreaterThan(300);
  });

  it('fills a cell on a rare parent column (quota in entities)', async () => {
    const s = spec(`  visits:
    axes: [patients.smoker]
    unit: entities
    min_per_cell: 200`);
    const r = await generateTables({
      spec: s,
      dir: mkdtempSync(join(tmpdir(), 'strata-relcov-')),
    });
    const smokers = r.coverage!.cells.find((c) => c.key === 'patients.smoker=true')!;
    expect(smokers.entities).toBe(200);
    expect(smokers.method).toBe('exact');
    const t = (await generateTablesInMemory({ spec: s })) as T;
    const cells = check(t);
    expect(count(cells, ([, , sm]) => sm === 'true')).toBeGreaterThanOrEqual(200);
  });

  it('keeps forbidden cells empty', async () => {
    const s = spec(`  visits:
    axes: [kind, patients.sex]
    min_per_cell: 0
    forbid: ["kind == 'urgent' and patients.sex == 'M'"]`);
    const t = (await generateTablesInMemory({ spec: s })) as T;
    const cells = check(t);
    expect(count(cells, ([k, x]) => k === 'urgent' && x === 'M')).toBe(0);
    expect(count(cells, ([k, x]) => k === 'urgent' && x === 'F')).toBeGreaterThan(0);
  });

  it('writes the same bytes with 1 and 2 workers', async () => {
    const s = spec(`  visits:
    axes: [kind, patients.sex]
    min_per_cell: 1100
    forbid: ["kind == 'rare' and patients.sex == 'M'"]`);
    const out: string[][] = [];
    for (const workers of [1, 2]) {
      const dir = mkdtempSync(join(tmpdir(), 'strata-relcov-'));
      dirs.push(dir);
      // 1,100 free entities (2 blocks) and 1,100-row cells (2 chunks each): blocks cross workers.
      const r = await generateTables({ spec: s, dir, rows: 1100, workers });
      expect(r.coverage!.cells.every((c) => c.status === 'filled')).toBe(true);
      out.push(['patients', 'visits'].map((t) => readFileSync(join(dir, `${t}.csv`), 'utf8')));
    }
    expect(out[1][0]).toBe(out[0][0]);
    expect(out[1][1]).toBe(out[0][1]);
  });

  it('refuses a bad plan with the place and the fix', async () => {
    const bad = async (plan: string, code: string, msg: RegExp) => {
      const text = SPEC(plan);
      const { spec: s, source } = parseSpecText(text, 'rel.yaml');
      const e = await generateTablesInMemory({
        spec: s,
        locator: { file: 'rel.yaml', locate: (p) => source.locate(p) },
      }).catch((x) => x);
      expect(e).toBeInstanceOf(StrataError);
      expect(e.code).toBe(code);
      expect(e.message).toMatch(msg);
      expect(e.place.file).toBe('rel.yaml');
      expect(e.place.line).toBeGreaterThan(30);
    };
    // a plan on a missing table is refused when the spec is read
    expect(() => parseSpecText(SPEC(`  visitz:\n    axes: [kind]`), 'rel.yaml')).toThrow(
      /rel.yaml:\d+:\d+ .*unknown table "visitz"/,
    );
    await bad(
      `  visits:\n    axes: [patient.sex]\n    min_per_cell: 1`,
      'coverage.unknown_table',
      /unknown table "patient"/,
    );
    await bad(
      `  visits:\n    axes: [patients.sexx]\n    min_per_cell: 1`,
      'coverage.unknown_column',
      /patients.sexx/,
    );
    await bad(`  visits:\n    axes: [kind]\n    target: model`, 'coverage.relational_unsupported', /target/);
  });

  it('works on a panel (one table of entities over time): ids stay one per entity', async () => {
    const { spec: s } = parseSpecText(
      `strata: 1
seed: 1
tables:
  statements:
    rows: 100
    count: { values: { 3: 1 } }
    sequence: { entity: ID, order: month }
    columns:
      ID: { type: id, start: 1, prefix: C }
      month: { type: integer, dist: { uniform: { min: 1, max: 12 } } }
      status: { type: category, values: { ok: 0.95, late: 0.05 } }
coverage:
  statements:
    axes: [status]
    min_per_cell: 120
`,
      'panel.yaml',
    );
    const t = (await generateTablesInMemory({ spec: s })) as T;
    const ids = col(t, 'statements', 'ID');
    const status = col(t, 'statements', 'status');
    expect(status.filter((x) => x === 'late').length).toBeGreaterThanOrEqual(120);
    const per = new Map<unknown, number>();
    for (const id of ids) per.set(id, (per.get(id) ?? 0) + 1);
    expect([...per.values()].every((n) => n === 3)).toBe(true);
    expect(per.size).toBe(ids.length / 3);
  });
});
