/**
 * Columns missing together (issue 15: mechanisms a white-box model lacks). On MIMIC's
 * MICROBIOLOGYEVENTS `org_itemid`, `org_name` and `isolate_num` are missing on the same 43% of
 * rows, and every antibiotic column is missing wherever the organism is. Drawn each from its own
 * table, such columns went missing apart: `org_itemid` was missing on 24% of generated rows
 * against 43% real, and missing-pattern accuracy was 0.665.
 *
 * Here a column F *follows* an earlier column L (its leader) when F is missing on (all but at most
 * `maxBreakShare` of) the rows where L is missing. Fit then writes F's missing rate as
 * `if(is_null(L), p, q)` and learns F's own law (its table, and with it how F's missingness
 * depends on its parents' values) from the rows where L is present, so a group goes missing as one
 * and nested groups nest. The leader is drawn first (an earlier column in the drawing order), so
 * the expression adds no cycle. Pure functions over missing indicators.
 *
 * API: `proposeMissingLeaders(missing, order)` → per follower, its leader and the figures.
 */
import type { NodeColumn } from './encode.js';

export interface MissingLeader {
  /** Index of the follower column (as in `missing`). */
  follower: number;
  /** Index of the leader column. */
  leader: number;
  /** Rows where the leader is missing. */
  rows: number;
  /** Of them, rows where the follower is present (breaks of "missing together"). */
  breaks: number;
  /** P(follower missing | leader missing), from those rows. */
  whenMissing: number;
  /** P(follower missing | leader present): the follower's own rate where it is not led. */
  whenPresent: number;
}

export interface MissingLeaderOptions {
  /** A leader must be missing on at least this many rows (default 20). */
  minRows?: number;
  /** Share of the leader's missing rows on which the follower may be present (default 0.01). */
  maxBreakShare?: number;
  /**
   * How unlikely, as a natural log, the agreement must be by chance (follower missing on the
   * leader's missing rows at its own rate): default ln(1e-6). A column missing on 95% of rows is
   * missing on 20 given rows by chance one time in three; it leads nothing from them.
   */
  maxChanceLog?: number;
}

/**
 * Each column's leader, if it has one. `missing[i]` is column i's missing indicator per row (null:
 * not a candidate); `order` lists the candidate columns in the order they are drawn: a leader comes
 * before its follower. Of the columns that lead F, the one sharing most missing rows with it is
 * chosen (the closest group), ties going to fewer breaks, then the earlier column.
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
  const out = new Map<number, MissingLeader>();
  for (let k = 0; k < order.length; k++) {
    const f = order[k];
    const mf = missing[f];
    if (!mf || counts[f] === 0 || counts[f] === mf.length) continue;
    const rate = counts[f] / mf.length;
    let best: MissingLeader | undefined;
    let bestShared = -1;
    for (let j = 0; j < k; j++) {
      const l = order[j];
      const ml = missing[l];
      if (!ml || counts[l] < minRows || counts[l] === ml.length) continue;
      let shared = 0;
      for (let i = 0; i < ml.length; i++) if (ml[i] && mf[i]) shared++;
      const breaks = counts[l] - shared;
      if (breaks > Math.floor(maxBreakShare * counts[l])) continue;
      // chance of so many shared rows were F missing at its own rate regardless of L
      if (shared * Math.log(rate) > maxChanceLog) continue;
      if (shared < bestShared || (shared === bestShared && best && breaks >= best.breaks)) continue;
      const present = ml.length - counts[l];
      bestShared = shared;
      best = {
        follower: f,
        leader: l,
        rows: counts[l],
        breaks,
        whenMissing: shared / counts[l],
        whenPresent: present > 0 ? (counts[f] - shared) / present : 0,
      };
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
