/**
 * The refine loop (`strata fit --refine`): a discriminator finds where the fitted model is wrong
 * and the model is repaired in place, one column at a time.
 *
 * The training rows are split (seeded) into a fit part and a validation part. The model fitted on
 * the fit part is judged by rows drawn from it: bivariate accuracy per column pair and the
 * detection classifier (GBDT two-sample test, its feature importances) against the validation
 * rows, and the DCR share of the draws between fit part and validation part. The worst pairs
 * (lowest bivariate accuracy, and the worst pair of each column the classifier leans on most)
 * not joined by an edge become repairs "add the edge X → Y" (acyclic, at most max-parents + 1
 * parents, the direction whose child gains more held-out likelihood); only the repaired column is
 * refitted. A repair is kept when the child's held-out
 * log-likelihood on the validation part improves AND detection AUC does not rise by more than the
 * tolerance AND the DCR share stays ≤ its bound. A round that keeps nothing ends the loop.
 * The kept edges are then applied to the model fitted on all training rows (what plain `fit`
 * writes), and every repair tried is recorded in `fit.refine` and the file header.
 */
import { inferTable, type RawColumns } from '../data/infer.js';
import { StrataError } from '../errors.js';
import { evaluate } from '../evaluate/index.js';
import { nameMap } from '../names.js';
import { parseSeed } from '../random/seed.js';
import { shuffleInPlace } from '../random/shuffle.js';
import { streamFor } from '../random/stream.js';
import type { Column, RefineFigures, RefineStep, RefineTrace, Spec, Table } from '../spec/schema.js';
import { specToYaml } from './emit.js';
import { encodeColumn, isModelled, type NodeColumn } from './encode.js';
import { type FitOptions, type FitResult, fitTableAsync } from './fit.js';
import { type Edge, edgeText, toDot, toMermaid } from './graph.js';
import { scoringCodes, splitLogLik } from './heldout.js';
import { compileKnowledge, emptyKnowledge } from './knowledge.js';
import { fitNode } from './params.js';
import { refineNumericNode } from './refine.js';
import { drawRows } from './simulate.js';
import { sectionsOnly, splitDcrShare } from './split-privacy.js';

export interface RefineLoopOptions {
  /** Most rounds (default 3). */
  rounds?: number;
  /** Largest DCR share a kept repair may reach (default 0.53). */
  dcrBound?: number;
  /** Share of the training rows held out for validation (default 0.2). */
  validationShare?: number;
  /** Rise of detection AUC counted as noise (default 0.01). */
  detectionTolerance?: number;
  /** Repairs of missing edges tried per round (default 4; up to 2 splits of parent bins besides). */
  candidates?: number;
  /** Held-out log-likelihood gain (nats per validation row) a repair must beat (default 0.002). */
  minGain?: number;
  /** Called after each repair is judged (progress). */
  onStep?: (step: RefineStep) => void;
}

export interface RefineFitOptions extends FitOptions {
  refine?: RefineLoopOptions;
}

export type RefinedFitResult = FitResult & { refine: RefineTrace };

interface Judged {
  figures: RefineFigures;
  pairs: { a: string; b: string; accuracy: number }[];
  importances: Map<string, number>;
}

/** A repair: a new parent `from` of `to` (edge), or finer bins of its numeric parent `from` (split). */
interface Repair {
  kind: 'edge' | 'split';
  from: string;
  to: string;
  why: string;
  /** split: the parent's new number of quantile bins as a parent of `to`. */
  bins?: number;
}

/** Finer bins of numeric parents per child: child → parent → bins. */
type Splits = ReadonlyMap<string, ReadonlyMap<string, number>>;

const repairText = (r: Repair): string =>
  r.kind === 'edge'
    ? `add edge ${r.from} -> ${r.to}`
    : `split parent ${r.from} of ${r.to} into ${r.bins} bins`;

function subset(raw: RawColumns, rows: readonly number[]): RawColumns {
  return { ...raw, rowCount: rows.length, data: raw.data.map((col) => rows.map((i) => col[i])) };
}

