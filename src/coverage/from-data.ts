/**
 * `coverageFromData`: a coverage plan from real data, for `strata fit --coverage-from COLS`.
 * Axes are the given columns (numeric columns with more than `maxLevels` distinct values are cut at
 * their quintiles); every cell of the product gets `min_per_cell` (default: 1 % of the real rows,
 * at least 30), and cells that are rare in the real data — below half a uniform share — are listed
 * under `cells:` with twice that quota, so the generator raises exactly the under-represented ones.
 */
import { StrataError } from '../errors.js';
import type { RawTable } from '../io/index.js';
import { nameMap } from '../names.js';
import type { CoverageAxis, CoveragePlan } from '../spec/schema.js';

export interface CoverageFromDataOptions {
  minPerCell?: number;
  /** Numeric columns with more distinct values than this are binned (default 12). */
  maxLevels?: number;
}

export function coverageFromData(
  raw: RawTable,
  columns: string[],
  opts: CoverageFromDataOptions = {},
): CoveragePlan {
  const maxLevels = opts.maxLevels ?? 12;
  const min = opts.minPerCell ?? Math.max(30, Math.round(raw.rowCount * 0.01));
  const axes: CoverageAxis[] = [];
  const labelers: ((i: number) => string | null)[] = [];
  for (const name of columns) {
    const c = raw.columns.indexOf(name);
    if (c < 0) {
      throw new StrataError(
        'coverage.unknown_column',
        `--coverage-from names "${name}", which the data does not have`,
        {},
        `columns are: ${raw.columns.join(', ')}`,
      );
    }
    const vals = raw.data[c];
    const distinct = new Set(vals.filter((v) => v !== null));
    const nums = [...distinct].map(Number);
    if (distinct.size > maxLevels && nums.every(Number.isFinite)) {
      const xs = vals
        .filter((v) => v !== null)
        .map(Number)
        .sort((a, b) => a - b);
      const q = (p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
      const cuts = [...new Set([xs[0], q(0.2), q(0.4), q(0.6), q(0.8)])];
      const bins = [...cuts, xs[xs.length - 1] + 1];
      axes.push({ name: `${name}_band`, column: name, bins });
      labelers.push((i) => {
        const v = Number(vals[i]);
        if (vals[i] === null || !Number.isFinite(v)) return null;
        let k = 0;
        while (k + 1 < bins.length - 1 && v >= bins[k + 1]) k++;
        return `[${bins[k]},${bins[k + 1]})`;
      });
    } else {
      axes.push(name);
      labelers.push((i) => (vals[i] === null ? null : String(vals[i])));
    }
  }
  const counts = new Map<string, number>();
  for (let i = 0; i < raw.rowCount; i++) {
    const labs = labelers.map((f) => f(i));
    if (labs.some((l) => l === null)) continue;
    const k = JSON.stringify(labs);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const nCells = counts.size || 1;
  const rare = [...counts.entries()].filter(([, n]) => n < raw.rowCount / (2 * nCells));
  const axisNames = axes.map((a) => (typeof a === 'string' ? a : a.name));
  const cells = rare.map(([k]) => {
    const labs = JSON.parse(k) as string[];
    return { when: nameMap(axisNames.map((a, j) => [a, labs[j]] as const)), min: 2 * min };
  });
  return { axes, min_per_cell: min, ...(cells.length ? { cells } : {}) };
}
