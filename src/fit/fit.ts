/**
 * `fitTable`: learn an editable causal model (a spec) from a raw table.
 * infer types → encode nodes (rare values pooled) → learn structure under the knowledge →
 * fit parameters per parent state → assemble a spec in the real column order.
 * Pure apart from the clock used to report fit seconds; file I/O lives in `fitFile`.
 */
import {
  cleanValue,
  type InferredColumn,
  inferTable,
  numericValues,
  type RawColumns,
} from '../data/infer.js';
import { StrataError } from '../errors.js';
import { nameMap } from '../names.js';
import { parseSeed } from '../random/seed.js';
import { streamFor } from '../random/stream.js';
import { didYouMean } from '../spec/did-you-mean.js';
import type { Column, Rule, Spec, Table } from '../spec/schema.js';
import { exprName, tracks } from './anchor.js';
import { edgeDirections } from './directions.js';
import { specToYaml } from './emit.js';
import { encodeColumn, isModelled, type NodeColumn, OTHER } from './encode.js';
import { ancestorsOf } from './family.js';
import { type Edge, edgesOf, edgeText, toDot, toMermaid } from './graph.js';
import { type IdentityCandidate, proposeIdentities, proposeSameDays } from './identities.js';
import { compileKnowledge, emptyKnowledge, type Knowledge, violation, withRequired } from './knowledge.js';
import { MechanismStats } from './mechanism-score.js';
import {
  drawOrder,
  type MissingLeader,
  missingExpr,
  nodesOnRows,
  proposeMissingLeaders,
} from './missing-groups.js';
import { naReport } from './na-notice.js';
import { fitOtherLaw } from './other-law.js';
import { atomSetOf, fitNode, isTableKind, type NodeFit, type TableKind } from './params.js';
import { checkedPartialSpec } from './partial.js';
import { PredictiveStats } from './predictive.js';
import { type BudgetSplit, parameterNoiseScale, splitBudget } from './privacy.js';
import { residualEdgeSteps } from './residual.js';
import { hillClimb, hillClimbRestartSteps, privBayesStructure } from './search.js';
import { SufficientStats } from './stats.js';
import { runSteps, runStepsAsync, type Steps } from './steps.js';
import { chooseTargetModel } from './target.js';
import { fitTextLaw } from './text-law.js';
import { treeParentSteps } from './tree-search.js';
import { categoriesFirst, upstreamTreeSteps } from './upstream-trees.js';

export interface FitOptions {
  /** Seed for the DP noise / PrivBayes choices, written into the model (default 1). */
  seed?: number;
  /** Column to predict: gets more parents. */
  target?: string;
  /**
   * How the (discrete) target is modelled: 'table' (default) = a table on its network parents;
   * 'auto' = the target is a sink and gets the better, by 5-fold cross-validated log-loss, of that
   * table and a logistic regression on every other column (target.ts). Measured: German credit
   * train-on-synthetic AUC median 0.700 → 0.744 over 5 generation seeds; on Adult, Taiwan and
   * the fraud table it costs detection AUC or TSTR, so it is not the default.
   */
  targetModel?: 'table' | 'auto';
  knowledge?: Knowledge;
  /** Where the knowledge came from (for error messages). */
  knowledgeFile?: string;
  /** Differential privacy budget; absent = no DP. */
  epsilon?: number;
  /** Table name (default: the raw table's name, i.e. the file stem). */
  name?: string;
  /** A hand-written partial spec: its columns, `given` edges and rules are kept as they are. */
  from?: Spec;
  maxParents?: number;
  /** Rare-value threshold k (default 5). */
  minCount?: number;
  /** Multiplier of the BIC penalty for the reported (strong) graph (default 1). */
  penalty?: number;
  /**
   * Penalty multiplier of the second, fidelity pass that adds weak edges on top of the strong
   * graph (default 0.1 from 5000 rows, 0.25 from 1000, else 0.5); null = no weak edges (a pure BIC graph).
   */
  fidelityPenalty?: number | null;
  /**
   * Score of the fidelity pass: 'bic' (default) = BIC with `fidelityPenalty`; 'loo' = leave-one-out
   * likelihood of the back-off estimator the file uses (predictive.ts), `fidelityPenalty` × ln n
   * nats per written state. Measured on Adult, not better than BIC yet (det AUC 0.644–0.667).
   */
  fidelityScore?: 'loo' | 'bic';
  /**
   * Residual edges (residual.ts): at most this many edges for the non-adjacent pairs the graph,
   * simulated, reproduces worst, added after the fidelity pass (from 1000 rows, not under DP);
   * 0 = none. Default ⌈d / 2⌉, each kept only if it lowers the simulated error over all pairs.
   */
  residualEdges?: number;
  /**
   * Context-specific tables (a small tree of parent conditions per child, src/fit/tree.ts):
   * 'auto' (default) for numeric children where the tree predicts held-out rows as well as the
   * full table, 'all' for categorical children too, 'always', or 'never' (full tables).
   */
  tables?: TableKind;
  /**
   * Price of a written number in a numeric law, as a multiple of BIC's ln(n)/2 (default 0.1; 0 = off:
   * every atom kept, knots only thinned). Lower is a larger, finer file (docs/fit.md "The model file").
   */
  lawPenalty?: number;
  /**
   * Level of the likelihood-ratio test that keeps two parent states of a categorical child in
   * separate rows (default 0.05; 0 = off: one row per state). States the data cannot tell apart
   * are written as one row (merge-states.ts; docs/fit.md "The model file").
   */
  mergeAlpha?: number;
  /**
   * The tree pass of structure search (tree-search.ts): children written as trees may take more
   * parents (up to 3 beyond the bound, unless --max-parents is given), each chosen by the held-out
   * likelihood of the tree or table fit would write. Default true; false = the BIC graph only.
   * Not under DP, nor with `tables: 'never'`.
   */
  treeSearch?: boolean;
  /**
   * Categorical children's full tables: 'held-out' smooths each parent state toward its back-off
   * by the pseudo-count (2 … 100) that predicts held-out rows best (smoothing.ts) and scores them
   * so in the tree pass; 'parents' only scores them so (tables keep 2); 'fixed' (default) keeps 2
   * everywhere. Opt-in: held-out likelihood gains (Adult native_country +0.005, marital_status
   * +0.016 nats/row) but detection against the training rows rose 0.598 → 0.609 (docs/fit.md).
   * Not under DP.
   */
  tableSmoothing?: 'held-out' | 'parents' | 'fixed';
  /**
   * With `tableSmoothing` 'held-out' or 'parents', categorical children written as full tables
   * join the tree pass (one parent beyond the bound), scored by their smoothed table held out.
   */
  tablePass?: boolean;
  /**
   * Numeric children on their whole upstream context (upstream-trees.ts): a numeric child written
   * as a tree may read every column before it in a topological order that puts categories first,
   * taking the tree over them when it beats its parent-set mechanism held out by `minGain` nats
   * per row (default 0.002). `minLeaf`: fewest rows per leaf (default UPSTREAM_MIN_LEAF);
   * `maxLeaves` (default 96); `categoriesFirst`: the structure search refuses numeric → category
   * edges, so every category is upstream. Off by default (absent or false): on Adult, German
   * credit and Taiwan it did not improve detection beyond the seeds' spread (docs/fit.md).
   * Not under DP, nor with `tables: 'never'`.
   */
  upstreamTrees?:
    | boolean
    | { minLeaf?: number; maxLeaves?: number; minGain?: number; categoriesFirst?: boolean };
  /**
   * Family levels (family.ts): a numeric child's table may take one more parent, the mean of the
   * columns drawn before it that share its scale and move with it (a client's payments over six
   * months), binned, where that raises its held-out log-likelihood. Off by default (absent or
   * false): on Taiwan it won held out but moved no bench figure the right way (docs/fit.md).
   * Not under DP.
   */
  families?: boolean;
  /** Maximum number of bins of a numeric column as a parent (default 8). */
  maxBins?: number;
  /** Random restarts of the structure search (default 20). */
  restarts?: number;
  /** Source path recorded in the model. */
  source?: string;
  /**
   * Cancels the fit between its steps (structure restarts, residual rounds, columns) with
   * `run.aborted`. `fitTable` runs without pause, so it sees only a signal fired before the call
   * or from inside it; `fitTableAsync` and `fitFile` let events run between steps.
   */
  signal?: AbortSignal;
}

