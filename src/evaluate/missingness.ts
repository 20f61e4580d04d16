/**
 * Missingness section: which values are missing, and which go missing together. Fidelity's column
 * shapes give each column's missing share but not their joint pattern: a model that keeps every
 * column's missing share and draws them independently breaks rows where two columns are missing
 * together (in UCI Adult, `occupation` is missing in every row where `workclass` is), and a
 * detector picks that up.
 *
 *  - per column (those missing on either side): the missing share, real vs synthetic;
 *  - `missing_rate_diff_max`: the largest absolute gap between those shares (0 when no value is
 *    missing anywhere);
 *  - `missing_pattern_accuracy`: 1 − TVD between the distributions of row patterns (the set of
 *    columns missing in a row, "none" included), with a bootstrap interval resampling rows within
 *    each side. 1 when both tables have no missing value.
 * Over the judged columns (no ID or free-text column), aligned by name as in every tabular section.
 */
import type { TypedColumn } from '../ml/index.js';
import { sampleBinomial } from '../random/discrete.js';
import { type Stream, streamFor } from '../random/stream.js';
import { metricFrom } from './bootstrap.js';
import { missingRate } from './column-metrics.js';
import type { Block, Presentation } from './presentation.js';
import { defineSection, ok, type SectionContext } from './section.js';
import type { Metric } from './types.js';

/** Patterns listed in the report (most common on either side first); the accuracy uses all. */
const PATTERNS_LISTED = 20;

export interface MissingnessColumn {
  /** The column's name. */
  name: string;
  /** Share of real rows where the column is missing. */
  real: number;
  /** Share of synthetic rows where the column is missing. */
  synthetic: number;
}

export interface MissingPattern {
  /** The columns missing together in these rows (empty: none missing). */
  missing: string[];
  /** Share of real rows with exactly this pattern. */
  real: number;
  /** Share of synthetic rows with exactly this pattern. */
  synthetic: number;
}

export interface MissingnessSection {
  /** Columns missing on either side, the largest gap first. */
  columns: MissingnessColumn[];
  /** The largest gap between a column's missing shares (`missing_rate_diff_max`). */
  rate_diff_max: number;
  /** 1 − TVD between the sides' row patterns (`missing_pattern_accuracy`). */
  pattern_accuracy: Metric;
  /** Distinct patterns across both tables. */
  pattern_count: number;
  /** The most common patterns (up to 20), by their larger share on either side. */
  patterns: MissingPattern[];
}

function isMissing(c: TypedColumn, row: number): boolean {
  return c.kind === 'numeric' ? Number.isNaN(c.values[row]) : c.codes[row] < 0;
}

/** Each row's pattern as a code into `keys` (the columns of `cols` missing in it, by position). */
function patternCodes(cols: readonly TypedColumn[], rows: number, ids: Map<string, number>): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let key = '';
    for (let c = 0; c < cols.length; c++) if (isMissing(cols[c], r)) key += `${c},`;
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    out[r] = id;
  }
  return out;
}

function shares(codes: Int32Array, n: number): Float64Array {
  const f = new Float64Array(n);
  for (const c of codes) f[c]++;
  if (codes.length) for (let i = 0; i < n; i++) f[i] /= codes.length;
  return f;
}

function accuracyOf(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += Math.abs(a[k] - b[k]);
  return 1 - s / 2;
}

/**
 * A bootstrap replicate of one side's pattern shares: Multinomial(rows, shares) drawn as one
 * conditional binomial per pattern, the same law as resampling rows (the statistic reads only the
 * pattern counts) in O(patterns) instead of O(rows) draws.
 */
function resampled(p: Float64Array, rows: number, st: Stream, out: Float64Array): Float64Array {
  let left = rows;
  let mass = 1;
  for (let k = 0; k < p.length; k++) {
    const q = mass > 0 ? Math.min(1, Math.max(0, p[k] / mass)) : 1;
    const c = k === p.length - 1 || q >= 1 ? left : left > 0 && q > 0 ? sampleBinomial(st, left, q) : 0;
    out[k] = c / rows;
    left -= c;
    mass -= p[k];
  }
  return out;
}

