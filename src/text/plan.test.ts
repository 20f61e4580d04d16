import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { complete, coveringArray } from '../coverage/covering.js';
import { compilePlan } from '../coverage/plan.js';
import type { StrataError } from '../errors.js';
import { streamFor } from '../random/stream.js';
import { type CellQuota, legacyKeyNotices } from '../spec/plan-vocabulary.js';
import type { Column } from '../spec/schema.js';
import { generateFromPlan } from './generate.js';
import { buildPlan, expandPersonas, formatPlan, MAX_PERSONAS, personaCount } from './plan.js';
import { parsePlanSpec } from './plan-load.js';
import { type PlanInput, PlanSpec } from './plan-schema.js';

const spec = (p: PlanInput) => PlanSpec.parse(p);

describe('plan cells', () => {
  it('builds the full product minus forbidden cells (map and expression forbids)', () => {
    const plan = buildPlan(
      spec({
        axes: { intent: ['lost_card', 'fees', 'transfer'], tone: ['calm', 'angry'], risk: ['none', 'fraud'] },
        forbid: [{ intent: 'fees', risk: 'fraud' }, "tone == 'calm' and risk == 'fraud'"],
        min_per_cell: 3,
        cells: [{ when: { intent: 'lost_card' }, min: 7 }],
      }),
    );
    expect(plan.mode).toBe('full');
    expect(plan.product).toBe(12);
    // fees×fraud (2 tones) and calm×fraud (3 intents) overlap in fees×calm×fraud: 2 + 3 − 1 = 4
    expect(plan.forbidden).toBe(4);
    expect(plan.cells).toHaveLength(8);
    for (const c of plan.cells) {
      expect(c.cell.intent === 'fees' && c.cell.risk === 'fraud').toBe(false);
      expect(c.cell.tone === 'calm' && c.cell.risk === 'fraud').toBe(false);
      expect(c.quota).toBe(c.cell.intent === 'lost_card' ? 7 : 3);
    }
    expect(plan.total_quota).toBe(plan.cells.reduce((s, c) => s + c.quota, 0));
    expect(formatPlan(plan)).toContain('quota');
  });

  it('errors name the forbid path and list the axes', () => {
    expect(() => buildPlan(spec({ axes: { intent: ['a'] }, forbid: [{ intnet: 'a' }] }))).toThrow(/intnet/);
    try {
      buildPlan(spec({ axes: { intent: ['a'] }, forbid: ["intnet == 'a'"] }));
      expect.unreachable();
    } catch (e) {
      expect((e as { format(): string }).format()).toMatch(/forbid\[0\].*intnet.*axes are: intent/);
    }
  });

  it('expands personas from seeds × attributes and samples a seeded subset', () => {
    const p = { axis: 'persona', seeds: ['student', 'retiree'], attributes: { tech: ['novice', 'expert'] } };
    expect(expandPersonas(p, 1)).toEqual([
      'student (tech: novice)',
      'student (tech: expert)',
      'retiree (tech: novice)',
      'retiree (tech: expert)',
    ]);
    const a = expandPersonas({ ...p, count: 2 }, 5);
    expect(a).toHaveLength(2);
    expect(expandPersonas({ ...p, count: 2 }, 5)).toEqual(a);
    const plan = buildPlan(spec({ axes: { intent: ['x', 'y'] }, personas: p }));
    expect(plan.cells).toHaveLength(8);
  });

  it('raises quotas where the real log is thin', () => {
    const labels = [...Array(10).fill('common'), ...Array(2).fill('rare')];
    const plan = buildPlan(
      spec({
        axes: { intent: ['common', 'rare', 'absent'], tone: ['a', 'b'] },
        min_per_cell: 1,
        real: { path: 'x.csv', label_field: 'category', axis: 'intent' },
      }),
      labels,
    );
    const q = (i: string) => plan.cells.filter((c) => c.cell.intent === i).map((c) => c.quota);
    expect(q('common')).toEqual([1, 1]); // at target already
    expect(q('rare')).toEqual([4, 4]); // (10 − 2) / 2 cells
    expect(q('absent')).toEqual([5, 5]);
    expect(plan.cells.find((c) => c.cell.intent === 'rare')?.real_count).toBe(2);
  });
});

