/**
 * Order invariants that hold on every real row: `intime < outtime`, `admittime >= prev.dischtime`,
 * `admittime >= PATIENTS.dob`. Written into a fitted model as rules, they hold by construction
 * (the engine turns a comparison with a column drawn earlier into a truncation bound).
 *
 * Input: named numeric vectors over the same rows (NaN = missing; datetimes as epoch ms), each
 * either a column of the table (`own`) or a fixed input of the row (`context`: a parent's,
 * ancestor's or previous row's column). Pairs are compared on the rows where both are present,
 * as a rule with a missing input is not evaluated (SQL CHECK semantics). A relation is kept when
 * it held on at least `minRows` rows and the columns' own ranges do not already imply it (age
 * 17–90 is always below income 12k–1.4M: no rule needed). With `maxBreakShare` a relation broken
 * on a tiny share of the rows is kept too, with its breaks counted (`breaks`): MIMIC's
 * `charttime <= parent.outtime` fails on 1 of 11,319 real output events, and without it the
 * generated event times walked past the stay's end (36,449 of 99,520 store times then sat on
 * their bound). Relations implied by two kept ones
 * (a < b, b <= c ⇒ a < c) are dropped when the middle column is present wherever the pair is.
 * Pure functions; usable for single tables (own × own) and relational ones.
 */

export type VectorUnit = 'time' | 'number';

export interface OrderVector {
  /** The name written in the rule: `outtime`, `parent.admittime`, `prev.dischtime`, `PATIENTS.dob`. */
  name: string;
  values: Float64Array;
  /** Only vectors of the same unit are compared (a datetime with a datetime). */
  unit: VectorUnit;
  /** Context vectors are compared with own ones only, never with each other. */
  scope: 'own' | 'context';
}

export interface OrderInvariant {
  /** `left op right` held on every row where both were present. */
  left: string;
  op: '<' | '<=';
  right: string;
  /** Rows where both were present (the rows that checked it). */
  rows: number;
  /** Rows among them where it did not hold (only with `maxBreakShare`; absent when 0). */
  breaks?: number;
}

export interface Equality {
  left: string;
  right: string;
  rows: number;
}

export interface MineOptions {
  /** A relation needs at least this many rows with both values present (default 5). */
  minRows?: number;
  /** May these two vectors be compared at all (default: any two of the same unit)? */
  comparable?: (a: OrderVector, b: OrderVector) => boolean;
  /** Keep relations implied by two others (default false: transitive reduction). */
  keepImplied?: boolean;
  /**
   * Keep a relation broken on at most this share of its rows (default 0: every row). Breaks are
   * allowed only in whole rows, floor(share × rows): a relation checked on fewer than 1/share rows
   * must hold on all of them, so the support a break needs grows with the tolerance.
   */
  maxBreakShare?: number;
}

export interface MinedInvariants {
  invariants: OrderInvariant[];
  /** Pairs equal on every row where both are present (not rules: a model ties them). */
  equalities: Equality[];
}

interface Range {
  min: number;
  max: number;
}

function rangeOf(v: Float64Array): Range {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const x of v) {
    if (Number.isNaN(x)) continue;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { min, max };
}

/** Counts of a < b, a == b, a > b over rows where both are present. */
function compare(a: Float64Array, b: Float64Array): { lt: number; eq: number; gt: number } {
  let lt = 0;
  let eq = 0;
  let gt = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (x < y) lt++;
    else if (x > y) gt++;
    else eq++;
  }
  return { lt, eq, gt };
}

/** Does `left op right` follow from the two vectors' ranges alone? */
function impliedByRanges(l: Range, op: '<' | '<=', r: Range): boolean {
  return op === '<' ? l.max < r.min : l.max <= r.min;
}

