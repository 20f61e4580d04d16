/**
 * A seeded forward pilot of the model (streams of negative block indices, so it shares no stream
 * with the output): order-statistic quantiles and region probabilities for columns that cannot be
 * discretised. Memoised per model and seed.
 */
import type { Value } from '../expr/index.js';
import { sampleBlock } from '../model/block.js';
import type { TableModel } from '../model/compile.js';

/** Forward draws in the pilot. */
export const PILOT_SIZE = 20_000;

const pilotCache = new WeakMap<TableModel, Map<number, Value[][]>>();

function pilot(model: TableModel, seed: number): Value[][] {
  let m = pilotCache.get(model);
  if (!m) {
    m = new Map();
    pilotCache.set(model, m);
  }
  let v = m.get(seed);
  if (!v) {
    v = sampleBlock(model, seed, -1, 0, PILOT_SIZE).values;
    m.set(seed, v);
  }
  return v;
}

/** quantile(col, p) from the pilot when the column cannot be discretised (order statistic). */
export function pilotQuantile(model: TableModel, seed: number, column: number, p: number): number {
  const xs = pilot(model, seed)
    [column].filter((x): x is number => typeof x === 'number' && !Number.isNaN(x))
    .sort((a, b) => a - b);
  if (!xs.length) return Number.NaN;
  return xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))];
}

/** The share of pilot rows for which each test holds. */
export function pilotShares(
  model: TableModel,
  seed: number,
  tests: readonly ((row: readonly Value[]) => boolean)[],
): number[] {
  const values = pilot(model, seed);
  const n = values[0]?.length ?? 0;
  const row: Value[] = new Array(model.columns.length);
  const hits = new Float64Array(tests.length);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < row.length; c++) row[c] = values[c][i];
    for (let k = 0; k < tests.length; k++) if (tests[k](row)) hits[k]++;
  }
  return [...hits].map((h) => (n ? h / n : 0));
}
