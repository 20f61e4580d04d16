/**
 * Charts as inline SVG: Vega-Lite specs compiled to Vega and rendered headless on the server
 * (`renderer: 'none'`, no DOM, no network), so the HTML report is one self-contained file.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ColumnReport, CoverageSection, EvaluationReport, Histogram } from '../evaluate/index.js';

export const REAL = '#4c78a8';
export const SYN = '#f58518';

export async function toSvg(spec: TopLevelSpec): Promise<string> {
  // vega and vega-lite take ~0.9 s to import: they load with the first chart, not with this module.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export const base = {
  config: { font: 'sans-serif', view: { stroke: null }, axis: { labelFontSize: 10, titleFontSize: 11 } },
  background: 'white',
} as const;

/**
 * Real vs synthetic values per label as paired horizontal bars, so every label is readable in full;
 * shares on a square-root axis so a 1% bin next to a 90% one stays visible. Labels where both
 * sides are 0 are left out.
 */
export function pairedBarsSpec(b: {
  title: string;
  labels: readonly string[];
  real: readonly number[];
  synthetic: readonly number[];
  format: 'share' | 'count';
}): TopLevelSpec {
  const values = b.labels
    .flatMap((label, i) => [
      { bin: label, order: i, source: 'real', share: b.real[i] },
      { bin: label, order: i, source: 'synthetic', share: b.synthetic[i] },
    ])
    .filter((v, _i, all) => all.some((w) => w.bin === v.bin && w.share > 0));
  const bins = new Set(values.map((v) => v.bin)).size;
  const share = b.format === 'share';
  return {
    ...base,
    title: { text: b.title, fontSize: 12 },
    width: 200,
    height: Math.max(60, 20 * bins),
    data: { values },
    mark: 'bar',
    encoding: {
      y: {
        field: 'bin',
        type: 'nominal',
        sort: { field: 'order' },
        title: null,
        axis: { labelLimit: 190 },
      },
      yOffset: { field: 'source' },
      x: {
        field: 'share',
        type: 'quantitative',
        title: share ? 'share of rows (√ scale)' : 'count',
        ...(share ? { scale: { type: 'sqrt' }, axis: { format: '.0%', tickCount: 4 } } : {}),
      },
      color: {
        field: 'source',
        type: 'nominal',
        scale: { domain: ['real', 'synthetic'], range: [REAL, SYN] },
        legend: { orient: 'top', title: null },
      },
    },
  };
}

/** Real vs synthetic shares over the accuracy bins of one column. */
export function overlaySpec(c: ColumnReport): TopLevelSpec {
  return pairedBarsSpec({
    title: `${c.name} — accuracy ${c.accuracy.value === null ? 'n/a' : c.accuracy.value.toFixed(3)}`,
    labels: c.bins.labels,
    real: c.bins.real,
    synthetic: c.bins.synthetic,
    format: 'share',
  });
}

/** Side-by-side correlation heatmaps (numeric pairs) of real and synthetic data. */
export function correlationSpec(r: EvaluationReport): TopLevelSpec | null {
  const pairs = (r.fidelity?.pairs ?? []).filter((p) => p.correlation_real !== undefined);
  if (pairs.length === 0) return null;
  const values: { a: string; b: string; source: string; r: number | null }[] = [];
  for (const p of pairs) {
    for (const [source, v] of [
      ['real', p.correlation_real],
      ['synthetic', p.correlation_synthetic],
    ] as const) {
      values.push({ a: p.a, b: p.b, source, r: v ?? null });
      values.push({ a: p.b, b: p.a, source, r: v ?? null });
    }
  }
  return {
    ...base,
    title: { text: 'Pearson correlation: real vs synthetic', fontSize: 13 },
    data: { values },
    facet: { column: { field: 'source', type: 'nominal', title: null, sort: ['real', 'synthetic'] } },
    spec: {
      width: 240,
      height: 240,
      mark: 'rect',
      encoding: {
        x: { field: 'a', type: 'nominal', title: null },
        y: { field: 'b', type: 'nominal', title: null },
        color: {
          field: 'r',
          type: 'quantitative',
          scale: { scheme: 'redblue', domain: [-1, 1], reverse: true },
          title: 'ρ',
        },
        tooltip: [{ field: 'a' }, { field: 'b' }, { field: 'r', format: '.3f' }],
      },
    },
  };
}

