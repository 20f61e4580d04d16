/**
 * What a distribution ("law") is to the rest of Strata: one record per law, in one file per law
 * (arquero's table-of-ops style), collected in `laws/index.ts`. The spec schema, the spec checks,
 * the compiler, coverage and fit all read these records, and every parameter is read by name.
 *
 * A record holds: the name, a docs line, the parameter schema by name (zod), the checks on
 * parameter values (with the fix), the sampler (truncated by construction), and — once every
 * parameter is a number — the law fixed: CDF, quantile, mass and draws.
 */
import { z } from 'zod';
import type { Stream } from '../stream.js';

/** A parameter as a spec writes it: a number, or an expression (string) over the column's parents. */
export const ParamValue = z
  .union([z.number(), z.string().min(1)])
  .describe('A number, or an expression (string) over the column\'s parents, e.g. "income * 0.2".');
export type ParamValue = z.infer<typeof ParamValue>;

/** The values a parameter may take. */
export type ParamRange = 'real' | 'positive' | 'nonnegative' | 'probability' | 'count';

export interface ParamDecl {
  /** What the parameter means (docs, JSON Schema description). */
  readonly doc: string;
  readonly range: ParamRange;
  /** Names other tools give it (numpy, scipy, R): a spec that uses one is pointed here. */
  readonly synonyms?: readonly string[];
}

export interface OptionalParamDecl extends ParamDecl {
  /** The value when the parameter is left out. */
  readonly default: number;
}

/** Parameter values by name. */
export type Numbers<K extends string> = { readonly [k in K]: number };
/** The row a sampler reads its parameters from (the model's cell values, in column order). */
export type Row = readonly (number | string | boolean | null)[];
const NO_ROW: Row = [];
/** Per-row parameter functions by name (the compiler's compiled numbers or expressions). */
export type RowFns<K extends string = string> = { readonly [k in K]: (row: Row) => number };
/** One draw truncated to [lo, hi]; NaN for invalid parameters or a range with no mass. */
export type Draw = (row: Row, s: Stream, lo: number, hi: number) => number;

/**
 * The code suffixes a law's check may give. The spec prefixes `spec.`, the compiler `model.`:
 * both codes of each suffix are in the catalogue (src/error-codes.ts), which the compiler checks.
 */
export const LAW_ISSUE_CODES = [
  'atoms_sum',
  'bad_atom',
  'bad_parameter',
  'knots_order',
  'min_above_max',
  'needs_shift',
  'slope_without_offset',
] as const;
export type LawIssueCode = (typeof LAW_ISSUE_CODES)[number];

/** A problem with parameter values, placed at one parameter, with the fix. */
export interface LawIssue {
  readonly param: string;
  readonly message: string;
  readonly fix: string;
  /** Stable code suffix (see LAW_ISSUE_CODES); default `bad_parameter`. */
  readonly code?: LawIssueCode;
  /** Path below the parameter (e.g. the index of a knot). */
  readonly at?: readonly (string | number)[];
}

/**
 * Reads a parameter's literal value: a number or an ISO date (epoch ms); undefined for an
 * expression or an absent key. The caller supplies it: dates are the spec's business.
 */
export type Literal = (key: string) => number | undefined;

/** A law with every parameter fixed. */
export interface FixedLaw {
  /** Integer-valued (draws are integers; masses are of integer points). */
  readonly discrete: boolean;
  /** `normal(mean=41, sd=13)`, for messages. */
  readonly label: string;
  /** P(X ≤ x). */
  cdf(x: number): number;
  /** Smallest x with P(X ≤ x) ≥ q. */
  quantile(q: number): number;
  /** P(lo ≤ X ≤ hi); 0 for an empty range. */
  mass(lo: number, hi: number): number;
  /** One draw truncated to [lo, hi]. */
  sample(s: Stream, lo?: number, hi?: number): number;
}

/**
 * The record every law exports. `P` is its parameter map as a spec holds it (what `schema`
 * parses); the name is a literal type so the spec's `Dist` type is the union of all laws.
 */
