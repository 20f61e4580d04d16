/**
 * Column mechanisms: how one column's value is drawn given its parents' values.
 *
 * A mechanism is a closure `(row, rng, lo, hi, rowNo) => Value`. `lo`/`hi` are truncation bounds
 * for numeric columns (spec min/max intersected with bounds from rules, evaluated per row); numeric
 * draws honour them by construction (inverse CDF on the truncated range). A draw that cannot meet
 * its bounds returns NaN; the row sampler turns that into a retry and, if it persists, an error.
 */
import { createRequire } from 'node:module';
import type { Faker, LocaleDefinition } from '@faker-js/faker';
import { StrataError } from '../errors.js';
import { nameMap } from '../names.js';
import { AliasTable, type FixedLaw, lawOfDist, type Stream } from '../random/index.js';
import {
  type CategoryValues,
  type Column,
  type Conditional,
  DEFAULT_OTHER_STATE,
  type Dist,
} from '../spec/schema.js';
import { binIndex, conditionalResolver, indexedResolver, MISSING_STATE } from './conditional-rows.js';
import type { ModelContext } from './context.js';
import { fastFakerMethod } from './fast-faker.js';
import { gridOf } from './grid.js';
import { compileExpr, compileParam, type NumFn, toNumber } from './params.js';
import { textMechanism } from './text-mechanism.js';
import { parseIsoDate, roundTo, type Value } from './values.js';

export type Sampler = (row: Value[], rng: Stream, lo: number, hi: number, rowNo: number) => Value;
type Path = readonly (string | number)[];

export interface Mechanism {
  sample: Sampler;
  /** Column names this mechanism reads. */
  refs: string[];
}

/** Restrictions on the values of a discrete column, from rules like `x in [...]` / `x != 'a'`. */
export interface ValueFilter {
  allowed?: ReadonlySet<string>;
  excluded?: ReadonlySet<string>;
}

/** Whether a rule-derived filter lets value `v` (as text) through. */
function allows(filter: ValueFilter | undefined, v: string): boolean {
  return (!filter?.allowed || filter.allowed.has(v)) && !filter?.excluded?.has(v);
}

const NUMERIC_TYPES = new Set(['integer', 'number', 'datetime', 'date']);
export const isNumericType = (t: Column['type']) => NUMERIC_TYPES.has(t);

// ---------------------------------------------------------------------------------------------
// Numeric draws

type Draw = (row: Value[], rng: Stream, lo: number, hi: number) => number;

interface DistDraw {
  draw: Draw;
  discrete: boolean;
  /** The law with its parameters, when every parameter is a constant (or a reason it is not). */
  fixed: FixedLaw | string;
}

/**
 * A dist's sampler from the law registry: each parameter the law declares is compiled by name
 * (a number, an ISO date or an expression of parents) and handed to the law's sampler.
 */
function distDraw(ctx: ModelContext, dist: Dist, path: Path, refs: string[]): DistDraw {
  const found = lawOfDist(dist);
  if (!found) {
    throw ctx.error(
      path,
      'model.unknown_distribution',
      `unknown distribution "${Object.keys(dist).join(', ')}"`,
    );
  }
  const { law, params } = found;
  const ppath = [...path, law.name];
  // The spec checks ran these already; a Spec object built in code may reach here unchecked.
  const literal = (k: string) => {
    const v = params[k];
    return typeof v === 'number' ? v : typeof v === 'string' ? parseIsoDate(v) : undefined;
  };
  const issue = law.check(params, literal)[0];
  if (issue) {
    throw ctx.error(
      [...ppath, issue.param, ...(issue.at ?? [])],
      `model.${issue.code ?? 'bad_parameter'}`,
      issue.message,
      issue.fix,
    );
  }
  const fns: Record<string, NumFn> = nameMap();
  const constants: Record<string, number> = nameMap();
  let allConstant = true;
  for (const key of Object.keys(law.params)) {
    const v = params[key];
    if (v === undefined) continue; // optional: the law's default
    const cp = compileParam(ctx, v as string | number, [...ppath, key]);
    refs.push(...cp.refs);
    fns[key] = cp.fn;
    if (cp.constant === undefined) allConstant = false;
    else constants[key] = cp.constant;
  }
  const placed = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      // The law's own validation (e.g. an empirical table) knows no place: give it the dist's.
      if (e instanceof StrataError && !e.place.path) throw ctx.error(ppath, e.code, e.message, e.hint);
      throw e;
    }
  };
  const draw = placed(() => law.sampler(params, fns)) as Draw;
  const fixed = allConstant
    ? placed(() => law.fixed(params, constants))
    : 'its parameters are expressions of parent columns';
  return { draw, discrete: law.discrete, fixed };
}

