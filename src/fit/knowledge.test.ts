import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferTable } from '../data/infer.js';
import { StrataError } from '../errors.js';
import { streamFor } from '../random/stream.js';
import { encodeColumn } from './encode.js';
import { fitTable } from './fit.js';
import { compileKnowledge, findCycle, type Knowledge, parseKnowledgeText, violation } from './knowledge.js';
import { hillClimbRestarts, privBayesStructure } from './search.js';
import { SufficientStats } from './stats.js';
import { sampleTruth, TRUTH_COLUMNS } from './testing/truth.js';

const raw = sampleTruth(2000, 5);
const nodes = inferTable(raw).columns.map((c, i) => encodeColumn(c, raw.data[i], { minCount: 5 }));
const names = nodes.map((x) => x.name);
const stats = new SufficientStats(
  nodes.map((x) => x.codes),
  nodes.map((x) => x.card),
);

const col = fc.constantFrom(...TRUTH_COLUMNS);
const knowledgeArb: fc.Arbitrary<Knowledge> = fc.record({
  required: fc.array(fc.tuple(col, col), { maxLength: 3 }),
  forbidden: fc.array(fc.tuple(col, col), { maxLength: 6 }),
  tiers: fc.shuffledSubarray([...TRUTH_COLUMNS]).chain((cols) =>
    fc.array(fc.integer({ min: 0, max: 2 }), { minLength: cols.length, maxLength: cols.length }).map((t) => {
      const tiers: string[][] = [[], [], []];
      cols.forEach((c, i) => {
        tiers[t[i]].push(c);
      });
      return tiers.filter((x) => x.length > 0);
    }),
  ),
  roots: fc.subarray([...TRUTH_COLUMNS], { maxLength: 2 }),
});

describe('knowledge is always honoured', () => {
  it('hill climbing never breaks random knowledge (or the knowledge is rejected as contradictory)', () => {
    fc.assert(
      fc.property(knowledgeArb, fc.integer({ min: 1, max: 4 }), (k, maxParents) => {
        let c: ReturnType<typeof compileKnowledge>;
        try {
          c = compileKnowledge(k, names);
        } catch (e) {
          expect(e).toBeInstanceOf(StrataError);
          return;
        }
        const parents = hillClimbRestarts(stats, c, { maxParents, restarts: 2, stream: streamFor(1, 'kb') });
        expect(violation(parents, c, names)).toBeNull();
        for (const ps of parents)
          expect(ps.length).toBeLessThanOrEqual(Math.max(maxParents, k.required.length));
      }),
      { numRuns: 40 },
    );
  });

  it('the PrivBayes (DP) learner honours it too', () => {
    fc.assert(
      fc.property(knowledgeArb, fc.integer({ min: 1, max: 1000 }), (k, seed) => {
        let c: ReturnType<typeof compileKnowledge>;
        try {
          c = compileKnowledge(k, names);
        } catch {
          return;
        }
        const parents = privBayesStructure(stats, c, {
          maxParents: 2,
          epsilon: 1,
          stream: streamFor(seed, 'pb'),
        });
        expect(violation(parents, c, names)).toBeNull();
      }),
      { numRuns: 40 },
    );
  });

  it('required edges, forbidden edges, tiers and roots show up in the fitted spec', () => {
    const k: Knowledge = {
      required: [['colour', 'calls']],
      forbidden: [['region', 'plan']],
      tiers: [
        ['age', 'region'],
        ['plan', 'spend'],
        ['churn', 'calls'],
      ],
      roots: ['region'],
    };
    const r = fitTable(raw, { knowledge: k });
    const cols = r.spec.tables.truth.columns;
    expect(cols.calls.given).toContain('colour');
    expect(cols.plan.given ?? []).not.toContain('region');
    expect(cols.region.given).toBeUndefined();
    const tierOf = new Map(k.tiers.flatMap((t, i) => t.map((c) => [c, i] as const)));
    for (const e of r.edges) {
      const a = tierOf.get(e.from);
      const b = tierOf.get(e.to);
      if (a !== undefined && b !== undefined) expect(a).toBeLessThanOrEqual(b);
    }
  });
});

describe('knowledge files', () => {
  it('parses YAML with all four sections', () => {
    const k = parseKnowledgeText(
      'required: [[age, spend]]\nforbidden: [[churn, age]]\ntiers: [[age], [churn]]\nroots: [age]\n',
      'k.yaml',
    );
    expect(k).toEqual({
      required: [['age', 'spend']],
      forbidden: [['churn', 'age']],
      tiers: [['age'], ['churn']],
      roots: ['age'],
    });
  });

  it('reports unknown keys and bad shapes with the line', () => {
    try {
      parseKnowledgeText('required: [[age, spend]]\nforbiden: [[a, b]]\n', 'k.yaml');
      expect.unreachable();
    } catch (e) {
      expect((e as StrataError).format()).toMatch(/k\.yaml.*unknown key.*forbiden/);
    }
    try {
      parseKnowledgeText('required:\n  - [age]\n', 'k.yaml');
      expect.unreachable();
    } catch (e) {
      expect((e as StrataError).format()).toMatch(/^k\.yaml:2/);
    }
  });

  it('names unknown columns with a suggestion, and contradictions', () => {
    const err = (k: Partial<Knowledge>) => {
      try {
        compileKnowledge(
          { required: [], forbidden: [], tiers: [], roots: [], ...k },
          names,
          new Map(),
          'k.yaml',
        );
      } catch (e) {
        return (e as StrataError).format();
      }
      return '';
    };
    expect(err({ roots: ['regoin'] })).toMatch(
      /k\.yaml roots\[0\]: unknown column "regoin" — did you mean "region"\?/,
    );
    expect(err({ required: [['age', 'spend']], forbidden: [['age', 'spend']] })).toMatch(/also forbidden/);
    expect(err({ required: [['churn', 'age']], tiers: [['age'], ['churn']] })).toMatch(/later tier/);
    expect(
      err({
        required: [
          ['age', 'spend'],
          ['spend', 'age'],
        ],
      }),
    ).toMatch(/cycle: /);
  });

  it('findCycle finds cycles and only cycles', () => {
    expect(
      findCycle(3, [
        [0, 1],
        [1, 2],
      ]),
    ).toBeNull();
    expect(
      findCycle(3, [
        [0, 1],
        [1, 2],
        [2, 0],
      ]),
    ).toEqual([0, 1, 2, 0]);
  });
});
