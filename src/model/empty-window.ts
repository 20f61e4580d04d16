/**
 * Time windows that are empty for every row, found from the spec before drawing (issue 14): a
 * column bounded below by `A.x` and above by `A.y` of the same ancestor row A (`t > parent.a` and
 * `t < parent.b`) while A's own rules make `b < a` — or `b <= a` (or b and a the same column) with
 * a strict side. Wherever both values are present the window is empty, whatever the row draws.
 * Only what the rules prove is used (column-vs-column comparisons and their chains); a window that
 * a distribution happens to make empty is still found while drawing. Pure.
 */
import { type Expr, parseExpression } from '../expr/index.js';
import type { Spec } from '../spec/schema.js';

export interface EmptyWindow {
  /** The bounded column of `table`. */
  column: string;
  /** The ancestor columns, qualified as written (`parent.a`). */
  lower: string;
  upper: string;
  /** The rules that set the two bounds (indices into the table's rules). */
  lowerRule: number;
  upperRule: number;
  /** Why the ancestor's values are ordered the wrong way (`b < a` by rule "…"), or undefined when lower = upper. */
  because?: string;
}

interface Comparison {
  /** left < right (strict) or left <= right. */
  left: string;
  right: string;
  strict: boolean;
  rule: number;
}

function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** Every `ident op ident` conjunct of the rules, as `left < right` / `left <= right`. */
function comparisons(rules: readonly { check: string }[]): Comparison[] {
  const out: Comparison[] = [];
  rules.forEach((r, rule) => {
    let e: Expr;
    try {
      e = parseExpression(r.check);
    } catch {
      return; // reported with its place when the table compiles
    }
    for (const c of conjuncts(e)) {
      if (c.kind !== 'binary' || c.left.kind !== 'ident' || c.right.kind !== 'ident') continue;
      const [a, b] = [c.left.name, c.right.name];
      if (c.op === '<' || c.op === '<=') out.push({ left: a, right: b, strict: c.op === '<', rule });
      else if (c.op === '>' || c.op === '>=') out.push({ left: b, right: a, strict: c.op === '>', rule });
    }
  });
  return out;
}

/** Whether the comparisons chain `from` to `to`: undefined (no), or the strictest chain's strictness. */
function chained(edges: readonly Comparison[], from: string, to: string): boolean | undefined {
  const best = new Map<string, boolean>([[from, false]]);
  const stack = [from];
  while (stack.length > 0) {
    const x = stack.pop()!;
    for (const e of edges) {
      if (e.left !== x) continue;
      const strict = best.get(x)! || e.strict;
      const had = best.get(e.right);
      if (had === true || (had === false && !strict)) continue;
      best.set(e.right, strict);
      stack.push(e.right);
    }
  }
  return from === to ? undefined : best.get(to);
}

/** The first window of table `name` that is empty for every row, or undefined. */
export function emptyWindow(spec: Spec, name: string, ancestors: readonly string[]): EmptyWindow | undefined {
  if (ancestors.length === 0) return undefined;
  const own = new Set(Object.keys(spec.tables[name].columns));
  /** `parent.x` / `T.x` of an ancestor → [table, column]. */
  const ancestorRef = (ref: string): [string, string] | undefined => {
    const dot = ref.indexOf('.');
    if (dot < 0) return undefined;
    const q = ref.slice(0, dot);
    const table = q === 'parent' ? ancestors[0] : ancestors.includes(q) ? q : undefined;
    return table === undefined ? undefined : [table, ref.slice(dot + 1)];
  };
  const bounds = comparisons(spec.tables[name].rules ?? []);
  const facts = new Map<string, Comparison[]>();
  const factsOf = (t: string) => {
    let f = facts.get(t);
    if (!f) {
      f = comparisons(spec.tables[t].rules ?? []);
      facts.set(t, f);
    }
    return f;
  };
  for (const column of own) {
    // Lower bounds: A.x < column; upper bounds: column < A.y.
    const lows = bounds.filter((b) => b.right === column && ancestorRef(b.left));
    const highs = bounds.filter((b) => b.left === column && ancestorRef(b.right));
    for (const lo of lows)
      for (const hi of highs) {
        const [ta, a] = ancestorRef(lo.left)!;
        const [tb, b] = ancestorRef(hi.right)!;
        if (ta !== tb) continue;
        const strictSide = lo.strict || hi.strict;
        const found = { column, lower: lo.left, upper: hi.right, lowerRule: lo.rule, upperRule: hi.rule };
        if (a === b) {
          if (strictSide) return found;
          continue;
        }
        const order = chained(factsOf(ta), b, a);
        if (order === true || (order === false && strictSide))
          return { ...found, because: `the rules of "${ta}" make ${b} ${order ? '<' : '<='} ${a}` };
      }
  }
  return undefined;
}