/** Every relation between comparable pairs, transitively reduced unless `keepImplied`. */
export function mineOrderInvariants(
  vectors: readonly OrderVector[],
  opts: MineOptions = {},
): MinedInvariants {
  const minRows = opts.minRows ?? 5;
  const ranges = vectors.map((v) => rangeOf(v.values));
  const found: (OrderInvariant & { l: number; r: number })[] = [];
  const equalities: Equality[] = [];
  for (let i = 0; i < vectors.length; i++)
    for (let j = i + 1; j < vectors.length; j++) {
      const a = vectors[i];
      const b = vectors[j];
      if (a.unit !== b.unit) continue;
      if (a.scope === 'context' && b.scope === 'context') continue;
      if (opts.comparable && !opts.comparable(a, b)) continue;
      const { lt, eq, gt } = compare(a.values, b.values);
      const n = lt + eq + gt;
      if (n < minRows) continue;
      if (lt === 0 && gt === 0) {
        equalities.push({ left: a.name, right: b.name, rows: n });
        continue;
      }
      // Write the own column on the left where one side is context (`admittime >= prev.dischtime`
      // reads better as `prev.dischtime <= admittime` flipped); stored as left op right with left the smaller.
      // A relation may be broken on `allowed` rows; the direction with fewer breaks wins, and
      // `<` only when no row was equal (an equal row is not counted as a break of `<=`).
      const allowed = Math.floor((opts.maxBreakShare ?? 0) * n);
      let rel: (OrderInvariant & { l: number; r: number }) | undefined;
      if (gt <= allowed && gt <= lt)
        rel = { left: a.name, op: eq === 0 ? '<' : '<=', right: b.name, rows: n, l: i, r: j };
      else if (lt <= allowed)
        rel = { left: b.name, op: eq === 0 ? '<' : '<=', right: a.name, rows: n, l: j, r: i };
      if (!rel) continue;
      const breaks = rel.l === i ? gt : lt;
      if (breaks > 0) rel.breaks = breaks;
      if (impliedByRanges(ranges[rel.l], rel.op, ranges[rel.r])) continue;
      found.push(rel);
    }
  const kept = opts.keepImplied ? found : transitiveReduction(found, vectors);
  return {
    invariants: kept.map(({ left, op, right, rows, breaks }) =>
      breaks ? { left, op, right, rows, breaks } : { left, op, right, rows },
    ),
    equalities,
  };
}

/**
 * Drop `a R c` when kept relations `a R1 b` and `b R2 c` imply it: strict if either is strict (or
 * `R` is not strict), and b present on every row where a and c are (else a row missing b checks
 * nothing along the chain). Processed from the shortest relations up, so the result does not
 * depend on the input order.
 */
function transitiveReduction(
  rels: readonly (OrderInvariant & { l: number; r: number })[],
  vectors: readonly OrderVector[],
): (OrderInvariant & { l: number; r: number })[] {
  const byPair = new Map<string, OrderInvariant & { l: number; r: number }>();
  for (const r of rels) byPair.set(`${r.l}>${r.r}`, r);
  const dropped = new Set<string>();
  const present = (v: number, i: number) => !Number.isNaN(vectors[v].values[i]);
  const coveredBy = (a: number, b: number, c: number): boolean => {
    const n = vectors[a].values.length;
    for (let i = 0; i < n; i++) if (present(a, i) && present(c, i) && !present(b, i)) return false;
    return true;
  };
  for (const rel of rels) {
    for (let b = 0; b < vectors.length; b++) {
      if (b === rel.l || b === rel.r) continue;
      const ab = byPair.get(`${rel.l}>${b}`);
      const bc = byPair.get(`${b}>${rel.r}`);
      // Only relations that held on every row imply another on every row.
      if (!ab || !bc || ab.breaks || bc.breaks) continue;
      const strict = ab.op === '<' || bc.op === '<';
      if (rel.op === '<' && !strict) continue;
      if (!coveredBy(rel.l, b, rel.r)) continue;
      dropped.add(`${rel.l}>${rel.r}`);
      break;
    }
  }
  return rels.filter((r) => !dropped.has(`${r.l}>${r.r}`));
}

/**
 * The rule text of an invariant, written with the table's own column on the left when the other
 * side is context: `admittime >= prev.dischtime`, `dischtime > admittime`.
 */
export function ruleText(inv: OrderInvariant, isOwn: (name: string) => boolean): string {
  const q = quoteName;
  // An own column against a later context value: `admittime <= parent.dod`.
  if (isOwn(inv.left) && !isOwn(inv.right)) return `${q(inv.left)} ${inv.op} ${q(inv.right)}`;
  // Otherwise the larger side first reads as "after": `dischtime > admittime`, `admittime >= prev.dischtime`.
  return `${q(inv.right)} ${inv.op === '<' ? '>' : '>='} ${q(inv.left)}`;
}

