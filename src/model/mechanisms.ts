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
import {
  AliasTable,
  AnchoredEmpirical,
  atomsFromRecord,
  Empirical,
  NormalPlanMemo,
  PlanMemo,
  type Stream,
  sampleBeta,
  sampleBinomial,
  sampleExponential,
  sampleGamma,
  sampleLognormal,
  sampleNormal,
  samplePoisson,
  sampleUniform,
  truncatedMass,
} from '../random/index.js';
import type { CategoryValues, Column, Conditional, Dist, EmpiricalParams } from '../spec/schema.js';
import { binIndex, conditionalResolver, indexedResolver, MISSING_STATE } from './conditional-rows.js';
import type { ModelContext } from './context.js';
import { fastFakerMethod } from './fast-faker.js';
import { compileExpr, compileParam, type NumFn, toNumber } from './params.js';
import { ceilTo, floorTo, parseIsoDate, roundTo, type Value } from './values.js';

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
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Numeric draws

type Draw = (row: Value[], rng: Stream, lo: number, hi: number) => number;

function distDraw(
  ctx: ModelContext,
  dist: Dist,
  path: Path,
  refs: string[],
): { draw: Draw; discrete: boolean } {
  const name = Object.keys(dist)[0] as keyof Dist;
  const params = (dist as Record<string, Record<string, unknown>>)[name];
  const ppath = [...path, name];
  const P = (key: string): NumFn => {
    const cp = compileParam(ctx, params[key] as string | number, [...ppath, key]);
    refs.push(...cp.refs);
    return cp.fn;
  };
  switch (name) {
    case 'normal': {
      const m = P('mean');
      const s = P('sd');
      const memo = new NormalPlanMemo(); // per column: see NormalPlanMemo
      return { draw: (r, g, lo, hi) => sampleNormal(g, m(r), s(r), lo, hi, memo), discrete: false };
    }
    case 'lognormal': {
      const m = P('meanlog');
      const s = P('sdlog');
      const memo = new NormalPlanMemo();
      return { draw: (r, g, lo, hi) => sampleLognormal(g, m(r), s(r), lo, hi, memo), discrete: false };
    }
    case 'uniform': {
      const a = P('min');
      const b = P('max');
      return { draw: (r, g, lo, hi) => sampleUniform(g, a(r), b(r), lo, hi), discrete: false };
    }
    case 'exponential': {
      const rate = P('rate');
      return { draw: (r, g, lo, hi) => sampleExponential(g, rate(r), lo, hi), discrete: false };
    }
    case 'gamma': {
      const k = P('shape');
      const th = P('scale');
      const memo = new PlanMemo();
      return { draw: (r, g, lo, hi) => sampleGamma(g, k(r), th(r), lo, hi, memo), discrete: false };
    }
    case 'beta': {
      const a = P('alpha');
      const b = P('beta');
      const memo = new PlanMemo();
      return { draw: (r, g, lo, hi) => sampleBeta(g, a(r), b(r), lo, hi, memo), discrete: false };
    }
    case 'poisson': {
      const l = P('lambda');
      return { draw: (r, g, lo, hi) => samplePoisson(g, l(r), lo, hi), discrete: true };
    }
    case 'binomial': {
      const n = P('n');
      const p = P('p');
      return { draw: (r, g, lo, hi) => sampleBinomial(g, n(r), p(r), lo, hi), discrete: true };
    }
    case 'constant': {
      const v = P('value');
      return {
        draw: (r, _g, lo, hi) => {
          const x = v(r);
          return x >= lo && x <= hi ? x : Number.NaN;
        },
        discrete: false,
      };
    }
    case 'empirical': {
      const e = (dist as { empirical: EmpiricalParams }).empirical;
      const atomsOf = (m: Record<string, number> | undefined, key: string) => {
        const list = atomsFromRecord(m);
        if (list.some((a) => !Number.isFinite(a.value)))
          throw ctx.error([...ppath, key], 'model.bad_atom', `${key} keys must be numbers`);
        return list;
      };
      const atoms = atomsOf(e.atoms, 'atoms');
      if (e.shift === undefined) {
        for (const key of ['offsets', 'continuous', 'slope'] as const)
          if (e[key] !== undefined)
            throw ctx.error(
              [...ppath, key],
              'model.needs_shift',
              `${key} only means something with a shift`,
              'add shift: <parent column>, or remove it',
            );
        const emp = new Empirical(e.knots, atoms);
        return { draw: (_r, g, lo, hi) => emp.sample(g, lo, hi), discrete: false };
      }
      const shift = P('shift');
      const anchored = new AnchoredEmpirical(
        e.knots,
        atoms,
        atomsOf(e.offsets, 'offsets'),
        e.continuous === 'offset',
        e.slope ?? 1,
      );
      if (e.slope !== undefined && e.continuous !== 'offset')
        throw ctx.error(
          [...ppath, 'slope'],
          'model.slope_without_offset',
          'slope applies to the continuous part only when it describes the offset',
          'add continuous: offset, or remove slope',
        );
      return { draw: (r, g, lo, hi) => anchored.sample(g, shift(r), lo, hi), discrete: false };
    }
    default:
      throw ctx.error(path, 'model.unknown_distribution', `unknown distribution "${String(name)}"`);
  }
}