export interface Law<N extends string = string, P = unknown> {
  readonly name: N;
  /** One line for the docs and `strata schema`. */
  readonly doc: string;
  /** An example parameter map (docs, messages). */
  readonly example: P;
  /** Other names people type for this law (did-you-mean only; never accepted). */
  readonly aliases: readonly string[];
  /** Integer-valued law. */
  readonly discrete: boolean;
  /** The parameter map's schema, by name. */
  readonly schema: z.ZodType<P>;
  /** The parameters that take a number or an expression (compiled per row by the model), by name. */
  readonly params: Readonly<Record<string, ParamDecl>>;
  /** Names other tools give the keys of the parameter map → the key here (did-you-mean). */
  readonly synonyms: ReadonlyMap<string, string>;
  /**
   * Problems with the literal parameter values (`literal` reads one; expressions are left out),
   * and with the parameters' shape where zod cannot say it (e.g. unsorted knots).
   */
  check(raw: Readonly<Record<string, unknown>>, literal: Literal): LawIssue[];
  /** The law with these parameter values (every number-or-expression parameter constant), or why not. */
  fixed(raw: P, values: Readonly<Record<string, number>>): FixedLaw | string;
  /** A truncated sampler reading its parameters per row, by name (a memo per column inside). */
  sampler(raw: P, fns: RowFns): Draw;
}

/**
 * A law as the registry holds it. Its parameter map is `unknown` to callers: they pass the map
 * the law's own schema parsed (the spec checks guarantee it), and only the law reads inside it.
 */
export type AnyLaw = Law<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Parametric laws: every parameter is a number or an expression.

interface RangeRule {
  ok(v: number): boolean;
  must(v: number): string;
  fix(k: string): string;
}

const RANGES: Record<ParamRange, RangeRule> = {
  real: { ok: Number.isFinite, must: () => 'be a finite number', fix: (k) => `use a finite ${k}` },
  positive: {
    ok: (v) => v > 0 && v < Number.POSITIVE_INFINITY,
    must: (v) => (v > 0 ? 'be finite' : 'be > 0'),
    fix: (k) => `use a positive ${k}`,
  },
  nonnegative: {
    ok: (v) => v >= 0 && v < Number.POSITIVE_INFINITY,
    must: (v) => (v >= 0 ? 'be finite' : 'be ≥ 0'),
    fix: (k) => `use ${k} ≥ 0`,
  },
  probability: {
    ok: (v) => v >= 0 && v <= 1,
    must: () => 'be in [0, 1]',
    fix: () => 'use a probability between 0 and 1',
  },
  count: {
    ok: (v) => Number.isSafeInteger(v) && v >= 0,
    must: (v) =>
      Number.isInteger(v) && v > 0
        ? `be at most ${Number.MAX_SAFE_INTEGER} (2^53 − 1)`
        : 'be a whole number ≥ 0',
    fix: (k) => `use ${k} = 0, 1, 2, …`,
  },
};

/** Issues of each present value against its declared range. */
function rangeIssues(
  law: string,
  params: Readonly<Record<string, ParamDecl>>,
  values: Readonly<Record<string, number | undefined>>,
): LawIssue[] {
  const out: LawIssue[] = [];
  for (const [k, decl] of Object.entries(params)) {
    const v = values[k];
    if (v === undefined) continue;
    const r = RANGES[decl.range];
    if (!r.ok(v)) out.push({ param: k, message: `${law} ${k} must ${r.must(v)}, got ${v}`, fix: r.fix(k) });
  }
  return out;
}

/** How a parametric law file describes itself. Parameters are read by name, never by position. */
export interface ParametricDef<N extends string, K extends string, O extends string> {
  readonly name: N;
  readonly doc: string;
  readonly aliases?: readonly string[];
  readonly discrete?: boolean;
  /** Required parameters, in documentation order. */
  readonly params: { readonly [k in K]: ParamDecl };
  /** Optional parameters with their defaults. */
  readonly optional?: { readonly [k in O]: OptionalParamDecl };
  readonly example: NoInfer<{ readonly [k in K]: number } & { readonly [k in O]?: number }>;
  /**
   * Conditions between parameters (each parameter's own range is checked from its decl). Gets
   * only the values present; `show(k)` is the value as the user wrote it.
   */
  relations?(p: Partial<Numbers<K | O>>, show: (k: K | O) => string): LawIssue[];
  cdf(p: Numbers<K | O>, x: number): number;
  quantile(p: Numbers<K | O>, q: number): number;
  mass(p: Numbers<K | O>, lo: number, hi: number): number;
  /** A sampler for one column: per-row parameters by name, its own truncation memo. */
  sampler(p: RowFns<K | O>): Draw;
}