function checkRefine(opts: RefineFitOptions): Required<Omit<RefineLoopOptions, 'onStep'>> {
  // plain-object: fixed keys (the loop's options)
  const r = opts.refine ?? {};
  const rounds = r.rounds ?? 3;
  if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 20))
    throw new StrataError('fit.refine', `--refine must be a whole number of rounds 1..20 (got ${rounds})`);
  if (opts.epsilon !== undefined)
    throw new StrataError(
      'fit.refine',
      '--refine cannot be combined with --epsilon: the loop reads exact counts and rows drawn from the model',
      {},
      'drop --refine for a differentially private fit',
    );
  return {
    rounds,
    dcrBound: r.dcrBound ?? 0.53,
    validationShare: r.validationShare ?? 0.2,
    detectionTolerance: r.detectionTolerance ?? 0.01,
    candidates: r.candidates ?? 4,
    minGain: r.minGain ?? 0.002,
  };
}

/** Encoded columns by name (every modelled column), as fit encodes them. */
function encodeAll(raw: RawColumns, opts: FitOptions): { nodes: NodeColumn[]; index: Map<string, number> } {
  const inferred = inferTable(raw);
  const nodes: NodeColumn[] = [];
  inferred.columns.forEach((info, i) => {
    if (isModelled(info))
      nodes.push(
        encodeColumn(info, raw.data[i], { minCount: opts.minCount ?? 5, maxBins: opts.maxBins ?? 8 }),
      );
  });
  return { nodes, index: new Map(nodes.map((x, i) => [x.name, i])) };
}

/** Columns a repair may give a new parent: learned network nodes (not identities, not hand-written, not an auto target). */
function repairable(fit: FitResult, opts: FitOptions): Set<string> {
  const out = new Set<string>();
  for (const c of fit.columns) {
    const col = fit.spec.tables[fit.table].columns[c.name];
    if (c.origin !== 'learned' || col === undefined || col.expr !== undefined) continue;
    if (opts.targetModel === 'auto' && c.name === opts.target) continue;
    out.add(c.name);
  }
  return out;
}

/** Is `to` an ancestor of `from` through `given` (so from → to would close a cycle)? */
function closesCycle(columns: Record<string, Column>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x === to) return true;
    if (seen.has(x)) continue;
    seen.add(x);
    for (const p of columns[x]?.given ?? []) stack.push(p);
  }
  return false;
}

/**
 * The spec with `to` refitted after the repair (a new parent, or finer bins of one), its earlier
 * splits kept; description and missing tokens kept.
 */
function withRepair(
  spec: Spec,
  table: string,
  enc: { nodes: NodeColumn[]; index: Map<string, number> },
  repair: Repair | { kind: 'refit'; to: string },
  splits: Splits,
  minCount: number,
): { spec: Spec; summary: string; parents: string[]; splits: Splits } {
  const old = spec.tables[table].columns[repair.to];
  const parents = repair.kind === 'edge' ? [...(old.given ?? []), repair.from] : [...(old.given ?? [])];
  const mine = new Map(splits.get(repair.to) ?? []);
  if (repair.kind === 'split') mine.set(repair.from, repair.bins!);
  const nodes = enc.nodes.slice();
  for (const [p, bins] of mine) {
    const i = enc.index.get(p)!;
    nodes[i] = refineNumericNode(enc.nodes[i], bins);
  }
  const v = enc.index.get(repair.to)!;
  const ps = parents.map((p) => enc.index.get(p)!).sort((a, b) => a - b);
  const nf = fitNode(nodes, v, ps, { minCount });
  const col: Column = { ...nf.column };
  if (old.description) col.description = old.description;
  if (old.na_values) col.na_values = old.na_values;
  const columns = Object.assign(nameMap<Column>(), spec.tables[table].columns, { [repair.to]: col });
  const next = new Map(splits);
  next.set(repair.to, mine);
  return {
    spec: {
      ...spec,
      tables: Object.assign(nameMap<Table>(), spec.tables, { [table]: { ...spec.tables[table], columns } }),
    },
    summary: nf.summary,
    parents: ps.map((p) => enc.nodes[p].name),
    splits: next,
  };
}

