/**
 * Panels (`sequence: { entity }`, spec/panels.ts): a hand-written panel generates its entities with
 * their count law, rows in order under prev.* rules, the entity id filled and gapless, the same
 * bytes on 1, 2 and 3 workers; and a panel fitted with `--entity --order` generates rows that keep
 * the real panel's shape (rows per entity, consecutive steps, state persistence, AR dynamics).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitTablesFiles } from '../fit/relational-file.js';
import type { Value } from '../model/values.js';
import type { SpecError } from '../spec/issues.js';
import { loadSpec, parseSpecText } from '../spec/parse.js';
import { generateTables, generateTablesInMemory } from './generate-tables.js';

const dirs: string[] = [];
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), 'strata-panel-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const PANEL = `
strata: 1
seed: 3
tables:
  visits:
    rows: 2500
    count: { dist: { poisson: { lambda: 4 } }, max: 9 }
    sequence: { entity: patient, order: day }
    columns:
      patient: { type: id, start: 1, prefix: P }
      day: { type: integer, dist: { normal: { mean: "coalesce(prev.day, 0) + 30", sd: 20 } } }
      stage: { type: integer, dist: { normal: { mean: "coalesce(prev.stage, 1)", sd: 1 } }, min: 1, max: 5 }
    rules:
      - { name: days_apart, check: "day >= prev.day + 7" }
      - { name: never_better, check: "stage >= prev.stage" }
`;

type Tables = Awaited<ReturnType<typeof generateTablesInMemory>>;
const col = (t: Tables, table: string, name: string): Value[] => {
  const x = t.get(table)!;
  return x.values[x.columns.indexOf(name)];
};

/** Rows of each entity, in output order; fails unless each entity's rows are contiguous. */
function groups(ids: readonly Value[]): Map<Value, number[]> {
  const out = new Map<Value, number[]>();
  ids.forEach((id, i) => {
    const g = out.get(id);
    if (g && g[g.length - 1] !== i - 1) throw new Error(`rows of ${String(id)} are not contiguous`);
    if (g) g.push(i);
    else out.set(id, [i]);
  });
  return out;
}

describe('a hand-written panel', async () => {
  const { spec } = parseSpecText(PANEL, 'panel.yaml');
  const t = await generateTablesInMemory({ spec });

  it('writes only the panel table, with the entity id filled, gapless, each entity at least once', () => {
    expect([...t.keys()]).toEqual(['visits']);
    expect(t.get('visits')!.columns).toEqual(['patient', 'day', 'stage']);
    const g = groups(col(t, 'visits', 'patient'));
    expect([...g.keys()]).toEqual(Array.from({ length: 2500 }, (_, i) => `P${i + 1}`));
  });

  it('draws rows per entity from the count law (Poisson(4) truncated to 1..9)', () => {
    const sizes = [...groups(col(t, 'visits', 'patient')).values()].map((r) => r.length);
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(9);
    // Mean of Poisson(4) given 1 ≤ k ≤ 9: Σ k p(k) / Σ p(k) = 4.047.
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(Math.abs(mean - 4.047)).toBeLessThan(0.12);
  });

  it('holds the rules across time on every row (bounds on the draw, no entity dropped)', () => {
    const day = col(t, 'visits', 'day') as number[];
    const stage = col(t, 'visits', 'stage') as number[];
    let steps = 0;
    for (const rows of groups(col(t, 'visits', 'patient')).values()) {
      for (let j = 1; j < rows.length; j++) {
        steps++;
        expect(day[rows[j]]).toBeGreaterThanOrEqual(day[rows[j - 1]] + 7);
        expect(stage[rows[j]]).toBeGreaterThanOrEqual(stage[rows[j - 1]]);
      }
    }
    expect(steps).toBeGreaterThan(5000);
  });

  it('writes the same bytes on 1, 2 and 3 workers', { timeout: 120_000 }, async () => {
    const outs = [scratch(), scratch(), scratch()];
    for (const [k, dir] of outs.entries()) await generateTables({ spec, dir, workers: k + 1 });
    expect(readdirSync(outs[0])).toEqual(['visits.csv']);
    const one = readFileSync(join(outs[0], 'visits.csv'));
    expect(readFileSync(join(outs[1], 'visits.csv')).equals(one)).toBe(true);
    expect(readFileSync(join(outs[2], 'visits.csv')).equals(one)).toBe(true);
  });

  it('refuses an entity that is not an id column, or a panel with a parent', () => {
    const bad = (text: string) => {
      try {
        parseSpecText(text, 'p.yaml');
      } catch (e) {
        return (e as SpecError).issues.map((i) => `${i.code} ${i.message} — ${i.hint}`).join('\n');
      }
      return '';
    };
    expect(
      bad(
        PANEL.replace(
          '{ type: id, start: 1, prefix: P }',
          '{ type: integer, dist: { uniform: { min: 1, max: 9 } } }',
        ),
      ),
    ).toMatch(/spec\.bad_sequence .*"patient" is declared as integer.*type: id/);
    expect(bad(PANEL.replace('entity: patient', 'entity: patien'))).toMatch(/did you mean "patient"/);
    const withParent = PANEL.replace(
      'tables:\n  visits:\n    rows: 2500',
      'tables:\n  clinics:\n    rows: 5\n    columns: { clinic: { type: id } }\n  visits:\n    parent: clinics',
    );
    expect(bad(withParent)).toMatch(/spec\.bad_sequence sequence entity is for a panel .* has a parent/);
    expect(bad(PANEL.replace('sequence: { entity: patient, order: day }', 'sequence: {}'))).toMatch(
      /spec\.bad_sequence sequence names neither order nor entity/,
    );
  });
});