export interface FittedColumn {
  name: string;
  kind: InferredColumn['kind'];
  /** 'learned' | 'hand-written' (kept from --from) | 'not modelled' (ids, text, empty). */
  origin: 'learned' | 'hand-written' | 'not modelled';
  parents: string[];
  summary: string;
  notes: string[];
}

export interface FitResult {
  spec: Spec;
  yaml: string;
  table: string;
  rows: number;
  columns: FittedColumn[];
  edges: Edge[];
  mermaid: string;
  dot: string;
  seconds: number;
  budget: BudgetSplit | null;
  /** What the user should know about how the data was read (e.g. `None` kept as a category). */
  notices: string[];
  /** The model file's header lines and per-column comments (so a refined model is written alike). */
  header: string[];
  comments: Record<string, string>;
}

const hasMechanism = (c: Column): boolean =>
  c.dist !== undefined ||
  c.values !== undefined ||
  c.p !== undefined ||
  c.conditional !== undefined ||
  c.expr !== undefined ||
  c.faker !== undefined ||
  c.text !== undefined ||
  c.type === 'id' ||
  c.type === 'derived';

function unmodelledColumn(info: InferredColumn): Column {
  const missing = info.rows > 0 ? info.missing / info.rows : 0;
  let col: Column;
  if (info.kind === 'id') {
    col =
      info.id?.style === 'uuid'
        ? { type: 'id', id: 'uuid' }
        : {
            type: 'id',
            id: 'sequential',
            start: info.id?.start ?? 1,
            ...(info.id?.prefix ? { prefix: info.id.prefix } : {}),
          };
  } else if (info.kind === 'text') {
    const email = info.notes.some((n) => n.startsWith('email'));
    col = { type: 'string', faker: email ? 'internet.email' : 'lorem.sentence' };
  } else {
    return { type: 'category', values: ['(missing)'], missing: 1 };
  }
  if (missing > 0 && info.kind !== 'id') col.missing = Math.round(missing * 1e6) / 1e6;
  return col;
}

/**
 * Nats per held-out row a parent must add to a tree child in the tree pass: about the spread of
 * the estimate on a fifth of the rows (the refine loop's significance threshold is 0.002).
 */
const TREE_PARENT_GAIN = 0.002;

/** Parents beyond the bound a categorical table child may take in the tree pass (tablePass). */
const TABLE_EXTRA_PARENTS = 1;

/** Nats per held-out row a numeric child's upstream tree must gain over its parent-set mechanism. */
const UPSTREAM_GAIN = 0.002;

/** Fewest rows per leaf of an upstream tree (FitOptions.upstreamTrees). */
export const UPSTREAM_MIN_LEAF = 20;

/** Most distinct values of a category column a text law may depend on. */
const MAX_TEXT_PARENT_VALUES = 200;

