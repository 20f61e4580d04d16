/**
 * The relational section's charts (Vega-Lite, rendered to inline SVG like every report chart):
 * children per parent and gaps between consecutive events as real vs synthetic shares per bin, and
 * a timeline of a few real and synthetic entities (events per table in time; a panel's first
 * numeric column as one line per entity).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CountHistogram, EntityTimeline } from '../evaluate/index.js';
import { base, REAL, SYN } from './charts.js';

const SOURCE_COLOR = {
  field: 'source',
  type: 'nominal',
  scale: { domain: ['real', 'synthetic'], range: [REAL, SYN] },
  legend: { orient: 'top', title: null },
} as const;

/** Real vs synthetic shares over the bins of a count histogram (children per parent, gaps). */
export function histogramSpec(title: string, axis: string, h: CountHistogram): TopLevelSpec | null {
  const total = (v: readonly number[]) => v.reduce((s, x) => s + x, 0);
  const tr = total(h.real);
  const ts = total(h.synthetic);
  if (tr === 0 || ts === 0) return null;
  const values = h.labels.flatMap((bin, order) => [
    { bin, order, source: 'real', share: h.real[order] / tr },
    { bin, order, source: 'synthetic', share: h.synthetic[order] / ts },
  ]);
  return {
    ...base,
    title: { text: title, fontSize: 12 },
    width: Math.min(520, Math.max(160, 24 * h.labels.length)),
    height: 140,
    data: { values },
    mark: 'bar',
    encoding: {
      x: {
        field: 'bin',
        type: 'nominal',
        sort: { field: 'order' },
        title: axis,
        axis: { labelAngle: h.labels.length > 8 ? -45 : 0, labelLimit: 90 },
      },
      xOffset: { field: 'source' },
      y: { field: 'share', type: 'quantitative', title: 'share', axis: { format: '.0%', tickCount: 4 } },
      color: SOURCE_COLOR,
    },
  };
}

/** A few real and synthetic entities in time: one row per entity (a tree), or one line per entity (a panel). */
export function timelineSpec(title: string, t: EntityTimeline): TopLevelSpec | null {
  if (t.events.length === 0) return null;
  const xTitle =
    t.unit === 'days' ? 'days since the entity’s first event' : 'order since the entity’s first row';
  const values = t.events.map((e) => ({
    ...e,
    who: `${e.source} ${e.entity + 1}`,
    line: `${e.source} ${e.entity + 1}`,
  }));
  if (t.value_column !== null)
    return {
      ...base,
      title: { text: title, fontSize: 12 },
      width: 420,
      height: 180,
      data: { values },
      mark: { type: 'line', point: true, strokeWidth: 1.5 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: xTitle },
        y: { field: 'value', type: 'quantitative', title: t.value_column },
        detail: { field: 'line', type: 'nominal' },
        color: SOURCE_COLOR,
      },
    };
  const rows = [...new Set(values.map((v) => v.who))];
  return {
    ...base,
    title: { text: title, fontSize: 12 },
    width: 420,
    height: Math.max(80, 18 * rows.length),
    data: { values },
    mark: { type: 'tick', thickness: 2 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: xTitle },
      y: { field: 'who', type: 'nominal', title: null, sort: rows },
      color: { field: 'table', type: 'nominal', legend: { orient: 'top', title: null } },
    },
  };
}