/** The spec's shape of a parametric law's parameters. */
export type ParametricParams<K extends string, O extends string> = { [k in K]: ParamValue } & {
  [k in O]?: ParamValue;
};

/** Build a law record from a parametric definition. */
export function parametric<const N extends string, K extends string, O extends string = never>(
  def: ParametricDef<N, K, O>,
): Law<N, ParametricParams<K, O>> {
  const required = def.params as Readonly<Record<string, ParamDecl>>;
  const optional = (def.optional ?? {}) as Readonly<Record<string, OptionalParamDecl>>;
  const all: Readonly<Record<string, ParamDecl>> = { ...required, ...optional };
  const shape: Record<string, z.ZodType> = {};
  // Each parameter's description: what it is, then that it may be an expression (JSON Schema, editors).
  const either = "A number, or an expression over the column's parents.";
  for (const [k, d] of Object.entries(required)) shape[k] = ParamValue.describe(`${d.doc} ${either}`);
  for (const [k, d] of Object.entries(optional))
    shape[k] = ParamValue.optional().describe(`${d.doc} Default ${d.default}. ${either}`);
  const schema = z.strictObject(shape) as unknown as z.ZodType<ParametricParams<K, O>>;
  const keys = Object.keys(all) as (K | O)[];
  const withDefaults = (values: Readonly<Record<string, number>>): Numbers<K | O> => {
    const out: Record<string, number> = {};
    for (const k of keys)
      out[k] = values[k] ?? (optional[k] as OptionalParamDecl | undefined)?.default ?? Number.NaN;
    return out as Numbers<K | O>;
  };
  const issuesOf = (values: Readonly<Record<string, number | undefined>>, show: (k: K | O) => string) => {
    const own = rangeIssues(def.name, all, values);
    // Relations only between parameters whose own values are valid: one message per mistake.
    const valid: Record<string, number> = {};
    for (const k of keys) {
      const v = values[k];
      if (v !== undefined && !own.some((i) => i.param === k)) valid[k] = v;
    }
    return [...own, ...(def.relations?.(valid as Partial<Numbers<K | O>>, show) ?? [])];
  };
  const label = (p: Numbers<K | O>) => `${def.name}(${keys.map((k) => `${k}=${p[k]}`).join(', ')})`;
  return {
    name: def.name,
    doc: def.doc,
    example: def.example as ParametricParams<K, O>,
    aliases: def.aliases ?? [],
    discrete: def.discrete ?? false,
    schema,
    params: all,
    synonyms: new Map(
      Object.entries(all)
        .reverse() // the first parameter to claim a synonym keeps it
        .flatMap(([k, d]) => (d.synonyms ?? []).map((syn) => [syn, k] as const)),
    ),
    check(raw, literal) {
      const values: Record<string, number | undefined> = {};
      for (const k of keys) values[k] = literal(k);
      return issuesOf(values, (k) => String(raw[k]));
    },
    fixed(_raw, values) {
      const p = withDefaults(values);
      const issue = issuesOf(p, (k) => String(p[k]))[0];
      if (issue) return `${issue.message} (${issue.fix})`;
      const constant: Record<string, (row: Row) => number> = {};
      for (const k of keys) {
        const v = p[k];
        constant[k] = () => v;
      }
      let draw: Draw | undefined;
      return {
        discrete: def.discrete ?? false,
        label: label(p),
        cdf: (x) => def.cdf(p, x),
        quantile: (q) => def.quantile(p, q),
        mass: (lo, hi) => (lo <= hi ? def.mass(p, lo, hi) : 0),
        sample(s, lo = Number.NEGATIVE_INFINITY, hi = Number.POSITIVE_INFINITY) {
          draw ??= def.sampler(constant as RowFns<K | O>);
          return draw(NO_ROW, s, lo, hi);
        },
      };
    },
    sampler(_raw: ParametricParams<K, O>, fns: RowFns): Draw {
      const filled: Record<string, (row: Row) => number> = {};
      for (const k of keys) {
        const d = (optional[k] as OptionalParamDecl | undefined)?.default;
        filled[k] = fns[k] ?? (() => d ?? Number.NaN);
      }
      return def.sampler(filled as RowFns<K | O>);
    },
  };
}