describe('a panel fitted with --entity --order generates like the real panel', async () => {
  // 600 customers, 3–6 months each: a sticky status (Markov), a bill growing ~5% a month plus noise.
  const dir = scratch();
  const lines = ['id,month,status,bill'];
  let s = 0x2545f491;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const realSizes: number[] = [];
  for (let e = 0; e < 600; e++) {
    const n = 3 + Math.floor(rnd() * 4);
    realSizes.push(n);
    let status = rnd() < 0.7 ? 'paid' : 'late';
    let bill = Math.round(500 + rnd() * 4000);
    for (let m = 1; m <= n; m++) {
      lines.push(`C${100 + e},${m},${status},${bill}`);
      if (rnd() < 0.15) status = status === 'paid' ? 'late' : 'paid';
      bill = Math.round(bill * 1.05 + (rnd() - 0.5) * 200);
    }
  }
  writeFileSync(join(dir, 'long.csv'), `${lines.join('\n')}\n`);
  const out = join(dir, 'model.yaml');
  await fitTablesFiles([join(dir, 'long.csv')], {
    out,
    entity: 'id',
    orders: [{ table: 'long', column: 'month' }],
  });
  const { spec } = await loadSpec(out);
  const t = await generateTablesInMemory({ spec, rows: 3000, seed: 11 });
  const ids = col(t, 'long', 'id');
  const g = groups(ids);
  const month = col(t, 'long', 'month') as number[];
  const status = col(t, 'long', 'status');
  const bill = col(t, 'long', 'bill') as number[];

  it('has every entity, gapless from the real ids’ style, with the real rows-per-entity law', () => {
    expect(spec.tables.long.sequence).toEqual({ entity: 'id', order: 'month' });
    expect([...g.keys()]).toEqual(Array.from({ length: 3000 }, (_, i) => `C${100 + i}`));
    const tvd = (a: number[], b: number[]) => {
      const keys = new Set([...a, ...b]);
      let d = 0;
      for (const k of keys)
        d += Math.abs(
          a.filter((x) => x === k).length / a.length - b.filter((x) => x === k).length / b.length,
        );
      return d / 2;
    };
    const synthSizes = [...g.values()].map((r) => r.length);
    expect(1 - tvd(realSizes, synthSizes)).toBeGreaterThan(0.95);
  });

  it('keeps the order (months 1, 2, 3 … within each entity)', () => {
    let ok = 0;
    let all = 0;
    for (const rows of g.values())
      rows.forEach((r, j) => {
        all++;
        if (month[r] === j + 1) ok++;
      });
    expect(ok / all).toBeGreaterThan(0.97);
  });

  it('keeps the dynamics: status persistence and the bill’s month-to-month growth', () => {
    let same = 0;
    let steps = 0;
    const ratios: number[] = [];
    for (const rows of g.values())
      for (let j = 1; j < rows.length; j++) {
        steps++;
        if (status[rows[j]] === status[rows[j - 1]]) same++;
        ratios.push(bill[rows[j]] / bill[rows[j - 1]]);
      }
    // Real: the status stays with probability 0.85; a row-independent draw would give ~0.58.
    expect(Math.abs(same / steps - 0.85)).toBeLessThan(0.04);
    ratios.sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)];
    expect(Math.abs(median - 1.05)).toBeLessThan(0.03);
  });
});