export function computeMissingness(
  real: { rowCount: number; columns: TypedColumn[] },
  synthetic: { rowCount: number; columns: TypedColumn[] },
  opts: { seed: number; reps: number; level: number },
): MissingnessSection {
  const rates = real.columns.map((c, i) => ({
    name: c.name,
    real: missingRate(c),
    synthetic: missingRate(synthetic.columns[i]),
    at: i,
  }));
  const seen = rates.filter((c) => c.real > 0 || c.synthetic > 0);
  const gap = (c: MissingnessColumn) => Math.abs(c.real - c.synthetic);
  const ids = new Map<string, number>();
  const pr = patternCodes(
    seen.map((c) => real.columns[c.at]),
    real.rowCount,
    ids,
  );
  const ps = patternCodes(
    seen.map((c) => synthetic.columns[c.at]),
    synthetic.rowCount,
    ids,
  );
  const n = ids.size;
  const fr = shares(pr, n);
  const fs = shares(ps, n);
  const reason = 'no rows in one of the tables';
  let accuracy: Metric;
  if (!pr.length || !ps.length) accuracy = metricFrom(Number.NaN, undefined, reason);
  else if (n === 1) accuracy = metricFrom(1, undefined, reason);
  else {
    const st = streamFor(opts.seed, 'evaluate', 'missingness');
    const reps = new Float64Array(opts.reps);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let r = 0; r < opts.reps; r++)
      reps[r] = accuracyOf(resampled(fr, pr.length, st, a), resampled(fs, ps.length, st, b));
    accuracy = metricFrom(accuracyOf(fr, fs), reps, reason, opts.level);
  }
  const patterns = [...ids].map(([key, id]) => ({
    missing: key
      .split(',')
      .filter(Boolean)
      .map((c) => seen[Number(c)].name),
    real: fr[id],
    synthetic: fs[id],
  }));
  patterns.sort((a, b) => Math.max(b.real, b.synthetic) - Math.max(a.real, a.synthetic));
  const columns = seen.map(({ name, real, synthetic }) => ({ name, real, synthetic }));
  columns.sort((a, b) => gap(b) - gap(a));
  return {
    columns,
    rate_diff_max: columns.length ? gap(columns[0]) : 0,
    pattern_accuracy: accuracy,
    pattern_count: n,
    patterns: patterns.slice(0, PATTERNS_LISTED),
  };
}

function patternLabel(p: MissingPattern): string {
  return p.missing.length ? p.missing.join(' + ') : '(none missing)';
}

function present(m: MissingnessSection): Presentation {
  const blocks: Block[] = [
    {
      kind: 'figures',
      items: [
        {
          label: 'Patterns of missing columns (1 − TVD)',
          value: m.pattern_accuracy,
          key: 'missing_pattern_accuracy',
        },
        {
          label: "Largest gap in a column's missing share",
          value: m.rate_diff_max,
          key: 'missing_rate_diff_max',
          format: 'share',
        },
      ],
    },
  ];
  if (m.columns.length === 0) blocks.push({ kind: 'note', text: 'No value is missing in either table.' });
  else
    blocks.push(
      {
        kind: 'table',
        columns: [
          { label: 'column', format: 'text' },
          { label: 'missing in real', format: 'share' },
          { label: 'missing in synthetic', format: 'share' },
        ],
        rows: m.columns.map((c) => [c.name, c.real, c.synthetic]),
      },
      {
        kind: 'bars',
        title: `Rows by the columns missing together (${m.pattern_count} patterns)`,
        labels: m.patterns.map(patternLabel),
        real: m.patterns.map((p) => p.real),
        synthetic: m.patterns.map((p) => p.synthetic),
        format: 'share',
      },
    );
  return { heading: 'Missing values', blocks };
}

export const missingnessSection = defineSection({
  name: 'missingness',
  order: 15,
  title: 'missingness: missing shares per column and which columns are missing together',
  empty: null as MissingnessSection | null,
  summary: {
    missing_pattern_accuracy: {
      label: 'Missingness patterns across columns (1 − TVD)',
      read: (m: MissingnessSection) => m.pattern_accuracy,
    },
    missing_rate_diff_max: {
      label: "Largest gap in a column's missing share",
      read: (m: MissingnessSection) => m.rate_diff_max,
    },
  },
  run: (ctx: SectionContext) => ok(computeMissingness(ctx.real, ctx.synthetic, ctx.opts)),
  output: (m) => m,
  present,
});
