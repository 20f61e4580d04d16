import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { streamFor } from '../random/stream.js';
import { chiSquareTest } from '../random/testing/goodness.js';
import type { Column, Conditional } from '../spec/schema.js';
import type { CountLaw } from './counts.js';
import { fitTables, type RelationalColumn, relationalYaml } from './relational.js';
import {
  sampleRelationalTruth,
  TRUE_ACCOUNTS,
  TRUE_GOLD,
  TRUE_TRANSITION,
} from './testing/relational-truth.js';

const ALPHA = 0.001;
const truth = sampleRelationalTruth(1500, 7);
const fit = fitTables(truth, { seed: 3, restarts: 3 });
const table = (name: string) => fit.tables.find((t) => t.name === name)!;

/** Rows of a conditional that name `state` at the position of `parent` (others any), pooled by n. */
function pooled(cond: Conditional, parent: string, state: string): Map<string, number> {
  const at = cond.parents.findIndex((p) => p.column === parent);
  const out = new Map<string, number>();
  for (const row of cond.rows) {
    if (at >= 0 && row.when[at] !== state) continue;
    const n = row.n ?? 0;
    const values = row.values as Record<string, number>;
    for (const [k, p] of Object.entries(values)) out.set(k, (out.get(k) ?? 0) + n * p);
  }
  return out;
}

describe('fitTables on a known customers → accounts → events structure', () => {
  it('finds the keys, each table’s parent and the order of the sequences', () => {
    expect(fit.schema.order).toEqual(['customers', 'accounts', 'events']);
    expect(table('customers').key).toBe('customer_id');
    expect(table('accounts').parent).toEqual({ table: 'customers', column: 'customer_id' });
    expect(table('events').parent).toEqual({ table: 'accounts', column: 'account_id' });
    expect(table('accounts').key).toBe('account_id');
    expect(table('events').sequence?.order).toBe('time');
  });

  it('recovers the count law given the parent’s segment (chi-square, α = 0.001), zeros included', () => {
    const count = table('accounts').count!;
    expect(count.given).toEqual(['parent.segment']);
    expect(count.zeros).toBeGreaterThan(0);
    const law = count.count as CountLaw;
    for (const seg of ['A', 'B'] as const) {
      const row = law.conditional!.rows.find((r) => r.when[0] === seg)!;
      const values = row.values as Record<string, number>;
      const observed = [0, 1, 2, 3].map((k) => (values[String(k)] ?? 0) * row.n!);
      const expected = TRUE_ACCOUNTS[seg].map((p) => p + 1e-9);
      expect(chiSquareTest(observed, expected).pValue).toBeGreaterThan(ALPHA);
    }
  });

  it('recovers the cross-table dependence tier ← parent.segment (chi-square, α = 0.001)', () => {
    const tier = table('accounts').columns.tier as Extract<RelationalColumn, { conditional?: unknown }>;
    expect(tier.given).toContain('parent.segment');
    for (const seg of ['A', 'B'] as const) {
      const m = pooled(tier.conditional!, 'parent.segment', seg);
      const n = (m.get('gold') ?? 0) + (m.get('basic') ?? 0);
      const observed = [m.get('gold') ?? 0, m.get('basic') ?? 0];
      expect(n).toBeGreaterThan(500);
      expect(chiSquareTest(observed, [TRUE_GOLD[seg], 1 - TRUE_GOLD[seg]]).pValue).toBeGreaterThan(ALPHA);
    }
  });

  it('recovers the transition matrix state ← prev.state (chi-square, α = 0.001)', () => {
    const state = table('events').columns.state as Extract<RelationalColumn, { conditional?: unknown }>;
    expect(state.given).toContain('prev.state');
    for (const from of ['ok', 'late'] as const) {
      const m = pooled(state.conditional!, 'prev.state', from);
      const observed = [m.get('ok') ?? 0, m.get('late') ?? 0];
      expect(observed[0] + observed[1]).toBeGreaterThan(500);
      const t = TRUE_TRANSITION[from];
      expect(chiSquareTest(observed, [t.ok, t.late]).pValue).toBeGreaterThan(ALPHA);
    }
  });

  it('writes the order invariants that hold on every row as rules, with the rows that checked them', () => {
    const checks = (t: string) => table(t).rules.map((r) => r.check);
    expect(checks('accounts')).toContain('opened > parent.signup');
    expect(checks('events')).toEqual(expect.arrayContaining(['time > prev.time', 'time > parent.opened']));
    const rows = table('events').rules.find((r) => r.check === 'time > parent.opened')!.rows;
    expect(rows).toBe(table('events').rows);
    // Not a rule: the tier says nothing about order, and signup is not before itself.
    expect(checks('customers')).toEqual([]);
  });

  it('emits YAML in the contract shape: parent, key, count, sequence, ref column, rules', () => {
    const yaml = relationalYaml(fit);
    const doc = parse(yaml) as { tables: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.tables)).toEqual(['customers', 'accounts', 'events']);
    expect(doc.tables.customers.rows).toBe(1500);
    expect(doc.tables.customers.key).toBe('customer_id');
    expect(doc.tables.accounts.rows).toBeUndefined();
    expect(doc.tables.accounts.parent).toEqual({ table: 'customers', column: 'customer_id' });
    expect(doc.tables.events.sequence).toEqual({ order: 'time' });
    const cols = doc.tables.events.columns as Record<string, { type: string }>;
    expect(Object.keys(cols)).toEqual(['event_id', 'account_id', 'time', 'state']);
    expect(cols.account_id).toEqual({ type: 'ref' });
    expect(cols.event_id.type).toBe('id');
    expect(doc.tables.events.count).toBeDefined();
    expect(yaml).toMatch(
      /# held on all \d+ real pairs of consecutive rows where its inputs are present\n\s+- \{ ?name: time_after_prev_time/,
    );
  });
});

