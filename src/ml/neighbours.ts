/**
 * Exact nearest neighbours under Gower distance with bounded memory (never an n × m matrix).
 * The search itself is in neighbours-core.ts; this module prepares typed arrays, checks inputs and
 * optionally spreads query chunks over worker threads.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { abortError, StrataError, throwIfAborted } from '../errors.js';
import { streamFor } from '../random/stream.js';
import { type PreparedSide, rowHash, type SearchPlan, searchRange } from './neighbours-core.js';
import { EXACT, NUMERIC } from './neighbours-gower.js';
import { buildBoxTree } from './neighbours-tree.js';
import type { TypedColumn, TypedTable } from './typed-table.js';

export interface GowerSpace {
  /** Per column of the table; 0 for categorical. Taken from the reference table. */
  numericRanges: Float64Array;
}

export interface Neighbours {
  k: number;
  /** query × k */
  index: Int32Array;
  /** query × k, ascending */
  distance: Float64Array;
}

export function gowerSpace(reference: TypedTable): GowerSpace {
  const numericRanges = new Float64Array(reference.columns.length);
  reference.columns.forEach((c, j) => {
    if (c.kind !== 'numeric') return;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of c.values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    numericRanges[j] = hi >= lo ? hi - lo : 0;
  });
  return { numericRanges };
}

/** Query columns in reference order, checked by name and kind. */
function matchColumns(query: TypedTable, reference: TypedTable): TypedColumn[] {
  return reference.columns.map((rc) => {
    const qc = query.columns.find((c) => c.name === rc.name);
    if (!qc) {
      throw new StrataError(
        'ml.column_missing',
        `query table lacks column "${rc.name}" of the reference table`,
        { path: `columns.${rc.name}` },
        'align both tables with alignTables() first',
      );
    }
    if (qc.kind !== rc.kind) {
      throw new StrataError(
        'ml.column_kind',
        `column "${rc.name}" is ${qc.kind} in the query table but ${rc.kind} in the reference table`,
        { path: `columns.${rc.name}` },
        'align both tables with alignTables() so kinds agree',
      );
    }
    return qc;
  });
}

function checkSpace(space: GowerSpace, reference: TypedTable): void {
  if (space.numericRanges.length !== reference.columns.length) {
    throw new StrataError(
      'ml.gower_space',
      `Gower space has ${space.numericRanges.length} ranges for ${reference.columns.length} columns`,
      { path: 'space.numericRanges' },
      'build it with gowerSpace(reference)',
    );
  }
}

/** Per-column Gower kind: numeric with a positive range, else exact match. */
function columnKinds(reference: TypedTable, space: GowerSpace): { kind: Uint8Array; range: Float64Array } {
  const p = reference.columns.length;
  const kind = new Uint8Array(p);
  const range = new Float64Array(p);
  reference.columns.forEach((c, j) => {
    const r = space.numericRanges[j];
    const numeric = c.kind === 'numeric' && r > 0 && Number.isFinite(r);
    kind[j] = numeric ? NUMERIC : EXACT;
    range[j] = numeric ? r : 0;
  });
  return { kind, range };
}

/** Row-major raw values in the given column order; category -1 → NaN. */
function rawMatrix(cols: readonly TypedColumn[], n: number): Float64Array {
  const p = cols.length;
  const out = new Float64Array(n * p);
  cols.forEach((c, j) => {
    if (c.kind === 'numeric') for (let i = 0; i < n; i++) out[i * p + j] = c.values[i];
    else for (let i = 0; i < n; i++) out[i * p + j] = c.codes[i] < 0 ? Number.NaN : c.codes[i];
  });
  return out;
}

function scaledMatrix(
  raw: Float64Array,
  n: number,
  order: Int32Array,
  kind: Uint8Array,
  range: Float64Array,
) {
  const p = order.length;
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < p; c++) {
      const j = order[c];
      const v = raw[i * p + j];
      out[i * p + c] = kind[j] === NUMERIC ? v / range[j] : v;
    }
  }
  return out;
}

/** Mean Gower contribution of each column over seeded random reference pairs. */
function discrimination(raw: Float64Array, n: number, kind: Uint8Array, range: Float64Array): Float64Array {
  const p = kind.length;
  const score = new Float64Array(p);
  if (n < 2) return score;
  const s = streamFor(0, 'ml', 'neighbours', 'discrimination');
  const pairs = Math.min(4000, n * 4);
  for (let t = 0; t < pairs; t++) {
    const a = s.nextInt(n);
    const b = s.nextInt(n);
    for (let j = 0; j < p; j++) {
      const x = raw[a * p + j];
      const y = raw[b * p + j];
      if (Number.isNaN(x) || Number.isNaN(y)) score[j] += Number.isNaN(x) && Number.isNaN(y) ? 0 : 1;
      else if (kind[j] === NUMERIC) score[j] += Math.min(Math.abs(x - y) / range[j], 1);
      else score[j] += x === y ? 0 : 1;
    }
  }
  return score;
}