/** The values each numeric type can hold and write: what a draw must stay inside. */
const TYPE_RANGE: Partial<Record<Column['type'], { lo: number; hi: number; what: string }>> = {
  // JavaScript dates (and so ISO text) end 100,000,000 days either side of 1970.
  datetime: {
    lo: -8.64e15,
    hi: 8.64e15,
    what: 'a datetime can hold: -271821-04-20 to +275760-09-13 (±8.64e15 ms from 1970)',
  },
  date: {
    lo: -8.64e15,
    hi: 8.64e15,
    what: 'a date can hold: -271821-04-20 to +275760-09-13 (±8.64e15 ms from 1970)',
  },
  integer: {
    lo: -Number.MAX_SAFE_INTEGER,
    hi: Number.MAX_SAFE_INTEGER,
    what: 'an integer can hold exactly: ±9007199254740991 (2^53 − 1)',
  },
  number: { lo: -Number.MAX_VALUE, hi: Number.MAX_VALUE, what: 'a number can hold: finite values' },
};

/**
 * Constant-parameter checks at load time: truncation bounds that leave no probability, and a law
 * that puts its values outside what the column's type can hold (a datetime with mean 1e300).
 */
function checkFixed(
  ctx: ModelContext,
  fixed: FixedLaw | string,
  col: Column,
  path: Path,
  lo: number,
  hi: number,
  discrete: boolean,
): void {
  if (typeof fixed === 'string') return;
  // Check the interval the draw really uses (typedNumeric): an integer column's continuous law is
  // drawn on [a − 0.5, b + 0.5) and rounded, a truncated date on [a, next(b)). Without this, a
  // constant integer column (min = max = 0) that fit writes was refused at load.
  [lo, hi] = drawInterval(col, discrete, lo, hi);
  const mass = fixed.mass(lo, hi);
  if (!(mass > 1e-300)) {
    throw ctx.error(
      path,
      'model.empty_truncation',
      `min/max [${col.min ?? '-inf'}, ${col.max ?? 'inf'}] leave no probability under ${fixed.label}`,
      'widen min/max or move the distribution',
    );
  }
  const range = TYPE_RANGE[col.type];
  if (!range) return;
  const inside = fixed.mass(Math.max(lo, range.lo), Math.min(hi, range.hi));
  // Relative to the mass inside min/max; 1e-9 leaves room for rounding in the masses.
  if (inside >= mass * (1 - 1e-9)) return;
  const share = 1 - (inside > 0 ? inside / mass : 0);
  throw ctx.error(
    path,
    'model.out_of_range',
    `${fixed.label} puts ${share >= 0.9995 ? 'its values' : `${+(share * 100).toPrecision(3)}% of its values`} outside what ${range.what}`,
    `bring the parameters into that range, or set min/max inside it`,
  );
}