/**
 * A free-text or high-cardinality string column (not emails: Faker's are safer) as a fitted text
 * law (text-law.ts), depending on one category column when that wins on held-out likelihood.
 * Not under DP (the law holds exact counts): such a column is drawn by lorem ipsum there.
 */
function textLawColumn(
  info: InferredColumn,
  i: number,
  all: readonly InferredColumn[],
  raw: RawColumns,
  minCount: number,
  stream: ReturnType<typeof streamFor>,
): { column: Column; summary: string } | undefined {
  if (info.kind !== 'text' || info.notes.some((n) => n.startsWith('email'))) return undefined;
  const candidates = all.flatMap((c, k) =>
    c.kind === 'category' && c.distinct >= 2 && c.distinct <= MAX_TEXT_PARENT_VALUES
      ? [{ name: c.name, values: raw.data[k] }]
      : [],
  );
  const fitted = fitTextLaw(raw.data[i], candidates, { minCount, stream: stream.derive('text', info.name) });
  const column: Column = {
    type: 'string',
    ...(fitted.parent ? { given: [fitted.parent] } : {}),
    text: fitted.law,
  };
  const missing = info.rows > 0 ? info.missing / info.rows : 0;
  if (missing > 0) column.missing = Math.round(missing * 1e6) / 1e6;
  return { column, summary: fitted.summary };
}

function checkOptions(opts: FitOptions): void {
  if (opts.epsilon !== undefined && !(opts.epsilon > 0 && Number.isFinite(opts.epsilon)))
    throw new StrataError(
      'fit.epsilon',
      `--epsilon must be a positive number (got ${opts.epsilon})`,
      {},
      'e.g. --epsilon 1; omit it for no differential privacy',
    );
  if (
    opts.maxParents !== undefined &&
    !(Number.isInteger(opts.maxParents) && opts.maxParents >= 0 && opts.maxParents <= 8)
  )
    throw new StrataError(
      'fit.max_parents',
      `--max-parents must be an integer 0..8 (got ${opts.maxParents})`,
    );
  if (opts.targetModel !== undefined && opts.targetModel !== 'table' && opts.targetModel !== 'auto')
    throw new StrataError(
      'fit.target_model',
      `--target-model must be "table" or "auto" (got "${String(opts.targetModel)}")`,
    );
  if (opts.targetModel === 'auto' && opts.target === undefined)
    throw new StrataError('fit.target_model', '--target-model needs --target', {}, 'add --target COLUMN');
  if (opts.tables !== undefined && !isTableKind(opts.tables))
    throw new StrataError(
      'fit.table_kind',
      `--tables must be auto, all, always or never (got "${String(opts.tables)}")`,
      {},
      'auto (default) writes a tree of parent conditions for a numeric column where it predicts as well as the full table; all: for categories too',
    );
  if (opts.minCount !== undefined && !(Number.isInteger(opts.minCount) && opts.minCount >= 1))
    throw new StrataError('fit.min_count', `--min-count must be an integer ≥ 1 (got ${opts.minCount})`);
}

/** Learn a spec from a raw table. */
export function fitTable(raw: RawColumns, opts: FitOptions = {}): FitResult {
  return runSteps(fitSteps(raw, opts), opts.signal);
}

/** `fitTable` that lets the event loop run between its steps, so `opts.signal` can cancel it. */
export function fitTableAsync(raw: RawColumns, opts: FitOptions = {}): Promise<FitResult> {
  return runStepsAsync(fitSteps(raw, opts), opts.signal);
}

