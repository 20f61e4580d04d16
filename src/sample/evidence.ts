/**
 * Exact completion: rows drawn from the model's conditional distribution given some known columns.
 *
 * Let K be the known columns and A the unknown columns that are ancestors of K (through mechanism
 * parents and rule-bound inputs). Every other unknown column has no known descendant, so given K
 * and A it is drawn forward by its own mechanism, exactly as the generator draws it. A is drawn
 * from its posterior P(A | K) over coverage's discrete skeleton of the known columns and their
 * ancestors (categories, booleans, numeric columns cut at their children's breaks), where
 *  - a known discrete column (or a missing value) is its state,
 *  - a known numeric column is its bin (for its children's tables) and, for itself, the likelihood
 *    of the exact value under each parent state (likelihood.ts: the mass of the value's rounding
 *    cell — exact for the values the sampler writes).
 * Two exact samplers of P(A | K), tried in this order for every row:
 *  1. rejection: draw A forward from its tables with K held, accept with probability
 *     Π_k P(k | parents) / M_k (M_k: the largest that factor can be given the known parents).
 *     Exact, and cheap when the known values are not rare (fitted Adult: a few µs a try);
 *  2. after REJECTION_TRIES refusals, bucket elimination over A with the skeleton sliced at K
 *     (coverage/infer.ts), whose buckets give exact posterior draws at any rarity; it is computed
 *     once per known values and kept (an LRU bounded by table size). Its cost grows with the
 *     network's width (a fitted Adult model: 10^6-10^7 table entries), so it is refused above
 *     `maxInferenceCost` (`sample.too_costly`) rather than stall a service.
 * Which path drew a row depends only on the seed, so the same seed gives the same row.
 * A numeric column of A is drawn inside its sampled bin by its own truncated sampler: its exact
 * conditional, since nothing known reads it finer than the bin.
 *
 * Rules: value rules are part of the CPTs; rule bounds truncate the forward draws as in `generate`;
 * a residual rule that fails rejects the whole completion, which draws from P(row | K, rules hold).
 *
 * Limits (`sample.not_exact`): an unknown ancestor the skeleton cannot hold — read through a
 * formula, derived, Faker, or bounded by a rule over other columns — has no finite exact
 * representation here. In particular a continuous ancestor of a known continuous descendant read
 * through a formula (card_limit ~ normal(income × 0.2) given card_limit) would need the integral
 * over income, which no finite skeleton holds. Such requests are refused with the reason, never
 * answered approximately. With no unknown ancestor (every input of every known column known) no
 * inference is needed and any model completes exactly.
 */
import {
  buildSkeleton,
  discreteLevels,
  type RuleFilter,
  ruleExcluding,
  ruleFilters,
  type Skeleton,
  valueLabel,
} from '../coverage/discrete.js';
import { eliminate, eliminationOrder, type Factor, type Posterior, restrict } from '../coverage/infer.js';
import { StrataError } from '../errors.js';
import { nextDown, rowRange, type TableModel } from '../model/compile.js';
import type { Value } from '../model/values.js';
import { type Stream, streamFor } from '../random/stream.js';
import type { Column, Table } from '../spec/schema.js';
import { inBin, type LawMasses, lawMasses, roundingCell } from './likelihood.js';

/** Redraws of a whole completion (residual rules) before the known values are declared impossible. */
const MAX_TRIES = 1000;
/** Rejection tries per row before the exact elimination takes over. */
const REJECTION_TRIES = 1024;
/** Prepared evidence kept per model, by the total size of their tables (Float64 entries). */
const EVIDENCE_BUDGET = 8_000_000;
const EMPTY = new Float64Array(0);
/** Law masses kept per model (Float64 entries). */
const MASS_BUDGET = 2_000_000;
/** Prepared completions kept per model (their tables are counted in EVIDENCE_BUDGET). */
const COMPLETIONS_KEPT = 4096;
/** Default cap on an elimination's work (table entries summed over buckets). */
export const DEFAULT_INFERENCE_COST = 5e7;

export interface CompletionStreams {
  post: Stream;
  cols: Stream[];
}

