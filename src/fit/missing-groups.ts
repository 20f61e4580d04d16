/**
 * Columns missing together (issue 15: mechanisms a white-box model lacks). On MIMIC's
 * MICROBIOLOGYEVENTS `org_itemid`, `org_name` and `isolate_num` are missing on the same 43% of
 * rows, and every antibiotic column is missing wherever the organism is. Drawn each from its own
 * table, such columns went missing apart: `org_itemid` was missing on 24% of generated rows
 * against 43% real, and missing-pattern accuracy was 0.665.
 *
 * Here a column F *follows* a column L drawn before it when their missing rows nest: F is missing
 * wherever L is (`with`: on all but at most `maxBreakShare` of L's missing rows) or only where L
 * is (`within`: the contrapositive, for a nested pair drawn the other way round). Fit then writes
 * F's missing rate as `if(is_null(L), p, q)`. With `with`, F's own law (its table, and with it
 * how F's missingness depends on its parents' values) is learned from the rows where L is
 * present and stands for q; with `within`, F's law is learned from its present values. A group
 * then goes missing as one and nested groups nest. The leader is drawn first (an earlier column
 * in the drawing order), so the expression adds no cycle. Pure functions over missing indicators.
 *
 * API: `proposeMissingLeaders(missing, order)` → per follower, its leader and the figures.
 */
import type { NodeColumn } from './encode.js';

export interface MissingLeader {
  /** Index of the follower column (as in `missing`). */
  follower: number;
  /** Index of the leader column. */
  leader: number;
  /** `with`: missing wherever the leader is; `within`: missing only where the leader is. */
  kind: 'with' | 'within';
  /** Rows where both are missing. */
  shared: number;
  /** Rows where only one is missing, on the side the kind allows none (its tolerated breaks). */
  breaks: number;
  /** Rows where the leader is missing. */
  rows: number;
  /** P(follower missing | leader missing). */
  whenMissing: number;
  /** P(follower missing | leader present). */
  whenPresent: number;
}

export interface MissingLeaderOptions {
  /** The nested side must be missing on at least this many rows (default 20). */
  minRows?: number;
  /** Share of the nested side's missing rows that may break the nesting (default 0.01). */
  maxBreakShare?: number;
  /**
   * How unlikely, as a natural log, the agreement must be by chance (the outer column missing on
   * the inner one's missing rows at its own rate): default ln(1e-6). A column missing on 95% of
   * rows is missing on 20 given rows by chance one time in three; it is led by nothing from them.
   */
  maxChanceLog?: number;
}

/**
 * Each column's leader, if it has one. `missing[i]` is column i's missing indicator per row (null:
 * not a candidate); `order` lists the candidate columns in the order they are drawn: a leader comes
 * before its follower. Of the columns that lead F, the one sharing most missing rows with it is
 * chosen (the closest group), ties going to fewer rows missing in only one of them, then `with`,
 * then the earlier column.
 */
export function proposeMissingLeaders(
  missing: readonly (Uint8Array | null)[],
  order: readonly number[],
  opts: MissingLeaderOptions = {},
): Map<number, MissingLeader> {
  const minRows = opts.minRows ?? 20;
  const maxBreakShare = opts.maxBreakShare ?? 0.01;
  const maxChanceLog = opts.maxChanceLog ?? Math.log(1e-6);
  const counts = missing.map((m) => (m ? m.reduce((s, x) => s + x, 0) : 0));
  // does `inner`'s missing set (of `size` rows, `shared` of them in `outer`'s, missing at `rate`) nest?
  const nests = (size: number, shared: number, outerRate: number) =>
    size >= minRows &&
    size - shared <= Math.floor(maxBreakShare * size) &&
    shared * Math.log(outerRate) <= maxChanceLog;
  const out = new Map<number, MissingLeader>();
  for (let k = 0; k < order.length; k++) {
    const f = order[k];
    const mf = missing[f];
    if (!mf || counts[f] === 0 || counts[f] === mf.length) continue;
    const n = mf.length;
    let best: MissingLeader | undefined;
    const score = (m: MissingLeader) => [
      m.shared,
      -(counts[m.leader] + counts[f] - 2 * m.shared),
      m.kind === 'with' ? 1 : 0,
    ];
    for (let j = 0; j < k; j++) {
      const l = order[j];
      const ml = missing[l];
      if (!ml || counts[l] === 0 || counts[l] === n) continue;
      let shared = 0;
      for (let i = 0; i < n; i++) if (ml[i] && mf[i]) shared++;
      const kind = nests(counts[l], shared, counts[f] / n)
        ? 'with'
        : nests(counts[f], shared, counts[l] / n)
          ? 'within'
          : undefined;
      if (!kind) continue;
      const cand: MissingLeader = {
        follower: f,
        leader: l,
        kind,
        shared,
        breaks: kind === 'with' ? counts[l] - shared : counts[f] - shared,
        rows: counts[l],
        whenMissing: shared / counts[l],
        whenPresent: (counts[f] - shared) / (n - counts[l]),
      };
      if (best) {
        const [a, b] = [score(cand), score(best)];
        const d = a.findIndex((x, t) => x !== b[t]);
        if (d < 0 || a[d] < b[d]) continue;
      }
      best = cand;
    }
    if (best) out.set(f, best);
  }
  return out;
}

/**
 * An order of a DAG's nodes in which every parent comes before its children (ties by index, so
 * it is the same on every run). `parents[v]` lists v's parents.
 */
export function drawOrder(parents: readonly (readonly number[])[]): number[] {
  const n = parents.length;
  const indegree = parents.map((ps) => ps.length);
  const children: number[][] = Array.from({ length: n }, () => []);
  parents.forEach((ps, v) => {
    for (const p of ps) children[p].push(v);
  });
  const ready = indegree.flatMap((d, v) => (d === 0 ? [v] : []));
  const out: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const v = ready.shift()!;
    out.push(v);
    for (const c of children[v]) if (--indegree[c] === 0) ready.push(c);
  }
  if (out.length !== n) throw new Error('internal: the learned graph has a cycle');
  return out;
}

/** The missing-rate expression of a follower: `if(is_null(leader), p, q)`. */
export function missingExpr(leaderExpr: string, whenMissing: number, whenPresent: number): string {
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  return `if(is_null(${leaderExpr}), ${r(whenMissing)}, ${r(whenPresent)})`;
}

/** The nodes on the rows where `keep` is set: a follower's law is learned where its leader is present. */
export function nodesOnRows(nodes: readonly NodeColumn[], keep: Uint8Array): NodeColumn[] {
  const rows: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) rows.push(i);
  return nodes.map((x) => ({
    ...x,
    codes: Int32Array.from(rows, (i) => x.codes[i]),
    values: x.values.length === keep.length ? Float64Array.from(rows, (i) => x.values[i]) : x.values,
  }));
}
