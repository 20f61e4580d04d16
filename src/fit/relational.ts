/**
 * `fitTables`: learn a relational (multi-table, sequential) spec from real tables, in the shape of
 * the issue-14 contract (docs: RELATIONAL contract, `parent`, `key`, `count`, `sequence`, `rules`).
 *
 * keys.ts finds keys and each table's parent; then, per table (parents first):
 *  - rows are grouped under their parent row (or, for a panel, their entity value) and ordered
 *    (sequence.ts: a detected or stated order column);
 *  - the single-table learner (fit.ts) runs on an *augmented* table: the table's own columns plus
 *    context features — the parent row's columns (`parent.x`) and, in a sequence, the previous
 *    row's (`prev.x`) and the position (`index`). Context is exogenous (a knowledge tier before
 *    the own columns): it may be a parent of an own column, never a child. Only the own columns'
 *    mechanisms are kept; their `given` may name context (`admission_type given prev.admission_type`);
 *  - children per parent row are a count law (counts.ts), parents without children counted as 0;
 *  - the order relations between datetime columns that hold on every real row (or on all but at
 *    most RULE_BREAK_SHARE of them) — same row, against the parent's and ancestors' columns,
 *    against the previous row — become rules (invariants.ts), each with a comment saying on how
 *    many rows (or pairs of consecutive rows) it was checked and how many broke it.
 * Pure apart from the clock for the fit seconds; file I/O lives in relational-file.ts.
 */

import { type InferredColumn, inferTable, numericValues, type RawColumns } from '../data/infer.js';
import { StrataError } from '../errors.js';
import { nameMap } from '../names.js';
import { streamFor } from '../random/stream.js';
import type { Column } from '../spec/schema.js';
import { fitCountRate, type SizeCandidate } from './count-rate.js';
import { type CountFit, type CountLaw, fitCount } from './counts.js';
import { specToYaml } from './emit.js';
import { isModelled } from './encode.js';
import { fitTable } from './fit.js';
import { fitIntervalLength, intervalEndColumn } from './interval-laws.js';
import {
  feasibleBounds,
  mineOrderInvariants,
  type OrderInvariant,
  type OrderVector,
  quoteName,
  ruleName,
  ruleText,
} from './invariants.js';
import {
  detectSchema,
  type KeyOption,
  keyValue,
  type RefOption,
  type Schema,
  type TableLinks,
} from './keys.js';
import { detectOrder, type Grouping, groupByValue, groupSizes, type Ordered, orderRows } from './sequence.js';
import { fitAnchoredTime, fitStepLaw, lawOf } from './step-laws.js';

/** A column of a relational spec: today's columns plus the FK placeholder `{ type: ref }`. */
export type RelationalColumn = Column | { type: 'ref'; description?: string };

export interface RelationalRule {
  name: string;
  check: string;
}

/** One table of a relational spec (RELATIONAL.md). */
export interface RelationalTable {
  rows?: number;
  description?: string;
  parent?: { table: string; column: string };
  key?: string;
  count?: CountLaw;
  sequence?: { order?: string; entity?: string };
  columns: Record<string, RelationalColumn>;
  rules?: RelationalRule[];
}

export interface RelationalSpec {
  strata: 1;
  name: string;
  seed: number;
  tables: Record<string, RelationalTable>;
  fit?: Record<string, unknown>;
}

export interface RelationalFitOptions {
  keys?: readonly KeyOption[];
  refs?: readonly RefOption[];
  /** `--order T=col`: the column that orders T's rows under their parent (or entity). */
  orders?: readonly KeyOption[];
  /** Panel: the column whose value groups a single table's rows into entities (`--entity`). */
  entity?: string;
  seed?: number;
  minCount?: number;
  maxParents?: number;
  /** Structure-search restarts per table (default 10). */
  restarts?: number;
  /**
   * Share of the real rows that may break an order relation still written as a rule (default
   * RULE_BREAK_SHARE, 0.1 %; 0: only relations that hold on every row).
   */
  ruleBreakShare?: number;
  /**
   * Let an ordered sequence's count be the parent's size × a rate (count-rate.ts) where that
   * predicts held-out counts better. Off by default: on the MIMIC demo it halves OUTPUTEVENTS
   * ties with the previous event (45.8% → 26.2%, real 14.5%) but children per stay falls from
   * 0.855 to 0.820 1 − TVD, because the generated stays are shorter than real ones (median los
   * 1.74 vs 2.11 days) and the rate passes that error into the counts (docs/relational.md).
   */
  countRate?: boolean;
  /** Model name (default: the first root table's name). */
  name?: string;
  /** Where each table came from (recorded in the model). */
  sources?: ReadonlyMap<string, string>;
}

/** A mined rule with the evidence written beside it. */
export interface FittedRule extends RelationalRule {
  /** Rows where every input was present (the rows that checked it). */
  rows: number;
  /** The relation, `left op right` (left the smaller), in this table's names. */
  relation: OrderInvariant;
}

export interface FittedRelationalTable {
  name: string;
  /** Rows of the real table used (orphans left out). */
  rows: number;
  key?: string;
  parent?: { table: string; column: string };
  /** Count law of rows per parent row (or per entity). */
  count?: CountFit;
  sequence?: { order?: string; entity?: string; why: string };
  columns: Record<string, RelationalColumn>;
  /** Own column → the columns it is given (may name `parent.x`, `prev.x`, `index`). */
  parents: Map<string, string[]>;
  comments: Record<string, string>;
  rules: FittedRule[];
}

