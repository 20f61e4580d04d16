import { describe, expect, it } from 'vitest';
import { complete, coveringArray } from '../coverage/covering.js';
import { streamFor } from '../random/stream.js';
import { buildPlan, expandPersonas, formatPlan } from './plan.js';
import { type PlanInput, PlanSpec } from './plan-schema.js';

const spec = (p: PlanInput) => PlanSpec.parse(p);

describe('plan cells', () => {
  it('builds the full product minus forbidden cells (map and expression forbids)', () => {
    const plan = buildPlan(
      spec({
        axes: { intent: ['lost_card', 'fees', 'transfer'], tone: ['calm', 'angry'], risk: ['none', 'fraud'] },
        forbid: [{ intent: 'fees', risk: 'fraud' }, "tone == 'calm' and risk == 'fraud'"],
        quota: 3,
        quotas: [{ when: { intent: 'lost_card' }, n: 7 }],
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
        quota: 1,
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