function* fitSteps(raw: RawColumns, options: FitOptions): Steps<FitResult> {
  const t0 = performance.now();
  checkOptions(options);
  // A partial Spec object is checked exactly like a --from file (a loaded one is not checked twice).
  const opts = options.from ? { ...options, from: checkedPartialSpec(options.from) } : options;
  const seed = parseSeed(opts.seed ?? 1);
  const minCount = opts.minCount ?? 5;
  const maxParents = opts.maxParents ?? 3;
  checkNotEmpty(raw, opts.source);
  const unnamed = raw.columns.indexOf('');
  if (unnamed >= 0) {
    throw new StrataError(
      'fit.empty_column_name',
      `column ${unnamed + 1} of the data has an empty name; a model cannot refer to it`,
      {},
      'give every column a name (or drop the unnamed one, e.g. an index written by pandas)',
    );
  }
  const inferred = withDayColumns(inferTable(raw), raw);
  const n = raw.rowCount;
  const na = naReport(raw.naTokens, n);
  yield;

  // Hand-written partial spec: which table, which columns are kept verbatim, which parents fixed.
  const fromTables = opts.from ? Object.entries(opts.from.tables) : [];
  const tableName =
    opts.name ?? (fromTables.length === 1 ? fromTables[0][0] : undefined) ?? (raw.name || 'table');
  const hand: Table | undefined =
    opts.from?.tables[tableName] ?? (fromTables.length === 1 ? fromTables[0][1] : undefined);
  const handCols = hand?.columns ?? nameMap<Column>();
  const fixedParents = new Map<string, string[]>();
  for (const [name, c] of Object.entries(handCols))
    if (c.given || hasMechanism(c)) fixedParents.set(name, c.given ?? []);

  // Identities (a column that is a copy, sum or difference of others on every row) are written
  // as expressions and left out of the network. Not under DP: an exact identity over all rows is
  // a fact about every row.
  const identities = new Map<number, IdentityCandidate>();
  if (opts.epsilon === undefined) {
    const values = inferred.columns.map((info, i) =>
      isModelled(info) && info.kind !== 'category' && info.kind !== 'boolean'
        ? numericValues(info, raw.data[i])
        : null,
    );
    for (const id of proposeIdentities(inferred.columns, values))
      if (!handCols[inferred.columns[id.column].name] && inferred.columns[id.column].name !== opts.target)
        identities.set(id.column, id);
  }

  // Nodes of the network.
  const nodeIdx: number[] = [];
  const nodes: NodeColumn[] = [];
  inferred.columns.forEach((info, i) => {
    if (!isModelled(info) || identities.has(i)) return;
    nodeIdx.push(i);
    nodes.push(encodeColumn(info, raw.data[i], { minCount, maxBins: opts.maxBins ?? 8 }));
  });
  yield;
  const names = nodes.map((x) => x.name);
  if (opts.target !== undefined && !names.includes(opts.target)) {
    const guess = didYouMean(opts.target, raw.columns);
    throw new StrataError(
      'fit.target',
      `--target "${opts.target}" is not a modelled column of ${raw.name || 'the data'}`,
      { file: opts.source },
      guess ? `did you mean "${guess}"?` : `columns are: ${names.join(', ')}`,
    );
  }
  const target = opts.target === undefined ? -1 : names.indexOf(opts.target);
  // A discrete target is a sink (nothing is drawn given it), so its mechanism may read every
  // other column (target.ts) — unless knowledge or a hand-written column says it causes something.
  // An identity is an expression, not a node: tiers and roots naming it have nothing to order
  // (a relational fit puts every own column in a tier; MIMIC's ICUSTAYS.los = outtime − intime).
  const identityNames = new Set([...identities.keys()].map((i) => inferred.columns[i].name));
  const given = opts.knowledge ?? emptyKnowledge();
  const knowledge =
    identityNames.size === 0
      ? given
      : {
          ...given,
          tiers: given.tiers.map((t) => t.filter((n) => !identityNames.has(n))),
          roots: given.roots.filter((n) => !identityNames.has(n)),
        };
  const targetName = target >= 0 ? names[target] : undefined;
  const sinkTarget =
    targetName !== undefined &&
    opts.targetModel === 'auto' &&
    opts.epsilon === undefined &&
    nodes[target].role === 'discrete' &&
    !nodes[target].hasMissing &&
    !(handCols[targetName] && hasMechanism(handCols[targetName])) &&
    !knowledge.required.some(([from]) => from === targetName) &&
    ![...fixedParents.values()].some((ps) => ps.includes(targetName));
  const constraints = compileKnowledge(
    sinkTarget
      ? {
          ...knowledge,
          forbidden: [
            ...knowledge.forbidden,
            ...names.filter((x) => x !== targetName).map((x) => [targetName, x] as [string, string]),
          ],
        }
      : knowledge,
    names,
    fixedParents,
    opts.knowledgeFile,
  );
  const maxParentsOf = (v: number) => (v === target ? maxParents + 2 : maxParents);
  const stats = new SufficientStats(
    nodes.map((x) => x.codes),
    nodes.map((x) => x.card),
    opts.penalty ?? 1,
  );
  const learned = nodes.filter((x) => !(handCols[x.name] && hasMechanism(handCols[x.name]))).length;
  const budget = opts.epsilon !== undefined ? splitBudget(opts.epsilon, nodes.length > 1) : null;
  const rootStream = streamFor(seed, 'fit', tableName);
  const up = opts.upstreamTrees;
  const upObject = typeof up === 'object' ? up : {};
  const upstreamOpts =
    up === undefined || up === false || budget || (opts.tables ?? 'auto') === 'never' || nodes.length < 2
      ? undefined
      : {
          minLeaf: Math.max(minCount, upObject.minLeaf ?? UPSTREAM_MIN_LEAF),
          maxLeaves: upObject.maxLeaves,
          minGain: upObject.minGain ?? UPSTREAM_GAIN,
        };
  // Categories first: the search may not make a numeric column a parent of a category, so every
  // category is upstream of every numeric child (knowledge and hand-written parents still rule).
  const searchConstraints =
    upstreamOpts && upObject.categoriesFirst
      ? categoriesFirst(constraints, (v) => nodes[v].role === 'discrete')
      : constraints;
  const strong =
    budget && nodes.length > 1
      ? privBayesStructure(stats, searchConstraints, {
          maxParents: Math.min(maxParents, 2),
          maxParentsOf: (v) => Math.min(maxParentsOf(v), v === target ? 3 : 2),
          epsilon: budget.structure,
          stream: rootStream.derive('structure'),
        })
      : yield* hillClimbRestartSteps(stats, searchConstraints, {
          maxParents,
          maxParentsOf,
          restarts: opts.restarts ?? 20,
          stream: rootStream.derive('restarts'),
        });
  yield;
  // Fidelity pass: keep every BIC edge and add the weaker dependencies a lower penalty admits,
  // so generated data keeps them too; they are reported as weak, not as causal findings.
  // Less data, weaker evidence: small tables get a more conservative fidelity pass (less copying).
  const fidelityPenalty =
    opts.fidelityPenalty === undefined ? (n >= 5000 ? 0.1 : n >= 1000 ? 0.25 : 0.5) : opts.fidelityPenalty;
  const fidelity =
    budget || fidelityPenalty === null || fidelityPenalty >= (opts.penalty ?? 1)
      ? strong
      : hillClimb(
          opts.fidelityScore === 'loo'
            ? new PredictiveStats(
                nodes.map((x) => x.codes),
                nodes.map((x) => x.card),
                {
                  minCount,
                  alpha: 4,
                  smoothing: 2,
                  statePenalty: fidelityPenalty * Math.log(n),
                  backedOff: () => true,
                },
              )
            : new SufficientStats(
                nodes.map((x) => x.codes),
                nodes.map((x) => x.card),
                fidelityPenalty,
              ),
          withRequired(searchConstraints, strong),
          { maxParents, maxParentsOf },
        );
  yield;
  // Tree pass: children fit writes as trees may take parents BIC refused on full tables, when the
  // tree with them predicts held-out rows better (tree-search.ts).
  const tables = opts.tables ?? 'auto';
  const treeChild = (v: number) =>
    tables === 'all' || tables === 'always' || (tables === 'auto' && nodes[v].role === 'numeric');
  // A numeric child that tracks a numeric parent is likely tied to it (anchor.ts), and a tied
  // child keeps its full table: parents a tree could afford are no use to it (Taiwan's bills and
  // payments: the pass's edges were all dropped again, at twice the fit's CPU).
  const mayAnchor = (v: number) =>
    nodes[v].role === 'numeric' &&
    fidelity[v].some((p) => tracks(nodes[v], nodes[p], atomSetOf(nodes[v], 0.03, minCount)) !== undefined);
  // Categorical children written as full tables may take parents BIC refused, too, scored by the
  // held-out likelihood of their table smoothed as held out prefers (smoothing.ts; opt-in).
  const smoothingMode = budget ? 'fixed' : (opts.tableSmoothing ?? 'fixed');
  const heldOutSmoothing = smoothingMode === 'held-out';
  const scoreSmoothing = smoothingMode !== 'fixed';
  const tableChild = (v: number) =>
    scoreSmoothing && opts.tablePass === true && tables === 'auto' && nodes[v].role !== 'numeric';
  const treeMinLeaf = Math.max(minCount, 20);
  const treeStats = new MechanismStats(nodes, {
    minCount,
    minLeaf: treeMinLeaf,
    treeChild,
    perParent: TREE_PARENT_GAIN,
    baseParents: fidelity,
    heldOutSmoothing: scoreSmoothing,
  });
  const treePass =
    budget || tables === 'never' || opts.treeSearch === false || nodes.length < 2
      ? undefined
      : yield* treeParentSteps(treeStats, searchConstraints, fidelity, {
          children: nodes.map((_, v) => v).filter((v) => (treeChild(v) || tableChild(v)) && !mayAnchor(v)),
          maxParentsOf: (v) =>
            opts.maxParents !== undefined
              ? maxParentsOf(v)
              : maxParentsOf(v) + (treeChild(v) ? 3 : TABLE_EXTRA_PARENTS),
        });
  const searched = treePass?.parents ?? fidelity;
  yield;
  // Residual pass: pairs whose dependence lives in a few rare cells (which no average score
  // rewards) get an edge when simulating the graph shows it misses them; reported as weak.
  // Not under DP (the simulation reads exact counts) nor below 1000 rows, where such cells are
  // noise and every extra parent makes rows more specific (German credit: TSTR 0.687 → 0.655).
  const parents = searched.map((ps) => [...ps]);
  if (!budget && fidelity !== strong && n >= 1000 && opts.residualEdges !== 0) {
    const extra = yield* residualEdgeSteps(
      nodes.map((x) => x.codes),
      nodes.map((x) => x.card),
      searched,
      {
        minCount,
        stream: rootStream.derive('residual'),
        allowed: searchConstraints.allowed,
        maxEdges: opts.residualEdges,
        // Up to two parents beyond the default bound (the back-offs keep small states sound);
        // an explicit --max-parents is a hard bound.
        maxParentsOf: (v) => maxParentsOf(v) + (opts.maxParents === undefined ? 2 : 0),
        // Two numeric columns' coarse-bin table mostly measures their discretisation (refine.ts
        // handles strong numeric pairs), and another numeric parent splits a numeric child into
        // many small states: on Taiwan such edges cost detection AUC and TSTR.
        eligible: (a, b) => nodes[a].role === 'discrete' || nodes[b].role === 'discrete',
      },
    );
    for (const e of extra) parents[e.to] = [...parents[e.to], e.from].sort((a, b) => a - b);
  }
  // Upstream pass: numeric tree children may read every column before them (upstream-trees.ts).
  // After the residual pass, whose simulation builds a table per family.
  const upstream = upstreamOpts
    ? yield* upstreamTreeSteps(treeStats, nodes, searchConstraints, parents, {
        children: nodes
          .map((_, v) => v)
          .filter((v) => nodes[v].role === 'numeric' && treeChild(v) && !mayAnchor(v)),
        ...upstreamOpts,
      })
    : undefined;
  const upstreamGain = new Map<number, number>();
  for (const ch of upstream?.chosen ?? []) {
    parents[ch.child] = ch.parents;
    upstreamGain.set(ch.child, ch.gain);
  }
  const broken = violation(parents, constraints, names);
  if (broken) throw new Error(`internal: learned graph breaks the knowledge: ${broken}`);
  // Columns missing together are drawn missing together (missing-groups.ts). Not under DP: the
  // leader's rows are exact counts.
  const leaders = budget
    ? new Map<number, MissingLeader>()
    : missingLeaders(raw, inferred.columns, nodes, nodeIdx, parents, (name) =>
        Boolean((handCols[name] && hasMechanism(handCols[name])) || name === opts.target),
      );

  const dp = budget
    ? {
        scale: parameterNoiseScale(Math.max(1, learned), budget.parameters),
        stream: rootStream.derive('noise'),
      }
    : undefined;
  const columns: Record<string, Column> = nameMap();
  const comments: Record<string, string> = nameMap();
  const fitted: FittedColumn[] = [];
  const otherNotices: string[] = [];
  for (const [i, info] of inferred.columns.entries()) {
    yield;
    const name = info.name;
    const handCol = handCols[name];
    const v = nodeIdx.indexOf(i);
    if (handCol && hasMechanism(handCol)) {
      columns[name] = handCol;
      comments[name] = 'hand-written (kept as is)';
      fitted.push({
        name,
        kind: info.kind,
        origin: 'hand-written',
        parents: handCol.given ?? [],
        summary: comments[name],
        notes: info.notes,
      });
      continue;
    }
    const identity = identities.get(i);
    if (identity) {
      const inputs = identity.inputs.map((k) => inferred.columns[k].name);
      const time = info.kind === 'date' || info.kind === 'datetime';
      columns[name] = {
        type:
          info.kind === 'date' || info.kind === 'datetime'
            ? info.kind
            : info.kind === 'number'
              ? 'number'
              : 'integer',
        ...(info.kind === 'number' ? { decimals: info.decimals } : {}),
        ...(time && info.format ? { format: info.format } : {}),
        expr: identity.expr,
        ...(identity.missing ? { missing: Number(identity.missing.toPrecision(4)) } : {}),
      };
      comments[name] = identity.missing
        ? `identity: ${identity.expr} on all ${identity.rows} rows where ${name} is present; missing on ${(100 * identity.missing).toFixed(1)}% of the rows that have ${inputs.join(', ')}`
        : `identity: ${identity.expr} on all ${identity.rows} rows with values; drawn from ${inputs.join(', ')}`;
      fitted.push({
        name,
        kind: info.kind,
        origin: 'learned',
        parents: inputs,
        summary: comments[name],
        notes: info.notes,
      });
      continue;
    }
    let text =
      v < 0 && !budget ? textLawColumn(info, i, inferred.columns, raw, minCount, rootStream) : undefined;
    const textLeader = leaders.get(i);
    if (text && textLeader) {
      const led = followLeader(
        { column: text.column, summary: text.summary, states: 0 },
        textLeader,
        inferred.columns,
      );
      text = { column: led.column, summary: led.summary };
    }
    if (text) {
      columns[name] = text.column;
      const notes = info.notes.length > 0 ? ` (${info.notes.join('; ')})` : '';
      comments[name] = `${text.summary}${notes}`;
      fitted.push({
        name,
        kind: info.kind,
        origin: 'learned',
        parents: text.column.given ?? [],
        summary: text.summary,
        notes: info.notes,
      });
      continue;
    }
    if (v < 0) {
      columns[name] = unmodelledColumn(info);
      comments[name] = `${info.notes.join('; ') || info.kind}: not modelled`;
      fitted.push({
        name,
        kind: info.kind,
        origin: 'not modelled',
        parents: [],
        summary: comments[name],
        notes: info.notes,
      });
      continue;
    }
    const gainUp = upstreamGain.get(v);
    const nodeOpts = {
      minCount,
      dp,
      tables: opts.tables,
      lawPenalty: opts.lawPenalty,
      mergeAlpha: opts.mergeAlpha,
      heldOutSmoothing,
      ...(gainUp !== undefined && upstreamOpts ? { upstream: { ...upstreamOpts, gain: gainUp } } : {}),
      // Knowledge rules the family as it rules parents: a forbidden edge is no member either.
      ...(opts.families === true && !dp
        ? { drawnBefore: ancestorsOf(parents, v).filter((u) => constraints.allowed(u, v)) }
        : {}),
    };
    // A follower's own law is learned where its leader is present (missing-groups.ts).
    const leader = leaders.get(i);
    const ownNodes = leader
      ? nodesOnRows(
          nodes,
          presentRows(raw, inferred.columns, leader.kind === 'with' ? leader.leader : leader.follower),
        )
      : nodes;
    let nf = fitNode(ownNodes, v, parents[v], nodeOpts);
    // Parents the tree pass added were scored as a tree: when fit writes something else (a tied
    // child, or the full table won after all), they would thin a table BIC refused; drop them.
    // A table child's were scored as the (smoothed) table fit writes: they stay.
    const treeAdded = treePass?.added.filter((e) => e.to === v).map((e) => e.from) ?? [];
    if (treeAdded.length > 0 && !nf.tree && !tableChild(v)) {
      parents[v] = parents[v].filter((p) => !treeAdded.includes(p));
      nf = fitNode(ownNodes, v, parents[v], nodeOpts);
    }
    if (leader) nf = followLeader(nf, leader, inferred.columns);
    if (v === target && sinkTarget) {
      const choice = chooseTargetModel(nodes, v, parents[v], { minCount, seed });
      if (choice?.column) {
        nf = { column: choice.column, summary: `${nf.summary.split(';')[0]}; ${choice.summary}`, states: 0 };
        parents[v] = choice.column.given!.map((g) => names.indexOf(g)).sort((a, b) => a - b);
      } else if (choice) nf = { ...nf, summary: `${nf.summary}; table kept: ${choice.summary}` };
    }
    if (nf.column.type === 'category' && nodes[v].pooled > 0 && nodes[v].labels.includes(OTHER)) {
      const kept = nodes[v].labels.filter((l) => l !== OTHER);
      const o = fitOtherLaw(raw.data[i], kept, {
        minCount,
        dp: !!budget,
        stream: rootStream.derive('other', name),
      });
      const column = o.other ? { ...nf.column, other: o.other } : nf.column;
      nf = { ...nf, column, summary: `${nf.summary}${o.note}` };
      if (o.fallback) otherNotices.push(`column "${name}": ${o.fallback}`);
    }
    const ps = parents[v].map((p) => names[p]);
    const col = handCol?.description ? { ...nf.column, description: handCol.description } : nf.column;
    columns[name] = col;
    const notes = info.notes.length > 0 ? ` (${info.notes.join('; ')})` : '';
    comments[name] = `${nf.summary}${ps.length > 0 ? `; given ${ps.join(', ')}` : ''}${notes}`;
    fitted.push({
      name,
      kind: info.kind,
      origin: 'learned',
      parents: ps,
      summary: nf.summary,
      notes: info.notes,
    });
  }
  // Tokens read as missing because they were listed: recorded, so evaluate --spec reads alike.
  for (const [name, tokens] of na.listed) {
    const col = columns[name];
    if (col && !(handCols[name] && hasMechanism(handCols[name]))) col.na_values = tokens;
  }
  // Hand-written columns that are not in the data (derived, extra) follow the real ones.
  for (const [name, c] of Object.entries(handCols)) {
    if (columns[name]) continue;
    columns[name] = c;
    comments[name] = 'hand-written (not in the data)';
  }

  const notices = [...na.notices, ...otherNotices];
  const edges = edgesOf(names, parents, strong);
  const mermaid = toMermaid(names, edges);
  const table: Table = { rows: n, columns };
  if (hand?.description) table.description = hand.description;
  const dayRules = sameDayRules(inferred.columns, raw, identities, names, parents, (x) =>
    Boolean(handCols[x] && hasMechanism(handCols[x])),
  );
  if (hand?.rules || dayRules.length > 0) table.rules = [...(hand?.rules ?? []), ...dayRules];
  const spec: Spec = {
    strata: 1,
    name: opts.from?.name ?? tableName,
    ...(opts.from?.description ? { description: opts.from.description } : {}),
    seed: opts.from?.seed ?? seed,
    tables: { [tableName]: table },
    ...(opts.from?.coverage ? { coverage: opts.from.coverage } : {}),
    ...(opts.from?.tails ? { tails: opts.from.tails } : {}),
    ...(opts.from?.scenarios ? { scenarios: opts.from.scenarios } : {}),
    fit: {
      source: opts.source ?? raw.name,
      rows: n,
      epsilon: budget ? budget.epsilon : null,
      ...(budget
        ? {
            epsilon_split: {
              structure: budget.structure,
              parameters: budget.parameters,
              laplace_scale: dp?.scale,
            },
          }
        : {}),
      min_category_count: minCount,
      max_parents: maxParents,
      ...(opts.target ? { target: opts.target } : {}),
      structure: budget ? 'privbayes (exponential mechanism on mutual information)' : 'hill climbing on BIC',
      edges: edgeText(edges),
      graph: mermaid,
    },
  };
  const seconds = (performance.now() - t0) / 1000;
  const header = [
    `Strata model learned from ${opts.source ?? raw.name} (${n} rows, ${raw.columns.length} columns).`,
    `Structure: ${budget ? `PrivBayes, epsilon ${budget.epsilon} (structure ${budget.structure}, counts ${budget.parameters})` : 'hill climbing on BIC'}; ${edges.length} edges (${edges.filter((e) => e.weak).length} weak: kept for fidelity, weak evidence); max ${maxParents} parents.`,
    `Categories seen in fewer than ${minCount} rows are pooled into the state "(other)", written as fresh values (a column's other:),`,
    `never as "(other)" nor as a rare real value; a parent state with fewer rows has no row of its own:`,
    `it uses a back-off row ("*" = any state of that parent; a row of the exact state always wins) or the default.`,
    ...directionLines(
      names,
      parents,
      (from, to) =>
        constraints.required.some(([a, b]) => a === from && b === to) || !constraints.allowed(to, from),
    ),
    'Edit freely: add rules, change `given` edges or tables, then `strata generate` this file.',
    ...notices.map((l) => `Notice: ${l}`),
  ];
  const yaml = specToYaml(spec, { header, columnComments: { [tableName]: comments } });
  return {
    spec,
    yaml,
    table: tableName,
    rows: n,
    columns: fitted,
    edges,
    mermaid,
    dot: toDot(names, edges),
    seconds,
    budget,
    notices,
    header,
    comments,
  };
}