const r4 = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 1e4) / 1e4;

/** Learn a model, then repair it where a discriminator tells its rows from real ones (see the top of this file). */
export async function refineFitTable(
  raw: RawColumns,
  opts: RefineFitOptions = {},
): Promise<RefinedFitResult> {
  const t0 = performance.now();
  const cfg = checkRefine(opts);
  const { refine: _loop, ...fitOpts } = opts;
  const seed = parseSeed(opts.seed ?? 1);
  const minCount = opts.minCount ?? 5;
  const maxParents = opts.maxParents ?? 3;
  const plain = await fitTableAsync(raw, fitOpts);
  const table = plain.table;
  const stream = streamFor(seed, 'refine', table);

  // Seeded split: fit part first, validation part after (the order splitLogLik expects).
  const n = raw.rowCount;
  const order = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(order, stream.derive('split'));
  const nVal = Math.round(n * cfg.validationShare);
  const nFit = n - nVal;
  const trace: RefineTrace = {
    rounds: 0,
    seed,
    validation_rows: nVal,
    dcr_bound: cfg.dcrBound,
    detection_tolerance: cfg.detectionTolerance,
    start: { detection_auc: null, dcr_share: null, accuracy_bivariate: null },
    steps: [],
  };
  const done = (result: FitResult): RefinedFitResult => ({
    ...result,
    refine: trace,
    seconds: (performance.now() - t0) / 1000,
  });
  if (nVal < 50 || nFit < 50) {
    plain.notices.push(`--refine skipped: ${n} rows are too few to hold out a validation part of 50`);
    return done(plain);
  }
  const fitRows = order.slice(0, nFit);
  const valRows = order.slice(nFit);
  const fitRaw = subset(raw, fitRows);
  const valRaw = subset(raw, valRows);
  const partEnc = encodeAll(fitRaw, fitOpts);
  const splitEnc = encodeAll(subset(raw, [...fitRows, ...valRows]), fitOpts);
  // The model judged is plain fit's graph with every learned column refitted on the fit part
  // alone (no second structure search), so a repair kept there applies to plain fit's model as
  // it is. Columns the fit part encodes differently (a column that reads as an id there) and an
  // auto target keep their all-row fit.
  const canRepair = new Set(
    [...repairable(plain, fitOpts)].filter(
      (c) =>
        partEnc.index.has(c) &&
        splitEnc.index.has(c) &&
        (plain.spec.tables[table].columns[c].given ?? []).every(
          (p) => partEnc.index.has(p) && splitEnc.index.has(p),
        ),
    ),
  );
  let partSpec = plain.spec;
  for (const c of canRepair)
    partSpec = withRepair(partSpec, table, partEnc, { kind: 'refit', to: c }, new Map(), minCount).spec;
  // Repairs obey the knowledge as the search did (forbidden edges, tiers, roots).
  const names = [...partEnc.index.keys()];
  const constraints = compileKnowledge(
    opts.knowledge ?? emptyKnowledge(),
    names,
    new Map(),
    opts.knowledgeFile,
  );
  const allowed = (from: string, to: string) =>
    constraints.allowed(partEnc.index.get(from)!, partEnc.index.get(to)!);

  // The judge: rows drawn from a model against the validation part (accuracy, detection) and
  // the fit part (DCR share), on the modelled columns only (ids are regenerated by design).
  const judged = [...partEnc.index.keys()];
  const pick = (t: { columns: string[]; data: unknown[][]; rowCount: number }) => ({
    columns: judged,
    data: judged.map((c) => t.data[t.columns.indexOf(c)]) as (string | number | boolean | null)[][],
    rowCount: t.rowCount,
  });
  const realVal = pick(valRaw);
  const realFit = pick(fitRaw);
  const genSeed = stream.derive('generate').nextInt(2 ** 31);
  const evalSeed = stream.derive('evaluate').nextInt(2 ** 31);
  const synRows = Math.min(nFit, Math.max(nVal, 2000));
  const judge = async (spec: Spec): Promise<Judged> => {
    const syn = pick(drawRows(spec, table, synRows, genSeed));
    const a = await evaluate({
      real: realVal,
      synthetic: syn,
      sections: sectionsOnly('fidelity', 'detection'),
      seed: evalSeed,
      bootstrapReps: 10,
      signal: opts.signal,
    });
    const dcr = await splitDcrShare(syn, realFit, realVal, evalSeed, opts.signal);
    return {
      figures: {
        detection_auc: r4(a.summary.detection_auc),
        dcr_share: r4(dcr),
        accuracy_bivariate: r4(a.summary.accuracy_bivariate),
      },
      pairs: (a.fidelity?.pairs ?? [])
        .filter((p) => typeof p.accuracy.value === 'number')
        .map((p) => ({ a: p.a, b: p.b, accuracy: p.accuracy.value as number })),
      importances: new Map((a.detection?.importances ?? []).map((x) => [x.column, x.importance])),
    };
  };
  const refinedCodes = new Map<string, NodeColumn>();
  const coded = (c: string, bins?: number): NodeColumn => {
    const node = splitEnc.nodes[splitEnc.index.get(c)!];
    if (bins === undefined) return node;
    const key = `${c}\u0000${bins}`;
    let r = refinedCodes.get(key);
    if (!r) {
      r = refineNumericNode(node, bins);
      refinedCodes.set(key, r);
    }
    return r;
  };
  const childCodes = new Map<string, ReturnType<typeof scoringCodes>>();
  const scored = (c: string) => {
    let x = childCodes.get(c);
    if (!x) {
      x = scoringCodes(coded(c));
      childCodes.set(c, x);
    }
    return x;
  };
  /**
   * Held-out log-likelihood of `child` given `parents` (with the child's splits) and the
   * candidate change (a new parent, or new bins of one). One hierarchy for every round, so
   * figures compare across rounds: the child's parents in plain fit (their structure bins) back
   * off to the marginal, and the current parent set — repairs included — backs off to them.
   */
  const logLik = (
    child: string,
    parents: readonly string[],
    splits: Splits,
    change?: { name: string; bins?: number },
  ): number => {
    const mine = new Map(splits.get(child) ?? []);
    const set = [...parents];
    if (change?.bins !== undefined) mine.set(change.name, change.bins);
    else if (change) set.push(change.name);
    const base = plain.spec.tables[table].columns[child]?.given ?? [];
    const full = set.map((p) => coded(p, mine.get(p)));
    const same = mine.size === 0 && set.length === base.length && set.every((p) => base.includes(p));
    // The written tables' back-off: numeric children need 20 rows per state and shrink by 10
    // pseudo-rows (params.ts), discrete ones 5 (k) and 4.
    const numeric = coded(child).role === 'numeric';
    return splitLogLik(
      scored(child),
      base.map((p) => coded(p)),
      same ? [] : full,
      nFit,
      numeric ? 10 : 4,
      numeric ? 20 : minCount,
    );
  };
  // Bins a split would give parent p of child c (twice its current, ≤ 32); null = not a numeric parent.
  const splitBins = (splits: Splits, c: string, p: string): number | null => {
    const node = partEnc.nodes[partEnc.index.get(p)!];
    if (node.role !== 'numeric') return null;
    const now = splits.get(c)?.get(p) ?? node.card - (node.hasMissing ? 1 : 0);
    const bins = Math.min(32, now * 2);
    return bins > now ? bins : null;
  };

  let current = partSpec;
  let splits: Splits = new Map();
  let state = await judge(current);
  trace.start = state.figures;
  const kept: (Repair & { round: number; step: RefineStep })[] = [];
  const minGain = cfg.minGain;
  const tried = new Set<string>();
  for (let round = 1; round <= cfg.rounds; round++) {
    trace.rounds = round;
    const columnsNow = current.tables[table].columns;
    const gain = (e: { from: string; to: string }) => {
      const given = columnsNow[e.to].given ?? [];
      return logLik(e.to, given, splits, { name: e.from }) - logLik(e.to, given, splits);
    };
    const repairs = proposeRepairs(state, columnsNow, {
      canRepair,
      allowed,
      gain,
      splitBins: (c, p) => splitBins(splits, c, p),
      maxParents,
      count: cfg.candidates,
    });
    let keptThisRound = 0;
    for (const repair of repairs) {
      const cols = current.tables[table].columns;
      const given = cols[repair.to].given ?? [];
      // An earlier repair of this round may have joined the pair, made the edge a cycle or split the parent.
      if (
        repair.kind === 'edge'
          ? given.includes(repair.from) ||
            (cols[repair.from].given ?? []).includes(repair.to) ||
            closesCycle(cols, repair.from, repair.to) ||
            given.length >= maxParents + 1
          : !given.includes(repair.from) || splitBins(splits, repair.to, repair.from) !== repair.bins
      )
        continue;
      // A repair already judged on the same parents is not judged again (its figures would repeat).
      const key = `${repairText(repair)}\u0000${given.join('\u0000')}\u0000${[...(splits.get(repair.to) ?? [])].join()}`;
      if (tried.has(key)) continue;
      tried.add(key);
      const before = logLik(repair.to, given, splits);
      const after = logLik(
        repair.to,
        given,
        splits,
        repair.kind === 'edge' ? { name: repair.from } : { name: repair.from, bins: repair.bins },
      );
      const step: RefineStep = {
        round,
        repair: repairText(repair),
        why: repair.why,
        kept: false,
        before: { ...state.figures, loglik: r4(before) ?? undefined },
        after: {
          detection_auc: null,
          dcr_share: null,
          accuracy_bivariate: null,
          loglik: r4(after) ?? undefined,
        },
      };
      if (!(after > before + minGain)) {
        step.verdict = `held-out log-likelihood does not improve by more than ${minGain} nats/row`;
      } else {
        const next = withRepair(current, table, partEnc, repair, splits, minCount);
        const j = await judge(next.spec);
        step.after = { ...j.figures, loglik: step.after.loglik };
        const detBefore = state.figures.detection_auc ?? 1;
        const detAfter = j.figures.detection_auc ?? 1;
        const dcr = j.figures.dcr_share;
        if (detAfter > detBefore + cfg.detectionTolerance)
          step.verdict = `detection AUC rises beyond the tolerance ${cfg.detectionTolerance}`;
        else if (dcr !== null && dcr > cfg.dcrBound)
          step.verdict = `DCR share above the bound ${cfg.dcrBound}`;
        else {
          step.kept = true;
          current = next.spec;
          splits = next.splits;
          state = j;
          kept.push({ ...repair, round, step });
          keptThisRound++;
        }
      }
      trace.steps.push(step);
      opts.refine?.onStep?.(step);
    }
    if (keptThisRound === 0) break;
  }
  if (kept.length === 0) return done(withTrace(plain, trace, []));

  // The kept repairs on the model of all training rows (plain fit's), each child refitted there.
  const allEnc = encodeAll(raw, fitOpts);
  const finalRepairable = repairable(plain, fitOpts);
  let spec = plain.spec;
  let finalSplits: Splits = new Map();
  const applied: AppliedRepair[] = [];
  for (const k of kept) {
    const cols = spec.tables[table].columns;
    const col = cols[k.to];
    const given = col?.given ?? [];
    const skip =
      !col || !finalRepairable.has(k.to)
        ? 'not applied: the column is not learned in the model of all rows'
        : k.kind === 'edge' && given.includes(k.from)
          ? 'not applied: the model of all rows already has this edge'
          : k.kind === 'edge' && (cols[k.from]?.given ?? []).includes(k.to)
            ? 'not applied: the model of all rows joins the pair the other way'
            : k.kind === 'edge' && closesCycle(cols, k.from, k.to)
              ? 'not applied: the edge would close a cycle in the model of all rows'
              : k.kind === 'split' && !given.includes(k.from)
                ? 'not applied: the model of all rows has no such edge'
                : undefined;
    if (skip) {
      k.step.applied = false;
      k.step.verdict = skip;
      continue;
    }
    const next = withRepair(spec, table, allEnc, k, finalSplits, minCount);
    spec = next.spec;
    finalSplits = next.splits;
    applied.push({ ...k, summary: next.summary, parents: next.parents });
  }
  return done(withTrace({ ...plain, spec }, trace, applied));
}

