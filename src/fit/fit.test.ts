import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { parseSpecText } from '../spec/index.js';
import type { EmpiricalParams, Spec } from '../spec/schema.js';
import { type FitOptions, fitTable } from './fit.js';
import { parsePartialSpec } from './partial.js';
import { sampleTruth, skeleton, TRUE_EDGES } from './testing/truth.js';

const truth20k = sampleTruth(20_000, 1);

describe('fitTable on a known ground-truth network', () => {
  const r = fitTable(truth20k, { seed: 3 });

  it('recovers the true skeleton from 20k rows', () => {
    const strong = r.edges.filter((e) => !e.weak);
    expect(skeleton(strong.map((e) => [e.from, e.to]))).toEqual(skeleton(TRUE_EDGES));
  });

  it('adds weak (fidelity) edges only on top of the strong graph, and marks them', () => {
    const pure = fitTable(truth20k, { seed: 3, fidelityPenalty: null });
    expect(pure.edges.every((e) => !e.weak)).toBe(true);
    const strongKeys = r.edges.filter((e) => !e.weak).map((e) => `${e.from}>${e.to}`);
    expect(pure.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(strongKeys.sort());
    for (const e of r.edges.filter((x) => x.weak)) {
      expect(r.mermaid).toMatch(/-\.->/);
      expect(r.spec.fit?.edges).toContain(`${e.from} -> ${e.to} (weak)`);
    }
  });

  it('writes a spec that validates, keeps the column order and names the table after the data', () => {
    const loaded = parseSpecText(r.yaml, 'model.yaml');
    expect(Object.keys(loaded.spec.tables)).toEqual(['truth']);
    expect(Object.keys(loaded.spec.tables.truth.columns)).toEqual(truth20k.columns);
    expect(loaded.spec.fit?.rows).toBe(20_000);
    expect(r.yaml).toMatch(/^# Strata model learned from/);
    expect(r.yaml).toMatch(/# \d+ values \(/); // per-column comments
    expect(r.mermaid.split('\n')[0]).toBe('graph TD');
    expect(r.dot).toMatch(/"region" -> "plan"|"plan" -> "region"/);
  });

  it('learns the conditional table of plan given region close to the truth', () => {
    const plan = r.spec.tables.truth.columns.plan;
    const table = plan.conditional ?? r.spec.tables.truth.columns.region.conditional;
    expect(table).toBeDefined();
    if (plan.conditional) {
      const north = plan.conditional.rows.find((row) => row.when[0] === 'north');
      const values = north?.values as Record<string, number>;
      expect(values.basic).toBeCloseTo(0.7, 1);
      expect(values.max).toBeCloseTo(0.1, 1);
    }
  });

  it('keeps integer-ness, decimals and exact bounds', () => {
    const cols = r.spec.tables.truth.columns;
    const ages = truth20k.data[1].map(Number);
    expect(cols.age.type).toBe('integer');
    expect(cols.age.min).toBe(Math.min(...ages));
    expect(cols.age.max).toBe(Math.max(...ages));
    expect(cols.spend.type).toBe('number');
    expect(cols.spend.decimals).toBe(2);
  });

  it('gives the target more parents when asked', () => {
    const t = fitTable(truth20k, { target: 'churn', maxParents: 1 });
    const churn = t.columns.find((c) => c.name === 'churn')!;
    expect(churn.parents.length).toBeGreaterThanOrEqual(2);
    for (const c of t.columns) if (c.name !== 'churn') expect(c.parents.length).toBeLessThanOrEqual(1);
  });
});

/** A small table with a point mass, missing values conditional on a parent, and rare values. */
function messyTable(n: number): RawColumns {
  const s = streamFor(11, 'messy');
  const group: (string | null)[] = [];
  const gain: (string | null)[] = [];
  const city: (string | null)[] = [];
  const note: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const g = s.nextFloat() < 0.5 ? 'A' : 'B';
    group.push(g);
    // 90% zeros; continuous part 100..5000; missing 20% in B, 0% in A.
    if (g === 'B' && s.nextFloat() < 0.2) gain.push(null);
    else gain.push(s.nextFloat() < 0.9 ? '0' : String(100 + s.nextInt(4901)));
    // Frequent cities plus unique ones that identify a single row.
    city.push(i % 97 === 0 ? `Rareville-${i}` : ['Paris', 'Lyon', 'Nice'][s.nextInt(3)]);
    note.push(`free text written by person number ${i} about their visit to the office`);
  }
  return {
    name: 'messy',
    columns: ['group', 'gain', 'city', 'note'],
    rowCount: n,
    data: [group, gain, city, note],
  };
}

describe('fitTable on messy data', () => {
  const raw = messyTable(4000);
  const r = fitTable(raw, {
    knowledge: { required: [['group', 'gain']], forbidden: [], tiers: [], roots: [] },
  });
  const cols = r.spec.tables.messy.columns;

  it('keeps the point mass and the continuous range', () => {
    const def = cols.gain.conditional?.default?.dist;
    expect(def && 'empirical' in def).toBe(true);
    if (def && 'empirical' in def) {
      const e = def.empirical as EmpiricalParams;
      expect(e.atoms?.['0']).toBeGreaterThan(0.85);
      expect(e.knots[0]).toBeGreaterThanOrEqual(100);
      expect(e.knots.at(-1)).toBeLessThanOrEqual(5000);
    }
    expect(r.columns.find((c) => c.name === 'gain')?.summary).toMatch(/zeros; continuous part/);
  });

  it('models missing values conditional on the parent', () => {
    const rows = cols.gain.conditional!.rows;
    const a = rows.find((row) => row.when[0] === 'A')!;
    const b = rows.find((row) => row.when[0] === 'B')!;
    expect(a.missing).toBe(0);
    expect(b.missing).toBeGreaterThan(0.15);
    expect(b.missing).toBeLessThan(0.25);
  });

  it('never writes a rare value or a raw row into the model file', () => {
    expect(r.yaml).not.toMatch(/Rareville/);
    expect(r.yaml).toContain('(other)');
    // the note's text law: words every note shares, never a whole note or a number only one note has
    expect(cols.note).toMatchObject({ type: 'string', text: { unit: 'word' } });
    expect(r.yaml).not.toMatch(/person number \d+ about/);
    const units = cols.note.text!.states.flatMap((s) => [s.after, ...s.next]);
    expect(units.filter((u) => /\d/.test(u))).toEqual([]);
    // No table row is learned from fewer than k real rows.
    for (const col of Object.values(cols))
      for (const row of col.conditional?.rows ?? []) expect(row.n ?? 0).toBeGreaterThanOrEqual(5);
  });

  it('rare values are pooled at the chosen threshold', () => {
    const loose = fitTable(raw, { minCount: 1 });
    expect(loose.yaml).toMatch(/Rareville/);
  });
});

describe('fit from a partial hand-written spec', () => {
  const partial: Spec = parsePartialSpec(
    `strata: 1
name: churn-model
tables:
  truth:
    columns:
      colour: { type: category, values: { red: 0.5, green: 0.3, blue: 0.2 }, description: hand }
      calls: { type: integer, given: [plan] }
      score: { type: derived, expr: "calls * 2" }
    rules:
      - { name: calls_positive, check: "calls >= 0" }
`,
    'partial.yaml',
  );
  const r = fitTable(sampleTruth(3000, 2), { from: partial });
  const cols = r.spec.tables.truth.columns;

  it('keeps hand-written columns and rules verbatim', () => {
    expect(cols.colour).toEqual(partial.tables.truth.columns.colour);
    expect(cols.score).toEqual(partial.tables.truth.columns.score);
    expect(r.spec.tables.truth.rules).toEqual(partial.tables.truth.rules);
    expect(r.spec.name).toBe('churn-model');
  });

  it('still rejects real mistakes in the partial spec', () => {
    expect(() =>
      parsePartialSpec('strata: 1\ntables:\n  t:\n    columns:\n      a: { type: integr }\n', 'p.yaml'),
    ).toThrow(/problem/);
  });

  it('learns only the missing parts, with the hand-written parents', () => {
    expect(cols.calls.given).toEqual(['plan']);
    expect(cols.calls.conditional?.parents.map((p) => p.column)).toEqual(['plan']);
    expect(r.columns.find((c) => c.name === 'colour')?.origin).toBe('hand-written');
    expect(r.edges.filter((e) => e.to === 'colour')).toEqual([]);
    parseSpecText(r.yaml, 'fitted.yaml');
  });
});

describe('differential privacy', () => {
  const raw = sampleTruth(5000, 4);
  const probOf = (epsilon: number, seed: number): number => {
    const r = fitTable(raw, {
      epsilon,
      seed,
      knowledge: { required: [], forbidden: [], tiers: [], roots: ['colour'] },
    });
    const colour = r.spec.tables.truth.columns.colour;
    const values = (colour.values ?? colour.conditional?.default?.values) as Record<string, number>;
    return values.red;
  };
  const spread = (epsilon: number): number => {
    const xs = Array.from({ length: 12 }, (_, i) => probOf(epsilon, i + 1));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  };

  it('noise spread scales with 1/epsilon and the budget is recorded', () => {
    const wide = spread(0.2);
    const narrow = spread(2);
    expect(wide / narrow).toBeGreaterThan(4);
    expect(wide / narrow).toBeLessThan(25);
    const r = fitTable(raw, { epsilon: 1 });
    expect(r.spec.fit?.epsilon).toBe(1);
    expect(r.spec.fit?.epsilon_split).toMatchObject({ structure: 0.3, parameters: 0.7 });
    parseSpecText(r.yaml, 'dp.yaml');
  });

  it('rejects a non-positive epsilon with a hint', () => {
    expect(() => fitTable(raw, { epsilon: 0 })).toThrow(/--epsilon must be a positive number/);
  });

  it('rejects an unknown --tables kind, an object key included, by name', () => {
    for (const bad of ['trees', '__proto__', 'constructor']) {
      expect(() => fitTable(raw, { tables: bad as FitOptions['tables'] })).toThrow(
        expect.objectContaining({ code: 'fit.table_kind', message: expect.stringContaining(`"${bad}"`) }),
      );
    }
  });
});

describe('a category whose value is "*"', () => {
  it('is written escaped in conditional rows, so it is not read as "any state"', async () => {
    const { generateRows } = await import('../sample/index.js');
    const s = streamFor(21, 'star-category');
    const n = 4000;
    const grade: string[] = [];
    const band: string[] = [];
    const region: string[] = [];
    for (let i = 0; i < n; i++) {
      const g = s.nextFloat() < 0.3 ? '*' : s.nextFloat() < 0.5 ? 'A' : 'B';
      grade.push(g);
      region.push(`r${s.nextInt(6)}`);
      // band follows grade: "*" (suppressed grade) → mostly "low"
      const pLow = g === '*' ? 0.9 : g === 'A' ? 0.2 : 0.5;
      band.push(s.nextFloat() < pLow ? 'low' : 'high');
    }
    const raw: RawColumns = {
      name: 't',
      columns: ['grade', 'region', 'band'],
      rowCount: n,
      data: [grade, region, band],
    };
    const fit = fitTable(raw, {
      seed: 1,
      knowledge: { required: [['grade', 'band']], forbidden: [], tiers: [], roots: [] },
    });
    const rows = fit.spec.tables.t.columns.band.conditional?.rows ?? [];
    expect(rows.some((r) => r.when[0] === '\\*')).toBe(true);
    expect(rows.some((r) => r.when[0] === '*')).toBe(false);
    // the file reads back to the same spec
    expect(parseSpecText(fit.yaml, 'm.yaml').spec).toEqual(fit.spec);
    const gen = await generateRows({ spec: fit.spec, rows: 20_000, seed: 3 });
    const G = gen.data[gen.columns.indexOf('grade')];
    const B = gen.data[gen.columns.indexOf('band')];
    const low = (g: string) => {
      let k = 0;
      let m = 0;
      for (let i = 0; i < gen.rows; i++)
        if (G[i] === g) {
          m++;
          if (B[i] === 'low') k++;
        }
      return k / m;
    };
    expect(low('*')).toBeGreaterThan(0.85);
    expect(low('A')).toBeLessThan(0.27);
    expect(Math.abs(low('B') - 0.5)).toBeLessThan(0.06);
  });
});