/**
 * Header lines saying which edge directions the data decided (v-structures, and those Meek's
 * rules then force), which knowledge fixed, and which are arbitrary (the reverse fits equally
 * well), so an expert knows which arrows to check.
 */
function directionLines(
  names: readonly string[],
  parents: readonly (readonly number[])[],
  byKnowledge: (from: number, to: number) => boolean,
): string[] {
  const dirs = edgeDirections(parents, byKnowledge);
  if (dirs.length === 0) return [];
  const list = (kind: string[]) =>
    dirs
      .filter((e) => kind.includes(e.direction))
      .map((e) => `${names[e.from]} -> ${names[e.to]}`)
      .join(', ');
  const count = (kind: string) => dirs.filter((e) => e.direction === kind).length;
  const lines = [
    `Edge directions: ${count('v-structure') + count('implied')} decided by the data (${count('v-structure')} in v-structures a -> c <- b, ${count('implied')} implied by them), ${count('knowledge')} by knowledge, ${count('arbitrary')} arbitrary (the reverse fits the data equally well: check these).`,
  ];
  const data = list(['v-structure', 'implied']);
  if (data) lines.push(`Decided by the data: ${data}.`);
  const known = list(['knowledge']);
  if (known) lines.push(`Decided by knowledge: ${known}.`);
  const arbitrary = list(['arbitrary']);
  if (arbitrary) lines.push(`Arbitrary: ${arbitrary}.`);
  return lines;
}

