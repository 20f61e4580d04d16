/**
 * Greedy t-wise covering arrays with constraints (AETG/IPO-style density greedy).
 *
 * Axes are value counts; a row assigns one value index per axis. `allowed(partial)` says whether a
 * partial row (-1 = unassigned) can still be valid — it must return false only when the assigned
 * values alone already violate a constraint. Every t-tuple that has at least one valid completion
 * is covered: greedy first, and when greedy dead-ends an exact backtracking search decides.
 * Written here because no npm package builds constrained covering arrays.
 */

export type Allowed = (partial: Int32Array) => boolean;

export interface CoveringResult {
  rows: Int32Array[];
  /** Number of t-tuples with a valid completion (all covered). */
  tuples: number;
  /** t-tuples that no valid full row contains. */
  infeasible: number;
}

function combinations(n: number, t: number): number[][] {
  const out: number[][] = [];
  const cur: number[] = [];
  const rec = (start: number) => {
    if (cur.length === t) {
      out.push([...cur]);
      return;
    }
    for (let i = start; i < n; i++) {
      cur.push(i);
      rec(i + 1);
      cur.pop();
    }
  };
  rec(0);
  return out;
}

/** Exact search for a valid completion of `row` (backtracking over unassigned axes). */
export function complete(row: Int32Array, sizes: readonly number[], allowed: Allowed): Int32Array | null {
  const r = Int32Array.from(row);
  const free: number[] = [];
  for (let a = 0; a < sizes.length; a++) if (r[a] < 0) free.push(a);
  const rec = (k: number): boolean => {
    if (k === free.length) return allowed(r);
    const a = free[k];
    for (let v = 0; v < sizes[a]; v++) {
      r[a] = v;
      if (allowed(r) && rec(k + 1)) return true;
    }
    r[a] = -1;
    return false;
  };
  if (!allowed(r)) return null;
  return rec(0) ? r : null;
}

export function coveringArray(
  sizes: readonly number[],
  strength: number,
  allowed: Allowed = () => true,
): CoveringResult {
  const n = sizes.length;
  const t = Math.min(strength, n);
  const combos = combinations(n, t);
  // uncovered[c] is a bitmap over value combinations of axis-combo c (mixed radix).
  const uncovered: Uint8Array[] = [];
  const radix = combos.map((c) => c.reduce((m, a) => m * sizes[a], 1));
  let remaining = 0;
  let infeasible = 0;
  const partial = new Int32Array(n).fill(-1);
  for (let ci = 0; ci < combos.length; ci++) {
    const bm = new Uint8Array(radix[ci]);
    for (let code = 0; code < radix[ci]; code++) {
      decode(combos[ci], code, sizes, partial);
      if (allowed(partial)) {
        bm[code] = 1;
        remaining++;
      } else infeasible++;
      partial.fill(-1);
    }
    uncovered.push(bm);
  }
  const total = remaining + infeasible;
  const byAxis: number[][] = Array.from({ length: n }, () => []);
  combos.forEach((c, ci) => {
    for (const a of c) byAxis[a].push(ci);
  });
  const codeOf = (ci: number, row: Int32Array): number => {
    let code = 0;
    for (const a of combos[ci]) {
      if (row[a] < 0) return -1;
      code = code * sizes[a] + row[a];
    }
    return code;
  };
  const rows: Int32Array[] = [];
  let cursorC = 0;
  let cursorCode = 0;
  while (remaining > 0) {
    // first uncovered tuple in a fixed order
    while (uncovered[cursorC][cursorCode] === 0) {
      cursorCode++;
      if (cursorCode >= radix[cursorC]) {
        cursorC++;
        cursorCode = 0;
      }
    }
    const row = new Int32Array(n).fill(-1);
    decode(combos[cursorC], cursorCode, sizes, row);
    let ok = true;
    for (let a = 0; a < n && ok; a++) {
      if (row[a] >= 0) continue;
      let best = -1;
      let bestGain = -1;
      for (let v = 0; v < sizes[a]; v++) {
        row[a] = v;
        if (!allowed(row)) continue;
        let gain = 0;
        for (const ci of byAxis[a]) {
          const code = codeOf(ci, row);
          if (code >= 0 && uncovered[ci][code]) gain++;
        }
        if (gain > bestGain) {
          bestGain = gain;
          best = v;
        }
      }
      row[a] = best;
      if (best < 0) ok = false;
    }
    let full: Int32Array | null = ok && allowed(row) ? row : null;
    if (!full) {
      const seed = new Int32Array(n).fill(-1);
      decode(combos[cursorC], cursorCode, sizes, seed);
      full = complete(seed, sizes, allowed);
    }
    if (!full) {
      // no valid row contains this tuple
      uncovered[cursorC][cursorCode] = 0;
      remaining--;
      infeasible++;
      continue;
    }
    for (let ci = 0; ci < combos.length; ci++) {
      const code = codeOf(ci, full);
      if (uncovered[ci][code]) {
        uncovered[ci][code] = 0;
        remaining--;
      }
    }
    rows.push(full);
  }
  return { rows, tuples: total - infeasible, infeasible };
}

function decode(axes: readonly number[], code: number, sizes: readonly number[], into: Int32Array): void {
  for (let i = axes.length - 1; i >= 0; i--) {
    const a = axes[i];
    into[a] = code % sizes[a];
    code = Math.floor(code / sizes[a]);
  }
}
