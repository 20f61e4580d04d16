/**
 * Draw one block of root entities of a relational model (issue 14): each root row, then its
 * children depth-first (count first, in the parent's context; then each child row with its
 * context slots set: ancestors' values, prev/first rows of its sequence, index), so a rule
 * against a context slot is a truncation bound of the row being drawn.
 *
 * Every stream derives from (seed, table, column, root block): block b draws the same rows
 * whatever worker draws it. Child tables number their sequential ids from 0 within the block;
 * the writer offsets them (RelTable.idCarriers) once the rows of earlier blocks are counted.
 */
import { StrataError } from '../errors.js';
import type { Stream } from '../random/stream.js';
import { streamFor } from '../random/stream.js';
import { writeStreams } from './block.js';
import { isFree, rowRange, type TableModel } from './compile.js';
import {
  type AggregateSource,
  type CountModel,
  lateRuleHolds,
  type RelationalModel,
  type RelTable,
  type SlotSource,
} from './relational.js';
import { IntColumn, isNumericKind, RowColumn } from './row-columns.js';
import type { Value } from './values.js';

/** Root entities per block. */
export const ROOT_BLOCK = 1024;

const MAX_ROW_RETRIES = 1000;
/**
 * Fresh draws of a sequence (its count and rows under one parent) when a row after the first has
 * an empty window: its previous row left no room (on a grid, `t > prev.t and t < parent.end` needs
 * a whole step between prev.t and parent.end). A row's own redraws cannot move prev.t.
 */
const MAX_SEQUENCE_RESTARTS = 100;

/**
 * How a row of one table is drawn under a condition (a coverage cell, a forbidden cell): `forward`
 * draws it as usual (rule bounds, redraws; returns the redraws or −(rule + 1)); the hook may call
 * it again, or draw the row its own way. `path` holds the current rows of the table's ancestors,
 * root first. It returns the redraws, −(rule + 1) for a rule no redraw satisfies, or throws
 * `RestartEntity` when this row cannot be drawn under these ancestors (the whole root entity is then
 * drawn afresh).
 */
export type RowHook = (
  row: Value[],
  rowNo: number,
  path: readonly (readonly Value[])[],
  forward: (row: Value[], rowNo: number, part?: { upTo: number; first: boolean }) => number,
) => number;

/** Thrown by a RowHook: drop the current root entity's rows and draw it again (bounded). */
export class RestartEntity {
  constructor(readonly error: () => StrataError) {}
}

/** Conditions on the entities of one block (coverage runs): the model's laws are kept, the draws are steered. */
export interface EntityConditions {
  /** Extra stream name: entities drawn under these conditions use streams of their own. */
  tag?: string;
  /** Per table: how its rows are drawn (default: forward). */
  rows?: ReadonlyMap<string, RowHook>;
  /** Tables whose count under each parent row is drawn at least 1 (truncated, not rejected). */
  atLeastOne?: ReadonlySet<string>;
  /** Stop after the first root entity for which this holds (the root count is then a budget). */
  until?: (out: ReadonlyMap<string, TableRows>) => boolean;
  /** Entity restarts (RestartEntity) allowed in a row before the hook's error is thrown. */
  maxRestarts?: number;
}

/** The rows one block drew for one table: a column store per table column (row-columns.ts). */
export interface TableRows {
  columns: RowColumn[];
  /** The redraws each row needed. */
  retries: IntColumn;
  count: number;
}

/** Every value of a table's rows, values[column][row] (the formats that are not CSV, coverage tallies). */
export function rowValues(rows: TableRows): Value[][] {
  return rows.columns.map((c) => c.values());
}

const isBad = (v: Value) => typeof v === 'number' && Number.isNaN(v);

/**
 * Draws one row of a model into `row` (its context slots already set). The same steps as
 * sampleBlock's row loop (block.ts), kept apart so the single-table loop stays as it is measured.
 * Returns the redraws the rules needed.
 */
class RowDrawer {
  private readonly range = new Float64Array(2);
  private readonly rngs: Stream[];
  /** Columns drawn on (−∞, ∞) whatever the row (isFree). */
  private readonly free: boolean[];

  constructor(
    private readonly model: TableModel,
    seed: number,
    block: number,
    private readonly where: () => string,
    tag?: string,
    /** A lower bound on every column (a count drawn at least 1). */
    private readonly lowest = Number.NEGATIVE_INFINITY,
  ) {
    this.free = model.columns.map((_, c) => isFree(model, c) && lowest === Number.NEGATIVE_INFINITY);
    this.rngs = model.columns.map((c) =>
      tag === undefined
        ? streamFor(seed, model.table, c.name, block)
        : streamFor(seed, model.table, c.name, tag, block),
    );
  }