/**
 * A datetime column whose every value is at midnight (MIMIC's `chartdate`, written
 * `2164-10-23 00:00:00`) is a date: fitted and drawn in whole days, written in its own format.
 */
function withDayColumns<T extends { columns: InferredColumn[] }>(inferred: T, raw: RawColumns): T {
  const columns = inferred.columns.map((info, i) => {
    if (info.kind !== 'datetime' || info.format === undefined) return info;
    const values = numericValues(info, raw.data[i]);
    let present = 0;
    for (const x of values) {
      if (Number.isNaN(x)) continue;
      if (x % 86_400_000 !== 0) return info;
      present++;
    }
    return present > 0 ? { ...info, kind: 'date' as const } : info;
  });
  return { ...inferred, columns };
}

/**
 * Rules keeping a date the day of a datetime where both are present (identities.ts
 * `proposeSameDays`), bounding whichever the model draws second to the other's day.
 */
function sameDayRules(
  inferred: readonly InferredColumn[],
  raw: RawColumns,
  identities: ReadonlyMap<number, IdentityCandidate>,
  names: readonly string[],
  parents: readonly (readonly number[])[],
  fixed: (name: string) => boolean,
): Rule[] {
  const values = inferred.map((info, i) =>
    info.kind === 'date' || info.kind === 'datetime' ? numericValues(info, raw.data[i]) : null,
  );
  const position = new Map(drawOrder(parents).map((v, k) => [names[v], k]));
  const out: Rule[] = [];
  for (const p of proposeSameDays(inferred, values, new Set(identities.keys()))) {
    const [d, t] = [inferred[p.date].name, inferred[p.time].name];
    const [pd, pt] = [position.get(d), position.get(t)];
    if (pd === undefined || pt === undefined || fixed(d) || fixed(t)) continue;
    const [de, te] = [exprName(d), exprName(t)];
    out.push({
      name: `${d}_is_day_of_${t}`,
      check:
        pd < pt
          ? `${te} >= ${de} and ${te} < add_days(${de}, 1)`
          : `${de} >= date(${te}) and ${de} <= date(${te})`,
      description: `found in the data: ${d} is the day of ${t} on all ${p.rows} rows holding both`,
    });
  }
  return out;
}

