/**
 * Coverage plans on relational specs (issue 14): a plan on table T whose axes read T's columns and
 * its ancestors' (`patients.gender`, `parent.x`). A cell's conditions are imposed while entities
 * are drawn by the relational sampler (model/entities.ts), each at the table it reads (the deepest
 * table of an axis' columns):
 *
 *  - at an ancestor row, the axes on that table: the row is drawn from the table's law given the
 *    cell (exact posterior sampling on its skeleton, draw.ts, when the axes read discretisable
 *    columns with no context ancestors; else rejection given the row's context, bounded). Its
 *    descendants are then drawn given it, as `do` on that row would: the parent's law is not
 *    reweighted by how likely its children are to fall in the cell.
 *  - at a row of T, the remaining axes, the same way, given the row's ancestors and previous rows;
 *  - along the path root → T every count is truncated to ≥ 1, so every cell entity has rows of T,
 *    and every row of T under it is in the cell.
 * A row that no draw puts in the cell under its ancestors restarts the whole entity (bounded, then
 * `coverage.cell_collapse`). Keys, foreign keys and rules are the sampler's own, so they hold.
 *
 * Quotas count rows of T (`unit: rows`, default) or cell entities (`unit: entities`). The run is
 * the N free root entities (-n) followed by each cell's entities, in chunks whose targets are fixed
 * before drawing, so any worker draws any chunk and the bytes do not depend on the worker count.
 * Forbidden cells: a row of T that falls in one is drawn again given its ancestors.
 */
import { StrataError } from '../errors.js';
import type { Value } from '../expr/index.js';
import {
  drawEntityBlock,
  type EntityConditions,
  RestartEntity,
  ROOT_BLOCK,
  type RowHook,
  rowValues,
  type TableRows,
} from '../model/entities.js';
import type { RelationalModel, RelTable } from '../model/relational.js';
import { nameMap } from '../names.js';
import { expandPanels } from '../spec/panels.js';
import { parentLink } from '../spec/relational.js';
import type { Column, Spec } from '../spec/schema.js';
import { buildSkeleton } from './discrete.js';
import { componentStreams, type Drawable, drawCellRow } from './draw.js';
import { cellTests, evidenceFor } from './evidence.js';
import { eliminate } from './infer.js';
import { type CompiledPlan, compilePlan, type PlanAxis, type PlanCell } from './plan.js';

type ErrorAt = (
  path: (string | number)[],
  code: StrataError['code'],
  message: string,
  hint?: string,
) => StrataError;

/** Draws of one row given its context before the entity is drawn afresh. */
const ROW_TRIES = 200;
/** Entity restarts before a cell (or a forbidden cell) is declared impossible to fill. */
const ENTITY_RESTARTS = 1000;
/** Rows of T (or entities) per chunk of a cell's entities. */
const CHUNK = ROOT_BLOCK;

export interface RelationalCellReport {
  key: string;
  labels: Record<string, string>;
  quota: number;
  /** Rows of the plan's table in the cell, in the whole output (free entities' rows included). */
  delivered: number;
  /** Rows of the plan's table drawn by the cell's own entities (all inside the cell). */
  drawn: number;
  /** Root entities drawn for the cell. */
  entities: number;
  /** exact: every level by posterior sampling; rejection: some level by rejection given its context. */
  method: 'exact' | 'rejection';
  /** Why a level is drawn by rejection. */
  exactReason?: string;
  status: 'filled' | 'short' | 'infeasible';
  empty?: string;
}

export interface RelationalCoverageSummary {
  table: string;
  unit: 'rows' | 'entities';
  /** Free root entities (-n) and all root entities written. */
  freeEntities: number;
  entities: number;
  cells: RelationalCellReport[];
  forbidden: { key: string; by: string; rows: number }[];
}

/** A chunk of the run: free root entities, or a cell's entities until its target. */
export type EntityTask =
  | { kind: 'free'; sub: number; start: number; count: number }
  | { kind: 'cell'; cell: number; sub: number; target: number };

/** What one drawn chunk adds to the summary (summed in chunk order). */
export interface EntityTaskStats {
  entities: number;
  /** Rows of T per plan cell, then per forbidden cell. */
  delivered: number[];
  forbidden: number[];
}