/** The interval a column's continuous draw covers for the bounds [lo, hi] (see typedNumeric). */
function drawInterval(col: Column, discrete: boolean, lo: number, hi: number): [number, number] {
  if (col.type === 'integer' && !discrete) {
    const a = Math.ceil(lo);
    const b = Math.floor(hi);
    return a > b ? [lo, hi] : [a - 0.5, b + 0.49999999];
  }
  if (col.type === 'date' || col.type === 'datetime') {
    const g = gridOf(col);
    if (g && g.mode === 'floor') {
      const a = g.atLeast(lo, false);
      const b = g.atMost(hi, false);
      return a > b || b === Number.POSITIVE_INFINITY ? [lo, hi] : [a, g.next(b) - 1];
    }
  }
  return [lo, hi];
}

export function boundOf(ctx: ModelContext, v: number | string | undefined, path: Path): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  const d = parseIsoDate(v);
  if (d !== undefined) return d;
  const n = Number(v);
  if (v.trim() !== '' && Number.isFinite(n)) return n;
  throw ctx.error(
    path,
    'model.bad_bound',
    `"${v}" is not a number or an ISO date`,
    'write e.g. 0 or "2020-01-01"',
  );
}

/**
 * Wrap a continuous draw into the column's output type, on its output grid (grid.ts): the value
 * is a grid point inside [lo, hi] (the bounds moved onto the grid: a strict bound arrives as the
 * next double past it, so it moves a whole step), the value that is written.
 *  - integers: drawn on [a − 0.5, b + 0.49999999] and rounded;
 *  - numbers: rounded to `decimals`, kept inside the snapped bounds;
 *  - datetimes written at ms (`iso`, `epoch_ms`) or rounded (`epoch_s`): rounded to the grid;
 *  - dates and datetimes written truncated (a pattern, `date`): drawn on [a, next(b)) — exactly
 *    the draws the writer maps into [a, b] — and truncated, so the top grid point gets its share.
 */
function typedNumeric(
  col: Column,
  draw: Draw,
  discrete: boolean,
  outOfRange: (x: number, row: Value[]) => never,
): (row: Value[], rng: Stream, lo: number, hi: number) => number {
  // Each wrapper refuses a value its type cannot hold (row-dependent parameters can reach one
  // that the load-time check could not see); NaN still means "no value in these bounds".
  if (col.type === 'integer') {
    const max = Number.MAX_SAFE_INTEGER;
    if (discrete)
      return (r, g, lo, hi) => {
        const x = draw(r, g, Math.ceil(lo), Math.floor(hi));
        return x > max || x < -max ? outOfRange(x, r) : x;
      };
    return (r, g, lo, hi) => {
      const a = Math.ceil(lo);
      const b = Math.floor(hi);
      if (a > b) return Number.NaN;
      const x = Math.round(draw(r, g, a - 0.5, b + 0.49999999));
      if (x > max || x < -max) return outOfRange(x, r);
      return x < a ? a : Math.min(x, b);
    };
  }
  const grid = gridOf(col);
  if (col.type === 'date' || col.type === 'datetime') {
    const ms = col.type === 'datetime';
    const g = grid!;
    if (g.mode === 'floor')
      return (r, g2, lo, hi) => {
        const a = g.atLeast(lo, false);
        const b = g.atMost(hi, false);
        if (a > b) return Number.NaN;
        // A datetime is whole ms first (as the writer rounds), then truncated to the grid.
        const top = b === Number.POSITIVE_INFINITY ? b : g.next(b) - 1;
        const x = draw(r, g2, a, top);
        if (x > 8.64e15 || x < -8.64e15) return outOfRange(x, r);
        const v = g.snap(ms ? Math.round(x) : x);
        return v < a ? a : Math.min(v, b);
      };
    return (r, g2, lo, hi) => {
      const a = g.atLeast(lo, false);
      const b = g.atMost(hi, false);
      if (a > b) return Number.NaN;
      const x = Math.round(draw(r, g2, lo, hi));
      if (x > 8.64e15 || x < -8.64e15) return outOfRange(x, r);
      const v = g.snap(x);
      return v < a ? a : Math.min(v, b);
    };
  }
  if (!grid) {
    // decimals ≥ 15: kept as drawn
    return (r, g, lo, hi) => {
      const x = draw(r, g, lo, hi);
      return Number.isFinite(x) || Number.isNaN(x) ? x : outOfRange(x, r);
    };
  }
  return (r, g, lo, hi) => {
    const a = grid.atLeast(lo, false);
    const b = grid.atMost(hi, false);
    if (a > b) return Number.NaN;
    const x = draw(r, g, lo, hi);
    const y = grid.snap(x);
    if (y === Number.POSITIVE_INFINITY || y === Number.NEGATIVE_INFINITY) return outOfRange(x, r);
    if (Number.isNaN(y)) return y;
    return y < a ? a : Math.min(y, b);
  };
}