export interface RelationalFit {
  spec: RelationalSpec;
  tables: FittedRelationalTable[];
  schema: Schema;
  notes: string[];
  seconds: number;
}

const CODE_NAME = /(id|code|cd|_no|num|number|key)$/i;

/**
 * Share of real rows that may break an order relation fit still writes as a rule (`ruleBreakShare`).
 * Broken rows are allowed in whole rows only, floor(0.001 × rows): a relation checked on fewer than
 * 1,000 rows must hold on every one. On the MIMIC-III demo this adds three OUTPUTEVENTS rules:
 * `charttime < parent.outtime` (1 of 11,319 real events breaks it; without it 35 % of generated
 * events ran past their stay's end), `charttime >= ADMISSIONS.admittime` (4) and
 * `storetime > parent.intime` (2).
 */
export const RULE_BREAK_SHARE = 0.001;
const isTime = (info: InferredColumn) => info.kind === 'datetime' || info.kind === 'date';

/** Columns of `raw` taken at `rows` (a row index of -1 gives a missing cell). */
function pick(data: readonly (readonly (string | null)[])[], rows: Int32Array): (string | null)[][] {
  return data.map((col) => Array.from(rows, (r) => (r < 0 ? null : col[r])));
}

interface TableFacts {
  raw: RawColumns;
  infos: InferredColumn[];
}

/** Row of the parent each row of a child belongs to (-1: no parent row). */
function parentRows(child: RawColumns, fk: string, parent: RawColumns, parentKey: string): Int32Array {
  const idx = new Map<string, number>();
  const keys = parent.data[parent.columns.indexOf(parentKey)];
  keys.forEach((v, i) => {
    const k = keyValue(v);
    if (k !== null) idx.set(k, i);
  });
  const fkValues = child.data[child.columns.indexOf(fk)];
  return Int32Array.from(fkValues, (v) => {
    const k = keyValue(v);
    return k === null ? -1 : (idx.get(k) ?? -1);
  });
}

/** The columns of a table the model draws (not the key, FK, derived copies or entity). */
function drawnColumns(facts: TableFacts, skip: ReadonlySet<string>): InferredColumn[] {
  return facts.infos.filter((info) => !skip.has(info.name) && isModelled(info));
}

/** Learn a relational spec from real tables (see the module comment). */
export function fitTables(raws: readonly RawColumns[], opts: RelationalFitOptions = {}): RelationalFit {
  const t0 = performance.now();
  const seed = opts.seed ?? 1;
  if (raws.length === 0)
    throw new StrataError(
      'fit.tables',
      'no tables to fit',
      {},
      'pass CSV files, a directory or a DuckDB file',
    );
  // A table with no rows (or no columns) teaches nothing, and every check after this one (a --ref's
  // containment, a key's uniqueness) would report it as something else ("0.0% found"): name it here.
  for (const raw of raws) {
    if (raw.rowCount > 0 && raw.columns.length > 0) continue;
    throw new StrataError(
      'fit.empty_data',
      `table "${raw.name}" has ${raw.columns.length === 0 ? 'no columns' : 'no rows'}: there is nothing to learn from`,
      { file: opts.sources?.get(raw.name) ?? raw.name },
      raws.length > 1
        ? `give it at least one row under the header, or leave ${raw.name} out of the inputs`
        : 'give a file with at least one row of data under the header',
    );
  }
  if (opts.entity !== undefined && raws.length !== 1)
    throw new StrataError(
      'fit.entity',
      '--entity groups the rows of a single table (a panel); with several tables, rows are grouped under their parent',
      {},
      'fit the panel file alone, or drop --entity',
    );
  const schema = detectSchema(raws, { keys: opts.keys, refs: opts.refs });
  const notes = [...schema.notes];
  const facts = new Map<string, TableFacts>();
  for (const raw of raws) facts.set(raw.name, { raw, infos: inferTable(raw).columns });
  const orderOption = new Map<string, string>();
  for (const o of opts.orders ?? []) {
    const f = facts.get(o.table);
    if (!f)
      throw new StrataError(
        'fit.bad_order',
        `--order names table "${o.table}", which is not among the inputs`,
        {},
        `tables are: ${[...facts.keys()].join(', ')}`,
      );
    if (!f.raw.columns.includes(o.column))
      throw new StrataError(
        'fit.bad_order',
        `--order: table "${o.table}" has no column "${o.column}"`,
        {},
        `its columns are: ${f.raw.columns.join(', ')}`,
      );
    orderOption.set(o.table, o.column);
  }
  if (opts.entity !== undefined && !raws[0].columns.includes(opts.entity))
    throw new StrataError(
      'fit.entity',
      `--entity: table "${raws[0].name}" has no column "${opts.entity}"`,
      {},
      `its columns are: ${raws[0].columns.join(', ')}`,
    );

  const fitted = new Map<string, FittedRelationalTable>();
  /** Per table: the ancestor row of each of its rows, by ancestor name (for `T.x` vectors). */
  const ancestorRows = new Map<string, Map<string, Int32Array>>();
  for (const name of schema.order) {
    const f = facts.get(name)!;
    const links = schema.tables.get(name)!;
    const model = fitOne(f, links, {
      facts,
      fitted,
      ancestorRows,
      order: orderOption.get(name),
      entity: opts.entity,
      seed,
      opts,
      notes,
    });
    fitted.set(name, model);
  }

  const tables: Record<string, RelationalTable> = nameMap();
  for (const name of schema.order) {
    const m = fitted.get(name)!;
    // Key order as a person reads a table: size, links, then columns and rules.
    const t = {} as RelationalTable;
    if (!m.parent) t.rows = m.count ? m.count.parents : m.rows;
    if (m.parent) t.parent = m.parent;
    if (m.key !== undefined) t.key = m.key;
    if (m.count) t.count = m.count.count;
    if (m.sequence) {
      t.sequence = {};
      if (m.sequence.entity !== undefined) t.sequence.entity = m.sequence.entity;
      if (m.sequence.order !== undefined) t.sequence.order = m.sequence.order;
    }
    t.columns = m.columns;
    if (m.rules.length > 0) t.rules = m.rules.map(({ name: n, check }) => ({ name: n, check }));
    tables[name] = t;
  }
  const roots = schema.order.filter((t) => !fitted.get(t)!.parent);
  const spec: RelationalSpec = {
    strata: 1,
    name: opts.name ?? roots[0],
    seed,
    tables,
    fit: {
      sources: nameMap(raws.map((r) => [r.name, opts.sources?.get(r.name) ?? r.name] as const)),
      // `rows` is a number in the spec's fit section (a single table's rows): here, all tables' rows.
      rows: raws.reduce((n, r) => n + r.rowCount, 0),
      table_rows: nameMap(raws.map((r) => [r.name, r.rowCount] as const)),
      min_category_count: opts.minCount ?? 5,
      structure: 'hill climbing on BIC per table, over its columns and its context (parent.*, prev.*, index)',
    },
  };
  return {
    spec,
    tables: schema.order.map((t) => fitted.get(t)!),
    schema,
    notes,
    seconds: (performance.now() - t0) / 1000,
  };
}