/** Is the column's value missing on each row (1) or present (0)? */
function missingRows(raw: RawColumns, info: InferredColumn, i: number): Uint8Array {
  const values =
    info.kind === 'text' || info.kind === 'category' || info.kind === 'boolean'
      ? null
      : numericValues(info, raw.data[i]);
  return Uint8Array.from(raw.data[i], (x, r) =>
    (values ? Number.isNaN(values[r]) : cleanValue(x) === null) ? 1 : 0,
  );
}

function presentRows(raw: RawColumns, inferred: readonly InferredColumn[], i: number): Uint8Array {
  return missingRows(raw, inferred[i], i).map((m) => 1 - m);
}

/**
 * Leaders of the columns fit learns (missing-groups.ts): network nodes in the order the model
 * draws them, then the text-law columns (nothing is drawn from them). `fixed(name)`: a column
 * whose mechanism is not learned here (hand-written, or the target), which follows no leader and
 * leads none.
 */
function missingLeaders(
  raw: RawColumns,
  inferred: readonly InferredColumn[],
  nodes: readonly NodeColumn[],
  nodeIdx: readonly number[],
  parents: readonly (readonly number[])[],
  fixed: (name: string) => boolean,
): Map<number, MissingLeader> {
  const texts = inferred.flatMap((info, i) =>
    info.kind === 'text' && !info.notes.some((n) => n.startsWith('email')) ? [i] : [],
  );
  const order = [...drawOrder(parents).map((v) => nodeIdx[v]), ...texts].filter(
    (i) => !fixed(inferred[i].name) && (inferred[i].kind === 'text' || nodes[nodeIdx.indexOf(i)].hasMissing),
  );
  const missing: (Uint8Array | null)[] = inferred.map(() => null);
  for (const i of order) missing[i] = missingRows(raw, inferred[i], i);
  return proposeMissingLeaders(missing, order);
}

