import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { inferTable } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { generateRows } from '../sample/index.js';
import { encodeColumn, isModelled } from './encode.js';
import { fitTable } from './fit.js';
import { MechanismStats } from './mechanism-score.js';
import { chooseSmoothing, SMOOTHING_GRID } from './smoothing.js';

/**
 * A planted table like Adult's native_country: `country` has 30 values (Zipf: a few common, many
 * rare), depends mildly on `group` (3 states), and strongly on `school` (12 states) only where
 * school is s0 or s1 (half of those rows come from c5, 4% elsewhere). With 2 pseudo-rows per
 * state a table given (group, school) spreads the rare countries' held-out rows over thin cells
 * and predicts worse than without school; smoothed as held-out likelihood chooses, it predicts
 * better, so the structure search can take school.
 */
function planted(n: number, seed: number): RawColumns {
  const s = streamFor(seed, 'planted-smoothing');
  const zipf = Array.from({ length: 30 }, (_, k) => 1 / (k + 1));
  const draw = (w: readonly number[]) => {
    const t = w.reduce((a, b) => a + b, 0);
    let u = s.nextFloat() * t;
    for (let k = 0; k < w.length; k++) {
      u -= w[k];
      if (u < 0) return k;
    }
    return w.length - 1;
  };
  const group: string[] = [];
  const school: string[] = [];
  const country: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = s.nextInt(3);
    const e = s.nextInt(12);
    const base = zipf.map((w, k) => (k % 3 === g ? 2 * w : w));
    const c = e < 2 && s.nextFloat() < 0.5 ? 5 : draw(base);
    group.push(`g${g}`);
    school.push(`s${e}`);
    country.push(`c${c}`);
  }
  return {
    name: 'planted',
    columns: ['group', 'school', 'country'],
    rowCount: n,
    data: [group, school, country],
  };
}

const raw = planted(6000, 3);
const nodes = inferTable(raw).columns.map((info, i) => {
  expect(isModelled(info)).toBe(true);
  return encodeColumn(info, raw.data[i], { minCount: 5, maxBins: 8 });
});
const [G, S, C] = [0, 1, 2];

describe('table smoothing chosen held out (smoothing.ts)', () => {
  it('smooths a many-valued child more than 2 pseudo-rows, and a near-function of its parent not at all', () => {
    expect(chooseSmoothing(nodes[C], [nodes[G], nodes[S]], 5).smoothing).toBeGreaterThan(SMOOTHING_GRID[0]);
    // school read back from a copy of itself: any smoothing only blurs it
    expect(chooseSmoothing(nodes[S], [nodes[S], nodes[G]], 5).smoothing).toBe(SMOOTHING_GRID[0]);
  });

  it('scores the planted parent as a gain only with the smoothing the table is written with', () => {
    const opts = { minCount: 5, minLeaf: 20, treeChild: () => false, perParent: 0.002 };
    const fixed = new MechanismStats(nodes, opts);
    const heldOut = new MechanismStats(nodes, { ...opts, heldOutSmoothing: true });
    // with 2 pseudo-rows, school does not pay for its cells held out
    expect(fixed.perRow(C, [G, S]) - fixed.perRow(C, [G])).toBeLessThan(0.002);
    expect(heldOut.perRow(C, [G, S]) - heldOut.perRow(C, [G])).toBeGreaterThan(0.002);
  });

  it('fit takes school as a parent of country and generates its c5 spike', async () => {
    const knowledge = { required: [], forbidden: [], tiers: [['group', 'school'], ['country']], roots: [] };
    const base = { seed: 1, knowledge, residualEdges: 0, fidelityPenalty: null, restarts: 2 } as const;
    const before = fitTable(raw, base);
    expect(before.columns.find((c) => c.name === 'country')?.parents).not.toContain('school');
    const fit = fitTable(raw, { ...base, tableSmoothing: 'held-out', tablePass: true });
    const country = fit.columns.find((c) => c.name === 'country');
    expect(country?.parents).toContain('school');
    expect(country?.summary).toMatch(/smoothed by \d+ rows of its back-off/);
    const g = await generateRows({ spec: fit.spec, rows: 20_000, seed: 5 });
    const sc = g.data[g.columns.indexOf('school')];
    const cc = g.data[g.columns.indexOf('country')];
    let low = 0;
    let spike = 0;
    for (let i = 0; i < g.rows; i++)
      if (sc[i] === 's0' || sc[i] === 's1') {
        low++;
        if (cc[i] === 'c5') spike++;
      }
    // planted: 0.5 + 0.5 × P(c5 | Zipf) ≈ 0.52
    expect(spike / low).toBeGreaterThan(0.45);
  });
});