  private one(row: Value[], c: number, rowNo: number): Value {
    // No bound at all: the infinities go as constants. Through `range` they are fresh doubles, and
    // a double passed to a sampler (a call V8 does not inline) is boxed on the heap, twice a draw.
    if (this.free[c]) return this.model.samplers[c](row, this.rngs[c], -Infinity, Infinity, rowNo);
    rowRange(this.model, c, row, this.range);
    if (this.range[0] < this.lowest) this.range[0] = this.lowest;
    if (this.range[0] > this.range[1]) return Number.NaN;
    return this.model.samplers[c](row, this.rngs[c], this.range[0], this.range[1], rowNo);
  }

  draw(row: Value[], rowNo: number): number {
    const tries = this.tryDraw(row, rowNo);
    if (tries < 0) throw this.infeasible(-tries - 1);
    return tries;
  }

  /**
   * As `draw`, but a row no redraw satisfies returns −(rule + 1) instead of throwing. `part`
   * draws the row in two steps: `{ upTo: k, first: true }` draws the first k columns of the
   * drawing order (no residual rules), `{ upTo: k, first: false }` the rest and the residual rules.
   */
  tryDraw(row: Value[], rowNo: number, part?: { upTo: number; first: boolean }): number {
    const { order, bounds, boundRetry } = this.model;
    const residuals = part?.first ? [] : this.model.residuals;
    const from = part && !part.first ? part.upTo : 0;
    const to = part?.first ? part.upTo : order.length;
    let tries = 0;
    for (let k = from; k < to; k++) {
      const c = order[k];
      let v = this.one(row, c, rowNo);
      if (isBad(v)) {
        if (bounds[c].length === 0) {
          throw new StrataError(
            'generate.bad_draw',
            `column "${this.model.columns[c].name}" of table "${this.model.table}" could not be drawn (${this.where()}): its parameters are invalid for these values, or its min/max leave no probability`,
            { path: `tables.${this.model.table}.columns.${this.model.columns[c].name}` },
            'check the expressions in its dist/values against these parent values (e.g. sd must be > 0)',
          );
        }
        const retry = boundRetry[c];
        while (isBad(v)) {
          if (++tries > MAX_ROW_RETRIES) return -bounds[c][0].rule - 1;
          for (let r = 0; r < retry.length - 1; r++) row[retry[r]] = this.one(row, retry[r], rowNo);
          v = this.one(row, c, rowNo);
        }
      }
      row[c] = v;
    }
    for (let r = 0; r < residuals.length; ) {
      const res = residuals[r];
      let ok = res.check(row);
      if (ok) for (const c of res.resample) if (isBad(row[c])) ok = false;
      if (ok) {
        r++;
        continue;
      }
      if (++tries > MAX_ROW_RETRIES) return -res.rule - 1;
      for (const c of res.resample) row[c] = this.one(row, c, rowNo);
      r = 0;
    }
    return tries;
  }

  /** A rule no redraw of this row satisfies: named with the table and the row's context. */
  infeasible(rule: number): StrataError {
    return new StrataError(
      'generate.rule_infeasible',
      `rule "${this.model.rules[rule].name}" (${this.model.rules[rule].check}) of table "${this.model.table}" cannot hold for ${this.where()}: ${MAX_ROW_RETRIES} redraws of the row failed`,
      { path: `tables.${this.model.table}.rules.${this.model.rules[rule].name}` },
      'the window its bounds leave is empty for these parent/previous values: loosen the rule or bound the columns that set it (e.g. keep child times inside the parent interval)',
    );
  }
}

/** Per-table drawing state within one block. */
interface State {
  t: RelTable;
  row: Value[];
  first: Value[];
  drawer: RowDrawer;
  fill: Filler;
  count?: { row: Value[]; drawer: RowDrawer; fill: Filler };
  children: State[];
  /** Every table below this one (children first, depth-first), built once: a redraw rolls them back. */
  descendants: State[];
  /** This table, then its descendants. */
  subtree: State[];
  out: TableRows;
  /** Rows of this table drawn so far in this block (local row number). */
  local: number;
  /** The write streams of the columns with `other:` (block.ts writeStreams). */
  written: (Stream | undefined)[];
  /** The current rows of the ancestors, root first (for row hooks). */
  path: Value[][];
  /** Draws one row: the hook, or forward. */
  drawRow: (row: Value[], rowNo: number) => number;
  /** Rows and local numbers of this table and its descendants when its sequence began (a restart rolls back to them). */
  seqMarks: Int32Array;
  /** The same for its descendants when this row's children began (a failing aggregate rule rolls back to them). */
  childMarks: Int32Array;
  /** Each child table's row count when this row's children began (aggregates read the rows after it). */
  starts: Int32Array;
}

