import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Value } from '../model/values.js';
import { chiSquarePValue } from '../random/testing/goodness.js';
import { loadSpec, parseSpecText } from '../spec/parse.js';
import type { Spec } from '../spec/schema.js';
import { generateTables, generateTablesDuckDb, generateTablesInMemory } from './generate-tables.js';

const EXAMPLE = new URL('../../examples/relational/customer-journey.yaml', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Tables = Map<string, { columns: string[]; values: Value[][] }>;
const col = (t: Tables, table: string, name: string): Value[] => {
  const x = t.get(table)!;
  return x.values[x.columns.indexOf(name)];
};
const num = (v: Value) => (v === null ? null : (v as number));

describe('generateTables on the customer-journey example', async () => {
  const { spec } = await loadSpec(EXAMPLE);
  // 1,500 entities: two root blocks, so ids and foreign keys cross a block boundary.
  const t = await generateTablesInMemory({ spec, rows: 1500 });

  it('draws the asked number of roots and children per the count laws', () => {
    expect(col(t, 'customers', 'customer_id')).toHaveLength(1500);
    const n = col(t, 'accounts', 'account_id').length;
    expect(n).toBeGreaterThan(1500 * 1.3);
    expect(n).toBeLessThan(1500 * 2);
  });

  it('keys are unique and every foreign key resolves (100%)', () => {
    for (const [table, key] of [
      ['customers', 'customer_id'],
      ['accounts', 'account_id'],
      ['transactions', 'txn_id'],
    ] as const) {
      const ids = col(t, table, key);
      expect(new Set(ids).size).toBe(ids.length);
    }
    const customers = new Set(col(t, 'customers', 'customer_id'));
    const accounts = new Map(col(t, 'accounts', 'account_id').map((id, i) => [id, i]));
    expect(col(t, 'accounts', 'customer_id').filter((c) => !customers.has(c))).toEqual([]);
    const acctCustomer = col(t, 'accounts', 'customer_id');
    const txAccount = col(t, 'transactions', 'account_id');
    const txCustomer = col(t, 'transactions', 'customer_id');
    // every account exists, and the denormalised ancestor key matches the account's customer
    const bad = txAccount.filter(
      (a, i) => !accounts.has(a) || txCustomer[i] !== acctCustomer[accounts.get(a)!],
    );
    expect(bad).toEqual([]);
  });

  it('never violates a rule across tables and time', () => {
    const cust = new Map(col(t, 'customers', 'customer_id').map((id, i) => [id, i]));
    const joined = col(t, 'customers', 'joined').map(num);
    const closed = col(t, 'customers', 'closed').map(num);
    const acct = new Map(col(t, 'accounts', 'account_id').map((id, i) => [id, i]));
    const opened = col(t, 'accounts', 'opened').map(num);
    const violations: string[] = [];
    col(t, 'accounts', 'customer_id').forEach((c, i) => {
      const p = cust.get(c)!;
      if (!(opened[i]! >= joined[p]!)) violations.push(`account ${i} opened before joining`);
      if (closed[p] !== null && !(opened[i]! <= closed[p]!))
        violations.push(`account ${i} opened after closing`);
    });
    const at = col(t, 'transactions', 'at').map(num);
    const txAccount = col(t, 'transactions', 'account_id');
    const txCustomer = col(t, 'transactions', 'customer_id');
    let checked = 0;
    txAccount.forEach((a, i) => {
      const k = acct.get(a)!;
      if (!(at[i]! >= opened[k]!)) violations.push(`transaction ${i} before its account opened`);
      const c = closed[cust.get(txCustomer[i])!];
      if (c !== null && !(at[i]! <= c)) violations.push(`transaction ${i} after closing`);
      // sequence order within an account: written in time order
      if (i > 0 && txAccount[i - 1] === a) {
        if (!(at[i]! >= at[i - 1]!)) violations.push(`transaction ${i} before the previous one`);
        checked++;
      }
    });
    expect(violations).toEqual([]);
    expect(checked).toBeGreaterThan(10_000);
  });

  it('writes the same bytes for the same seed, one file per table, atomically', async () => {
    const a = mkdtempSync(join(tmpdir(), 'strata-rel-'));
    const b = mkdtempSync(join(tmpdir(), 'strata-rel-'));
    dirs.push(a, b);
    const r = await generateTables({ spec, rows: 1100, dir: a });
    await generateTables({ spec, rows: 1100, dir: b });
    expect(readdirSync(a).sort()).toEqual(['accounts.csv', 'customers.csv', 'transactions.csv']);
    for (const f of readdirSync(a)) expect(readFileSync(join(a, f))).toEqual(readFileSync(join(b, f)));
    const lines = readFileSync(join(a, 'transactions.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('txn_id,account_id,customer_id,at,kind,amount');
    expect(lines.length - 1).toBe(r.tables.find((x) => x.table === 'transactions')!.rows);
  });

  it('writes the same bytes on 1, 2 and 3 workers (CSV and JSON lines)', { timeout: 180_000 }, async () => {
    for (const format of ['csv', 'jsonl'] as const) {
      const outs = [1, 2, 3].map(() => mkdtempSync(join(tmpdir(), 'strata-rel-w-')));
      dirs.push(...outs);
      for (const [k, dir] of outs.entries()) {
        await generateTables({
          spec,
          rows: 3 * 1024 + 17,
          dir,
          format,
          workers: k + 1,
          do: { segment: 'retail' },
        });
      }
      for (const f of readdirSync(outs[0])) {
        const one = readFileSync(join(outs[0], f));
        expect(one.length).toBeGreaterThan(100);
        expect(readFileSync(join(outs[1], f)).equals(one)).toBe(true);
        expect(readFileSync(join(outs[2], f)).equals(one)).toBe(true);
      }
    }
  });

  it('aggregates over children are computed after them and parent rules over them hold', () => {
    const byCustomer = new Map<Value, number>();
    for (const c of col(t, 'accounts', 'customer_id')) byCustomer.set(c, (byCustomer.get(c) ?? 0) + 1);
    const ids = col(t, 'customers', 'customer_id');
    const n = col(t, 'customers', 'n_accounts');
    const seg = col(t, 'customers', 'segment');
    expect(ids.filter((id, i) => n[i] !== (byCustomer.get(id) ?? 0))).toEqual([]);
    expect(ids.filter((_, i) => seg[i] === 'business' && (n[i] as number) < 2)).toEqual([]);
    const sums = new Map<Value, number>();
    const counts = new Map<Value, number>();
    const amount = col(t, 'transactions', 'amount') as number[];
    col(t, 'transactions', 'account_id').forEach((a, i) => {
      sums.set(a, (sums.get(a) ?? 0) + amount[i]);
      counts.set(a, (counts.get(a) ?? 0) + 1);
    });
    const acct = col(t, 'accounts', 'account_id');
    const balance = col(t, 'accounts', 'balance') as number[];
    const nt = col(t, 'accounts', 'n_transactions');
    expect(
      acct.filter((a, i) => Math.abs(balance[i] - sums.get(a)!) > 0.006 || nt[i] !== counts.get(a)),
    ).toEqual([]);
  });

  it('writes one DuckDB file with primary and foreign keys declared', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-rel-db-'));
    dirs.push(dir);
    const path = join(dir, 'out.duckdb');
    const r = await generateTablesDuckDb({ spec, rows: 200, path });
    expect(readdirSync(dir)).toEqual(['out.duckdb']); // no scratch left behind
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    try {
      const c = await db.connect();
      const rows = async (q: string) => (await c.runAndReadAll(q)).getRowsJS();
      expect(
        await rows(
          "select table_name, constraint_type from duckdb_constraints() where constraint_type in ('PRIMARY KEY', 'FOREIGN KEY') order by 1, 2",
        ),
      ).toEqual([
        ['accounts', 'FOREIGN KEY'],
        ['accounts', 'PRIMARY KEY'],
        ['customers', 'PRIMARY KEY'],
        ['transactions', 'FOREIGN KEY'],
        ['transactions', 'PRIMARY KEY'],
      ]);
      const n = r.tables.find((x) => x.table === 'transactions')!.rows;
      expect(await rows('select count(*) from transactions')).toEqual([[BigInt(n)]]);
      expect(await rows('select typeof(opened) from accounts limit 1')).toEqual([['TIMESTAMP']]);
      c.closeSync();
    } finally {
      db.closeSync();
    }
  });

  it('an intervention on a parent reaches its children', async () => {
    const biz = await generateTablesInMemory({ spec, rows: 300, do: { 'customers.segment': 'business' } });
    const products = new Set(col(biz, 'accounts', 'product'));
    expect(products.has('savings')).toBe(false); // savings exist only under retail
    expect(products.has('loan')).toBe(true);
  });
});

describe('sequences', () => {
  const STATES = ['healthy', 'sick', 'recovered'];
  const P: Record<string, Record<string, number>> = {
    healthy: { healthy: 0.7, sick: 0.3, recovered: 0 },
    sick: { healthy: 0.1, sick: 0.5, recovered: 0.4 },
    recovered: { healthy: 0.6, sick: 0.1, recovered: 0.3 },
  };
  const text = `strata: 1
seed: 3
tables:
  people:
    rows: 400
    columns:
      id: { type: id }
  visits:
    parent: people
    count: { values: { 20: 1 } }
    sequence: { order: day }
    columns:
      day: { type: integer, expr: "index" }
      state:
        type: category
        given: [prev.state]
        conditional:
          parents: [{ column: prev.state }]
          rows:
            - { when: [NA], values: { healthy: 1 } }
${STATES.map((s) => `            - { when: [${s}], values: { ${STATES.map((x) => `${x}: ${P[s][x]}`).join(', ')} } }`).join('\n')}
`;

  it('a state machine given prev.state reproduces its transition table (chi-square, alpha 0.001)', async () => {
    const { spec } = parseSpecText(text, 'chain.yaml');
    const t = await generateTablesInMemory({ spec });
    const person = col(t, 'visits', 'id');
    const state = col(t, 'visits', 'state') as string[];
    const counts = new Map(STATES.map((s) => [s, STATES.map(() => 0)]));
    for (let i = 1; i < state.length; i++) {
      if (person[i] !== person[i - 1]) {
        expect(state[i]).toBe('healthy'); // first row of a sequence: prev is null
        continue;
      }
      counts.get(state[i - 1])![STATES.indexOf(state[i])]++;
    }
    for (const s of STATES) {
      const obs = counts.get(s)!;
      const keep = STATES.map((_, k) => P[s][STATES[k]] > 0);
      expect(obs.filter((_, k) => !keep[k]).every((x) => x === 0)).toBe(true);
      const p = chiSquarePValue(
        obs.filter((_, k) => keep[k]),
        STATES.filter((_, k) => keep[k]).map((x) => P[s][x]),
      );
      expect(p).toBeGreaterThan(0.001);
    }
  });
});

describe('a parent rule over an aggregate', () => {
  it('redraws the children until it holds, and their ids stay gapless', async () => {
    const spec: Spec = {
      strata: 1,
      seed: 5,
      tables: {
        p: {
          rows: 300,
          columns: { pid: { type: 'id' }, total: { type: 'derived', expr: 'sum(e.x)' } },
          rules: [{ name: 'enough', check: 'count(e) >= 3 and max(e.x) > 0.5' }],
        },
        e: {
          parent: 'p',
          count: { values: { 1: 0.5, 3: 0.3, 4: 0.2 } },
          columns: { eid: { type: 'id' }, x: { type: 'number', dist: { uniform: { min: 0, max: 1 } } } },
        },
      },
    };
    const t = await generateTablesInMemory({ spec });
    const fk = col(t, 'e', 'pid');
    const x = col(t, 'e', 'x') as number[];
    const per = new Map<Value, number[]>();
    fk.forEach((p, i) => {
      per.set(p, [...(per.get(p) ?? []), x[i]]);
    });
    const pids = col(t, 'p', 'pid');
    expect(pids.filter((p) => (per.get(p)?.length ?? 0) < 3 || Math.max(...per.get(p)!) <= 0.5)).toEqual([]);
    const total = col(t, 'p', 'total') as number[];
    expect(pids.filter((p, i) => Math.abs(per.get(p)!.reduce((a, b) => a + b, 0) - total[i]) > 1e-9)).toEqual(
      [],
    );
    expect(col(t, 'e', 'eid')).toEqual(Array.from({ length: fk.length }, (_, i) => i + 1));
  });
});

describe('rules across tables and time hold on random relational specs', () => {
  const DAY = 86_400_000;
  it('child times inside the parent window and after the previous row, for random laws', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          countMax: fc.integer({ min: 0, max: 6 }),
          lambda: fc.double({ min: 0.2, max: 5, noNaN: true }),
          gapDays: fc.integer({ min: 1, max: 60 }),
          sdDays: fc.integer({ min: 1, max: 90 }),
          spanDays: fc.integer({ min: 30, max: 2000 }),
          strict: fc.boolean(),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        async (r) => {
          const spec: Spec = {
            strata: 1,
            seed: r.seed,
            tables: {
              p: {
                rows: 40,
                key: 'pid',
                columns: {
                  pid: { type: 'id' },
                  start: { type: 'datetime', dist: { uniform: { min: '2020-01-01', max: '2021-01-01' } } },
                  end: {
                    type: 'datetime',
                    dist: { normal: { mean: `start + ${r.spanDays * DAY}`, sd: 10 * DAY } },
                  },
                },
                rules: [{ name: 'ordered', check: 'end >= start' }],
              },
              e: {
                parent: 'p',
                count: { dist: { poisson: { lambda: r.lambda } }, min: 0, max: r.countMax },
                sequence: { order: 't' },
                columns: {
                  t: {
                    type: 'datetime',
                    dist: {
                      normal: {
                        mean: `coalesce(prev.t, parent.start) + ${r.gapDays * DAY}`,
                        sd: r.sdDays * DAY,
                      },
                    },
                  },
                  u: { type: 'datetime', dist: { normal: { mean: `t + ${DAY}`, sd: DAY } } },
                },
                rules: [
                  { name: 'after_start', check: `t ${r.strict ? '>' : '>='} parent.start` },
                  { name: 't_inside', check: 't <= parent.end' },
                  { name: 'inside', check: 'u <= parent.end' },
                  { name: 'u_after_t', check: 'u >= t' },
                  { name: 'after_prev', check: 't >= prev.u' },
                ],
              },
            },
          };
          const t = await generateTablesInMemory({ spec });
          const start = col(t, 'p', 'start') as number[];
          const end = col(t, 'p', 'end') as number[];
          const pid = col(t, 'p', 'pid');
          const fk = col(t, 'e', 'pid');
          const et = col(t, 'e', 't') as number[];
          const eu = col(t, 'e', 'u') as number[];
          const at = new Map(pid.map((id, i) => [id, i]));
          for (let i = 0; i < fk.length; i++) {
            const k = at.get(fk[i]);
            if (k === undefined) return false;
            if (r.strict ? !(et[i] > start[k]) : !(et[i] >= start[k])) return false;
            if (!(eu[i] <= end[k] && eu[i] >= et[i])) return false;
            if (i > 0 && fk[i - 1] === fk[i] && !(et[i] >= eu[i - 1])) return false;
          }
          return true;
        },
      ),
      {
        numRuns: 25,
        // Found by CI (stop 21): the child's mean sat 39 sd past its window, where Φ underflows,
        // so the normal drew NaN until 1000 redraws gave up (fixed in random/normal.ts farTailZ).
        examples: [
          [{ countMax: 2, lambda: 0.2, gapDays: 39, sdDays: 1, spanDays: 30, strict: false, seed: 184 }],
          [{ countMax: 1, lambda: 0.2, gapDays: 49, sdDays: 1, spanDays: 30, strict: false, seed: 55 }],
        ],
      },
    );
  });
});