interface AppliedRepair extends Repair {
  round: number;
  summary: string;
  parents: string[];
}

interface ProposeContext {
  canRepair: ReadonlySet<string>;
  allowed: (from: string, to: string) => boolean;
  gain: (e: { from: string; to: string }) => number;
  /** Bins a split of numeric parent p of child c would give; null = cannot split. */
  splitBins: (c: string, p: string) => number | null;
  maxParents: number;
  count: number;
}

const byPair = (x: { a: string; b: string }, y: { a: string; b: string }) =>
  x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0;

/**
 * Repairs for the worst pairs. Pairs not joined by an edge: the lowest bivariate accuracy first,
 * then the worst pair of each column the detection classifier leans on most; each as the edge
 * direction that is allowed (repairable child, no cycle, parents within max + 1) and whose child
 * gains more held-out likelihood. Pairs joined by an edge from a numeric parent: the two worst,
 * as a split of that parent's bins for the child.
 */
function proposeRepairs(state: Judged, columns: Record<string, Column>, ctx: ProposeContext): Repair[] {
  const { canRepair, allowed, gain, maxParents, count } = ctx;
  const known = state.pairs.filter((p) => columns[p.a] !== undefined && columns[p.b] !== undefined);
  const joined = (p: { a: string; b: string }) =>
    (columns[p.a].given ?? []).includes(p.b) || (columns[p.b].given ?? []).includes(p.a);
  const open = known
    .filter((p) => !joined(p) && (canRepair.has(p.a) || canRepair.has(p.b)))
    .sort((x, y) => x.accuracy - y.accuracy || byPair(x, y));
  const rankOf = new Map(open.map((p, i) => [p, i + 1]));
  const chosen: (typeof open)[number][] = open.slice(0, Math.ceil(count / 2));
  const important = [...state.importances].sort((x, y) => y[1] - x[1]).map(([c]) => c);
  for (const c of important) {
    if (chosen.length >= count) break;
    const p = open.find((q) => (q.a === c || q.b === c) && !chosen.includes(q));
    if (p) chosen.push(p);
  }
  for (const p of open) {
    if (chosen.length >= count) break;
    if (!chosen.includes(p)) chosen.push(p);
  }
  const imp = (c: string) => (state.importances.get(c) ?? 0).toFixed(3);
  const out: Repair[] = [];
  for (const p of chosen) {
    const options = [
      { from: p.a, to: p.b },
      { from: p.b, to: p.a },
    ].filter(
      (e) =>
        canRepair.has(e.to) &&
        allowed(e.from, e.to) &&
        (columns[e.to].given ?? []).length < maxParents + 1 &&
        !closesCycle(columns, e.from, e.to),
    );
    if (options.length === 0) continue;
    // The direction whose child gains more held-out likelihood from the new parent.
    const gains = options.map(gain);
    const e = options[gains.length > 1 && gains[1] > gains[0] ? 1 : 0];
    out.push({
      kind: 'edge',
      ...e,
      why: `bivariate accuracy of (${p.a}, ${p.b}) on validation ${p.accuracy.toFixed(4)} (worst open pair #${rankOf.get(p)}); detection importance ${p.a} ${imp(p.a)}, ${p.b} ${imp(p.b)}`,
    });
  }
  // Joined pairs whose numeric parent's bins may be too coarse for the child.
  const splittable = known
    .flatMap((p) =>
      [
        { from: p.a, to: p.b },
        { from: p.b, to: p.a },
      ]
        .filter((e) => canRepair.has(e.to) && (columns[e.to].given ?? []).includes(e.from))
        .map((e) => ({ ...e, accuracy: p.accuracy, bins: ctx.splitBins(e.to, e.from) })),
    )
    .filter((e) => e.bins !== null)
    .sort((x, y) => x.accuracy - y.accuracy || byPair({ a: x.from, b: x.to }, { a: y.from, b: y.to }));
  for (const e of splittable.slice(0, 2))
    out.push({
      kind: 'split',
      from: e.from,
      to: e.to,
      bins: e.bins!,
      why: `bivariate accuracy of (${e.from}, ${e.to}) on validation ${e.accuracy.toFixed(4)}, joined by an edge from a numeric parent; detection importance ${e.from} ${imp(e.from)}, ${e.to} ${imp(e.to)}`,
    });
  return out;
}