// ---------------------------------------------------------------------------------------------
// Discrete draws

function parseLevel(col: Column, key: string | number | boolean): Value {
  if (col.type === 'boolean') {
    if (typeof key === 'boolean') return key;
    const k = String(key).toLowerCase();
    return k === 'true' || k === '1' || k === 'yes';
  }
  if (col.type === 'integer' || col.type === 'number') return typeof key === 'number' ? key : Number(key);
  if (col.type === 'datetime' || col.type === 'date') {
    return typeof key === 'number' ? key : (parseIsoDate(String(key)) ?? Number(key));
  }
  return typeof key === 'string' ? key : String(key);
}

function valuesDraw(
  ctx: ModelContext,
  col: Column,
  values: CategoryValues,
  path: Path,
  refs: string[],
  filter: ValueFilter | undefined,
): (row: Value[], rng: Stream) => Value {
  const entries: [string | number | boolean, number | string][] = Array.isArray(values)
    ? values.map((v) => [v, 1])
    : Object.entries(values);
  const kept = entries.filter(([k]) => allows(filter, String(k)));
  const levels = kept.map(([k]) => parseLevel(col, k));
  const weights = kept.map(([k, w]) => {
    const cp = compileParam(ctx, w, [...path, String(k)]);
    refs.push(...cp.refs);
    return cp;
  });
  const total = weights.reduce((s, w) => s + (w.constant ?? 1), 0);
  if (kept.length === 0 || !(total > 0)) {
    throw ctx.error(
      path,
      'model.no_values',
      filter ? 'no value is left once the rules restricting this column are applied' : 'all weights are zero',
      filter
        ? 'check the `in [...]` / `!=` rules against the listed values'
        : 'give at least one value a positive weight',
    );
  }
  if (weights.every((w) => w.constant !== undefined)) {
    const bad = weights.findIndex((w) => !(w.constant! >= 0));
    if (bad >= 0) throw ctx.error([...path, String(kept[bad][0])], 'model.bad_weight', 'weights must be ≥ 0');
    const alias = new AliasTable(weights.map((w) => w.constant!));
    return (_r, g) => levels[alias.sample(g)];
  }
  const ws = new Float64Array(levels.length);
  return (r, g) => {
    let sum = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = weights[i].fn(r);
      ws[i] = Math.max(w, 0);
      sum += ws[i];
    }
    if (!(sum > 0)) return Number.NaN;
    let u = g.nextFloat() * sum;
    for (let i = 0; i < ws.length; i++) {
      u -= ws[i];
      if (u < 0) return levels[i];
    }
    return levels[levels.length - 1];
  };
}

// ---------------------------------------------------------------------------------------------
// Faker strings

const FORBIDDEN_KEYS = new Set(['constructor', '__proto__', 'prototype']);
const requireFaker = createRequire(import.meta.url);

/**
 * A Faker locale's merged definitions (with en and base fallbacks), loaded on demand: importing
 * Faker's main entry loads every locale (~40 MB per worker thread).
 */