/**
 * Streams of completion block `block` under `seed` (never those of `generate`'s forward rows). One
 * stream serves the posterior and every column: a completion is drawn whole, in a fixed order, so
 * per-column streams would buy nothing and cost a hash each per call.
 */
export function completionStreams(model: TableModel, seed: number, block: number): CompletionStreams {
  const s = streamFor(seed, model.table, 'complete', block);
  return { post: s, cols: model.columns.map(() => s) };
}

/** One prepared evidence set: draws rows with the known columns fixed. */
export interface Completion {
  /** Columns drawn from the posterior (unknown ancestors of known columns). */
  readonly inferred: readonly string[];
  /** Fill `row` (column order) with one completion; returns the whole-row redraws it took. */
  draw(rngs: CompletionStreams, row: Value[], rowNo: number): number;
}

/** A known variable's factor P(k | parents) as a weight of the parents' states. */
interface Observation {
  v: number;
  parents: Int32Array;
  radix: Int32Array;
  /** Discrete: the CPT and the offset of the known state. */
  table: Float64Array;
  offset: number;
  /** Numeric: the law index (parent state → law) and the masses per law. */
  index?: Int32Array;
  masses?: LawMasses;
  /** The largest weight over parent states consistent with the known parents. */
  bound: number;
  /** The weight as a factor over the unknown parents (for elimination), built when first needed. */
  factor?: Factor;
  /** The factor's variables before slicing (the CPT's, or the law index's parents). */
  vars: number[];
}

/** The observation's weight at parent state `at` (mixed radix over its parents). */
function weightAt(o: Observation, at: number): number {
  return o.masses ? o.masses.at(o.index![at]) : o.table[o.offset + at];
}

/** The weight as a factor over the unknown parents (the elimination's input for this observation). */
function factorOf(o: Observation, s: Skeleton, fixed: Int32Array): Factor {
  if (!o.factor) {
    if (o.index) {
      const full = new Float64Array(o.index.length);
      for (let t = 0; t < full.length; t++) full[t] = weightAt(o, t);
      o.factor = restrict({ vars: o.vars, table: full }, fixed, s.card);
    } else o.factor = restrict(s.cpts[o.v], fixed, s.card);
  }
  return o.factor;
}

/** The largest weight over the parent states consistent with the known parents (no table built). */
function boundOf(
  o: Observation,
  fixed: Int32Array,
  card: readonly number[],
): { bound: number; states: number } {
  let at = 0;
  const free: number[] = [];
  const step: number[] = [];
  o.parents.forEach((u, q) => {
    if (fixed[u] >= 0) at += fixed[u] * o.radix[q];
    else {
      free.push(u);
      step.push(o.radix[q]);
    }
  });
  const assign = new Int32Array(free.length);
  let bound = 0;
  let states = 0;
  for (;;) {
    const w = weightAt(o, at);
    if (w > bound) bound = w;
    states++;
    let k = free.length - 1;
    for (; k >= 0; k--) {
      if (++assign[k] < card[free[k]]) {
        at += step[k];
        break;
      }
      at -= (card[free[k]] - 1) * step[k];
      assign[k] = 0;
    }
    if (k < 0) return { bound, states };
  }
}

interface Prepared {
  skeleton: Skeleton;
  fixed: Int32Array;
  /** Unknown relevant variables in draw (topological) order. */
  unknown: Int32Array;
  obs: Observation[];
  /** The elimination's input (the unknown variables' CPTs sliced at the known states, and `obs`), built when first needed. */
  factors?: Factor[];
  post?: Posterior;
  size: number;
}

/** Per-skeleton index: each variable's CPT strides. */
interface VarIndex {
  vars: Int32Array;
  strides: Int32Array;
  self: number;
}

export interface CompletionOptions {
  /** Cap on an exact elimination's work (table entries); above it `sample.too_costly`. */
  maxInferenceCost?: number;
}