export interface RelationalCoverage {
  summary: RelationalCoverageSummary;
  tasks: EntityTask[];
  /** The conditions of a task's entities (for drawEntityBlock), and how many root entities at most. */
  conditions(task: EntityTask): {
    cond: EntityConditions | undefined;
    roots: number;
    start: number;
    block: number;
  };
  /** Per-cell row counts of a drawn chunk (before ids are offset). */
  tally(rows: ReadonlyMap<string, TableRows>): EntityTaskStats;
  /** Add a chunk's statistics; call in chunk order. */
  record(task: EntityTask, stats: EntityTaskStats): void;
}

export interface RelationalCoverageOptions {
  allowEmptyCells?: boolean;
  error?: ErrorAt;
  /** Skip the feasibility pilots (a worker rebuilding a run the main thread checked). */
  checked?: readonly string[];
}

/** One table on the path root → T: where its columns sit in the joined row. */
interface Level {
  t: RelTable;
  offset: number;
  /** FK column of this table (to its parent's key column), levels ≥ 1. */
  fk: number;
  /** Key column of this table (its children's FKs point at it). */
  key: number;
}

/**
 * Compile the plan on `tableName` against a relational model and prepare its run; throws
 * `coverage.infeasible` (every infeasible cell named) unless `allowEmptyCells`.
 */