function loadLocale(name: string): LocaleDefinition | undefined {
  if (!/^[a-z]{2,3}(_[A-Za-z]{2,4})*$/.test(name)) return undefined;
  try {
    const mod = requireFaker(`@faker-js/faker/locale/${name}`) as { faker?: Faker };
    return mod.faker?.rawDefinitions;
  } catch {
    return undefined;
  }
}

function fakerMethod(ctx: ModelContext, col: Column, path: Path): (rng: Stream) => Value {
  const holder: { rng: Stream | undefined } = { rng: undefined };
  const randomizer = {
    next: () => holder.rng!.nextFloat(),
    seed: () => {},
  };
  // Faker loads with the first faker: column, not with this module (most tables have none).
  const fakerEn = (requireFaker('@faker-js/faker/locale/en') as { faker: Faker }).faker;
  let definitions: LocaleDefinition = fakerEn.rawDefinitions;
  if (col.locale && col.locale !== 'en') {
    const loc = loadLocale(col.locale);
    if (!loc) {
      throw ctx.error(
        [...path, 'locale'],
        'model.unknown_locale',
        `unknown Faker locale "${col.locale}"`,
        'e.g. en, de, fr, ja, en_GB',
      );
    }
    definitions = loc;
  }
  const FakerClass = fakerEn.constructor as new (opts: {
    locale: LocaleDefinition;
    randomizer: typeof randomizer;
  }) => Faker;
  const faker = new FakerClass({ locale: definitions, randomizer });
  const parts = col.faker!.split('.');
  let target: unknown = faker;
  let owner: unknown = faker;
  for (const p of parts) {
    if (target === null || typeof target !== 'object' || FORBIDDEN_KEYS.has(p)) {
      target = undefined;
      break;
    }
    owner = target;
    target = (target as Record<string, unknown>)[p];
  }
  if (typeof target !== 'function') {
    throw ctx.error(
      [...path, 'faker'],
      'model.unknown_faker',
      `unknown Faker method "${col.faker}"`,
      'e.g. internet.email',
    );
  }
  const fast = fastFakerMethod(faker, col.faker!);
  if (fast) return fast;
  const fn = (target as () => unknown).bind(owner);
  return (rng) => {
    holder.rng = rng;
    const v = fn();
    return v === undefined || v === null
      ? null
      : typeof v === 'number' || typeof v === 'boolean'
        ? v
        : String(v);
  };
}

// ---------------------------------------------------------------------------------------------

/** A mechanism of one of the plain forms (dist / values / p) — also used inside conditional rows. */
function plainMechanism(
  ctx: ModelContext,
  col: Column,
  m: { dist?: Dist; values?: CategoryValues; p?: number | string },
  path: Path,
  filter: ValueFilter | undefined,
  specBounds: { lo: number; hi: number },
): Mechanism | undefined {
  const refs: string[] = [];
  if (m.dist) {
    if (!isNumericType(col.type)) {
      throw ctx.error(
        [...path, 'dist'],
        'model.dist_on_discrete',
        `a ${col.type} column cannot have a dist`,
        'use values:',
      );
    }
    const dpath = [...path, 'dist'];
    const { draw, discrete, fixed } = distDraw(ctx, m.dist, dpath, refs);
    checkFixed(ctx, fixed, col, dpath, specBounds.lo, specBounds.hi, discrete);
    const range = TYPE_RANGE[col.type];
    const outOfRange = (x: number, row: Value[]): never => {
      const parents = [...new Set(refs)]
        .map((name) => `${name}=${String(row[ctx.columnIndex.get(name) ?? -1] ?? 'null')}`)
        .join(', ');
      throw ctx.error(
        dpath,
        'model.out_of_range',
        `drew ${x}${parents ? ` (for ${parents})` : ''}, outside what ${range?.what ?? 'this column can hold'}`,
        'keep the parameters inside that range for every parent value, or set min/max inside it',
      );
    };
    const typed = typedNumeric(col, draw, discrete, outOfRange);
    // no wrapper: a conditional table calls thousands of these from one site (megamorphic), so
    // each layer is a full call
    return { sample: typed, refs };
  }
  if (m.values) {
    const draw = valuesDraw(ctx, col, m.values, [...path, 'values'], refs, filter);
    return { sample: draw, refs };
  }
  if (m.p !== undefined) {
    const cp = compileParam(ctx, m.p, [...path, 'p']);
    refs.push(...cp.refs);
    const allowT = allows(filter, 'true');
    const allowF = allows(filter, 'false');
    if (!allowT && !allowF) throw ctx.error(path, 'model.no_values', 'rules exclude both true and false');
    return {
      sample: (r, g) => {
        const p = cp.fn(r);
        const b = g.nextFloat() < p;
        if (!(p >= 0 && p <= 1)) return Number.NaN;
        return allowT && allowF ? b : allowT;
      },
      refs,
    };
  }
  return undefined;
}