describe('t-wise covering arrays', () => {
  /** Every t-tuple with a valid completion is in some row; no row violates the constraint. */
  function checkCover(sizes: number[], t: number, allowed: (r: Int32Array) => boolean) {
    const res = coveringArray(sizes, t, allowed);
    for (const r of res.rows) expect(allowed(r)).toBe(true);
    const n = sizes.length;
    const combos: number[][] = [];
    const rec = (start: number, cur: number[]) => {
      if (cur.length === Math.min(t, n)) return void combos.push([...cur]);
      for (let i = start; i < n; i++) rec(i + 1, [...cur, i]);
    };
    rec(0, []);
    let feasible = 0;
    for (const c of combos) {
      const radix = c.reduce((m, a) => m * sizes[a], 1);
      for (let code = 0; code < radix; code++) {
        const row = new Int32Array(n).fill(-1);
        let x = code;
        for (let i = c.length - 1; i >= 0; i--) {
          row[c[i]] = x % sizes[c[i]];
          x = Math.floor(x / sizes[c[i]]);
        }
        const canComplete = complete(row, sizes, allowed) !== null;
        const covered = res.rows.some((r) => c.every((a) => r[a] === row[a]));
        expect(covered).toBe(canComplete);
        if (canComplete) feasible++;
      }
    }
    expect(res.tuples).toBe(feasible);
    return res;
  }

  it('covers every pair and triple exhaustively on small random cases with constraints', () => {
    for (let k = 0; k < 25; k++) {
      const st = streamFor(3, 'cover', k);
      const n = 2 + st.nextInt(4);
      const sizes = Array.from({ length: n }, () => 1 + st.nextInt(4));
      // forbid a few random pairs (checked only when both axes are assigned)
      const bans = Array.from({ length: st.nextInt(4) }, () => {
        const a = st.nextInt(n);
        const b = (a + 1 + st.nextInt(n - 1)) % n;
        return [a, st.nextInt(sizes[a]), b, st.nextInt(sizes[b])];
      });
      const allowed = (r: Int32Array) => !bans.some(([a, va, b, vb]) => r[a] === va && r[b] === vb);
      checkCover(sizes, 2, allowed);
      if (n >= 3) checkCover(sizes, 3, allowed);
    }
  });

  it('is much smaller than the full product for many axes', () => {
    const sizes = [5, 5, 5, 5, 5, 5];
    const res = checkCover(sizes, 2, () => true);
    expect(res.rows.length).toBeLessThan(45); // product is 15,625; optimum is 25
    expect(res.rows.length).toBeGreaterThanOrEqual(25);
  });

  it('plans switch to pairwise when the product exceeds max_cells', () => {
    const plan = buildPlan(
      spec({
        axes: {
          a: ['1', '2', '3', '4'],
          b: ['1', '2', '3', '4'],
          c: ['1', '2', '3', '4'],
          d: ['1', '2', '3'],
        },
        max_cells: 50,
        forbid: [{ a: '1', b: '1' }],
      }),
    );
    expect(plan.mode).toBe('t-wise');
    expect(plan.strength).toBe(2);
    expect(plan.cells.length).toBeLessThan(50);
    expect(plan.cells.some((c) => c.cell.a === '1' && c.cell.b === '1')).toBe(false);
    expect(plan.infeasible_tuples).toBe(1);
  });
});