/** Constant-parameter check: truncation bounds that leave no probability mass are a spec error. */
function checkMass(ctx: ModelContext, dist: Dist, col: Column, path: Path, lo: number, hi: number): void {
  const name = Object.keys(dist)[0];
  if (name === 'empirical' || name === 'constant') return;
  const params = Object.values((dist as Record<string, Record<string, unknown>>)[name]);
  if (!params.every((p) => typeof p === 'number')) return;
  const mass = truncatedMass(name as 'normal', params as number[], lo, hi);
  if (!(mass > 1e-300)) {
    throw ctx.error(
      path,
      'model.empty_truncation',
      `min/max [${col.min ?? '-inf'}, ${col.max ?? 'inf'}] leave no probability under ${name}(${params.join(', ')})`,
      'widen min/max or move the distribution',
    );
  }
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
 * Wrap a continuous draw into the column's output type: integers are rounded (drawing on
 * [lo-0.5, hi+0.5] so rounding cannot leave the bounds), numbers are rounded to `decimals` with a
 * floor/ceil correction at the bounds, dates are floored to the day.
 */
function typedNumeric(
  col: Column,
  draw: Draw,
  discrete: boolean,
): (row: Value[], rng: Stream, lo: number, hi: number) => number {
  if (col.type === 'integer') {
    if (discrete) return (r, g, lo, hi) => draw(r, g, Math.ceil(lo), Math.floor(hi));
    return (r, g, lo, hi) => {
      const a = Math.ceil(lo);
      const b = Math.floor(hi);
      if (a > b) return Number.NaN;
      const x = Math.round(draw(r, g, a - 0.5, b + 0.49999999));
      return x < a ? a : Math.min(x, b);
    };
  }
  if (col.type === 'date') {
    return (r, g, lo, hi) => {
      const x = draw(r, g, lo, hi);
      const d = Math.floor(x / DAY_MS) * DAY_MS;
      return d >= lo ? d : d + DAY_MS <= hi ? d + DAY_MS : Number.NaN;
    };
  }
  if (col.type === 'datetime') {
    return (r, g, lo, hi) => {
      const x = Math.round(draw(r, g, lo, hi));
      return x < lo ? Math.ceil(lo) : x > hi ? Math.floor(hi) : x;
    };
  }
  const dec = col.decimals ?? 2;
  return (r, g, lo, hi) => {
    const x = draw(r, g, lo, hi);
    let y = roundTo(x, dec);
    if (y > hi) y = floorTo(x, dec);
    if (y < lo) y = ceilTo(x, dec);
    return y >= lo && y <= hi ? y : Number.NaN;
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
    const { draw, discrete } = distDraw(ctx, m.dist, [...path, 'dist'], refs);
    checkMass(ctx, m.dist, col, [...path, 'dist'], specBounds.lo, specBounds.hi);
    const typed = typedNumeric(col, draw, discrete);
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
  const refs = cond.parents.map((p) => p.column);
  const parentIdx = cond.parents.map((p, i) => {
    const idx = ctx.columnIndex.get(p.column);
    if (idx === undefined) {
      throw ctx.error(
        [...path, 'parents', i, 'column'],
        'model.unknown_column',
        `unknown column "${p.column}"`,
      );
    }
    return idx;
  });
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
      for (let i = 0; i < n; i++) key[i] = stateOf(r[parentIdx[i]], i);
      return resolve(key);
    };
  };
  const lookup = indexedResolver(subs, breaks, toNumber) ?? byLabels();
  return {
    refs,
    sample: (r, g, lo, hi, rowNo) => {
      const sub = lookup(r, parentIdx)?.sub ?? fallback;
      if (!sub) {
        for (let i = 0; i < n; i++) key[i] = stateOf(r[parentIdx[i]], i);
        throw ctx.error(
          path,
          'model.unknown_state',
          `no row for parent state (${cond.parents.map((p, i) => `${p.column}=${key[i]}`).join(', ')}) and no default`,
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
          const x = toNumber(v);
          return Number.isFinite(x) ? x : null;
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
          ? 'add faker:, values: or expr:'
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