function conditionalMechanism(
  ctx: ModelContext,
  col: Column,
  cond: Conditional,
  path: Path,
  filter: ValueFilter | undefined,
  specBounds: { lo: number; hi: number },
): Mechanism {
  const refs: string[] = [];
  // A parent given by `expr` (a numeric expression, binned by its breaks) is evaluated per draw
  // into a scratch row the table is looked up in; parents by `column` are read in place.
  const exprs = cond.parents.map((p, i) =>
    p.expr !== undefined ? compileExpr(ctx, p.expr, [...path, 'parents', i, 'expr']) : undefined,
  );
  const parentIdx = cond.parents.map((p, i) => {
    const e = exprs[i];
    if (e) {
      refs.push(...e.refs);
      return i;
    }
    const idx = p.column === undefined ? undefined : ctx.columnIndex.get(p.column);
    if (idx === undefined) {
      throw ctx.error(
        [...path, 'parents', i, p.column === undefined ? 'expr' : 'column'],
        'model.unknown_column',
        p.column === undefined
          ? 'a conditional parent needs a column or an expr'
          : `unknown column "${p.column}"`,
        'name a column (column: x) or give a numeric expression (expr: "…")',
      );
    }
    refs.push(p.column!);
    return idx;
  });
  const byExpr = exprs.some((e) => e !== undefined);
  const scratch: Value[] = byExpr ? new Array<Value>(cond.parents.length).fill(null) : [];
  const scratchIdx = cond.parents.map((_, i) => i);
  const parentRow = (r: readonly Value[]): readonly Value[] => {
    if (!byExpr) return r;
    for (let i = 0; i < exprs.length; i++) {
      const e = exprs[i];
      scratch[i] = e ? e.evaluate(r) : r[parentIdx[i]];
    }
    return scratch;
  };
  const lookupIdx = byExpr ? scratchIdx : parentIdx;
  const breaks = cond.parents.map((p) => (p.breaks ? Float64Array.from(p.breaks) : undefined));
  const stateOf = (v: Value, i: number): string => {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) return MISSING_STATE;
    const b = breaks[i];
    if (!b) return String(v);
    return String(binIndex(b, typeof v === 'number' ? v : toNumber(v)));
  };
  type Sub = { sample: Sampler; missing: number };
  const build = (
    row: { values?: CategoryValues; dist?: Dist; p?: number | string; missing?: number },
    p: Path,
  ): Sub => {
    const m = plainMechanism(ctx, col, row, p, filter, specBounds);
    if (!m) {
      if ((row.missing ?? 0) >= 1) return { sample: () => null, missing: 1 };
      throw ctx.error(
        p,
        'model.empty_state',
        'this state has no values, dist or p',
        'add one, or missing: 1',
      );
    }
    refs.push(...m.refs);
    return { sample: m.sample, missing: row.missing ?? 0 };
  };
  const subs = cond.rows.map((row, i) => {
    const rp = [...path, 'rows', i];
    if (row.when.length !== cond.parents.length) {
      throw ctx.error(
        [...rp, 'when'],
        'model.when_length',
        `when has ${row.when.length} labels but there are ${cond.parents.length} parents`,
      );
    }
    return { when: row.when, sub: build(row, rp) };
  });
  const fallback = cond.default ? build(cond.default, [...path, 'default']) : undefined;
  const n = parentIdx.length;
  const key: string[] = new Array(n);
  // By label strings: only when the parents' labels are too many to number (built on demand).
  const byLabels = () => {
    const resolve = conditionalResolver(subs);
    return (r: readonly Value[]) => {
      for (let i = 0; i < n; i++) key[i] = stateOf(r[lookupIdx[i]], i);
      return resolve(key);
    };
  };
  const lookup = indexedResolver(subs, breaks, toNumber) ?? byLabels();
  return {
    refs,
    sample: (r, g, lo, hi, rowNo) => {
      const pr = parentRow(r);
      const sub = lookup(pr, lookupIdx)?.sub ?? fallback;
      if (!sub) {
        for (let i = 0; i < n; i++) key[i] = stateOf(pr[lookupIdx[i]], i);
        throw ctx.error(
          path,
          'model.unknown_state',
          `no row for parent state (${cond.parents.map((p, i) => `${p.column ?? p.expr}=${key[i]}`).join(', ')}) and no default`,
          'add a default: to the conditional table',
        );
      }
      if (sub.missing > 0 && g.nextFloat() < sub.missing) return null;
      return sub.sample(r, g, lo, hi, rowNo);
    },
  };
}