interface FitContext {
  facts: ReadonlyMap<string, TableFacts>;
  fitted: ReadonlyMap<string, FittedRelationalTable>;
  ancestorRows: Map<string, Map<string, Int32Array>>;
  order?: string;
  entity?: string;
  seed: number;
  opts: RelationalFitOptions;
  notes: string[];
}

/** Context features of the parent row: its drawn columns, named `parent.x`. */
function parentContext(parent: TableFacts, parentModel: FittedRelationalTable): InferredColumn[] {
  const skip = new Set<string>();
  for (const [c, col] of Object.entries(parentModel.columns))
    if (col.type === 'ref' || col.type === 'derived' || col.type === 'id') skip.add(c);
  return drawnColumns(parent, skip);
}

function fitOne(f: TableFacts, links: TableLinks, ctx: FitContext): FittedRelationalTable {
  const { raw, infos } = f;
  const name = raw.name;
  const n = raw.rowCount;
  const skip = new Set<string>();
  if (links.key !== undefined) skip.add(links.key);
  if (links.parent) skip.add(links.parent.column);
  for (const d of links.derived) skip.add(d.column);
  if (ctx.entity !== undefined) skip.add(ctx.entity);

  // Grouping: under the parent row, or by entity value (a panel), or none.
  let grouping: Grouping | undefined;
  let pRows: Int32Array | undefined;
  const parentModel = links.parent ? ctx.fitted.get(links.parent.table)! : undefined;
  const parentFacts = links.parent ? ctx.facts.get(links.parent.table)! : undefined;
  if (links.parent && parentFacts) {
    pRows = parentRows(raw, links.parent.column, parentFacts.raw, links.parent.parentColumn);
    grouping = { group: pRows, groups: parentFacts.raw.rowCount };
  } else if (ctx.entity !== undefined) {
    grouping = groupByValue(raw.data[raw.columns.indexOf(ctx.entity)]);
  }

  // Order within a group.
  let sequence: FittedRelationalTable['sequence'];
  let ordered: Ordered | undefined;
  if (grouping) {
    let orderCol = ctx.order;
    let why = 'stated with --order';
    if (orderCol === undefined) {
      const exclude = new Set(skip);
      const choice = detectOrder(infos, raw.data, grouping, exclude);
      if (choice) {
        orderCol = choice.column;
        why = choice.why;
      }
    }
    const sizes = groupSizes(grouping);
    const multi = sizes.some((s) => s > 1);
    if (orderCol !== undefined && multi) {
      const info = infos[raw.columns.indexOf(orderCol)];
      ordered = orderRows(grouping, numericValues(info, raw.data[raw.columns.indexOf(orderCol)]));
      sequence = { order: orderCol, why };
    } else if (ctx.entity !== undefined) {
      ordered = orderRows(grouping);
      sequence = { why: 'file order within each entity' };
    }
    if (ctx.entity !== undefined && sequence) sequence.entity = ctx.entity;
  }
  const rows = ordered ? ordered.rows : Int32Array.from({ length: n }, (_, i) => i);
  const m = rows.length;

  // Augmented table: own columns, then context columns.
  const own = raw.columns;
  const kept = own.filter((c) => !skip.has(c));
  const augColumns: string[] = [...kept];
  const augData: (string | null)[][] = pick(
    kept.map((c) => raw.data[own.indexOf(c)]),
    rows,
  );
  const context: string[] = [];
  let pInfos: InferredColumn[] = [];
  if (parentFacts && parentModel && pRows) {
    pInfos = parentContext(parentFacts, parentModel);
    const at = Int32Array.from(rows, (r) => pRows![r]);
    for (const info of pInfos) {
      const c = parentFacts.raw.columns.indexOf(info.name);
      augColumns.push(`parent.${info.name}`);
      context.push(`parent.${info.name}`);
      augData.push(Array.from(at, (r) => (r < 0 ? null : parentFacts.raw.data[c][r])));
    }
  }
  const drawn = drawnColumns(f, skip);
  if (sequence && ordered) {
    const prevAt = Int32Array.from(ordered.prev, (p) => (p < 0 ? -1 : ordered!.rows[p]));
    for (const info of drawn) {
      const c = own.indexOf(info.name);
      augColumns.push(`prev.${info.name}`);
      context.push(`prev.${info.name}`);
      augData.push(Array.from(prevAt, (r) => (r < 0 ? null : raw.data[c][r])));
    }
    augColumns.push('index');
    context.push('index');
    augData.push(Array.from(ordered.index, String));
  }
  const aug: RawColumns = { name, columns: augColumns, rowCount: m, data: augData };
  const augInfos = inferTable(aug).columns;
  const modelledContext = context.filter((c) => isModelled(augInfos[augColumns.indexOf(c)]));
  const modelledOwn = drawn.map((i) => i.name).filter((c) => isModelled(augInfos[augColumns.indexOf(c)]));
  const single = fitTable(aug, {
    seed: ctx.seed,
    name,
    minCount: ctx.opts.minCount,
    maxParents: ctx.opts.maxParents,
    restarts: ctx.opts.restarts ?? 10,
    knowledge: {
      required: [],
      forbidden: [],
      tiers: modelledContext.length > 0 ? [modelledContext, modelledOwn] : [],
      roots: [],
    },
  });
  const learned = single.spec.tables[name].columns;
  const learnedComments = new Map(single.columns.map((c) => [c.name, c]));

  // Columns in the file's order: the FK as `ref`, derived ancestor keys, the key, drawn columns.
  const columns: Record<string, RelationalColumn> = nameMap();
  const comments: Record<string, string> = nameMap();
  const parents = new Map<string, string[]>();
  for (const info of infos) {
    const c = info.name;
    if (links.parent && c === links.parent.column) {
      columns[c] = { type: 'ref' };
      comments[c] =
        `foreign key -> ${links.parent.table}.${links.parent.parentColumn} (${links.parent.stated ? 'stated' : `found for ${(100 * links.parent.containment).toFixed(1)}% of rows`})`;
      continue;
    }
    const d = links.derived.find((x) => x.column === c);
    if (d) {
      const ref = d.table === links.parent?.table ? `parent.${d.source}` : `${d.table}.${d.source}`;
      columns[c] = { type: 'derived', expr: quoteName(ref) };
      comments[c] =
        `copies ${d.table}.${d.source} through the parent chain${d.disagree > 0 ? ` (disagreed on ${d.disagree} rows)` : ''}`;
      continue;
    }
    if (c === links.key) {
      columns[c] = keyColumn(info);
      comments[c] = `key: ${info.distinct} distinct values, one per row`;
      continue;
    }
    if (ctx.entity !== undefined && c === ctx.entity) {
      columns[c] = { type: 'id', id: 'sequential', ...entityStyle(raw.data[own.indexOf(c)]) };
      comments[c] = 'the entity: drawn once per entity (unique), repeated on its rows';
      continue;
    }
    const col = learned[c];
    if (!col) continue;
    // A child's times follow its parent's (and previous row's): the real table's static range
    // would be a hard bound the parent's own draws can leave behind (a death time whose range ends
    // before a generated parent's date of death has no window left). The rules bound them instead.
    if ((links.parent || sequence) && isTime(info)) {
      const { min: _min, max: _max, ...rest } = col;
      columns[c] = rest;
    } else columns[c] = col;
    const lc = learnedComments.get(c);
    comments[c] = lc
      ? `${lc.summary}${lc.parents.length > 0 ? `; given ${lc.parents.join(', ')}` : ''}`
      : 'not modelled';
    if (lc) parents.set(c, lc.parents);
  }

  // Step laws in a sequence: the order column as gaps after the previous row (the first row
  // relative to the parent's time), numeric columns that carry over from row to row as AR(1).
  if (sequence && ordered) {
    const at = pRows ? Int32Array.from(ordered.rows, (r) => pRows![r]) : undefined;
    for (const info of drawn) {
      const isOrder = info.name === sequence.order;
      // Codes (itemid, cgid) and few-valued integers are labels, not levels: no AR step for them.
      // Up to 20 values a table given prev.x is the better law: Taiwan's PAY status (11 values,
      // -2…8) as AR(1) had lag-1 0.894 against the real 0.768; as a table given prev.PAY, 0.717.
      const levels = (minDistinct: number) =>
        (info.kind === 'number' || (info.kind === 'integer' && info.distinct > minDistinct)) &&
        !CODE_NAME.test(info.name);
      if (!isOrder && !levels(20)) continue;
      if (isOrder && !(levels(10) || isTime(info))) continue;
      const base = columns[info.name];
      if (!base || base.type === 'ref') continue;
      const all = numericValues(info, raw.data[own.indexOf(info.name)]);
      const values = Float64Array.from(ordered.rows, (r) => all[r]);
      const anchors: { name: string; values: Float64Array }[] = [];
      if (isOrder && at && parentFacts)
        for (const pi of pInfos)
          if (isTime(pi) === isTime(info) && pi.missing === 0) {
            const pv = numericValues(pi, parentFacts.raw.data[parentFacts.raw.columns.indexOf(pi.name)]);
            anchors.push({
              name: `parent.${pi.name}`,
              values: Float64Array.from(at, (r) => (r < 0 ? Number.NaN : pv[r])),
            });
          }
      const law = fitStepLaw(
        {
          name: info.name,
          info,
          values,
          prev: ordered.prev,
          anchors,
          mode: isOrder ? 'order' : 'ar',
          minCount: ctx.opts.minCount ?? 5,
          ...(isOrder && anchors.length > 0
            ? {
                room: {
                  remaining: rowsAfter(ordered),
                  group: ordered.group,
                  ends: anchors,
                  breakShare: ctx.opts.ruleBreakShare ?? RULE_BREAK_SHARE,
                },
              }
            : {}),
        },
        base as Column,
      );
      if (!law || (!isOrder && law.lag1 < 0.5)) continue;
      columns[info.name] = law.column;
      parents.set(info.name, law.given);
      comments[info.name] = `${info.kind}; ${law.summary}`;
    }
  }

  // Times of a child (or sequence) row not yet tied to another time: tied to the row's time
  // context — the order column or a parent's time — so they move with the generated parent.
  if (parentFacts || sequence) {
    const at = pRows ? Int32Array.from(rows, (r) => pRows![r]) : undefined;
    const contextTimes: { name: string; values: Float64Array }[] = [];
    if (at && parentFacts)
      for (const pi of pInfos)
        if (isTime(pi)) {
          const pv = numericValues(pi, parentFacts.raw.data[parentFacts.raw.columns.indexOf(pi.name)]);
          contextTimes.push({
            name: `parent.${pi.name}`,
            values: Float64Array.from(at, (r) => (r < 0 ? Number.NaN : pv[r])),
          });
        }
    const ancestorsOf = (c: string): Set<string> => {
      const out = new Set<string>();
      const stack = [c];
      while (stack.length > 0)
        for (const p of parents.get(stack.pop()!) ?? [])
          if (!out.has(p)) {
            out.add(p);
            stack.push(p);
          }
      return out;
    };
    for (const info of drawn) {
      if (!isTime(info) || info.name === sequence?.order) continue;
      const col = columns[info.name];
      // Tied already (`shift`), unless with a slope: on epoch milliseconds a slope of 0.9986 is a
      // level-dependent bias of days, made good by absolute-date bins only for the real levels.
      const law = JSON.stringify(col ?? {});
      if (!col || col.type === 'ref' || (law.includes('"shift"') && !law.includes('"slope"'))) continue;
      const anchors = [...contextTimes];
      const order = sequence?.order;
      if (order !== undefined && order !== info.name && !ancestorsOf(order).has(info.name)) {
        const oi = infos[own.indexOf(order)];
        if (isTime(oi)) {
          const ov = numericValues(oi, raw.data[own.indexOf(order)]);
          anchors.push({ name: order, values: Float64Array.from(rows, (r) => ov[r]) });
        }
      }
      const all = numericValues(info, raw.data[own.indexOf(info.name)]);
      const tied = fitAnchoredTime(
        info,
        Float64Array.from(rows, (r) => all[r]),
        anchors,
        ctx.opts.minCount ?? 5,
        col as Column,
      );
      if (!tied) continue;
      columns[info.name] = tied.column;
      parents.set(info.name, [tied.anchor]);
      comments[info.name] = `${info.kind}; ${tied.summary}`;
    }
  }

  // Child intervals inside the parent's: the end as the start plus a length, given the room left.
  if (parentFacts && pRows) {
    const at = Int32Array.from(rows, (r) => pRows![r]);
    const contextTimes: { name: string; values: Float64Array }[] = [];
    for (const pi of pInfos)
      if (isTime(pi) && pi.missing === 0) {
        const pv = numericValues(pi, parentFacts.raw.data[parentFacts.raw.columns.indexOf(pi.name)]);
        contextTimes.push({
          name: `parent.${pi.name}`,
          values: Float64Array.from(at, (r) => (r < 0 ? Number.NaN : pv[r])),
        });
      }
    const timeValues = (info: InferredColumn) => {
      const all = numericValues(info, raw.data[own.indexOf(info.name)]);
      return Float64Array.from(rows, (r) => all[r]);
    };
    fitIntervals(drawn.filter(isTime), timeValues, contextTimes, at, { columns, parents, comments }, ctx);
  }

  // Count law: rows per parent row (zeros included), or per entity.
  let count: CountFit | undefined;
  const stream = streamFor(ctx.seed, 'fit', name, 'count');
  if (grouping && parentFacts && pInfos) {
    const sizes = groupSizes(grouping);
    const ctxCols: RawColumns = {
      name: links.parent!.table,
      columns: pInfos.map((i) => `parent.${i.name}`),
      rowCount: parentFacts.raw.rowCount,
      data: pInfos.map((i) => parentFacts.raw.data[parentFacts.raw.columns.indexOf(i.name)]),
    };
    count = fitCount(ctxCols, sizes, { minCount: ctx.opts.minCount ?? 5, stream });
    if (sequence?.order !== undefined && ctx.opts.countRate === true) {
      const rate = fitCountRate(sizes, sizeCandidates(parentFacts, pInfos), ctx.opts.minCount ?? 5);
      if (rate) {
        const c = count.count;
        count = {
          ...count,
          count: {
            given: rate.size.given,
            dist: rate.dist,
            // 0: the real rows' least count is no bound for a parent of another size (a shorter
            // stay than any real one may have fewer children than any real one).
            min: 0,
            ...(c.max !== undefined ? { max: c.max } : {}),
          },
          given: rate.size.given,
          summary: `${count.summary.replace(/; given .*$/, '')}; ${rate.size.expr} × a rate (held-out log-likelihood per parent row ${rate.rateLogLik.toFixed(3)}, against ${rate.directLogLik.toFixed(3)} for the count itself in ${rate.directBins} bin${rate.directBins === 1 ? '' : 's'} of it)`,
        };
      }
    }
  } else if (grouping && ctx.entity !== undefined) {
    count = fitCount({ name, columns: [], rowCount: grouping.groups, data: [] }, groupSizes(grouping), {
      minCount: ctx.opts.minCount ?? 5,
      stream,
    });
  }

  // Ancestor rows of each real row (for `T.x` invariants and the children below).
  const anc = new Map<string, Int32Array>();
  if (links.parent && pRows) {
    anc.set(links.parent.table, pRows);
    const up = ctx.ancestorRows.get(links.parent.table);
    if (up)
      for (const [t, r] of up)
        anc.set(
          t,
          Int32Array.from(pRows, (p) => (p < 0 ? -1 : r[p])),
        );
  }
  ctx.ancestorRows.set(name, anc);

  const rules = mineRules(f, drawn, rows, ordered, sequence !== undefined, links, anc, ctx);
  return {
    name,
    rows: m,
    ...(links.key !== undefined ? { key: links.key } : {}),
    ...(links.parent ? { parent: { table: links.parent.table, column: links.parent.column } } : {}),
    ...(count ? { count } : {}),
    ...(sequence ? { sequence } : {}),
    columns,
    parents,
    comments,
    rules,
  };
}