/**
 * A rule name saying the same as ruleText: `dischtime_after_admittime`,
 * `admittime_not_before_prev_dischtime`, `admittime_not_after_parent_dod`.
 */
export function ruleName(inv: OrderInvariant, unit: VectorUnit, isOwn: (name: string) => boolean): string {
  const id = (s: string) => s.replace(/[^A-Za-z0-9_]+/g, '_');
  const strict = inv.op === '<';
  if (isOwn(inv.left) && !isOwn(inv.right)) {
    const word = unit === 'time' ? (strict ? 'before' : 'not_after') : strict ? 'below' : 'at_most';
    return `${id(inv.left)}_${word}_${id(inv.right)}`;
  }
  const word = unit === 'time' ? (strict ? 'after' : 'not_before') : strict ? 'above' : 'at_least';
  return `${id(inv.right)}_${word}_${id(inv.left)}`;
}

/**
 * A column name as an expression reads it: plain identifiers and qualified references
 * (`prev.x`, `parent.x`, `T.x`) as they are; anything else in backticks.
 */
export function quoteName(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) return name;
  const dot = name.indexOf('.');
  const scoped = dot > 0 ? name.slice(0, dot) : '';
  if (['prev', 'parent', 'first'].includes(scoped) || /^[A-Za-z_][A-Za-z0-9_]*$/.test(scoped))
    return `${scoped}.\`${name.slice(dot + 1).replaceAll('`', '``')}\``;
  return `\`${name.replaceAll('`', '``')}\``;
}

export interface DroppedBound {
  rel: OrderInvariant;
  /** The two context values the pair of bounds needs in order, which nothing guarantees. */
  lower: string;
  upper: string;
}

/**
 * Keep only bounds a generator can always meet. A draw can only be truncated between the fixed
 * inputs of its row: a lower bound L (a context value: `prev.outtime`) and an upper bound U
 * (`parent.dischtime`), reached through the row's own columns (L < intime < U), leave an empty
 * window whenever U < L — the row cannot repair that, the context is already drawn. So every such
 * pair must be ordered by construction (`guaranteed(L, U, kept)`: a rule of an ancestor table, a
 * rule this table applies to the previous row, or the real ranges); otherwise the bound checked on
 * fewer real rows is dropped (reported), until no unordered pair remains. Pure.
 */
export function feasibleBounds(
  rels: readonly OrderInvariant[],
  isOwn: (name: string) => boolean,
  guaranteed: (lower: string, upper: string, kept: readonly OrderInvariant[]) => boolean,
): { kept: OrderInvariant[]; dropped: DroppedBound[] } {
  let kept = [...rels];
  const dropped: DroppedBound[] = [];
  for (;;) {
    let conflict: { a: OrderInvariant; b: OrderInvariant; lower: string; upper: string } | undefined;
    const starts = [...new Set(kept.filter((r) => !isOwn(r.left) && isOwn(r.right)).map((r) => r.left))];
    for (const lower of starts) {
      const seen = new Set<string>();
      const stack: { node: string; first: OrderInvariant }[] = [];
      for (const r of kept)
        if (r.left === lower && isOwn(r.right) && !seen.has(r.right)) {
          seen.add(r.right);
          stack.push({ node: r.right, first: r });
        }
      while (stack.length > 0 && !conflict) {
        const { node, first } = stack.pop()!;
        for (const r of kept) {
          if (r.left !== node) continue;
          if (isOwn(r.right)) {
            if (!seen.has(r.right)) {
              seen.add(r.right);
              stack.push({ node: r.right, first });
            }
          } else if (r.right !== lower && !guaranteed(lower, r.right, kept)) {
            conflict = { a: first, b: r, lower, upper: r.right };
            break;
          }
        }
      }
      if (conflict) break;
    }
    if (!conflict) return { kept, dropped };
    const drop = conflict.a.rows <= conflict.b.rows ? conflict.a : conflict.b;
    dropped.push({ rel: drop, lower: conflict.lower, upper: conflict.upper });
    kept = kept.filter((r) => r !== drop);
  }
}