function uuidFrom(g: Stream): string {
  const h = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  const a = h(g.nextUint32());
  const b = h(g.nextUint32());
  const c = h(g.nextUint32());
  const d = h(g.nextUint32());
  const variant = ((Number.parseInt(c[0], 16) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** Parse a `do:` value for a column's type. */
export function interventionValue(col: Column, v: string | number | boolean): Value {
  if (typeof v !== 'string') return col.type === 'boolean' ? Boolean(v) : v;
  return parseLevel(col, v);
}

const BOOLEAN_WORDS = new Set(['true', 'false', '1', '0', 'yes', 'no']);

/**
 * Why a `do:` value cannot be the column's value (undefined: it can): a number or date that does
 * not parse, a boolean word that is none, or a category value outside every value the column lists
 * (its values, its conditional rows' and default's, its pooled `other` state). Without this the
 * value was written as given ("zzz" in a two-value column, NaN) and its children fell to defaults.
 */
export function interventionProblem(
  col: Column,
  raw: string | number | boolean,
  value: Value,
): { message: string; hint: string } | undefined {
  const t = col.type;
  if ((t === 'integer' || t === 'number') && !(typeof value === 'number' && Number.isFinite(value)))
    return { message: `"${raw}" is not a number`, hint: 'give a number, e.g. --do x=42' };
  if ((t === 'datetime' || t === 'date') && !(typeof value === 'number' && Number.isFinite(value)))
    return {
      message: `"${raw}" is not a date`,
      hint: 'give an ISO date, e.g. 2021-03-04 or 2021-03-04T10:15:00Z',
    };
  if (t === 'boolean' && typeof raw === 'string' && !BOOLEAN_WORDS.has(raw.toLowerCase()))
    return { message: `"${raw}" is not true or false`, hint: 'give true or false' };
  const levels = new Set<string>();
  const add = (values: CategoryValues | undefined) => {
    if (values === undefined) return;
    for (const k of Array.isArray(values) ? values : Object.keys(values)) levels.add(String(k));
  };
  add(col.values);
  for (const r of col.conditional?.rows ?? []) add(r.values);
  add(col.conditional?.default?.values);
  if (levels.size === 0 || t === 'boolean' || value === null) return undefined;
  if (col.other) levels.add(col.other.state ?? DEFAULT_OTHER_STATE);
  if (levels.has(String(value))) return undefined;
  const listed = [...levels];
  return {
    message: `"${raw}" is not a value of this column`,
    hint: `give one of: ${listed.slice(0, 20).join(', ')}${listed.length > 20 ? `, … (${listed.length} values)` : ''}`,
  };
}

/**
 * Compile a column's mechanism. `filter` carries value restrictions from rules; `specBounds` the
 * column's own min/max (for compile-time feasibility checks).
 */
export function compileMechanism(
  ctx: ModelContext,
  name: string,
  col: Column,
  path: Path,
  filter: ValueFilter | undefined,
  specBounds: { lo: number; hi: number },
): Mechanism {
  let base: Mechanism;
  if (col.expr !== undefined) {
    const e = compileExpr(ctx, col.expr, [...path, 'expr']);
    const source = col.expr;
    // Expressions are total except for a text over MAX_STRING_LENGTH: say which column built it.
    const evaluate = (row: readonly Value[]): Value => {
      try {
        return e.evaluate(row);
      } catch (err) {
        throw ctx.wrapExprError(err, [...path, 'expr'], source);
      }
    };
    const dec = col.decimals;
    const t = col.type;
    const grid = t === 'datetime' || t === 'date' ? gridOf(col) : undefined;
    const convert = (v: Value): Value => {
      if (v === null) return null;
      switch (t) {
        case 'integer': {
          const x = toNumber(v);
          return Number.isFinite(x) ? Math.round(x) : null;
        }
        case 'number': {
          const x = toNumber(v);
          return Number.isFinite(x) ? roundTo(x, dec ?? 2) : null;
        }
        case 'datetime':
        case 'date': {
          // On the output grid, as written: a rule reading it sees the written value.
          const x = toNumber(v);
          return Number.isFinite(x) ? (grid ? grid.snap(Math.round(x)) : x) : null;
        }
        case 'boolean':
          return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : v === 'true';
        case 'category':
        case 'string':
          return String(v);
        default:
          return v;
      }
    };
    base = { sample: (r) => convert(evaluate(r as never) as Value), refs: [...e.refs] };
  } else if (col.type === 'id') {
    const start = col.start ?? 1;
    const prefix = col.prefix ?? '';
    base =
      col.id === 'uuid'
        ? { sample: (_r, g) => prefix + uuidFrom(g), refs: [] }
        : {
            sample: (_r, _g, _lo, _hi, rowNo) => (prefix ? `${prefix}${start + rowNo}` : start + rowNo),
            refs: [],
          };
  } else if (col.conditional) {
    base = conditionalMechanism(ctx, col, col.conditional, [...path, 'conditional'], filter, specBounds);
  } else if (col.type === 'string' && col.text) {
    base = textMechanism(ctx, col, col.text, [...path, 'text']);
  } else if (col.type === 'string' && col.faker) {
    const f = fakerMethod(ctx, col, path);
    base = { sample: (_r, g) => f(g), refs: [] };
  } else {
    const m = plainMechanism(ctx, col, col, path, filter, specBounds);
    if (!m) {
      throw ctx.error(
        path,
        'model.no_mechanism',
        `column "${name}" (${col.type}) has no way to be generated`,
        col.type === 'string'
          ? 'add faker:, text:, values: or expr:'
          : isNumericType(col.type)
            ? 'add dist:, values:, conditional: or expr:'
            : 'add values:, conditional: or expr:',
      );
    }
    base = m;
  }
  if (col.missing === undefined || col.missing === 0) return base;
  const miss = compileParam(ctx, col.missing, [...path, 'missing']);
  const inner = base.sample;
  return {
    refs: [...base.refs, ...miss.refs],
    sample: (r, g, lo, hi, rowNo) => {
      const u = g.nextFloat();
      return u < miss.fn(r) ? null : inner(r, g, lo, hi, rowNo);
    },
  };
}

/** A constant mechanism for `do: col = value`. */
export function interventionMechanism(value: Value): Mechanism {
  return { sample: () => value, refs: [] };
}