export function prepareRelationalCoverage(
  spec: Spec,
  rm: RelationalModel,
  roots: number,
  seed: number,
  opts: RelationalCoverageOptions = {},
): RelationalCoverage {
  const err: ErrorAt =
    opts.error ??
    ((path, code, message, hint) => new StrataError(code, message, { path: path.join('.') }, hint));
  const planTables = Object.keys(spec.coverage ?? {});
  const names = rm.tables.map((t) => t.name);
  for (const p of planTables) {
    if (!rm.tables.some((t) => t.name === p && !t.hidden)) {
      throw err(
        ['coverage', p],
        'coverage.unknown_table',
        `coverage plan names unknown table "${p}"`,
        `tables are: ${rm.written.map((t) => t.name).join(', ')}`,
      );
    }
  }
  if (planTables.length > 1) {
    throw err(
      ['coverage', planTables[1]],
      'coverage.relational_unsupported',
      `a relational spec takes one coverage plan; this one has ${planTables.length} (${planTables.join(', ')})`,
      'keep the plan on the deepest table: its axes may read every ancestor (e.g. patients.gender)',
    );
  }
  const tableName = planTables[0];
  const planSpec = spec.coverage![tableName];
  for (const key of ['target', 'real'] as const) {
    if (planSpec[key] !== undefined && !(key === 'target' && planSpec.target === 'uniform')) {
      throw err(
        ['coverage', tableName, key],
        'coverage.relational_unsupported',
        `${key}: is not supported on relational plans yet (quotas are min_per_cell and cells:)`,
        `remove ${key}: and set min_per_cell or per-cell min`,
      );
    }
  }
  const unit = planSpec.unit ?? 'rows';

  // The path root → T and the joined row: each level's columns at its offset.
  const target = rm.tables.find((t) => t.name === tableName)!;
  const chain = [...target.ancestors].reverse().map((n) => rm.tables.find((t) => t.name === n)!);
  chain.push(target);
  // A panel is drawn as a hidden entity table and the panel under it (spec/panels.ts).
  const expanded = expandPanels(spec).spec;
  const levels: Level[] = [];
  let width = 0;
  for (const [i, t] of chain.entries()) {
    const cols = t.model.columns.map((c) => c.name);
    const link = i > 0 ? parentLink(expanded, t.name) : undefined;
    const child = chain[i + 1];
    const childLink = child ? parentLink(expanded, child.name) : undefined;
    levels.push({
      t,
      offset: width,
      fk: link ? cols.indexOf(link.column) : -1,
      key: childLink ? cols.indexOf(childLink.key) : -1,
    });
    width += cols.length;
  }
  // Plan names: T's own columns, `A.col` for every ancestor A, `parent.col` for T's parent.
  const columns: Record<string, Column> = nameMap();
  const columnIndex = new Map<string, number>();
  const levelOf = new Map<string, number>();
  const localIndex = new Map<string, number>();
  levels.forEach((lv, i) => {
    const declared = spec.tables[lv.t.name]?.columns ?? nameMap<Column>();
    lv.t.model.columns.forEach((c, k) => {
      const col = declared[c.name] ?? ({ type: 'derived' } as Column);
      const qualified = i === levels.length - 1 ? [c.name] : [`${lv.t.name}.${c.name}`];
      if (i === levels.length - 2) qualified.push(`parent.${c.name}`);
      for (const q of qualified) {
        columns[q] = col;
        columnIndex.set(q, lv.offset + k);
        levelOf.set(q, i);
        localIndex.set(q, k);
      }
    });
  });
  // An axis naming a table that is no ancestor of T: named as such (not only "unknown column").
  const axes = Array.isArray(planSpec.axes) ? planSpec.axes : Object.keys(planSpec.axes);
  axes.forEach((a, i) => {
    const col = typeof a === 'string' ? a : (a.column ?? (a.expr === undefined ? a.name : undefined));
    if (col === undefined || columnIndex.has(col)) return;
    const dot = col.indexOf('.');
    if (dot < 0) return;
    const q = col.slice(0, dot);
    const path = ['coverage', tableName, 'axes', ...(Array.isArray(planSpec.axes) ? [i] : [col])];
    if (!names.includes(q) && q !== 'parent')
      throw err(
        path,
        'coverage.unknown_table',
        `axis "${col}" names unknown table "${q}"`,
        `tables above "${tableName}": ${target.ancestors.join(', ') || 'none'}`,
      );
    if (q !== 'parent' && !target.ancestors.includes(q))
      throw err(
        path,
        'coverage.unknown_table',
        `axis "${col}": "${q}" is not a table above "${tableName}"`,
        `a cell may read "${tableName}" and its ancestors: ${target.ancestors.join(', ') || 'none'}`,
      );
  });
  const plan: CompiledPlan = compilePlan(planSpec, columns, { table: tableName, columnIndex, error: err });

  // Each axis is imposed at the deepest table it reads.
  const axisLevel = plan.axes.map((a) =>
    Math.max(0, ...a.refs.map((r) => levelOf.get(r) ?? levels.length - 1)),
  );
  const levelAxes = levels.map((_, i) =>
    plan.axes.map((_a, k) => (axisLevel[k] === i ? k : -1)).filter((k) => k >= 0),
  );
  const conditioned = levelAxes.map((ks) => ks.length > 0);
  const d = levels.length - 1;

  // Per level with axes: a skeleton over the axes' columns when exact conditioning is possible.
  const exactAt = levels.map(
    (lv, i): { skeleton: ReturnType<typeof buildSkeleton>; reason?: string } | undefined => {
      if (!conditioned[i]) return undefined;
      const ks = levelAxes[i];
      const ax = ks.map((k) => plan.axes[k]);
      if (ax.some((a) => a.kind === 'expr'))
        return {
          skeleton: { ok: false, reason: 'an expr axis is drawn by rejection' },
          reason: 'an expr axis',
        };
      const cols = ax.map((a) => localIndex.get(a.column!)!);
      const n = lv.t.model.columns.length;
      const reaches = (c: number, seen = new Set<number>()): boolean => {
        if (c >= n) return true;
        if (seen.has(c)) return false;
        seen.add(c);
        return lv.t.model.columns[c].parents.some((p) => reaches(p, seen));
      };
      if (cols.some((c) => reaches(c)))
        return {
          skeleton: { ok: false, reason: `"${lv.t.name}" reads its context (parent or previous row)` },
          reason: `the axes of "${lv.t.name}" depend on its parent or previous rows`,
        };
      const edges = new Map<string, number[]>();
      for (const a of ax) if (a.bins) edges.set(lv.t.model.columns[localIndex.get(a.column!)!].name, a.bins);
      const table = { ...spec.tables[lv.t.name], columns: spec.tables[lv.t.name].columns };
      try {
        const sk = buildSkeleton(lv.t.model, table, cols, { edges });
        return { skeleton: sk, reason: sk.ok ? undefined : sk.reason };
      } catch (e) {
        return { skeleton: { ok: false, reason: (e as Error).message }, reason: (e as Error).message };
      }
    },
  );

  /** A cell's draw at level i: exact (posterior) or undefined (rejection). */
  const levelDrawable = (cell: PlanCell, i: number): (Drawable & { z: number }) | undefined => {
    const ex = exactAt[i];
    if (!ex?.skeleton.ok) return undefined;
    const skeleton = ex.skeleton.skeleton;
    const ks = levelAxes[i];
    const sub = { ...plan, axes: ks.map((k) => plan.axes[k]) } as CompiledPlan;
    const subCell = { ...cell, level: ks.map((k) => cell.level[k]) };
    const local = new Map(sub.axes.map((a) => [a.column!, localIndex.get(a.column!)!] as [string, number]));
    const t = cellTests(sub, subCell, local);
    const ev = evidenceFor(levels[i].t.model, skeleton, t.constraints, t.exprs);
    const posterior = eliminate([...skeleton.cpts, ...ev.factors], skeleton.card);
    return { key: cell.key, method: 'exact', skeleton, posterior, contains: () => true, z: posterior.z };
  };

  const J: Value[] = new Array(width).fill(null);
  const fillJ = (path: readonly (readonly Value[])[], row: readonly Value[], depth: number) => {
    for (let i = 0; i < depth; i++) {
      const lv = levels[i];
      const n = lv.t.model.columns.length;
      for (let k = 0; k < n; k++) J[lv.offset + k] = path[i][k];
    }
    const lv = levels[depth];
    for (let k = 0; k < lv.t.model.columns.length; k++) J[lv.offset + k] = row[k];
  };
  const levelHolds = (cell: PlanCell, i: number) =>
    levelAxes[i].every((k) => plan.axes[k].label(J) === plan.axes[k].levels[cell.level[k]]);

  const collapse = (cell: PlanCell, why: string) => () =>
    err(
      ['coverage', tableName],
      'coverage.cell_collapse',
      `cell ${cell.key}: ${why} (${ENTITY_RESTARTS} entities drawn afresh)`,
      'the cell is (nearly) impossible under the model: drop it with --allow-empty-cells, or loosen the rules that exclude it',
    );

  /** The hooks that put a cell's entities in the cell (streams of their own: `tag`). */
  const cellConditions = (
    c: number,
    block: number,
    tag: string,
    target: number,
    restarts = ENTITY_RESTARTS,
  ): EntityConditions => {
    const cell = plan.cells[c];
    const rows = new Map<string, RowHook>();
    levels.forEach((lv, i) => {
      if (!conditioned[i]) return;
      const drawable = levelDrawable(cell, i);
      const model = lv.t.model;
      const rngs = drawable ? componentStreams(model, seed, `${tag}#${lv.t.name}`, block) : undefined;
      const st = drawable ? new Int32Array(drawable.skeleton!.vars.length) : undefined;
      // The drawing order up to (and with) the last column the level's axes read.
      const reads = levelAxes[i].flatMap((k) => plan.axes[k].refs.filter((r) => levelOf.get(r) === i));
      const prefix = 1 + Math.max(-1, ...reads.map((r) => model.order.indexOf(localIndex.get(r)!)));
      const why = `no row of "${lv.t.name}" fell in it in ${ROW_TRIES} draws under the same ${i > 0 ? 'parent rows' : 'spec'}`;
      rows.set(lv.t.name, (row, rowNo, path, forward) => {
        for (let tries = 0; tries < ROW_TRIES; tries++) {
          if (drawable) {
            if (!drawCellRow(model, drawable, rngs!, st!, row, rowNo, undefined).ok) continue;
          } else {
            // Rejection on the part of the row the cell reads (the drawing order up to its last
            // axis column), then the rest given it: rejected rows never draw their later columns.
            const r = forward(row, rowNo, { upTo: prefix, first: true });
            if (r < 0) return r;
            fillJ(path, row, i);
            if (!levelHolds(cell, i)) continue;
            const rest = forward(row, rowNo, { upTo: prefix, first: false });
            if (rest < 0) return rest;
          }
          fillJ(path, row, i);
          if (levelHolds(cell, i)) return tries;
        }
        throw new RestartEntity(collapse(cell, why));
      });
    });
    const T = levels[d].t.name;
    return {
      tag,
      rows,
      atLeastOne: new Set(levels.slice(1).map((lv) => lv.t.name)),
      until: unit === 'rows' ? (out) => (out.get(T)?.count ?? 0) >= target : undefined,
      maxRestarts: restarts,
    };
  };

  const forbidHook: RowHook | undefined = plan.forbidden.length
    ? (row, rowNo, path, forward) => {
        for (let tries = 0; tries < ROW_TRIES; tries++) {
          const r = forward(row, rowNo);
          if (r < 0) return r;
          fillJ(path, row, d);
          if (plan.forbiddenBy(J) === undefined) return tries + r;
        }
        throw new RestartEntity(() =>
          err(
            ['coverage', tableName, 'forbid'],
            'coverage.forbidden_collapse',
            `rows of "${tableName}" kept falling in forbidden cells under the same parent rows (${ENTITY_RESTARTS} entities drawn afresh)`,
            'the forbidden cells hold nearly all of the model: remove or narrow a forbid: expression',
          ),
        );
      }
    : undefined;
  const freeConditions: EntityConditions | undefined = forbidHook
    ? { rows: new Map([[levels[d].t.name, forbidHook]]) }
    : undefined;

  // Infeasible cells, before any row is written: P = 0 on an exact level (provable), else a
  // pilot entity that cannot be drawn in the cell.
  const empty = new Map<number, string>();
  const checked = opts.checked ? new Set(opts.checked) : undefined;
  plan.cells.forEach((cell, c) => {
    if (cell.min <= 0) return;
    if (checked) {
      if (!checked.has(cell.key)) empty.set(c, 'infeasible');
      return;
    }
    for (let i = 0; i < levels.length; i++) {
      const dr = conditioned[i] ? levelDrawable(cell, i) : undefined;
      if (dr && !(dr.z > 0)) {
        const ax = levelAxes[i]
          .map((k) => `${plan.axes[k].name}=${plan.axes[k].levels[cell.level[k]]}`)
          .join(', ');
        empty.set(
          c,
          `${ax} has probability 0 under the model of "${levels[i].t.name}" (its values or its rules exclude it)`,
        );
        return;
      }
    }
    // A pilot: one entity in the cell, with few restarts.
    try {
      drawEntityBlock(rm, seed, 0, 0, 1, cellConditions(c, 0, `pilot:${cell.key}`, 1, 20));
    } catch (e) {
      if (!(e instanceof StrataError)) throw e;
      const why = e.message.replace(`cell ${cell.key}: `, '').replace(/ \(\d+ entities drawn afresh\)$/, '');
      empty.set(c, `${why}, in a pilot of 20 entities`);
    }
  });
  if (empty.size && !opts.allowEmptyCells && !checked) {
    const list = [...empty].map(([c, r]) => `  ${plan.cells[c].key}: ${r}`);
    throw err(
      ['coverage', tableName],
      'coverage.infeasible',
      `${empty.size} coverage cell${empty.size > 1 ? 's are' : ' is'} infeasible:\n${list.join('\n')}`,
      `fix the plan or the rules, or pass --allow-empty-cells (allowEmptyCells: true) to continue without ${empty.size > 1 ? 'them' : 'it'}`,
    );
  }

  // Chunks: free blocks, then each cell's targets in chunks fixed now.
  const tasks: EntityTask[] = [];
  for (let start = 0, sub = 0; start < roots; start += ROOT_BLOCK, sub++)
    tasks.push({ kind: 'free', sub, start, count: Math.min(ROOT_BLOCK, roots - start) });
  plan.cells.forEach((cell, c) => {
    if (empty.has(c)) return;
    for (let done = 0, sub = 0; done < cell.min; sub++) {
      const n = Math.min(CHUNK, cell.min - done);
      tasks.push({ kind: 'cell', cell: c, sub, target: n });
      done += n;
    }
  });
  const exactReason = (i: number) => exactAt[i]?.reason;
  const summary: RelationalCoverageSummary = {
    table: tableName,
    unit,
    freeEntities: roots,
    entities: 0,
    cells: plan.cells.map((cell, c) => {
      const rej = levels.map((_, i) => i).filter((i) => conditioned[i] && !exactAt[i]?.skeleton.ok);
      return {
        key: cell.key,
        labels: cell.labels,
        quota: empty.has(c) ? 0 : cell.min,
        delivered: 0,
        drawn: 0,
        entities: 0,
        method: rej.length ? 'rejection' : 'exact',
        ...(rej.length ? { exactReason: rej.map(exactReason).filter(Boolean).join('; ') } : {}),
        status: empty.has(c) ? 'infeasible' : 'filled',
        ...(empty.has(c) ? { empty: empty.get(c) } : {}),
      };
    }),
    forbidden: plan.forbidden.map((f) => ({ key: f.key, by: f.by, rows: 0 })),
  };

  const forbiddenIndex = new Map(plan.forbidden.map((f, k) => [f.key, k] as [string, number]));
  const cellIndex = new Map(plan.cells.map((c, k) => [c, k] as [PlanCell, number]));
  const tally = (rows: ReadonlyMap<string, TableRows>): EntityTaskStats => {
    const delivered = new Array<number>(plan.cells.length).fill(0);
    const forbidden = new Array<number>(plan.forbidden.length).fill(0);
    const tables = levels.map((lv) => rows.get(lv.t.name)!);
    const out = tables.map((t) => ({ count: t.count, values: rowValues(t) }));
    // Parent row of each level's rows, by the parent's key.
    const keyRow = levels.map((lv, i) => {
      if (i === d) return undefined;
      const m = new Map<Value, number>();
      const col = out[i].values[lv.key];
      for (let r = 0; r < out[i].count; r++) m.set(col[r], r);
      return m;
    });
    const at = new Array<number>(levels.length);
    for (let r = 0; r < out[d].count; r++) {
      at[d] = r;
      let ok = true;
      for (let i = d; i > 0; i--) {
        const p = keyRow[i - 1]!.get(out[i].values[levels[i].fk][at[i]]);
        if (p === undefined) {
          ok = false;
          break;
        }
        at[i - 1] = p;
      }
      if (!ok) continue;
      levels.forEach((lv, i) => {
        for (let k = 0; k < lv.t.model.columns.length; k++) J[lv.offset + k] = out[i].values[k][at[i]];
      });
      const cell = plan.cellOf(J);
      if (cell) delivered[cellIndex.get(cell)!]++;
      else if (plan.forbidden.length) {
        const f = plan.forbidden.find((x) =>
          x.level.every((l, k) => plan.axes[k].label(J) === plan.axes[k].levels[l]),
        );
        if (f) forbidden[forbiddenIndex.get(f.key)!]++;
      }
    }
    return { entities: out[0].count, delivered, forbidden };
  };

  return {
    summary,
    tasks,
    conditions(task) {
      if (task.kind === 'free')
        return { cond: freeConditions, roots: task.count, start: task.start, block: task.sub };
      const cell = plan.cells[task.cell];
      return {
        cond: cellConditions(task.cell, task.sub, `cover:${cell.key}`, task.target),
        // Every cell entity has at least one row of T in the cell: `target` entities always suffice.
        roots: task.target,
        start: 0,
        block: task.sub,
      };
    },
    tally,
    record(task, stats) {
      summary.entities += stats.entities;
      stats.delivered.forEach((n, k) => {
        summary.cells[k].delivered += n;
      });
      stats.forbidden.forEach((n, k) => {
        summary.forbidden[k].rows += n;
      });
      if (task.kind === 'cell') {
        const r = summary.cells[task.cell];
        r.entities += stats.entities;
        r.drawn += stats.delivered[task.cell];
      }
      for (const r of summary.cells) {
        if (r.status === 'infeasible') continue;
        r.status = (unit === 'rows' ? r.delivered : r.entities) >= r.quota ? 'filled' : 'short';
      }
    },
  };
}

export type { PlanAxis };