interface Prepared {
  plan: SearchPlan;
  ref: PreparedSide;
  query: PreparedSide;
}

function prepare(query: TypedTable, reference: TypedTable, space: GowerSpace): Prepared {
  const qCols = matchColumns(query, reference);
  const p = reference.columns.length;
  const n = reference.rowCount;
  const { kind, range } = columnKinds(reference, space);
  const refRaw = rawMatrix(reference.columns, n);
  const qRaw = rawMatrix(qCols, query.rowCount);

  // Most discriminating columns first: early abandoning then stops sooner.
  const disc = discrimination(refRaw, n, kind, range);
  const order = Int32Array.from(
    Array.from({ length: p }, (_, j) => j).sort((a, b) => disc[b] - disc[a] || a - b),
  );
  const refScaled = scaledMatrix(refRaw, n, order, kind, range);
  const qScaled = scaledMatrix(qRaw, query.rowCount, order, kind, range);
  const kindS = Uint8Array.from(order, (j) => kind[j]);
  const tree = buildBoxTree(refScaled, n, p, kindS);
  const leafScaled = new Float64Array(n * p);
  for (let s = 0; s < n; s++)
    leafScaled.set(refScaled.subarray(tree.perm[s] * p, tree.perm[s] * p + p), s * p);

  const groups = new Map<number, number[]>();
  for (let r = 0; r < n; r++) {
    const h = rowHash(refRaw, p, r);
    const g = groups.get(h);
    if (g) g.push(r);
    else groups.set(h, [r]);
  }
  const duplicates = new Map<number, Int32Array>();
  for (const [h, g] of groups) duplicates.set(h, Int32Array.from(g));

  return {
    plan: {
      p,
      order,
      kind,
      range,
      tree,
      leafScaled,
      duplicates,
    },
    ref: { n, scaled: new Float64Array(0), raw: refRaw },
    query: { n: query.rowCount, scaled: qScaled, raw: qRaw },
  };
}

function checkK(k: number, n: number, excludeSelf: boolean): void {
  const available = excludeSelf ? n - 1 : n;
  if (!Number.isInteger(k) || k < 1 || k > available) {
    throw new StrataError(
      'ml.neighbours_k',
      `k must be an integer in 1..${available} (reference rows${excludeSelf ? ' minus self' : ''}), got ${k}`,
      { path: 'k' },
      'lower k or use a larger reference table',
    );
  }
}

/** Query chunk handed to a worker at a time: small enough to balance load, big enough to amortise messages. */
const CHUNK = 256;
/**
 * Below this many query × reference pairs, starting workers (isolate start-up, copying the plan,
 * warming the JIT) costs more than it saves: measured here, 10k × 50k took 1.2 s on one thread and
 * 3.9 s with two workers; at 50k × 50k two workers won when the cores were free.
 */
const WORKER_MIN_PAIRS = 1_000_000_000;

/** tsx's ESM API, resolved from this file when the runtime can (so the working directory does not matter). */
function tsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return 'tsx/esm/api';
  }
}

async function searchWithWorkers(
  prep: Prepared,
  k: number,
  excludeSelf: boolean,
  workers: number,
  signal: AbortSignal | undefined,
) {
  const nq = prep.query.n;
  const indexBuf = new SharedArrayBuffer(nq * k * 4);
  const distBuf = new SharedArrayBuffer(nq * k * 8);
  const isTs = import.meta.url.endsWith('.ts');
  const url = new URL(isTs ? './neighbours-worker.ts' : './neighbours-worker.js', import.meta.url);
  // Under vitest / tsx the worker is TypeScript: register tsx inside the worker before loading it
  // (a plain `execArgv: ['--import', 'tsx']` is lost when the parent runs inside vitest's forks).
  const bootstrap = isTs
    ? `import(${JSON.stringify(tsxApi())}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`
    : '';
  let next = 0;
  const pool: Worker[] = [];
  const runOne = () =>
    new Promise<void>((resolve, reject) => {
      const workerData = { ...prep, k, excludeSelf, indexBuf, distBuf };
      const w = isTs ? new Worker(bootstrap, { eval: true, workerData }) : new Worker(url, { workerData });
      pool.push(w);
      let finished = false;
      // The worker says 'ready' once loaded and 'done' after each chunk; either way it wants more.
      const feed = () => {
        if (next >= nq) {
          finished = true;
          w.terminate().then(() => resolve(), reject);
          return;
        }
        const start = next;
        next = Math.min(nq, next + CHUNK);
        w.postMessage({ start, end: next });
      };
      w.on('message', () => (signal?.aborted ? reject(abortError(signal)) : feed()));
      w.on('error', reject);
      w.on('exit', (code) => {
        if (!finished) reject(new Error(`neighbour search worker exited early (code ${code})`));
      });
    });
  // An abort stops every worker at once (their chunk in flight is dropped).
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {}); // observed through the race below
  try {
    throwIfAborted(signal);
    await Promise.race([Promise.all(Array.from({ length: workers }, runOne)), aborted]);
  } catch (e) {
    await Promise.all(pool.map((w) => w.terminate()));
    throw e;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
  return { index: new Int32Array(indexBuf).slice(), distance: new Float64Array(distBuf).slice() };
}

