/** Names in expressions: which columns an expression reads, and "did you mean" suggestions. */
import type { Expr } from './ast.js';
import { parseExpression } from './parser.js';

/** Aggregates over a row's child rows: `count(T)`, `min/max/sum/mean(T.col)`. */
export const AGGREGATES: ReadonlySet<string> = new Set(['count', 'min', 'max', 'sum', 'mean']);

/** Qualifiers that name rows of the same table or the parent, never a child table. */
const ROW_QUALIFIERS: ReadonlySet<string> = new Set(['parent', 'prev', 'first']);

/**
 * The name an aggregate call resolves through the scope (`count(visits)`, `max(visits.amount)`),
 * or undefined when the call is not aggregate-shaped. `count`, `sum` and `mean` of one name are
 * always aggregates (they are no functions of values); `min`/`max` of one qualified name `T.col`
 * are, unless T is `parent`, `prev` or `first` (then it is the plain function of one value).
 */
export function aggregateKey(e: Expr): string | undefined {
  if (e.kind !== 'call' || e.args.length !== 1 || !AGGREGATES.has(e.name)) return undefined;
  const arg = e.args[0];
  if (arg.kind !== 'ident') return undefined;
  if (e.name === 'min' || e.name === 'max') {
    if (!arg.qualified || ROW_QUALIFIERS.has(arg.name.slice(0, arg.name.indexOf('.')))) return undefined;
  }
  return `${e.name}(${arg.name})`;
}

/**
 * Column identifiers an expression uses, de-duplicated, in order of first use. Function names are
 * not included; the column argument of `quantile(col, p)` is (it is an identifier like any other).
 * An aggregate call counts as one name, its key (see {@link aggregateKey}).
 */
export function referencedNames(source: string | Expr): string[] {
  const root = typeof source === 'string' ? parseExpression(source) : source;
  const seen = new Set<string>();
  const out: string[] = [];
  // Explicit stack (children pushed in reverse) keeps source order without recursion.
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const e = stack.pop()!;
    switch (e.kind) {
      case 'ident':
        if (!seen.has(e.name)) {
          seen.add(e.name);
          out.push(e.name);
        }
        break;
      case 'unary':
        stack.push(e.arg);
        break;
      case 'binary':
        stack.push(e.right, e.left);
        break;
      case 'in':
        for (let i = e.list.length - 1; i >= 0; i--) stack.push(e.list[i]);
        stack.push(e.arg);
        break;
      case 'cond':
        stack.push(e.else, e.then, e.test);
        break;
      case 'call': {
        const key = aggregateKey(e);
        if (key !== undefined) {
          if (!seen.has(key)) {
            seen.add(key);
            out.push(key);
          }
          break;
        }
        for (let i = e.args.length - 1; i >= 0; i--) stack.push(e.args[i]);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition), case-sensitive.
 * Twenty lines, so written here rather than adding a dependency; the spec's did-you-mean uses it too.
 */
export function osaDistance(s: string, t: string): number {
  const m = s.length;
  const n = t.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n];
}

/** The OSA distance ignoring case. */
export function editDistance(a: string, b: string): number {
  return osaDistance(a.toLowerCase(), b.toLowerCase());
}

/** Up to `limit` candidates close to `name`, closest first. */
export function closeNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const max = Math.max(1, Math.floor(name.length / 3));
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) > max) continue;
    const d = editDistance(name, c);
    if (d <= max) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.c);
}

/** ` — did you mean "a" or "b"?`, or '' when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const close = closeNames(name, candidates);
  if (close.length === 0) return '';
  const quoted = close.map((c) => `"${c}"`);
  const list =
    quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return ` — did you mean ${list}?`;
}
