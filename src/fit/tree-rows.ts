/**
 * A context-specific tree (tree.ts) written as conditional-table rows: one row per leaf, in
 * reading order (a split's "inside" branch before its "outside" branch). A leaf's `when` names,
 * per parent, the states its path requires ("*" where it requires none; a list where several
 * states qualify); the conditions of "outside" branches are left out, because every row that
 * meets them was taken by an earlier row. That is how the model reads a table with wildcard and
 * list entries (model/conditional-rows.ts: first match in file order), so sampler, coverage and
 * `complete` read the tree with no code of their own. The last row is all "*": the tree covers
 * every state, seen or not.
 */
import { ANY_STATE, labelToWhen, type WhenEntry } from '../model/conditional-rows.js';
import type { ConditionalRow } from '../spec/schema.js';
import type { TreeNode } from './tree.js';

type Leaf = TreeNode & { kind: 'leaf' };

/**
 * The rows of `tree`; `stateLabels[p][s]` is parent p's label of state s (as NodeColumn has it),
 * `mechanism(leaf)` the leaf's `values`/`dist`/`missing`.
 */
export function treeRows(
  tree: TreeNode,
  stateLabels: readonly (readonly string[])[],
  mechanism: (leaf: Leaf) => Omit<ConditionalRow, 'when'>,
): ConditionalRow[] {
  const out: ConditionalRow[] = [];
  const m = stateLabels.length;
  const walk = (t: TreeNode, required: (readonly number[] | null)[]) => {
    if (t.kind === 'leaf') {
      const when: WhenEntry[] = required.map((states, p) => {
        if (states === null) return ANY_STATE;
        const labels = states.map((s) => labelToWhen(stateLabels[p][s]));
        return labels.length === 1 ? labels[0] : labels;
      });
      out.push({ when: when as ConditionalRow['when'], ...mechanism(t) });
      return;
    }
    const prev = required[t.parent];
    const inside = prev === null ? t.states : t.states.filter((s) => prev.includes(s));
    const next = required.slice();
    next[t.parent] = inside;
    walk(t.inside, next);
    walk(t.outside, required);
  };
  walk(
    tree,
    Array.from({ length: m }, () => null),
  );
  return out;
}