/**
 * The k nearest reference rows of every query row, exactly (same result as bruteForceNeighbours,
 * including tie order: distance, then lower reference index). Memory is O((n + m) · columns).
 */
export async function nearestNeighbours(
  query: TypedTable,
  reference: TypedTable,
  k: number,
  opts: {
    space?: GowerSpace;
    excludeSelf?: boolean;
    workers?: number;
    /** Cancels a search on worker threads (stopped at once) with `run.aborted`. */
    signal?: AbortSignal;
  } = {},
): Promise<Neighbours> {
  throwIfAborted(opts.signal);
  const excludeSelf = opts.excludeSelf ?? false;
  if (excludeSelf && query !== reference) {
    throw new StrataError(
      'ml.exclude_self',
      'excludeSelf needs the query table to be the reference table itself',
      { path: 'excludeSelf' },
      'pass the same table object twice, or drop excludeSelf',
    );
  }
  checkK(k, reference.rowCount, excludeSelf);
  const space = opts.space ?? gowerSpace(reference);
  checkSpace(space, reference);
  const prep = prepare(query, reference, space);
  const pairs = query.rowCount * reference.rowCount;
  const workers = Math.max(
    0,
    Math.floor(opts.workers ?? (pairs >= WORKER_MIN_PAIRS ? Math.min(availableParallelism(), 4) : 0)),
  );
  if (workers >= 2 && query.rowCount > CHUNK) {
    const { index, distance } = await searchWithWorkers(prep, k, excludeSelf, workers, opts.signal);
    return { k, index, distance };
  }
  const index = new Int32Array(query.rowCount * k);
  const distance = new Float64Array(query.rowCount * k);
  searchRange(prep.plan, prep.ref, prep.query, k, excludeSelf, 0, query.rowCount, index, distance);
  return { k, index, distance };
}

/**
 * The obvious O(n·m) double loop over the typed columns: the baseline and the test oracle.
 * `excludeSelf` skips reference row i for query row i (use it when query is the reference).
 */
export function bruteForceNeighbours(
  query: TypedTable,
  reference: TypedTable,
  k: number,
  space?: GowerSpace,
  excludeSelf = false,
): Neighbours {
  checkK(k, reference.rowCount, excludeSelf);
  const sp = space ?? gowerSpace(reference);
  checkSpace(sp, reference);
  const qCols = matchColumns(query, reference);
  const rCols = reference.columns;
  const p = rCols.length;
  const index = new Int32Array(query.rowCount * k).fill(-1);
  const distance = new Float64Array(query.rowCount * k).fill(Number.NaN);
  // Columns as plain float arrays (codes: -1 → NaN) so the loop below is just arithmetic.
  const asFloats = (c: TypedColumn) =>
    c.kind === 'numeric' ? c.values : Float64Array.from(c.codes, (v) => (v < 0 ? Number.NaN : v));
  const qv = qCols.map(asFloats);
  const rv = rCols.map(asFloats);
  const numeric = rCols.map(
    (c, j) => c.kind === 'numeric' && sp.numericRanges[j] > 0 && Number.isFinite(sp.numericRanges[j]),
  );
  for (let i = 0; i < query.rowCount; i++) {
    let count = 0;
    for (let r = 0; r < reference.rowCount; r++) {
      if (excludeSelf && r === i) continue;
      let sum = 0;
      for (let j = 0; j < p; j++) {
        const a = qv[j][i];
        const b = rv[j][r];
        if (Number.isNaN(a) || Number.isNaN(b)) sum += Number.isNaN(a) && Number.isNaN(b) ? 0 : 1;
        else if (numeric[j]) sum += Math.min(Math.abs(a - b) / sp.numericRanges[j], 1);
        else sum += a === b ? 0 : 1;
      }
      const d = sum / p;
      if (count === k && d >= distance[i * k + k - 1]) continue;
      let pos = count < k ? count++ : k - 1;
      while (pos > 0 && distance[i * k + pos - 1] > d) {
        distance[i * k + pos] = distance[i * k + pos - 1];
        index[i * k + pos] = index[i * k + pos - 1];
        pos--;
      }
      distance[i * k + pos] = d;
      index[i * k + pos] = r;
    }
  }
  return { k, index, distance };
}
