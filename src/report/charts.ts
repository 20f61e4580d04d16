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
 * Real vs synthetic shares over the accuracy bins of one column, as horizontal bars so every bin
 * label is readable in full, on a square-root axis so a 1% bin next to a 90% one stays visible.
 */
export function overlaySpec(c: ColumnReport): TopLevelSpec {
  const values = c.bins.labels
    .flatMap((label, i) => [
      { bin: label, order: i, source: 'real', share: c.bins.real[i] },
      { bin: label, order: i, source: 'synthetic', share: c.bins.synthetic[i] },
    ])
    .filter((v, _i, all) => all.some((w) => w.bin === v.bin && w.share > 0));
  const bins = new Set(values.map((v) => v.bin)).size;
  return {
    ...base,
    title: {
      text: `${c.name} — accuracy ${c.accuracy.value === null ? 'n/a' : c.accuracy.value.toFixed(3)}`,
      fontSize: 12,
    },
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
        title: 'share of rows (√ scale)',
        scale: { type: 'sqrt' },
        axis: { format: '.0%', tickCount: 4 },
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

/** DCR histograms: synthetic → train and synthetic → holdout. */
export function dcrSpec(train: Histogram, holdout: Histogram | null): TopLevelSpec {
  const rows = (h: Histogram, source: string) =>
    h.counts.map((count, i) => ({ from: h.edges[i], to: h.edges[i + 1], count, source }));
  const values = [...rows(train, 'to train'), ...(holdout ? rows(holdout, 'to holdout') : [])];
  return {
    ...base,
    title: { text: 'Distance to closest record (Gower)', fontSize: 13 },
    width: 420,
    height: 160,
    data: { values },
    mark: { type: 'bar', opacity: 0.6, binSpacing: 0 },
    encoding: {
      x: { field: 'from', type: 'quantitative', bin: { binned: true }, title: 'distance' },
      x2: { field: 'to' },
      y: { field: 'count', type: 'quantitative', stack: null, title: 'synthetic rows' },
      color: {
        field: 'source',
        type: 'nominal',
        scale: { domain: ['to train', 'to holdout'], range: [SYN, REAL] },
        legend: { orient: 'top', title: null },
      },
    },
  };
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