/**
 * Own time pairs `start < end` (complete, ordered on every row) become `end = start + a length`
 * given the room left in the parent's interval (interval-laws.ts) when the end is already drawn
 * from the start (`shift: start`), or when the start was drawn back from the end (`shift: end`):
 * then the start is tied to a context time first (fitAnchoredTime) and the end follows it. Drawn
 * the other way round, MIMIC's ICU stays started before their admission on 24% of generated stays
 * (real 0.7%) and the rules bounding the start cut the stays short (median 1.57 days, real 2.10).
 */
function fitIntervals(
  times: readonly InferredColumn[],
  valuesOf: (info: InferredColumn) => Float64Array,
  contextTimes: readonly { name: string; values: Float64Array }[],
  group: Int32Array,
  out: {
    columns: Record<string, RelationalColumn>;
    parents: Map<string, string[]>;
    comments: Record<string, string>;
  },
  ctx: FitContext,
): void {
  const minCount = ctx.opts.minCount ?? 5;
  // The one time every law of the column is shifted from (`shift: intime`), none with a slope.
  const shiftOf = (c: string): string | undefined => {
    const law = JSON.stringify(out.columns[c] ?? {});
    const shifts = new Set(
      [...law.matchAll(/"shift":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string),
    );
    return shifts.size === 1 && !law.includes('"slope"') ? [...shifts][0] : undefined;
  };
  const done = new Set<string>();
  for (const e of times) {
    for (const s of times) {
      if (s === e || done.has(e.name) || done.has(s.name) || s.missing > 0 || e.missing > 0) continue;
      const forward = shiftOf(e.name) === s.name;
      const backward = shiftOf(s.name) === e.name;
      if (!forward && !backward) continue;
      const start = valuesOf(s);
      const end = valuesOf(e);
      if (!start.every((x, i) => end[i] > x)) continue;
      let startColumn: { column: Column; anchor: string; summary: string } | undefined;
      if (backward) {
        startColumn = fitAnchoredTime(s, start, contextTimes, minCount, out.columns[s.name] as Column);
        if (!startColumn) continue;
      }
      const law = fitIntervalLength(
        {
          start,
          end,
          group,
          rooms: contextTimes,
          breakShare: ctx.opts.ruleBreakShare ?? RULE_BREAK_SHARE,
          half: e.kind === 'date' ? 43_200_000 : 500,
        },
        (lengths) => lawOf(lengths, e, minCount, s.name),
      );
      if (!law) continue;
      if (startColumn) {
        out.columns[s.name] = startColumn.column;
        out.parents.set(s.name, [startColumn.anchor]);
        out.comments[s.name] = `${s.kind}; ${startColumn.summary}`;
      }
      const written = intervalEndColumn(out.columns[e.name] as Column, s.name, law, (lengths) =>
        lawOf(lengths, e, minCount, s.name),
      );
      out.columns[e.name] = written.column;
      out.parents.set(e.name, written.given);
      out.comments[e.name] = `${e.kind}; ${written.summary}`;
      done.add(e.name);
      done.add(s.name);
    }
  }
}

/**
 * Sizes a sequence's count may scale with (count-rate.ts): the parent's positive numeric columns
 * and, for each pair of its complete time columns ordered on every row, the interval's length in
 * days.
 */
function sizeCandidates(parent: TableFacts, pInfos: readonly InferredColumn[]): SizeCandidate[] {
  const out: SizeCandidate[] = [];
  const col = (info: InferredColumn) =>
    numericValues(info, parent.raw.data[parent.raw.columns.indexOf(info.name)]);
  for (const info of pInfos)
    if (
      (info.kind === 'number' || info.kind === 'integer') &&
      info.missing === 0 &&
      !CODE_NAME.test(info.name)
    )
      out.push({ expr: quoteName(`parent.${info.name}`), given: [`parent.${info.name}`], values: col(info) });
  const times = pInfos.filter((i) => isTime(i) && i.missing === 0);
  for (const a of times)
    for (const b of times) {
      if (a === b) continue;
      const va = col(a);
      const vb = col(b);
      const len = Float64Array.from(va, (x, i) => (vb[i] - x) / 86_400_000);
      if (!len.every((d) => d > 0)) continue;
      out.push({
        expr: `(${quoteName(`parent.${b.name}`)} - ${quoteName(`parent.${a.name}`)}) / 86400000`,
        given: [`parent.${a.name}`, `parent.${b.name}`],
        values: len,
      });
    }
  return out;
}

/** Per position of an ordered table: the rows after it in its sequence (`remaining`). */
function rowsAfter(ordered: Ordered): Int32Array {
  const size = new Map<number, number>();
  for (const g of ordered.group) size.set(g, (size.get(g) ?? 0) + 1);
  return Int32Array.from(ordered.index, (k, p) => size.get(ordered.group[p])! - k - 1);
}

/** A key column: generated ids, unique by construction, in the real ids' style. */
function keyColumn(info: InferredColumn): RelationalColumn {
  if (info.id?.style === 'uuid') return { type: 'id', id: 'uuid' };
  const start = info.id?.start ?? (info.kind === 'integer' && info.min !== undefined ? info.min : 1);
  return { type: 'id', id: 'sequential', start, ...(info.id?.prefix ? { prefix: info.id.prefix } : {}) };
}

/** Entity ids in the real ones' style: `C1`, `C2` … → prefix C from the smallest number. */
function entityStyle(values: readonly (string | null)[]): { start: number; prefix?: string } {
  let prefix: string | undefined;
  let start = Number.POSITIVE_INFINITY;
  for (const v of values) {
    const m = v === null ? null : /^(\D*)(\d+)$/.exec(v.trim());
    if (!m || (prefix !== undefined && m[1] !== prefix)) return { start: 1 };
    prefix = m[1];
    start = Math.min(start, Number(m[2]));
  }
  if (!Number.isFinite(start)) return { start: 1 };
  return prefix ? { start, prefix } : { start };
}

/**
 * Order rules among datetime columns: own × own, own × parent/ancestor, own × previous row.
 * Derived, key and FK columns are excluded (they are not drawn).
 */
function mineRules(
  f: TableFacts,
  drawn: readonly InferredColumn[],
  rows: Int32Array,
  ordered: Ordered | undefined,
  isSequence: boolean,
  links: TableLinks,
  anc: ReadonlyMap<string, Int32Array>,
  ctx: FitContext,
): FittedRule[] {
  const vectors: OrderVector[] = [];
  const ownTimes = drawn.filter(isTime);
  if (ownTimes.length === 0) return [];
  for (const info of ownTimes) {
    const v = numericValues(info, f.raw.data[f.raw.columns.indexOf(info.name)]);
    vectors.push({
      name: info.name,
      values: Float64Array.from(rows, (r) => v[r]),
      unit: 'time',
      scope: 'own',
    });
    if (isSequence && ordered) {
      const prev = Float64Array.from(ordered.prev, (p) => (p < 0 ? Number.NaN : v[ordered.rows[p]]));
      vectors.push({ name: `prev.${info.name}`, values: prev, unit: 'time', scope: 'context' });
    }
  }
  for (const [t, at] of anc) {
    const tf = ctx.facts.get(t)!;
    const tm = ctx.fitted.get(t)!;
    const prefix = t === links.parent?.table ? 'parent' : t;
    for (const info of tf.infos) {
      if (!isTime(info)) continue;
      const col = tm.columns[info.name];
      if (!col || col.type === 'ref' || col.type === 'derived') continue;
      const v = numericValues(info, tf.raw.data[tf.raw.columns.indexOf(info.name)]);
      vectors.push({
        name: `${prefix}.${info.name}`,
        values: Float64Array.from(rows, (r) => (at[r] < 0 ? Number.NaN : v[at[r]])),
        unit: 'time',
        scope: 'context',
      });
    }
  }
  // Implied relations are kept: the engine turns each rule into a bound on the column drawn later,
  // and a chain a < b < c gives `a` no bound from `c` when b is drawn last (MIMIC: admittime drawn
  // after deathtime needs `deathtime > admittime`, or dischtime's window can be empty).
  const mined = mineOrderInvariants(vectors, {
    keepImplied: true,
    maxBreakShare: ctx.opts.ruleBreakShare ?? RULE_BREAK_SHARE,
  });
  const ownNames = new Set(ownTimes.map((i) => i.name));
  const isOwn = (x: string) => ownNames.has(x);
  // Context pairs ordered by construction: ancestors' rules (in this table's names), and the real
  // ranges; this table's own rules order the previous row's values (checked in `guaranteed`).
  const facts: [string, string][] = [];
  let at = links.parent?.table;
  const chain: string[] = [];
  while (at) {
    chain.push(at);
    at = ctx.fitted.get(at)?.parent?.table;
  }
  const nameIn = (depth: number, name: string): string | undefined => {
    // A name in the rules of chain[depth], as this table reads it.
    const rename = (table: string, col: string) => (table === chain[0] ? `parent.${col}` : `${table}.${col}`);
    const dot = name.indexOf('.');
    if (dot < 0) return rename(chain[depth], name);
    const scope = name.slice(0, dot);
    const col = name.slice(dot + 1);
    if (scope === 'prev' || scope === 'first') return undefined;
    if (scope === 'parent') return chain[depth + 1] ? rename(chain[depth + 1], col) : undefined;
    return rename(scope, col);
  };
  chain.forEach((t, depth) => {
    for (const r of ctx.fitted.get(t)!.rules) {
      const lo = nameIn(depth, r.relation.left);
      const hi = nameIn(depth, r.relation.right);
      if (lo && hi) facts.push([lo, hi]);
    }
  });
  const ranges = new Map(
    vectors.map((v) => {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const x of v.values)
        if (!Number.isNaN(x)) {
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
      return [v.name, { lo, hi }];
    }),
  );
  const guaranteed = (lower: string, upper: string, kept: readonly OrderInvariant[]): boolean => {
    // A bound from the previous row binds only rows after the first, and when such a row has no
    // room left the generator draws the sequence under that parent afresh (its count too,
    // src/model/entities.ts): the window is met by the sequence's law conditioned on the rules,
    // not left empty. MIMIC: `intime > prev.outtime` with `intime < parent.dischtime` needs
    // `prev.outtime < parent.dischtime`, which held on the 7 real pairs though 38 of 136 stays
    // end after their discharge; dropping it broke the order on 42 of 1,338 generated stays.
    if (lower.startsWith('prev.') || upper.startsWith('prev.')) return true;
    const a = ranges.get(lower);
    const b = ranges.get(upper);
    if (a && b && a.hi <= b.lo) return true;
    const edges = [...facts];
    const asPrev = (x: string) => (isOwn(x) ? `prev.${x}` : x.startsWith('prev.') ? undefined : x);
    for (const r of kept) {
      const lo = asPrev(r.left);
      const hi = asPrev(r.right);
      if (lo && hi && (isOwn(r.left) || isOwn(r.right))) edges.push([lo, hi]);
    }
    const seen = new Set([lower]);
    const stack = [lower];
    while (stack.length > 0) {
      const x = stack.pop()!;
      for (const [lo, hi] of edges) {
        if (lo !== x || seen.has(hi)) continue;
        if (hi === upper) return true;
        seen.add(hi);
        stack.push(hi);
      }
    }
    return false;
  };
  const { kept, dropped } = feasibleBounds(mined.invariants, isOwn, guaranteed);
  for (const d of dropped)
    ctx.notes.push(
      `${f.raw.name}: ${ruleText(d.rel, isOwn)} held on all ${d.rel.rows} rows but is not written: with the other bounds it needs ${d.lower} <= ${d.upper}, which nothing guarantees when generating`,
    );
  const out: FittedRule[] = [];
  const seen = new Set<string>();
  for (const inv of kept) {
    let rname = ruleName(inv, 'time', isOwn);
    while (seen.has(rname)) rname += '_';
    seen.add(rname);
    out.push({ name: rname, check: ruleText(inv, isOwn), rows: inv.rows, relation: inv });
  }
  for (const r of out)
    if (r.relation.breaks)
      ctx.notes.push(
        `${f.raw.name}: ${r.check} is written as a rule though ${r.relation.breaks} of ${r.rows} real rows break it (at most ${100 * (ctx.opts.ruleBreakShare ?? RULE_BREAK_SHARE)}% may): generated rows never do`,
      );
  for (const e of mined.equalities)
    ctx.notes.push(`${f.raw.name}: ${e.left} equals ${e.right} on all ${e.rows} rows where both are present`);
  return out;
}

/**
 * The evidence written beside a rule: the real rows (or, against the previous row, the pairs of
 * consecutive rows) that checked it, and how many broke it.
 */
export function ruleEvidence(r: FittedRule): string {
  const pairs = r.relation.left.startsWith('prev.') || r.relation.right.startsWith('prev.');
  const what = pairs ? 'real pairs of consecutive rows' : 'real rows';
  const breaks = r.relation.breaks ?? 0;
  if (breaks === 0) return `held on all ${r.rows} ${what} where its inputs are present`;
  return `held on ${r.rows - breaks} of ${r.rows} ${what} where its inputs are present; ${breaks} break it`;
}

/** The fitted model as YAML: a comment per column, per count/sequence/parent and per rule. */
export function relationalYaml(fit: RelationalFit): string {
  const columnComments: Record<string, Record<string, string>> = nameMap();
  const tableComments: Record<string, Record<string, string>> = nameMap();
  const ruleComments: Record<string, string[]> = nameMap();
  for (const t of fit.tables) {
    columnComments[t.name] = t.comments;
    const tc: Record<string, string> = nameMap();
    if (t.count) tc.count = t.count.summary;
    if (t.sequence) tc.sequence = `order: ${t.sequence.why}`;
    if (t.parent) {
      const links = fit.schema.tables.get(t.name)?.parent;
      if (links)
        tc.parent = `${t.name}.${links.column} -> ${links.table}.${links.parentColumn}${links.orphans > 0 ? `; ${links.orphans} rows without a parent left out` : ''}`;
    }
    tableComments[t.name] = tc;
    ruleComments[t.name] = t.rules.map(ruleEvidence);
  }
  const header = [
    `Strata relational model learned from ${fit.tables.length} table${fit.tables.length === 1 ? '' : 's'}: ${fit.tables.map((t) => `${t.name} (${t.rows} rows)`).join(', ')}.`,
    'Each child table has a parent (its foreign key), a count of rows per parent row and, when its rows',
    'are ordered, a sequence; columns may be given parent.x (the parent row), prev.x (the previous row) or index.',
    'Rules are the order relations between datetime columns that held on every real row (or on all but a tiny',
    "share of them, as each rule's comment says): they hold by construction.",
    ...fit.notes.map((n) => `note: ${n}`),
  ];
  return specToYaml(fit.spec, { header, columnComments, tableComments, ruleComments });
}