/** Per-model state: each column's inputs, skeletons by target set, prepared evidence by known values. */
export class CompletionCache {
  readonly inputs: number[][];
  readonly filters: Map<string, RuleFilter[]>;
  readonly levels: (string[] | undefined)[];
  readonly maxCost: number;
  private readonly skeletons = new Map<string, ReturnType<typeof buildSkeleton>>();
  private readonly indexes = new WeakMap<Skeleton, VarIndex[]>();
  private full: ReturnType<typeof buildSkeleton> | undefined;

  constructor(
    readonly model: TableModel,
    readonly table: Table,
    opts: CompletionOptions = {},
  ) {
    const idx = new Map(model.columns.map((c, i) => [c.name, i] as [string, number]));
    this.inputs = model.columns.map((c, i) => {
      const set = new Set(c.parents);
      for (const b of model.bounds[i]) for (const r of model.rules[b.rule].columns) set.add(idx.get(r)!);
      set.delete(i);
      return [...set];
    });
    this.filters = ruleFilters(table);
    this.levels = model.columns.map((c) => discreteLevels(table.columns[c.name]));
    this.maxCost = opts.maxInferenceCost ?? DEFAULT_INFERENCE_COST;
    const modelled = model.columns.map((_, i) => i).filter((i) => this.modelled(i));
    this.full = modelled.length ? buildSkeleton(model, table, modelled) : undefined;
  }

  /** Whether a column can be a skeleton variable at all (has a law, not a formula of its own). */
  modelled(c: number): boolean {
    const col = this.table.columns[this.model.columns[c].name];
    return col.expr === undefined && col.type !== 'id' && !col.faker;
  }

  skeletonFor(targets: readonly number[]): ReturnType<typeof buildSkeleton> {
    if (this.full?.ok) return this.full;
    const key = targets.join(',');
    let sk = this.skeletons.get(key);
    if (!sk) {
      sk = buildSkeleton(this.model, this.table, targets);
      if (this.skeletons.size >= 256) this.skeletons.delete(this.skeletons.keys().next().value!);
      this.skeletons.set(key, sk);
    }
    return sk;
  }

  index(s: Skeleton): VarIndex[] {
    let ix = this.indexes.get(s);
    if (!ix) {
      ix = s.cpts.map((f, v) => {
        const st = new Int32Array(f.vars.length);
        for (let k = f.vars.length - 1, m = 1; k >= 0; k--) {
          st[k] = m;
          m *= s.card[f.vars[k]];
        }
        return { vars: Int32Array.from(f.vars), strides: st, self: st[f.vars.indexOf(v)] };
      });
      this.indexes.set(s, ix);
    }
    return ix;
  }

  private readonly masses = new Map<string, ReturnType<typeof lawMasses>>();
  private massEntries = 0;
  /** A number per skeleton: variable indexes (and mixture forms) differ between skeletons. */
  private readonly skeletonIds = new WeakMap<Skeleton, number>();
  private nextSkeletonId = 0;

  /**
   * `lawMasses` per skeleton, variable and rounding cell, kept (LRU by entries): values recur
   * across requests, and computing them (one truncated-law mass per law) was most of a first
   * completion's cost on the fitted Adult model.
   */
  lawMasses(s: Skeleton, v: number, col: Column, x: number): ReturnType<typeof lawMasses> {
    let id = this.skeletonIds.get(s);
    if (id === undefined) {
      id = this.nextSkeletonId++;
      this.skeletonIds.set(s, id);
    }
    const key = `${id}:${v}:${roundingCell(col, x)[0]}`;
    let m = this.masses.get(key);
    if (m) {
      this.masses.delete(key);
      this.masses.set(key, m);
      return m;
    }
    m = lawMasses(s, v, col, x);
    this.masses.set(key, m);
    this.massEntries += m?.size ?? 1;
    for (const [k, old] of this.masses) {
      if (this.massEntries <= MASS_BUDGET) break;
      this.masses.delete(k);
      this.massEntries -= old?.size ?? 1;
    }
    return m;
  }

  private readonly completions = new Map<string, { c: Completion; p?: Prepared }>();
  private used = 0;