/** `count`: the rows under the same parent (the sequence's length), for `remaining`. */
type Filler = (row: Value[], index: number, hasPrev: boolean, count: number) => void;

/** Sets a row's used context slots from the current rows of its ancestors and its own sequence. */
function filler(slots: readonly SlotSource[], ancestorRow: (up: number) => Value[], first: Value[]): Filler {
  const srcRows = slots.map((s) => (s.kind === 'ancestor' ? ancestorRow(s.up) : undefined));
  return (row, index, hasPrev, count) => {
    for (let k = 0; k < slots.length; k++) {
      const s = slots[k];
      switch (s.kind) {
        case 'ancestor':
          row[s.slot] = srcRows[k]![s.column];
          break;
        case 'prev':
          row[s.slot] = hasPrev ? row[s.column] : null;
          break;
        case 'first':
          row[s.slot] = hasPrev ? first[s.column] : null;
          break;
        case 'remaining':
          row[s.slot] = count - index - 1;
          break;
        default:
          row[s.slot] = index;
      }
    }
  };
}

function stateFor(
  t: RelTable,
  seed: number,
  block: number,
  up: State[],
  where: () => string,
  cond: EntityConditions | undefined,
): State {
  const ancestorRow = (k: number) => up[up.length - k].row;
  const tag = cond?.tag;
  const first = new Array<Value>(t.model.columns.length).fill(null);
  const row = new Array<Value>(t.width).fill(null);
  let count: State['count'];
  if (t.count) {
    const cm: CountModel = t.count;
    count = {
      row: new Array<Value>(cm.width).fill(null),
      drawer: new RowDrawer(
        cm.model,
        seed,
        block,
        where,
        tag,
        cond?.atLeastOne?.has(t.name) ? 1 : Number.NEGATIVE_INFINITY,
      ),
      fill: filler(cm.slots, ancestorRow, first),
    };
  }
  const drawer = new RowDrawer(t.model, seed, block, where, tag);
  const forward = (r: Value[], rowNo: number, part?: { upTo: number; first: boolean }) =>
    drawer.tryDraw(r, rowNo, part);
  const path = up.map((u) => u.row);
  const hook = cond?.rows?.get(t.name);
  const s: State = {
    t,
    row,
    first,
    drawer,
    fill: filler(t.slots, ancestorRow, first),
    count,
    children: [],
    descendants: [],
    subtree: [],
    out: {
      columns: t.model.columns.map((c) => new RowColumn(isNumericKind(c.kind))),
      retries: new IntColumn(),
      count: 0,
    },
    local: 0,
    written: writeStreams(t.model, seed, block),
    path,
    drawRow: hook ? (r, rowNo) => hook(r, rowNo, path, forward) : forward,
    seqMarks: new Int32Array(0),
    childMarks: new Int32Array(0),
    starts: new Int32Array(t.children.length),
  };
  s.children = t.children.map((c) => stateFor(c, seed, block, [...up, s], where, cond));
  s.descendants = s.children.flatMap((c) => c.subtree);
  s.subtree = [s, ...s.descendants];
  s.seqMarks = new Int32Array(2 * s.subtree.length);
  s.childMarks = new Int32Array(2 * s.descendants.length);
  return s;
}

/**
 * Marks and roll-backs write into buffers each state holds (seqMarks, childMarks), not fresh
 * arrays: they are taken once per parent row, and a block draws tens of thousands of those.
 */
function markAll(states: readonly State[], into: Int32Array): void {
  for (let k = 0; k < states.length; k++) {
    into[2 * k] = states[k].out.count;
    into[2 * k + 1] = states[k].local;
  }
}

/** Drops the rows drawn since `markAll(states, marks)` (a redraw of a row's children or a sequence). */
function rollBack(states: readonly State[], marks: Int32Array): void {
  for (let k = 0; k < states.length; k++) {
    const d = states[k];
    const count = marks[2 * k];
    for (const col of d.out.columns) col.truncate(count);
    d.out.retries.length = count;
    d.out.count = count;
    d.local = marks[2 * k + 1];
  }
}