describe('fitTables on a panel (--entity, --order)', () => {
  // 80 countries × 20 years; gdp is AR(1): gdp = 0.9 × prev.gdp + 10 + N(0, 2²); rows written shuffled.
  const s = streamFor(11, 'panel');
  const rows: [string, string, string][] = [];
  for (let c = 0; c < 80; c++) {
    let gdp = 60 + 60 * s.nextFloat();
    for (let y = 0; y < 20; y++) {
      if (y > 0) {
        const z = Math.sqrt(-2 * Math.log(s.nextOpen())) * Math.cos(2 * Math.PI * s.nextFloat());
        gdp = 0.9 * gdp + 10 + 2 * z;
      }
      rows.push([`C${c + 1}`, String(2000 + y), gdp.toFixed(2)]);
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = s.nextInt(i + 1);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const panel = {
    name: 'panel',
    columns: ['country', 'year', 'gdp'],
    rowCount: rows.length,
    data: [0, 1, 2].map((k) => rows.map((r) => r[k])),
  };
  const pf = fitTables([panel], {
    entity: 'country',
    orders: [{ table: 'panel', column: 'year' }],
    restarts: 2,
  });
  const t = pf.tables[0];
  const cols = t.columns as Record<string, Column>;

  it('keeps each entity’s steps: 20 rows, consecutive years from 2000', () => {
    expect(pf.spec.tables.panel.rows).toBe(80);
    expect(pf.spec.tables.panel.sequence).toEqual({ entity: 'country', order: 'year' });
    expect(t.count?.count.values).toEqual({ '20': 1 });
    expect(cols.country).toMatchObject({ type: 'id', prefix: 'C' });
    const year = cols.year.conditional!;
    expect(year.rows[0].dist).toEqual({ empirical: expect.objectContaining({ atoms: { '2000': 1 } }) });
    expect(year.default?.dist).toEqual({
      empirical: expect.objectContaining({ shift: 'prev.year', offsets: { '1': 1 }, continuous: 'offset' }),
    });
  });

  it('keeps the dynamics: gdp as an AR(1) step on prev.gdp with the true slope', () => {
    const gdp = cols.gdp;
    expect(gdp.given).toEqual(['index', 'prev.gdp']);
    const step = gdp.conditional!.default!.dist as {
      empirical: { shift: string; slope: number; knots: number[] };
    };
    expect(step.empirical.shift).toBe('prev.gdp');
    // 1,520 steps: the least-squares slope's standard error is about 0.01.
    expect(Math.abs(step.empirical.slope - 0.9)).toBeLessThan(0.05);
    const k = step.empirical.knots;
    expect(k[Math.floor(k.length / 2)]).toBeGreaterThan(4);
    expect(k[Math.floor(k.length / 2)]).toBeLessThan(16);
  });

  it('needs a single table and a real column for --entity', () => {
    expect(() => fitTables(truth, { entity: 'segment' })).toThrow(/single table/);
    expect(() => fitTables([panel], { entity: 'contry' })).toThrow(/no column "contry"/);
  });
});

describe('fitTables on a panel with a few-valued integer status', () => {
  // 200 entities × 8 steps; status in 0…14 stays with probability 0.8, else jumps uniformly.
  const s = streamFor(5, 'status-panel');
  const data: string[][] = [[], [], []];
  for (let e = 0; e < 200; e++) {
    let status = s.nextInt(15);
    for (let t = 0; t < 8; t++) {
      if (t > 0 && s.nextFloat() >= 0.8) status = s.nextInt(15);
      data[0].push(`E${e}`);
      data[1].push(String(t));
      data[2].push(String(status));
    }
  }
  const pf = fitTables([{ name: 'p', columns: ['entity', 'step', 'status'], rowCount: 1600, data }], {
    entity: 'entity',
    orders: [{ table: 'p', column: 'step' }],
    restarts: 2,
  });

  it('fits an order column that is the position itself (an identity of index, in no tier)', () => {
    // Before: the identity step = index left "step" in the context/own tiers: fit.knowledge_column.
    expect(pf.tables[0].columns.step).toMatchObject({ expr: expect.stringContaining('index') });
  });

  it('learns the status as a table given prev.status, not as an AR(1) level', () => {
    const status = pf.tables[0].columns.status as Column;
    expect(status.given).toContain('prev.status');
    expect(JSON.stringify(status)).not.toContain('"shift"');
  });
});