describe('relational references out of scope are errors at file:line:col', () => {
  const errorOf = async (text: string) => {
    const { spec, source } = parseSpecText(text, 'spec.yaml');
    try {
      await generateTablesInMemory({
        spec,
        rows: 2,
        locator: { file: 'spec.yaml', locate: (p) => source.locate(p) },
      });
    } catch (e) {
      return (e as { format(): string }).format();
    }
    throw new Error('expected an error');
  };
  const two = (visits: string) =>
    `strata: 1\ntables:\n  patients:\n    columns:\n      pid: { type: id }\n      dob: { type: number, dist: { normal: { mean: 0, sd: 1 } } }\n  visits:\n    parent: patients\n${visits}`;

  it('prev.x in an expression of a table without a sequence', async () => {
    const msg = await errorOf(
      two('    columns:\n      t: { type: number, dist: { normal: { mean: "prev.t", sd: 1 } } }\n'),
    );
    expect(msg).toMatch(
      /^spec\.yaml:10:\d+ tables\.visits\.columns\.t\.dist\.normal\.mean: prev\.t .* needs a sequence/,
    );
    expect(msg).toMatch(/add sequence: \{ order: COLUMN \}/);
  });

  it('T.x where T is not an ancestor, with the qualifiers in scope', async () => {
    const msg = await errorOf(
      two(
        '    columns:\n      t: { type: number, expr: "visits.t2 + 1" }\n      t2: { type: number, expr: "parent.dob" }\n',
      ),
    );
    expect(msg).toMatch(
      /^spec\.yaml:10:\d+ .*"visits" is not a table above this one.*qualifiers here: parent, patients/,
    );
  });

  it('a row no redraw satisfies is named by its place in the entity (root row, then each child and its row)', async () => {
    const msg = await errorOf(`strata: 1
tables:
  a:
    key: aid
    columns:
      aid: { type: id }
  b:
    parent: a
    key: bid
    count: { values: { 2: 1 } }
    columns:
      bid: { type: id }
      k: { type: integer, dist: { uniform: { min: 0, max: 3 } } }
  c:
    parent: b
    count: { values: { 1: 1 } }
    columns:
      cid: { type: id }
      v: { type: integer, dist: { uniform: { min: 0, max: 3 } } }
    rules:
      - { name: r, check: "v < parent.k" }
`);
    expect(msg).toMatch(
      /rule "r" \(v < parent\.k\) of table "c" cannot hold for row 0 of "c" under a row [12] → b\[[01]\]: /,
    );
  });

  it('a window empty for every row is named at compile time, with its place', async () => {
    const msg = await errorOf(
      two(
        '    columns:\n      t: { type: number, dist: { normal: { mean: 0, sd: 1 } } }\n    rules:\n      - { name: empty, check: "t > parent.dob and t < parent.dob" }\n',
      ),
    );
    expect(msg).toMatch(
      /^spec\.yaml:\d+:\d+ tables\.visits\.rules\.empty: rule "empty" of table "visits" leave "t" no value: it must be above parent\.dob and below parent\.dob/,
    );
  });

  it('a window the parent rules order the wrong way is named at compile time', async () => {
    const spec = `strata: 1
tables:
  stays:
    rows: 3
    key: id
    columns:
      id: { type: id }
      start: { type: number, dist: { normal: { mean: 10, sd: 1 } } }
      end: { type: number, dist: { normal: { mean: 5, sd: 1 } } }
    rules:
      - { name: odd, check: "end <= start" }
  events:
    parent: stays
    columns:
      t: { type: number, dist: { normal: { mean: 7, sd: 1 } } }
    rules:
      - { name: after_start, check: "t > parent.start" }
      - { name: before_end, check: "t < parent.end" }
`;
    const msg = await errorOf(spec);
    expect(msg).toMatch(
      /^spec\.yaml:18:\d+ tables\.events\.rules\.before_end: rules "after_start" and "before_end" of table "events" leave "t" no value: it must be above parent\.start and below parent\.end, the rules of "stays" make end <= start/,
    );
  });
});