  /** A prepared completion for these known values (its checks done), most recently used last. */
  completion(key: string): Completion | undefined {
    const e = this.completions.get(key);
    if (e) {
      this.completions.delete(key);
      this.completions.set(key, e);
    }
    return e?.c;
  }

  /** Keep a completion; the oldest go when more than COMPLETIONS_KEPT or EVIDENCE_BUDGET entries are held. */
  keepCompletion(key: string, c: Completion, p: Prepared | undefined): void {
    if ((p?.size ?? 0) > EVIDENCE_BUDGET) return;
    this.completions.set(key, { c, p });
    this.used += p?.size ?? 0;
    for (const [k, old] of this.completions) {
      if (this.used <= EVIDENCE_BUDGET && this.completions.size <= COMPLETIONS_KEPT) break;
      this.completions.delete(k);
      this.used -= old.p?.size ?? 0;
    }
  }

  /** Account for tables added to a prepared completion (its elimination). */
  grow(p: Prepared, entries: number): void {
    p.size += entries;
    this.used += entries;
  }
}

function impossible(message: string, hint: string, path?: string): StrataError {
  return new StrataError('sample.impossible_given', message, path ? { path } : {}, hint);
}

function show(v: Value): string {
  return v === null ? 'null (missing)' : typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Unknown ancestors of the known columns. */
function unknownAncestors(inputs: readonly number[][], known: ReadonlyMap<number, Value>): number[] {
  const seen = new Set<number>();
  const stack = [...known.keys()];
  while (stack.length) {
    const c = stack.pop()!;
    for (const p of inputs[c]) {
      if (known.has(p) || seen.has(p)) continue;
      seen.add(p);
      stack.push(p);
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * Prepare the completion of rows with `known` fixed (column index → engine value). Throws
 * `sample.impossible_given` (the known values have probability 0, naming why) or `sample.not_exact`.
 */
export function prepareCompletion(cache: CompletionCache, known: ReadonlyMap<number, Value>): Completion {
  const key = evidenceKey(known);
  const hit = cache.completion(key);
  if (hit) return hit;
  const { completion, prepared } = makeCompletion(cache, known);
  cache.keepCompletion(key, completion, prepared);
  return completion;
}

function makeCompletion(
  cache: CompletionCache,
  known: ReadonlyMap<number, Value>,
): { completion: Completion; prepared?: Prepared } {
  const { model } = cache;
  const names = model.columns.map((c) => c.name);
  for (const [c, v] of known) {
    const name = names[c];
    if (name in model.interventions) {
      const d = model.interventions[name];
      if (v !== d)
        throw impossible(
          `${name} is given as ${show(v)} but fixed to ${show(d)} by do`,
          'give the same value, or leave the column out of given',
          `given.${name}`,
        );
    }
  }
  const ancestors = unknownAncestors(cache.inputs, known);
  const targets = [...known.keys()].filter((c) => cache.modelled(c)).sort((a, b) => a - b);
  checkFixedFacts(cache, known);
  let prepared: Prepared | undefined;
  if (targets.length) {
    const sk = cache.skeletonFor(targets);
    if (sk.ok) prepared = prepare(cache, sk.skeleton, known);
    else if (ancestors.length) {
      const unknown = ancestors.map((c) => names[c]);
      throw new StrataError(
        'sample.not_exact',
        `cannot complete exactly: the known columns depend on unknown ${unknown.join(', ')}, and ${sk.reason}`,
        { path: `tables.${model.table}` },
        `give ${unknown.length > 1 ? 'these columns' : 'that column'} too, or model the columns with conditional tables (as strata fit writes them)`,
      );
    }
  } else if (ancestors.length) {
    // Known columns that are not modelled (derived, Faker, id) with unknown inputs.
    const c = [...known.keys()].find((k) => cache.inputs[k].some((p) => !known.has(p)))!;
    throw new StrataError(
      'sample.not_exact',
      `cannot complete exactly: "${names[c]}" is computed from ${cache.inputs[c]
        .filter((p) => !known.has(p))
        .map((p) => names[p])
        .join(', ')}, which are not given`,
      { path: `given.${names[c]}` },
      'give its inputs too, or leave it out',
    );
  }
  const skeleton = prepared?.skeleton;
  const drawnVar = new Int32Array(names.length).fill(-1);
  const inferred: string[] = [];
  if (prepared && skeleton) {
    for (const v of prepared.unknown) {
      drawnVar[skeleton.vars[v].column] = v;
      inferred.push(skeleton.vars[v].name);
    }
  }
  const knownCols = [...known.keys()];
  const st = new Int32Array(skeleton?.vars.length ?? 0);
  const range = new Float64Array(2);
  const { order, samplers, residuals } = model;
  const states = prepared?.unknown.length ? posteriorSampler(cache, prepared, known) : undefined;
  const completion: Completion = {
    inferred,
    draw(rngs, row, rowNo) {
      let lastRule: number | undefined;
      for (let tries = 0; tries <= MAX_TRIES; tries++) {
        states?.(rngs.post, st);
        let ok = true;
        for (let k = 0; k < order.length && ok; k++) {
          const c = order[k];
          if (known.has(c)) {
            row[c] = known.get(c)!;
            continue;
          }
          rowRange(model, c, row, range);
          let lo = range[0];
          let hi = range[1];
          const vi = drawnVar[c];
          if (vi >= 0) {
            const sv = skeleton!.vars[vi];
            const state = sv.states[st[vi]];
            if (!sv.numeric || state.na) {
              row[c] = state.value;
              continue;
            }
            lo = Math.max(lo, state.lo);
            hi = Math.min(hi, nextDown(state.hi));
            let x: Value = null;
            for (let t = 0; t < 200 && x === null; t++) x = samplers[c](row, rngs.cols[c], lo, hi, rowNo);
            if (x === null || Number.isNaN(x)) ok = false;
            else row[c] = x;
            continue;
          }
          if (lo > hi) {
            ok = false;
            lastRule = model.bounds[c][0]?.rule;
            continue;
          }
          const x = samplers[c](row, rngs.cols[c], lo, hi, rowNo);
          if (typeof x === 'number' && Number.isNaN(x)) {
            ok = false;
            lastRule = model.bounds[c][0]?.rule;
          } else row[c] = x;
        }
        if (ok) {
          for (const r of residuals) {
            if (!r.check(row)) {
              ok = false;
              lastRule = r.rule;
              break;
            }
          }
        }
        if (ok) return tries;
      }
      const rule = lastRule !== undefined ? model.rules[lastRule] : undefined;
      throw impossible(
        rule
          ? `rule "${rule.name}" (${rule.check}) fails on every completion of the given values (${MAX_TRIES} tries)`
          : `no row could be completed from the given values in ${MAX_TRIES} tries`,
        `check the given ${knownCols.map((c) => names[c]).join(', ')} against the rules`,
        rule ? `tables.${model.table}.rules.${rule.name}` : undefined,
      );
    },
  };
  return { completion, prepared };
}

/** Cache key of an evidence set: column=value pairs in column order. */
function evidenceKey(known: ReadonlyMap<number, Value>): string {
  return [...known.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([c, v]) => `${c}=${typeof v}:${String(v)}`)
    .join('\u0001');
}

/** The state index of a known value in its variable, or -1. */
function stateOf(s: Skeleton, v: number, x: Value): number {
  const sv = s.vars[v];
  if (x === null) return sv.states.findIndex((st) => st.na);
  if (sv.numeric) return sv.states.findIndex((st) => !st.na && inBin(st, x as number));
  const label = valueLabel(x);
  return sv.states.findIndex((st) => !st.na && st.label === label);
}

/** Slice the skeleton at the known values: what both samplers of P(A | K) need. */
function prepare(cache: CompletionCache, s: Skeleton, known: ReadonlyMap<number, Value>): Prepared {
  const { model, table } = cache;
  const ix = cache.index(s);
  const fixed = new Int32Array(s.vars.length).fill(-1);
  // Relevant variables: the known ones and their ancestors in the skeleton (the rest are barren).
  const relevant = new Uint8Array(s.vars.length);
  const stack: number[] = [];
  for (const c of known.keys()) {
    const v = s.varOf.get(c);
    if (v !== undefined) stack.push(v);
  }
  while (stack.length) {
    const v = stack.pop()!;
    if (relevant[v]) continue;
    relevant[v] = 1;
    for (const u of ix[v].vars) if (u !== v && !relevant[u]) stack.push(u);
  }
  const numericKnown = new Map<number, number>();
  for (const [c, x] of known) {
    const v = s.varOf.get(c);
    if (v === undefined) continue;
    const sv = s.vars[v];
    const j = sv.states.length === 1 && sv.name in model.interventions ? 0 : stateOf(s, v, x);
    if (j < 0)
      throw impossible(
        x === null
          ? `${sv.name} is given as missing, but it is never missing`
          : `${sv.name} = ${show(x)} is not a value it can take`,
        `give ${sv.name} a value it can take`,
        `given.${sv.name}`,
      );
    fixed[v] = j;
    if (sv.numeric && x !== null) numericKnown.set(v, x as number);
  }
  const obs: Observation[] = [];
  let size = 0;
  const unknownList: number[] = [];
  for (let v = 0; v < s.vars.length; v++) {
    if (!relevant[v]) continue;
    const vx = ix[v];
    if (fixed[v] < 0) {
      unknownList.push(v);
      continue;
    }
    const x = numericKnown.get(v);
    let o: Observation;
    if (x === undefined) {
      const parents = Int32Array.from([...vx.vars].filter((u) => u !== v));
      const radix = Int32Array.from(parents, (u) => vx.strides[[...vx.vars].indexOf(u)]);
      o = {
        v,
        parents,
        radix,
        table: s.cpts[v].table,
        offset: fixed[v] * vx.self,
        bound: 0,
        vars: s.cpts[v].vars,
      };
    } else {
      const lm = cache.lawMasses(s, v, table.columns[s.vars[v].name], x);
      if (!lm)
        throw new StrataError(
          'sample.not_exact',
          `cannot complete exactly: the law of "${s.vars[v].name}" is not one the completion reads`,
          { path: `given.${s.vars[v].name}` },
          'leave it out of given',
        );
      const form = lm.form;
      const radix = new Int32Array(form.parents.length);
      for (let k = form.parents.length - 1, m = 1; k >= 0; k--) {
        radix[k] = m;
        m *= s.card[form.parents[k]];
      }
      o = {
        v,
        parents: Int32Array.from(form.parents),
        radix,
        table: EMPTY,
        offset: 0,
        index: form.index,
        masses: lm,
        bound: 0,
        vars: form.parents,
      };
    }
    const b = boundOf(o, fixed, s.card);
    o.bound = b.bound;
    size += b.states;
    obs.push(o);
  }
  // Draw order: the model's (topological) order of the unknown variables' columns.
  const pos = new Int32Array(model.columns.length);
  model.order.forEach((c, p) => {
    pos[c] = p;
  });
  unknownList.sort((a, b) => pos[s.vars[a].column] - pos[s.vars[b].column]);
  const prepared: Prepared = {
    skeleton: s,
    fixed,
    unknown: Int32Array.from(unknownList),
    obs,
    size,
  };
  if (obs.some((o) => !(o.bound > 0))) throw explainImpossible(cache, prepared, known);
  return prepared;
}

/**
 * The sampler of the unknown variables' states: rejection from their tables with the known values
 * held, then (after REJECTION_TRIES refusals) the exact elimination's posterior.
 */
function posteriorSampler(
  cache: CompletionCache,
  p: Prepared,
  known: ReadonlyMap<number, Value>,
): (rng: Stream, st: Int32Array) => void {
  const s = p.skeleton;
  const ix = cache.index(s);
  const { unknown, obs, fixed } = p;
  const tables = s.cpts.map((f) => f.table);
  const vx = ix;
  return (rng, st) => {
    for (let v = 0; v < fixed.length; v++) if (fixed[v] >= 0) st[v] = fixed[v];
    for (let t = 0; t < REJECTION_TRIES; t++) {
      for (let q = 0; q < unknown.length; q++) {
        const v = unknown[q];
        const x = vx[v];
        let base = 0;
        for (let k = 0; k < x.vars.length; k++) if (x.vars[k] !== v) base += st[x.vars[k]] * x.strides[k];
        const tab = tables[v];
        const n = s.card[v];
        let sum = 0;
        for (let j = 0; j < n; j++) sum += tab[base + j * x.self];
        let u = rng.nextFloat() * sum;
        let pick = n - 1;
        for (let j = 0; j < n; j++) {
          u -= tab[base + j * x.self];
          if (u < 0) {
            pick = j;
            break;
          }
        }
        while (pick > 0 && tab[base + pick * x.self] === 0) pick--;
        st[v] = pick;
      }
      let w = 1;
      for (let k = 0; k < obs.length && w > 0; k++) {
        const o = obs[k];
        let at = 0;
        for (let q = 0; q < o.parents.length; q++) at += st[o.parents[q]] * o.radix[q];
        w *= weightAt(o, at) / o.bound;
      }
      if (rng.nextFloat() < w) return;
    }
    if (!p.post) {
      p.factors ??= [
        ...[...unknown].map((v) => restrict(s.cpts[v], fixed, s.card)),
        ...obs.map((o) => factorOf(o, s, fixed)),
      ];
      const factors = p.factors;
      const order = eliminationOrder(s.vars.length, factors);
      const wanted = new Set(unknown);
      const elim = order.filter((v) => wanted.has(v));
      const cost = eliminationCost(factors, s.card, elim);
      if (cost > cache.maxCost)
        throw new StrataError(
          'sample.too_costly',
          `the given values are rare under the model, and completing them exactly needs an elimination of ${cost.toExponential(1)} table entries (the limit is ${cache.maxCost.toExponential(1)})`,
          {},
          'give more of the columns they depend on, or fewer rare values',
        );
      const post = eliminate(factors, s.card, elim);
      if (!(post.z > 0)) throw explainImpossible(cache, p, known);
      p.post = post;
      cache.grow(p, cost);
    }
    p.post.sample(rng, st);
  };
}

/** Table entries an elimination in `order` multiplies (the product of each bucket's variables' states). */
function eliminationCost(
  factors: readonly Factor[],
  card: readonly number[],
  order: readonly number[],
): number {
  let pool = factors.map((f) => f.vars);
  let cost = 0;
  for (const v of order) {
    const mine = pool.filter((vs) => vs.includes(v));
    pool = pool.filter((vs) => !vs.includes(v));
    const vars = [...new Set(mine.flat())];
    cost += vars.reduce((m, x) => m * card[x], 1);
    pool.push(vars.filter((x) => x !== v));
  }
  return cost;
}

/** Why known values have probability 0: one alone (its table never gives it), with its known parents, or together. */
function explainImpossible(
  cache: CompletionCache,
  p: Prepared,
  known: ReadonlyMap<number, Value>,
): StrataError {
  const s = p.skeleton;
  const names = cache.model.columns.map((c) => c.name);
  const value = (v: number) => known.get(s.vars[v].column) ?? null;
  for (const o of p.obs) {
    const col = s.vars[o.v].name;
    const x = value(o.v);
    let any = false;
    if (o.masses) for (let k = 0; k < o.masses.size && !any; k++) any = o.masses.at(k) > 0;
    else {
      const vx = cache.index(s)[o.v];
      const f = s.cpts[o.v];
      for (let t = 0; t < f.table.length && !any; t++) {
        if (Math.floor(t / vx.self) % s.card[o.v] === p.fixed[o.v] && f.table[t] > 0) any = true;
      }
    }
    const c = s.vars[o.v].column;
    const range =
      typeof x === 'number' && (x < cache.model.specLo[c] || x > cache.model.specHi[c])
        ? ` (outside its range [${cache.model.specLo[c]}, ${cache.model.specHi[c]}])`
        : '';
    if (!any)
      return impossible(
        `${col} = ${show(x)} has probability 0 under the model${range}`,
        `give ${col} a value the model can produce`,
        `given.${col}`,
      );
    if (!(o.bound > 0)) {
      const ps = [...o.parents]
        .filter((u) => p.fixed[u] >= 0)
        .map((u) => `${s.vars[u].name} = ${show(value(u))}`);
      return impossible(
        `${col} = ${show(x)} has probability 0 when ${ps.join(', ')}`,
        `change ${col} or ${ps.length > 1 ? 'those values' : 'that value'}`,
        `given.${col}`,
      );
    }
  }
  const list = [...known.entries()]
    .filter(([c]) => s.varOf.has(c))
    .map(([c, v]) => `${names[c]} = ${show(v)}`)
    .join(', ');
  return impossible(
    `the given values cannot occur together under the model (probability 0): ${list}`,
    'drop or change one of them',
  );
}

/**
 * Facts about known values that need no inference: a discrete value must be a level the column can
 * take (and not one a rule removes); a numeric value must lie inside its bounds when every input of
 * those bounds is known; a derived value must equal its formula when its inputs are known.
 */
function checkFixedFacts(cache: CompletionCache, known: ReadonlyMap<number, Value>): void {
  const { model, table } = cache;
  const row: Value[] = model.columns.map((_, i) => known.get(i) ?? null);
  const range = new Float64Array(2);
  for (const [c, v] of known) {
    const info = model.columns[c];
    const col = table.columns[info.name];
    if (info.name in model.interventions) continue;
    if (v === null) continue;
    const levels = cache.levels[c];
    if (levels) {
      const label = valueLabel(v)!;
      if (!levels.includes(label))
        throw impossible(
          `${info.name} = ${show(v)} is not one of its values (${levels.slice(0, 20).join(', ')}${levels.length > 20 ? ', …' : ''})`,
          `give ${info.name} one of its values`,
          `given.${info.name}`,
        );
      const rule = ruleExcluding(cache.filters, info.name, label);
      if (rule)
        throw impossible(
          `rule "${rule}" excludes ${info.name} = ${show(v)}`,
          `give ${info.name} a value the rule allows`,
          `given.${info.name}`,
        );
      continue;
    }
    if (col.expr !== undefined) {
      if (cache.inputs[c].every((p) => known.has(p))) {
        const x = model.samplers[c](row, streamFor(0, 'check'), -Infinity, Infinity, 0);
        if (
          x !== v &&
          !(typeof x === 'number' && typeof v === 'number' && Math.abs(x - v) <= 1e-9 * Math.abs(x))
        )
          throw impossible(
            `${info.name} = ${show(v)} but its formula (${col.expr}) gives ${show(x)} for the given inputs`,
            `give ${info.name} = ${show(x)}, or leave it out`,
            `given.${info.name}`,
          );
      }
      continue;
    }
    if (typeof v !== 'number') continue;
    const boundInputs = model.bounds[c].flatMap((b) => model.rules[b.rule].columns);
    if (!boundInputs.every((n) => n === info.name || known.has(columnIndexOf(model).get(n)!))) continue;
    rowRange(model, c, row, range);
    if (v < range[0] || v > range[1]) {
      const rule = model.bounds[c].find((b) => {
        const x = b.fn(row);
        return b.side === 'lower' ? (b.strict ? v <= x : v < x) : b.strict ? v >= x : v > x;
      });
      throw impossible(
        rule
          ? `${info.name} = ${show(v)} breaks rule "${model.rules[rule.rule].name}" (${model.rules[rule.rule].check})`
          : `${info.name} = ${show(v)} is outside its range [${model.specLo[c]}, ${model.specHi[c]}]`,
        `give ${info.name} a value the ${rule ? 'rule' : 'range'} allows`,
        `given.${info.name}`,
      );
    }
  }
}

const nameMaps = new WeakMap<TableModel, Map<string, number>>();
function columnIndexOf(model: TableModel): Map<string, number> {
  let m = nameMaps.get(model);
  if (!m) {
    m = new Map(model.columns.map((c, i) => [c.name, i] as [string, number]));
    nameMaps.set(model, m);
  }
  return m;
}
