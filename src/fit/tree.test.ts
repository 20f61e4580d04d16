import { describe, expect, it } from 'vitest';
import { conditionalResolver, whenLabel } from '../model/conditional-rows.js';
import { streamFor } from '../random/stream.js';
import { chiSquareTest } from '../random/testing/goodness.js';
import { growTree, leafOf, leavesOf, type TreeNode, type TreeParent } from './tree.js';
import { treeRows } from './tree-rows.js';

/**
 * A known context-specific network: child D depends on B only where A = x (A: x, y, z; B: b0,
 * b1; C: 4 states of noise). Elsewhere D has one law whatever B and C are.
 */
const A = ['x', 'y', 'z'];
const B = ['b0', 'b1'];
const C = ['c0', 'c1', 'c2', 'c3'];
const TRUE_X_B0 = [0.7, 0.2, 0.1];
const TRUE_X_B1 = [0.1, 0.3, 0.6];
const TRUE_OTHER = [0.3, 0.5, 0.2];

function draw(n: number, seed: number) {
  const s = streamFor(seed, 'tree-test');
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const c = new Int32Array(n);
  const d = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = s.nextInt(3);
    b[i] = s.nextInt(2);
    c[i] = s.nextInt(4);
    const p = a[i] === 0 ? (b[i] === 0 ? TRUE_X_B0 : TRUE_X_B1) : TRUE_OTHER;
    let u = s.nextFloat();
    let k = 0;
    while (k < 2 && u >= p[k]) u -= p[k++];
    d[i] = k;
  }
  return { a, b, c, d };
}

/** Chi-square critical value at α = 0.001 for 2 degrees of freedom (three child values). */
const CHI2_2_0001 = 13.816;

describe('growTree (context-specific tables)', () => {
  const { a, b, c, d } = draw(12_000, 11);
  const parents: TreeParent[] = [
    { codes: a, card: 3, ordered: false },
    { codes: b, card: 2, ordered: false },
    { codes: c, card: 4, ordered: false },
  ];
  const child = { codes: d, card: 3 };
  const tree = growTree(child, parents, { minLeaf: 20 });

  it('recovers the structure: A = x first, then B inside it only, and never the noise parent C', () => {
    expect(tree.kind).toBe('split');
    const root = tree as TreeNode & { kind: 'split' };
    expect(root.parent).toBe(0);
    expect(root.states).toEqual([0]);
    expect(root.inside.kind).toBe('split');
    expect((root.inside as TreeNode & { kind: 'split' }).parent).toBe(1);
    expect(root.outside.kind).toBe('leaf');
    expect(leavesOf(tree)).toHaveLength(3);
  });

  it('learns each leaf within tolerance: chi-square of the leaf rows against the true law at α = 0.001', () => {
    const truth = (i: number) => (a[i] === 0 ? (b[i] === 0 ? TRUE_X_B0 : TRUE_X_B1) : TRUE_OTHER);
    for (const leaf of leavesOf(tree)) {
      const p = truth(leaf.rows[0]);
      const obs = [0, 0, 0];
      for (const i of leaf.rows) obs[d[i]]++;
      expect(chiSquareTest(obs, p).statistic).toBeLessThan(CHI2_2_0001);
      for (let k = 0; k < 3; k++) expect(Math.abs(leaf.dist[k] - p[k])).toBeLessThan(0.03);
    }
  });

  it('is written as rows that the model reads back to the same leaf for every parent state, unseen ones too', () => {
    const rows = treeRows(tree, [[...A, 'w'], B, C], (leaf) => ({ n: leaf.rows.length }));
    expect(rows.map((r) => r.when)).toEqual([
      ['x', 'b0', '*'],
      ['x', '*', '*'],
      ['*', '*', '*'],
    ]);
    const resolve = conditionalResolver(rows);
    const leaves = leavesOf(tree);
    // every combination of codes (A's code 3 is a state no row saw)
    for (let x = 0; x < 4; x++)
      for (let y = 0; y < 2; y++)
        for (let z = 0; z < 4; z++) {
          const ps: TreeParent[] = [
            { codes: Int32Array.of(x), card: 4, ordered: false },
            { codes: Int32Array.of(y), card: 2, ordered: false },
            { codes: Int32Array.of(z), card: 4, ordered: false },
          ];
          const want = leaves.indexOf(leafOf(tree, ps, 0));
          const got = resolve([[...A, 'w'][x], B[y], C[z]]);
          expect(rows.indexOf(got!)).toBe(want);
        }
  });

  it('writes a list entry for a group of states and keeps the outside conditions implicit', () => {
    // An ordered parent (bins 0..5) whose child changes at bin 3: one threshold split.
    const n = 6000;
    const s = streamFor(3, 'tree-ordered');
    const bins = Int32Array.from({ length: n }, () => s.nextInt(6));
    const y = Int32Array.from(bins, (k) => (s.nextFloat() < (k < 3 ? 0.2 : 0.8) ? 1 : 0));
    const t = growTree({ codes: y, card: 2 }, [{ codes: bins, card: 6, ordered: true }], { minLeaf: 20 });
    const rows = treeRows(t, [['0', '1', '2', '3', '4', '5']], () => ({}));
    expect(rows.map((r) => r.when)).toEqual([[['0', '1', '2']], ['*']]);
    expect(whenLabel('*')).toBeNull();
  });

  it('keeps the whole table a single leaf when no parent matters (BIC stops it)', () => {
    const s = streamFor(9, 'tree-null');
    const n = 5000;
    const y = Int32Array.from({ length: n }, () => s.nextInt(3));
    const noise = Int32Array.from({ length: n }, () => s.nextInt(5));
    const t = growTree({ codes: y, card: 3 }, [{ codes: noise, card: 5, ordered: false }], { minLeaf: 20 });
    expect(t.kind).toBe('leaf');
  });

  it('is deterministic and honours the minimum leaf size', () => {
    const again = growTree(child, parents, { minLeaf: 20 });
    expect(JSON.stringify(leavesOf(again).map((l) => Array.from(l.dist)))).toBe(
      JSON.stringify(leavesOf(tree).map((l) => Array.from(l.dist))),
    );
    const small = growTree(child, parents, { minLeaf: 3000 });
    for (const l of leavesOf(small)) expect(l.rows.length).toBeGreaterThanOrEqual(3000);
  });
});