describe('one plan vocabulary with tabular coverage', () => {
  // Written once, read by both plan kinds (no type annotation: it must fit both schemas).
  const newKeys = {
    axes: { intent: ['lost', 'fees', 'pin'], tone: ['calm', 'angry'], risk: ['none', 'fraud'] },
    min_per_cell: 3,
    cells: [
      { when: { intent: 'lost' }, min: 7 },
      { when: { intent: 'lost', tone: 'angry' }, min: 2 },
    ] as CellQuota[],
    forbid: [{ intent: 'fees', risk: 'fraud' }],
    require: ["tone == 'angry' or risk == 'none'"],
  };

  it('old text keys (quota, quotas, cover) build exactly the plan the shared keys build', () => {
    const old = spec({
      axes: newKeys.axes,
      quota: 3,
      quotas: [
        { when: { intent: 'lost' }, n: 7 },
        { when: { intent: 'lost', tone: 'angry' }, n: 2 },
      ],
      forbid: newKeys.forbid,
      require: newKeys.require,
    });
    expect(buildPlan(old)).toEqual(buildPlan(spec(newKeys)));
    for (const t of [1, 2, 3] as const) {
      const viaCover = buildPlan(spec({ ...newKeys, cover: { strength: t } }));
      const viaStrategy = buildPlan(
        spec({ ...newKeys, strategy: (['1-wise', 'pairwise', '3-wise'] as const)[t - 1] }),
      );
      expect(viaCover).toEqual(viaStrategy);
      expect(viaCover.strength).toBe(t);
    }
    expect(() => parsePlanSpec({ ...newKeys, quota: 2 })).toThrow(
      /"quota" is the old name of "min_per_cell"/,
    );
    expect(legacyKeyNotices({ quota: 1, cover: {} }).map((n) => n.key)).toEqual(['quota', 'cover']);
  });

  it('the list form of axes builds the plan the map form builds', () => {
    const list = spec({
      ...newKeys,
      axes: [
        { name: 'intent', values: ['lost', 'fees', 'pin'] },
        { name: 'tone', values: ['calm', 'angry'] },
        { name: 'risk', values: ['none', 'fraud'] },
      ],
    });
    expect(buildPlan(list)).toEqual(buildPlan(spec(newKeys)));
    expect(() =>
      parsePlanSpec({
        axes: [
          { name: 'a', values: [1] },
          { name: 'a', values: [2] },
        ],
      }),
    ).toThrow(/two axes are named "a"/);
  });

  it('a tabular plan and a text plan with the same keys have the same cells and quotas', () => {
    const columns: Record<string, Column> = {
      intent: { type: 'category', values: ['lost', 'fees', 'pin'] },
      tone: { type: 'category', values: ['calm', 'angry'] },
      risk: { type: 'category', values: ['none', 'fraud'] },
    };
    const columnIndex = new Map(Object.keys(columns).map((k, i) => [k, i] as [string, number]));
    for (const strategy of [undefined, 'pairwise', '3-wise'] as const) {
      const shared = { ...newKeys, ...(strategy ? { strategy } : {}) };
      const tabular = compilePlan(shared, columns, { table: 't', columnIndex });
      const text = buildPlan(spec(shared));
      expect(text.cells.map((c) => [c.key, c.quota])).toEqual(tabular.cells.map((c) => [c.key, c.min]));
      expect(text.forbidden).toBe(tabular.forbidden.length);
    }
  });

  it('the old-key example plan still loads (with a notice naming the line) and generates the same texts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-vocab-'));
    const example = resolve(import.meta.dirname, '../../examples/text');
    const current = readFileSync(join(example, 'banking77.plan.yaml'), 'utf8');
    expect(current).toMatch(/^min_per_cell: 3$/m);
    copyFileSync(join(example, 'banking77.templates.yaml'), join(dir, 'banking77.templates.yaml'));
    const oldPlan = join(dir, 'old-keys.plan.yaml');
    writeFileSync(oldPlan, current.replace(/^min_per_cell: 3$/m, 'quota: 3'));
    const notices: string[] = [];
    const a = await generateFromPlan(oldPlan, join(dir, 'old.jsonl'), { onNotice: (m) => notices.push(m) });
    const b = await generateFromPlan(join(example, 'banking77.plan.yaml'), join(dir, 'new.jsonl'), {
      onNotice: (m) => notices.push(m),
    });
    expect(notices).toEqual([
      expect.stringMatching(/old-keys\.plan\.yaml:12: "quota" is deprecated.*min_per_cell/),
    ]);
    expect(readFileSync(join(dir, 'old.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'new.jsonl'), 'utf8'));
    expect(a.records).toHaveLength(90);
    expect(b.records).toHaveLength(90);
  });
});

describe('persona expansion is counted before it is expanded', () => {
  const wide = {
    axis: 'persona',
    seeds: ['a', 'b', 'c', 'd'],
    attributes: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, ['x', 'y', 'z']])),
  };

  it('refuses a space over the limit with its count, at once', () => {
    const t0 = performance.now();
    try {
      expandPersonas(wide, 1);
      expect.unreachable();
    } catch (e) {
      expect((e as StrataError).code).toBe('text.plan_personas');
      expect((e as StrataError).format()).toMatch(
        new RegExp(
          `13947137604 personas \\(4 seeds × 3 k0 × .*\\), more than ${MAX_PERSONAS}.*personas\\.count`,
        ),
      );
    }
    expect(performance.now() - t0).toBeLessThan(500);
    expect(personaCount(wide)).toBe(4 * 3 ** 20);
  });

  it('with count, samples that many from the space without listing it, deterministically', () => {
    const t0 = performance.now();
    const a = expandPersonas({ ...wide, count: 500 }, 1);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(a).toHaveLength(500);
    expect(new Set(a).size).toBe(500);
    expect(expandPersonas({ ...wide, count: 500 }, 1)).toEqual(a);
    expect(a[0]).toMatch(/^[abcd] \(k0: [xyz], k1: [xyz], .*k19: [xyz]\)$/);
    expect(() => expandPersonas({ ...wide, count: MAX_PERSONAS + 1 }, 1)).toThrow(/more than 10000/);
  });
});