/** An aggregate over rows [from, end) of a child table's output: null over no rows (but count 0). */
function aggregate(a: AggregateSource, rows: TableRows, from: number): Value {
  const n = rows.count - from;
  if (a.fn === 'count') return n;
  const col = rows.columns[a.column];
  let acc: number | null = null;
  let k = 0;
  for (let i = from; i < rows.count; i++) {
    const v = col.get(i);
    if (typeof v !== 'number') continue;
    k++;
    if (acc === null) acc = v;
    else if (a.fn === 'min') acc = v < acc ? v : acc;
    else if (a.fn === 'max') acc = v > acc ? v : acc;
    else acc += v;
  }
  if (acc === null) return null;
  return a.fn === 'mean' ? acc / k : acc;
}

/**
 * Draw root rows [rootStart, rootStart + rootCount) (block `block`) and all their descendants.
 * Returns each table's rows in output order (parents' order, then sequence order).
 */
export function drawEntityBlock(
  rm: RelationalModel,
  seed: number,
  block: number,
  rootStart: number,
  rootCount: number,
  cond?: EntityConditions,
): Map<string, TableRows> {
  // Where drawing is, for error messages only: the entity's trail (depth 0 the root row, then each
  // child table and its row under its parent) and what is drawn at `placeDepth`. The text is built
  // when an error asks for it, not per row (two strings per row were a measured share of the GC).
  const trailNames: string[] = [];
  const trailRows: number[] = [];
  let placeKind: 'root' | 'count' | 'row' = 'root';
  let placeDepth = 0;
  const pathTo = (depth: number) => {
    let text = `${trailNames[0]} row ${trailRows[0]}`;
    for (let d = 1; d <= depth; d++) text += ` → ${trailNames[d]}[${trailRows[d]}]`;
    return text;
  };
  const where = () => {
    const name = trailNames[placeDepth];
    if (placeKind === 'root') return `root row ${trailRows[0]} of "${name}"`;
    const under = pathTo(placeDepth - 1);
    if (placeKind === 'count') return `the count of "${name}" under ${under}`;
    return `row ${trailRows[placeDepth]} of "${name}" under ${under}`;
  };
  const states = rm.roots.map((t) => stateFor(t, seed, block, [], where, cond));
  const out = new Map<string, TableRows>();
  const collect = (s: State) => {
    out.set(s.t.name, s.out);
    s.children.forEach(collect);
  };
  states.forEach(collect);

  const emit = (s: State, tries: number) => {
    // Each column holds exactly `count` rows (a redrawn sequence truncates them to it). Each value
    // as its column writes it (block.ts writeRow, the single-table form of this loop).
    const { writers } = s.t.model;
    const cols = s.out.columns;
    for (let c = 0; c < cols.length; c++) {
      const w = writers[c];
      cols[c].push(w ? w(s.row[c], s.row, s.written[c]!) : s.row[c]);
    }
    s.out.retries.push(tries);
    s.out.count++;
  };

  /** The children of the current row of `p` (at trail depth `depth`). */
  const children = (p: State, depth: number) => {
    const t = p.t;
    if (t.aggregates.length === 0 && t.lateColumns.length === 0 && t.lateRules.length === 0) {
      return drawChildren(p, depth);
    }
    // Derived columns and rules over aggregates: after the children; a failing rule redraws them.
    const rowAt = p.out.count - 1;
    markAll(p.descendants, p.childMarks);
    for (let tries = 0; ; tries++) {
      for (let c = 0; c < p.children.length; c++) p.starts[c] = p.children[c].out.count;
      drawChildren(p, depth);
      for (const a of t.aggregates) p.row[a.slot] = aggregate(a, p.children[a.child].out, p.starts[a.child]);
      for (const c of t.lateColumns) {
        const v = c.evaluate(p.row);
        p.row[c.column] = v;
        p.out.columns[c.column].set(rowAt, v);
      }
      const failed = t.lateRules.find((r) => !lateRuleHolds(r, p.row));
      if (!failed) return;
      if (tries >= MAX_ROW_RETRIES) {
        throw new StrataError(
          'generate.rule_infeasible',
          `rule "${failed.name}" (${failed.check}) of table "${t.name}" failed on ${MAX_ROW_RETRIES} redraws of the children of ${pathTo(depth)}`,
          { path: `tables.${t.name}.rules.${failed.name}` },
          'the children rarely or never satisfy it: change the count or the children’s laws so it is likely',
        );
      }
      rollBack(p.descendants, p.childMarks);
    }
  };

  const drawChildren = (p: State, depth: number) => {
    for (const s of p.children) {
      // A sequence row after the first with an empty window: the sequence is drawn afresh.
      if (s.t.sequence) markAll(s.subtree, s.seqMarks);
      for (let restart = 0; ; restart++) {
        const failed = drawSequence(s, depth + 1);
        if (failed === undefined) break;
        if (restart >= MAX_SEQUENCE_RESTARTS) throw s.drawer.infeasible(failed);
        rollBack(s.subtree, s.seqMarks);
      }
    }
  };

  /**
   * The rows of child table `s` (at trail depth `depth`) under the current parent row; a failed
   * row's rule when a restart may help.
   */
  const drawSequence = (s: State, depth: number): number | undefined => {
    const cnt = s.count!;
    cnt.fill(cnt.row, 0, false, 1);
    trailNames[depth] = s.t.name;
    placeKind = 'count';
    placeDepth = depth;
    cnt.drawer.draw(cnt.row, 0);
    const k = cnt.row[0] as number;
    if (!Number.isInteger(k) || k < 0) {
      throw new StrataError(
        'generate.bad_count',
        `the count of table "${s.t.name}" drew ${String(k)} under ${pathTo(depth - 1)}: a count is a whole number ≥ 0`,
        { path: `tables.${s.t.name}.count` },
        'give count an integer law (poisson, values: {0: …, 1: …}) and min: 0',
      );
    }
    for (let j = 0; j < k; j++) {
      s.fill(s.row, j, j > 0, k);
      // A child's drawing moved the place deeper: set it again for this row.
      trailNames[depth] = s.t.name;
      trailRows[depth] = j;
      placeKind = 'row';
      placeDepth = depth;
      const tries = s.drawRow(s.row, s.local++);
      if (tries < 0) {
        // Only a later row of a sequence depends on rows a restart redraws.
        if (j > 0 && s.t.sequence) return -tries - 1;
        throw s.drawer.infeasible(-tries - 1);
      }
      if (j === 0 && s.t.sequence) for (let c = 0; c < s.first.length; c++) s.first[c] = s.row[c];
      emit(s, tries);
      children(s, depth);
    }
    return undefined;
  };

  const drawRoot = (s: State, i: number) => {
    // Tables numbering their ids per block (coverage runs: rm.tables[k].localIds) count locally.
    const rowNo = s.t.localIds ? s.local++ : rootStart + i;
    s.fill(s.row, i, false, rootCount);
    trailNames[0] = s.t.name;
    trailRows[0] = rootStart + i + 1;
    placeKind = 'root';
    placeDepth = 0;
    const tries = s.drawRow(s.row, rowNo);
    if (tries < 0) throw s.drawer.infeasible(-tries - 1);
    emit(s, tries);
    children(s, 0);
  };
  if (!cond) {
    for (let i = 0; i < rootCount; i++) for (const s of states) drawRoot(s, i);
    return out;
  }
  // Under conditions an entity may be drawn afresh (RestartEntity), and the block may stop early.
  const all = states.flatMap((s) => s.subtree);
  const marks = new Int32Array(2 * all.length);
  const maxRestarts = cond.maxRestarts ?? MAX_ROW_RETRIES;
  for (let i = 0; i < rootCount; i++) {
    markAll(all, marks);
    for (let restart = 0; ; restart++) {
      try {
        for (const s of states) drawRoot(s, i);
        break;
      } catch (e) {
        if (!(e instanceof RestartEntity)) throw e;
        if (restart >= maxRestarts) throw e.error();
        rollBack(all, marks);
      }
    }
    if (cond.until?.(out)) break;
  }
  return out;
}

/**
 * Renumber the sequential ids of child tables: `offsets` maps a table to the rows it had in
 * earlier blocks; every column carrying that table's ids moves by it. In place.
 */
export function offsetIds(
  rm: RelationalModel,
  rows: Map<string, TableRows>,
  offsets: ReadonlyMap<string, number>,
): void {
  for (const t of rm.tables) {
    const r = rows.get(t.name);
    if (!r) continue;
    for (const carrier of t.idCarriers) {
      const off = offsets.get(carrier.table) ?? 0;
      if (off === 0) continue;
      const col = r.columns[carrier.column];
      if (!col.plain) {
        for (let i = 0; i < col.length; i++) col.nums[i] += off; // a null's slot moves too, unread
        continue;
      }
      const p = carrier.prefix.length;
      for (let i = 0; i < col.length; i++) {
        const v = col.any[i];
        if (typeof v === 'number') col.any[i] = v + off;
        else if (typeof v === 'string') col.any[i] = carrier.prefix + (Number(v.slice(p)) + off);
      }
    }
  }
}