/** The result with the trace in `fit.refine`, the kept edges in the graph, header and comments, re-emitted. */
function withTrace(r: FitResult, trace: RefineTrace, applied: readonly AppliedRepair[]): FitResult {
  const table = r.table;
  const added = applied.filter((e) => e.kind === 'edge');
  const edges: Edge[] = [...r.edges, ...added.map((e) => ({ from: e.from, to: e.to, weak: true }))];
  const names = r.columns
    .filter((c) => c.origin !== 'not modelled' && !c.summary.startsWith('identity:'))
    .map((c) => c.name);
  const comments: Record<string, string> = Object.assign(nameMap<string>(), r.comments);
  const columns = r.columns.map((c) => {
    const mine = applied.filter((x) => x.to === c.name);
    if (mine.length === 0) return c;
    const e = mine[mine.length - 1];
    const what = mine.map((x) =>
      x.kind === 'edge'
        ? `round ${x.round} added ${x.from}`
        : `round ${x.round} split ${x.from} into ${x.bins} bins`,
    );
    comments[c.name] = `${e.summary}; given ${e.parents.join(', ')}; refine ${what.join(', ')}`;
    return { ...c, parents: e.parents, summary: e.summary };
  });
  const mermaid = toMermaid(names, edges);
  const spec: Spec = {
    ...r.spec,
    fit: {
      ...r.spec.fit,
      edges: [...edgeText(r.edges), ...added.map((e) => `${e.from} -> ${e.to} (refine round ${e.round})`)],
      graph: mermaid,
      refine: trace,
    },
  };
  const tried = trace.steps.length;
  const header = [
    ...r.header.slice(0, -1 - r.notices.length),
    `Refined (--refine, ${trace.rounds} round${trace.rounds === 1 ? '' : 's'} on a ${trace.validation_rows}-row validation split): ${tried} repair${tried === 1 ? '' : 's'} tried, ${applied.length} kept${applied.length > 0 ? `: ${applied.map(repairText).join('; ')}` : ''}; see fit.refine for each repair, why and its figures.`,
    ...r.header.slice(-1 - r.notices.length),
  ];
  const yaml = specToYaml(spec, { header, columnComments: { [table]: comments } });
  return { ...r, spec, yaml, header, comments, columns, edges, mermaid, dot: toDot(names, edges) };
}

/** The `--explain` text: every repair the loop tried, with its figures. */
export function explainRefine(trace: RefineTrace): string {
  const f = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(4));
  const figs = (x: RefineFigures) =>
    `loglik ${f(x.loglik)}, detection AUC ${f(x.detection_auc)}, DCR share ${f(x.dcr_share)}, bivariate ${f(x.accuracy_bivariate)}`;
  const lines = [
    `refine: ${trace.rounds} round(s), validation ${trace.validation_rows} rows, seed ${trace.seed}, DCR bound ${trace.dcr_bound}, detection tolerance ${trace.detection_tolerance}`,
    `  start: ${figs(trace.start)}`,
  ];
  for (const s of trace.steps) {
    const outcome = !s.kept ? `not kept (${s.verdict})` : s.applied === false ? `kept, ${s.verdict}` : 'kept';
    lines.push(`  round ${s.round}: ${s.repair}: ${outcome}`);
    lines.push(`    why: ${s.why}`);
    lines.push(`    before: ${figs(s.before)}`);
    lines.push(`    after:  ${figs(s.after)}`);
  }
  if (trace.steps.length === 0) lines.push('  no repair tried');
  return `${lines.join('\n')}\n`;
}