/** Pair accuracy heatmap (all columns), worst pairs darkest. */
export function pairAccuracySpec(r: EvaluationReport): TopLevelSpec | null {
  const pairs = r.fidelity?.pairs ?? [];
  if (pairs.length === 0) return null;
  const values = pairs.flatMap((p) => [
    { a: p.a, b: p.b, accuracy: p.accuracy.value },
    { a: p.b, b: p.a, accuracy: p.accuracy.value },
  ]);
  return {
    ...base,
    title: { text: 'Bivariate accuracy (1 − TVD) per pair', fontSize: 13 },
    width: 300,
    height: 300,
    data: { values },
    mark: 'rect',
    encoding: {
      x: { field: 'a', type: 'nominal', title: null },
      y: { field: 'b', type: 'nominal', title: null },
      color: {
        field: 'accuracy',
        type: 'quantitative',
        scale: { scheme: 'viridis', domain: [0.5, 1] },
        title: 'accuracy',
      },
    },
  };
}

/** Histograms over shared bin edges, one colour per series (blue, orange... unless `colors`). */
export function histogramSpec(h: {
  title: string;
  x: string;
  y: string;
  series: readonly { name: string; histogram: Histogram }[];
  colors?: readonly string[];
}): TopLevelSpec {
  const values = h.series.flatMap(({ name, histogram }) =>
    histogram.counts.map((count, i) => ({
      from: histogram.edges[i],
      to: histogram.edges[i + 1],
      count,
      source: name,
    })),
  );
  return {
    ...base,
    title: { text: h.title, fontSize: 13 },
    width: 420,
    height: 160,
    data: { values },
    mark: { type: 'bar', opacity: 0.6, binSpacing: 0 },
    encoding: {
      x: { field: 'from', type: 'quantitative', bin: { binned: true }, title: h.x },
      x2: { field: 'to' },
      y: { field: 'count', type: 'quantitative', stack: null, title: h.y },
      color: {
        field: 'source',
        type: 'nominal',
        scale: { domain: h.series.map((s) => s.name), range: [...(h.colors ?? [REAL, SYN, '#54a24b'])] },
        legend: { orient: 'top', title: null },
      },
    },
  };
}

/** DCR histograms: synthetic → train and synthetic → holdout. */
export function dcrSpec(train: Histogram, holdout: Histogram | null): TopLevelSpec {
  return histogramSpec({
    title: 'Distance to closest record (Gower)',
    x: 'distance',
    y: 'synthetic rows',
    series: [
      { name: 'to train', histogram: train },
      ...(holdout ? [{ name: 'to holdout', histogram: holdout }] : []),
    ],
    colors: [SYN, REAL],
  });
}

/** Coverage heatmap over the first two axes (delivered / required), or bars for one axis. */
export function coverageSpec(c: CoverageSection): TopLevelSpec {
  const [ax, ay] = c.axes;
  const values = c.cells.map((cell) => ({
    x: cell.labels[ax],
    y: ay ? cell.labels[ay] : '',
    rest: c.axes
      .slice(2)
      .map((a) => cell.labels[a])
      .join(', '),
    delivered: cell.delivered,
    required: cell.required,
    status: cell.forbidden ? 'forbidden' : cell.met ? 'met' : cell.delivered === 0 ? 'empty' : 'short',
  }));
  return {
    ...base,
    title: { text: `Coverage cells (${c.axes.join(' × ')})`, fontSize: 13 },
    width: Math.min(600, 40 * new Set(values.map((v) => v.x)).size + 40),
    height: Math.min(400, 26 * new Set(values.map((v) => v.y)).size + 20),
    data: { values },
    encoding: {
      x: { field: 'x', type: 'nominal', title: ax },
      y: { field: 'y', type: 'nominal', title: ay ?? null },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'status',
            type: 'nominal',
            scale: {
              domain: ['met', 'short', 'empty', 'forbidden'],
              range: ['#54a24b', '#f2cf5b', '#e45756', '#bab0ac'],
            },
            legend: { orient: 'top', title: null },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: { text: { field: 'delivered', type: 'quantitative', aggregate: 'sum' } },
      },
    ],
  };
}
