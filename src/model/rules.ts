/**
 * Rule analysis: split each rule into parts the sampler can enforce by construction and a residual
 * that is checked after the row is drawn (and fixed by bounded local resampling).
 *
 * Enforced by construction:
 *  - `x <= e`, `x < e`, `x >= e`, `x > e` where x is a sampled numeric column and e only reads
 *    columns drawn before x (constants included): a truncation bound on x, evaluated per row.
 *  - `x in [consts]`, `x not in [...]`, `x == c`, `x != c` on a discrete column: the column's
 *    value set is restricted before sampling.
 * Everything else (and conjuncts that cannot be oriented without a cycle) is residual.
 */
import { aggregateKey, type Expr } from '../expr/index.js';

export interface BoundPart {
  kind: 'bound';
  column: string;
  side: 'lower' | 'upper';
  strict: boolean;
  /** The other side, as an AST (compiled later with the row scope). */
  other: Expr;
  otherRefs: string[];
}

export interface SetPart {
  kind: 'set';
  column: string;
  values: string[];
  negated: boolean;
}

export interface ResidualPart {
  kind: 'residual';
  expr: Expr;
  refs: string[];
}

export type RulePart = BoundPart | SetPart | ResidualPart;

export interface ColumnFacts {
  /** Columns whose values are drawn from a distribution we can truncate. */
  truncatable: ReadonlySet<string>;
  /** Columns drawn from a finite set of values we can restrict. */
  discrete: ReadonlySet<string>;
}

function conjuncts(e: Expr): Expr[] {
  if (e.kind === 'binary' && e.op === 'and') return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}

export function collectRefs(e: Expr, out: string[] = []): string[] {
  switch (e.kind) {
    case 'ident':
      if (!out.includes(e.name)) out.push(e.name);
      break;
    case 'unary':
      collectRefs(e.arg, out);
      break;
    case 'binary':
      collectRefs(e.left, out);
      collectRefs(e.right, out);
      break;
    case 'in':
      collectRefs(e.arg, out);
      for (const x of e.list) collectRefs(x, out);
      break;
    case 'cond':
      collectRefs(e.test, out);
      collectRefs(e.then, out);
      collectRefs(e.else, out);
      break;
    case 'call': {
      // An aggregate (count(T), max(T.col)) is one value of the row, read by its key.
      const key = aggregateKey(e);
      if (key !== undefined) {
        if (!out.includes(key)) out.push(key);
        break;
      }
      // quantile(col, p) refers to the model, not the row.
      if (e.name === 'quantile') {
        for (const a of e.args.slice(1)) collectRefs(a, out);
      } else for (const a of e.args) collectRefs(a, out);
      break;
    }
    default:
      break;
  }
  return out;
}

function constantValue(e: Expr): string | undefined {
  if (e.kind === 'str') return e.value;
  if (e.kind === 'num') return String(e.value);
  if (e.kind === 'bool') return String(e.value);
  if (e.kind === 'unary' && e.op === '-' && e.arg.kind === 'num') return String(-e.arg.value);
  return undefined;
}

const FLIP: Record<string, '<' | '<=' | '>' | '>='> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Candidate orientations of one comparison conjunct, most preferred first. */
function boundCandidates(e: Expr, facts: ColumnFacts): BoundPart[] {
  if (e.kind !== 'binary' || !['<', '<=', '>', '>='].includes(e.op)) return [];
  const out: BoundPart[] = [];
  const make = (x: Expr, op: string, other: Expr): BoundPart | undefined => {
    if (x.kind !== 'ident' || !facts.truncatable.has(x.name)) return undefined;
    const otherRefs = collectRefs(other);
    if (otherRefs.includes(x.name)) return undefined;
    return {
      kind: 'bound',
      column: x.name,
      side: op === '<' || op === '<=' ? 'upper' : 'lower',
      strict: op === '<' || op === '>',
      other,
      otherRefs,
    };
  };
  // Prefer bounding the right-hand identifier when both are columns? No: prefer the one that can be
  // drawn later; the caller picks among candidates by order. Offer both.
  const a = make(e.left, e.op, e.right);
  const b = make(e.right, FLIP[e.op], e.left);
  if (a) out.push(a);
  if (b) out.push(b);
  return out;
}

function setPart(e: Expr, facts: ColumnFacts): SetPart | undefined {
  if (e.kind === 'in' && e.arg.kind === 'ident' && facts.discrete.has(e.arg.name)) {
    const vals = e.list.map(constantValue);
    if (vals.every((v) => v !== undefined)) {
      return { kind: 'set', column: e.arg.name, values: vals as string[], negated: e.negated };
    }
  }
  if (e.kind === 'binary' && (e.op === '==' || e.op === '!=')) {
    const pairs: [Expr, Expr][] = [
      [e.left, e.right],
      [e.right, e.left],
    ];
    for (const [x, c] of pairs) {
      const v = constantValue(c);
      if (x.kind === 'ident' && facts.discrete.has(x.name) && v !== undefined) {
        return { kind: 'set', column: x.name, values: [v], negated: e.op === '!=' };
      }
    }
  }
  return undefined;
}

/**
 * Split a rule into parts. Bounds come with all their candidate orientations; `chooseOrientation`
 * in the compiler picks the one consistent with the draw order (or falls back to residual).
 */
export function analyseRule(
  expr: Expr,
  facts: ColumnFacts,
): { parts: RulePart[]; boundOptions: BoundPart[][] } {
  const parts: RulePart[] = [];
  const boundOptions: BoundPart[][] = [];
  for (const c of conjuncts(expr)) {
    const set = setPart(c, facts);
    if (set) {
      parts.push(set);
      continue;
    }
    const cands = boundCandidates(c, facts);
    if (cands.length) {
      boundOptions.push(cands);
      continue;
    }
    parts.push({ kind: 'residual', expr: c, refs: collectRefs(c) });
  }
  return { parts, boundOptions };
}
