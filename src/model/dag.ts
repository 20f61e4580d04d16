/**
 * The causal graph of a table: topological order and cycle reporting.
 * Pure: nodes are indices, edges parent -> child.
 */

/**
 * Kahn's algorithm, ties broken by declaration order (so the order is stable and readable).
 * Returns the order, or the nodes of one cycle (in edge order, first node repeated at the end).
 */
export function topoOrder(
  n: number,
  parents: readonly (readonly number[])[],
): { order: number[] } | { cycle: number[] } {
  const indeg = new Int32Array(n);
  const children: number[][] = Array.from({ length: n }, () => []);
  for (let c = 0; c < n; c++) {
    for (const p of parents[c]) {
      indeg[c]++;
      children[p].push(c);
    }
  }
  const order: number[] = [];
  const done = new Uint8Array(n);
  // Simple O(n^2) selection of the smallest ready index keeps declaration order; n is columns, small.
  for (let step = 0; step < n; step++) {
    let pick = -1;
    for (let i = 0; i < n; i++) {
      if (!done[i] && indeg[i] === 0) {
        pick = i;
        break;
      }
    }
    if (pick < 0) return { cycle: findCycle(n, parents, done) };
    done[pick] = 1;
    order.push(pick);
    for (const c of children[pick]) indeg[c]--;
  }
  return { order };
}

/** Find one cycle among the not-yet-ordered nodes by walking parent links. */
function findCycle(n: number, parents: readonly (readonly number[])[], done: Uint8Array): number[] {
  for (let start = 0; start < n; start++) {
    if (done[start]) continue;
    const pos = new Map<number, number>();
    const path: number[] = [];
    let v = start;
    while (!pos.has(v)) {
      pos.set(v, path.length);
      path.push(v);
      const next = parents[v].find((p) => !done[p]);
      if (next === undefined) break;
      v = next;
    }
    if (pos.has(v) && path.length > 0 && parents[path[path.length - 1]].includes(v)) {
      // path walks child -> parent; reverse it so it reads parent -> child.
      const cyc = path.slice(pos.get(v)).reverse();
      return [...cyc, cyc[0]];
    }
  }
  return [];
}

/** All descendants of `start` (excluding itself), given children lists. */
export function descendants(start: number, children: readonly (readonly number[])[]): Set<number> {
  const out = new Set<number>();
  const stack = [...children[start]];
  while (stack.length) {
    const v = stack.pop()!;
    if (out.has(v)) continue;
    out.add(v);
    stack.push(...children[v]);
  }
  return out;
}