/** A fitted column that goes missing with its leader: `missing: if(is_null(leader), p, q)`. */
function followLeader(nf: NodeFit, leader: MissingLeader, inferred: readonly InferredColumn[]): NodeFit {
  const own = typeof nf.column.missing === 'number' ? nf.column.missing : 0;
  // Missing with the leader: a node's own law, learned where the leader is present, carries its
  // missing rate there. A text law's constant rate is over every row, and a node missing only
  // within the leader learned its law from its present values: both take the rate where the
  // leader is present.
  const whenPresent = leader.kind === 'with' && !nf.column.text ? own : leader.whenPresent;
  const name = inferred[leader.leader].name;
  const column = { ...nf.column, missing: missingExpr(exprName(name), leader.whenMissing, whenPresent) };
  const what =
    leader.kind === 'with'
      ? `missing wherever ${name} is (on ${leader.breaks === 0 ? 'all' : `${leader.shared} of`} its ${leader.rows} missing rows)`
      : `missing only where ${name} is (${pct(leader.whenMissing)} of its missing rows${leader.breaks > 0 ? `; ${leader.breaks} rows otherwise` : ''})`;
  return { ...nf, column, summary: `${nf.summary}; ${what}` };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** A table with no columns or no rows teaches nothing: refuse it before fitting. */
function checkNotEmpty(raw: RawColumns, source: string | undefined): void {
  const what = raw.columns.length === 0 ? 'no columns' : raw.rowCount === 0 ? 'no rows' : undefined;
  if (!what) return;
  throw new StrataError(
    'fit.empty_data',
    `the data has ${what}: there is nothing to learn from`,
    { file: source },
    raw.columns.length === 0
      ? 'give a file with a header and rows (CSV), or one JSON object per line (JSON lines), e.g. {"age": 41}'
      : 'give a file with at least one row of data under the header',
  );
}
