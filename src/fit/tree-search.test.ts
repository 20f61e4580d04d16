import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { inferTable } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { generateToFile } from '../sample/index.js';
import { parseSpecText } from '../spec/index.js';
import { encodeColumn } from './encode.js';
import { type FitOptions, fitTable } from './fit.js';
import { compileKnowledge, emptyKnowledge } from './knowledge.js';
import { MechanismStats } from './mechanism-score.js';
import { runSteps } from './steps.js';
import { treeParentSteps } from './tree-search.js';

/**
 * A planted context-specific network: `spend` depends on `b` where `a = x` and on `c` where
 * `a = y`, each of b and c with 12 states. The full table of spend given (a, b, c) has 288 parent
 * states over 2,000 rows, too thin for BIC (even the fidelity pass's 0.25 × BIC) to take all three
 * parents; a tree needs at most 12 + 12 leaves.
 */
function planted(n: number, seed: number): RawColumns {
  const s = streamFor(seed, 'planted-tree');
  const a: string[] = [];
  const b: string[] = [];
  const c: string[] = [];
  const spend: string[] = [];
  for (let i = 0; i < n; i++) {
    const ai = s.nextInt(2);
    const bi = s.nextInt(12);
    const ci = s.nextInt(12);
    // Box–Muller noise of sd 25 around 10 × (the state that matters here).
    const z = Math.sqrt(-2 * Math.log(1 - s.nextFloat())) * Math.cos(2 * Math.PI * s.nextFloat());
    const level = ai === 0 ? bi : ci;
    a.push(ai === 0 ? 'x' : 'y');
    b.push(`b${bi}`);
    c.push(`c${ci}`);
    spend.push((100 + 10 * level + 25 * z).toFixed(1));
  }
  return { name: 'planted', columns: ['a', 'b', 'c', 'spend'], rowCount: n, data: [a, b, c, spend] };
}

const raw = planted(2000, 1);
// a, b and c are causes (knowledge), so the test is about the parents spend gets, not directions.
const knowledge = { ...emptyKnowledge(), tiers: [['a', 'b', 'c'], ['spend']] };
const base: FitOptions = { seed: 1, knowledge, residualEdges: 0, restarts: 2 };

describe('tree pass of structure search (tree-search.ts)', () => {
  it('BIC alone does not give spend all three parents (the planted case is a real test)', () => {
    const fit = fitTable(raw, { ...base, treeSearch: false });
    expect(fit.columns.find((c) => c.name === 'spend')?.parents.length).toBeLessThan(3);
  });

  const fit = fitTable(raw, base);
  it('finds all three parents of a context-specific child and writes them as a tree', () => {
    const spend = fit.columns.find((c) => c.name === 'spend');
    expect(spend?.parents).toEqual(['a', 'b', 'c']);
    expect(spend?.summary).toMatch(/a tree of \d+ parent conditions/);
    // the added edge is reported as weak (kept for fidelity), not as a causal finding
    expect(fit.edges.filter((e) => e.to === 'spend').length).toBe(3);
  });

  it('is deterministic: same data and options, same model bytes', () => {
    expect(fitTable(raw, base).yaml).toBe(fit.yaml);
  });

  it('generates byte-identical rows with 1 and 2 workers', async () => {
    const { spec } = parseSpecText(fit.yaml, 'model.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'strata-treesearch-'));
    try {
      const out = (w: number) => join(dir, `w${w}.csv`);
      await generateToFile({ spec, rows: 10_000, seed: 4, workers: 1, out: out(1) });
      await generateToFile({ spec, rows: 10_000, seed: 4, workers: 2, out: out(2) });
      expect(readFileSync(out(2)).equals(readFileSync(out(1)))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds nothing for an independent column, and never more than the bound', () => {
    const noise = {
      ...raw,
      columns: [...raw.columns, 'z'],
      data: [...raw.data, raw.data[3].map((_, i) => `${(i * 7919) % 13}`)],
    };
    const inferred = inferTable(noise);
    const nodes = inferred.columns.map((info, i) => encodeColumn(info, noise.data[i], { minCount: 5 }));
    const names = nodes.map((x) => x.name);
    const c = compileKnowledge(emptyKnowledge(), names);
    const stats = new MechanismStats(nodes, {
      minCount: 5,
      minLeaf: 20,
      treeChild: (v) => nodes[v].role === 'numeric',
      perParent: 0.002,
    });
    const spend = names.indexOf('spend');
    const got = runSteps(
      treeParentSteps(
        stats,
        c,
        names.map(() => []),
        { children: [spend], maxParentsOf: () => 2 },
      ),
    );
    expect(got.parents[spend].length).toBe(2);
    expect(got.parents[spend]).not.toContain(names.indexOf('z'));
    expect(got.added.every((e) => e.to === spend && e.gain > 0.002)).toBe(true);
  });
});
